package imapwatch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/ietf-tools/liaisond/internal/netdiag"
)

// FolderStatus is the health of one watched folder.
type FolderStatus struct {
	Name   string
	WGList string
	// Connected is true while the watcher holds a logged-in connection.
	Connected bool
	// LastSync is when the folder was last synced completely.
	LastSync time.Time
	// UIDValidity and LastUID are the last committed checkpoint.
	UIDValidity uint32
	LastUID     uint32
	// Delivered counts messages committed by the sink since start.
	Delivered uint64
	// Rejected counts messages given up on since start (kept as failed
	// after MaxAttempts attempts).
	Rejected uint64
	// Errors counts failed syncs or sessions; LastError is the latest.
	Errors    int
	LastError string
	// Reconnects counts connection attempts after the first.
	Reconnects int
}

// Watcher reads the configured folders and feeds a Sink.
type Watcher struct {
	opt  Options
	sink Sink
	log  *slog.Logger

	// wake is signalled (without blocking) when the server announces
	// new messages (EXISTS) in the selected folder.
	wake chan struct{}

	// temp and perm are the reconnect schedules for temporary and
	// permanent failures.
	temp, perm backoff
	// dialTimeout bounds connecting and the TLS handshake.
	dialTimeout time.Duration

	// running serializes Run and SyncOnce.
	running sync.Mutex
	// folders are the folders known to exist on the session's
	// connection (used by the session only).
	folders folderSet

	mu     sync.Mutex
	status []FolderStatus
}

// New checks opt and returns a Watcher feeding sink.
func New(opt Options, sink Sink) (*Watcher, error) {
	if sink == nil {
		return nil, errors.New("imapwatch: nil sink")
	}
	opt.Folders = append([]Folder(nil), opt.Folders...)
	if err := opt.validate(); err != nil {
		return nil, err
	}
	w := &Watcher{
		opt:         opt,
		sink:        sink,
		log:         opt.Logger.With(slog.String("component", "imapwatch"), slog.String("address", opt.Address)),
		wake:        make(chan struct{}, 1),
		temp:        backoff{base: time.Second, max: 5 * time.Minute, rand: opt.Rand},
		perm:        backoff{base: 5 * time.Minute, max: 30 * time.Minute, rand: opt.Rand},
		dialTimeout: 30 * time.Second,
	}
	w.folders.log = w.log
	for _, f := range opt.Folders {
		w.status = append(w.status, FolderStatus{Name: f.Name, WGList: f.WGList})
	}
	return w, nil
}

// Status returns a snapshot of every folder's health.
func (w *Watcher) Status() []FolderStatus {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]FolderStatus(nil), w.status...)
}

// update applies fn to the status of the named folder ("" = all folders).
func (w *Watcher) update(folder string, fn func(*FolderStatus)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range w.status {
		if folder == "" || w.status[i].Name == folder {
			fn(&w.status[i])
		}
	}
}

// SyncOnce connects, syncs every folder once and logs out.
func (w *Watcher) SyncOnce(ctx context.Context) error {
	w.running.Lock()
	defer w.running.Unlock()
	c, err := w.connect(ctx)
	if err != nil {
		return err
	}
	defer w.disconnect(c)
	if err := w.ensureFolders(c); err != nil {
		return err
	}
	if err := w.syncAll(ctx, c); err != nil {
		return err
	}
	w.synced()
	return nil
}

// synced calls Options.OnSynced, if set.
func (w *Watcher) synced() {
	if w.opt.OnSynced != nil {
		w.opt.OnSynced()
	}
}

// Run connects, syncs all folders, then waits for new mail with IDLE (or
// polls), reconnecting with exponential backoff and jitter after any
// failure, until ctx is done. It returns ctx.Err() on shutdown, after
// finishing the batch in hand.
//
// The first start is different: until a first session has connected,
// logged in and found its folders, a failure is not an outage but most
// likely a wrong address, port, TLS mode or password, and Run returns it at
// once (wrapping ErrFirstConnect, explained: see internal/netdiag) instead
// of retrying forever.
func (w *Watcher) Run(ctx context.Context) error {
	w.running.Lock()
	defer w.running.Unlock()
	w.log.Info("imap watcher starting", slog.Any("options", w.opt))
	everReady := false
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			w.update("", func(s *FolderStatus) { s.Reconnects++ })
		}
		var st sessionState
		err := w.session(ctx, &st)
		w.update("", func(s *FolderStatus) { s.Connected = false })
		if ctx.Err() != nil {
			w.log.Info("imap watcher stopped")
			return ctx.Err()
		}
		w.update("", func(s *FolderStatus) { s.Errors++; s.LastError = err.Error() })
		if !everReady && !st.ready {
			return fmt.Errorf("%w: %w", ErrFirstConnect, err)
		}
		everReady = true
		if st.synced {
			w.temp.reset()
			w.perm.reset()
		}
		var delay time.Duration
		switch {
		case IsPermanent(err):
			w.temp.reset()
			delay = w.perm.next()
			w.log.Error("imap watcher: PERMANENT failure, check credentials and TLS settings; backing off",
				slog.Any("err", err), slog.Duration("retry_in", delay))
		case st.ready:
			w.perm.reset()
			delay = w.temp.next()
			w.log.Warn("imap watcher: connection lost; reconnecting",
				slog.Any("err", err), slog.Duration("retry_in", delay))
		default:
			w.perm.reset()
			delay = w.temp.next()
			w.log.Warn("imap watcher: cannot reconnect; retrying",
				slog.Any("err", err), slog.Duration("retry_in", delay))
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			w.log.Info("imap watcher stopped")
			return ctx.Err()
		case <-t.C:
		}
	}
}

// ErrFirstConnect marks Run's error when the first session could not
// start (connect, log in, find or create the folders).
var ErrFirstConnect = errors.New("imapwatch: the first connection failed")

// sessionState is how far one session got.
type sessionState struct {
	// ready: connected, logged in, folders found or created.
	ready bool
	// synced: every folder synced once (the backoff restarts after that).
	synced bool
}

// session runs one connection: connect, sync all, then IDLE or poll until
// an error or ctx is done, noting in st how far it got.
func (w *Watcher) session(ctx context.Context, st *sessionState) error {
	c, err := w.connect(ctx)
	if err != nil {
		return err
	}
	defer w.disconnect(c)
	if err := w.ensureFolders(c); err != nil {
		return err
	}
	st.ready = true
	if err := w.syncAll(ctx, c); err != nil {
		return err
	}
	st.synced = true
	w.synced()

	idle := c.Caps().Has(imap.CapIdle)
	w.log.Info("imap watcher synced; waiting for mail", slog.Bool("idle", idle),
		slog.String("folder", w.opt.Folders[0].Name))
	poll := time.NewTicker(w.opt.PollInterval)
	defer poll.Stop()
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !idle {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-c.Closed():
				return errors.New("imapwatch: connection closed by server")
			case <-poll.C:
				if err := w.syncAll(ctx, c); err != nil {
					return err
				}
			}
			continue
		}
		var pollC <-chan time.Time
		if len(w.opt.Folders) > 1 {
			pollC = poll.C
		}
		ev, err := w.idle(ctx, c, pollC)
		if err != nil {
			return err
		}
		switch ev {
		case evDone:
			return ctx.Err()
		case evWake:
			err = w.syncFolder(ctx, c, w.opt.Folders[0])
		case evRestart:
			if err = c.Noop().Wait(); err != nil {
				err = fmt.Errorf("imapwatch: NOOP after IDLE: %w", err)
			} else {
				err = w.syncFolder(ctx, c, w.opt.Folders[0])
			}
		case evPoll:
			err = w.syncAll(ctx, c)
		}
		if err != nil {
			return err
		}
	}
}

// idleEvent is why an IDLE ended.
type idleEvent int

const (
	evDone    idleEvent = iota // ctx done
	evWake                     // new messages announced
	evRestart                  // IdleRestart elapsed
	evPoll                     // time to poll the other folders
)

// idle runs IDLE on the selected folder until something happens.
func (w *Watcher) idle(ctx context.Context, c *imapclient.Client, pollC <-chan time.Time) (idleEvent, error) {
	select {
	case <-w.wake: // announced while syncing: no need to idle
		return evWake, nil
	default:
	}
	cmd, err := c.Idle()
	if err != nil {
		return evDone, fmt.Errorf("imapwatch: start IDLE: %w", err)
	}
	t := time.NewTimer(w.opt.IdleRestart)
	defer t.Stop()
	var ev idleEvent
	select {
	case <-ctx.Done():
		ev = evDone
	case <-w.wake:
		ev = evWake
	case <-t.C:
		ev = evRestart
	case <-pollC:
		ev = evPoll
	case <-c.Closed():
		_ = cmd.Close()
		return evDone, errors.New("imapwatch: connection closed during IDLE")
	}
	if err := cmd.Close(); err != nil {
		return evDone, fmt.Errorf("imapwatch: stop IDLE: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return evDone, fmt.Errorf("imapwatch: IDLE: %w", err)
	}
	return ev, nil
}

// connect dials, secures and logs in. Every failure is explained
// (netdiag): which setting to check, in the operator's words. The whole of
// it is bounded by dialTimeout, so a port that never greets (plain text to
// an implicit-TLS port, STARTTLS to it) is reported instead of waited on.
func (w *Watcher) connect(ctx context.Context) (*imapclient.Client, error) {
	opts := &imapclient.Options{
		TLSConfig: w.opt.TLSConfig,
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					select {
					case w.wake <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	dctx, cancel := context.WithTimeout(ctx, w.dialTimeout)
	defer cancel()
	mode := string(w.opt.TLS)
	explain := func(k netdiag.Kind, err error) error {
		if dctx.Err() != nil && !errors.Is(err, dctx.Err()) {
			// The connection was closed for taking too long.
			err = fmt.Errorf("%w (%w)", err, dctx.Err())
		}
		return netdiag.Wrap(netdiag.IMAP, k, mode, err)
	}
	d := net.Dialer{}
	conn, err := d.DialContext(dctx, "tcp", w.opt.Address)
	if err != nil {
		return nil, explain(netdiag.Unknown, fmt.Errorf("imapwatch: connect to %s: %w", w.opt.Address, err))
	}
	// Until logged in, a server that does not answer in time is given up
	// on: closing the connection ends whatever waits on it.
	stop := context.AfterFunc(dctx, func() { conn.Close() })
	defer stop()
	var c *imapclient.Client
	switch w.opt.TLS {
	case TLSImplicit:
		cfg := w.opt.TLSConfig.Clone()
		if cfg.NextProtos == nil {
			cfg.NextProtos = []string{"imap"}
		}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return nil, classifyTLS(explain(netdiag.Unknown, fmt.Errorf("imapwatch: TLS handshake with %s: %w", w.opt.Address, err)))
		}
		c = imapclient.New(tc, opts)
	case TLSStartTLS:
		c, err = imapclient.NewStartTLS(conn, opts)
		if err != nil {
			k := netdiag.Unknown
			var ierr *imap.Error
			if errors.As(err, &ierr) {
				k = netdiag.NoSTARTTLS
			}
			return nil, classifyTLS(explain(k, fmt.Errorf("imapwatch: STARTTLS with %s: %w", w.opt.Address, err)))
		}
	default:
		c = imapclient.New(conn, opts)
	}
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return nil, explain(netdiag.Unknown, fmt.Errorf("imapwatch: greeting from %s: %w", w.opt.Address, err))
	}
	if c.Caps().Has(imap.CapLoginDisabled) {
		c.Close()
		return nil, permanent(fmt.Errorf("imapwatch: server %s disables LOGIN on this connection (use tls: starttls or implicit)", w.opt.Address))
	}
	if err := c.Login(w.opt.Username, w.opt.Password).Wait(); err != nil {
		c.Close()
		err = fmt.Errorf("imapwatch: login as %q at %s: %w", w.opt.Username, w.opt.Address, err)
		if loginFailed(err) {
			return nil, permanent(explain(netdiag.AuthRejected, err))
		}
		return nil, explain(netdiag.Unknown, err)
	}
	if !stop() {
		c.Close()
		return nil, explain(netdiag.Timeout, fmt.Errorf("imapwatch: log in at %s: %w", w.opt.Address, dctx.Err()))
	}
	w.update("", func(s *FolderStatus) { s.Connected = true })
	w.log.Debug("imap connected", slog.String("tls", string(w.opt.TLS)), slog.String("username", w.opt.Username))
	return c, nil
}

// classifyTLS marks certificate failures and TLS mode mismatches
// permanent: retrying soon will not fix them.
func classifyTLS(err error) error {
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) || IsPermanent(err) || netdiag.KindOf(err).Misconfigured() {
		return permanent(err)
	}
	return err
}

// disconnect logs out politely (bounded) and closes the connection.
func (w *Watcher) disconnect(c *imapclient.Client) {
	done := make(chan struct{})
	go func() {
		_ = c.Logout().Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	_ = c.Close()
	w.update("", func(s *FolderStatus) { s.Connected = false })
}

// ensureFolders creates the watched and destination folders when missing
// (and remembers them on c, for move).
func (w *Watcher) ensureFolders(c *imapclient.Client) error {
	names := make([]string, 0, len(w.opt.Folders)+2)
	for _, f := range w.opt.Folders {
		names = append(names, f.Name)
	}
	names = append(names, w.opt.ProcessedFolder, w.opt.FailedFolder)
	for _, name := range names {
		if name == "" {
			continue
		}
		if err := w.folders.ensure(c, name); err != nil {
			return err
		}
	}
	return nil
}
