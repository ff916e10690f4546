package scheduler

import (
	"log/slog"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// newTestScheduler builds a scheduler over db for cfg with the composer it
// needs, and returns them.
func newTestScheduler(tb testing.TB, cfg *config.Config, db *store.DB, now func() time.Time, log *slog.Logger) (*Scheduler, *settings.Holder, *notify.Notifier) {
	tb.Helper()
	set, err := settings.New(cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	n, err := notify.New(notify.Options{Settings: set, Now: now, Log: log})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := New(Options{DB: db, Settings: set, Notify: n, Now: now, Log: log})
	if err != nil {
		tb.Fatal(err)
	}
	return s, set, n
}
