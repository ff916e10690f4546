package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/rebuild"
	"github.com/ietf-tools/liaisond/store"
)

func init() {
	register(command{name: "rebuild", usage: "-c FILE [--replace] [--wait]", help: "rebuild a lost database from the mailbox: the processed, failed and sent folders", run: runRebuild})
}

func runRebuild(env *cmdEnv, args []string) error {
	fs := newFlags(env, "rebuild", "-c FILE [--replace] [--wait]")
	cfgPath := fs.String("c", "", "config file")
	replace := fs.Bool("replace", false, "rebuild even though the data dir holds a database: it is kept aside first")
	wait := fs.Bool("wait", false, "while another daemon holds the mailbox, wait (as a standby) until it may be taken over")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if err := rebuildable(cfg); err != nil {
		return configError{err}
	}
	log := newLogger(env.stderr, cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	var records int
	if err := db.View(func(tx *store.Tx) error { records = tx.CountRecords(); return nil }); err != nil {
		return err
	}
	if records > 0 && !*replace {
		return usageError{fmt.Sprintf("%s holds a database with %d records: rebuild makes a lost database again; give --replace to keep this one aside and rebuild", db.Path(), records)}
	}
	mb, err := openMailbox(cfg, db, env.now, log, nil)
	if err != nil {
		return err
	}
	defer mb.close()
	if err := claimForRebuild(ctx, mb, *wait); err != nil {
		return err
	}
	aside, err := setAside(db, env.now())
	if err != nil {
		return err
	}
	if aside != "" {
		fmt.Fprintf(env.stdout, "the previous database is kept as %s\n", aside)
	}
	var rep *rebuild.Report
	err = mb.keeping(ctx, func(ctx context.Context) (err error) {
		rep, err = rebuildDB(ctx, cfg, db, mb, env.now, log)
		return err
	})
	if rep != nil {
		printRebuild(env.stdout, rep)
	}
	return err
}

// rebuildable says why cfg cannot rebuild a database, if it cannot: the
// received mail must be kept (a processed folder, or watched folders that
// keep their mail) and so must the mail sent.
func rebuildable(cfg *config.Config) error {
	switch {
	case cfg.IMAP == nil:
		return errors.New("rebuild reads the mailbox: the config has no imap section")
	case cfg.IMAP.SentFolder == "":
		return errors.New("imap.sent_folder is not set: a rebuild could not know which mail went out, and the daemon would send it again")
	}
	return nil
}

// claimForRebuild takes the mailbox before the rebuild reads it: while
// another daemon holds it, the rebuild waits (wait) or stops (exit 75).
func claimForRebuild(ctx context.Context, mb *mailbox, wait bool) error {
	res, err := mb.lease.Try(ctx)
	if err != nil {
		return startFailure(fmt.Errorf("imap: %w", err))
	}
	if res.Acquired {
		return nil
	}
	if !wait {
		return fmt.Errorf("%w: %s (database %s); it may be taken over at %s: a rebuild replaces a lost database (--wait waits for the mailbox)",
			errMailboxHeld, res.Holder, res.Holder.Instance, res.TakeoverAt.UTC().Format(time.RFC3339))
	}
	_, err = mb.lease.Acquire(ctx)
	return err
}

// setAside keeps a copy of a database that holds anything beside itself
// (liaisond.db.before-rebuild-TIME) and empties it, returning the copy's
// path ("" for an empty database).
func setAside(db *store.DB, now time.Time) (string, error) {
	empty := true
	if err := db.View(func(tx *store.Tx) error { empty = tx.Empty(); return nil }); err != nil {
		return "", err
	}
	if empty {
		return "", db.Reset() // checkpoints, sequences
	}
	aside := db.Path() + ".before-rebuild-" + now.UTC().Format("20060102T150405Z")
	if _, err := db.BackupFile(aside); err != nil {
		return "", err
	}
	return aside, db.Reset()
}

// rebuildDB rebuilds the empty database db from the mailbox of cfg, which
// this process holds (mb), with mail muted. Until it is done the database
// is marked behind the mailbox (store.Tx.SetBehind).
func rebuildDB(ctx context.Context, cfg *config.Config, db *store.DB, mb *mailbox, now func() time.Time, log *slog.Logger) (*rebuild.Report, error) {
	if err := rebuildable(cfg); err != nil {
		return nil, err
	}
	c, err := newCore(cfg, db, now, log, coreOptions{mute: true})
	if err != nil {
		return nil, err
	}
	p, err := c.pipeline(pdfReader(), nil)
	if err != nil {
		return nil, err
	}
	m := cfg.IMAP
	var received []rebuild.Folder
	if m.ProcessedFolder != "" {
		received = append(received, rebuild.Folder{Folder: imapwatch.Folder{Name: m.ProcessedFolder}})
	} else {
		for _, f := range m.Folders {
			received = append(received, rebuild.Folder{Folder: imapwatch.Folder{Name: f.Name, WGList: f.WGList}, Watched: true})
		}
	}
	// Until the rebuild is done, the database is behind the mailbox: a
	// rebuild cut short is done again, never worked on.
	if err := db.Update(func(tx *store.Tx) error { return tx.SetBehind(true) }); err != nil {
		return nil, err
	}
	start := time.Now()
	log.Info("rebuilding the database from the mailbox", "received", folderList(received), "failed", m.FailedFolder, "sent", m.SentFolder)
	rep, err := rebuild.Run(ctx, rebuild.Options{DB: db, Pipeline: p, Actions: c.actions, Marker: c.set.Current().Marker,
		Source: mb.side, Received: received, Failed: m.FailedFolder, Sent: m.SentFolder, Now: now, Log: log,
		BatchBytes: int64(m.BatchBytes)})
	if err != nil {
		return rep, err
	}
	if err := mb.lease.Held(); err != nil {
		// Another daemon took the mailbox meanwhile: what was read may be
		// incomplete; the database stays behind.
		return rep, fmt.Errorf("the claim on the mailbox was lost during the rebuild: %w", err)
	}
	if err := db.Update(func(tx *store.Tx) error { return tx.SetBehind(false) }); err != nil {
		return rep, err
	}
	log.Info("database rebuilt from the mailbox", "statements", rep.Statements, "records", rep.Records, "sent", rep.Sent,
		"actions", rep.Actions, "ids_changed", rep.IDsChanged, "took", time.Since(start).Round(time.Millisecond))
	return rep, nil
}

// rebuildInPlace is the daemon catching up after it took the mailbox over
// with a database that is behind it: the current file is kept aside, then
// rebuilt from the mailbox.
func (d *daemon) rebuildInPlace(ctx context.Context) error {
	cfg := d.core.set.Config()
	if err := rebuildable(cfg); err != nil {
		return err
	}
	aside, err := setAside(d.db, d.now())
	if err != nil {
		return err
	}
	if aside != "" {
		d.log.Warn("the database that was behind the mailbox is kept aside", "path", aside)
	}
	_, err = rebuildDB(ctx, cfg, d.db, d.mb, d.now, d.log)
	return err
}

func folderList(fs []rebuild.Folder) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return strings.Join(names, ",")
}

// printRebuild writes the rebuild's report for the operator.
func printRebuild(w io.Writer, r *rebuild.Report) {
	fmt.Fprintf(w, "rebuilt: %d statements, %d records in all\n", r.Statements, r.Records)
	fmt.Fprintf(w, "received mail replayed: %d (%d kept as failed, %d not recorded)\n", r.Received, r.Failed, r.NotRecorded)
	fmt.Fprintf(w, "mail sent, restored from the sent folder: %d (%d extra copies; %d messages without a trace, %d with another instance's seal)\n",
		r.Sent, r.Copies, r.Foreign, r.Refused)
	fmt.Fprintf(w, "actions taken outside mail, replayed: %d (%d refused)\n", r.Actions, r.ActionsRefused)
	fmt.Fprintf(w, "ids named by the sent folder: %d kept, %d changed, %d not rebuilt\n", r.IDsKept, r.IDsChanged, r.IDsLost)
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
}
