package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/hostile"
	"github.com/ietf-tools/liaisond/internal/samplemail"
)

// envInt reads a positive integer from the environment, or def.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkBigStatementsRSS loads N statements of S MB each (default 10 x
// 30 MB: a scanned annex) into Dovecot and measures the peak resident
// memory of `liaisond run --once` recording them: the kernel's maximum RSS
// of the child (what /usr/bin/time -v reports). Run it with bench/memory.sh;
// LIAISOND_BENCH_BIG_N and LIAISOND_BENCH_BIG_MB override the defaults.
func BenchmarkBigStatementsRSS(b *testing.B) {
	n := envInt("LIAISOND_BENCH_BIG_N", 10)
	mb := envInt("LIAISOND_BENCH_BIG_MB", 30)
	e := newE2E(b, e2eOptions{})
	c := e.dovecot.Client(b)
	for i := 0; i < n; i++ {
		e.dovecot.AppendWith(b, c, "INBOX", samplemail.Big(i, mb*1000*1000))
	}
	c.Close()
	b.ResetTimer()
	cmd := exec.Command(liaisondBinary(b), "run", "--once", "-c", e.recordOnly(b))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	peaks := sampleRSS(cmd.Process.Pid)
	if err := cmd.Wait(); err != nil {
		b.Fatalf("liaisond run --once: %v\n%s", err, tail([]byte(out.String()), 2000))
	}
	elapsed := time.Since(start)
	anon, file := peaks()
	b.StopTimer()
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if left := len(e.dovecot.UIDs(b, "INBOX")); left != 0 {
		b.Fatalf("%d messages left in INBOX", left)
	}
	statements := 0
	for _, r := range e.records() {
		if strings.HasPrefix(r.ID, "LS-") {
			statements++
		}
	}
	if statements != n {
		b.Fatalf("%d statements recorded, want %d", statements, n)
	}
	if ru == nil {
		b.Fatal("no resource usage for the child")
	}
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	b.ReportMetric(float64(anon)/1024, "peak-anon-MB")
	b.ReportMetric(elapsed.Seconds(), "run-s")
	b.Logf("%d statements of %d MB: liaisond run --once took %v, peak RSS %d MB (sampled: anonymous %d MB, file-backed %d MB)",
		n, mb, elapsed.Round(time.Millisecond), ru.Maxrss/1024, anon/1024, file/1024)
}

// sampleRSS samples /proc/PID/status every 20 ms until the process ends and
// returns a function giving the peak anonymous (heap, stacks) and
// file-backed (the database's memory map) resident kilobytes seen.
func sampleRSS(pid int) func() (anon, file int) {
	done := make(chan [2]int, 1)
	go func() {
		var peak [2]int
		for {
			data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil {
				done <- peak
				return
			}
			for _, line := range strings.Split(string(data), "\n") {
				f := strings.Fields(line)
				if len(f) < 2 {
					continue
				}
				v, _ := strconv.Atoi(f[1])
				switch f[0] {
				case "RssAnon:":
					peak[0] = max(peak[0], v)
				case "RssFile:":
					peak[1] = max(peak[1], v)
				case "State:":
					if f[1] == "Z" {
						done <- peak
						return
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() (int, int) { p := <-done; return p[0], p[1] }
}

// BenchmarkGoodStatementBehindHostilePDFs puts a message with N PDFs that
// each make the reader loop forever (default 500) in front of a good
// statement, and measures how long `liaisond run --once` takes to record
// both: the time the good statement waits. Run it with bench/pdfwait.sh;
// LIAISOND_BENCH_PDFS overrides N.
func BenchmarkGoodStatementBehindHostilePDFs(b *testing.B) {
	n := envInt("LIAISOND_BENCH_PDFS", 500)
	e := newE2E(b, e2eOptions{})
	c := e.dovecot.Client(b)
	e.dovecot.AppendWith(b, c, "INBOX", hostile.LoopingPDFs(1, n))
	e.dovecot.AppendWith(b, c, "INBOX", samplemail.Statement(1, 3000, true))
	c.Close()
	b.ResetTimer()
	cmd := exec.Command(liaisondBinary(b), "run", "--once", "-c", e.recordOnly(b))
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("liaisond run --once: %v\n%s", err, tail(out, 2000))
	}
	wait := time.Since(start)
	b.StopTimer()
	statements := 0
	for _, r := range e.records() {
		if strings.HasPrefix(r.ID, "LS-") {
			statements++
		}
	}
	if statements != 1 || len(e.dovecot.UIDs(b, "INBOX")) != 0 {
		b.Fatalf("%d statements recorded, %d messages left", statements, len(e.dovecot.UIDs(b, "INBOX")))
	}
	b.ReportMetric(wait.Seconds(), "wait-s")
	b.Logf("a good statement behind a message with %d looping PDFs: recorded after %v", n, wait.Round(10*time.Millisecond))
}
