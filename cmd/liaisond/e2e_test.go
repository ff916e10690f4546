package main

// End-to-end tests: the real liaisond binary against a real Dovecot (IMAP)
// and a real Mailpit (SMTP), both started on loopback by the tests. Under
// CI=true a missing server fails the test instead of skipping it.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/internal/testsvc"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// liaisondBinary builds the daemon once per test run.
func liaisondBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "liaisond-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "liaisond")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// e2eEnv is one daemon's world: Dovecot, Mailpit, a config and a data dir.
type e2eEnv struct {
	t       testing.TB
	dir     string
	cfgPath string
	dovecot *testsvc.Dovecot
	mailpit *testsvc.Mailpit
	cmd     *exec.Cmd
	logPath string
	starts  int
}

type e2eOptions struct {
	tls bool // implicit TLS to Dovecot, STARTTLS to Mailpit, both with a self-signed cert
	// smtp is appended to the smtp section ("  recipient_limit: 5\n").
	smtp string
	// config is appended to the whole file.
	config string
	// imap is appended to the imap section ("  sent_folder: Sent\n").
	imap string
	// from is smtp.from (default "IETF Liaison Daemon <liaisond@ietf.example>").
	from string
	// listen is the web view's address (default: the example config's).
	listen string
}

// bulkLimits lifts the outbox circuit breaker's limits for tests that
// send hundreds of notices to the same people on purpose.
const bulkLimits = "  recipient_limit: 100000\n  global_limit: 100000\n"

func newE2E(t testing.TB, opt e2eOptions) *e2eEnv {
	t.Helper()
	testsvc.Require(t, "dovecot")
	testsvc.Require(t, "mailpit")
	e := &e2eEnv{t: t, dir: t.TempDir()}
	e.dovecot = testsvc.StartDovecot(t, testsvc.DovecotOptions{TLS: opt.tls})
	e.mailpit = testsvc.StartMailpit(t, testsvc.MailpitOptions{STARTTLS: opt.tls})
	if err := os.WriteFile(filepath.Join(e.dir, "imap.secret"), []byte(e.dovecot.Password()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	imapSec := fmt.Sprintf("  address: %s\n  tls: none\n", e.dovecot.Addr())
	smtpSec := fmt.Sprintf("  address: %s\n  tls: none\n", e.mailpit.SMTPAddr())
	if opt.tls {
		imapSec = fmt.Sprintf("  address: %s\n  tls: implicit\n  ca_file: %s\n", e.dovecot.TLSAddr(), e.dovecot.Cert().CertFile)
		smtpSec = fmt.Sprintf("  address: %s\n  tls: starttls\n  ca_file: %s\n", e.mailpit.SMTPAddr(), e.mailpit.Cert.CertFile)
	}
	from := opt.from
	if from == "" {
		from = "IETF Liaison Daemon <liaisond@ietf.example>"
	}
	base := regexp.MustCompile(`(?m)^data_dir:.*$`).ReplaceAll(examples.Config, []byte("data_dir: "+filepath.Join(e.dir, "data")))
	base = regexp.MustCompile(`(?m)^  format: text.*$`).ReplaceAll(base, []byte("  format: json"))
	if opt.listen != "" {
		base = regexp.MustCompile(`(?m)^  listen: .*$`).ReplaceAll(base, []byte("  listen: "+opt.listen))
	}
	cfg := string(base) + fmt.Sprintf(`
imap:
%s  username: %s
  password_file: imap.secret
  folders: [INBOX]
  processed_folder: Processed
  failed_folder: Failed
  poll_interval: 2s
  idle_restart: 1m
%ssmtp:
%s  from: %q
  retry_initial: 1s
  retry_max_age: 1h
%s%s`, imapSec, e.dovecot.User(), opt.imap, smtpSec, from, opt.smtp, opt.config)
	e.cfgPath = filepath.Join(e.dir, "liaisond.yaml")
	if err := os.WriteFile(e.cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	e.logPath = filepath.Join(e.dir, "daemon.log")
	t.Cleanup(func() {
		e.stop(syscall.SIGTERM)
		if t.Failed() {
			if data, err := os.ReadFile(e.logPath); err == nil {
				t.Logf("daemon log (last 4 KB):\n%s", tail(data, 4096))
			}
		}
	})
	return e
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// start runs `liaisond run` in the background.
func (e *e2eEnv) start() {
	e.t.Helper()
	logf, err := os.OpenFile(e.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		e.t.Fatal(err)
	}
	e.cmd = exec.Command(liaisondBinary(e.t), "run", "-c", e.cfgPath)
	e.cmd.Stdout, e.cmd.Stderr = logf, logf
	if err := e.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.starts++
}

// stop signals the daemon and waits for it.
func (e *e2eEnv) stop(sig syscall.Signal) {
	if e.cmd == nil || e.cmd.Process == nil {
		return
	}
	_ = e.cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = e.cmd.Process.Kill()
		<-done
		e.t.Errorf("daemon did not stop within 15s after %v", sig)
	}
	e.cmd = nil
}

// cli runs a one-shot liaisond command and returns its stdout.
func (e *e2eEnv) cli(args ...string) []byte {
	e.t.Helper()
	cmd := exec.Command(liaisondBinary(e.t), append(args[:1:1], append([]string{"-c", e.cfgPath}, args[1:]...)...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		e.t.Fatalf("liaisond %v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes()
}

// jsonLines decodes one JSON object per line.
func jsonLines[T any](t testing.TB, data []byte) []T {
	t.Helper()
	var out []T
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		out = append(out, v)
	}
	return out
}

type listed struct {
	ID          string `json:"id"`
	MessageID   string `json:"message_id"`
	Kind        string `json:"kind"`
	FromOrg     string `json:"from_org"`
	DuplicateOf string `json:"duplicate_of"`
}

type outboxJSON struct {
	Key       string `json:"key"`
	RecordID  string `json:"record_id"`
	Kind      string `json:"kind"`
	Recipient string `json:"recipient"`
	MessageID string `json:"message_id"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
}

// records lists every recorded message of every kind. The daemon holds the
// database, so this is only called while it is stopped.
func (e *e2eEnv) records() []listed {
	return jsonLines[listed](e.t, e.cli("list", "--state", "all", "--kind", "all", "--json"))
}

func (e *e2eEnv) outbox() []outboxJSON {
	return jsonLines[outboxJSON](e.t, e.cli("outbox", "--json"))
}

// statement makes a distinct ITU-style statement numbered n.
func statement(n int, org, group string) []byte {
	s := fmt.Sprintf(`From: "%[2]s Secretariat" <tsb@itu.int>
To: statements@ietf.example
Subject: LS from %[2]s to IETF %[3]s on topic %[1]d (for action)
Date: Mon, 23 Nov 2026 09:12:44 +0100
Message-ID: <e2e-%[1]d@itu.int>
Content-Type: text/plain; charset=utf-8

LIAISON STATEMENT

Source:         %[2]s
Title:          LS on interface alignment, part %[1]d
For action to:  IETF %[3]s WG
Deadline:       15 March 2027
Contact:        Hiroshi Tanaka, E-mail: h.tanaka@example.net

%[2]s asks %[3]s to review alignment option %[1]d before the deadline.
`, n, org, group)
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

// waitUntil polls cond until it holds or the timeout passes.
func waitUntil(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestE2EIdleToRoutedNoticeOverTLS delivers a statement by IMAP APPEND
// while the daemon idles (implicit TLS to Dovecot, STARTTLS to Mailpit with
// a self-signed certificate) and checks the routed notices arrive.
func TestE2EIdleToRoutedNoticeOverTLS(t *testing.T) {
	e := newE2E(t, e2eOptions{tls: true})
	e.start()
	// Let the daemon connect and settle into IDLE.
	time.Sleep(1500 * time.Millisecond)
	var lat []time.Duration
	for i := 1; i <= 3; i++ {
		before := len(e.mailpit.Messages(t))
		start := time.Now()
		e.dovecot.Append(t, "INBOX", statement(i, "ITU-T SG15", "CCAMP"))
		waitUntil(t, 20*time.Second, "routed notice", func() bool { return len(e.mailpit.Messages(t)) > before })
		lat = append(lat, time.Since(start))
	}
	t.Logf("APPEND -> first notice accepted by Mailpit: %v", lat)
	msgs := e.mailpit.WaitFor(t, 9, 20*time.Second)
	var toChairs int
	for _, m := range msgs {
		if strings.Contains(strings.Join(m.To, ","), "ccamp-chairs@ietf.example") {
			toChairs++
			raw := string(e.mailpit.Raw(t, m.ID))
			for _, h := range []string{"Auto-Submitted: auto-generated", "X-Liaisond-Loop:", "List-Id:", "In-Reply-To: <e2e-"} {
				if !strings.Contains(raw, h) {
					t.Errorf("notice %q lacks %q", m.Subject, h)
				}
			}
			if !regexp.MustCompile(`\[LS-\d{4}-\d{4}\]`).MatchString(m.Subject) {
				t.Errorf("notice subject lacks the statement id: %q", m.Subject)
			}
		}
	}
	if toChairs != 3 {
		t.Errorf("ccamp chairs got %d notices, want 3", toChairs)
	}
	e.stop(syscall.SIGTERM)
	// Committed messages were moved out of the inbox.
	if uids := e.dovecot.UIDs(t, "INBOX"); len(uids) != 0 {
		t.Errorf("INBOX still holds %d messages", len(uids))
	}
	if n := len(e.dovecot.UIDs(t, "Processed")); n != 3 {
		t.Errorf("Processed holds %d messages, want 3", n)
	}
}

// TestE2EKilledWhileIngesting kills the daemon with SIGKILL at random points
// while it ingests 500 statements, restarts it each time, and then checks
// that every statement is recorded exactly once and every notice delivered.
func TestE2EKilledWhileIngesting(t *testing.T) {
	const n = 500
	e := newE2E(t, e2eOptions{smtp: bulkLimits})
	c := e.dovecot.Client(t)
	groups := []string{"CCAMP", "TEAS", "MPLS", "DETNET"}
	for i := 0; i < n; i++ {
		e.dovecot.AppendWith(t, c, "INBOX", statement(1000+i, "ITU-T SG15", groups[i%len(groups)]))
	}
	c.Close()
	rng := rand.New(rand.NewSource(42))
	kills := 0
	for round := 0; round < 8; round++ {
		e.start()
		time.Sleep(time.Duration(150+rng.Intn(900)) * time.Millisecond)
		e.stop(syscall.SIGKILL)
		kills++
	}
	// A last run that is allowed to finish.
	e.start()
	waitUntil(t, 3*time.Minute, "the inbox to drain", func() bool { return len(e.dovecot.UIDs(t, "INBOX")) == 0 })
	// Give the outbox time to drain, then stop cleanly to read the store.
	var queued int
	for tries := 0; tries < 60; tries++ {
		time.Sleep(time.Second)
		e.stop(syscall.SIGTERM)
		queued = 0
		for _, o := range e.outbox() {
			if o.State != "sent" {
				queued++
			}
		}
		if queued == 0 {
			break
		}
		e.start()
	}
	if queued != 0 {
		t.Fatalf("%d outbox entries never sent", queued)
	}

	recs := e.records()
	seen := map[string]int{}
	for _, r := range recs {
		seen[r.MessageID]++
		if r.Kind != "statement" || r.DuplicateOf != "" || !strings.HasPrefix(r.ID, "LS-") {
			t.Errorf("unexpected record %+v", r)
		}
	}
	for i := 0; i < n; i++ {
		mid := fmt.Sprintf("e2e-%d@itu.int", 1000+i)
		if seen[mid] != 1 {
			t.Errorf("%s recorded %d times", mid, seen[mid])
		}
	}
	if len(recs) != n {
		t.Errorf("%d records, want %d", len(recs), n)
	}

	// Every queued notice reached Mailpit; count the ones that arrived twice
	// (a SIGKILL between the SMTP server's acceptance and our commit).
	box := e.outbox()
	got := map[string]int{}
	for _, m := range e.mailpit.Messages(t) {
		got[m.MessageID]++
	}
	dups := 0
	var missing []string
	for _, o := range box {
		switch c := got[o.MessageID]; {
		case c == 0:
			missing = append(missing, o.Key)
		case c > 1:
			dups += c - 1
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d notices never reached the SMTP server, e.g. %v", len(missing), missing[:min(5, len(missing))])
	}
	t.Logf("%d statements, %d SIGKILLs, %d notices queued, %d delivered twice (SMTP transaction cut by a kill)", n, kills, len(box), dups)
	if dups > kills {
		t.Errorf("%d duplicate deliveries for %d kills: more than one per interrupted transaction", dups, kills)
	}
}

// TestE2ESMTPOutageDrains stops the SMTP server, lets statements arrive,
// and checks the outbox drains once the server is back.
func TestE2ESMTPOutageDrains(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	e.mailpit.Stop(t)
	e.start()
	for i := 0; i < 3; i++ {
		e.dovecot.Append(t, "INBOX", statement(2000+i, "ITU-T SG15", "CCAMP"))
	}
	waitUntil(t, 30*time.Second, "messages committed", func() bool { return len(e.dovecot.UIDs(t, "INBOX")) == 0 })
	time.Sleep(3 * time.Second) // a few failed delivery attempts
	e.mailpit.Start(t)
	// Each statement gets a notice to SG15's two managers and to the chairs
	// of ccamp (named) and teas (SG15's route): 4 mails, 12 in all. Waiting
	// for fewer and stopping races the last deliveries on a loaded machine.
	msgs := e.mailpit.WaitFor(t, 12, 90*time.Second)
	e.stop(syscall.SIGTERM)
	retried := 0
	for _, o := range e.outbox() {
		if o.State != "sent" {
			t.Errorf("outbox entry %s is %s", o.Key, o.State)
		}
		if o.Attempts > 1 {
			retried++
		}
	}
	if retried == 0 {
		t.Error("no entry needed a retry: the outage was not exercised")
	}
	t.Logf("%d mails delivered after the outage, %d needed retries", len(msgs), retried)
}

// TestE2EDovecotRestartUnderDaemon restarts Dovecot while the daemon idles
// and checks mail appended afterwards is still recorded and routed.
func TestE2EDovecotRestartUnderDaemon(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	e.start()
	e.dovecot.Append(t, "INBOX", statement(3000, "ITU-T SG15", "CCAMP"))
	waitUntil(t, 20*time.Second, "first statement", func() bool { return len(e.mailpit.Messages(t)) > 0 })
	e.dovecot.Restart(t)
	e.dovecot.Append(t, "INBOX", statement(3001, "ITU-T SG15", "CCAMP"))
	waitUntil(t, 60*time.Second, "statement after the restart", func() bool {
		for _, m := range e.mailpit.Messages(t) {
			if strings.Contains(m.Subject, "part 3001") {
				return true
			}
		}
		return false
	})
	e.stop(syscall.SIGTERM)
	if recs := e.records(); len(recs) != 2 {
		t.Errorf("records = %+v", recs)
	}
}

// mailTo reports (when called) whether Mailpit holds a mail to addr.
func (e *e2eEnv) mailTo(addr string) func() bool {
	return func() bool {
		for _, m := range e.mailpit.Messages(e.t) {
			if strings.Contains(strings.Join(m.To, ","), addr) {
				return true
			}
		}
		return false
	}
}

// TestE2EReloadOnSIGHUP reloads the config under a running daemon: a broken
// file is reported and the running config kept; a good one takes effect
// for the next statement.
func TestE2EReloadOnSIGHUP(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	good, err := os.ReadFile(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	e.start()
	time.Sleep(time.Second)
	logHas := func(s string) func() bool {
		return func() bool {
			data, _ := os.ReadFile(e.logPath)
			return bytes.Contains(data, []byte(s))
		}
	}
	hup := func() {
		if err := e.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	// 1. A broken config: reported, the daemon carries on with the old one.
	if err := os.WriteFile(e.cfgPath, append(append([]byte(nil), good...), "\nbogus_key: 1\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	hup()
	waitUntil(t, 10*time.Second, "the failed reload to be logged", logHas("config reload failed"))
	e.dovecot.Append(t, "INBOX", statement(4000, "ITU-T SG15", "CCAMP"))
	waitUntil(t, 20*time.Second, "a notice under the old config", e.mailTo("jane.doe@example.org"))
	// 2. A good config with another manager for SG15: used from now on.
	next := bytes.ReplaceAll(good, []byte("jane.doe@example.org"), []byte("new.manager@example.org"))
	if err := os.WriteFile(e.cfgPath, next, 0o600); err != nil {
		t.Fatal(err)
	}
	hup()
	waitUntil(t, 10*time.Second, "the reload to be logged", logHas("config reloaded"))
	e.dovecot.Append(t, "INBOX", statement(4001, "ITU-T SG15", "CCAMP"))
	waitUntil(t, 20*time.Second, "a notice about the next statement to the new manager", func() bool {
		for _, m := range e.mailpit.Messages(t) {
			if slices.Contains(m.To, "new.manager@example.org") && strings.Contains(m.Subject, "part 4001") {
				return true
			}
		}
		return false
	})
}
