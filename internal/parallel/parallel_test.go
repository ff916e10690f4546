package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// Every index is called exactly once, whatever the number of pieces and
// cores (go test -race checks the concurrent calls).
func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 3, 100} {
			calls := make([]atomic.Int32, n)
			Each(n, func(i int) { calls[i].Add(1) })
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Errorf("GOMAXPROCS %d, n %d: f(%d) called %d times", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// With one core the calls are made in order on the caller's goroutine.
func TestEachOnOneCoreIsInOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var got []int
	Each(5, func(i int) { got = append(got, i) })
	for i, g := range got {
		if g != i {
			t.Fatalf("calls in order %v", got)
		}
	}
	if len(got) != 5 {
		t.Fatalf("%d calls, want 5", len(got))
	}
}

// A started job calls every piece exactly once, whether helpers or Wait
// take it, and Wait returns only when all have returned.
func TestStartCallsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 3, 100} {
			calls := make([]atomic.Int32, n)
			jobs := []*Job{}
			for range 5 { // several jobs at once share the helpers
				jobs = append(jobs, Start(n, func(i int) { calls[i].Add(1) }))
			}
			for _, j := range jobs {
				j.Wait()
			}
			for i := range calls {
				if c := calls[i].Load(); c != 5 {
					t.Errorf("GOMAXPROCS %d, n %d: f(%d) called %d times by 5 jobs", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// With one core a started job runs nothing before Wait, and Wait runs it
// in order on the caller's goroutine.
func TestStartOnOneCoreRunsAtWait(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var got []int
	j := Start(4, func(i int) { got = append(got, i) })
	if len(got) != 0 {
		t.Fatalf("ran %v before Wait", got)
	}
	j.Wait()
	if len(got) != 4 || got[0] != 0 || got[3] != 3 {
		t.Fatalf("calls %v, want 0..3 in order", got)
	}
}

// Pieces run while the caller goes on: with more than one core a piece
// starts before the caller waits for it.
func TestStartRunsInBackground(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	started := make(chan struct{})
	j := Start(1, func(int) { close(started) })
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("the piece did not start before Wait")
	}
	j.Wait()
}
