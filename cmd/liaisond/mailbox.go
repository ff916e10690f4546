package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/outbox"
	"github.com/ietf-tools/liaisond/store"
)

// mailbox is what a process writes into the liaison mailbox besides the
// watcher's own connection: the claim that makes it the one daemon
// processing and sending (imapwatch.Lease) and the copies of the mail it
// sends (the sent folder), over one side connection.
type mailbox struct {
	side  *imapwatch.Side
	lease *imapwatch.Lease
	// filer files sent mail (nil without imap.sent_folder).
	filer outbox.Filer
	// instance is the database's identity (the lease's Holder.Instance).
	instance string
	log      *slog.Logger
}

// errMailboxHeld is returned by one-shot commands while another daemon
// holds the mailbox (exit 75: try again later).
var errMailboxHeld = errors.New("another daemon holds the mailbox")

// errBehind says the database is behind the mailbox: another database was
// worked with since (a standby took over, a restored backup).
var errBehind = errors.New("this database is behind the mailbox")

// openMailbox prepares the mailbox side of cfg for db (nil without an imap
// section); it connects on first use.
func openMailbox(cfg *config.Config, db *store.DB, now func() time.Time, log *slog.Logger, tweak func(*imapwatch.Options)) (*mailbox, error) {
	if cfg.IMAP == nil {
		return nil, nil
	}
	opt, err := imapOptions(cfg, now, log)
	if err != nil {
		return nil, err
	}
	if tweak != nil {
		tweak(&opt)
	}
	side, err := imapwatch.NewSide(opt)
	if err != nil {
		return nil, err
	}
	inst, err := db.Instance()
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	lease, err := imapwatch.NewLease(imapwatch.LeaseOptions{Side: side, Folder: cfg.IMAP.LeaseFolder, TTL: cfg.IMAP.LeaseTTL.D(), Now: now, Log: log,
		Holder: imapwatch.Holder{Instance: inst, Session: imapwatch.NewSession(), Host: host, PID: os.Getpid()}})
	if err != nil {
		return nil, err
	}
	m := &mailbox{side: side, lease: lease, instance: inst, log: log}
	if cfg.IMAP.SentFolder != "" {
		m.filer = &imapwatch.Appender{Side: side, Folder: cfg.IMAP.SentFolder}
	}
	return m, nil
}

// close releases the claim, if held (the caller stopped processing and
// sending), and the connection.
func (m *mailbox) close() {
	if m == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := m.lease.Release(ctx); err != nil {
		m.log.Warn("could not release the mailbox; a successor waits for the claim to expire", "err", err)
	}
	m.side.Close()
}

// behind reports whether a database is behind the mailbox, given the
// claim this process replaced on taking the mailbox (nil: there was none):
// the mailbox was last worked with another database (a standby taking
// over from a daemon that died, a restored copy: restore gives it its own
// identity), or a rebuild of this one did not finish. A claim of this very
// database is its own, whatever its epoch: this process holds the data
// dir, so the daemon that wrote it is gone (it may have died before
// recording anything).
func behind(prev *imapwatch.Claim, instance string, unfinished bool) bool {
	return unfinished || prev != nil && prev.Instance != instance
}

// adopt says, once this process holds the mailbox, whether db is behind it
// (see behind), and marks it so until it caught up (rebuildDB clears the
// mark).
func (m *mailbox) adopt(db *store.DB, prev *imapwatch.Claim) (bool, error) {
	var late bool
	err := db.Update(func(tx *store.Tx) error {
		late = behind(prev, m.instance, tx.Behind())
		if !late {
			return nil
		}
		return tx.SetBehind(true)
	})
	return late, err
}

// gate is the outbox's and the watcher's gate: the claim must hold.
func (m *mailbox) gate() error {
	if m == nil {
		return nil
	}
	return m.lease.Held()
}

// writable returns nil when a command may change the database of the
// daemon it runs in: the daemon holds the mailbox (a standby's database is
// rebuilt when it takes over). A daemon still starting is waited for, up
// to a few seconds.
func (m *mailbox) writable() error {
	if m == nil {
		return nil
	}
	for wait := 0; m.lease.Status().Role == imapwatch.RoleStarting && wait < 200; wait++ {
		time.Sleep(50 * time.Millisecond)
	}
	return m.lease.Held()
}

// claimOnce takes the mailbox for a one-shot command, or says who holds
// it (errMailboxHeld) or that db is behind it (errBehind): the command
// then sends nothing.
func (m *mailbox) claimOnce(ctx context.Context, db *store.DB) error {
	res, err := m.lease.Try(ctx)
	if err != nil {
		return fmt.Errorf("imap: cannot read the claim on the mailbox: %w", err)
	}
	if !res.Acquired {
		return fmt.Errorf("%w: %s (database %s) until %s; this command sent nothing",
			errMailboxHeld, res.Holder, res.Holder.Instance, res.TakeoverAt.UTC().Format(time.RFC3339))
	}
	late, err := m.adopt(db, res.Prev)
	if err != nil {
		return err
	}
	if late {
		return fmt.Errorf("%w: it was last worked with by %s: `liaisond run` catches up (it rebuilds from the mailbox), or `liaisond rebuild --replace`; this command sent nothing",
			errBehind, res.Prev)
	}
	return nil
}

// keeping runs fn while the claim on the mailbox is renewed (a rebuild, a
// run --once over a backlog may outlast it); fn's context ends when the
// claim is lost, and so does keeping, with ErrLeaseLost. Without a mailbox
// it just runs fn.
func (m *mailbox) keeping(ctx context.Context, fn func(context.Context) error) error {
	if m == nil {
		return fn(ctx)
	}
	fctx, cancelFn := context.WithCancel(ctx)
	defer cancelFn()
	kctx, stopKeep := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		err := m.lease.Keep(kctx)
		if errors.Is(err, imapwatch.ErrLeaseLost) {
			cancelFn()
		}
		done <- err
	}()
	err := fn(fctx)
	stopKeep()
	if kerr := <-done; errors.Is(kerr, imapwatch.ErrLeaseLost) {
		return errors.Join(kerr, err)
	}
	return err
}
