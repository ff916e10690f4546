package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// standbyConfig: a short claim, so that the test sees a takeover.
var standbyConfig = e2eOptions{imap: "  sent_folder: Sent\n  lease_ttl: 6s\n", config: "commands:\n  secret_file: command.key\n"}

// listenOn moves the web view of e's config to a free loopback port and
// returns its base URL.
func (e *e2eEnv) listenOn() string {
	e.t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", testsvc.FreePort(e.t))
	e.replaceInConfig(`(?m)^  listen: .*$`, "  listen: "+addr)
	return "http://" + addr
}

func (e *e2eEnv) replaceInConfig(re, repl string) {
	e.t.Helper()
	e.editConfig(func(s string) string { return regexp.MustCompile(re).ReplaceAllString(s, repl) })
}

// twin is a second daemon on e's mailbox (the same Dovecot account, the
// same Mailpit and command key) with a data dir of its own: a standby on
// another machine.
func (e *e2eEnv) twin() *e2eEnv {
	e.t.Helper()
	b := &e2eEnv{t: e.t, dir: e.t.TempDir(), dovecot: e.dovecot, mailpit: e.mailpit}
	for _, name := range []string{"liaisond.yaml", "imap.secret", "command.key"} {
		data, err := os.ReadFile(filepath.Join(e.dir, name))
		if err != nil {
			e.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(b.dir, name), data, 0o600); err != nil {
			e.t.Fatal(err)
		}
	}
	b.cfgPath, b.logPath = filepath.Join(b.dir, "liaisond.yaml"), filepath.Join(b.dir, "daemon.log")
	b.replaceInConfig(`(?m)^data_dir:.*$`, "data_dir: "+filepath.Join(b.dir, "data"))
	e.t.Cleanup(func() {
		b.stop(syscall.SIGTERM)
		if e.t.Failed() {
			if data, err := os.ReadFile(b.logPath); err == nil {
				e.t.Logf("twin daemon log (last 4 KB):\n%s", tail(data, 4096))
			}
		}
	})
	return b
}

// logged reports (when called) how often the daemon's log has said msg
// since the log held from bytes.
func (e *e2eEnv) logged(msg string, from int) func() int {
	return func() int {
		data, _ := os.ReadFile(e.logPath)
		if from > len(data) {
			from = len(data)
		}
		return strings.Count(string(data[from:]), `"msg":"`+msg+`"`)
	}
}

func (e *e2eEnv) logSize() int {
	fi, err := os.Stat(e.logPath)
	if err != nil {
		return 0
	}
	return int(fi.Size())
}

// cliExit runs a one-shot liaisond command and returns its exit code,
// stdout and stderr.
func (e *e2eEnv) cliExit(args ...string) (int, string, string) {
	e.t.Helper()
	cmd := exec.Command(liaisondBinary(e.t), append(args[:1:1], append([]string{"-c", e.cfgPath}, args[1:]...)...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errb.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errb.String()
	}
	e.t.Fatalf("liaisond %v: %v", args, err)
	return 0, "", ""
}

// get fetches url and returns its status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestE2EStandbyTakesOver runs two daemons with their own data dirs on one
// mailbox (Dovecot, with the claim in METADATA): one is active, the other
// a standby that processes and sends nothing and says so (log, /readyz,
// metrics). The active one is killed; the standby takes over once the
// claim expired, catches up from the mailbox and carries on: no mail is
// sent twice. The first, restarted, is now the standby; when the second
// stops cleanly it takes over at once and catches up in turn.
func TestE2EStandbyTakesOver(t *testing.T) {
	e := newE2E(t, standbyConfig)
	writeCommandKey(t, e)
	webA := e.listenOn()
	b := e.twin()
	webB := b.listenOn()

	e.start()
	waitUntil(t, 30*time.Second, "A to hold the mailbox", func() bool { return e.logged("this daemon holds the mailbox", 0)() > 0 })
	b.start()
	waitUntil(t, 30*time.Second, "B to wait as a standby", func() bool {
		return b.logged("standby: another daemon holds the mailbox; waiting for its claim to expire", 0)() > 0
	})
	waitUntil(t, 30*time.Second, "B's web view", func() bool { code, _ := get(t, webB+"/readyz"); return code != 0 })
	if code, body := get(t, webB+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "mailbox: standby, held by") {
		t.Errorf("standby B's /readyz: %d %q", code, body)
	}
	if _, body := get(t, webB+"/metrics"); !strings.Contains(body, `liaisond_mailbox_role{role="standby"} 1`) {
		t.Errorf("standby B's metrics lack the standby role")
	}

	// A works; B does nothing.
	for i := range 2 {
		e.dovecot.Append(t, "INBOX", statement(7100+i, "ITU-T SG15", "CCAMP"))
	}
	n := e.waitQuiet(8)
	if code, body := get(t, webA+"/readyz"); code != http.StatusOK || !strings.Contains(body, "mailbox: active") {
		t.Errorf("active A's /readyz: %d %q", code, body)
	}
	if got := b.logged("message recorded", 0)() + b.logged("mail sent", 0)(); got != 0 {
		t.Fatalf("the standby recorded or sent %d times", got)
	}
	// Through the standby's control socket, reading works; changing is
	// refused (its database is rebuilt when it takes over).
	if code, _, errs := b.cliExit("list", "--state", "all"); code != 0 {
		t.Errorf("list through the standby: exit %d %s", code, errs)
	}
	if code, _, errs := b.cliExit("note", "LS-2026-0001", "from the standby"); code != exitLocked || !strings.Contains(errs, "this daemon is a standby") {
		t.Errorf("an action through the standby: exit %d, %q", code, errs)
	}

	// A dies without releasing its claim: B waits for it to expire, then
	// takes over, catches up from the mailbox, and records what came since.
	killed := time.Now()
	e.stop(syscall.SIGKILL)
	e.dovecot.Append(t, "INBOX", statement(7102, "ITU-T SG15", "CCAMP"))
	waitUntil(t, 60*time.Second, "B to take over", func() bool { return b.logged("this daemon holds the mailbox", 0)() > 0 })
	took := time.Since(killed)
	if took < 4*time.Second {
		t.Errorf("B took over %v after A died, before the claim (6s) could expire", took)
	}
	if b.logged("this database is behind the mailbox: rebuilding it from the mailbox before processing or sending anything", 0)() != 1 {
		t.Error("B did not catch up from the mailbox on taking over")
	}
	n = e.waitQuiet(n + 4)
	if code, body := get(t, webB+"/readyz"); code != http.StatusOK || !strings.Contains(body, "mailbox: active") {
		t.Errorf("B after the takeover: /readyz %d %q", code, body)
	}

	// While B holds the mailbox, run --once (A's cron job) does nothing and
	// says who holds it, exit 75.
	if code, _, errs := e.cliExit("run", "--once"); code != exitLocked || !strings.Contains(errs, "another daemon holds the mailbox") {
		t.Errorf("run --once while B holds the mailbox: exit %d, %q", code, errs)
	}
	if got := e.logged("message recorded", 0)(); got != 2 {
		t.Errorf("A recorded %d messages, want the 2 before it died", got)
	}

	// A comes back: B holds the mailbox, so A is the standby now.
	from := e.logSize()
	e.start()
	waitUntil(t, 30*time.Second, "A to wait as a standby", func() bool {
		return e.logged("standby: another daemon holds the mailbox; waiting for its claim to expire", from)() > 0
	})
	// B stops cleanly: it releases the claim and A takes over at once,
	// catching up with what B did.
	stopped := time.Now()
	b.stop(syscall.SIGTERM)
	waitUntil(t, 30*time.Second, "A to take over", func() bool { return e.logged("this daemon holds the mailbox", from)() > 0 })
	if took := time.Since(stopped); took > 6*time.Second {
		t.Errorf("A took %v to take a released mailbox over", took)
	}
	if e.logged("this database is behind the mailbox: rebuilding it from the mailbox before processing or sending anything", from)() != 1 {
		t.Error("A did not catch up with what B did")
	}
	e.dovecot.Append(t, "INBOX", statement(7103, "ITU-T SG15", "CCAMP"))
	n = e.waitQuiet(n + 4)

	// No mail twice, through two takeovers.
	for mid, c := range e.mailpitIDs() {
		if c != 1 {
			t.Errorf("%s reached Mailpit %d times", mid, c)
		}
	}
	if n != 16 {
		t.Errorf("%d mails for 4 statements of 4 notices each", n)
	}
	t.Logf("standby took over %v after the active daemon was killed (claim 6s); %d mails, none twice", took.Round(100*time.Millisecond), n)
}
