package main

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/store/storetest"
)

// damagedCLI is a CLI environment whose database holds the corpus, with a
// pristine copy to restore between damages.
type damagedCLI struct {
	*cliEnv
	db, pristine string
}

func newDamagedCLI(t *testing.T) *damagedCLI {
	t.Helper()
	c := newCLI(t)
	if code, _, errs := c.run("ingest", "--no-mail", "../../testdata/corpus"); code != 0 {
		t.Fatalf("ingest exit %d: %s", code, errs)
	}
	d := &damagedCLI{cliEnv: c, db: filepath.Join(filepath.Dir(c.cfg), "data", store.FileName), pristine: filepath.Join(t.TempDir(), "pristine.db")}
	storetest.Copy(t, d.db, d.pristine)
	return d
}

// damage restores the pristine copy and damages it.
func (d *damagedCLI) damage(how string) {
	d.t.Helper()
	storetest.Copy(d.t, d.pristine, d.db)
	switch how {
	case "truncated":
		storetest.Truncate(d.t, d.db)
	case "overwritten":
		storetest.Overwrite(d.t, d.db, 7)
	default:
		d.t.Fatalf("unknown damage %q", how)
	}
}

// TestDamagedDatabaseEveryCommand runs the commands that touch the
// database over a truncated and an overwritten copy: each must exit 65
// with a message naming the file and what to do, never panic.
func TestDamagedDatabaseEveryCommand(t *testing.T) {
	d := newDamagedCLI(t)
	commands := [][]string{
		{"list", "--state", "all"},
		{"show", "LS-2026-0001"},
		{"outbox"},
		{"export", "json"},
		{"reprocess"},
		{"sweep", "--at", "2027-03-01", "--dry-run"},
		{"ingest", "--no-mail", "../../testdata/corpus/01-tracker-sg15-otn-action.eml"},
		{"run", "--once"},
		{"check", "--db"},
	}
	for _, how := range []string{"truncated", "overwritten"} {
		for _, args := range commands {
			t.Run(how+"/"+args[0], func(t *testing.T) {
				d.damage(how)
				code, out, errs := d.run(args...)
				if code != exitDamaged {
					t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitDamaged, out, errs)
				}
				for _, want := range []string{d.db, "restore", "check --db"} {
					if !strings.Contains(errs, want) {
						t.Errorf("stderr lacks %q:\n%s", want, errs)
					}
				}
				if strings.Contains(errs, "goroutine ") {
					t.Errorf("stderr shows a panic:\n%s", errs)
				}
			})
		}
	}
	// The pristine copy checks clean.
	storetest.Copy(t, d.pristine, d.db)
	if code, out, errs := d.run("check", "--db"); code != 0 || !strings.Contains(out, d.db+": ok: ") {
		t.Errorf("check --db of a sound file: exit %d\n%s%s", code, out, errs)
	}
}

// TestDamagedDatabaseSubprocess runs the real binary: a truncated file
// made `list` die of SIGBUS; it must now exit 65 with the message.
func TestDamagedDatabaseSubprocess(t *testing.T) {
	d := newDamagedCLI(t)
	bin := liaisondBinary(t)
	for _, how := range []string{"truncated", "overwritten"} {
		for _, args := range [][]string{{"list", "--state", "all"}, {"check", "--db"}} {
			d.damage(how)
			cmd := exec.Command(bin, append([]string{args[0], "-c", d.cfg}, args[1:]...)...)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitDamaged {
				t.Errorf("%s %v: %v, want exit %d\n%s", how, args, err, exitDamaged, errb.String())
				continue
			}
			if s := errb.String(); !strings.Contains(s, d.db) || strings.Contains(s, "SIGBUS") || strings.Contains(s, "goroutine ") {
				t.Errorf("%s %v: stderr:\n%s", how, args, s)
			}
		}
	}
}

// TestDaemonStopsWhenItsFileIsCut cuts the database file under a running
// daemon, as a full disk or a mistaken copy can: the next read of the
// mapped file faults. The daemon must stop with exit 65 and say why,
// instead of dying of SIGBUS (or carrying on over a damaged file).
func TestDaemonStopsWhenItsFileIsCut(t *testing.T) {
	d := newDamagedCLI(t)
	addr := freeAddr(t)
	listenOn(t, d.cfg, addr)
	_, logb, done := startDaemon(t, d.cfg)
	waitUntil(t, 30*time.Second, "the web view", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	if err := os.Truncate(d.db, 8192); err != nil {
		t.Fatal(err)
	}
	// A statement's page reads its record from the (now cut) file.
	if resp, err := http.Get("http://" + addr + "/api/v1/statements/LS-2026-0007"); err == nil {
		resp.Body.Close()
	}
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitDamaged {
			t.Fatalf("daemon ended with %v, want exit %d", err, exitDamaged)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the daemon did not stop after its database file was cut")
	}
	log := logb.String()
	for _, want := range []string{"database damaged: stopping", d.db, "restore"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if strings.Contains(log, "SIGBUS") {
		t.Error("the daemon died of SIGBUS")
	}
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// syncBuffer is a bytes.Buffer safe for a subprocess's two output streams.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// listenOn rewrites the config's http.listen to addr.
func listenOn(t *testing.T, cfgPath, addr string) []byte {
	t.Helper()
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg = regexp.MustCompile(`(?m)^  listen: .*$`).ReplaceAll(cfg, []byte("  listen: "+addr))
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startDaemon starts `liaisond run -c cfgPath` (the real binary) with
// extra environment variables, and returns it, its log and its end. The
// log is shown when the test fails; the process is killed at the end.
func startDaemon(t *testing.T, cfgPath string, env ...string) (*exec.Cmd, *syncBuffer, <-chan error) {
	t.Helper()
	cmd := exec.Command(liaisondBinary(t), "run", "-c", cfgPath)
	cmd.Env = append(os.Environ(), env...)
	logb := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logb, logb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() {
			t.Logf("daemon log:\n%s", logb.String())
		}
	})
	return cmd, logb, done
}
