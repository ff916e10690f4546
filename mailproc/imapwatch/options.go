// Package imapwatch polls IMAP folders for liaison statements and hands
// every new message to a Sink, never losing one.
//
// The invariant is "nothing lost": a message is moved or flagged on the
// server only after Sink.Deliver has durably committed its raw bytes and
// the folder's UID checkpoint in one transaction. If the connection drops,
// the server restarts or the sink fails, the checkpoint has not advanced and
// the next sync fetches the same messages again (the pipeline deduplicates).
//
// No single message can stall a folder: batches are capped by count and by
// bytes (RFC822.SIZE, read before any body), a failed batch is retried one
// message at a time, and every attempt is counted durably by the sink
// before the message is fetched, so that a message that fails or kills the
// daemon MaxAttempts times is given up on: kept as failed (Sink.Reject) and
// moved to FailedFolder. See attempts.go.
//
// Folder scheme: every folder is synced in turn on connect (the first
// folder last, so that it stays selected). When the server offers IDLE the
// watcher idles on the first folder and wakes up on a new-message (EXISTS)
// notification, every IdleRestart (when it sends NOOP and resyncs the first
// folder, which also catches a missed notification) and every PollInterval
// when there are other folders (when it syncs them all). Without IDLE every
// folder is synced each PollInterval.
//
// A message whose disposition (MOVE or STORE) failed after its batch was
// committed is left in the source folder below the checkpoint; in
// move mode (ProcessedFolder set) the next sync finds such leftovers and
// moves them to ProcessedFolder without delivering them again.
package imapwatch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strings"
	"time"
)

// TLSMode selects how the connection to the IMAP server is protected.
type TLSMode string

// The TLS modes.
const (
	// TLSImplicit connects with TLS from the first byte (imaps, port 993).
	TLSImplicit TLSMode = "implicit"
	// TLSStartTLS connects in plain text and upgrades with STARTTLS.
	TLSStartTLS TLSMode = "starttls"
	// TLSNone sends everything, password included, in plain text; allowed
	// only to a loopback address unless Options.AllowInsecure is set.
	TLSNone TLSMode = "none"
)

// Defaults for the zero values of Options.
const (
	DefaultPollInterval = time.Minute
	DefaultIdleRestart  = 10 * time.Minute
	DefaultBatchSize    = 100
	// DefaultBatchBytes caps the bytes fetched for one batch (by the
	// messages' RFC822.SIZE): a batch's memory is a few times its bytes.
	DefaultBatchBytes = 32 << 20
	// DefaultMaxAttempts is how many times a message is processed before it
	// is given up on (kept, flagged failed, moved to FailedFolder).
	DefaultMaxAttempts = 3
	// MaxIdleRestart keeps IDLE well inside the 30-minute inactivity
	// timeout of RFC 9051.
	MaxIdleRestart = 29 * time.Minute
)

// ErrInsecure is returned by New for plain-text IMAP to a host that is not
// loopback without Options.AllowInsecure.
var ErrInsecure = errors.New("imapwatch: refusing plain-text IMAP to a non-loopback host (set AllowInsecure to override)")

// Folder is one IMAP folder the watcher reads.
type Folder struct {
	// Name is the IMAP folder name, for example "INBOX".
	Name string
	// WGList is the working-group id when the folder receives the traffic
	// of a WG mailing list (statements sent straight to a WG); "" otherwise.
	WGList string
}

// Options configures a Watcher.
type Options struct {
	// Address is host:port of the IMAP server.
	Address string
	// TLS is the transport security; "" means TLSImplicit.
	TLS TLSMode
	// TLSConfig is used for implicit TLS and STARTTLS; nil means the system
	// roots and the host of Address as server name.
	TLSConfig *tls.Config
	// AllowInsecure permits TLSNone to a non-loopback host.
	AllowInsecure bool
	// Username and Password log in; the caller reads the secret. The
	// password is never logged.
	Username, Password string
	// Folders are read in order; the first one is the IDLE folder.
	Folders []Folder
	// ProcessedFolder receives messages after their batch is committed
	// (UID MOVE, or COPY + STORE \Deleted + EXPUNGE without MOVE); ""
	// leaves them in place.
	ProcessedFolder string
	// FailedFolder receives messages whose Outcome.Understood is false; ""
	// treats them like understood ones.
	FailedFolder string
	// MarkSeen sets \Seen on committed messages.
	MarkSeen bool
	// PollInterval is how often folders are synced when IDLE is not
	// available, and how often the non-IDLE folders are synced when it is.
	PollInterval time.Duration
	// IdleRestart is how long one IDLE lasts before the watcher checks the
	// connection with NOOP and resyncs; default 10 minutes.
	IdleRestart time.Duration
	// BatchSize is the most messages per Sink.Deliver call.
	BatchSize int
	// BatchBytes is the most bytes (RFC822.SIZE) per Sink.Deliver call; a
	// message larger than that forms a batch alone.
	BatchBytes int64
	// MaxAttempts is how many times a message is processed before the
	// watcher gives up on it: Sink.Reject keeps it as failed and it goes to
	// FailedFolder. Attempts that ended by killing the daemon count.
	MaxAttempts int
	// Logger receives structured logs; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock for status times; nil means time.Now.
	Now func() time.Time
	// Rand returns a number in [0,1) for backoff jitter; nil means
	// math/rand.
	Rand func() float64
	// OnSynced, when set, is called after every folder was synced once on
	// a new connection (by Run, after each (re)connect, and by SyncOnce):
	// the mailbox's backlog is then committed. The daemon tells systemd it
	// is ready on the first call. It runs on the watcher's goroutine and
	// must not block.
	OnSynced func()
	// Gate, when set, is asked before each batch is taken and before
	// committed leftovers are moved: an error ends the sync with it (the
	// daemon no longer holds the mailbox, see Lease). Nil never refuses.
	Gate func() error
}

// LogValue implements slog.LogValuer without the password, and without
// the address, which every line of the watcher's log carries already.
func (o Options) LogValue() slog.Value {
	names := make([]string, len(o.Folders))
	for i, f := range o.Folders {
		names[i] = f.Name
	}
	return slog.GroupValue(
		slog.String("tls", string(o.TLS)),
		slog.String("username", o.Username),
		slog.String("folders", strings.Join(names, ",")),
		slog.String("processed_folder", o.ProcessedFolder),
		slog.String("failed_folder", o.FailedFolder),
	)
}

// Checkpoint is how far a folder has been committed: messages with a UID
// above LastUID in a folder with this UIDValidity are new.
type Checkpoint struct {
	UIDValidity uint32
	LastUID     uint32
}

// Message is one fetched message.
type Message struct {
	Folder       Folder
	UIDValidity  uint32
	UID          uint32
	Raw          []byte
	InternalDate time.Time
	// Prepared is what the sink made of the message ahead of Deliver
	// (Preparer), nil when nothing.
	Prepared any
}

// Outcome is the sink's verdict on one delivered message.
type Outcome struct {
	// Understood false sends the message to FailedFolder (when set); it is
	// still recorded by the sink.
	Understood bool
}

// Attempt is what the sink durably knows of the attempts at one message
// not committed yet.
type Attempt struct {
	// Count is the number of attempts begun, the one in hand included.
	Count int
	// Failures is the number of attempts that ended with an error; the
	// others before the one in hand ended without a result (the daemon
	// died: a crash, an out-of-memory kill).
	Failures int
	// LastError is the error of the latest failed attempt.
	LastError string
}

// Sink is where fetched messages go (the store-backed pipeline implements
// it).
//
// Besides delivering, a sink counts attempts durably, so that no single
// message can stall a folder: one whose processing fails, or kills the
// daemon, MaxAttempts times is handed to Reject instead of being processed
// again.
type Sink interface {
	// Checkpoint returns the committed checkpoint of folder; the zero
	// value for a folder never seen.
	Checkpoint(folder string) (Checkpoint, error)
	// Attempts returns the attempts so far at each of uids, in order (the
	// zero value for a message never tried).
	Attempts(folder Folder, uidValidity uint32, uids []uint32) ([]Attempt, error)
	// BeginAttempts durably counts one more attempt at each of uids,
	// before they are fetched, and returns the updated attempts in order.
	BeginAttempts(folder Folder, uidValidity uint32, uids []uint32) ([]Attempt, error)
	// EndAttempts notes how the current attempt at each of uids ended
	// without a commit: with failure (the message's own failure, which
	// counts toward MaxAttempts) or, when failure is "", interrupted by
	// something that was not the message's fault (a lost connection),
	// which does not count.
	EndAttempts(folder Folder, uidValidity uint32, uids []uint32, failure string) error
	// Deliver must durably commit the raw bytes of every message AND the
	// folder checkpoint (uidValidity, highest UID of the batch) in ONE
	// transaction before returning, and return one Outcome per message in
	// order; on error nothing is committed, and an error that is not the
	// messages' fault (a full disk) wraps ErrSinkUnavailable. Only after it returns nil does
	// the watcher move or flag the messages on the server; committing is
	// how the caller learns a batch arrived. It also forgets the attempts
	// at the messages it commits.
	Deliver(ctx context.Context, folder Folder, uidValidity uint32, msgs []Message) ([]Outcome, error)
	// Reject keeps a message the watcher gave up on without processing
	// it: its raw bytes (nil when even fetching it did not finish), a
	// record flagged failed with reason, and the checkpoint advanced to
	// its UID, in ONE transaction; like Deliver, it forgets its attempts.
	Reject(ctx context.Context, folder Folder, uidValidity uint32, msg Message, reason string) error
}

// validate checks opt and fills in defaults.
func (o *Options) validate() error {
	host, port, err := net.SplitHostPort(o.Address)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("imapwatch: address %q is not host:port", o.Address)
	}
	switch o.TLS {
	case "":
		o.TLS = TLSImplicit
	case TLSImplicit, TLSStartTLS, TLSNone:
	default:
		return fmt.Errorf("imapwatch: unknown TLS mode %q (want implicit, starttls or none)", o.TLS)
	}
	if o.TLS == TLSNone && !o.AllowInsecure && !isLoopback(host) {
		return fmt.Errorf("%w: %s", ErrInsecure, host)
	}
	if o.Username == "" {
		return errors.New("imapwatch: username is empty")
	}
	if o.Password == "" {
		return errors.New("imapwatch: password is empty")
	}
	if len(o.Folders) == 0 {
		return errors.New("imapwatch: no folders to watch")
	}
	seen := make(map[string]bool, len(o.Folders))
	for _, f := range o.Folders {
		if f.Name == "" {
			return errors.New("imapwatch: folder with an empty name")
		}
		if seen[f.Name] {
			return fmt.Errorf("imapwatch: folder %q listed twice", f.Name)
		}
		seen[f.Name] = true
	}
	for _, dest := range []string{o.ProcessedFolder, o.FailedFolder} {
		if dest != "" && seen[dest] {
			return fmt.Errorf("imapwatch: folder %q is both watched and a destination", dest)
		}
	}
	if o.PollInterval < 0 || o.IdleRestart < 0 || o.BatchSize < 0 || o.BatchBytes < 0 || o.MaxAttempts < 0 {
		return errors.New("imapwatch: negative poll interval, idle restart, batch size, batch bytes or attempts")
	}
	if o.PollInterval == 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.IdleRestart == 0 {
		o.IdleRestart = DefaultIdleRestart
	}
	if o.IdleRestart >= MaxIdleRestart {
		return fmt.Errorf("imapwatch: idle restart %v must be below %v", o.IdleRestart, MaxIdleRestart)
	}
	if o.BatchSize == 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.BatchBytes == 0 {
		o.BatchBytes = DefaultBatchBytes
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.TLS != TLSNone {
		if o.TLSConfig == nil {
			o.TLSConfig = &tls.Config{}
		} else {
			o.TLSConfig = o.TLSConfig.Clone()
		}
		if o.TLSConfig.ServerName == "" {
			o.TLSConfig.ServerName = host
		}
		if o.TLSConfig.MinVersion == 0 {
			o.TLSConfig.MinVersion = tls.VersionTLS12
		}
	}
	return nil
}

// isLoopback reports whether host is "localhost" or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
