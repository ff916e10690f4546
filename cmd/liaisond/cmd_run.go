package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/internal/netdiag"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/outbox"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/scheduler"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

func init() {
	register(command{name: "run", usage: "-c FILE [--dry-run DIR] [--once]", help: "the daemon: watch IMAP, record and route, send notices over SMTP", run: runRun})
}

func runRun(env *cmdEnv, args []string) error {
	fs := newFlags(env, "run", "-c FILE [--dry-run DIR] [--once]")
	cfgPath := fs.String("c", "", "config file")
	dryRun := fs.String("dry-run", "", "write outgoing mail as .eml files into DIR instead of sending")
	once := fs.Bool("once", false, "sync every IMAP folder once, deliver what is due, and exit (cron mode)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	d := &daemon{cfgPath: *cfgPath, dryRunDir: *dryRun, now: env.now, log: newLogger(env.stderr, cfg)}
	if *once {
		d.log = newLoggerAt(env.stderr, cfg, quietLevel(cfg)) // silent on success, for cron
	} else {
		d.svc = newService(d.log)
	}
	d.initWeb()
	if err := d.setup(cfg); err != nil {
		d.close()
		return err
	}
	defer d.close()
	if *once {
		return d.runOnce(ctx)
	}
	return d.serve(ctx, cfg, hup)
}

// runOnce syncs every folder once and delivers what is due. A damaged
// database is the error whatever part met it first.
func (d *daemon) runOnce(ctx context.Context) error {
	err := d.claimForOnce(ctx)
	if err == nil {
		err = d.mb.keeping(ctx, d.syncAndDeliver)
	}
	if dmg := d.db.Damage(); dmg != nil {
		return dmg
	}
	return err
}

func (d *daemon) syncAndDeliver(ctx context.Context) error {
	if d.watcher != nil {
		if err := d.watcher.SyncOnce(ctx); err != nil {
			return startFailure(fmt.Errorf("imap: %w", err))
		}
	}
	if d.worker != nil {
		st, err := d.worker.DrainOnce(ctx)
		d.log.Info("outbox delivered", "sent", st.Sent, "retry_later", st.Retried, "failed", st.Failed)
		return err
	}
	return nil
}

// daemon wires the long-running parts together.
type daemon struct {
	cfgPath   string
	dryRunDir string
	now       func() time.Time
	log       *slog.Logger
	// imapOpts overrides IMAP TLS settings (the demo's in-process server).
	imapTweak func(*imapwatch.Options)
	// transport overrides the mail transport (tests, demo).
	transport outbox.Transport
	// web is the HTTP side: metrics, error ring, SMTP probe (cmd_serve.go).
	web webState
	// svc speaks to systemd (cmd_service.go); nil outside `run`.
	svc *service
	// started is the config the daemon started with: reloads compare with
	// it to name what needs a restart.
	started *config.Config
	// stopped is set when a component stopped with an error.
	stopped atomic.Bool
	// changed wakes the scheduler and the outbox worker (after an action,
	// or a command run through the control socket that queued mail).
	changed func()

	db *store.DB
	// mb is the claim on the mailbox and the sent folder (nil without
	// IMAP).
	mb       *mailbox
	core     *core
	pipeline *pipeline.Pipeline
	worker   *outbox.Worker
	watcher  *imapwatch.Watcher
	sched    *scheduler.Scheduler
}

// setup opens the store and builds the pipeline, the outbox worker and the
// IMAP watcher from cfg.
func (d *daemon) setup(cfg *config.Config) error {
	d.started = cfg
	db, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		return err
	}
	d.db = db
	tmpl, err := templates.New(cfg.TemplatesDir)
	if err != nil {
		return err
	}
	tr, isTemp := d.transport, func(err error) bool { return true }
	if tr == nil {
		var terr error
		tr, isTemp, terr = newTransport(cfg, d.dryRunDir, d.log)
		switch {
		case errors.Is(terr, config.ErrSecret):
			return terr // a configured server whose password cannot be read
		case terr != nil:
			d.log.Warn("mail will be queued but not sent", "why", terr)
		}
	}
	tr = d.countSends(tr, isTemp)
	if d.core, err = newCore(cfg, db, d.now, d.log, coreOptions{tmpl: tmpl}); err != nil {
		return err
	}
	var wake func()
	p, err := d.core.pipeline(pdfReader(), func() {
		if wake != nil {
			wake()
		}
		if d.sched != nil {
			d.sched.Wake() // new statements need their first look
		}
	})
	if err != nil {
		return err
	}
	d.pipeline = p
	if cfg.IMAP != nil {
		if d.mb, err = openMailbox(cfg, db, d.now, d.log, d.imapTweak); err != nil {
			return err
		}
	}
	if tr != nil {
		if d.worker, err = newWorker(cfg, db, d.core.notify, tr, isTemp, d.now, d.log, d.mb); err != nil {
			return err
		}
		wake = d.worker.Wake
	}
	var observe func(time.Time, time.Duration)
	if d.web.metrics != nil {
		observe = d.web.metrics.ObserveSweep
	}
	if d.sched, err = d.core.scheduler(wake, observe); err != nil {
		return err
	}
	d.changed = func() {
		d.sched.Wake()
		if wake != nil {
			wake()
		}
	}
	d.core.onChange(d.changed)
	if cfg.IMAP != nil {
		opt, err := imapOptions(cfg, d.now, d.log)
		if err != nil {
			return err
		}
		if d.imapTweak != nil {
			d.imapTweak(&opt)
		}
		opt.OnSynced = func() { d.svc.ready("mailbox synced; watching " + folderNames(cfg)) }
		// Nothing is processed without the claim on the mailbox.
		opt.Gate = d.mb.gate
		if d.watcher, err = imapwatch.New(opt, pipeline.IMAPSink{P: p, DB: db}); err != nil {
			return err
		}
	}
	return nil
}

// imapOptions maps the config's imap section to the watcher's options,
// reading the password from its file or environment variable.
func imapOptions(cfg *config.Config, now func() time.Time, log *slog.Logger) (imapwatch.Options, error) {
	m := cfg.IMAP
	pw, err := m.Password.Read()
	if err != nil {
		return imapwatch.Options{}, fmt.Errorf("imap password: %w", err)
	}
	tc, err := tlsConfig(m.Server)
	if err != nil {
		return imapwatch.Options{}, fmt.Errorf("imap: %w", err)
	}
	opt := imapwatch.Options{
		TLSConfig: tc,
		Address:   m.Address, TLS: imapwatch.TLSMode(m.TLS), AllowInsecure: m.AllowInsecure,
		Username: m.Username, Password: pw, ProcessedFolder: m.ProcessedFolder, FailedFolder: m.FailedFolder,
		MarkSeen: m.MarkSeen, PollInterval: time.Duration(m.PollInterval), IdleRestart: time.Duration(m.IdleRestart),
		BatchSize: m.BatchSize, BatchBytes: int64(m.BatchBytes), MaxAttempts: m.MaxAttempts,
		Logger: log, Now: now,
	}
	for _, f := range m.Folders {
		opt.Folders = append(opt.Folders, imapwatch.Folder{Name: f.Name, WGList: f.WGList})
	}
	return opt, nil
}

// close releases the claim on the mailbox and the database.
func (d *daemon) close() {
	d.mb.close()
	if d.db != nil {
		d.db.Close()
	}
}

// serve runs the IMAP watcher, the outbox worker and the scheduler until
// ctx ends, reloading the config on SIGHUP: with an IMAP mailbox only
// while this daemon holds it (holdMailbox: a standby otherwise). A damaged
// database stops everything: the parts finish what they hold and serve
// returns the damage.
func (d *daemon) serve(ctx context.Context, cfg *config.Config, hup <-chan os.Signal) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d.log.Info("liaisond running", "config", d.cfgPath, "data", d.db.Path(), "imap", cfg.IMAP != nil, "smtp", d.worker != nil, "dry_run", d.dryRunDir)
	if w := commandTrustWarning(cfg); w != "" {
		d.log.Warn(w)
	}
	if err := d.checkSMTPAtStart(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	if err := d.startWeb(ctx, cfg, &wg); err != nil {
		return err
	}
	d.startControl(ctx, cfg, &wg)
	if d.mb == nil {
		d.runParts(ctx, &wg, errs)
		d.svc.ready("running without IMAP")
	} else {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.holdMailbox(ctx, errs); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("imap: %w", err)
			}
		}()
	}
	go d.svc.runWatchdog(ctx, d.alive)
	for {
		select {
		case <-ctx.Done():
			d.svc.stopping()
			d.log.Info("shutting down: finishing the work in hand")
			wg.Wait()
			d.log.Info("stopped")
			return nil
		case err := <-errs:
			if errors.Is(err, imapwatch.ErrFirstConnect) {
				// Not an outage: the IMAP settings do not work. Say so and
				// stop, rather than run without intake.
				d.log.Error("cannot start", "err", err)
				d.svc.stopping()
				cancel()
				wg.Wait()
				return startFailure(err)
			}
			d.stopped.Store(true)
			d.log.Error("component stopped", "err", err)
		case <-d.db.Damaged():
			d.log.Error("database damaged: stopping", "err", d.db.Damage())
			d.svc.stopping()
			cancel()
			wg.Wait()
			return d.db.Damage()
		case <-hup:
			reloaded := d.svc.reloading()
			reloaded(d.reload())
		}
	}
}

// runParts starts the outbox worker, the IMAP watcher and the scheduler,
// until ctx ends; a part that stops with an error reports it on errs.
func (d *daemon) runParts(ctx context.Context, wg *sync.WaitGroup, errs chan<- error) {
	run := func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	if d.worker != nil {
		run("outbox", d.worker.Run)
	}
	if d.watcher != nil {
		run("imap", d.watcher.Run)
	}
	if d.sched != nil {
		run("scheduler", d.sched.Run)
	}
}

// checkSMTPAtStart tries the SMTP relay once before the daemon starts: a
// relay that refuses the settings (TLS mode, certificate, STARTTLS,
// credentials) stops the start with the reason; one that is only down is
// reported and mail queues until it is back.
func (d *daemon) checkSMTPAtStart(ctx context.Context) error {
	if d.web.smtpPing == nil {
		return nil
	}
	pctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err := d.web.smtpPing(pctx)
	switch {
	case err == nil:
		return nil
	case netdiag.KindOf(err).Misconfigured():
		return startFailure(fmt.Errorf("smtp: %w", err))
	}
	d.log.Warn("SMTP relay not reachable at start; mail is queued and retried", "err", err)
	return nil
}

// reload re-reads the config after SIGHUP and returns a one-line status
// for the service manager. A bad config is reported and the running one
// kept. Routing, organizations, groups, templates and the follow-up policy
// change at once for every part (they share one settings holder); what is read only at start (config.RestartNeeded: the
// listener, IMAP and SMTP connections, the data dir, logging) is named in
// the log as needing a restart, until one happens.
func (d *daemon) reload() string {
	const kept = "config reload failed; running on the previous config"
	cfg, err := config.Load(d.cfgPath)
	if err != nil {
		d.log.Error(kept, "config", d.cfgPath, "err", err)
		return kept
	}
	tmpl, err := templates.New(cfg.TemplatesDir)
	if err != nil {
		d.log.Error(kept, "err", err)
		return kept
	}
	if err := d.core.set.Reload(cfg, tmpl); err != nil {
		d.log.Error(kept, "err", err)
		return kept
	}
	// Changed appointments are acted on (handover) by the next pass: now.
	if d.sched != nil {
		d.sched.Wake()
	}
	if keys := config.RestartNeeded(d.started, cfg); len(keys) > 0 {
		d.log.Warn("config reloaded, but these changes apply only after a restart", "restart_needed", strings.Join(keys, ","), "summary", cfg.Summary())
		return "config reloaded; restart to apply " + strings.Join(keys, ", ")
	}
	d.log.Info("config reloaded", "summary", cfg.Summary())
	return "config reloaded"
}

// folderNames lists the watched IMAP folders.
func folderNames(cfg *config.Config) string {
	names := make([]string, len(cfg.IMAP.Folders))
	for i, f := range cfg.IMAP.Folders {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// tlsConfig returns the TLS client config for a server section: nil (the
// system roots) unless ca_file names the authorities to trust.
func tlsConfig(s config.Server) (*tls.Config, error) {
	if s.CAFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		return nil, fmt.Errorf("ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %s: no PEM certificates", s.CAFile)
	}
	host, _, err := net.SplitHostPort(s.Address)
	if err != nil {
		host = s.Address
	}
	return &tls.Config{RootCAs: pool, ServerName: host, MinVersion: tls.VersionTLS12}, nil
}
