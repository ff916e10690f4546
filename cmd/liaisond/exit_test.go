package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/store"
)

// runArgs runs liaisond in-process with exactly args.
func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runMain(&cmdEnv{stdout: &out, stderr: &errb, now: time.Now}, args)
	return code, out.String(), errb.String()
}

// writeConfig writes the example config with the data dir replaced and
// extra appended, and returns its path.
func writeConfig(t *testing.T, dataDir, extra string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := regexp.MustCompile(`(?m)^data_dir:.*$`).ReplaceAll(examples.Config, []byte("data_dir: "+dataDir))
	p := filepath.Join(dir, "liaisond.yaml")
	if err := os.WriteFile(p, append(cfg, extra...), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExitCodes: what a supervisor or a script sees for each kind of
// failure (README, "Exit codes").
func TestExitCodes(t *testing.T) {
	good := writeConfig(t, filepath.Join(t.TempDir(), "data"), "")
	noPassword := writeConfig(t, filepath.Join(t.TempDir(), "data"),
		"\nimap:\n  address: 127.0.0.1:1\n  tls: none\n  username: liaison\n  password_file: /nonexistent/imap.secret\n")
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring, "" = must be empty
		stderrPart string
	}{
		{"no arguments: usage on stderr", nil, exitUsage, "", "Commands:"},
		{"help on stdout", []string{"help"}, exitOK, "Commands:", ""},
		{"unknown command", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{"--version", []string{"--version"}, exitOK, "liaisond ", ""},
		{"version takes no arguments", []string{"version", "x"}, exitUsage, "", "no arguments"},
		{"missing config file", []string{"list", "-c", "/nonexistent/liaisond.yaml"}, exitConfig, "", "no such file"},
		{"invalid config", []string{"run", "-c", writeBad(t), "--once"}, exitConfig, "", "liason_typo: unknown key"},
		{"invalid config in check", []string{"check", "-c", writeBad(t)}, exitConfig, "", "liason_typo"},
		{"unreadable password file", []string{"run", "-c", noPassword, "--once"}, exitConfig, "", "/nonexistent/imap.secret"},
		{"valid config", []string{"check", "-c", good}, exitOK, ": ok: ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runArgs(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if (tt.stdout == "" && out != "") || !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q, want %q", out, tt.stdout)
			}
			if !strings.Contains(errs, tt.stderrPart) {
				t.Errorf("stderr %q lacks %q", errs, tt.stderrPart)
			}
		})
	}
	t.Run("internal commands are not advertised", func(t *testing.T) {
		if _, out, _ := runArgs("help"); strings.Contains(out, "pdftext") || !strings.Contains(out, "version") {
			t.Errorf("help:\n%s", out)
		}
	})
}

func writeBad(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(p, []byte("liaison_address: statements@ietf.example\nliason_typo: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLockedDataDirIsATemporaryFailure: a one-shot command while another
// process holds the data dir exits 75 (EX_TEMPFAIL: try later), which cron
// wrappers and timers can tell from a real failure.
func TestLockedDataDirIsATemporaryFailure(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cfg := writeConfig(t, data, "")
	db, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	code, _, errs := runArgs("ingest", "-c", cfg, "--no-mail", "../../testdata/corpus/01-tracker-sg15-otn-action.eml")
	if code != exitLocked || !strings.Contains(errs, "locked") {
		t.Errorf("exit %d, want %d: %s", code, exitLocked, errs)
	}
}

// TestCheckReportsWhatTheConfigNames: secrets that cannot be read and a
// data dir that cannot be written are reported with the key's line, before
// the daemon meets them.
func TestCheckReportsWhatTheConfigNames(t *testing.T) {
	dir := t.TempDir()
	aFile := filepath.Join(dir, "not-a-dir")
	if err := os.WriteFile(aFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "command.key")
	if err := os.WriteFile(key, []byte("k3y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dataDir, extra string
		code                 int
		want                 []string
	}{
		{"missing password file", filepath.Join(dir, "d1"),
			"\nimap:\n  address: imap.example.org:993\n  username: liaison\n  password_file: missing.secret\n", exitConfig,
			[]string{"imap.password_file: read secret file", "missing.secret: no such file or directory"}},
		{"unreadable secret file (a directory)", filepath.Join(dir, "d2"),
			"\ncommands:\n  secret_file: " + dir + "\n", exitConfig,
			[]string{"commands.secret_file: read secret file " + dir + ": is a directory"}},
		{"data dir is a file", aFile, "", exitConfig, []string{"data_dir: " + aFile + " is not a directory"}},
		{"data dir under a file", filepath.Join(aFile, "data"), "", exitConfig,
			[]string{"data_dir: " + filepath.Join(aFile, "data") + " does not exist and cannot be created"}},
		{"password from an unset variable: a warning", filepath.Join(dir, "d3"),
			"\nsmtp:\n  address: smtp.example.org:587\n  username: liaison\n  password_env: LIAISOND_TEST_UNSET_PW\n  from: \"D <d@ietf.example>\"\n", exitOK,
			[]string{"smtp.password_env: warning: secret: environment variable LIAISOND_TEST_UNSET_PW is not set"}},
		{"mail commands without an authserv-id: a warning", filepath.Join(dir, "d4"),
			"\ncommands:\n  secret_file: " + key + "\n", exitOK,
			[]string{"commands: warning: commands.authserv_id is not set: mail commands (and replies that acknowledge) rest on the reply token and the From address alone"}},
		{"an unknown control group", filepath.Join(dir, "d5"),
			"\ncontrol:\n  group: no-such-group-liaisond\n", exitConfig,
			[]string{"control.group: group: unknown group no-such-group-liaisond"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeConfig(t, tt.dataDir, tt.extra)
			code, _, errs := runArgs("check", "-c", cfg)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(cfg) + `:\d+: `).MatchString(errs) {
				t.Errorf("no FILE:LINE: prefix:\n%s", errs)
			}
		})
	}
}

// TestRunOnceIsSilentOnSuccess: cron mails whatever a job prints, so
// `run --once` that records a statement and sends its notices over real
// Dovecot and Mailpit prints nothing at all; a failure still speaks.
func TestRunOnceIsSilentOnSuccess(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	e.dovecot.Append(t, "INBOX", statement(8100, "ITU-T SG15", "CCAMP"))
	code, out, errs := runArgs("run", "-c", e.cfgPath, "--once")
	if code != 0 || out != "" || errs != "" {
		t.Fatalf("run --once: exit %d, stdout %q, stderr %q (want silence)", code, out, errs)
	}
	if !e.mailTo("jane.doe@example.org")() {
		t.Error("the notice was not sent")
	}
	e.dovecot.Stop(t)
	code, _, errs = runArgs("run", "-c", e.cfgPath, "--once")
	if code == 0 || errs == "" {
		t.Errorf("run --once without its IMAP server: exit %d, stderr %q", code, errs)
	}
}

// TestCheckReadsCredentialFiles: a bad line of the web's tokens or users
// file is a problem with its line number; an identity that plays no role
// in the configuration is a warning.
func TestCheckReadsCredentialFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hash := "$2a$04$vJDLt/hvybnIFkkVO8/OEe3X3UVf.TROuuSMp4HJBS/Lo5IeJkJQW" // bcrypt of "pw", cost 4
	tests := []struct {
		name, tokens, users string
		code                int
		want                []string
	}{
		{"identities of the config", "sha256:" + strings.Repeat("ab", 32) + " jane.doe@example.org\nops-token ops@example.org operator\n",
			"jane:" + hash + ":jane.doe@example.org\nad:" + hash + ":rtg-ad-one@example.org\n", exitOK, nil},
		{"a bad token line", "tok jane.doe@example.org admin\n", "", exitConfig, []string{"http.tokens_file: web: tokens file", "line 1", `the only flag is "operator"`}},
		{"a bad user line", "", "jane:" + hash + ":Jane <jane.doe@example.org>\n", exitConfig, []string{"http.users_file: web: users file", `user "jane"`}},
		{"someone with no role", "tok stranger@example.net\n", "", exitOK, []string{"http.tokens_file: warning: stranger@example.net is no manager"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeConfig(t, filepath.Join(t.TempDir(), "data"), "")
			y, err := os.ReadFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			y = regexp.MustCompile(`(?m)^  tokens_file: .*$`).ReplaceAll(y, []byte("  tokens_file: "+write("tokens", tt.tokens)))
			y = regexp.MustCompile(`(?m)^  users_file: .*$`).ReplaceAll(y, []byte("  users_file: "+write("users", tt.users)))
			if err := os.WriteFile(cfg, y, 0o600); err != nil {
				t.Fatal(err)
			}
			code, _, errs := runArgs("check", "-c", cfg)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if tt.want == nil && errs != "" {
				t.Errorf("stderr: %s", errs)
			}
		})
	}
}
