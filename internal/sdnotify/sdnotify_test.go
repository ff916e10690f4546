package sdnotify

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listen opens a fake systemd notify socket and returns its name as
// $NOTIFY_SOCKET would carry it.
func listen(t *testing.T, abstract bool) (string, *net.UnixConn) {
	t.Helper()
	name := filepath.Join(t.TempDir(), "notify.sock")
	if abstract {
		name = fmt.Sprintf("@liaisond-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	}
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return name, c
}

func receive(t *testing.T, c *net.UnixConn) map[string]string {
	t.Helper()
	buf := make([]byte, 4096)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	kv := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(string(buf[:n]), "\n"), "\n") {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			t.Fatalf("line %q is not KEY=value", l)
		}
		kv[k] = v
	}
	return kv
}

func TestNotifications(t *testing.T) {
	for _, abstract := range []bool{false, true} {
		t.Run(fmt.Sprint("abstract=", abstract), func(t *testing.T) {
			name, c := listen(t, abstract)
			t.Setenv("NOTIFY_SOCKET", name)
			n := FromEnv()
			if os.Getenv("NOTIFY_SOCKET") != "" || !n.Enabled() {
				t.Fatal("FromEnv must take the socket and clear the variable")
			}
			if err := n.Ready("synced 2 folders\nsecond line"); err != nil {
				t.Fatal(err)
			}
			if kv := receive(t, c); kv["READY"] != "1" || kv["STATUS"] != "synced 2 folders second line" {
				t.Errorf("ready: %v", kv)
			}
			before, _ := monotonicUsec()
			if err := n.Reloading(); err != nil {
				t.Fatal(err)
			}
			kv := receive(t, c)
			usec, err := strconv.ParseInt(kv["MONOTONIC_USEC"], 10, 64)
			if kv["RELOADING"] != "1" || err != nil || usec < before {
				t.Errorf("reloading: %v (monotonic before %d)", kv, before)
			}
			_ = n.Stopping()
			if kv := receive(t, c); kv["STOPPING"] != "1" {
				t.Errorf("stopping: %v", kv)
			}
			_ = n.Watchdog()
			if kv := receive(t, c); kv["WATCHDOG"] != "1" {
				t.Errorf("watchdog: %v", kv)
			}
		})
	}
}

func TestWithoutSystemdNothingIsSent(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	var nilN *Notifier
	for _, n := range []*Notifier{FromEnv(), nilN, {}} {
		if n.Enabled() || n.Ready("x") != nil || n.Watchdog() != nil {
			t.Errorf("%v: a notifier without a socket must do nothing", n)
		}
	}
}

func TestWatchdogInterval(t *testing.T) {
	tests := []struct {
		usec, pid string
		want      time.Duration
		ok        bool
	}{
		{"", "", 0, false},
		{"30000000", "", 15 * time.Second, true},
		{"30000000", "4242", 15 * time.Second, true},
		{"30000000", "1", 0, false}, // meant for another process
		{"0", "", 0, false},
		{"soon", "", 0, false},
	}
	for _, tt := range tests {
		got, ok := watchdogInterval(tt.usec, tt.pid, 4242)
		if got != tt.want || ok != tt.ok {
			t.Errorf("watchdogInterval(%q, %q) = %v, %v; want %v, %v", tt.usec, tt.pid, got, ok, tt.want, tt.ok)
		}
	}
}
