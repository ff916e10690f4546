package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ietf-tools/liaisond/internal/sdnotify"
	"github.com/ietf-tools/liaisond/store"
)

// service is the daemon's side of the service manager (systemd's
// Type=notify, dist/liaisond.service): READY once the mailbox's backlog is
// committed, RELOADING/READY around a SIGHUP, STOPPING on shutdown, and the
// watchdog while the daemon's loops are alive. Without $NOTIFY_SOCKET it
// sends nothing; a nil *service does nothing either (the demo, run --once).
type service struct {
	notify    *sdnotify.Notifier
	watchdog  time.Duration // 0: no watchdog
	readyOnce sync.Once
	log       *slog.Logger
}

// newService takes systemd's variables from the environment.
func newService(log *slog.Logger) *service {
	s := &service{notify: sdnotify.FromEnv(), log: log}
	if iv, ok := sdnotify.WatchdogInterval(); ok {
		s.watchdog = iv
	}
	return s
}

// send logs a failed notification (systemd would then time the daemon
// out, which the log explains).
func (s *service) send(what string, err error) {
	if err != nil {
		s.log.Warn("cannot notify the service manager", "what", what, "err", err)
	}
}

// ready says start-up is complete (READY, the first call) with status;
// later calls only update the status line (a standby taking over, the
// mailbox synced again).
func (s *service) ready(status string) {
	if s == nil {
		return
	}
	first := false
	s.readyOnce.Do(func() {
		first = true
		s.send("READY", s.notify.Ready(status))
	})
	if !first {
		s.send("STATUS", s.notify.Status(status))
	}
}

// reloading brackets a reload: READY=1 with the reload's status ends it.
func (s *service) reloading() func(status string) {
	if s == nil {
		return func(string) {}
	}
	s.send("RELOADING", s.notify.Reloading())
	return func(status string) { s.send("READY", s.notify.Ready(status)) }
}

// stopping says the daemon is shutting down.
func (s *service) stopping() {
	if s != nil {
		s.send("STOPPING", s.notify.Stopping())
	}
}

// runWatchdog pings the watchdog every interval while alive says so, until
// ctx ends. A missed ping is how systemd learns that a loop stopped or the
// database hangs, and restarts the daemon.
func (s *service) runWatchdog(ctx context.Context, alive func(time.Duration) bool) {
	if s == nil || s.watchdog == 0 || !s.notify.Enabled() {
		return
	}
	t := time.NewTicker(s.watchdog)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if alive(s.watchdog) {
				s.send("WATCHDOG", s.notify.Watchdog())
			}
		}
	}
}

// alive reports whether no component has stopped and the database answers
// a read within limit.
func (d *daemon) alive(limit time.Duration) bool {
	if d.stopped.Load() {
		return false
	}
	done := make(chan error, 1)
	go func() { done <- d.db.View(func(*store.Tx) error { return nil }) }()
	select {
	case err := <-done:
		return err == nil
	case <-time.After(limit):
		d.log.Error("watchdog: the database did not answer a read", "within", limit)
		return false
	}
}
