package main

// Mail loops end to end (issue 8 §3): the real daemon against real Dovecot
// and Mailpit, with a relay that sends every mail the daemon sent back
// into a mailbox the way a header-stripping list does.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/testmail"
	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// relayer moves every mail one Mailpit received into one Dovecot INBOX,
// transformed by relay.
type relayer struct {
	t     testing.TB
	from  *testsvc.Mailpit
	to    *testsvc.Dovecot
	relay testmail.Relay
	seen  map[string]bool
	// n counts the mails relayed.
	n int
}

func newRelayer(t testing.TB, from *testsvc.Mailpit, to *testsvc.Dovecot, relay testmail.Relay) *relayer {
	return &relayer{t: t, from: from, to: to, relay: relay, seen: map[string]bool{}}
}

// pump relays the mails not relayed yet and reports how many.
func (r *relayer) pump() int {
	r.t.Helper()
	moved := 0
	for _, m := range r.from.Messages(r.t) {
		if r.seen[m.ID] {
			continue
		}
		r.seen[m.ID] = true
		echo, err := r.relay.Echo(r.from.Raw(r.t, m.ID))
		if err != nil {
			r.t.Fatalf("relay %s: %v", m.ID, err)
		}
		r.to.Append(r.t, "INBOX", echo)
		moved++
	}
	r.n += moved
	return moved
}

// settle pumps the relays until nothing moves any more — every mail
// relayed, every INBOX empty, no new mail — for a quiet spell. It stops
// early when more than maxMails were sent in all (a loop) and reports
// whether things settled.
func settle(t testing.TB, limit time.Duration, maxMails int, relays []*relayer, envs []*e2eEnv) bool {
	t.Helper()
	const quiet = 5 * time.Second
	deadline := time.Now().Add(limit)
	last, still := -1, time.Now()
	for time.Now().Before(deadline) {
		moved := 0
		for _, r := range relays {
			moved += r.pump()
		}
		sent, pending := 0, 0
		for _, e := range envs {
			sent += len(e.mailpit.Messages(t))
			pending += len(e.dovecot.UIDs(t, "INBOX"))
		}
		if sent > maxMails {
			return false
		}
		if moved > 0 || pending > 0 || sent != last {
			last, still = sent, time.Now()
		} else if time.Since(still) >= quiet {
			return true
		}
		time.Sleep(250 * time.Millisecond)
	}
	return false
}

// waitQuiet waits until e's Mailpit count is at least n and has not
// changed for a while, and returns it.
func waitQuiet(t testing.TB, e *e2eEnv, n int) int {
	t.Helper()
	msgs := e.mailpit.WaitFor(t, n, 60*time.Second)
	count, since := len(msgs), time.Now()
	for time.Since(since) < 3*time.Second {
		time.Sleep(250 * time.Millisecond)
		if c := len(e.mailpit.Messages(t)); c != count {
			count, since = c, time.Now()
		}
	}
	return count
}

// recordCounts counts the records by id prefix ("LS", "MSG").
func recordCounts(e *e2eEnv) map[string]int {
	out := map[string]int{}
	for _, r := range e.records() {
		prefix, _, _ := strings.Cut(r.ID, "-")
		out[prefix]++
	}
	return out
}

// harshRelay is a list that rewrites From, gives a new Message-ID and
// drops every X-Liaisond-*, List-Id, Auto-Submitted, Precedence and
// Return-Path header: only the body and the subject carry marks.
var harshRelay = testmail.Relay{From: "Relay <relay@lists.example>", Subject: func(s string) string { return "[relay] " + s }}

// TestE2EEchoRelayCausesNoLoop: every mail the daemon sends comes back
// through a header-stripping relay. The echoes are recorded as its own
// mail: no new statement, at most 2 extra mails.
func TestE2EEchoRelayCausesNoLoop(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	e.start()
	e.dovecot.Append(t, "INBOX", statement(7000, "ITU-T SG15", "CCAMP"))
	baseline := waitQuiet(t, e, 3)
	r := newRelayer(t, e.mailpit, e.dovecot, harshRelay)
	settled := settle(t, 3*time.Minute, baseline+50, []*relayer{r}, []*e2eEnv{e})
	e.stop(syscall.SIGTERM)
	mails := len(e.mailpit.Messages(t))
	recs := recordCounts(e)
	t.Logf("echo relay: %d notices for the statement, %d echoes relayed, %d mails in all (%d extra), records %v, settled %v",
		baseline, r.n, mails, mails-baseline, recs, settled)
	if !settled {
		t.Errorf("the mail did not settle: a loop (%d mails)", mails)
	}
	if mails-baseline > 2 {
		t.Errorf("%d extra mails after the echoes, want at most 2", mails-baseline)
	}
	if recs["LS"] != 1 {
		t.Errorf("%d statements, want 1: an echo became a statement", recs["LS"])
	}
	if r.n < baseline || recs["MSG"] < baseline {
		t.Errorf("%d echoes relayed, %d recorded: the scenario did not run", r.n, recs["MSG"])
	}
}

// TestE2ETwoDaemonsCauseNoLoop: two liaisond instances (other secrets,
// other From) each relay what the other sends into their mailbox, through
// header-stripping relays. A statement to the first causes its notices
// and at most 2 mails more, in all.
func TestE2ETwoDaemonsCauseNoLoop(t *testing.T) {
	withSecret := func(secret string) e2eOptions {
		return e2eOptions{from: "Liaisond " + secret + " <liaisond-" + secret + "@ietf.example>", config: "commands:\n  secret_file: command.key\n"}
	}
	a, b := newE2E(t, withSecret("a")), newE2E(t, withSecret("b"))
	for _, e := range []*e2eEnv{a, b} {
		if err := os.WriteFile(filepath.Join(e.dir, "command.key"), []byte("key of "+e.dir+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		e.start()
	}
	a.dovecot.Append(t, "INBOX", statement(7100, "ITU-T SG15", "CCAMP"))
	baseline := waitQuiet(t, a, 3)
	ab := newRelayer(t, a.mailpit, b.dovecot, harshRelay)
	ba := newRelayer(t, b.mailpit, a.dovecot, harshRelay)
	settled := settle(t, 3*time.Minute, baseline+50, []*relayer{ab, ba}, []*e2eEnv{a, b})
	a.stop(syscall.SIGTERM)
	b.stop(syscall.SIGTERM)
	aMails, bMails := len(a.mailpit.Messages(t)), len(b.mailpit.Messages(t))
	aRecs, bRecs := recordCounts(a), recordCounts(b)
	extra := aMails - baseline + bMails
	t.Logf("two daemons: A sent %d (%d for the statement), B sent %d, %d extra; A records %v, B records %v; relayed A->B %d, B->A %d; settled %v",
		aMails, baseline, bMails, extra, aRecs, bRecs, ab.n, ba.n, settled)
	if !settled {
		t.Errorf("the mail did not settle: a loop (%d mails)", aMails+bMails)
	}
	if extra > 2 {
		t.Errorf("%d extra mails between the daemons, want at most 2", extra)
	}
	if aRecs["LS"] != 1 || bRecs["LS"] != 0 {
		t.Errorf("statements: A %d (want 1), B %d (want 0)", aRecs["LS"], bRecs["LS"])
	}
	if ab.n < baseline || bRecs["MSG"] < baseline {
		t.Errorf("B got %d of A's mails and recorded %d: the scenario did not run", ab.n, bRecs["MSG"])
	}
}

// TestE2EBreakerStopsWhatNoRuleSees: a relay that also rewrites the
// subject and drops the body mark turns every notice into a new
// statement; only the circuit breaker can stop that. It holds the queue
// after the per-recipient limit, tells the IAB once, keeps the held mail,
// and `liaisond outbox release` resumes it.
func TestE2EBreakerStopsWhatNoRuleSees(t *testing.T) {
	const limit = 4
	e := newE2E(t, e2eOptions{smtp: "  recipient_limit: 4\n  global_limit: 100\n  breaker_cooldown: 0s\n"})
	e.start()
	tag := regexp.MustCompile(`\[LS-\d{4}-\d{4,}\]\s*`)
	hostile := testmail.Relay{From: "Relay <relay@lists.example>",
		Subject: func(s string) string { return "Fw: " + tag.ReplaceAllString(s, "") },
		Text: func(s string) string {
			if i := strings.Index(s, "liaisond-mark:"); i >= 0 {
				s = s[:i]
			}
			return s
		}}
	e.dovecot.Append(t, "INBOX", statement(7200, "ITU-T SG15", "CCAMP"))
	r := newRelayer(t, e.mailpit, e.dovecot, hostile)
	settled := settle(t, 3*time.Minute, 200, []*relayer{r}, []*e2eEnv{e})
	e.stop(syscall.SIGTERM)
	msgs := e.mailpit.Messages(t)
	perRcpt := map[string]int{}
	tripMails := 0
	for _, m := range msgs {
		if strings.Contains(m.Subject, "Outgoing mail stopped") {
			tripMails++
			continue
		}
		for _, to := range m.To {
			perRcpt[to]++
		}
	}
	status := string(e.cli("outbox", "--state", "queued"))
	recs := recordCounts(e)
	t.Logf("hostile relay: %d mails (%v), %d breaker notices, records %v, settled %v", len(msgs), perRcpt, tripMails, recs, settled)
	if !settled {
		t.Errorf("the mail did not settle (%d mails)", len(msgs))
	}
	if tripMails != 1 {
		t.Errorf("%d breaker notices to the IAB, want 1", tripMails)
	}
	for rcpt, n := range perRcpt {
		if n > limit {
			t.Errorf("%d mails to %s, above the limit of %d", n, rcpt, limit)
		}
	}
	if !strings.Contains(status, "held by the circuit breaker") || !strings.Contains(status, "queued") {
		t.Errorf("`liaisond outbox` does not show the held queue:\n%s", status)
	}
	queued := 0
	for _, o := range e.outbox() {
		if o.State == "queued" {
			queued++
		}
	}
	if queued == 0 {
		t.Error("no mail held: the loop did not reach the breaker, or held mail was lost")
	}
	if out := string(e.cli("outbox", "release")); !strings.Contains(out, "released the circuit breaker") {
		t.Errorf("outbox release: %s", out)
	}
	if status := string(e.cli("outbox")); strings.Contains(status, "held by the circuit breaker") {
		t.Errorf("still held after release:\n%s", status)
	}
}
