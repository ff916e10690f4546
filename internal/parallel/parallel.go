// Package parallel runs independent pieces of CPU-bound work on every core.
package parallel

import (
	"runtime"
	"sync"
)

// Each calls f(0) ... f(n-1), as many at a time as there are cores
// (GOMAXPROCS), and returns when every call has returned. Each call gets a
// different i; f must be safe to call concurrently for different i. With
// one core or one piece it calls f in order on the calling goroutine.
func Each(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
