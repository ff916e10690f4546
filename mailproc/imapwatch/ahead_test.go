package imapwatch

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// prepSink is a fakeSink that prepares messages ahead (Preparer). Each
// Deliver of a batch that has a successor waits until that successor is
// being prepared, so a watcher that does not look ahead fails the test
// rather than passing it slowly.
type prepSink struct {
	*fakeSink
	pmu        sync.Mutex
	prepared   [][]uint32               // the UIDs of each Prepare, in order
	counted    map[uint32]int           // attempts counted when a message was prepared
	got        map[uint32]any           // what Deliver received as Prepared
	preparing  map[uint32]chan struct{} // closed when the batch starting at a UID is prepared
	expectNext map[uint32]uint32        // first UID of a batch -> first UID of the next one
}

func newPrepSink(expectNext map[uint32]uint32) *prepSink {
	s := &prepSink{fakeSink: newFakeSink(), counted: map[uint32]int{}, got: map[uint32]any{},
		preparing: map[uint32]chan struct{}{}, expectNext: expectNext}
	for _, first := range expectNext {
		s.preparing[first] = make(chan struct{})
	}
	return s
}

func (s *prepSink) Prepare(f Folder, msgs []Message) {
	s.pmu.Lock()
	var uids []uint32
	for i := range msgs {
		uids = append(uids, msgs[i].UID)
		s.counted[msgs[i].UID] = s.attempt(f.Name, msgs[i].UIDValidity, msgs[i].UID).Count
		msgs[i].Prepared = fmt.Sprintf("prepared %d", msgs[i].UID)
	}
	s.prepared = append(s.prepared, uids)
	ch := s.preparing[uids[0]]
	s.pmu.Unlock()
	if ch != nil {
		close(ch)
	}
}

func (s *prepSink) Deliver(ctx context.Context, f Folder, uidv uint32, msgs []Message) ([]Outcome, error) {
	s.pmu.Lock()
	for _, m := range msgs {
		s.got[m.UID] = m.Prepared
	}
	next, ok := s.expectNext[msgs[0].UID]
	ch := s.preparing[next]
	s.pmu.Unlock()
	if ok && len(msgs) > 1 { // a whole batch, not a message alone
		select {
		case <-ch:
		case <-time.After(20 * time.Second):
			return nil, fmt.Errorf("%w: the batch from UID %d was not prepared while UIDs %d- were delivered", ErrSinkUnavailable, next, msgs[0].UID)
		}
	}
	return s.fakeSink.Deliver(ctx, f, uidv, msgs)
}

// While a batch is delivered the next one is fetched and prepared, its
// attempts counted before; the sink receives what it prepared, and every
// message is committed once, its attempts forgotten.
func TestLookAheadPreparesTheNextBatch(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 10, "LS")
	sink := newPrepSink(map[uint32]uint32{1: 5, 5: 9})
	opt := baseOptions(t, d)
	opt.BatchSize = 4 // 1-4, 5-8, 9-10
	w := newWatcher(t, opt, sink)
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	if want := [][]uint32{{5, 6, 7, 8}, {9, 10}}; !reflect.DeepEqual(sink.prepared, want) {
		t.Errorf("prepared %v, want %v", sink.prepared, want)
	}
	for uid := uint32(1); uid <= 10; uid++ {
		want := any(nil)
		if uid >= 5 {
			want = fmt.Sprintf("prepared %d", uid)
			if sink.counted[uid] != 1 {
				t.Errorf("UID %d prepared with %d attempts counted, want 1", uid, sink.counted[uid])
			}
		}
		if got := sink.got[uid]; got != want {
			t.Errorf("UID %d delivered with Prepared %v, want %v", uid, got, want)
		}
		if a := sink.attempt("INBOX", sink.cps["INBOX"].UIDValidity, uid); a.Count != 0 {
			t.Errorf("UID %d: attempts not forgotten: %+v", uid, a)
		}
	}
	if sink.count("INBOX") != 10 || sink.batches != 3 || len(sink.duplicates()) != 0 {
		t.Fatalf("delivered %d in %d commits (duplicates %v); want 10 in 3", sink.count("INBOX"), sink.batches, sink.duplicates())
	}
	if p := d.UIDs(t, "Processed"); len(p) != 10 {
		t.Fatalf("Processed holds %v", p)
	}
}

// When the batch in hand fails, the batch fetched ahead is dropped and its
// attempts uncounted: it is then delivered whole, not message by message
// as a batch tried before would be.
func TestLookAheadIsDroppedWhenTheBatchFails(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 8, "LS")
	sink := newPrepSink(map[uint32]uint32{1: 5})
	sink.failNext = 1 // batch 1-4 fails once, after 5-8 was prepared
	opt := baseOptions(t, d)
	opt.BatchSize = 4
	w := newWatcher(t, opt, sink)
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	// 1-4 alone (4 commits), then 5-8 together (1).
	if sink.count("INBOX") != 8 || sink.batches != 5 || len(sink.duplicates()) != 0 {
		t.Fatalf("delivered %d in %d commits (duplicates %v); want 8 in 5", sink.count("INBOX"), sink.batches, sink.duplicates())
	}
	for uid := uint32(5); uid <= 8; uid++ {
		if a := sink.attempt("INBOX", sink.cps["INBOX"].UIDValidity, uid); a.Count != 0 {
			t.Errorf("UID %d: attempts left %+v", uid, a)
		}
	}
}
