package imapwatch

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// TestOnSyncedAfterTheBacklog: the hook the daemon's readiness rests on
// runs once the whole backlog is committed, by Run and by SyncOnce, and
// again after a reconnect.
func TestOnSyncedAfterTheBacklog(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 12, "LS")
	sink := newFakeSink()
	opt := baseOptions(t, d)
	opt.BatchSize = 5
	calls := make(chan int, 10)
	opt.OnSynced = func() { calls <- sink.count("INBOX") }
	w := newWatcher(t, opt, sink)
	stop := runWatcher(t, w)
	select {
	case n := <-calls:
		if n != 12 {
			t.Errorf("OnSynced ran with %d of 12 messages committed", n)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("OnSynced was not called after the first sync")
	}
	d.Restart(t)
	select {
	case <-calls:
	case <-time.After(60 * time.Second):
		t.Error("OnSynced was not called after reconnecting")
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	appendN(t, d, "INBOX", 13, 2, "LS")
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := <-calls; n != 14 {
		t.Errorf("SyncOnce: OnSynced ran with %d of 14 messages committed", n)
	}
}
