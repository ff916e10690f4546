package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/ietf-tools/liaisond/internal/samplemail"
	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// benchN is the number of statements the ingest benchmark loads
// (LIAISOND_BENCH_N overrides the default 5,000).
func benchN() int {
	if v, err := strconv.Atoi(os.Getenv("LIAISOND_BENCH_N")); err == nil && v > 0 {
		return v
	}
	return 5000
}

// BenchmarkIngestVsMbsync loads N realistic statements (60 KB, with a
// .docx) into a local Dovecot and measures, on the same mailbox, mbsync
// downloading them to a Maildir and `liaisond run --once` fetching,
// parsing, routing and committing them. Run it with bench/ingest.sh.
//
// On a shared machine one run says little. LIAISOND_BENCH_ROUNDS=R
// repeats mbsync and liaisond R times on the same mailbox (the messages
// are moved back to INBOX and the data dir emptied between runs), and
// LIAISOND_BENCH_BASELINE=BINARY runs that liaisond binary too, in
// alternating order, so that two versions meet the same load. The figures
// reported are medians.
func BenchmarkIngestVsMbsync(b *testing.B) {
	mbsync := testsvc.Require(b, "mbsync")
	n := benchN()
	e := newE2E(b, e2eOptions{})
	c := e.dovecot.Client(b)
	for i := 0; i < n; i++ {
		e.dovecot.AppendWith(b, c, "INBOX", samplemail.Statement(i, 45000, true))
	}
	c.Close()
	rc := e.mbsyncConfig(b)
	rounds := 1
	if v, err := strconv.Atoi(os.Getenv("LIAISOND_BENCH_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	binaries := []string{liaisondBinary(b)}
	names := []string{"liaisond"}
	if base := os.Getenv("LIAISOND_BENCH_BASELINE"); base != "" {
		binaries, names = append(binaries, base), append(names, "baseline")
	}
	cfg := e.recordOnly(b)
	var mbsyncTimes []time.Duration
	runs := make([][]ingestRun, len(binaries))
	b.ResetTimer()
	for r := 0; r < rounds; r++ {
		// liaisond must not move the messages away before mbsync has read
		// them: mbsync goes first, liaisond second, on the same mailbox.
		mbsyncTimes = append(mbsyncTimes, runMbsync(b, mbsync, rc, filepath.Join(e.dir, fmt.Sprintf("mbsync-%d", r)), n))
		for k := range binaries {
			if r%2 == 1 { // alternate the order of the binaries
				k = len(binaries) - 1 - k
			}
			run := ingestOnce(b, binaries[k], cfg, filepath.Join(e.dir, "data"))
			if left := len(e.dovecot.UIDs(b, "INBOX")); left != 0 {
				b.Fatalf("%s: %d messages left in INBOX", names[k], left)
			}
			e.restoreInbox(b, n) // for the next run
			b.Logf("round %d: mbsync %v, %s run --once %v (ratio %.2f; CPU user %v sys %v), peak RSS %d KB",
				r+1, mbsyncTimes[r].Round(time.Millisecond), names[k], run.wall.Round(time.Millisecond),
				run.wall.Seconds()/mbsyncTimes[r].Seconds(), run.user.Round(time.Millisecond), run.sys.Round(time.Millisecond), run.rssKB)
			runs[k] = append(runs[k], run)
		}
	}
	b.StopTimer()
	mb := median(mbsyncTimes)
	b.ReportMetric(mb.Seconds(), "mbsync-s")
	for k, name := range names {
		wall, cpu := median(walls(runs[k])), median(cpus(runs[k]))
		b.Logf("%d statements, %d rounds: mbsync %v, %s run --once %v (ratio %.2f), CPU user+sys %v (medians)",
			n, rounds, mb.Round(time.Millisecond), name, wall.Round(time.Millisecond), wall.Seconds()/mb.Seconds(), cpu.Round(time.Millisecond))
		suffix := ""
		if k > 0 {
			suffix = "-" + name
		}
		b.ReportMetric(wall.Seconds(), "liaisond-s"+suffix)
		b.ReportMetric(wall.Seconds()/mb.Seconds(), "ratio"+suffix)
		b.ReportMetric(cpu.Seconds(), "cpu-s"+suffix)
		b.ReportMetric(float64(n)/wall.Seconds(), "msgs/s"+suffix)
		b.ReportMetric(float64(runs[k][0].rssKB)/1024, "peak-RSS-MB"+suffix)
	}
}

// mbsyncConfig writes an mbsync configuration that pulls INBOX from e's
// Dovecot into the Maildir named by its Path and Inbox lines (set by
// runMbsync).
func (e *e2eEnv) mbsyncConfig(b *testing.B) string {
	host, port, _ := strings.Cut(e.dovecot.Addr(), ":")
	conf := fmt.Sprintf(`IMAPAccount bench
Host %s
Port %s
User %s
Pass %s
TLSType None
AuthMechs LOGIN PLAIN

IMAPStore remote
Account bench

MaildirStore local
Path MAILDIR/
Inbox MAILDIR/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
`, host, port, e.dovecot.User(), e.dovecot.Password())
	rc := filepath.Join(e.dir, "mbsyncrc")
	if err := os.WriteFile(rc, []byte(conf), 0o600); err != nil {
		b.Fatal(err)
	}
	return rc
}

// runMbsync downloads the n messages of INBOX into the new Maildir dir and
// returns the time mbsync took.
func runMbsync(b *testing.B, mbsync, rcTemplate, dir string, n int) time.Duration {
	tmpl, err := os.ReadFile(rcTemplate)
	if err != nil {
		b.Fatal(err)
	}
	conf := strings.ReplaceAll(string(tmpl), "MAILDIR", dir)
	rc := dir + ".rc"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(rc, []byte(conf), 0o600); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	out, err := exec.Command(mbsync, "-c", rc, "-a").CombinedOutput()
	if err != nil {
		// Older isync spells TLSType as SSLType.
		_ = os.WriteFile(rc, []byte(strings.Replace(conf, "TLSType None", "SSLType None", 1)), 0o600)
		start = time.Now()
		out, err = exec.Command(mbsync, "-c", rc, "-a").CombinedOutput()
		if err != nil {
			b.Fatalf("mbsync: %v\n%s", err, out)
		}
	}
	took := time.Since(start)
	files, _ := filepath.Glob(filepath.Join(dir, "INBOX", "*", "*"))
	if len(files) < n {
		b.Fatalf("mbsync fetched %d of %d messages", len(files), n)
	}
	return took
}

// ingestRun is what one `liaisond run --once` took.
type ingestRun struct {
	wall, user, sys time.Duration
	rssKB           int64
}

// ingestOnce runs `binary run --once` (ingest only: fetch, parse, route,
// commit with the notices queued; the config sends nothing) on an empty
// data dir.
func ingestOnce(b *testing.B, binary, cfg, dataDir string) ingestRun {
	if err := os.RemoveAll(dataDir); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(binary, "run", "--once", "-c", cfg)
	cmd.Env = append(os.Environ(), "LIAISOND_CPUPROFILE="+os.Getenv("LIAISOND_BENCH_CPUPROFILE"))
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s run --once: %v\n%s", binary, err, tail(out, 2000))
	}
	run := ingestRun{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		run.user, run.sys, run.rssKB = time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), ru.Maxrss
	}
	return run
}

// restoreInbox moves every message liaisond filed away back to INBOX, for
// the next run.
func (e *e2eEnv) restoreInbox(b *testing.B, n int) {
	c := e.dovecot.Client(b)
	defer c.Close()
	for _, folder := range []string{"Processed", "Failed"} {
		sel, err := c.Select(folder, nil).Wait()
		if err != nil || sel.NumMessages == 0 {
			continue
		}
		if _, err := c.Move(imap.SeqSet{{Start: 1, Stop: 0}}, "INBOX").Wait(); err != nil { // 1:*
			b.Fatalf("move %s back to INBOX: %v", folder, err)
		}
	}
	if got := len(e.dovecot.UIDs(b, "INBOX")); got != n {
		b.Fatalf("%d messages back in INBOX, want %d", got, n)
	}
}

func walls(runs []ingestRun) []time.Duration {
	var out []time.Duration
	for _, r := range runs {
		out = append(out, r.wall)
	}
	return out
}

func cpus(runs []ingestRun) []time.Duration {
	var out []time.Duration
	for _, r := range runs {
		out = append(out, r.user+r.sys)
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// BenchmarkNoticeLatency measures the time from IMAP APPEND to the routed
// notice being accepted by the SMTP server, with the daemon idling, over
// 200 statements (LIAISOND_BENCH_LATENCY_N overrides).
func BenchmarkNoticeLatency(b *testing.B) {
	n := 200
	if v, err := strconv.Atoi(os.Getenv("LIAISOND_BENCH_LATENCY_N")); err == nil && v > 0 {
		n = v
	}
	e := newE2E(b, e2eOptions{smtp: bulkLimits})
	e.start()
	time.Sleep(1500 * time.Millisecond)
	c := e.dovecot.Client(b)
	defer c.Close()
	var lats []time.Duration
	b.ResetTimer()
	for i := 0; i < n; i++ {
		before := len(e.mailpit.Messages(b))
		start := time.Now()
		e.dovecot.AppendWith(b, c, "INBOX", statement(5000+i, "ITU-T SG15", "CCAMP"))
		for len(e.mailpit.Messages(b)) <= before {
			if time.Since(start) > 30*time.Second {
				b.Fatalf("statement %d: no notice after 30s", i)
			}
			time.Sleep(5 * time.Millisecond)
		}
		lats = append(lats, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	med, p99 := lats[len(lats)/2], lats[min(len(lats)-1, len(lats)*99/100)]
	b.ReportMetric(med.Seconds()*1000, "median-ms")
	b.ReportMetric(p99.Seconds()*1000, "p99-ms")
	b.Logf("APPEND -> notice accepted: median %v, p99 %v over %d statements", med, p99, n)
}
