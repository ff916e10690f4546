package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// testDaemon is `liaisond run` in-process over a cliEnv's config (no IMAP,
// no SMTP, no web view), serving its control socket.
type testDaemon struct {
	d       *daemon
	log     *syncWriter
	changed atomic.Int32
	stop    func()
}

// logText is what the daemon logged so far.
func (td *testDaemon) logText() string {
	td.log.mu.Lock()
	defer td.log.mu.Unlock()
	return td.log.w.(*bytes.Buffer).String()
}

// startDaemon starts the daemon and waits until its socket answers.
func (c *cliEnv) startDaemon() *testDaemon {
	c.t.Helper()
	cfg, err := config.Load(c.cfg)
	if err != nil {
		c.t.Fatal(err)
	}
	td := &testDaemon{log: &syncWriter{w: &bytes.Buffer{}}}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	td.d = &daemon{cfgPath: c.cfg, now: func() time.Time { return now },
		log: slog.New(slog.NewTextHandler(td.log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if err := td.d.setup(cfg); err != nil {
		td.d.close()
		c.t.Fatal(err)
	}
	woken := td.d.changed
	td.d.changed = func() { td.changed.Add(1); woken() }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- td.d.serve(ctx, cfg, nil) }()
	stopped := false
	td.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			c.t.Errorf("daemon: %v", err)
		}
		td.d.close()
	}
	c.t.Cleanup(func() {
		td.stop()
		if c.t.Failed() {
			c.t.Logf("daemon log:\n%s", td.logText())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		conn, err := dialControl(cfg.Control)
		if conn != nil {
			conn.Close()
			return td
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("the control socket does not answer: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// served reports how many control requests for command the daemon logged.
func (td *testDaemon) served(command string) int {
	n := 0
	for _, l := range strings.Split(td.logText(), "\n") {
		if strings.Contains(l, `msg="control request"`) && strings.HasSuffix(l, " command="+command) {
			n++
		}
	}
	return n
}

// newControlCLI is newCLI without a web view (the daemon's would bind a
// fixed port).
func newControlCLI(t *testing.T) *cliEnv {
	c := newCLI(t)
	data, err := os.ReadFile(c.cfg)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("listen: 127.0.0.1:8080"), []byte(`listen: "off"`), 1)
	if err := os.WriteFile(c.cfg, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return c
}

// Every read command prints the same through the daemon as without it:
// the same command function runs, over the same data.
func TestControlSameOutput(t *testing.T) {
	c := newControlCLI(t)
	if code, _, errs := c.run("ingest", "--no-mail", "../../testdata/corpus"); code != 0 {
		t.Fatalf("ingest: %d %s", code, errs)
	}
	id := c.ingestOne()
	reads := [][]string{
		{"list"}, {"list", "--state", "all", "--kind", "all", "--json"},
		{"show", id}, {"show", "--json", id},
		{"outbox"}, {"outbox", "--json", "--state", "queued"},
		{"export", "json"}, {"export", "csv", "--state", "open"}, {"export", "ics"},
		{"sweep", "--dry-run", "--json", "--at", "2027-03-20"},
		{"show", "LS-1999-0001"}, // an error: same message, same exit code
		{"export", "xml"},        // a usage error, found before the data is opened
	}
	failing := map[string]int{"LS-1999-0001": exitFailure, "xml": exitUsage}
	type result struct {
		code         int
		stdout, errs string
	}
	td := c.startDaemon()
	via := map[int]result{}
	for i, args := range reads {
		code, out, errs := c.run(args...)
		via[i] = result{code, out, errs}
	}
	// Each command that opens the data went through the daemon.
	for _, cmd := range []string{"list", "show", "outbox", "export", "sweep"} {
		if td.served(cmd) == 0 {
			t.Errorf("%s did not go through the daemon", cmd)
		}
	}
	td.stop()
	for i, args := range reads {
		code, out, errs := c.run(args...)
		got := via[i]
		if got.code != code || got.stdout != out {
			t.Errorf("%v: through the daemon exit %d, %d bytes; directly exit %d, %d bytes\nvia daemon:\n%s\ndirectly:\n%s", args, got.code, len(got.stdout), code, len(out), got.stdout, out)
		}
		if code != 0 && got.errs != errs {
			t.Errorf("%v: stderr through the daemon %q, directly %q", args, got.errs, errs)
		}
		if want := failing[args[len(args)-1]]; code != want {
			t.Errorf("%v: exit %d, want %d: %s", args, code, want, errs)
		}
	}
}

// Actions through the daemon are applied by its action layer: recorded
// with the CLI channel, the actor and the local account, and they wake its
// scheduler and outbox worker.
func TestControlActions(t *testing.T) {
	c := newControlCLI(t)
	id := c.ingestOne()
	td := c.startDaemon()
	steps := []struct {
		args  []string
		event liaison.EventType
		by    string
	}{
		{[]string{"ack", id, "--by", "jane.doe@example.org"}, liaison.EventAcked, "jane.doe@example.org"},
		{[]string{"delay", id, "2027-05-01", "waiting for the WG's consensus call"}, liaison.EventDelayed, "operator"},
		{[]string{"note", id, "CCAMP discusses it at IETF 130"}, liaison.EventNote, "operator"},
		{[]string{"close", id, "--by", "liaison-coordination@iab.example", "no reply will be sent"}, liaison.EventClosed, "liaison-coordination@iab.example"},
	}
	for _, st := range steps {
		before := td.changed.Load()
		if code, out, errs := c.run(st.args...); code != 0 {
			t.Fatalf("%v: exit %d: %s %s", st.args, code, out, errs)
		}
		if td.changed.Load() == before {
			t.Errorf("%v did not wake the daemon's scheduler", st.args)
		}
		ev, ok := lastEvent(c.detail(id), st.event)
		want := "(unix user " + localUser(os.Getuid()) + ")"
		if !ok || ev.By != st.by || ev.Channel != liaison.ChannelCLI || !strings.HasSuffix(ev.Detail, want) {
			t.Errorf("%v: history %+v, want %s by %s via cli, %s", st.args, ev, st.event, st.by, want)
		}
	}
	if n := td.served("ack") + td.served("delay") + td.served("note") + td.served("close"); n != len(steps) {
		t.Errorf("the daemon served %d actions, want %d", n, len(steps))
	}
	// A refusal comes back as it would without the daemon.
	code, _, errs := c.run("ack", id, "--by", "mallory@evil.example")
	if code != exitFailure || !strings.Contains(errs, "mallory@evil.example (roles: none) may not ack") {
		t.Errorf("refused ack: exit %d, %q", code, errs)
	}
	code, _, errs = c.run("delay", id, "tomorrow", "soon")
	if code != exitUsage || !strings.Contains(errs, "want YYYY-MM-DD") || !strings.Contains(errs, "usage: liaisond delay") {
		t.Errorf("bad delay: exit %d, %q", code, errs)
	}
}

// backup through the daemon: the copy comes over the socket, this process
// writes and checks it.
func TestControlBackup(t *testing.T) {
	c := newControlCLI(t)
	c.ingestOne()
	c.startDaemon()
	out := filepath.Join(t.TempDir(), "backup.db")
	code, stdout, errs := c.run("backup", "-o", out, "-v")
	if code != 0 || !strings.Contains(stdout, out+": 1 records") || !strings.HasSuffix(stdout, "checked\n") {
		t.Fatalf("backup: exit %d, %q %s", code, stdout, errs)
	}
	rep, err := checkDatabase(out)
	if err != nil || !rep.OK() || rep.Counts["records"] != 1 {
		t.Fatalf("the backup does not check: %v %+v", err, rep)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".backup.db.tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	code, stdout, _ = c.run("backup", "-o", "-")
	if code != 0 || len(stdout) != int(rep.FileSize) {
		t.Errorf("backup -o -: exit %d, %d bytes, want %d", code, len(stdout), rep.FileSize)
	}
	// A file the command fails to make is not left behind, nor is an old
	// one replaced.
	old := filepath.Join(t.TempDir(), "old.csv")
	if err := os.WriteFile(old, []byte("kept\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := c.run("export", "csv", "-o", old, "--state", "bogus"); code == 0 {
		t.Error("export with a bad state succeeded")
	}
	if data, _ := os.ReadFile(old); string(data) != "kept\n" {
		t.Errorf("a failed export replaced the file: %q", data)
	}
}

// A command that runs only without a daemon says so (exit 75) instead of
// waiting for the lock; a socket a crashed daemon left does not stop the
// CLI from opening the data dir itself.
func TestControlLockedAndStale(t *testing.T) {
	c := newControlCLI(t)
	c.ingestOne()
	td := c.startDaemon()
	code, _, errs := c.run("ingest", "../../testdata/corpus/01-tracker-sg15-otn-action.eml")
	if code != exitLocked || !strings.Contains(errs, "works only without it: stop the daemon first") {
		t.Errorf("ingest while the daemon runs: exit %d, %q", code, errs)
	}
	td.stop()
	cfg, err := config.Load(c.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cfg.Control.Socket); !os.IsNotExist(err) {
		t.Errorf("a stopped daemon left its socket: %v", err)
	}
	// What a SIGKILLed daemon leaves: a socket file nobody listens on.
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: cfg.Control.Socket, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	if code, out, errs := c.run("list"); code != 0 || !strings.Contains(out, "LS-2026-0001") {
		t.Errorf("list beside a stale socket: exit %d, %q %s", code, out, errs)
	}
	if code, _, errs := c.run("note", "LS-2026-0001", "written directly"); code != 0 {
		t.Errorf("note beside a stale socket: exit %d, %s", code, errs)
	}
	// And a daemon starting over it replaces it.
	c.startDaemon()
	if code, out, _ := c.run("show", "LS-2026-0001"); code != 0 || !strings.Contains(out, "written directly") {
		t.Errorf("show through the restarted daemon: exit %d\n%s", code, out)
	}
}

// The protocol refuses what it does not speak, and the daemon runs only
// remote commands.
func TestControlProtocol(t *testing.T) {
	c := newControlCLI(t)
	c.startDaemon()
	cfg, err := config.Load(c.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(req controlRequest) (code int, stderr string) {
		t.Helper()
		conn, err := dialControl(cfg.Control)
		if err != nil || conn == nil {
			t.Fatalf("dial: %v", err)
		}
		defer conn.Close()
		p, _ := json.Marshal(req)
		if err := writeFrame(conn, frameRequest, p); err != nil {
			t.Fatal(err)
		}
		for {
			kind, p, err := readFrame(conn)
			if err != nil {
				t.Fatalf("reply: %v", err)
			}
			switch kind {
			case frameStderr:
				stderr += string(p)
			case frameExit:
				var x controlExit
				if err := json.Unmarshal(p, &x); err != nil {
					t.Fatal(err)
				}
				return x.Code, stderr
			}
		}
	}
	tests := []struct {
		req  controlRequest
		code int
		err  string
	}{
		{controlRequest{Version: 99, Args: []string{"list"}}, exitUsage, "control protocol 1, the client 99"},
		{controlRequest{Version: controlVersion, Args: []string{"run", "-c", c.cfg}}, exitUsage, "does not run through the daemon's control socket"},
		{controlRequest{Version: controlVersion, Args: []string{"ingest", "-c", c.cfg, "/etc/passwd"}}, exitUsage, "does not run through the daemon's control socket"},
		{controlRequest{Version: controlVersion, Args: []string{"backup", "-c", c.cfg, "-o", "/tmp/elsewhere.db"}}, exitUsage, "output goes to the client"},
		{controlRequest{Version: controlVersion, Args: []string{"nosuch"}}, exitUsage, `unknown command "nosuch"`},
	}
	for _, tc := range tests {
		code, errs := ask(tc.req)
		if code != tc.code || !strings.Contains(errs, tc.err) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.req.Args, code, errs, tc.code, tc.err)
		}
	}
	if _, err := os.Stat("/tmp/elsewhere.db"); err == nil {
		t.Error("the daemon wrote a file a client named")
	}
	// A frame larger than the limit is refused before it is read.
	conn, _ := dialControl(cfg.Control)
	defer conn.Close()
	if _, err := conn.Write([]byte{frameRequest, 0xff, 0xff, 0xff, 0xff}); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, _, err := readFrame(conn); err == nil {
		t.Error("the daemon answered an oversized frame")
	}
}

func TestPeerRule(t *testing.T) {
	me := os.Geteuid()
	own := peerRule{uid: me, gid: -1}
	group := peerRule{uid: me, gid: 4242, group: "liaisond-ops"}
	tests := []struct {
		rule peerRule
		p    peer
		ok   bool
	}{
		{own, peer{uid: me, known: true}, true},
		{own, peer{uid: 0, known: true}, true},
		{own, peer{uid: me + 1000, gid: 4242, known: true}, false},
		{group, peer{uid: me + 1000, gid: 4242, known: true}, true},
		{group, peer{uid: me + 1000, gid: 4243, known: true}, false},
		{own, peer{}, true}, // no credentials from the system: the file mode decided
	}
	for _, tc := range tests {
		err := tc.rule.allows(tc.p)
		if (err == nil) != tc.ok {
			t.Errorf("%+v allows %v: %v, want ok=%v", tc.rule, tc.p, err, tc.ok)
		}
	}
}

// The socket is made for its owner only, or for a group.
func TestControlSocketMode(t *testing.T) {
	dir := t.TempDir()
	s, err := listenControl(config.Control{Socket: filepath.Join(dir, "s.sock")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.l.Close()
	st, err := os.Stat(filepath.Join(dir, "s.sock"))
	if err != nil || st.Mode().Perm() != 0o600 || st.Mode()&os.ModeSocket == 0 {
		t.Errorf("socket mode %v (%v), want socket 0600", st.Mode(), err)
	}
	// A file that is not a socket is never removed.
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := listenControl(config.Control{Socket: plain}); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("listen over a plain file: %v", err)
	}
	// A live socket is another daemon's: left alone.
	if _, err := listenControl(config.Control{Socket: filepath.Join(dir, "s.sock")}); err == nil || !strings.Contains(err.Error(), "another daemon") {
		t.Errorf("listen over a live socket: %v", err)
	}
	if _, err := listenControl(config.Control{Socket: filepath.Join(dir, "g.sock"), Group: "no-such-group-here"}); err == nil {
		t.Error("an unknown group was accepted")
	}
}
