package main

import (
	"log/slog"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/scheduler"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// core is what the daemon and the one-shot commands share: the settings
// in force, the composer of outgoing mail and the action layer, over one
// database. The pipeline and the scheduler are built from it on demand.
type core struct {
	db      *store.DB
	set     *settings.Holder
	notify  *notify.Notifier
	actions *actions.Layer
	now     func() time.Time
	log     *slog.Logger
	// changed is called after an action committed (see onChange).
	changed func()
}

// coreOptions are the knobs of newCore.
type coreOptions struct {
	// tmpl are the templates (nil: read cfg.TemplatesDir).
	tmpl *templates.Set
	// mute queues no mail (backfills, reprocessing).
	mute bool
}

// newCore builds the shared parts for cfg over db.
func newCore(cfg *config.Config, db *store.DB, now func() time.Time, log *slog.Logger, opt coreOptions) (*core, error) {
	set, err := settings.New(cfg, opt.tmpl)
	if err != nil {
		return nil, err
	}
	return coreOver(set, db, now, log, opt.mute)
}

// coreOver builds the shared parts over settings that are already held
// (the daemon's, for a command run through its control socket: a reload
// then applies to both).
func coreOver(set *settings.Holder, db *store.DB, now func() time.Time, log *slog.Logger, mute bool) (*core, error) {
	n, err := notify.New(notify.Options{Settings: set, Now: now, Log: log, Mute: mute})
	if err != nil {
		return nil, err
	}
	c := &core{db: db, set: set, notify: n, now: now, log: log}
	c.actions, err = actions.New(actions.Options{Settings: set, Notify: n, DB: db, Now: now, Log: log, Changed: func() {
		if c.changed != nil {
			c.changed()
		}
	}})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// onChange sets what is woken after an action changed a statement or
// queued mail (the scheduler and the outbox worker of a running daemon).
func (c *core) onChange(fn func()) { c.changed = fn }

// pipeline builds the ingest pipeline; pdf gives each message its PDF
// reader (pdfReader), queued is called after a commit that queued mail.
func (c *core) pipeline(pdf func() func([]byte) (string, error), queued func()) (*pipeline.Pipeline, error) {
	return pipeline.New(pipeline.Options{Settings: c.set, Notify: c.notify, Actions: c.actions, DB: c.db, Now: c.now, Log: c.log, PDFText: pdf, Queued: queued})
}

// scheduler builds the follow-up scheduler; queued is called after a pass
// that queued mail.
func (c *core) scheduler(queued func(), observe func(time.Time, time.Duration)) (*scheduler.Scheduler, error) {
	return scheduler.New(scheduler.Options{DB: c.db, Settings: c.set, Notify: c.notify, Now: c.now, Log: c.log, Queued: queued, Observe: observe})
}
