package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/mailproc/smtpsend"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/outbox"
	"github.com/ietf-tools/liaisond/store"
)

func init() {
	register(command{name: "outbox", usage: "-c FILE [--json] [--state queued|sent|failed|all] | outbox retry -c FILE KEY... | outbox release -c FILE",
		help: "show queued, sent and failed mail; `outbox retry KEY` requeues one; `outbox release` resumes sending after the circuit breaker tripped", run: runOutbox, remote: true})
}

func runOutbox(env *cmdEnv, args []string) error {
	switch sub, rest := outboxSubcommand(args); sub {
	case "retry":
		return runOutboxRetry(env, rest)
	case "release":
		return runOutboxRelease(env, rest)
	}
	fs := newFlags(env, "outbox", "-c FILE [--json] [--state queued|sent|failed|all]")
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	state := fs.String("state", "all", "queued, sent, failed or all")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := env.open(*cfgPath, readData)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg, db := s.cfg, s.db
	var lines []store.OutboxView
	var brk store.Breaker
	err = db.View(func(tx *store.Tx) error {
		var err error
		if brk, err = tx.Breaker(); err != nil {
			return err
		}
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			if *state == "all" || string(e.State) == *state {
				lines = append(lines, e.View())
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].Created.Before(lines[j].Created) })
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		for _, l := range lines {
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
		return nil
	}
	if brk.Held(env.now()) {
		resume := "when released with `liaisond outbox release`"
		if !brk.Until.IsZero() {
			resume = "at " + brk.Until.In(cfg.Location).Format("2006-01-02 15:04") + ", or when released with `liaisond outbox release`"
		}
		fmt.Fprintf(env.stdout, "Sending is held by the circuit breaker since %s: %s. It resumes %s.\n\n",
			brk.Tripped.In(cfg.Location).Format("2006-01-02 15:04"), brk.Reason, resume)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tKIND\tRECORD\tRECIPIENT\tATTEMPTS\tWHEN\tKEY\tERROR")
	for _, l := range lines {
		when := l.Created
		if !l.Sent.IsZero() {
			when = l.Sent
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", l.State, l.Kind, dash(l.RecordID), l.Recipient, l.Attempts,
			when.In(cfg.Location).Format("2006-01-02 15:04"), l.Key, trunc(l.LastError, 60))
	}
	return tw.Flush()
}

// outboxSubcommand finds "retry" or "release" as the first argument that
// is not a flag or the config file ("outbox release -c FILE" and "outbox
// -c FILE release" alike), and returns the other arguments.
func outboxSubcommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-c" || a == "--c":
			i++
		case strings.HasPrefix(a, "-"):
		case a == "retry" || a == "release":
			return a, append(append([]string(nil), args[:i]...), args[i+1:]...)
		default:
			return "", args
		}
	}
	return "", args
}

func runOutboxRelease(env *cmdEnv, args []string) error {
	fs := newFlags(env, "outbox release", "-c FILE")
	cfgPath := fs.String("c", "", "config file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := env.open(*cfgPath, writeData)
	if err != nil {
		return err
	}
	defer s.Close()
	defer s.changed() // a daemon's outbox worker sends again now
	was, err := outbox.Release(s.db, env.now())
	if err != nil {
		return err
	}
	if was.Tripped.IsZero() {
		fmt.Fprintln(env.stdout, "the circuit breaker is not tripped: mail is being sent")
		return nil
	}
	fmt.Fprintf(env.stdout, "released the circuit breaker (tripped %s: %s); queued mail is sent again\n", was.Tripped.Format(time.RFC3339), was.Reason)
	return nil
}

func runOutboxRetry(env *cmdEnv, args []string) error {
	fs := newFlags(env, "outbox retry", "-c FILE KEY...")
	cfgPath := fs.String("c", "", "config file")
	keys, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return usageError{"at least one outbox KEY is required (see `liaisond outbox`)"}
	}
	s, err := env.open(*cfgPath, writeData)
	if err != nil {
		return err
	}
	defer s.Close()
	defer s.changed() // a daemon sends them now
	for _, k := range keys {
		if err := outbox.Retry(s.db, k, env.now()); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "requeued %s\n", k)
	}
	return nil
}

// newTransport builds the mail transport: a folder of .eml files for
// dry runs, or the configured SMTP server.
func newTransport(cfg *config.Config, dryRunDir string, log *slog.Logger) (outbox.Transport, func(error) bool, error) {
	if dryRunDir != "" {
		d, err := smtpsend.NewDirSender(dryRunDir, log)
		return d, smtpsend.IsTemporary, err
	}
	if cfg.SMTP == nil {
		return nil, nil, errors.New("no smtp section in the config: nothing can be sent (use --dry-run DIR to write .eml files)")
	}
	var pw string
	if cfg.SMTP.Username != "" {
		var err error
		if pw, err = cfg.SMTP.Password.Read(); err != nil {
			return nil, nil, fmt.Errorf("smtp password: %w", err)
		}
	}
	tc, err := tlsConfig(cfg.SMTP.Server)
	if err != nil {
		return nil, nil, fmt.Errorf("smtp: %w", err)
	}
	s, err := smtpsend.New(smtpsend.Options{
		TLSConfig: tc,
		Address:   cfg.SMTP.Address, TLS: smtpsend.TLSMode(cfg.SMTP.TLS), AllowInsecure: cfg.SMTP.AllowInsecure,
		Username: cfg.SMTP.Username, Password: pw, Logger: log,
	})
	return s, smtpsend.IsTemporary, err
}

// newWorker builds the outbox worker for a transport; n reports failures.
func newWorker(cfg *config.Config, db *store.DB, n *notify.Notifier, tr outbox.Transport, isTemp func(error) bool, now func() time.Time, log *slog.Logger, mb *mailbox) (*outbox.Worker, error) {
	opt := outbox.Options{DB: db, Transport: tr, Now: now, Log: log, IsTemporary: isTemp, Report: n.ReportFailure, Tripped: n.ReportBreaker}
	if mb != nil {
		// Nothing is sent or filed without the claim on the mailbox.
		opt.Gate = mb.gate
		if mb.filer != nil {
			opt.Filer = mb.filer
		}
	}
	if cfg.SMTP != nil {
		opt.MaxAge = time.Duration(cfg.SMTP.RetryMaxAge)
		opt.MinBackoff = time.Duration(cfg.SMTP.RetryInitial)
		opt.Limits = outbox.Limits{PerRecipient: cfg.SMTP.RecipientLimit, Total: cfg.SMTP.GlobalLimit,
			Window: cfg.SMTP.LimitWindow.D(), Cooldown: cfg.SMTP.BreakerCooldown.D()}
	}
	return outbox.New(opt)
}

// deliverOutbox sends what is due at now (used by one-shot commands),
// with the claim on the mailbox when IMAP is configured: while another
// daemon holds it, or when this database is behind it, nothing is sent
// and the mail stays queued. The claim is written with the clock wall,
// even when the mail is sent as of another time (sweep --at).
func deliverOutbox(ctx context.Context, wall, now func() time.Time, cfg *config.Config, db *store.DB, n *notify.Notifier, log *slog.Logger, dryRunDir string) error {
	tr, isTemp, err := newTransport(cfg, dryRunDir, log)
	if err != nil {
		return err
	}
	mb, err := openMailbox(cfg, db, wall, log, nil)
	if err != nil {
		return err
	}
	defer mb.close()
	if mb != nil {
		if err := mb.claimOnce(ctx, db); err != nil {
			return err
		}
	}
	w, err := newWorker(cfg, db, n, tr, isTemp, now, log, mb)
	if err != nil {
		return err
	}
	return mb.keeping(ctx, func(ctx context.Context) error {
		st, err := w.DrainOnce(ctx)
		log.Info("outbox delivered", "sent", st.Sent, "retry_later", st.Retried, "failed", st.Failed)
		return err
	})
}
