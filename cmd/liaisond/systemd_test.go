package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// notifySocket is a fake systemd: it collects the daemon's notifications.
type notifySocket struct {
	name string
	msgs chan map[string]string
}

func listenNotify(t *testing.T) *notifySocket {
	t.Helper()
	name := filepath.Join(t.TempDir(), "notify.sock")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	n := &notifySocket{name: name, msgs: make(chan map[string]string, 1000)}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := c.Read(buf)
			if err != nil {
				return
			}
			kv := map[string]string{}
			for _, l := range strings.Split(strings.TrimSpace(string(buf[:k])), "\n") {
				key, v, _ := strings.Cut(l, "=")
				kv[key] = v
			}
			n.msgs <- kv
		}
	}()
	t.Cleanup(func() { c.Close() })
	return n
}

// next returns the next notification that sets key, skipping watchdog
// pings (counted in pings).
func (n *notifySocket) next(t *testing.T, key string, pings *int) map[string]string {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case kv := <-n.msgs:
			if kv["WATCHDOG"] == "1" {
				*pings++
			}
			if _, ok := kv[key]; ok {
				return kv
			}
		case <-timeout:
			t.Fatalf("no %s notification within 60s", key)
		}
	}
}

// TestSystemdNotify runs the daemon as systemd would with Type=notify and
// WatchdogSec, against Dovecot and Mailpit: READY comes only once the
// mailbox's backlog is recorded, a SIGHUP is bracketed by RELOADING (with
// MONOTONIC_USEC) and READY whose status names what needs a restart, the
// watchdog is pinged, and SIGTERM says STOPPING.
func TestSystemdNotify(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	const backlog = 6
	for i := range backlog {
		e.dovecot.Append(t, "INBOX", statement(7000+i, "ITU-T SG15", "CCAMP"))
	}
	addr := freeAddr(t)
	cfg := listenOn(t, e.cfgPath, addr)
	sock := listenNotify(t)
	cmd, logb, done := startDaemon(t, e.cfgPath, "NOTIFY_SOCKET="+sock.name, "WATCHDOG_USEC=400000")

	pings := 0
	ready := sock.next(t, "READY", &pings)
	// The backlog is recorded by the time READY arrives.
	resp, err := http.Get("http://" + addr + "/api/v1/statements?state=all")
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Total int }
	err = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if err != nil || page.Total != backlog {
		t.Errorf("at READY the API lists %d statements (%v), want the backlog of %d", page.Total, err, backlog)
	}
	if !strings.Contains(ready["STATUS"], "mailbox synced; watching INBOX") {
		t.Errorf("READY status %q", ready["STATUS"])
	}

	// A reload that changes an IMAP setting: applied? No: named.
	cfg = bytes.Replace(cfg, []byte("poll_interval: 2s"), []byte("poll_interval: 3s"), 1)
	if err := os.WriteFile(e.cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Process.Signal(syscall.SIGHUP)
	rel := sock.next(t, "RELOADING", &pings)
	if usec, err := strconv.ParseInt(rel["MONOTONIC_USEC"], 10, 64); err != nil || usec <= 0 {
		t.Errorf("RELOADING without a MONOTONIC_USEC: %v", rel)
	}
	after := sock.next(t, "READY", &pings)
	if want := "config reloaded; restart to apply imap.poll_interval"; after["STATUS"] != want {
		t.Errorf("status after reload %q, want %q", after["STATUS"], want)
	}
	// The log comes through a pipe: it may trail the notification.
	waitUntil(t, 10*time.Second, "the log to name the key that needs a restart", func() bool {
		return strings.Contains(logb.String(), `"restart_needed":"imap.poll_interval"`)
	})

	// The watchdog is pinged at half of WATCHDOG_USEC.
	for pings < 3 {
		sock.next(t, "WATCHDOG", &pings)
	}

	_ = cmd.Process.Signal(syscall.SIGTERM)
	sock.next(t, "STOPPING", &pings)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("daemon exit: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("daemon did not stop")
	}
}
