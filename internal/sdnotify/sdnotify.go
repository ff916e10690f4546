// Package sdnotify tells systemd how the daemon is doing, with the notify
// protocol of sd_notify(3): datagrams of "KEY=value" lines sent to the unix
// socket named by $NOTIFY_SOCKET (a path, or an abstract socket written with
// a leading '@', which Go's net package maps to the leading NUL byte).
//
// Without $NOTIFY_SOCKET (not started by systemd with Type=notify) every
// method does nothing, so callers need no conditions.
package sdnotify

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Notifier sends state changes to systemd. The zero value and nil are
// valid and send nothing.
type Notifier struct {
	socket string
}

// FromEnv returns a Notifier for $NOTIFY_SOCKET and removes the variable
// from the environment, so child processes (the PDF sandbox) cannot speak
// for the daemon.
func FromEnv() *Notifier {
	s := os.Getenv("NOTIFY_SOCKET")
	os.Unsetenv("NOTIFY_SOCKET")
	return &Notifier{socket: s}
}

// Enabled reports whether there is a socket to notify.
func (n *Notifier) Enabled() bool { return n != nil && n.socket != "" }

// Send writes one notification of "KEY=value" lines.
func (n *Notifier) Send(lines ...string) error {
	if !n.Enabled() {
		return nil
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: n.socket, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sdnotify: %w", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(strings.Join(lines, "\n") + "\n")); err != nil {
		return fmt.Errorf("sdnotify: %w", err)
	}
	return nil
}

// Ready says start-up (or a reload) is complete, with a status line.
func (n *Notifier) Ready(status string) error {
	return n.Send("READY=1", "STATUS="+oneLine(status))
}

// Reloading says the daemon is reloading its configuration. systemd 253
// and later want MONOTONIC_USEC with it (CLOCK_MONOTONIC when the reload
// began); Ready ends the reload.
func (n *Notifier) Reloading() error {
	lines := []string{"RELOADING=1", "STATUS=reloading the configuration"}
	if usec, err := monotonicUsec(); err == nil {
		lines = append(lines, "MONOTONIC_USEC="+strconv.FormatInt(usec, 10))
	}
	return n.Send(lines...)
}

// Stopping says the daemon is shutting down.
func (n *Notifier) Stopping() error {
	return n.Send("STOPPING=1", "STATUS=finishing the work in hand")
}

// Status updates the one-line status `systemctl status` shows.
func (n *Notifier) Status(status string) error {
	return n.Send("STATUS=" + oneLine(status))
}

// Watchdog tells the service manager the daemon is alive.
func (n *Notifier) Watchdog() error { return n.Send("WATCHDOG=1") }

// WatchdogInterval returns how often to call Watchdog: half of
// $WATCHDOG_USEC, as sd_watchdog_enabled(3) advises, when the watchdog is
// enabled for this process ($WATCHDOG_PID unset or ours). The variables
// are removed from the environment.
func WatchdogInterval() (time.Duration, bool) {
	usec, pid := os.Getenv("WATCHDOG_USEC"), os.Getenv("WATCHDOG_PID")
	os.Unsetenv("WATCHDOG_USEC")
	os.Unsetenv("WATCHDOG_PID")
	return watchdogInterval(usec, pid, os.Getpid())
}

func watchdogInterval(usec, pid string, self int) (time.Duration, bool) {
	if usec == "" {
		return 0, false
	}
	if pid != "" {
		if p, err := strconv.Atoi(pid); err != nil || p != self {
			return 0, false
		}
	}
	u, err := strconv.ParseInt(usec, 10, 64)
	if err != nil || u <= 0 {
		return 0, false
	}
	return time.Duration(u) * time.Microsecond / 2, true
}

// oneLine keeps a status to one line (a newline would start a new key).
func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// monotonicUsec is CLOCK_MONOTONIC in microseconds, the clock systemd
// compares MONOTONIC_USEC with.
func monotonicUsec() (int64, error) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0, err
	}
	return ts.Nano() / 1000, nil
}
