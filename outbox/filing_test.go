package outbox

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/store"
)

// scriptedFiler answers each File with the next scripted error and keeps
// what was filed. The real IMAP APPEND is exercised over Dovecot
// (imapwatch's appender test, and the rebuild's end-to-end test).
type scriptedFiler struct {
	mu    sync.Mutex
	errs  []error
	filed [][]byte
	dates []time.Time
}

func (f *scriptedFiler) File(_ context.Context, msg []byte, date time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		if err != nil {
			return err
		}
	}
	f.filed = append(f.filed, append([]byte(nil), msg...))
	f.dates = append(f.dates, date)
	return nil
}

var errAppend = errors.New("NO [OVERQUOTA] quota exceeded")

// withFiler sets a filer on the worker of setup, with a header on its
// entry, and returns the filer.
func withFiler(t *testing.T, db *store.DB, w *Worker, errs ...error) *scriptedFiler {
	t.Helper()
	f := &scriptedFiler{errs: errs}
	w.opt.Filer = f
	err := db.Update(func(tx *store.Tx) error {
		e, err := tx.Outbox("LS-1|notice|a@x|")
		if err != nil {
			return err
		}
		e.FileHeader = []byte("X-Liaisond-Trace: e30=\r\n")
		return tx.PutOutbox(e)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSentMailIsFiledOnce(t *testing.T) {
	db, w, tr, c, _ := setup(t)
	f := withFiler(t, db, w)
	for range 3 {
		if _, err := w.DrainOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(tr.sends) != 1 || len(f.filed) != 1 {
		t.Fatalf("sent %d, filed %d; want 1 and 1", len(tr.sends), len(f.filed))
	}
	if want := []byte("X-Liaisond-Trace: e30=\r\nx"); !bytes.Equal(f.filed[0], want) {
		t.Errorf("filed %q, want the trace then the mail as sent %q", f.filed[0], want)
	}
	if !f.dates[0].Equal(c.t) {
		t.Errorf("filed with date %v, want the sending time %v", f.dates[0], c.t)
	}
	e := state(t, db)
	if e.Filing == nil || e.Filing.State != store.FilingDone || !e.Filing.At.Equal(c.t) {
		t.Fatalf("filing = %+v", e.Filing)
	}
}

func TestFailedAppendIsRetriedWithoutResending(t *testing.T) {
	db, w, tr, c, _ := setup(t)
	f := withFiler(t, db, w, errAppend, errAppend)
	ctx := context.Background()
	st, err := w.DrainOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != 1 || st.FileFailed != 1 {
		t.Fatalf("stats %+v, want 1 sent, 1 append failed", st)
	}
	e := state(t, db)
	if e.State != store.OutboxSent || e.Filing.State != store.FilingPending || !e.Filing.Next.Equal(c.t.Add(time.Minute)) {
		t.Fatalf("after a failed append: %+v, filing %+v", e.State, e.Filing)
	}
	if got := w.nextWait(); got != time.Minute {
		t.Errorf("next wait %v, want the append's backoff 1m", got)
	}
	c.t = c.t.Add(time.Minute)
	w.DrainOnce(ctx) // fails again: backoff doubles
	if e := state(t, db); !e.Filing.Next.Equal(c.t.Add(2*time.Minute)) || e.Filing.Attempts != 2 {
		t.Fatalf("second append failure: %+v", e.Filing)
	}
	c.t = c.t.Add(2 * time.Minute)
	st, _ = w.DrainOnce(ctx)
	if st.Filed != 1 || len(f.filed) != 1 {
		t.Fatalf("stats %+v, filed %d; want the copy filed", st, len(f.filed))
	}
	if len(tr.sends) != 1 {
		t.Fatalf("the mail was sent %d times while its copy was retried", len(tr.sends))
	}
	if e := state(t, db); e.Filing.State != store.FilingDone {
		t.Fatalf("filing = %+v", e.Filing)
	}
	var pending int
	_ = db.View(func(tx *store.Tx) error { pending = tx.PendingFiling(); return nil })
	if pending != 0 {
		t.Errorf("%d copies still pending", pending)
	}
}

func TestAppendGivenUpAfterMaxAge(t *testing.T) {
	db, w, tr, c, _ := setup(t)
	withFiler(t, db, w, errAppend, errAppend, errAppend, errAppend, errAppend, errAppend, errAppend, errAppend, errAppend, errAppend)
	ctx := context.Background()
	for range 10 {
		w.DrainOnce(ctx)
		c.t = c.t.Add(30 * time.Minute)
	}
	e := state(t, db)
	if e.Filing.State != store.FilingFailed || e.Filing.LastError == "" {
		t.Fatalf("filing after %v of failures: %+v", 5*time.Hour, e.Filing)
	}
	if e.State != store.OutboxSent || len(tr.sends) != 1 {
		t.Fatalf("state %s after %d sends", e.State, len(tr.sends))
	}
}

func TestGateHoldsSendingAndFiling(t *testing.T) {
	db, w, tr, _, _ := setup(t)
	f := withFiler(t, db, w, errAppend)
	var refuse error = errors.New("standby: the mailbox is held by host-b")
	w.opt.Gate = func() error { return refuse }
	ctx := context.Background()
	if _, err := w.DrainOnce(ctx); !errors.Is(err, ErrGated) {
		t.Fatalf("pass without the lease: err %v, want ErrGated", err)
	}
	if len(tr.sends) != 0 {
		t.Fatalf("sent %d mails without the lease", len(tr.sends))
	}
	refuse = nil
	if _, err := w.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(tr.sends) != 1 || len(f.filed) != 0 {
		t.Fatalf("sent %d, filed %d; want 1 sent, its append failed", len(tr.sends), len(f.filed))
	}
	refuse = errors.New("lease lost")
	db.Update(func(tx *store.Tx) error { // make the copy due now
		e, _ := tx.Outbox("LS-1|notice|a@x|")
		e.Filing.Next = e.Sent
		return tx.PutOutbox(e)
	})
	if _, err := w.DrainOnce(ctx); !errors.Is(err, ErrGated) || len(f.filed) != 0 {
		t.Fatalf("filed %d copies without the lease (err %v)", len(f.filed), err)
	}
}
