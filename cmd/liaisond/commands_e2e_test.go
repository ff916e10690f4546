package main

// End-to-end test of mail commands: the daemon wired in-process exactly as
// `liaisond run` wires it (daemon.setup and daemon.serve), reading a real
// Dovecot over IMAP and sending through a real Mailpit over SMTP. Under
// CI=true a missing server fails the test instead of skipping it.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	mailcmd "github.com/ietf-tools/liaisond/commands"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/internal/testsvc"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

const cmdE2EStatement = `From: "ITU-T SG15 Secretariat" <tsb-sg15@itu.int>
To: statements@ietf.example
Subject: SG15-LS123: LS on alignment of the OTN topology YANG model (for action)
Date: Mon, 23 Nov 2026 09:12:44 +0100
Message-ID: <e2e-statement@itu.int>
Content-Type: text/plain; charset=utf-8

LIAISON STATEMENT

Source:         ITU-T Study Group 15
Title:          LS on alignment of the OTN topology YANG model
For action to:  IETF CCAMP WG
Deadline:       15 March 2027
Contact:        Hiroshi Tanaka, E-mail: h.tanaka@example.net

SG15 asks CCAMP to review the OTN topology model alignment options.
`

func cmdE2EReply(from, to, inReplyTo, mid, body string) []byte {
	s := fmt.Sprintf(`From: %s
To: %s
Subject: Re: [LS-2026-0001] For action: LS on alignment of the OTN topology YANG model
Date: Tue, 24 Nov 2026 08:00:00 +0000
Message-ID: <%s>
In-Reply-To: <%s>
References: <%s>
Content-Type: text/plain; charset=utf-8

%s

On Mon, 23 Nov 2026, IETF Liaison Daemon wrote:
> LS-2026-0001: liaison statement from ITU-T Study Group 15
> delay 2030-01-01 quoted text is never a command
`, from, to, mid, inReplyTo, inReplyTo, body)
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

// cmdDaemon is the daemon wired in-process exactly as runRun wires it,
// over a real Dovecot and a real Mailpit, with mail commands enabled.
type cmdDaemon struct {
	d   *daemon
	dc  *testsvc.Dovecot
	mp  *testsvc.Mailpit
	key []byte
	// day is when the daemon's clock starts (and its tokens are issued).
	day time.Time
}

// startCmdDaemon starts it; commands adds keys to the commands section.
func startCmdDaemon(t *testing.T, commands string) *cmdDaemon {
	t.Helper()
	testsvc.Require(t, "dovecot")
	testsvc.Require(t, "mailpit")
	c := &cmdDaemon{key: []byte("e2e command key"), day: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	c.dc = testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	c.mp = testsvc.StartMailpit(t, testsvc.MailpitOptions{})
	dir := t.TempDir()
	for name, content := range map[string][]byte{"imap.secret": []byte(c.dc.Password() + "\n"), "command.key": append(c.key, '\n')} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	base := regexp.MustCompile(`(?m)^data_dir:.*$`).ReplaceAll(examples.Config, []byte("data_dir: "+filepath.Join(dir, "data")))
	base = regexp.MustCompile(`(?m)^  listen: .*$`).ReplaceAll(base, []byte(`  listen: "off"`))
	yaml := string(base) + fmt.Sprintf(`
imap:
  address: %s
  tls: none
  username: %s
  password_file: imap.secret
  poll_interval: 1s
smtp:
  address: %s
  tls: none
  from: "IETF Liaison Daemon <liaisond@ietf.example>"
commands:
  secret_file: command.key
%s`, c.dc.Addr(), c.dc.User(), c.mp.SMTPAddr(), commands)
	cfgPath := filepath.Join(dir, "liaisond.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	// A clock that starts on a fixed day (the statement's deadline is
	// still ahead) and runs in real time.
	start := time.Now()
	var logs bytes.Buffer
	c.d = &daemon{cfgPath: cfgPath, now: func() time.Time { return c.day.Add(time.Since(start)) },
		log: slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	if err := c.d.setup(cfg); err != nil {
		c.d.close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.d.serve(ctx, cfg, nil) }()
	t.Cleanup(func() {
		cancel()
		<-done
		c.d.close()
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.String())
		}
	})
	return c
}

func TestMailCommandsEndToEnd(t *testing.T) {
	c := startCmdDaemon(t, "")
	d, dc, mp, key, day := c.d, c.dc, c.mp, c.key, c.day

	// 1. A statement arrives; the manager's notice carries the token.
	dc.Append(t, "INBOX", []byte(strings.ReplaceAll(cmdE2EStatement, "\n", "\r\n")))
	notice := waitMailpit(t, mp, "notice", "jane.doe@example.org")
	want, err := mailcmd.ReplyAddress("statements@ietf.example", key, "LS-2026-0001", day)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := notice.Header.AddressList("Reply-To")
	if err != nil || len(rt) != 1 || rt[0].Address != want {
		t.Fatalf("notice Reply-To %v (%v), want %s", rt, err, want)
	}
	noticeID := strings.Trim(notice.Header.Get("Message-ID"), "<>")

	// Unacknowledged, a scheduler pass eight days on would escalate to the
	// IAB (ack_within: 7d): this is what the manager's ack must stop.
	later := day.AddDate(0, 0, 8)
	escalates := func(id string) bool {
		rep, err := d.sched.Pass(later, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rep.Mails {
			if m.Kind == "escalation-ack" && m.RecordID == id {
				return true
			}
		}
		return false
	}
	if !escalates("LS-2026-0001") {
		t.Fatal("an unacknowledged statement would not be escalated after ack_within")
	}

	ackedID := func(id string) *liaison.Action {
		var a *liaison.Action
		if err := d.db.View(func(tx *store.Tx) error {
			r, err := tx.Record(id)
			if err == nil {
				a = r.Acked
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return a
	}
	acked := func() *liaison.Action { return ackedID("LS-2026-0001") }

	// 2. Forged: the manager's address with a guessed token. Not applied;
	// the known manager is told why.
	forged, _ := mailcmd.ReplyAddress("statements@ietf.example", []byte("guess"), "LS-2026-0001", day)
	dc.Append(t, "INBOX", cmdE2EReply("Jane Doe <jane.doe@example.org>", forged, noticeID, "forged-1@example.org", "ack"))
	rej := waitMailpit(t, mp, "command-rejected", "jane.doe@example.org")
	if body := readBody(t, rej); !strings.Contains(body, "not accepted: the reply token is not valid") {
		t.Errorf("rejection says %q", body)
	}
	if a := acked(); a != nil {
		t.Fatalf("acked by a forged token: %+v", a)
	}

	// 3. Forged: the right token from a stranger. Not applied, not answered.
	dc.Append(t, "INBOX", cmdE2EReply("Mallory <mallory@evil.example>", want, noticeID, "forged-2@evil.example", "ack"))
	cmdE2EWait(t, 20*time.Second, "the stranger's mail to be recorded", func() bool { return settledInbox(d.db, 3) })
	if a := acked(); a != nil {
		t.Fatalf("acked by a stranger: %+v", a)
	}

	// 4. The manager's real reply: applied and confirmed.
	dc.Append(t, "INBOX", cmdE2EReply("Jane Doe <jane.doe@example.org>", want, noticeID, "ack-1@example.org", "Ack\r\n\r\n-- \r\nJane"))
	confirm := waitMailpit(t, mp, "command-confirm", "jane.doe@example.org")
	if body := readBody(t, confirm); !strings.Contains(body, "was applied: acknowledged") {
		t.Errorf("confirmation says %q", body)
	}
	if a := acked(); a == nil || a.By != "jane.doe@example.org" {
		t.Fatalf("after the manager's ack: %+v", a)
	}
	if escalates("LS-2026-0001") {
		t.Error("the manager's ack by mail did not stop the acknowledgement escalation")
	}
	cmdE2EWait(t, 20*time.Second, "the outbox to drain", func() bool { return settledInbox(d.db, 4) })

	// 5. A second statement; its manager Kenji answers the notice with a
	// plain reply (Reply, to the liaison address, no command): that is an
	// acknowledgement, and the escalation it would have caused is gone.
	second := strings.NewReplacer("e2e-statement@itu.int", "e2e-statement-2@itu.int", "SG15-LS123", "SG15-LS124",
		"alignment of the OTN topology YANG model", "OTN beyond 400G transport").Replace(cmdE2EStatement)
	dc.Append(t, "INBOX", []byte(strings.ReplaceAll(second, "\n", "\r\n")))
	var notice2 string
	cmdE2EWait(t, 30*time.Second, "the notice of LS-2026-0002 to kenji", func() bool {
		_ = d.db.View(func(tx *store.Tx) error {
			if e, err := tx.Outbox("LS-2026-0002|notice|kenji.sato@example.org|"); err == nil && e.State == store.OutboxSent {
				notice2 = e.MessageID
			}
			return nil
		})
		return notice2 != ""
	})
	if !escalates("LS-2026-0002") {
		t.Fatal("the second statement would not be escalated unacknowledged")
	}
	dc.Append(t, "INBOX", cmdE2EReply("Kenji Sato <kenji.sato@example.org>", "statements@ietf.example", notice2, "plain-reply@example.org",
		"Thanks, I will look after this one with the CCAMP chairs."))
	cmdE2EWait(t, 30*time.Second, "the plain reply to acknowledge LS-2026-0002", func() bool { return ackedID("LS-2026-0002") != nil })
	if a := ackedID("LS-2026-0002"); a.By != "kenji.sato@example.org" {
		t.Errorf("LS-2026-0002 acknowledged by %q", a.By)
	}
	if escalates("LS-2026-0002") {
		t.Error("a manager's plain threaded reply to the notice did not stop the acknowledgement escalation")
	}
	confirm2 := waitMailpitAbout(t, mp, "command-confirm", "kenji.sato@example.org", "[LS-2026-0002]")
	if body := readBody(t, confirm2); !strings.Contains(body, "LS-2026-0002") || !strings.Contains(body, "was applied: acknowledged") {
		t.Errorf("the acknowledgement's confirmation says %q", body)
	}
	cmdE2EWait(t, 20*time.Second, "the outbox to drain", func() bool { return settledInbox(d.db, 6) })
	for _, m := range mp.Messages(t) {
		for _, to := range m.To {
			if strings.Contains(to, "evil.example") {
				t.Errorf("mail sent to the stranger: %q", m.Subject)
			}
		}
	}
}

// waitMailpit waits for a mail of the given liaisond kind to addr and
// returns it parsed.
func waitMailpit(t *testing.T, mp *testsvc.Mailpit, kind, addr string) *mail.Message {
	t.Helper()
	return waitMailpitAbout(t, mp, kind, addr, "")
}

// waitMailpitAbout is waitMailpit for a mail whose subject names the
// statement id ("" for any).
func waitMailpitAbout(t *testing.T, mp *testsvc.Mailpit, kind, addr, id string) *mail.Message {
	t.Helper()
	var found *mail.Message
	cmdE2EWait(t, 30*time.Second, kind+" to "+addr+" about "+id, func() bool {
		for _, m := range mp.Messages(t) {
			to := strings.ToLower(strings.Join(m.To, ","))
			if !strings.Contains(to, addr) {
				continue
			}
			msg, err := mail.ReadMessage(bytes.NewReader(mp.Raw(t, m.ID)))
			if err == nil && msg.Header.Get("X-Liaisond-Kind") == kind && strings.Contains(msg.Header.Get("Subject"), id) {
				found = msg
				return true
			}
		}
		return false
	})
	return found
}

// readBody returns the decoded text of a single-part mail.
func readBody(t *testing.T, m *mail.Message) string {
	t.Helper()
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// settledInbox reports whether n INBOX messages are committed and nothing
// is left to send.
func settledInbox(db *store.DB, n uint32) bool {
	ok := false
	_ = db.View(func(tx *store.Tx) error {
		cp, _ := tx.Checkpoint("INBOX")
		q, _ := tx.QueuedOutbox()
		ok = cp.LastUID >= n && q == 0
		return nil
	})
	return ok
}

func cmdE2EWait(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting %s for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncWriter serialises log writes from the daemon's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestMailCommandReplayEndToEnd: five copies of one command, each with its
// own Message-ID, over a real Dovecot, apply once: the IAB is told once
// (through a real Mailpit) and each replay is recorded. With
// commands.authserv_id, a copy whose MTA field says the signature failed
// is refused even with a forged pass below it.
func TestMailCommandReplayEndToEnd(t *testing.T) {
	c := startCmdDaemon(t, "  authserv_id: mx.ietf.example\n")
	c.dc.Append(t, "INBOX", []byte(strings.ReplaceAll(cmdE2EStatement, "\n", "\r\n")))
	notice := waitMailpit(t, c.mp, "notice", "jane.doe@example.org")
	noticeID := strings.Trim(notice.Header.Get("Message-ID"), "<>")
	to, err := mailcmd.ReplyAddress("statements@ietf.example", c.key, "LS-2026-0001", c.day)
	if err != nil {
		t.Fatal(err)
	}
	const vouched = "Authentication-Results: mx.ietf.example;\r\n\tdkim=pass (2048-bit key) header.d=example.org header.s=s1 header.b=Ab/Cd+9=;\r\n\tdmarc=pass (p=reject dis=none) header.from=example.org\r\n"
	for i := range 5 {
		raw := cmdE2EReply("Jane Doe <jane.doe@example.org>", to, noticeID, fmt.Sprintf("replay-%d@example.org", i), "delay 2027-04-30 CCAMP meets in April")
		c.dc.Append(t, "INBOX", append([]byte(vouched), raw...))
	}
	forged := "Authentication-Results: mx.ietf.example; dkim=fail header.d=example.org; dmarc=fail header.from=example.org\r\n" +
		"Received: from mail.example.org by mx.ietf.example; Tue, 24 Nov 2026 08:00:01 +0000\r\n" + vouched
	c.dc.Append(t, "INBOX", append([]byte(forged), cmdE2EReply("Jane Doe <jane.doe@example.org>", to, noticeID, "forged-3@evil.example", "note forged")...))
	cmdE2EWait(t, 60*time.Second, "the statement and six command mails to be recorded and the mail sent", func() bool { return settledInbox(c.d.db, 7) })

	kinds := func(addr string) map[string]int { return kindsTo(t, c.mp, addr, "LS-2026-0001") }
	if n := kinds("liaison-coordination@iab.example")["command-iab"]; n != 1 {
		t.Errorf("the IAB was told of the delay %d times, want once", n)
	}
	janes := kinds("jane.doe@example.org")
	if janes["interim-reply"] != 1 || janes["command-confirm"] != 1 || janes["command-rejected"] != 1 {
		t.Errorf("jane got %v: want one interim reply, one confirmation, one refusal (the forged copy)", janes)
	}
	var evs []liaison.Event
	if err := c.d.db.View(func(tx *store.Tx) (err error) { evs, err = tx.Events("LS-2026-0001"); return err }); err != nil {
		t.Fatal(err)
	}
	count := map[liaison.EventType]int{}
	for _, ev := range evs {
		count[ev.Type]++
		if ev.Type == liaison.EventCommandRejected && !strings.Contains(ev.Detail, "could not be authenticated: dmarc=fail for example.org") {
			t.Errorf("refusal says %q", ev.Detail)
		}
	}
	if count[liaison.EventDelayed] != 1 || count[liaison.EventCommandReplayed] != 4 || count[liaison.EventCommandRejected] != 1 || count[liaison.EventNote] != 0 {
		t.Errorf("history counts %v: want 1 delayed, 4 command-replayed, 1 command-rejected, no note", count)
	}
}
