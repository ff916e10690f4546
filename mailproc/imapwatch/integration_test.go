package imapwatch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// fakeSink records batches and checkpoints in memory, like the store
// would in one transaction, and can be told to fail.
type fakeSink struct {
	memAttempts
	mu        sync.Mutex
	cps       map[string]Checkpoint
	msgs      map[string][]Message // by folder, in delivery order
	seen      map[string]int       // folder/uidvalidity/uid -> deliveries
	batches   int
	failNext  int  // fail this many Deliver calls
	broken    bool // fail every Deliver and Reject
	notUnders string
	// poison makes Deliver fail for any batch holding a message that
	// contains it.
	poison   string
	rejected map[string][]Message // by folder: messages given up on
	reasons  map[uint32]string    // UID -> reason given to Reject
	notify   chan struct{}
}

func newFakeSink() *fakeSink {
	return &fakeSink{cps: map[string]Checkpoint{}, msgs: map[string][]Message{}, seen: map[string]int{},
		rejected: map[string][]Message{}, reasons: map[uint32]string{}, notify: make(chan struct{}, 1000)}
}

func (s *fakeSink) Checkpoint(folder string) (Checkpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cps[folder], nil
}

func (s *fakeSink) Deliver(_ context.Context, f Folder, uidv uint32, msgs []Message) ([]Outcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken {
		return nil, fmt.Errorf("%w: disk full (injected)", ErrSinkUnavailable)
	}
	if s.failNext > 0 {
		s.failNext--
		return nil, errors.New("batch failure (injected)")
	}
	for _, m := range msgs {
		if s.poison != "" && bytes.Contains(m.Raw, []byte(s.poison)) {
			return nil, fmt.Errorf("poison in UID %d (injected)", m.UID)
		}
	}
	outs := make([]Outcome, len(msgs))
	var top uint32
	for i, m := range msgs {
		if m.UIDValidity != uidv || m.Folder != f {
			return nil, fmt.Errorf("message %d has folder %v/%d, batch %v/%d", m.UID, m.Folder, m.UIDValidity, f, uidv)
		}
		top = max(top, m.UID)
		s.msgs[f.Name] = append(s.msgs[f.Name], m)
		s.seen[fmt.Sprintf("%s/%d/%d", f.Name, uidv, m.UID)]++
		outs[i] = Outcome{Understood: s.notUnders == "" || !bytes.Contains(m.Raw, []byte(s.notUnders))}
	}
	s.cps[f.Name] = Checkpoint{UIDValidity: uidv, LastUID: top}
	s.clear(f.Name, uidv, top)
	s.batches++
	s.notify <- struct{}{}
	return outs, nil
}

func (s *fakeSink) Reject(_ context.Context, f Folder, uidv uint32, m Message, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken {
		return fmt.Errorf("%w: disk full (injected)", ErrSinkUnavailable)
	}
	s.rejected[f.Name] = append(s.rejected[f.Name], m)
	s.reasons[m.UID] = reason
	s.cps[f.Name] = Checkpoint{UIDValidity: uidv, LastUID: max(s.cps[f.Name].LastUID, m.UID)}
	s.clear(f.Name, uidv, m.UID)
	return nil
}

// count returns how many messages folder received.
func (s *fakeSink) count(folder string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs[folder])
}

// duplicates lists keys delivered more than once.
func (s *fakeSink) duplicates() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var d []string
	for k, n := range s.seen {
		if n > 1 {
			d = append(d, k)
		}
	}
	return d
}

// waitCount waits until folder has received n messages.
func (s *fakeSink) waitCount(t *testing.T, folder string, n int, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for s.count(folder) < n {
		select {
		case <-s.notify:
		case <-deadline:
			t.Fatalf("folder %s: %d messages delivered after %v, want %d", folder, s.count(folder), within, n)
		}
	}
}

func testMessage(i int, subject string) []byte {
	return []byte(fmt.Sprintf("From: ls@itu.example\r\nTo: statements@ietf.example\r\n"+
		"Message-ID: <m%d@itu.example>\r\nSubject: %s %d\r\n\r\nLiaison statement body %d.\r\n", i, subject, i, i))
}

func appendN(t testing.TB, d *testsvc.Dovecot, folder string, from, n int, subject string) [][]byte {
	t.Helper()
	c := d.Client(t)
	defer c.Close()
	var raws [][]byte
	for i := from; i < from+n; i++ {
		raw := testMessage(i, subject)
		d.AppendWith(t, c, folder, raw)
		raws = append(raws, raw)
	}
	return raws
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func baseOptions(t testing.TB, d *testsvc.Dovecot) Options {
	return Options{
		Address: d.Addr(), TLS: TLSNone, Username: d.User(), Password: d.Password(),
		Folders: []Folder{{Name: "INBOX"}}, ProcessedFolder: "Processed",
		PollInterval: 500 * time.Millisecond, Logger: testLogger(t),
	}
}

func newWatcher(t testing.TB, opt Options, sink Sink) *Watcher {
	t.Helper()
	w, err := New(opt, sink)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	w.temp.base = 100 * time.Millisecond
	return w
}

// runWatcher runs w in the background until the test ends, and returns a
// function that stops it and returns Run's error.
func runWatcher(t *testing.T, w *Watcher) func() error {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				err = errors.New("Run did not return within 10s of cancel")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// waitSynced waits until every folder has been synced once.
func waitSynced(t *testing.T, w *Watcher) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok := true
		for _, s := range w.Status() {
			ok = ok && s.Connected && !s.LastSync.IsZero()
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("watcher not synced: %+v", w.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSyncOnceDeliversBatchesAndMoves(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	raws := appendN(t, d, "INBOX", 1, 25, "LS")
	sink := newFakeSink()
	opt := baseOptions(t, d)
	opt.BatchSize = 10
	clock := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	opt.Now = func() time.Time { return clock }
	w := newWatcher(t, opt, sink)
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	if sink.batches != 3 {
		t.Errorf("batches = %d, want 3 (25 messages by 10)", sink.batches)
	}
	got := sink.msgs["INBOX"]
	if len(got) != 25 {
		t.Fatalf("delivered %d messages, want 25", len(got))
	}
	for i, m := range got {
		if m.UID != uint32(i+1) || !bytes.Equal(m.Raw, raws[i]) || m.InternalDate.IsZero() {
			t.Fatalf("message %d: UID %d, date %v, raw %q; want UID %d raw %q", i, m.UID, m.InternalDate, m.Raw, i+1, raws[i])
		}
	}
	cp := sink.cps["INBOX"]
	if cp.LastUID != 25 || cp.UIDValidity == 0 {
		t.Errorf("checkpoint = %+v, want LastUID 25", cp)
	}
	if u := d.UIDs(t, "INBOX"); len(u) != 0 {
		t.Errorf("INBOX still holds %v", u)
	}
	if u := d.UIDs(t, "Processed"); len(u) != 25 {
		t.Errorf("Processed holds %d messages, want 25", len(u))
	}
	st := w.Status()
	if len(st) != 1 || st[0].LastUID != 25 || st[0].Delivered != 25 || !st[0].LastSync.Equal(clock) || st[0].Connected {
		t.Errorf("status = %+v", st)
	}
	// A second pass finds nothing new and delivers nothing twice.
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatalf("second SyncOnce: %v", err)
	}
	if sink.count("INBOX") != 25 || len(sink.duplicates()) != 0 {
		t.Errorf("second pass delivered again: %d, dups %v", sink.count("INBOX"), sink.duplicates())
	}
}

func TestRunIdleDeliversPromptly(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	sink := newFakeSink()
	opt := baseOptions(t, d)
	opt.PollInterval = time.Hour // only IDLE can bring the message in time
	w := newWatcher(t, opt, sink)
	stop := runWatcher(t, w)
	waitSynced(t, w)
	time.Sleep(100 * time.Millisecond) // let IDLE start
	for i := 1; i <= 3; i++ {
		start := time.Now()
		d.Append(t, "INBOX", testMessage(i, "idle"))
		sink.waitCount(t, "INBOX", i, 3*time.Second)
		t.Logf("message %d delivered %v after APPEND", i, time.Since(start))
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	if u := d.UIDs(t, "Processed"); len(u) != 3 {
		t.Errorf("Processed holds %v, want 3 messages", u)
	}
}

// TestRunRecreatesDeletedProcessedFolder: a destination folder deleted
// while the watcher runs is created again by the move that finds it
// missing, within the session (no error, no reconnect).
func TestRunRecreatesDeletedProcessedFolder(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	sink := newFakeSink()
	w := newWatcher(t, baseOptions(t, d), sink)
	stop := runWatcher(t, w)
	d.Append(t, "INBOX", testMessage(1, "before"))
	sink.waitCount(t, "INBOX", 1, 5*time.Second)
	waitUIDs(t, d, "Processed", 1)

	c := d.Client(t)
	if err := c.Delete("Processed").Wait(); err != nil {
		t.Fatalf("delete Processed: %v", err)
	}
	c.Close()
	d.Append(t, "INBOX", testMessage(2, "after"))
	sink.waitCount(t, "INBOX", 2, 5*time.Second)
	waitUIDs(t, d, "Processed", 1)
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	if st := w.Status()[0]; st.Errors != 0 || st.Reconnects != 0 {
		t.Errorf("status = %+v, want no error and no reconnect", st)
	}
	if u := d.UIDs(t, "INBOX"); len(u) != 0 {
		t.Errorf("INBOX still holds %v", u)
	}
}

// waitUIDs waits until folder holds n messages.
func waitUIDs(t *testing.T, d *testsvc.Dovecot, folder string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		u := d.UIDs(t, folder)
		if len(u) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s holds %v, want %d messages", folder, u, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSinkFailureMovesNothing(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 5, "LS")
	sink := newFakeSink()
	sink.broken = true // the store itself fails: nothing can be committed
	w := newWatcher(t, baseOptions(t, d), sink)
	err := w.SyncOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "injected") || IsPermanent(err) {
		t.Fatalf("SyncOnce error = %v, want a temporary sink failure", err)
	}
	if u := d.UIDs(t, "INBOX"); len(u) != 5 {
		t.Fatalf("after failure INBOX holds %v, want all 5", u)
	}
	if u := d.UIDs(t, "Processed"); len(u) != 0 {
		t.Fatalf("after failure Processed holds %v", u)
	}
	if cp := sink.cps["INBOX"]; cp != (Checkpoint{}) {
		t.Fatalf("checkpoint moved to %+v", cp)
	}
	if st := w.Status()[0]; st.Errors != 1 || !strings.Contains(st.LastError, "injected") {
		t.Errorf("status = %+v", st)
	}
	sink.broken = false
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if sink.count("INBOX") != 5 || sink.batches != 1 || sink.cps["INBOX"].LastUID != 5 || len(sink.rejected["INBOX"]) != 0 {
		t.Fatalf("retry delivered %d in %d commits, rejected %d, checkpoint %+v; want 5 in one commit (an unavailable sink does not count as an attempt)",
			sink.count("INBOX"), sink.batches, len(sink.rejected["INBOX"]), sink.cps["INBOX"])
	}
	if u := d.UIDs(t, "Processed"); len(u) != 5 {
		t.Fatalf("after retry Processed holds %v", u)
	}
}

func TestFailedBatchIsRetriedOneByOne(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 5, "LS")
	sink := newFakeSink()
	sink.failNext = 1 // a passing failure of the whole batch
	w := newWatcher(t, baseOptions(t, d), sink)
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	if sink.count("INBOX") != 5 || sink.batches != 5 || len(sink.rejected["INBOX"]) != 0 {
		t.Fatalf("delivered %d in %d commits, rejected %d; want 5 alone, none rejected",
			sink.count("INBOX"), sink.batches, len(sink.rejected["INBOX"]))
	}
	if u := d.UIDs(t, "Processed"); len(u) != 5 {
		t.Fatalf("Processed holds %v", u)
	}
}

// Poison messages between good ones: every good one is committed, each
// poison is given up on after MaxAttempts failures, kept with its reason,
// and moved to the failed folder; the sync ends.
func TestPoisonMessagesAreGivenUpOn(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	c := d.Client(t)
	var poisonUIDs []uint32
	for i := 1; i <= 9; i++ {
		raw := testMessage(i, "LS")
		if i%4 == 2 { // UIDs 2 and 6
			raw = testMessage(i, "POISON")
			poisonUIDs = append(poisonUIDs, uint32(i))
		}
		d.AppendWith(t, c, "INBOX", raw)
	}
	c.Close()
	sink := newFakeSink()
	sink.poison = "POISON"
	opt := baseOptions(t, d)
	opt.FailedFolder = "Failed"
	opt.BatchSize = 4
	w := newWatcher(t, opt, sink)
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	if sink.count("INBOX") != 7 {
		t.Fatalf("committed %d good messages, want 7", sink.count("INBOX"))
	}
	var rej []uint32
	for _, m := range sink.rejected["INBOX"] {
		rej = append(rej, m.UID)
		if !bytes.Contains(m.Raw, []byte("POISON")) {
			t.Errorf("UID %d kept without its bytes: %q", m.UID, m.Raw)
		}
		if r := sink.reasons[m.UID]; !strings.Contains(r, "given up after 3 attempts: 3 failed") || !strings.Contains(r, "poison in UID") {
			t.Errorf("UID %d reason = %q", m.UID, r)
		}
		if a := sink.attempt("INBOX", m.UIDValidity, m.UID); a.Count != 0 {
			t.Errorf("attempts at UID %d not forgotten: %+v", m.UID, a)
		}
	}
	if !reflect.DeepEqual(rej, poisonUIDs) {
		t.Fatalf("rejected UIDs %v, want %v", rej, poisonUIDs)
	}
	if f, p, in := d.UIDs(t, "Failed"), d.UIDs(t, "Processed"), d.UIDs(t, "INBOX"); len(f) != 2 || len(p) != 7 || len(in) != 0 {
		t.Fatalf("Failed %v, Processed %v, INBOX %v; want 2, 7, 0", f, p, in)
	}
	if cp := sink.cps["INBOX"]; cp.LastUID != 9 {
		t.Fatalf("checkpoint %+v, want past UID 9", cp)
	}
	if st := w.Status()[0]; st.Rejected != 2 || st.Delivered != 7 {
		t.Errorf("status = %+v", st)
	}
}

// crashSink kills the goroutine delivering a batch that holds a poison
// message (as a crash or an out-of-memory kill would end the daemon), after
// the attempts were counted and before anything is committed.
type crashSink struct {
	*fakeSink
	poison string
}

func (s *crashSink) Deliver(ctx context.Context, f Folder, uidv uint32, msgs []Message) ([]Outcome, error) {
	for _, m := range msgs {
		if bytes.Contains(m.Raw, []byte(s.poison)) {
			runtime.Goexit()
		}
	}
	return s.fakeSink.Deliver(ctx, f, uidv, msgs)
}

func TestMessageThatKillsTheDaemonIsGivenUpOn(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	c := d.Client(t)
	for i := 1; i <= 5; i++ {
		subject := "LS"
		if i == 3 {
			subject = "KILLER"
		}
		d.AppendWith(t, c, "INBOX", testMessage(i, subject))
	}
	c.Close()
	sink := &crashSink{fakeSink: newFakeSink(), poison: "KILLER"}
	opt := baseOptions(t, d)
	opt.FailedFolder = "Failed"
	runs := 0
	for ; runs < 10; runs++ {
		w := newWatcher(t, opt, sink) // a fresh daemon after each "crash"
		exited := make(chan struct{})
		finished := make(chan error, 1)
		go func() {
			defer close(exited)
			finished <- w.SyncOnce(context.Background())
		}()
		<-exited
		select {
		case err := <-finished:
			if err != nil {
				t.Fatalf("run %d: %v", runs+1, err)
			}
		default:
			continue // the "daemon" died
		}
		break
	}
	// Run 1: the batch of 5 dies. Run 2: each alone; 3 dies. Run 3: 3
	// dies again. Run 4: 3 is given up on; the run finishes.
	if runs != 3 {
		t.Fatalf("finished after %d crashed runs, want 3", runs)
	}
	if sink.count("INBOX") != 4 || len(sink.rejected["INBOX"]) != 1 || sink.rejected["INBOX"][0].UID != 3 {
		t.Fatalf("committed %d, rejected %+v", sink.count("INBOX"), sink.rejected["INBOX"])
	}
	if r := sink.reasons[3]; !strings.Contains(r, "3 did not finish") {
		t.Errorf("reason = %q", r)
	}
	if f, p := d.UIDs(t, "Failed"), d.UIDs(t, "Processed"); len(f) != 1 || len(p) != 4 {
		t.Fatalf("Failed %v, Processed %v", f, p)
	}
}

func TestRunSurvivesServerRestart(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	sink := newFakeSink()
	w := newWatcher(t, baseOptions(t, d), sink)
	stop := runWatcher(t, w)
	d.Append(t, "INBOX", testMessage(1, "before"))
	sink.waitCount(t, "INBOX", 1, 5*time.Second)

	d.Restart(t)
	appendN(t, d, "INBOX", 2, 3, "after")
	sink.waitCount(t, "INBOX", 4, 10*time.Second)
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	if dups := sink.duplicates(); len(dups) != 0 {
		t.Errorf("delivered twice: %v", dups)
	}
	if st := w.Status()[0]; st.Reconnects < 1 || st.LastUID != 4 {
		t.Errorf("status = %+v, want a reconnect and LastUID 4", st)
	}
	if u := d.UIDs(t, "Processed"); len(u) != 4 {
		t.Errorf("Processed holds %v, want 4", u)
	}
}

func TestUIDValidityChangeRescans(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	const folder = "lists/wg-foo"
	appendN(t, d, folder, 1, 3, "old")
	sink := newFakeSink()
	opt := baseOptions(t, d)
	opt.Folders = []Folder{{Name: folder, WGList: "foo"}}
	opt.ProcessedFolder = "" // leave messages in place, mark them seen
	opt.MarkSeen = true
	w := newWatcher(t, opt, sink)
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	old := sink.cps[folder]
	if old.LastUID != 3 {
		t.Fatalf("checkpoint = %+v", old)
	}

	time.Sleep(1100 * time.Millisecond) // Dovecot derives UIDVALIDITY from the clock
	c := d.Client(t)
	if err := c.Delete(folder).Wait(); err != nil {
		t.Fatalf("delete: %v", err)
	}
	c.Close()
	appendN(t, d, folder, 10, 2, "new") // recreated: UIDs 1 and 2 again

	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	cp := sink.cps[folder]
	if cp.UIDValidity == old.UIDValidity || cp.LastUID != 2 {
		t.Fatalf("checkpoint after recreate = %+v (old %+v), want new UIDVALIDITY and LastUID 2", cp, old)
	}
	got := sink.msgs[folder]
	if len(got) != 5 {
		t.Fatalf("delivered %d messages, want 3 + 2", len(got))
	}
	for _, m := range got[3:] {
		if !bytes.Contains(m.Raw, []byte("Subject: new")) || m.UIDValidity != cp.UIDValidity || m.Folder.WGList != "foo" {
			t.Errorf("rescan delivered %+v", m)
		}
	}
	// Seen flags were set (MarkSeen) and messages left in place.
	c = d.Client(t)
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	unseen, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(unseen.AllUIDs()); n != 0 || len(d.UIDs(t, folder)) != 2 {
		t.Errorf("unseen = %v, folder = %v", unseen.AllUIDs(), d.UIDs(t, folder))
	}
}

func TestTLSModes(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{TLS: true})
	tests := []struct {
		name     string
		mode     TLSMode
		addr     string
		trust    bool
		wantPerm bool // want a permanent error instead of delivery
	}{
		{"implicit", TLSImplicit, d.TLSAddr(), true, false},
		{"starttls", TLSStartTLS, d.Addr(), true, false},
		{"implicit untrusted cert", TLSImplicit, d.TLSAddr(), false, true},
		{"starttls untrusted cert", TLSStartTLS, d.Addr(), false, true},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			folder := fmt.Sprintf("tls%d", i)
			d.Append(t, folder, testMessage(i, tc.name))
			sink := newFakeSink()
			opt := baseOptions(t, d)
			opt.Address, opt.TLS = tc.addr, tc.mode
			opt.Folders = []Folder{{Name: folder}}
			if tc.trust {
				opt.TLSConfig = d.Cert().ClientConfig()
			}
			w := newWatcher(t, opt, sink)
			err := w.SyncOnce(context.Background())
			if tc.wantPerm {
				if err == nil || !IsPermanent(err) {
					t.Fatalf("SyncOnce = %v, want a permanent certificate error", err)
				}
				if sink.count(folder) != 0 {
					t.Fatal("delivered over an untrusted connection")
				}
				return
			}
			if err != nil {
				t.Fatalf("SyncOnce: %v", err)
			}
			if sink.count(folder) != 1 {
				t.Fatalf("delivered %d, want 1", sink.count(folder))
			}
		})
	}
}

func TestWrongPasswordIsPermanent(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	opt := baseOptions(t, d)
	opt.Password = "not-the-secret"
	var logBuf syncBuffer
	opt.Logger = slog.New(slog.NewTextHandler(&logBuf, nil))
	w := newWatcher(t, opt, newFakeSink())
	err := w.SyncOnce(context.Background())
	if err == nil || !IsPermanent(err) {
		t.Fatalf("SyncOnce = %v, want a permanent auth failure", err)
	}
	if strings.Contains(err.Error(), "not-the-secret") || strings.Contains(logBuf.String(), "not-the-secret") {
		t.Fatal("password leaked into an error or a log")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestNotUnderstoodGoesToFailedFolder(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 4, "LS")
	appendN(t, d, "INBOX", 5, 2, "garbled")
	sink := newFakeSink()
	sink.notUnders = "garbled"
	opt := baseOptions(t, d)
	opt.FailedFolder = "Failed"
	w := newWatcher(t, opt, sink)
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sink.count("INBOX") != 6 {
		t.Fatalf("recorded %d, want all 6 (failed ones are recorded too)", sink.count("INBOX"))
	}
	if p, f, in := d.UIDs(t, "Processed"), d.UIDs(t, "Failed"), d.UIDs(t, "INBOX"); len(p) != 4 || len(f) != 2 || len(in) != 0 {
		t.Fatalf("Processed %v, Failed %v, INBOX %v; want 4, 2, 0", p, f, in)
	}
}

func TestSeveralFoldersWithIdleAndPoll(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "wg-foo", 1, 2, "on list")
	appendN(t, d, "INBOX", 3, 1, "direct")
	sink := newFakeSink()
	opt := baseOptions(t, d)
	opt.Folders = []Folder{{Name: "INBOX"}, {Name: "wg-foo", WGList: "foo"}, {Name: "wg-bar", WGList: "bar"}}
	opt.PollInterval = 300 * time.Millisecond
	w := newWatcher(t, opt, sink)
	runWatcher(t, w)
	sink.waitCount(t, "wg-foo", 2, 5*time.Second)
	sink.waitCount(t, "INBOX", 1, 5*time.Second)
	// wg-bar did not exist: it was created, and is watched by polling.
	d.Append(t, "wg-bar", testMessage(10, "bar list"))
	d.Append(t, "INBOX", testMessage(11, "direct"))
	sink.waitCount(t, "wg-bar", 1, 5*time.Second)
	sink.waitCount(t, "INBOX", 2, 5*time.Second)
	sink.mu.Lock()
	defer sink.mu.Unlock()
	for folder, want := range map[string]string{"INBOX": "", "wg-foo": "foo", "wg-bar": "bar"} {
		for _, m := range sink.msgs[folder] {
			if m.Folder.Name != folder || m.Folder.WGList != want {
				t.Errorf("message in %s carries folder %+v", folder, m.Folder)
			}
		}
	}
	names := []string{}
	for _, s := range w.Status() {
		names = append(names, s.Name)
	}
	if !reflect.DeepEqual(names, []string{"INBOX", "wg-foo", "wg-bar"}) {
		t.Errorf("status folders = %v", names)
	}
}

// countSink counts messages and never advances the checkpoint, so every
// SyncOnce refetches the whole folder.
type countSink struct {
	memAttempts
	n int
}

func (s *countSink) Reject(context.Context, Folder, uint32, Message, string) error { return nil }

func (s *countSink) Checkpoint(string) (Checkpoint, error) { return Checkpoint{}, nil }
func (s *countSink) Deliver(_ context.Context, _ Folder, _ uint32, msgs []Message) ([]Outcome, error) {
	s.n += len(msgs)
	return make([]Outcome, len(msgs)), nil
}

func BenchmarkSyncOnce(b *testing.B) {
	const n = 500
	d := testsvc.StartDovecot(b, testsvc.DovecotOptions{})
	appendN(b, d, "INBOX", 1, n, "bench")
	sink := &countSink{}
	opt := baseOptions(b, d)
	opt.ProcessedFolder = ""
	w, err := New(opt, sink)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.SyncOnce(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if sink.n != n*b.N {
		b.Fatalf("delivered %d, want %d", sink.n, n*b.N)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// hookSink wraps fakeSink and runs hook inside Deliver, after the commit.
type hookSink struct {
	*fakeSink
	hook func()
}

func (s *hookSink) Deliver(ctx context.Context, f Folder, uidv uint32, msgs []Message) ([]Outcome, error) {
	outs, err := s.fakeSink.Deliver(ctx, f, uidv, msgs)
	if err == nil && s.hook != nil {
		s.hook()
	}
	return outs, err
}

func TestServerDiesAfterCommitNothingDeliveredTwice(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 3, "LS")
	sink := &hookSink{fakeSink: newFakeSink()}
	var once sync.Once
	sink.hook = func() { once.Do(func() { d.Stop(t) }) } // committed, then the server vanishes
	w := newWatcher(t, baseOptions(t, d), sink)
	if err := w.SyncOnce(context.Background()); err == nil {
		t.Fatal("SyncOnce succeeded although the server died before the MOVE")
	}
	if sink.count("INBOX") != 3 || sink.cps["INBOX"].LastUID != 3 {
		t.Fatalf("commit: %d messages, checkpoint %+v", sink.count("INBOX"), sink.cps["INBOX"])
	}
	d.Start(t)
	if u := d.UIDs(t, "INBOX"); len(u) != 3 {
		t.Fatalf("INBOX holds %v after the crash, want the 3 committed messages", u)
	}
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce after restart: %v", err)
	}
	if sink.count("INBOX") != 3 || len(sink.duplicates()) != 0 {
		t.Fatalf("leftovers delivered again: %d, dups %v", sink.count("INBOX"), sink.duplicates())
	}
	if in, p := d.UIDs(t, "INBOX"), d.UIDs(t, "Processed"); len(in) != 0 || len(p) != 3 {
		t.Fatalf("INBOX %v, Processed %v; want leftovers moved", in, p)
	}
}

func TestShutdownFinishesBatchInHand(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 4, "LS")
	inDeliver := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	sink := &hookSink{fakeSink: newFakeSink(), hook: func() { once.Do(func() { close(inDeliver); <-release }) }}
	opt := baseOptions(t, d)
	opt.BatchSize = 2
	w := newWatcher(t, opt, sink)
	stop := runWatcher(t, w)
	<-inDeliver // first batch committed, watcher blocked in Deliver
	errc := make(chan error, 1)
	go func() { errc <- stop() }()
	time.Sleep(100 * time.Millisecond) // let the cancel land while Deliver runs
	close(release)
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if sink.count("INBOX") != 2 {
		t.Fatalf("delivered %d, want only the batch in hand (2)", sink.count("INBOX"))
	}
	if p, in := d.UIDs(t, "Processed"), d.UIDs(t, "INBOX"); len(p) != 2 || len(in) != 2 {
		t.Fatalf("Processed %v, INBOX %v; want the committed batch moved and the rest untouched", p, in)
	}
}

func TestIdleRestartKeepsSessionAlive(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	sink := newFakeSink()
	opt := baseOptions(t, d)
	opt.PollInterval = time.Hour
	opt.IdleRestart = 150 * time.Millisecond
	w := newWatcher(t, opt, sink)
	stop := runWatcher(t, w)
	waitSynced(t, w)
	first := w.Status()[0].LastSync
	time.Sleep(700 * time.Millisecond) // several IDLE restarts with NOOP and resync
	if !w.Status()[0].LastSync.After(first) {
		t.Fatalf("no resync after IDLE restarts: %+v", w.Status()[0])
	}
	d.Append(t, "INBOX", testMessage(1, "after restarts"))
	sink.waitCount(t, "INBOX", 1, 3*time.Second)
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	if st := w.Status()[0]; st.Reconnects != 0 || st.Errors != 0 {
		t.Fatalf("IDLE restarts caused reconnects or errors: %+v", st)
	}
}
