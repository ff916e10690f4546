package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/smtpsend"
	"github.com/ietf-tools/liaisond/metrics"
	"github.com/ietf-tools/liaisond/outbox"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/web"
)

func init() {
	register(command{name: "serve", usage: "-c FILE [--listen ADDR]", help: "serve the web view, feeds and API of a data dir no daemon is running on (read-only: actions need `run`)", run: runServe})
	register(command{name: "export", usage: "-c FILE ics|json|csv [-o FILE] [--state STATE]", help: "write the calendar (ics) or the statements (json, csv) to a file or stdout", run: runExport, remote: true})
}

// webState is the daemon's HTTP side: metrics, the error ring for the
// health page, and the SMTP probe.
type webState struct {
	metrics  *metrics.Metrics
	ring     *metrics.ErrorRing
	smtpPing func(context.Context) error
}

// initWeb sets up metrics and keeps recent error log records for the
// health page (call before setup, so every component logs through it).
func (d *daemon) initWeb() {
	d.web.metrics = metrics.New()
	d.web.ring = metrics.NewErrorRing(200, d.web.metrics)
	d.log = slog.New(d.web.ring.Handler(d.log.Handler()))
}

// countSends wraps the mail transport so delivery outcomes are counted,
// and remembers the SMTP sender for /readyz.
func (d *daemon) countSends(tr outbox.Transport, isTemp func(error) bool) outbox.Transport {
	if tr == nil || d.web.metrics == nil {
		return tr
	}
	if s, ok := tr.(*smtpsend.Sender); ok {
		d.web.smtpPing = s.Ping
	}
	return d.web.metrics.CountingTransport(tr, isTemp)
}

// startWeb starts the HTTP server (unless http.listen is off) and stops it
// when ctx ends. A port that cannot be bound is logged, not fatal: the
// daemon's mail work goes on.
func (d *daemon) startWeb(ctx context.Context, cfg *config.Config, wg *sync.WaitGroup) error {
	if d.web.metrics == nil || cfg.HTTP.Off() {
		return nil
	}
	if err := d.web.metrics.Register(&metrics.StoreCollector{DB: d.db, Now: d.now, Location: cfg.Location}); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	// The daemon owns the database: its web view takes the actions
	// signed-in people ask for, through the daemon's action layer.
	opt := web.Options{DB: d.db, Settings: d.core.set, Actions: d.core.actions, Now: d.now, Log: d.log, Metrics: d.web.metrics, Errors: d.web.ring, SMTPPing: d.web.smtpPing}
	if d.watcher != nil {
		opt.IMAP = d.watcher.Status
		if err := d.web.metrics.Register(&metrics.IMAPCollector{Status: d.watcher.Status}); err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
	}
	if d.mb != nil {
		opt.Lease = d.mb.lease.Status
		if err := d.web.metrics.Register(&metrics.LeaseCollector{Status: d.mb.lease.Status}); err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		if d.mb.filer != nil {
			if err := d.web.metrics.Register(&metrics.FilingCollector{DB: d.db}); err != nil {
				return fmt.Errorf("metrics: %w", err)
			}
		}
	}
	srv, err := web.New(opt)
	if err != nil {
		return err
	}
	go func() { _, _ = d.db.Summaries() }() // warm the list index
	if err := listenAndServe(ctx, cfg.HTTP.Listen, srv, d.log, wg); err != nil {
		d.log.Error("web view not started", "listen", cfg.HTTP.Listen, "err", err)
	}
	return nil
}

// listenAndServe serves h on addr until ctx ends.
func listenAndServe(ctx context.Context, addr string, h http.Handler, log *slog.Logger, wg *sync.WaitGroup) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("web view listening", "addr", l.Addr().String())
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("web server stopped", "err", err)
		}
	}()
	go func() {
		defer wg.Done()
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	return nil
}

func runServe(env *cmdEnv, args []string) error {
	fs := newFlags(env, "serve", "-c FILE [--listen ADDR]")
	cfgPath := fs.String("c", "", "config file")
	listen := fs.String("listen", "", "host:port (default: http.listen from the config)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := env.open(*cfgPath, readData)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg, db := s.cfg, s.db
	addr := cfg.HTTP.Listen
	if *listen != "" {
		addr = *listen
	}
	if addr == "" || strings.EqualFold(addr, "off") {
		return usageError{"http.listen is off: give --listen ADDR"}
	}
	m := metrics.New()
	ring := metrics.NewErrorRing(200, m)
	log := slog.New(ring.Handler(newLogger(env.stderr, cfg).Handler()))
	if err := m.Register(&metrics.StoreCollector{DB: db, Now: env.now, Location: cfg.Location}); err != nil {
		return err
	}
	srv, err := web.New(web.Options{DB: db, Config: func() *config.Config { return cfg }, Now: env.now, Log: log, Metrics: m, Errors: ring, ReadOnly: true})
	if err != nil {
		return err
	}
	start := time.Now() // for the log line only
	n := 0
	if sums, err := db.Summaries(); err == nil {
		n = len(sums)
	}
	log.Info("index loaded", "records", n, "took", time.Since(start).Round(time.Millisecond))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var wg sync.WaitGroup
	if err := listenAndServe(ctx, addr, srv, log, &wg); err != nil {
		return err
	}
	<-ctx.Done()
	wg.Wait()
	return nil
}

func runExport(env *cmdEnv, args []string) error {
	fs := newFlags(env, "export", "-c FILE ics|json|csv [-o FILE] [--state STATE]")
	cfgPath := fs.String("c", "", "config file")
	outPath := fs.String("o", "", "output file (default: stdout)")
	state := fs.String("state", "all", "statements to export: "+strings.Join(web.States, ", "))
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "ics" && pos[0] != "json" && pos[0] != "csv") {
		return usageError{"give one format: ics, json or csv"}
	}
	if *outPath != "" {
		// Written here, atomically, from the command's output (which the
		// daemon may produce).
		return env.toFile(*outPath, []string{"export", "-c", *cfgPath, "--state", *state, pos[0]}, nil)
	}
	s, err := env.open(*cfgPath, readData)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg, db := s.cfg, s.db
	srv, err := web.New(web.Options{DB: db, Config: func() *config.Config { return cfg }, Now: env.now, Log: slog.New(slog.DiscardHandler), ReadOnly: true, Auth: web.NewAuth(nil, nil)})
	if err != nil {
		return err
	}
	f := web.Filter{Selection: store.Selection{State: *state}, Page: 1, PerPage: web.MaxPerPage}
	if _, err := web.ParseFilter(f.Values()); err != nil {
		return usageError{err.Error()}
	}
	sel, err := srv.Select(f)
	if err != nil {
		return err
	}
	w := env.stdout
	if pos[0] == "ics" {
		events, err := srv.CalendarEvents(sel)
		if err != nil {
			return err
		}
		return web.WriteICS(w, "IETF liaison statements", events, env.now())
	}
	return db.View(func(tx *store.Tx) error {
		var recs []liaison.RecordView
		for _, s := range sel {
			r, err := tx.Record(s.ID)
			if err != nil {
				return err
			}
			recs = append(recs, r.ViewAt(cfg.Location, env.now()))
		}
		if pos[0] == "json" {
			enc := json.NewEncoder(w)
			for _, r := range recs {
				if err := enc.Encode(r); err != nil {
					return fmt.Errorf("export: %w", err)
				}
			}
			return nil
		}
		return writeCSV(w, recs)
	})
}

// csvCell keeps a cell from a mail from being read as a formula by a
// spreadsheet.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCSV(w io.Writer, recs []liaison.RecordView) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "received", "state", "purpose", "deadline", "from_org", "from_org_text", "from_group", "to_groups", "title", "misdirected", "duplicate_of", "message_id"})
	for _, r := range recs {
		_ = cw.Write([]string{r.ID, r.Received.Format(time.RFC3339), string(r.State), string(r.Purpose), r.Deadline, csvCell(r.FromOrg), csvCell(r.FromOrgText),
			csvCell(r.FromGroup), strings.Join(r.ToGroups, " "), csvCell(r.Title), fmt.Sprint(r.Misdirected), r.DuplicateOf, csvCell(r.MessageID)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
