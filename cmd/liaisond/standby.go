package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/store"
)

// holdMailbox is the daemon's life with a mailbox that other daemons may
// watch too (one active daemon per mailbox, imapwatch.Lease): it waits as
// a standby until this daemon holds the mailbox, catches up when the
// database is behind it (catchUp), runs the watcher, the outbox and the
// scheduler while the claim holds, and goes back to standby when the claim
// is lost; until ctx ends. It returns an error only when the first start
// cannot reach the server (wrapping imapwatch.ErrFirstConnect) or catching
// up failed.
func (d *daemon) holdMailbox(ctx context.Context, errs chan<- error) error {
	for first := true; ; first = false {
		prev, err := d.acquire(ctx, first)
		if err != nil {
			return err
		}
		if err := d.catchUp(ctx, prev); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		term, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		// READY (or the status line) follows the first sync (OnSynced).
		d.runParts(term, &wg, errs)
		lost := d.mb.lease.Keep(term)
		cancel()
		wg.Wait()
		if ctx.Err() != nil {
			return nil
		}
		d.log.Error("standby: the claim on the mailbox was lost; processing and sending stopped", "err", lost)
		d.svc.ready("standby: " + lost.Error())
	}
}

// acquire waits until this daemon holds the mailbox and returns the claim
// it replaced. On the first start a failure to reach the server ends the
// daemon (ErrFirstConnect, as the watcher's first connection would);
// later ones are logged and retried.
func (d *daemon) acquire(ctx context.Context, first bool) (*imapwatch.Claim, error) {
	res, err := d.mb.lease.Try(ctx)
	switch {
	case err != nil && first:
		return nil, fmt.Errorf("%w: %w", imapwatch.ErrFirstConnect, err)
	case err == nil && res.Acquired:
		return res.Prev, nil
	case err == nil:
		// systemd hears READY: a standby is a daemon that works as meant.
		d.svc.ready(fmt.Sprintf("standby: the mailbox is held by %s; taking over at %s unless it renews",
			res.Holder, res.TakeoverAt.UTC().Format(time.RFC3339)))
	}
	for {
		prev, err := d.mb.lease.Acquire(ctx)
		if err == nil {
			return prev, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		d.log.Warn("standby: cannot read the claim on the mailbox; trying again", "err", err)
		t := time.NewTimer(5 * time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// catchUp makes the database current with the mailbox once this daemon
// holds it: when the mailbox was last worked with another database (a
// standby taking over from a daemon that died, or a restored copy), the
// database is rebuilt from the mailbox (rebuildInPlace: the current file
// is kept aside) before anything is processed or sent, so that nothing the
// other daemon sent goes out again.
func (d *daemon) catchUp(ctx context.Context, prev *imapwatch.Claim) error {
	late, err := d.mb.adopt(d.db, prev)
	if err != nil || !late {
		return err
	}
	if err := rebuildable(d.core.set.Config()); err != nil {
		// Without the sent folder there is nothing to catch up from: go
		// on as before the claim existed, and say what that risks.
		d.log.Error("this database is behind the mailbox and cannot catch up: working on with it; mail the other database sent may be sent again, and what it recorded is not here",
			"last_holder", prev.String(), "why", err)
		return d.db.Update(func(tx *store.Tx) error { return tx.SetBehind(false) })
	}
	d.log.Warn("this database is behind the mailbox: rebuilding it from the mailbox before processing or sending anything",
		"last_holder", prev.String())
	d.svc.ready("catching up: rebuilding the database from the mailbox")
	if err := d.mb.keeping(ctx, d.rebuildInPlace); err != nil {
		return fmt.Errorf("catching up with the mailbox: %w", err)
	}
	return nil
}

// claimForOnce takes the mailbox for `run --once`, catching up when the
// database is behind; while another daemon holds it, run --once does
// nothing and says who holds it (exit 75). Without IMAP it does nothing.
func (d *daemon) claimForOnce(ctx context.Context) error {
	if d.mb == nil {
		return nil
	}
	res, err := d.mb.lease.Try(ctx)
	if err != nil {
		return startFailure(fmt.Errorf("imap: %w", err))
	}
	if !res.Acquired {
		return fmt.Errorf("%w: %s (database %s); it may be taken over at %s: run --once processed and sent nothing",
			errMailboxHeld, res.Holder, res.Holder.Instance, res.TakeoverAt.UTC().Format(time.RFC3339))
	}
	return d.catchUp(ctx, res.Prev)
}
