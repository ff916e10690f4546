package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// runBinary runs liaisond with args until it exits (or timeout), and
// returns its exit code and output.
func runBinary(t *testing.T, timeout time.Duration, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(liaisondBinary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), out.String(), errb.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, out.String(), errb.String()
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("liaisond %v still runs after %v:\n%s", args, timeout, tail(errb.Bytes(), 3000))
	}
	return 0, "", ""
}

// variant writes a copy of e's config with edit applied.
func (e *e2eEnv) variant(t testing.TB, name string, edit func(string) string) string {
	t.Helper()
	data, err := os.ReadFile(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(data))
	if edited == string(data) {
		t.Fatalf("variant %s changes nothing", name)
	}
	p := filepath.Join(e.dir, name+".yaml")
	if err := os.WriteFile(p, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// recordOnly writes a copy of e's config without its smtp section, so that
// `run --once` records and sends nothing.
func (e *e2eEnv) recordOnly(t testing.TB) string {
	return e.variant(t, "record-only", func(c string) string { return c[:strings.Index(c, "\nsmtp:")+1] })
}

// On first start, IMAP or SMTP settings that cannot work end `liaisond
// run` with the reason and a non-zero exit, against real Dovecot and
// Mailpit.
func TestRunFirstStartFailuresExit(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	imapAddr, smtpAddr := e.dovecot.Addr(), e.mailpit.SMTPAddr()
	closed := fmt.Sprintf("127.0.0.1:%d", testsvc.FreePort(t))
	if err := os.WriteFile(filepath.Join(e.dir, "wrong.secret"), []byte("not-the-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(string) string
		want []string
		code int // 78 for a misconfiguration, 1 when a restart may help
	}{
		{"imap closed port", func(c string) string { return strings.Replace(c, imapAddr, closed, 1) },
			[]string{"imap:", "connection refused", "nothing accepts connections there"}, exitFailure},
		{"imap implicit TLS on a plain port", func(c string) string {
			return strings.Replace(c, "  address: "+imapAddr+"\n  tls: none", "  address: "+imapAddr+"\n  tls: implicit", 1)
		}, []string{"imap:", "does not speak TLS on this port: set tls: starttls"}, exitConfig},
		{"imap STARTTLS without it", func(c string) string {
			return strings.Replace(c, "  address: "+imapAddr+"\n  tls: none", "  address: "+imapAddr+"\n  tls: starttls", 1)
		}, []string{"imap:", "does not offer STARTTLS"}, exitConfig},
		{"imap wrong password", func(c string) string {
			return strings.Replace(c, "password_file: imap.secret", "password_file: wrong.secret", 1)
		},
			[]string{"imap:", "refused the user name or password"}, exitConfig},
		{"smtp implicit TLS on a plain port", func(c string) string {
			return strings.Replace(c, "  address: "+smtpAddr+"\n  tls: none", "  address: "+smtpAddr+"\n  tls: implicit", 1)
		}, []string{"smtp:", "does not speak TLS on this port"}, exitConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := e.variant(t, strings.ReplaceAll(tc.name, " ", "-"), tc.edit)
			code, _, stderr := runBinary(t, 90*time.Second, "run", "-c", cfg)
			if code != tc.code {
				t.Fatalf("run exited %d, want %d:\n%s", code, tc.code, tail([]byte(stderr), 3000))
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, tail([]byte(stderr), 3000))
				}
			}
			if strings.Contains(stderr, "connection lost") || strings.Contains(stderr, "not-the-secret") {
				t.Errorf("stderr says a connection was lost, or leaks the password:\n%s", stderr)
			}
		})
	}
}

func TestCheckConnect(t *testing.T) {
	e := newE2E(t, e2eOptions{tls: true, imap: "  sent_folder: Sent\n"})
	code, out, stderr := runBinary(t, 90*time.Second, "check", "--connect", "-c", e.cfgPath)
	if code != 0 {
		t.Fatalf("check --connect exit %d:\n%s\n%s", code, out, stderr)
	}
	for _, w := range []string{
		"imap " + e.dovecot.TLSAddr() + " (tls: implicit): logged in as " + e.dovecot.User(),
		"capabilities: ", "IDLE",
		`folder "INBOX" (watched): present`, `folder "Processed" (processed_folder): missing`, `folder "Failed" (failed_folder): missing`,
		`folder "Sent" (sent_folder): missing`, "claim on the mailbox (one active daemon): IMAP METADATA entry /private/vendor/liaisond/lease",
		"smtp " + e.mailpit.SMTPAddr() + " (tls: starttls, TLS 1.", "no AUTH", "extensions: ", "8BITMIME",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	// A wrong IMAP password: exit 1, the SMTP side still reported.
	if err := os.WriteFile(filepath.Join(e.dir, "wrong.secret"), []byte("not-the-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := e.variant(t, "wrong-password", func(c string) string {
		return strings.Replace(c, "password_file: imap.secret", "password_file: wrong.secret", 1)
	})
	code, out, stderr = runBinary(t, 90*time.Second, "check", "--connect", "-c", bad)
	if code != exitConfig || !strings.Contains(out, "imap "+e.dovecot.TLSAddr()+": FAILED: ") || !strings.Contains(out, "refused the user name or password") ||
		!strings.Contains(out, "smtp "+e.mailpit.SMTPAddr()+" (tls: starttls") || !strings.Contains(stderr, "cannot use imap as configured") {
		t.Errorf("wrong password: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
}
