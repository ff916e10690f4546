package pdftext

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// procState returns the state letter of pid ("R", "S", "Z", ...) and its
// parent, or "" when the process is gone.
func procState(pid int) (state string, ppid int) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0
	}
	// pid (comm) state ppid ...; comm may hold spaces.
	rest := string(data[strings.LastIndexByte(string(data), ')')+2:])
	f := strings.Fields(rest)
	ppid, _ = strconv.Atoi(f[1])
	return f[0], ppid
}

// children lists the processes whose parent is pid.
func children(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if _, pp := procState(n); pp == pid {
			out = append(out, n)
		}
	}
	return out
}

// gone reports whether pid ended within d (a zombie waiting for a reaper
// counts as ended).
func gone(pid int, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if st, _ := procState(pid); st == "" || st == "Z" {
			return true
		}
	}
	return false
}

// A daemon killed with SIGKILL while a reader spins on a hostile PDF must
// not leave the reader behind.
func TestKilledDaemonLeavesNoReader(t *testing.T) {
	daemon := exec.Command(os.Args[0], "-test.run", "^$")
	daemon.Env = append(os.Environ(), "PDFTEXT_PARENT=1")
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	defer daemon.Process.Kill()
	var reader int
	for deadline := time.Now().Add(30 * time.Second); reader == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the stand-in daemon started no reader")
		}
		if c := children(daemon.Process.Pid); len(c) > 0 {
			reader = c[0]
		}
	}
	time.Sleep(200 * time.Millisecond) // let the reader get into its loop
	if st, _ := procState(reader); st == "" {
		t.Fatal("the reader ended by itself; the PDF should keep it spinning")
	}
	if err := daemon.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = daemon.Wait()
	if !gone(reader, 10*time.Second) {
		_ = killGroup(&os.Process{Pid: reader})
		t.Fatalf("reader %d still runs after its daemon was killed", reader)
	}
}

// Giving up on a reader kills everything it started, not just itself.
func TestGivingUpKillsTheReadersGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "grandchild")
	sb := Sandbox{Name: "/bin/sh", Args: []string{"-c", "sleep 300 & echo $! > " + pidFile + "; wait"}}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := sb.Read(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Fatalf("Read = %v, want a give-up", err)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	if !gone(pid, 10*time.Second) {
		_ = killGroup(&os.Process{Pid: pid})
		t.Fatalf("the reader's own child %d survived", pid)
	}
}
