package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// helpers bounds the goroutines that run started jobs' pieces, all jobs
// together, to the number of cores: a caller that starts many small jobs
// while it goes on with serial work keeps a core's share for itself.
var helpers = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// Job is work started in the background by Start.
type Job struct {
	f    func(i int)
	n    int64
	next atomic.Int64 // the next piece nobody has taken
	left sync.WaitGroup
}

// Start begins calling f(0) ... f(n-1) in the background, on helper
// goroutines shared by every started job (at most one per core), and
// returns at once. Each call gets a different i; f must be safe to call
// concurrently for different i, and with what the caller does until Wait.
// With one core nothing runs before Wait.
func Start(n int, f func(i int)) *Job {
	j := &Job{f: f, n: int64(n)}
	j.left.Add(n)
	if procs := runtime.GOMAXPROCS(0); procs > 1 {
		for range min(n, procs) {
			go func() {
				helpers <- struct{}{}
				defer func() { <-helpers }()
				j.run()
			}()
		}
	}
	return j
}

// run takes pieces until none is left.
func (j *Job) run() {
	for {
		i := j.next.Add(1) - 1
		if i >= j.n {
			return
		}
		j.f(int(i))
		j.left.Done()
	}
}

// Wait calls, on the calling goroutine, every piece no helper has taken
// yet, then waits for the helpers' pieces to return. After Wait every
// call has returned, and what they wrote is visible to the caller.
func (j *Job) Wait() {
	j.run()
	j.left.Wait()
}
