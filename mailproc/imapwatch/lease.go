package imapwatch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// # One active daemon per mailbox
//
// Two daemons pointed at one mailbox would both record its mail and both
// send every notice. A Lease makes one of them the holder: it claims the
// mailbox, renews the claim every TTL/4 and, only while the claim is its
// own and fresh, processes folders and sends mail (Lease.Held). Any other
// daemon is a standby: it reads the claim, waits, and takes the mailbox
// over once the claim has expired — TTL after its last renewal, plus a
// grace of TTL/4 — or was released by a holder that stopped cleanly.
//
// The claim lives where the server can keep it:
//
//   - in IMAP METADATA (RFC 5464), a private server entry, when the server
//     advertises METADATA or METADATA-SERVER. SETMETADATA has no
//     compare-and-swap: a daemon taking a claim that anyone may take
//     (none, expired, released) writes, waits a settle time (TTL/100,
//     between 400 ms and 1 s), and reads back; it holds the claim only if
//     its write is still there. Of two daemons that both found the claim
//     free and wrote, the later write wins and the earlier writer sees it
//     and backs off, provided each write reaches the server within
//     settle/2 of the read it was decided on (Fischer's timed mutual
//     exclusion). The gap is measured from before the read is sent to
//     after the server acknowledged the write, so a stall anywhere in
//     between (a loaded host, a slow network) counts: a daemon whose gap
//     exceeds settle/2 before writing does not write, and one whose write
//     is acknowledged too late disowns it (ErrLateClaim) — its claim
//     stands on the server, unrenewed, until it expires, and the daemon
//     that had taken the mailbox meanwhile sees it at its next renewal and
//     stops. A late write thus costs one TTL without a holder, never a
//     second holder. Renewals, and a daemon taking back its own data dir's
//     claim, write without settling: nobody else may write then.
//   - otherwise in a private folder (LeaseFolder), as messages: each write
//     APPENDs a claim naming the UID of the claim it replaces. UIDs are
//     assigned in order by the server, so the messages form a chain: the
//     first message is the current claim, and each later one replaces it
//     only if it names it. Of two racing writes, the second names a claim
//     that is no longer current and does not count: a real compare-and-
//     swap. The holder expunges the claims below its own.
//
// Time: the claim carries absolute times written with the holder's clock
// and read with the standby's. The holder stops acting TTL/4 before its
// claim expires (two renewals missed); a standby takes over TTL/4 after
// it expires. Clocks that disagree by less than TTL/4 (30 s with the
// default two minutes; NTP keeps them within milliseconds) are safe, and
// the TTL/2 between the two also lets an SMTP transaction in flight
// finish.
//
// A daemon's own previous claim — the same database (Holder.Instance) on
// the same host, left by a process that was killed — is taken at once:
// the data dir's lock says that process is gone. A copy of the database
// on another host (a restored backup) must have its own instance id
// (liaisond restore gives it one).

// LeaseEntry is the METADATA entry holding the claim.
const LeaseEntry = "/private/vendor/liaisond/lease"

// ErrLeaseLost is returned by Lease.Keep when the claim was taken over or
// could not be renewed in time; Lease.Held returns it from then on.
var ErrLeaseLost = errors.New("imapwatch: the claim on the mailbox was lost")

// ErrNotHolder is returned by Lease.Held while this daemon does not hold
// the mailbox (a standby, or before the first claim).
var ErrNotHolder = errors.New("imapwatch: this daemon does not hold the mailbox")

// ErrLateClaim is returned by Lease.Try when this daemon's write of a free
// claim was acknowledged too long after the read it was decided on:
// another daemon may have taken the mailbox meanwhile, so the write is
// disowned (see the section on METADATA above).
var ErrLateClaim = errors.New("imapwatch: lease: too slow between reading and writing a free claim to trust it")

// Holder identifies a daemon that claims the mailbox.
type Holder struct {
	// Instance identifies the database the daemon works on (stable for a
	// data dir); Session the daemon's process (new at each start).
	Instance string `json:"instance"`
	Session  string `json:"session"`
	Host     string `json:"host"`
	PID      int    `json:"pid"`
}

// Claim is a daemon's claim on the mailbox, as stored on the server.
type Claim struct {
	Holder
	// Epoch counts the sessions that took the mailbox: each adds one.
	Epoch    uint64    `json:"epoch"`
	Acquired time.Time `json:"acquired"`
	Renewed  time.Time `json:"renewed"`
	Expires  time.Time `json:"expires"`
	// Released is set by a holder that stopped cleanly: nobody waits.
	Released bool `json:"released,omitempty"`
	// Nonce names one write, so a writer can tell its write from another's.
	Nonce string `json:"nonce"`
}

// String names the holder for logs: "host pid 123 (epoch 4, until ...)".
func (c *Claim) String() string {
	if c == nil {
		return "nobody"
	}
	s := fmt.Sprintf("%s pid %d (epoch %d", c.Host, c.PID, c.Epoch)
	if c.Released {
		return s + ", released)"
	}
	return s + ", until " + c.Expires.UTC().Format(time.RFC3339) + ")"
}

// LeaseRole is what a daemon is to the mailbox.
type LeaseRole string

// Lease roles.
const (
	RoleStarting LeaseRole = "starting" // not yet asked the server
	RoleStandby  LeaseRole = "standby"  // another daemon holds the mailbox
	RoleActive   LeaseRole = "active"   // this daemon holds it
	RoleReleased LeaseRole = "released" // this daemon gave it up (stopping)
)

// LeaseStatus is a snapshot for the health page and metrics.
type LeaseStatus struct {
	Role LeaseRole
	// Backend is "metadata" or "folder NAME" ("" before the first read).
	Backend string
	// Claim is this daemon's claim when active, the holder's when
	// standby (nil when nobody holds the mailbox).
	Claim *Claim
	// Since is when the role began; TakeoverAt, for a standby, when it
	// takes over unless the holder renews.
	Since, TakeoverAt time.Time
	// LastError is the latest failure to read or write the claim.
	LastError string
}

// LeaseOptions configure a Lease.
type LeaseOptions struct {
	// Side is the connection the claim is read and written over.
	Side *Side
	// Folder holds the claim on servers without METADATA.
	Folder string
	// TTL is how long a claim lasts without renewal.
	TTL    time.Duration
	Holder Holder
	// Now is the clock; Sleep waits (nil: a timer), returning ctx's error
	// when it ends first.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	Log   *slog.Logger
}

// Lease is one daemon's claim on the mailbox (see the section above).
type Lease struct {
	opt   LeaseOptions
	store leaseStore

	mu     sync.Mutex
	status LeaseStatus
	// mine is this daemon's current claim (nil when it holds none), and
	// deadline when it must stop acting unless renewed.
	mine     *Claim
	deadline time.Time
	lost     error
	// disowned is the nonce of this session's late write (ErrLateClaim):
	// the claim it left is treated as another daemon's.
	disowned string
	// beforeWrite, when set (tests), runs between deciding on a write of
	// a free claim and sending it.
	beforeWrite func()
}

// NewLease checks opt and returns a Lease that has not asked the server yet.
func NewLease(opt LeaseOptions) (*Lease, error) {
	switch {
	case opt.Side == nil:
		return nil, errors.New("imapwatch: lease without a connection")
	case opt.TTL < time.Second:
		return nil, fmt.Errorf("imapwatch: lease TTL %v is too short", opt.TTL)
	case opt.Holder.Instance == "" || opt.Holder.Session == "":
		return nil, errors.New("imapwatch: lease holder without instance or session")
	case opt.Folder == "":
		return nil, errors.New("imapwatch: lease without a folder")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sleep == nil {
		opt.Sleep = sleep
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	opt.Log = opt.Log.With(slog.String("component", "lease"))
	return &Lease{opt: opt, status: LeaseStatus{Role: RoleStarting}}, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// The timing of a lease, from its TTL.
func (l *Lease) renewEvery() time.Duration { return l.opt.TTL / 4 }
func (l *Lease) grace() time.Duration      { return l.opt.TTL / 4 }

// settle is how long a METADATA writer taking a free claim waits before
// reading its write back: TTL/100, between 400 ms and 1 s. Half of it
// bounds a write's round trip (see above): at least 200 ms, so that a
// loaded host does not lose every race to its own slowness.
func (l *Lease) settle() time.Duration {
	return min(max(l.opt.TTL/100, 400*time.Millisecond), time.Second)
}

// free reports whether anyone may take cur (none, released or expired
// past the grace at now): a race for it is possible.
func free(cur *Claim, now time.Time, grace time.Duration) bool {
	return cur == nil || cur.Released || !now.Before(cur.Expires.Add(grace))
}

// verdict is what a daemon may do about the claim it found.
type verdict int

const (
	take  verdict = iota // nobody holds the mailbox: claim it (a new epoch)
	renew                // this daemon's own claim: renew it
	wait                 // another daemon holds it
)

// judge decides, at now, what me may do about cur (nil: no claim), and
// for wait, until when.
func judge(cur *Claim, me Holder, now time.Time, grace time.Duration) (verdict, time.Time) {
	switch {
	case cur == nil:
		return take, time.Time{}
	case cur.Session == me.Session:
		if cur.Released {
			return take, time.Time{}
		}
		return renew, time.Time{}
	case cur.Instance == me.Instance && cur.Host == me.Host:
		// This data dir's previous process on this host: the data dir's
		// lock, which this one holds, says it is gone.
		return take, time.Time{}
	case cur.Released:
		return take, time.Time{}
	}
	until := cur.Expires.Add(grace)
	if !now.Before(until) {
		return take, time.Time{}
	}
	return wait, until
}

// TryResult is the outcome of one Try.
type TryResult struct {
	// Acquired is set when this daemon holds the mailbox after the try;
	// Prev is then the claim it replaced (nil: none, or its own).
	Acquired bool
	Prev     *Claim
	// Holder is the claim of the daemon that holds the mailbox otherwise,
	// and TakeoverAt when it may be taken over.
	Holder     *Claim
	TakeoverAt time.Time
}

// Try reads the claim once and takes or renews it when this daemon may.
func (l *Lease) Try(ctx context.Context) (TryResult, error) {
	res, err := l.try(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.opt.Now()
	if err != nil {
		l.status.LastError = err.Error()
		return res, err
	}
	l.status.LastError = ""
	role := RoleStandby
	if res.Acquired {
		role = RoleActive
	}
	// Say so when the role, or the holder waited on, changes.
	switch {
	case role == RoleActive && l.status.Role != RoleActive:
		l.opt.Log.Info("this daemon holds the mailbox", "claim", l.mine.String(), "backend", l.status.Backend, "replaced", res.Prev.String())
	case role == RoleStandby && (l.status.Role != RoleStandby || !sameClaim(l.status.Claim, res.Holder)):
		l.opt.Log.Info("standby: another daemon holds the mailbox; waiting for its claim to expire",
			"holder", res.Holder.String(), "instance", res.Holder.Instance, "takeover_at", res.TakeoverAt)
	}
	if role != l.status.Role {
		l.status.Since = now
	}
	l.status.Role, l.status.TakeoverAt = role, res.TakeoverAt
	if res.Acquired {
		l.status.Claim = l.mine
	} else {
		l.status.Claim = res.Holder
		l.mine = nil
	}
	return res, nil
}

func (l *Lease) try(ctx context.Context) (TryResult, error) {
	var res TryResult
	st, err := l.backend(ctx)
	if err != nil {
		return res, err
	}
	readAt := l.opt.Now()
	cur, tok, err := l.read(ctx, st)
	if err != nil {
		return res, err
	}
	me := l.opt.Holder
	v, until := judge(l.owned(cur), me, readAt, l.grace())
	if v == wait {
		res.Holder, res.TakeoverAt = cur, until
		return res, nil
	}
	now := l.opt.Now()
	if st.casFree() && free(cur, readAt, l.grace()) && now.Sub(readAt) > l.settle()/2 {
		// Too long since the read this write was decided on (see the
		// section on METADATA above): read again next time.
		return res, fmt.Errorf("%w: %v between reading and writing the claim (at most %v): not writing", ErrLateClaim, now.Sub(readAt).Round(time.Millisecond), l.settle()/2)
	}
	next := Claim{Holder: me, Renewed: now, Expires: now.Add(l.opt.TTL), Nonce: nonce()}
	if v == renew {
		next.Epoch, next.Acquired = cur.Epoch, cur.Acquired
	} else {
		next.Acquired = now
		if cur != nil {
			next.Epoch = cur.Epoch + 1
			res.Prev = cur
		} else {
			next.Epoch = 1
		}
	}
	contested := st.casFree() && free(cur, readAt, l.grace())
	if contested && l.beforeWrite != nil {
		l.beforeWrite()
	}
	ok, err := l.write(ctx, st, next, tok, contested, readAt)
	if err != nil {
		if errors.Is(err, ErrLateClaim) {
			l.mu.Lock()
			l.disowned = next.Nonce
			l.mu.Unlock()
		}
		return res, err
	}
	if !ok {
		// Another daemon's write won: read who holds it now.
		cur, _, err = l.read(ctx, st)
		if err != nil {
			return res, err
		}
		_, until = judge(l.owned(cur), me, l.opt.Now(), l.grace())
		res.Holder, res.TakeoverAt, res.Prev = cur, until, nil
		return res, nil
	}
	l.mu.Lock()
	l.mine, l.deadline, l.lost = &next, next.Expires.Add(-l.renewEvery()), nil
	l.mu.Unlock()
	res.Acquired = true
	return res, nil
}

// read and write run the backend over the Side.
func (l *Lease) read(ctx context.Context, st leaseStore) (cur *Claim, tok string, err error) {
	err = l.opt.Side.Do(ctx, func(c *imapclient.Client) error {
		cur, tok, err = st.read(c)
		return err
	})
	return cur, tok, err
}

// owned returns cur as judge should see it: a claim this session wrote
// but disowned (ErrLateClaim) is shown as another session's, so that it is
// waited out rather than renewed.
func (l *Lease) owned(cur *Claim) *Claim {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur == nil || l.disowned == "" || cur.Nonce != l.disowned {
		return cur
	}
	c := *cur
	c.Session, c.Instance = "disowned:"+c.Session, "disowned:"+c.Instance
	return &c
}

// write writes next in place of the claim tok names; contested says that
// others may be writing too (see free), so that a METADATA write is
// checked against readAt, when the claim it replaces was read, and read
// back after the settle time.
func (l *Lease) write(ctx context.Context, st leaseStore, next Claim, tok string, contested bool, readAt time.Time) (bool, error) {
	var ok bool
	err := l.opt.Side.Do(ctx, func(c *imapclient.Client) (err error) {
		ok, err = st.write(c, next, tok)
		return err
	})
	if err != nil || !st.casFree() || !contested {
		return ok, err
	}
	if gap := l.opt.Now().Sub(readAt); gap > l.settle()/2 {
		return false, fmt.Errorf("%w: acknowledged %v after the read (at most %v); waiting for it to expire", ErrLateClaim, gap.Round(time.Millisecond), l.settle()/2)
	}
	// METADATA: wait, then see whose write is there.
	if err := l.opt.Sleep(ctx, l.settle()); err != nil {
		return false, err
	}
	cur, _, err := l.read(ctx, st)
	if err != nil {
		return false, err
	}
	return cur != nil && cur.Nonce == next.Nonce, nil
}

// backend picks where the claim lives, once: METADATA when the server has
// it, the folder otherwise.
func (l *Lease) backend(ctx context.Context) (leaseStore, error) {
	l.mu.Lock()
	st := l.store
	l.mu.Unlock()
	if st != nil {
		return st, nil
	}
	caps, err := l.opt.Side.Caps(ctx)
	if err != nil {
		return nil, err
	}
	if caps.Has(imap.CapMetadata) || caps.Has(imap.CapMetadataServer) {
		st = metadataStore{}
	} else {
		st = &folderStore{folder: l.opt.Folder, log: l.opt.Log, folders: &l.opt.Side.folders}
	}
	l.mu.Lock()
	l.store = st
	l.status.Backend = st.name()
	l.mu.Unlock()
	return st, nil
}

// Acquire waits, as a standby, until this daemon holds the mailbox, and
// returns the claim it replaced (nil: none, or this data dir's own). Try
// logs why it waits, once per holder. The first failure to read or write
// the claim is returned (a first start that cannot reach the server),
// except a lost race (ErrLateClaim); later ones are logged and retried.
func (l *Lease) Acquire(ctx context.Context) (*Claim, error) {
	for attempt := 0; ; attempt++ {
		res, err := l.Try(ctx)
		switch {
		case err != nil && attempt == 0 && !errors.Is(err, ErrLateClaim):
			return nil, err
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			l.opt.Log.Warn("standby: cannot read the claim on the mailbox; trying again", "err", err)
		case res.Acquired:
			return res.Prev, nil
		}
		d := l.renewEvery()
		if err == nil && !res.TakeoverAt.IsZero() {
			d = min(d, max(res.TakeoverAt.Sub(l.opt.Now()), 0)+10*time.Millisecond)
		}
		if err := l.opt.Sleep(ctx, d); err != nil {
			return nil, err
		}
	}
}

// Keep renews the claim every TTL/4 until ctx ends (it returns ctx's
// error) or the claim is lost (ErrLeaseLost): taken over by another
// daemon, or not renewed before its deadline (the server unreachable).
// Failed renewals are retried every few seconds meanwhile.
func (l *Lease) Keep(ctx context.Context) error {
	for {
		d := l.renewEvery()
		if err := l.Held(); err != nil {
			return err
		}
		if err := l.opt.Sleep(ctx, d); err != nil {
			return err
		}
		for {
			res, err := l.Try(ctx)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err == nil && res.Acquired {
				break
			}
			if err == nil {
				return l.lose(fmt.Errorf("%w: taken over by %s", ErrLeaseLost, res.Holder))
			}
			l.opt.Log.Warn("cannot renew the claim on the mailbox; trying again", "err", err, "deadline", l.deadlineAt())
			if herr := l.Held(); herr != nil {
				return l.lose(fmt.Errorf("%w: not renewed in time: %w", ErrLeaseLost, err))
			}
			retry := min(max(l.deadlineAt().Sub(l.opt.Now())/4, 100*time.Millisecond), 5*time.Second)
			if err := l.opt.Sleep(ctx, retry); err != nil {
				return err
			}
		}
	}
}

func (l *Lease) deadlineAt() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.deadline
}

// lose records that the claim is gone.
func (l *Lease) lose(err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.mine, l.lost = nil, err
	if l.status.Role == RoleActive {
		l.status.Role, l.status.Since = RoleStandby, l.opt.Now()
	}
	l.opt.Log.Error("this daemon no longer holds the mailbox: it stops processing and sending", "err", err)
	return err
}

// Held returns nil while this daemon holds the mailbox and its claim is
// fresh (renewed within TTL·3/4): the gate of everything the daemon
// processes or sends.
func (l *Lease) Held() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.lost != nil:
		return l.lost
	case l.mine == nil:
		return ErrNotHolder
	case !l.opt.Now().Before(l.deadline):
		return fmt.Errorf("%w: the claim was last renewed at %s and is too old to act on", ErrLeaseLost, l.mine.Renewed.UTC().Format(time.RFC3339))
	}
	return nil
}

// Release gives the mailbox up, so that a successor need not wait for the
// claim to expire: the claim is rewritten as released (if it is still this
// daemon's). The daemon must have stopped processing and sending.
func (l *Lease) Release(ctx context.Context) error {
	l.mu.Lock()
	mine, st := l.mine, l.store
	l.mine = nil
	l.mu.Unlock()
	if mine == nil || st == nil {
		return nil
	}
	cur, tok, err := l.read(ctx, st)
	if err != nil {
		return err
	}
	if cur == nil || cur.Session != mine.Session {
		return nil
	}
	rel := *cur
	now := l.opt.Now()
	rel.Released, rel.Renewed, rel.Expires, rel.Nonce = true, now, now, nonce()
	if _, err := l.write(ctx, st, rel, tok, false, now); err != nil {
		return err
	}
	l.mu.Lock()
	l.status.Role, l.status.Since, l.status.Claim = RoleReleased, now, &rel
	l.mu.Unlock()
	l.opt.Log.Info("released the mailbox", "epoch", rel.Epoch)
	return nil
}

// Status returns a snapshot of the lease.
func (l *Lease) Status() LeaseStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.status
	if s.Claim != nil {
		c := *s.Claim
		s.Claim = &c
	}
	return s
}

// sameClaim reports whether a and b are one session's claim (renewals
// aside).
func sameClaim(a, b *Claim) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Session == b.Session && a.Epoch == b.Epoch && a.Released == b.Released
}

// NewSession returns a random session id.
func NewSession() string { return nonce() }

func nonce() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b[:])
}
