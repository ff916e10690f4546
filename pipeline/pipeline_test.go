package pipeline

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// testClock is a settable clock.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

func newTest(t testing.TB) (*Pipeline, *store.DB, *testClock) {
	t.Helper()
	return newTestIn(t, t.TempDir(), nil)
}

// newTestIn builds a test pipeline on dataDir; tweak, when not nil, adjusts
// its options.
func newTestIn(t testing.TB, dataDir string, tweak func(*Options)) (*Pipeline, *store.DB, *testClock) {
	t.Helper()
	cfg, err := config.Load("../examples/liaisond.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = dataDir
	db, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &testClock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	set, err := settings.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := notify.New(notify.Options{Settings: set, Now: clk.now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	a, err := actions.New(actions.Options{Settings: set, Notify: n, DB: db, Now: clk.now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Settings: set, Notify: n, Actions: a, DB: db, Now: clk.now, Log: log}
	if tweak != nil {
		tweak(&opt)
	}
	p, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return p, db, clk
}

const statementMail = `From: "ITU-T SG15 Secretariat" <tsb-sg15@itu.int>
To: statements@ietf.example
Subject: LS from ITU-T SG15 to IETF CCAMP on OTN YANG (for action)
Date: Mon, 23 Nov 2026 09:12:44 +0100
Message-ID: <%s>
Content-Type: text/plain; charset=utf-8

LIAISON STATEMENT

Source:         ITU-T Study Group 15
Title:          LS on alignment of the OTN topology YANG model
For action to:  IETF CCAMP WG
Deadline:       15 March 2027
Contact:        Hiroshi Tanaka, E-mail: h.tanaka@example.net

SG15 asks CCAMP to review the OTN topology model alignment options.
`

func mailWith(mid string) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf(statementMail, mid), "\n", "\r\n"))
}

func outboxKinds(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	_ = db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			got[e.Kind] = append(got[e.Kind], e.Recipient)
			return nil
		})
	})
	for k := range got {
		slices.Sort(got[k])
	}
	return got
}

func TestStatementIsRecordedRoutedAndNoticed(t *testing.T) {
	p, db, _ := newTest(t)
	res, err := p.Process(Input{Raw: mailWith("sg15-1@itu.int"), Origin: "file:a.eml"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.ID != "LS-2026-0001" || res.Kind != liaison.KindStatement || res.Duplicate {
		t.Fatalf("result = %+v", res)
	}
	r := res.Record
	if r.Routing.OrgID != "itu-t-sg15" || !slices.Contains(r.Routing.Groups, "ccamp") {
		t.Errorf("routing = %+v", r.Routing)
	}
	if r.State != liaison.StateOpen || r.Extraction.Deadline.String() != "2027-03-15" {
		t.Errorf("state %s deadline %s", r.State, r.Extraction.Deadline)
	}
	kinds := outboxKinds(t, db)
	if !slices.Contains(kinds["notice"], "ccamp-chairs@ietf.example") || len(kinds["misdirection"]) != 0 || len(kinds["escalation"]) != 0 {
		t.Errorf("outbox = %v", kinds)
	}
	for _, m := range r.Routing.Managers {
		if !slices.Contains(kinds["notice"], m.Email) {
			t.Errorf("manager %s got no notice: %v", m.Email, kinds)
		}
	}
	_ = db.View(func(tx *store.Tx) error {
		if at, ok := tx.DueAt(res.ID, "deadline"); !ok || !at.Equal(time.Date(2027, 3, 15, 23, 59, 59, 0, time.UTC)) {
			t.Errorf("deadline index = %v %v", at, ok)
		}
		raw, err := tx.Raw(res.ID)
		if err != nil || len(raw) == 0 {
			t.Errorf("raw not kept: %v", err)
		}
		evs, _ := tx.Events(res.ID)
		var types []string
		for _, e := range evs {
			types = append(types, string(e.Type))
		}
		if !slices.Contains(types, "received") || !slices.Contains(types, "routed") || !slices.Contains(types, "queued") {
			t.Errorf("history = %v", types)
		}
		return nil
	})
}

func TestSameMessageTwiceIsOneRecordAndNoSecondNotice(t *testing.T) {
	p, db, _ := newTest(t)
	first, _ := p.Process(Input{Raw: mailWith("sg15-1@itu.int"), Origin: "imap:INBOX/1"}, false)
	before := outboxKinds(t, db)
	again, err := p.Process(Input{Raw: mailWith("sg15-1@itu.int"), Origin: "imap:INBOX/7"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || !again.Duplicate || len(again.Queued) != 0 {
		t.Fatalf("again = %+v", again)
	}
	if fmt.Sprint(outboxKinds(t, db)) != fmt.Sprint(before) {
		t.Error("outbox changed on a repeated message")
	}
	_ = db.View(func(tx *store.Tx) error {
		if n := tx.CountRecords(); n != 1 {
			t.Errorf("records = %d", n)
		}
		return nil
	})
}

func TestResentWithNewMessageIDIsLinkedDuplicate(t *testing.T) {
	p, db, _ := newTest(t)
	first, _ := p.Process(Input{Raw: mailWith("sg15-1@itu.int"), Origin: "a"}, false)
	n := len(outboxKinds(t, db)["notice"])
	dup, err := p.Process(Input{Raw: mailWith("sg15-resent@itu.int"), Origin: "b"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !dup.Duplicate || dup.DuplicateOf != first.ID || !strings.HasPrefix(dup.ID, "MSG-") {
		t.Fatalf("dup = %+v", dup)
	}
	if len(outboxKinds(t, db)["notice"]) != n {
		t.Error("a duplicate caused notices")
	}
	_ = db.View(func(tx *store.Tx) error {
		orig, _ := tx.Record(first.ID)
		if !slices.Contains(orig.Duplicates, dup.ID) {
			t.Errorf("original not linked: %+v", orig.Duplicates)
		}
		return nil
	})
}

// TestReprocessKeepsDeliveryContext reprocesses a statement that arrived
// on a WG list: the record keeps the delivery context, so routing it again
// reaches the same verdict and reasons, and nothing changes.
func TestReprocessKeepsDeliveryContext(t *testing.T) {
	p, db, _ := newTest(t)
	raw := strings.Replace(string(mailWith("sg15-ctx@itu.int")), "To: statements@ietf.example", "To: ccamp@ietf.example", 1)
	res, err := p.Process(Input{Raw: []byte(raw), Origin: "imap:lists/ccamp/7", Context: routing.Context{Folder: "lists/ccamp", WGList: "ccamp"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Record.Delivery; d == nil || d.Folder != "lists/ccamp" || d.WGList != "ccamp" {
		t.Fatalf("delivery not recorded: %+v", d)
	}
	before := res.Record.Routing
	changes, err := p.Reprocess([]string{res.ID})
	if err != nil || len(changes) != 1 || changes[0].Error != "" {
		t.Fatalf("reprocess: %v %+v", err, changes)
	}
	if len(changes[0].Fields) != 0 {
		t.Errorf("reprocessing an unchanged message changed %v", changes[0].Fields)
	}
	_ = db.View(func(tx *store.Tx) error {
		rec, err := tx.Record(res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rec.Routing, before) || !slices.ContainsFunc(rec.Routing.Reasons, func(r liaison.Reason) bool { return strings.Contains(r.Detail, "arrived on the ccamp list") }) {
			t.Errorf("routing after reprocess = %+v, want %+v", rec.Routing, before)
		}
		return nil
	})
}

func TestMisdirectedStatementGetsOneCorrection(t *testing.T) {
	p, db, _ := newTest(t)
	raw := strings.Replace(string(mailWith("sg15-2@itu.int")), "To: statements@ietf.example", "To: ccamp@ietf.example", 1)
	res, err := p.Process(Input{Raw: []byte(raw), Origin: "imap:lists/ccamp/3", Context: routing.Context{Folder: "lists/ccamp", WGList: "ccamp"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Record.Routing.Misdirected || !slices.Contains(res.Flags, "misdirected") {
		t.Fatalf("not misdirected: %+v", res.Record.Routing)
	}
	kinds := outboxKinds(t, db)
	if fmt.Sprint(kinds["misdirection"]) != "[tsb-sg15@itu.int]" {
		t.Errorf("misdirection mails = %v", kinds["misdirection"])
	}
	// The correction copies the responsible managers.
	_ = db.View(func(tx *store.Tx) error {
		e, err := tx.Outbox(notify.Key{Record: res.ID, Kind: notify.KindMisdirection, Recipient: "tsb-sg15@itu.int"}.String())
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Rcpts) < 2 || !strings.Contains(string(e.Raw), "Auto-Submitted: auto-generated") {
			t.Errorf("correction rcpts %v", e.Rcpts)
		}
		return nil
	})
}

func TestNeverAnswerAutomatedSenders(t *testing.T) {
	cases := map[string]func(string) string{
		"auto-generated": func(s string) string {
			return strings.Replace(s, "Subject:", "Auto-Submitted: auto-generated\r\nSubject:", 1)
		},
		"precedence bulk": func(s string) string { return strings.Replace(s, "Subject:", "Precedence: bulk\r\nSubject:", 1) },
		"noreply sender": func(s string) string {
			return strings.Replace(s, `"ITU-T SG15 Secretariat" <tsb-sg15@itu.int>`, "noreply@itu.int", 1)
		},
		"list sender": func(s string) string {
			return strings.Replace(s, `"ITU-T SG15 Secretariat" <tsb-sg15@itu.int>`, "teas@ietf.example", 1)
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			p, db, _ := newTest(t)
			raw := strings.Replace(string(mailWith("m-"+strings.ReplaceAll(name, " ", "")+"@x")), "To: statements@ietf.example", "To: ccamp@ietf.example", 1)
			res, err := p.Process(Input{Raw: []byte(mutate(raw)), Origin: "t"}, false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Kind == liaison.KindStatement && !res.Record.Routing.Misdirected {
				t.Fatalf("expected a misdirected statement: %+v", res.Record.Routing)
			}
			if got := outboxKinds(t, db)["misdirection"]; len(got) != 0 {
				t.Errorf("answered %s: %v", name, got)
			}
		})
	}
}

func TestOwnMailAndAutoRepliesCauseNoMail(t *testing.T) {
	p, db, _ := newTest(t)
	own := strings.Replace(string(mailWith("own@ietf.example")), "Subject:", "X-Liaisond-Loop: ietf.example\r\nSubject:", 1)
	ooo := "From: Hiroshi <h.tanaka@example.net>\r\nTo: statements@ietf.example\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo@x>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nAway until Monday.\r\n"
	for _, raw := range []string{own, ooo} {
		res, err := p.Process(Input{Raw: []byte(raw), Origin: "t"}, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Queued) != 0 || strings.HasPrefix(res.ID, "LS-") {
			t.Errorf("%s queued %v", res.ID, res.Queued)
		}
	}
	if k := outboxKinds(t, db); len(k) != 0 {
		t.Errorf("outbox = %v", k)
	}
}

func TestBounceIsAttachedToTheMailItAnswers(t *testing.T) {
	p, db, _ := newTest(t)
	res, _ := p.Process(Input{Raw: mailWith("sg15-9@itu.int"), Origin: "a"}, false)
	var sent *store.OutboxEntry
	_ = db.View(func(tx *store.Tx) (err error) {
		sent, err = tx.Outbox(res.Queued[0])
		return err
	})
	bounce := fmt.Sprintf("From: MAILER-DAEMON@mx.example.org\r\nTo: liaisond@ietf.example\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b1@mx>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <%s>\r\nSubject: x\r\n--b--\r\n", sent.Recipient, sent.MessageID)
	b, err := p.Process(Input{Raw: []byte(bounce), Origin: "b"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if b.Kind != liaison.KindBounce || len(b.Queued) != 0 {
		t.Fatalf("bounce result %+v", b)
	}
	_ = db.View(func(tx *store.Tx) error {
		e, _ := tx.Outbox(sent.Key)
		if e.Bounce != b.ID {
			t.Errorf("bounce not attached: %+v", e)
		}
		return nil
	})
}

func TestReplyIsLinkedByThreading(t *testing.T) {
	p, _, _ := newTest(t)
	st, _ := p.Process(Input{Raw: mailWith("sg15-3@itu.int"), Origin: "a"}, false)
	reply := "From: Chair <chair@example.org>\r\nTo: statements@ietf.example\r\nSubject: Re: LS on OTN\r\nIn-Reply-To: <sg15-3@itu.int>\r\nMessage-ID: <r1@example.org>\r\nDate: Tue, 24 Nov 2026 09:00:00 +0000\r\n\r\nWhich draft does this refer to?\r\n"
	res, err := p.Process(Input{Raw: []byte(reply), Origin: "b"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != liaison.KindReply || res.Linked != st.ID {
		t.Fatalf("reply = %+v", res)
	}
}

func TestDryRunCommitsNothing(t *testing.T) {
	p, db, _ := newTest(t)
	res, err := p.Process(Input{Raw: mailWith("dry@itu.int"), Origin: "a"}, true)
	if err != nil || res.ID == "" {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	_ = db.View(func(tx *store.Tx) error {
		if n := tx.CountRecords(); n != 0 {
			t.Errorf("dry run recorded %d", n)
		}
		return nil
	})
}

func TestBatchAndCheckpointCommitTogether(t *testing.T) {
	p, db, _ := newTest(t)
	boom := errors.New("checkpoint write failed")
	_, err := p.ProcessBatch([]Input{{Raw: mailWith("b1@x"), Origin: "1"}, {Raw: mailWith("b2@x"), Origin: "2"}}, func(tx *store.Tx) error { return boom }, false)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	_ = db.View(func(tx *store.Tx) error {
		if n := tx.CountRecords(); n != 0 {
			t.Errorf("records committed without their checkpoint: %d", n)
		}
		return nil
	})
}

func TestBadMailIsKeptAndFlagged(t *testing.T) {
	p, db, _ := newTest(t)
	garbage := []byte("\x00\x01 this is not a mail at all \xff\xfe")
	res, err := p.Process(Input{Raw: garbage, Origin: "junk"}, false)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *store.Tx) error {
		raw, err := tx.Raw(res.ID)
		if err != nil || string(raw) != string(garbage) {
			t.Errorf("raw not kept: %v", err)
		}
		return nil
	})
	if res.Understood && len(res.Record.Extraction.Problems) == 0 {
		t.Errorf("garbage neither failed nor flagged: %+v", res)
	}
}

// TestCorpusRouting ingests the whole golden corpus through the pipeline
// with the example routing table and checks the routing expectations the
// corpus lists, and that every message yields a record.
func TestCorpusRouting(t *testing.T) {
	p, db, _ := newTest(t)
	// Read PDF cover sheets as the corpus test does (in process: the
	// sandbox has its own tests).
	p.pdf = func() func([]byte) (string, error) {
		return func(b []byte) (string, error) { return pdftext.Text(b, pdftext.Limits{}) }
	}
	files, _ := filepath.Glob("../testdata/corpus/*.eml")
	if len(files) < 90 {
		t.Fatalf("corpus has %d messages", len(files))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Process(Input{Raw: raw, Origin: "file:" + f}, false)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		var want struct {
			SameContentAs string `json:"same_content_as"`
			Routing       *struct {
				FromOrg       string    `json:"from_org"`
				GroupsInclude []string  `json:"groups_include"`
				Groups        *[]string `json:"groups"`
			} `json:"routing"`
		}
		data, _ := os.ReadFile(strings.TrimSuffix(f, ".eml") + ".json")
		_ = json.Unmarshal(data, &want)
		name := filepath.Base(f)
		if want.SameContentAs != "" && !res.Duplicate {
			t.Errorf("%s: same content as %s but not recorded as a duplicate (%+v)", name, want.SameContentAs, res)
		}
		if want.Routing == nil || res.Duplicate {
			continue
		}
		if res.Record.Routing.OrgID != want.Routing.FromOrg {
			t.Errorf("%s: from_org = %q, want %q (reasons %v)", name, res.Record.Routing.OrgID, want.Routing.FromOrg, res.Record.Routing.Reasons)
		}
		for _, g := range want.Routing.GroupsInclude {
			if !slices.Contains(res.Record.Routing.Groups, g) {
				t.Errorf("%s: groups %v lack %s", name, res.Record.Routing.Groups, g)
			}
		}
		if w := want.Routing.Groups; w != nil {
			exact := slices.Clone(*w)
			slices.Sort(exact)
			if !slices.Equal(res.Record.Routing.Groups, exact) {
				t.Errorf("%s: groups = %v, want exactly %v (reasons %v)", name, res.Record.Routing.Groups, exact, res.Record.Routing.Reasons)
			}
		}
		if want.Routing.FromOrg == "" && res.Record.Routing.EscalationReason != "unknown_org" {
			t.Errorf("%s: unknown organization not escalated: %+v", name, res.Record.Routing)
		}
	}
	_ = db.View(func(tx *store.Tx) error {
		if n := tx.CountRecords(); n == 0 {
			t.Error("nothing recorded")
		}
		return nil
	})
}

// TestHugeMessageMemory records a message with a 30 MB attachment and
// checks the memory it costs: the bytes allocated while parsing, routing
// and committing it stay under twice the message size, so with the message
// itself the peak stays under three times its size.
func TestHugeMessageMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("large message")
	}
	p, db, _ := newTest(t)
	att := make([]byte, 30<<20)
	for i := range att {
		att[i] = byte(i * 7919 >> 3)
	}
	var b strings.Builder
	b.WriteString("From: tsb@itu.int\r\nTo: statements@ietf.example\r\nSubject: LS from ITU-T SG15 to IETF CCAMP on OTN, for action\r\n")
	b.WriteString("Message-ID: <huge@itu.int>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
	b.WriteString("--b\r\nContent-Type: text/plain\r\n\r\nPlease find attached an LS from ITU-T SG15 to IETF CCAMP, for action.\r\n")
	b.WriteString("--b\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"big.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(att)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b--\r\n")
	raw := []byte(b.String())
	att, enc = nil, ""
	b.Reset()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := p.Process(Input{Raw: raw, Origin: "huge"}, false)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d-byte message: %d bytes allocated to record it (%.2fx)", len(raw), alloc, float64(alloc)/float64(len(raw)))
	if alloc > 2*uint64(len(raw)) {
		t.Errorf("recording a %d-byte message allocated %d bytes, want under %d", len(raw), alloc, 2*len(raw))
	}
	if a := res.Record.Extraction.Attachments; len(a) != 1 || a[0].Size != 30<<20 {
		t.Errorf("attachments = %+v", a)
	}
	_ = db.View(func(tx *store.Tx) error {
		got, err := tx.Raw(res.ID)
		if err != nil || len(got) != len(raw) {
			t.Errorf("raw kept: %d bytes, %v", len(got), err)
		}
		return nil
	})
}
