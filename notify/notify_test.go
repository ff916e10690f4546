package notify

import (
	"bytes"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/commands"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

var testNow = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

type fixture struct {
	db  *store.DB
	set *settings.Holder
	n   *Notifier
}

// newFixture builds a notifier over the example configuration; tmplDir
// overrides templates ("" for the defaults) and key enables commands.
func newFixture(t testing.TB, tmplDir string, key []byte) *fixture {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse(filepath.Join(dir, "liaisond.yaml"), examples.Config)
	if err != nil {
		t.Fatal(err)
	}
	if key != nil {
		kf := filepath.Join(dir, "command.key")
		if err := os.WriteFile(kf, key, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg.Commands = &config.Commands{SecretFile: kf, Secret: config.Secret{File: kf}}
	}
	tmpl, err := templates.New(tmplDir)
	if err != nil {
		t.Fatal(err)
	}
	set, err := settings.New(cfg, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	n, err := New(Options{Settings: set, Now: func() time.Time { return testNow }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, set: set, n: n}
}

// statement stores a routed statement from ITU-T SG15 to CCAMP.
func (f *fixture) statement(t *testing.T, from liaison.Contact) *liaison.Record {
	t.Helper()
	r := &liaison.Record{ID: "LS-2026-0001", Received: testNow, State: liaison.StateOpen,
		Extraction: liaison.Extraction{Kind: liaison.KindStatement, MessageID: "sg15-1@itu.int", From: from,
			Title: "LS on alignment of the OTN topology YANG model", Purpose: liaison.PurposeAction, Deadline: liaison.Date{Year: 2027, Month: 3, Day: 15}},
		Routing: liaison.Routing{OrgID: "itu-t-sg15", OrgName: "ITU-T Study Group 15", Groups: []string{"ccamp"},
			Managers: []liaison.Contact{{Name: "Jane Doe", Email: "jane.doe@example.org"}, {Name: "Kenji Sato", Email: "kenji.sato@example.org"}}}}
	if err := f.db.Update(func(tx *store.Tx) error { return tx.PutRecord(r) }); err != nil {
		t.Fatal(err)
	}
	return r
}

// queue queues m in its own transaction, which must commit.
func (f *fixture) queue(t *testing.T, m Mail) Queued {
	t.Helper()
	var q Queued
	if err := f.db.Update(func(tx *store.Tx) (err error) {
		q, err = f.n.Queue(tx, m, testNow)
		return err
	}); err != nil {
		t.Fatalf("queue %s: the transaction failed: %v", m.Kind, err)
	}
	return q
}

func (f *fixture) outbox(t *testing.T) []*store.OutboxEntry {
	t.Helper()
	var out []*store.OutboxEntry
	_ = f.db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error { out = append(out, e); return nil })
	})
	return out
}

// textOf decodes the text body of a built single-part mail.
func textOf(t *testing.T, raw []byte) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (f *fixture) events(t *testing.T, id string) []liaison.Event {
	t.Helper()
	var evs []liaison.Event
	_ = f.db.View(func(tx *store.Tx) (err error) { evs, err = tx.Events(id); return err })
	return evs
}

func TestQueueComposesOnceAndRecordsTheEvent(t *testing.T) {
	f := newFixture(t, "", nil)
	rec := f.statement(t, liaison.Contact{Email: "tsb-sg15@itu.int"})
	m := Mail{Kind: KindNotice, Record: rec, To: liaison.Contact{Name: "Jane Doe", Email: "Jane.Doe@example.org"}, Role: liaison.RoleManager}
	q := f.queue(t, m)
	if !q.Added || q.Failed != "" || q.Entry == nil {
		t.Fatalf("first queue: %+v", q)
	}
	if want := "LS-2026-0001|notice|jane.doe@example.org|"; q.Key.String() != want {
		t.Errorf("key %q, want %q", q.Key, want)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(q.Entry.Raw))
	if err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string]string{
		"X-Liaisond-Kind": "notice", "Auto-Submitted": "auto-generated", "In-Reply-To": "<sg15-1@itu.int>",
		"Message-Id": "<" + q.Entry.MessageID + ">", "List-Id": "<liaisond.ietf.example>",
	} {
		if got := msg.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if rt := msg.Header.Get("Reply-To"); rt != "" {
		t.Errorf("Reply-To %q without commands configured", rt)
	}
	// The same key again: nothing more, no second event.
	if q2 := f.queue(t, m); q2.Added {
		t.Errorf("second queue added %+v", q2)
	}
	if n := len(f.outbox(t)); n != 1 {
		t.Errorf("outbox has %d entries, want 1", n)
	}
	var queued int
	for _, ev := range f.events(t, rec.ID) {
		if ev.Type == liaison.EventQueued {
			queued++
		}
	}
	if queued != 1 {
		t.Errorf("%d queued events, want 1", queued)
	}
}

// mixedMails are six mails about rec (and a copy of it as another
// statement): two notices, the first key again, one that cannot be
// written, one about the other statement, one without an address.
func mixedMails(rec *liaison.Record) []Mail {
	other := *rec
	other.ID = "LS-2026-0002"
	jane := liaison.Contact{Name: "Jane Doe", Email: "jane.doe@example.org"}
	return []Mail{
		{Kind: KindNotice, Record: rec, To: jane, Role: liaison.RoleManager},
		{Kind: KindNotice, Record: rec, To: liaison.Contact{Name: "Kenji Sato", Email: "kenji.sato@example.org"}, Role: liaison.RoleManager},
		{Kind: KindNotice, Record: rec, To: liaison.Contact{Email: "JANE.DOE@example.org"}, Role: liaison.RoleManager}, // the first key again
		{Kind: KindMisdirection, Record: rec, To: liaison.Contact{Email: "tsb@[192.0.2.1]"}, Role: liaison.RoleSender}, // cannot be written
		{Kind: KindNotice, Record: &other, To: jane, Role: liaison.RoleManager},
		{Kind: KindNotice, Record: rec, Role: liaison.RoleManager}, // no address: nothing
	}
}

// QueueAll is Queue for each mail in turn: the same entries (the bytes
// too), the same results in the same order, a key queued once however
// often it comes, and a mail that cannot be composed is that mail's
// problem only.
func TestQueueAllIsQueueForEach(t *testing.T) {
	f := newFixture(t, "", []byte("command key"))
	ms := mixedMails(f.statement(t, liaison.Contact{Email: "tsb-sg15@itu.int"}))
	var got []Queued
	if err := f.db.Update(func(tx *store.Tx) (err error) {
		got, err = f.n.QueueAll(tx, ms, testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	one := newFixture(t, "", []byte("command key"))
	one.statement(t, liaison.Contact{Email: "tsb-sg15@itu.int"})
	if len(got) != len(ms) {
		t.Fatalf("%d results for %d mails", len(got), len(ms))
	}
	for i, m := range ms {
		want := one.queue(t, m)
		g := got[i]
		if g.Key != want.Key || g.Added != want.Added || g.Failed != want.Failed || (g.Entry == nil) != (want.Entry == nil) {
			t.Errorf("mail %d: QueueAll %+v, Queue %+v", i, g, want)
			continue
		}
		if g.Entry != nil && !bytes.Equal(g.Entry.Raw, want.Entry.Raw) {
			t.Errorf("mail %d: QueueAll built\n%s\nQueue built\n%s", i, g.Entry.Raw, want.Entry.Raw)
		}
		// Nothing shared between the mails: the same bytes.
		if g.Entry != nil && g.Failed == "" {
			alone, err := compose(f.set.Current(), g.Key, m, nil, testNow)
			if err != nil || !bytes.Equal(g.Entry.Raw, alone.Raw) {
				t.Errorf("mail %d: QueueAll built\n%s\ncomposing it alone built (%v)\n%s", i, g.Entry.Raw, err, alone.Raw)
			}
		}
	}
	if !got[0].Added || got[2].Added || got[2].Entry != nil || !got[3].Added || got[3].Failed == "" || got[5].Added {
		t.Errorf("results %+v", got)
	}
	if a, b := len(f.outbox(t)), len(one.outbox(t)); a != b || a != 5 { // 3 notices, 1 failed, its report
		t.Errorf("outbox: %d entries after QueueAll, %d after Queue, want 5", a, b)
	}
}

// A Batch is QueueAll however its mails are cut into Adds: the mails of
// each Add are composed in the background while the caller goes on, and
// Flush queues them all, in order, with the same results and bytes; a key
// that comes again in a later Add is queued once.
func TestBatchIsQueueAll(t *testing.T) {
	one := newFixture(t, "", []byte("command key"))
	var want []Queued
	wantMails := mixedMails(one.statement(t, liaison.Contact{Email: "tsb-sg15@itu.int"}))
	if err := one.db.Update(func(tx *store.Tx) (err error) {
		want, err = one.n.QueueAll(tx, wantMails, testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, cuts := range [][]int{{6}, {1, 1, 1, 1, 1, 1}, {2, 3, 1}, {0, 4, 0, 2}} {
		f := newFixture(t, "", []byte("command key"))
		ms := mixedMails(f.statement(t, liaison.Contact{Email: "tsb-sg15@itu.int"}))
		var got []Queued
		if err := f.db.Update(func(tx *store.Tx) (err error) {
			b := f.n.Batch(tx)
			at := 0
			for _, n := range cuts {
				b.Add(ms[at:at+n], testNow)
				at += n
			}
			got, err = b.Flush()
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("cuts %v: %d results, want %d", cuts, len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.Key != w.Key || g.Added != w.Added || g.Failed != w.Failed || (g.Entry == nil) != (w.Entry == nil) {
				t.Errorf("cuts %v, mail %d: Batch %+v, QueueAll %+v", cuts, i, g, w)
				continue
			}
			if g.Entry != nil && !bytes.Equal(g.Entry.Raw, w.Entry.Raw) {
				t.Errorf("cuts %v, mail %d: Batch built\n%s\nQueueAll built\n%s", cuts, i, g.Entry.Raw, w.Entry.Raw)
			}
		}
		if a, b := len(f.outbox(t)), len(one.outbox(t)); a != b {
			t.Errorf("cuts %v: outbox has %d entries, after QueueAll %d", cuts, a, b)
		}
	}
}

// A mail that cannot be composed is that mail's problem: the transaction
// commits, the outbox keeps it as failed with the reason, the statement's
// history says so and the IAB is told once.
func TestUncomposableMailIsRecordedFailedAndReportedOnce(t *testing.T) {
	brokenDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(brokenDir, "interim-reply.subject.tmpl"), []byte("Interim: {{.S.NoSuchField}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		tmplDir string
		kind    Kind
		to      liaison.Contact
		reason  string // in the failed entry's last error
	}{
		// `"tsb sg15"@itu.int` is written as it is (mailaddr.Writable); a
		// quoted local part with a quote in it is not.
		{"quoted local part with a quote", "", KindMisdirection, liaison.Contact{Name: "TSB", Email: `"tsb\"sg15"@itu.int`}, `cannot write address "\"tsb\\\"sg15\"@itu.int": quoted local part with a quote`},
		{"non-ASCII local part", "", KindMisdirection, liaison.Contact{Name: "Jürgen", Email: "jürgen@itu.int"}, "non-ASCII local part (needs SMTPUTF8"},
		{"domain literal", "", KindMisdirection, liaison.Contact{Email: "tsb@[192.0.2.1]"}, "domain is not a host name"},
		{"template error", brokenDir, KindInterimReply, liaison.Contact{Email: "jane.doe@example.org"}, "render interim-reply"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.tmplDir, nil)
			rec := f.statement(t, tc.to)
			m := Mail{Kind: tc.kind, Record: rec, To: tc.to, Role: liaison.RoleSender}
			q := f.queue(t, m)
			if !q.Added || !strings.Contains(q.Failed, tc.reason) {
				t.Fatalf("queue: added %v, failed %q; want the reason %q", q.Added, q.Failed, tc.reason)
			}
			f.queue(t, m) // a retried transaction, a second pass: still one report
			var failed, reports []*store.OutboxEntry
			for _, e := range f.outbox(t) {
				switch {
				case e.Kind == string(tc.kind):
					failed = append(failed, e)
				case e.Kind == string(KindDeliveryFailure):
					reports = append(reports, e)
				default:
					t.Errorf("unexpected mail %s to %s", e.Kind, e.Recipient)
				}
			}
			if len(failed) != 1 || failed[0].State != store.OutboxFailed || !strings.Contains(failed[0].LastError, tc.reason) || !failed[0].Reported || len(failed[0].Raw) != 0 {
				t.Fatalf("failed entries %+v", failed)
			}
			if len(reports) != 1 || reports[0].Recipient != "liaison-coordination@iab.example" || reports[0].State != store.OutboxQueued {
				t.Fatalf("reports %+v", reports)
			}
			body := textOf(t, reports[0].Raw)
			for _, want := range []string{"could not be composed", rec.ID, failed[0].Key} {
				if !strings.Contains(body, want) {
					t.Errorf("report lacks %q:\n%s", want, body)
				}
			}
			var types []liaison.EventType
			for _, ev := range f.events(t, rec.ID) {
				types = append(types, ev.Type)
			}
			if !slices.Contains(types, liaison.EventComposeFailed) {
				t.Errorf("history %v lacks %s", types, liaison.EventComposeFailed)
			}
		})
	}
}

// A delivery failure is reported once; a failed report is never reported.
func TestReportFailure(t *testing.T) {
	f := newFixture(t, "", nil)
	rec := f.statement(t, liaison.Contact{Email: "tsb-sg15@itu.int"})
	q := f.queue(t, Mail{Kind: KindNotice, Record: rec, To: liaison.Contact{Email: "old-chair@example.org"}, Role: liaison.RoleChair})
	e := q.Entry
	e.State, e.LastError, e.Attempts = store.OutboxFailed, "550 5.1.1 no such user", 1
	report := func(e *store.OutboxEntry) {
		t.Helper()
		if err := f.db.Update(func(tx *store.Tx) error {
			if err := f.n.ReportFailure(tx, e); err != nil {
				return err
			}
			return tx.PutOutbox(e)
		}); err != nil {
			t.Fatal(err)
		}
	}
	report(e)
	if !e.Reported {
		t.Error("entry not marked reported")
	}
	e.Reported = false // as `outbox retry` leaves it
	report(e)
	var reports []*store.OutboxEntry
	for _, o := range f.outbox(t) {
		if o.Kind == string(KindDeliveryFailure) {
			reports = append(reports, o)
		}
	}
	if len(reports) != 1 || !strings.Contains(textOf(t, reports[0].Raw), "550 5.1.1 no such user") {
		t.Fatalf("reports: %d", len(reports))
	}
	// The report fails too: no report of the report.
	r := reports[0]
	r.State = store.OutboxFailed
	report(r)
	if n := len(f.outbox(t)); n != 2 {
		t.Errorf("outbox has %d entries after a failed report, want 2", n)
	}
}

func TestReplyToCarriesTheTokenOnlyForPeopleWithARole(t *testing.T) {
	key := []byte("notify test key")
	f := newFixture(t, "", key)
	rec := f.statement(t, liaison.Contact{Email: "tsb-sg15@itu.int"})
	want, err := commands.ReplyAddress("statements@ietf.example", key, rec.ID, testNow)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		to    string
		token bool
	}{
		{"jane.doe@example.org", true},             // manager
		{"ccamp-chairs@ietf.example", true},        // chair of a target group
		{"liaison-coordination@iab.example", true}, // the IAB
		{"tsb-sg15@itu.int", false},                // the peer
		{"marco.rossi@example.org", false},         // manager of another organization
		{"teas-chairs@ietf.example", false},        // chair of another group
	}
	for _, tc := range tests {
		q := f.queue(t, Mail{Kind: KindNotice, Record: rec, To: liaison.Contact{Email: tc.to}, Role: liaison.RoleManager})
		msg, err := mail.ReadMessage(bytes.NewReader(q.Entry.Raw))
		if err != nil {
			t.Fatal(err)
		}
		rt := msg.Header.Get("Reply-To")
		if got := strings.Contains(rt, want); got != tc.token {
			t.Errorf("to %s: Reply-To %q, token %v, want %v", tc.to, rt, got, tc.token)
		}
	}
}

func TestMutedQueuesNothing(t *testing.T) {
	f := newFixture(t, "", nil)
	f.n.opt.Mute = true
	rec := f.statement(t, liaison.Contact{Email: `"tsb sg15"@itu.int`})
	if q := f.queue(t, Mail{Kind: KindMisdirection, Record: rec, To: rec.Extraction.From}); q.Added {
		t.Errorf("muted notifier added %+v", q)
	}
	if n := len(f.outbox(t)); n != 0 {
		t.Errorf("outbox has %d entries", n)
	}
}

// listCopy is a mail as Mailman 3 delivers it to subscribers, with from
// as its From line.
func listCopy(from string) string {
	return from + "\r\nTo: wg@lists.example\r\nSubject: [WG] LS on x\r\nPrecedence: list\r\nList-Id: WG <wg.lists.example>\r\n" +
		"List-Post: <mailto:wg@lists.example>\r\nX-BeenThere: wg@lists.example\r\nSender: wg-bounces@lists.example\r\n\r\nbody\r\n"
}

// TestFromPerson: a list's copy may be answered but is not a person's own
// mail (it carries no command and acknowledges nothing).
func TestFromPerson(t *testing.T) {
	f := newFixture(t, "", nil)
	s := f.set.Current()
	rec := &liaison.Record{Extraction: liaison.Extraction{Kind: liaison.KindReply, From: liaison.Contact{Email: "jane.doe@example.org"}}}
	direct := []byte("From: Jane Doe <jane.doe@example.org>\r\nSubject: Re: x\r\n\r\nack\r\n")
	if ok, why := FromPerson(s, rec, direct); !ok {
		t.Errorf("a manager's own mail: %s", why)
	}
	ok, why := FromPerson(s, rec, []byte(listCopy("From: Jane Doe <jane.doe@example.org>")))
	if ok || why != "delivered by the mailing list wg.lists.example" {
		t.Errorf("a list's copy: %v, %q", ok, why)
	}
	if l, ok := ListDelivered([]byte("From: a@b.example\r\nX-Mailing-List: <wg@lists.example> archive/latest/12\r\n\r\nx\r\n")); !ok || l != "wg@lists.example" {
		t.Errorf("X-Mailing-List: %q, %v", l, ok)
	}
	if _, ok := ListDelivered(direct); ok {
		t.Error("a direct mail counts as a list's copy")
	}
}

func TestAnswerable(t *testing.T) {
	f := newFixture(t, "", nil)
	s := f.set.Current()
	rec := func(mod func(*liaison.Extraction)) *liaison.Record {
		r := &liaison.Record{Extraction: liaison.Extraction{Kind: liaison.KindStatement, From: liaison.Contact{Email: "tsb-sg15@itu.int"}}}
		if mod != nil {
			mod(&r.Extraction)
		}
		return r
	}
	tests := []struct {
		name string
		rec  *liaison.Record
		raw  string
		ok   bool
	}{
		{"a person", rec(nil), "", true},
		{"Auto-Submitted: no", rec(func(x *liaison.Extraction) { x.AutoSubmit = "no" }), "", true},
		{"no sender", rec(func(x *liaison.Extraction) { x.From.Email = "" }), "", false},
		{"auto-replied", rec(func(x *liaison.Extraction) { x.AutoSubmit = "auto-replied" }), "", false},
		{"bounce", rec(func(x *liaison.Extraction) { x.Kind = liaison.KindBounce }), "", false},
		{"auto-reply", rec(func(x *liaison.Extraction) { x.Kind = liaison.KindAutoreply }), "", false},
		{"own mail by header", rec(func(x *liaison.Extraction) { x.OwnMail = true }), "", false},
		{"own address", rec(func(x *liaison.Extraction) { x.From.Email = "liaisond@ietf.example" }), "", false},
		{"mailer-daemon", rec(func(x *liaison.Extraction) { x.From.Email = "MAILER-DAEMON@itu.int" }), "", false},
		{"no-reply", rec(func(x *liaison.Extraction) { x.From.Email = "no-reply@3gpp.org" }), "", false},
		{"list owner", rec(func(x *liaison.Extraction) { x.From.Email = "ccamp-owner@ietf.example" }), "", false},
		{"liaison alias", rec(func(x *liaison.Extraction) { x.From.Email = "Liaison-Statements@ietf.example" }), "", false},
		{"a WG list", rec(func(x *liaison.Extraction) { x.From.Email = "ccamp@ietf.example" }), "", false},
		{"Precedence: bulk", rec(nil), "From: tsb-sg15@itu.int\r\nPrecedence: bulk\r\nSubject: x\r\n\r\nbody\r\n", false},
		{"a list's copy of a person's mail", rec(nil), listCopy("From: TSB <tsb-sg15@itu.int>"), true},
		{"a list that rewrote From to itself", rec(func(x *liaison.Extraction) { x.From.Email = "wg@lists.example" }), listCopy("From: TSB via WG <wg@lists.example>"), false},
		{"From with two addresses", rec(nil), "From: tsb-sg15@itu.int, other@itu.int\r\nSubject: x\r\n\r\nbody\r\n", false},
		{"From not parseable", rec(nil), "From: TSB <tsb-sg15@itu.int\r\nSubject: x\r\n\r\nbody\r\n", false},
		{"From is someone else than extracted", rec(nil), "From: other@itu.int\r\nSubject: x\r\n\r\nbody\r\n", false},
	}
	for _, tc := range tests {
		var raw []byte
		if tc.raw != "" {
			raw = []byte(tc.raw)
		}
		ok, why := Answerable(s, tc.rec, raw)
		if ok != tc.ok {
			t.Errorf("%s: answerable %v (%s), want %v", tc.name, ok, why, tc.ok)
		}
		if !ok && why == "" {
			t.Errorf("%s: refused without a reason", tc.name)
		}
	}
}

// A statement to a peer: every address it names in To, the copies in Cc,
// each recipient once in the envelope, the peer's Reply-To instead of a
// command address, threaded to the statement it answers (never to
// itself), the files attached, and the Message-ID MessageID promised.
func TestStatementToAPeer(t *testing.T) {
	f := newFixture(t, "", []byte("a command key"))
	in := f.statement(t, liaison.Contact{Email: "tsb-sg15@itu.int"})
	out := &liaison.Record{ID: "LS-2026-0002", State: liaison.StateOpen, Received: testNow,
		Extraction: liaison.Extraction{Kind: liaison.KindStatement, Direction: liaison.Outgoing, Title: "LS/r on OTN"},
		Routing:    liaison.Routing{OrgID: "itu-t-sg15", Groups: []string{"ccamp"}, Managers: in.Routing.Managers}}
	m := Mail{Kind: KindStatement, Record: out, To: liaison.Contact{Email: "tsbsg15@itu.int"},
		Also:        []liaison.Contact{{Name: "Hiroshi Tanaka", Email: "h.tanaka@example.net"}, {Email: "TSBSG15@itu.int"}},
		Cc:          []liaison.Contact{{Email: "statements@ietf.example"}, {Email: "jane.doe@example.org"}, {Email: "h.tanaka@example.net"}},
		ReplyTo:     &liaison.Contact{Name: "IETF liaison statements", Email: "statements@ietf.example"},
		InReplyTo:   in.Extraction.MessageID,
		Extra:       map[string]string{"subject": "LS from IETF CCAMP WG to ITU-T Study Group 15: LS/r on OTN", "sheet": "TITLE: LS/r on OTN\n"},
		Attachments: []outmail.Attachment{{Name: "LS-2026-0002.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 sheet")}},
	}
	mid := MessageID(f.set.Current(), m.Key())
	out.Extraction.MessageID = mid // as MarkSent records it before the mail is queued
	q := f.queue(t, m)
	if !q.Added || q.Failed != "" {
		t.Fatalf("queued %+v", q)
	}
	e := q.Entry
	if e.MessageID != mid {
		t.Errorf("Message-ID %s, want %s", e.MessageID, mid)
	}
	if want := []string{"tsbsg15@itu.int", "h.tanaka@example.net", "statements@ietf.example", "jane.doe@example.org"}; !slices.Equal(e.Rcpts, want) {
		t.Errorf("envelope %v, want %v", e.Rcpts, want)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(e.Raw))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	for name, want := range map[string]string{
		"To":          "<tsbsg15@itu.int>, \"Hiroshi Tanaka\" <h.tanaka@example.net>",
		"Reply-To":    "\"IETF liaison statements\" <statements@ietf.example>",
		"In-Reply-To": "<sg15-1@itu.int>",
		"Subject":     "LS from IETF CCAMP WG to ITU-T Study Group 15: LS/r on OTN",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/mixed") || !bytes.Contains(e.Raw, []byte("LS-2026-0002.pdf")) {
		t.Errorf("Content-Type %q; the PDF is not attached", ct)
	}
	// Without an answered statement, the mail does not thread to itself.
	m.InReplyTo, m.Period = "", "again"
	out.Extraction.MessageID = MessageID(f.set.Current(), m.Key())
	q = f.queue(t, m)
	if bytes.Contains(q.Entry.Raw, []byte("In-Reply-To:")) {
		t.Error("a statement threads to itself")
	}
}
