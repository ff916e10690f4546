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
func BenchmarkIngestVsMbsync(b *testing.B) {
	mbsync := testsvc.Require(b, "mbsync")
	n := benchN()
	e := newE2E(b, e2eOptions{})
	c := e.dovecot.Client(b)
	for i := 0; i < n; i++ {
		e.dovecot.AppendWith(b, c, "INBOX", samplemail.Statement(i, 45000, true))
	}
	c.Close()
	// liaisond must not move the messages away before mbsync has read them:
	// mbsync goes first, liaisond second, on the same mailbox.
	maildir := filepath.Join(e.dir, "mbsync-maildir") + "/"
	rc := filepath.Join(e.dir, "mbsyncrc")
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
Path %s
Inbox %sINBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
`, host, port, e.dovecot.User(), e.dovecot.Password(), maildir, maildir)
	if err := os.WriteFile(rc, []byte(conf), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(maildir, 0o755); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	out, err := exec.Command(mbsync, "-c", rc, "-a").CombinedOutput()
	if err != nil {
		// Older isync spells TLSType as SSLType.
		conf = strings.Replace(conf, "TLSType None", "SSLType None", 1)
		_ = os.WriteFile(rc, []byte(conf), 0o600)
		start = time.Now()
		out, err = exec.Command(mbsync, "-c", rc, "-a").CombinedOutput()
		if err != nil {
			b.Fatalf("mbsync: %v\n%s", err, out)
		}
	}
	mbsyncTime := time.Since(start)
	files, _ := filepath.Glob(filepath.Join(maildir, "INBOX", "*", "*"))
	if len(files) < n {
		b.Fatalf("mbsync fetched %d of %d messages", len(files), n)
	}

	// liaisond: ingest only (fetch, parse, route, commit with the notices
	// queued); the config without its smtp section sends nothing.
	cmd := exec.Command(liaisondBinary(b), "run", "--once", "-c", e.recordOnly(b))
	cmd.Env = append(os.Environ(), "LIAISOND_CPUPROFILE="+os.Getenv("LIAISOND_BENCH_CPUPROFILE"))
	start = time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("liaisond run --once: %v\n%s", err, tail(out, 2000))
	}
	ingestTime := time.Since(start)
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	b.StopTimer()
	if left := len(e.dovecot.UIDs(b, "INBOX")); left != 0 {
		b.Fatalf("%d messages left in INBOX", left)
	}
	b.ReportMetric(mbsyncTime.Seconds(), "mbsync-s")
	b.ReportMetric(ingestTime.Seconds(), "liaisond-s")
	b.ReportMetric(ingestTime.Seconds()/mbsyncTime.Seconds(), "ratio")
	b.ReportMetric(float64(n)/ingestTime.Seconds(), "msgs/s")
	if ru != nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
	b.Logf("%d statements: mbsync %v, liaisond run --once %v (ratio %.2f; CPU user %v sys %v), peak RSS %d KB",
		n, mbsyncTime.Round(time.Millisecond), ingestTime.Round(time.Millisecond), ingestTime.Seconds()/mbsyncTime.Seconds(),
		time.Duration(ru.Utime.Nano()).Round(time.Millisecond), time.Duration(ru.Stime.Nano()).Round(time.Millisecond), ru.Maxrss)
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
