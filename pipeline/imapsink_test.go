package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/hostile"
	"github.com/ietf-tools/liaisond/internal/samplemail"
	"github.com/ietf-tools/liaisond/internal/testsvc"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
	"github.com/ietf-tools/liaisond/store"
)

// The poison messages' markers: a header the test's fault hook reacts to,
// and a PDF the test's PDF reader panics on.
const (
	faultHeader = "X-Test-Fault"
	panicPDF    = "PANIC-IN-THE-EXTRACTOR"
)

// testFault is the fault-injection hook of these tests: inside the
// recording transaction it fails ("error"), panics ("panic") or kills the
// process ("kill", as an out-of-memory kill would) on a message carrying
// X-Test-Fault.
func testFault(in Input) error {
	hdr, _, _ := bytes.Cut(in.Raw, []byte("\r\n\r\n"))
	m := regexp.MustCompile(`(?m)^` + faultHeader + `: (\w+)`).FindSubmatch(hdr)
	if m == nil {
		return nil
	}
	switch string(m[1]) {
	case "error":
		return errors.New("injected failure inside the recording transaction")
	case "panic":
		panic("injected panic inside the recording transaction")
	case "kill":
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
	}
	return nil
}

// testPDFReader stands in for the PDF sandbox: it panics on the marked PDF
// (a panic inside the extractor) and finds no text in the others.
func testPDFReader(b []byte) (string, error) {
	if bytes.Contains(b, []byte(panicPDF)) {
		panic("injected panic inside the extractor")
	}
	return "", pdftext.ErrNoText
}

// poisonPipeline is a pipeline on dataDir with the test's fault hook and
// PDF reader.
func poisonPipeline(t testing.TB, dataDir string) (*Pipeline, *store.DB) {
	t.Helper()
	p, db, _ := newTestIn(t, dataDir, func(o *Options) {
		o.PDFText = func() func([]byte) (string, error) { return testPDFReader }
	})
	p.fault = testFault
	return p, db
}

func poisonWatcher(t testing.TB, d *testsvc.Dovecot, sink imapwatch.Sink) *imapwatch.Watcher {
	t.Helper()
	w, err := imapwatch.New(imapwatch.Options{
		Address: d.Addr(), TLS: imapwatch.TLSNone, Username: d.User(), Password: d.Password(),
		Folders: []imapwatch.Folder{{Name: "INBOX"}}, ProcessedFolder: "Processed", FailedFolder: "Failed",
		BatchSize: 5, MaxAttempts: 3, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, sink)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// withHeader adds a header field at the top of raw.
func withHeader(raw []byte, field string) []byte {
	return append([]byte(field+"\r\n"), raw...)
}

// pdfPoison is a statement whose attached PDF makes the extractor panic.
func pdfPoison(n int) []byte {
	return []byte(fmt.Sprintf("From: secretariat@itu.int\r\nTo: statements@ietf.example\r\nSubject: poison pdf %d\r\n"+
		"Date: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <poison-pdf-%d@itu.int>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nLS attached.\r\n"+
		"--b\r\nContent-Type: application/pdf; name=\"LS.pdf\"\r\n\r\n%%PDF-1.4 %s\r\n--b--\r\n", n, n, panicPDF))
}

// recordsByOrigin reads every record by its origin ("imap:INBOX/7").
func recordsByOrigin(t *testing.T, db *store.DB) map[string]*liaison.Record {
	t.Helper()
	out := map[string]*liaison.Record{}
	_ = db.View(func(tx *store.Tx) error {
		return tx.ForEachRecord(func(r *liaison.Record) error {
			out[r.Origin] = r
			return nil
		})
	})
	return out
}

func problemDetails(r *liaison.Record) string {
	var s []string
	for _, p := range r.Extraction.Problems {
		s = append(s, p.Code+": "+p.Detail)
	}
	return strings.Join(s, "; ")
}

// Poison messages of every kind between good statements, over a real
// Dovecot: every good statement is recorded, every poison is kept (raw
// bytes and a record), those that cannot be recorded or understood are in
// the failed folder with their reason, and the sync terminates.
func TestPoisonMessagesDoNotStallTheFolder(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	type sent struct {
		kind       string
		raw        []byte
		wantFailed string // "" = recorded normally; else a text the failed record's problems hold
	}
	var msgs []sent
	good := 0
	addGood := func() {
		msgs = append(msgs, sent{kind: "good", raw: samplemail.Statement(good, 3000, true)})
		good++
	}
	addGood()
	for _, p := range []sent{
		{"fails in the transaction", withHeader(samplemail.Statement(900, 3000, true), faultHeader+": error"), "given up after 3 attempts: 3 failed (last: imapwatch: deliver 1 messages"},
		{"panics in the transaction", withHeader(samplemail.Statement(901, 3000, true), faultHeader+": panic"), "panic while recording: injected panic"},
		{"panics in the extractor", pdfPoison(902), "internal error while parsing: injected panic inside the extractor"},
	} {
		msgs = append(msgs, p)
		addGood()
		addGood()
	}
	for _, h := range hostile.All(1000, hostile.Quick) {
		msgs = append(msgs, sent{kind: h.Kind, raw: h.Raw, wantFailed: "?"})
		addGood()
	}
	c := d.Client(t)
	for _, m := range msgs {
		d.AppendWith(t, c, "INBOX", m.raw)
	}
	c.Close()
	// The server may normalize what it was given (bare CRs, NULs): compare
	// with what it serves.
	for i, raw := range d.Messages(t, "INBOX") {
		msgs[i].raw = raw
	}

	p, db := poisonPipeline(t, t.TempDir())
	w := poisonWatcher(t, d, IMAPSink{P: p, DB: db})
	done := make(chan error, 1)
	go func() { done <- w.SyncOnce(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("SyncOnce: %v", err)
		}
	case <-time.After(5 * time.Minute):
		t.Fatal("the sync did not terminate within 5 minutes")
	}

	if left := d.UIDs(t, "INBOX"); len(left) != 0 {
		t.Fatalf("INBOX still holds %v", left)
	}
	recs := recordsByOrigin(t, db)
	failedRaw := d.Messages(t, "Failed")
	inFailed := func(raw []byte) bool {
		for _, f := range failedRaw {
			if bytes.Equal(f, raw) {
				return true
			}
		}
		return false
	}
	statements := 0
	for i, m := range msgs {
		uid := i + 1 // a fresh mailbox numbers the appends from 1
		r := recs[fmt.Sprintf("imap:INBOX/%d", uid)]
		if r == nil {
			t.Errorf("UID %d (%s) has no record", uid, m.kind)
			continue
		}
		var raw []byte
		_ = db.View(func(tx *store.Tx) (err error) { raw, err = tx.Raw(r.RawKey); return err })
		if !bytes.Equal(raw, m.raw) {
			t.Errorf("UID %d (%s): raw bytes not kept (%d bytes stored, %d sent)", uid, m.kind, len(raw), len(m.raw))
		}
		switch m.wantFailed {
		case "":
			if !strings.HasPrefix(r.ID, "LS-") || r.State == liaison.StateFailed {
				t.Errorf("good statement UID %d recorded as %s %s: %s", uid, r.ID, r.State, problemDetails(r))
			}
			if inFailed(m.raw) {
				t.Errorf("good statement UID %d in the failed folder", uid)
			}
			statements++
		case "?": // generated hostile input: kept; failed or not as the parser judges
			if (r.State == liaison.StateFailed) != inFailed(m.raw) {
				t.Errorf("hostile %s (UID %d): state %s but in the failed folder: %v", m.kind, uid, r.State, inFailed(m.raw))
			}
			t.Logf("hostile %-22s -> %s %s %s", m.kind, r.ID, r.State, problemDetails(r))
		default:
			if r.State != liaison.StateFailed || !strings.Contains(problemDetails(r), m.wantFailed) {
				t.Errorf("poison %q (UID %d): %s %s, problems %q; want failed with %q", m.kind, uid, r.ID, r.State, problemDetails(r), m.wantFailed)
			}
			if !inFailed(m.raw) {
				t.Errorf("poison %q (UID %d) is not in the failed folder", m.kind, uid)
			}
		}
	}
	if statements != good {
		t.Errorf("%d of %d good statements recorded", statements, good)
	}
	if n := len(d.UIDs(t, "Processed")) + len(failedRaw); n != len(msgs) {
		t.Errorf("Processed + Failed hold %d messages, want %d", n, len(msgs))
	}
	_ = db.View(func(tx *store.Tx) error {
		cp, _ := tx.Checkpoint("INBOX")
		if int(cp.LastUID) != len(msgs) {
			t.Errorf("checkpoint %+v, want past UID %d", cp, len(msgs))
		}
		if left, _ := tx.Attempts("INBOX", cp.UIDValidity); len(left) != 0 {
			t.Errorf("attempts left behind: %+v", left)
		}
		return nil
	})
}

// With LIAISOND_POISON_CHILD set, TestMain runs one "daemon" sync over the
// Dovecot and data dir named in the environment instead of the tests: the
// child of TestMessageThatKillsTheDaemon.
func TestMain(m *testing.M) {
	if os.Getenv("LIAISOND_POISON_CHILD") != "" {
		os.Exit(poisonChild())
	}
	os.Exit(m.Run())
}

func poisonChild() int {
	t := &childT{}
	p, db := poisonPipeline(t, os.Getenv("LIAISOND_POISON_DATA"))
	defer db.Close()
	w, err := imapwatch.New(imapwatch.Options{
		Address: os.Getenv("LIAISOND_POISON_ADDR"), TLS: imapwatch.TLSNone, Username: "liaison", Password: "secret",
		Folders: []imapwatch.Folder{{Name: "INBOX"}}, ProcessedFolder: "Processed", FailedFolder: "Failed", MaxAttempts: 3,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
	}, IMAPSink{P: p, DB: db})
	if err == nil {
		err = w.SyncOnce(context.Background())
	}
	if err != nil || t.failed {
		fmt.Fprintln(os.Stderr, "child:", err, t.msg)
		return 3
	}
	return 0
}

// childT lets the test helpers run in the child process.
type childT struct {
	testing.TB
	failed bool
	msg    string
}

func (c *childT) Helper()                           {}
func (c *childT) Cleanup(func())                    {}
func (c *childT) Fatal(args ...any)                 { c.failed, c.msg = true, fmt.Sprint(args...); panic(c.msg) }
func (c *childT) Fatalf(format string, args ...any) { c.Fatal(fmt.Sprintf(format, args...)) }

// A message that kills the daemon (SIGKILL, as the kernel's OOM killer
// would) each time it is processed is given up on after MaxAttempts runs:
// the attempts are counted on disk before processing. The good messages
// around it are all recorded.
func TestMessageThatKillsTheDaemon(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	killer := withHeader(samplemail.Statement(50, 3000, true), faultHeader+": kill")
	c := d.Client(t)
	for i := 0; i < 4; i++ {
		d.AppendWith(t, c, "INBOX", samplemail.Statement(i, 3000, true))
		if i == 1 {
			d.AppendWith(t, c, "INBOX", killer) // UID 3
		}
	}
	c.Close()
	dataDir := t.TempDir()
	var killed int
	for run := 1; ; run++ {
		if run > 6 {
			t.Fatalf("still not done after %d runs", run-1)
		}
		cmd := exec.Command(os.Args[0], "-test.run", "^$")
		cmd.Env = append(os.Environ(), "LIAISOND_POISON_CHILD=1", "LIAISOND_POISON_DATA="+dataDir, "LIAISOND_POISON_ADDR="+d.Addr())
		out, err := cmd.CombinedOutput()
		if err == nil {
			break
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL {
			killed++
			continue
		}
		t.Fatalf("run %d: %v\n%s", run, err, out)
	}
	if killed != 3 {
		t.Errorf("the daemon was killed %d times, want 3 (MaxAttempts)", killed)
	}
	db, err := store.Open(dataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs := recordsByOrigin(t, db)
	for uid := 1; uid <= 5; uid++ {
		r := recs[fmt.Sprintf("imap:INBOX/%d", uid)]
		switch {
		case r == nil:
			t.Errorf("UID %d not recorded", uid)
		case uid == 3:
			if r.State != liaison.StateFailed || !strings.Contains(problemDetails(r), "3 did not finish") {
				t.Errorf("killer: %s %s %q", r.ID, r.State, problemDetails(r))
			}
		case !strings.HasPrefix(r.ID, "LS-"):
			t.Errorf("UID %d recorded as %s", uid, r.ID)
		}
	}
	if f := d.Messages(t, "Failed"); len(f) != 1 || !bytes.Equal(f[0], killer) {
		t.Errorf("Failed folder holds %d messages, want the killer", len(f))
	}
	if p := d.UIDs(t, "Processed"); len(p) != 4 {
		t.Errorf("Processed holds %v, want 4", p)
	}
}

// A message prepared ahead (IMAPSink.Prepare, while the previous batch is
// recorded) is recorded from that extraction while the settings it was
// made with are in force, and parsed again after a reload.
func TestPreparedExtractionIsUsedWhileSettingsHold(t *testing.T) {
	p, db, _ := newTest(t)
	sink := IMAPSink{P: p, DB: db}
	folder := imapwatch.Folder{Name: "INBOX"}
	title := func(mid string) string {
		var got string
		_ = db.View(func(tx *store.Tx) error {
			id, ok := tx.ByMessageID(mid)
			if !ok {
				t.Fatalf("%s not recorded", mid)
			}
			r, err := tx.Record(id)
			if err != nil {
				t.Fatal(err)
			}
			got = r.Extraction.Title
			return nil
		})
		return got
	}
	for i, reload := range []bool{false, true} {
		mid := fmt.Sprintf("prepared-%d@itu.int", i)
		msgs := []imapwatch.Message{{Folder: folder, UID: uint32(i + 1), Raw: mailWith(mid)}}
		sink.Prepare(folder, msgs)
		x, ok := msgs[0].Prepared.(*Parsed)
		if !ok || x.x.Title != "LS on alignment of the OTN topology YANG model" {
			t.Fatalf("Prepare left %#v", msgs[0].Prepared)
		}
		x.x.Title = "marked ahead" // to see which extraction is recorded
		if reload {
			if err := p.set.Reload(p.set.Config(), nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := sink.Deliver(context.Background(), folder, 1, msgs); err != nil {
			t.Fatal(err)
		}
		want := "marked ahead"
		if reload {
			want = "LS on alignment of the OTN topology YANG model"
		}
		if got := title(mid); got != want {
			t.Errorf("reload %v: recorded title %q, want %q", reload, got, want)
		}
	}
}
