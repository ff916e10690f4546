package imapwatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Side is an IMAP connection besides the watcher's own (which spends its
// time in IDLE), for what the daemon writes into the mailbox: the copies of
// the mail it sends (Appender) and its claim on the mailbox (Lease). It
// connects on first use, like the watcher (the same options, the same
// explained failures), and is safe for concurrent use, one command at a
// time.
type Side struct {
	w *Watcher
	// timeout bounds each use of the connection.
	timeout time.Duration

	mu sync.Mutex
	c  *imapclient.Client
	// folders are the folders known to exist on c, for its writers
	// (Appender, the lease's folder store).
	folders folderSet
}

// NewSide checks opt (Folders may be empty) and returns an unconnected
// Side.
func NewSide(opt Options) (*Side, error) {
	if len(opt.Folders) == 0 {
		opt.Folders = []Folder{{Name: "INBOX"}}
	}
	opt.Folders = append([]Folder(nil), opt.Folders...)
	if err := opt.validate(); err != nil {
		return nil, err
	}
	w := &Watcher{opt: opt, log: opt.Logger.With(slog.String("component", "imap-side"), slog.String("address", opt.Address)),
		wake: make(chan struct{}, 1), dialTimeout: 30 * time.Second}
	return &Side{w: w, timeout: time.Minute, folders: folderSet{log: w.log}}, nil
}

// Do runs fn on the connection, connecting first when there is none. When
// fn fails and the connection did not survive (the server dropped it while
// it was idle, a network error), Do connects again and runs fn once more;
// an answer from the server (NO, BAD) is fn's result as it is. fn must
// bound what it does by its commands, which Do cuts short when ctx ends or
// the connection's timeout passes.
func (s *Side) Do(ctx context.Context, fn func(c *imapclient.Client) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		if s.c == nil {
			if s.c, err = s.w.connect(ctx); err != nil {
				s.c = nil
				return err
			}
		}
		err = s.run(ctx, fn)
		if err == nil {
			return nil
		}
		var ierr *imap.Error
		if errors.As(err, &ierr) && !connClosed(s.c) {
			return err // the server's answer: the connection is fine
		}
		s.drop()
		if ctx.Err() != nil {
			return err
		}
	}
	return err
}

// run runs fn under the timeout: when it passes (or ctx ends) the
// connection is closed, which ends any command waiting on it.
func (s *Side) run(ctx context.Context, fn func(c *imapclient.Client) error) error {
	tctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	c := s.c
	stop := context.AfterFunc(tctx, func() { c.Close() })
	defer stop()
	err := fn(c)
	if err != nil && tctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", err, tctx.Err())
	}
	return err
}

// drop closes the connection (the next Do connects again).
func (s *Side) drop() {
	if s.c != nil {
		_ = s.c.Close()
		s.c = nil
	}
}

// Close logs out and closes the connection, if any.
func (s *Side) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c != nil {
		s.w.disconnect(s.c)
		s.c = nil
	}
}

// Caps returns the server's capabilities (connecting if needed).
func (s *Side) Caps(ctx context.Context) (imap.CapSet, error) {
	var caps imap.CapSet
	err := s.Do(ctx, func(c *imapclient.Client) error {
		caps = c.Caps()
		return nil
	})
	return caps, err
}

// Appender files copies of sent mail in a folder over a Side: the outbox's
// Filer (package outbox).
type Appender struct {
	Side *Side
	// Folder is the sent folder; it is created when missing.
	Folder string
}

// File appends msg to the folder, flagged \Seen, with date as its
// internal date (the time it was sent).
func (a *Appender) File(ctx context.Context, msg []byte, date time.Time) error {
	return a.Side.Do(ctx, func(c *imapclient.Client) error {
		return appendMessage(c, &a.Side.folders, a.Folder, msg, &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}, Time: date})
	})
}

// appendMessage appends msg to folder, which is created first when
// missing (withFolder: fs remembers the folders found on c).
func appendMessage(c *imapclient.Client, fs *folderSet, folder string, msg []byte, opt *imap.AppendOptions) error {
	err := withFolder(c, fs, folder, func() error {
		cmd := c.Append(folder, int64(len(msg)), opt)
		_, werr := cmd.Write(msg)
		cerr := cmd.Close()
		_, err := cmd.Wait()
		if err == nil {
			err = errors.Join(werr, cerr)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("imapwatch: append to %q: %w", folder, err)
	}
	return nil
}

// Envelope is what a folder's listing says of one message.
type Envelope struct {
	UID          uint32
	InternalDate time.Time
	Size         int64
}

// List returns every message of folder, in UID order, and the folder's
// UIDVALIDITY, reading it read-only (EXAMINE); a folder that does not
// exist has none. A rebuild reads the processed, failed and sent folders
// so.
func (s *Side) List(ctx context.Context, folder string) ([]Envelope, uint32, error) {
	var out []Envelope
	var uidv uint32
	err := s.Do(ctx, func(c *imapclient.Client) error {
		out, uidv = nil, 0
		sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			var ierr *imap.Error
			if errors.As(err, &ierr) && ierr.Type == imap.StatusResponseTypeNo {
				return nil // no such folder
			}
			return fmt.Errorf("imapwatch: examine %q: %w", folder, err)
		}
		uidv = sel.UIDValidity
		if sel.NumMessages == 0 {
			return nil
		}
		bufs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}},
			&imap.FetchOptions{UID: true, InternalDate: true, RFC822Size: true}).Collect()
		if err != nil {
			return fmt.Errorf("imapwatch: list %q: %w", folder, err)
		}
		for _, b := range bufs {
			if b.UID != 0 {
				out = append(out, Envelope{UID: uint32(b.UID), InternalDate: b.InternalDate, Size: b.RFC822Size})
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].UID < out[j].UID })
	return out, uidv, err
}

// Fetch returns the messages uids of folder f (read-only, in UID order;
// one expunged meanwhile is left out), each with its internal date.
func (s *Side) Fetch(ctx context.Context, f Folder, uids []uint32) ([]Message, error) {
	var msgs []Message
	err := s.Do(ctx, func(c *imapclient.Client) error {
		sel, err := c.Select(f.Name, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return fmt.Errorf("imapwatch: examine %q: %w", f.Name, err)
		}
		set := make([]imap.UID, len(uids))
		for i, u := range uids {
			set[i] = imap.UID(u)
		}
		msgs, err = s.w.fetch(c, f, sel.UIDValidity, set)
		return err
	})
	return msgs, err
}
