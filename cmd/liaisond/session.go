package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/internal/atomicfile"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/store"
)

// access is what a command does with the data dir.
type access int

const (
	// readData only looks: a command that opens the data dir itself opens
	// it read-only (a shared lock, waiting a little for a writer).
	readData access = iota
	// writeData changes it.
	writeData
)

// session is a command's access to the data: the configuration in force,
// the open database and the command's logger. A command gets it from
// cmdEnv.open, whether it runs in its own process over the data dir or
// inside the daemon that holds the data dir (through the control socket,
// control.go). That is the only difference between the two ways a command
// runs, so its output is the same either way.
type session struct {
	cfg *config.Config
	db  *store.DB
	log *slog.Logger
	// d is the daemon the command runs in; nil when it opened the data dir
	// itself.
	d *daemon
	// wall is the real clock (cmdEnv.now): what a claim on the mailbox is
	// written with, whatever clock a command runs on (sweep --at).
	wall func() time.Time
}

// open gives the command access to the data dir of the config at cfgPath.
//
//   - Inside the daemon (a control-socket request), it lends the daemon's
//     open database and configuration in force; cfgPath is not read.
//   - Otherwise it loads the config; when a daemon answers on the config's
//     control socket, it returns a *viaDaemon error: the dispatcher
//     (cmdEnv.run) then runs the whole command in that daemon. A command
//     not registered remote gets ErrLocked and a message saying so.
//   - When none answers, the command opens the database itself. A daemon
//     that was starting holds the lock but may answer by then: the socket
//     is tried once more before the lock error is returned.
func (env *cmdEnv) open(cfgPath string, acc access) (*session, error) {
	if d := env.daemon; d != nil {
		if acc == writeData {
			// A standby's database is behind the mailbox and is rebuilt
			// when it takes over: a change made here would be lost.
			if err := d.mb.writable(); err != nil {
				return nil, fmt.Errorf("%w: this daemon is a standby (%v): a change here would be lost when it takes over; run the command where the active daemon runs", errMailboxHeld, err)
			}
		}
		cfg := d.core.set.Config()
		return &session{cfg: cfg, db: d.db, d: d, log: d.requestLog(env, cfg)}, nil
	}
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return nil, err
	}
	if err := env.findDaemon(cfg); err != nil {
		return nil, err
	}
	opt := store.Options{}
	if acc == readData {
		opt = store.Options{ReadOnly: true, Timeout: 5 * time.Second}
	}
	db, err := store.Open(cfg.DataDir, opt)
	if errors.Is(err, store.ErrLocked) {
		if derr := env.findDaemon(cfg); derr != nil {
			return nil, derr
		}
	}
	if err != nil {
		return nil, err
	}
	return &session{cfg: cfg, db: db, log: newLogger(env.stderr, cfg), wall: env.now}, nil
}

// findDaemon returns a *viaDaemon when a daemon answers on cfg's control
// socket and the command runs through it, an ErrLocked error when the
// command may not, and nil when no daemon answers.
func (env *cmdEnv) findDaemon(cfg *config.Config) error {
	conn, err := dialControl(cfg.Control)
	if err != nil || conn == nil {
		return err
	}
	if env.cmd == nil || !env.cmd.remote {
		conn.Close()
		name := "this command"
		if env.cmd != nil {
			name = "`liaisond " + env.cmd.name + "`"
		}
		return fmt.Errorf("%w: a daemon holds %s (it answers on %s), and %s works only without it: stop the daemon first", store.ErrLocked, cfg.DataDir, cfg.Control.Socket, name)
	}
	return &viaDaemon{conn: conn, socket: cfg.Control.Socket}
}

// Close releases what the session opened (the daemon's database stays
// open).
func (s *session) Close() {
	if s.d == nil {
		s.db.Close()
	}
}

// core builds the shared parts (composer, action layer) over the
// session's database, on the clock now. In the daemon they share its
// settings holder, and an action wakes its scheduler and outbox worker.
func (s *session) core(now func() time.Time, opt coreOptions) (*core, error) {
	if s.d == nil {
		return newCore(s.cfg, s.db, now, s.log, opt)
	}
	c, err := coreOver(s.d.core.set, s.db, now, s.log, opt.mute)
	if err != nil {
		return nil, err
	}
	c.onChange(s.d.changed)
	return c, nil
}

// deliver has the mail that is due sent now: by the daemon's outbox
// worker (woken) when the command runs in the daemon; else by this
// process, when the config has an smtp section, with n reporting failures
// and now as the clock (mail queued for a later time is sent once due),
// and only with the claim on the mailbox (deliverOutbox).
func (s *session) deliver(ctx context.Context, n *notify.Notifier, now func() time.Time) error {
	if s.d != nil {
		s.d.changed()
		return nil
	}
	if s.cfg.SMTP == nil {
		return nil
	}
	return deliverOutbox(ctx, s.wall, now, s.cfg, s.db, n, s.log, "")
}

// changed tells a daemon the command runs in that the data changed
// outside its own parts (an outbox entry requeued): its scheduler and
// outbox worker look again. Without a daemon there is nobody to tell.
func (s *session) changed() {
	if s.d != nil {
		s.d.changed()
	}
}

// readFile reads an input file of at most max bytes (a larger one is a
// usage error, refused before it is read whole). A command reads its input
// files before it opens the data: the client then reads them, here, with
// its own working directory and rights, and sends them with the request
// when the command runs in the daemon, which never reads a client's path
// itself.
func (env *cmdEnv) readFile(path string, max int64) ([]byte, error) {
	if env.daemon != nil {
		b, ok := env.files[path]
		if !ok {
			return nil, fmt.Errorf("%s: the client did not send this file (read input files before opening the data)", path)
		}
		if int64(len(b)) > max {
			return nil, usageError{fmt.Sprintf("%s is larger than %d bytes", path, max)}
		}
		return b, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > max {
		return nil, usageError{fmt.Sprintf("%s is larger than %d bytes", path, max)}
	}
	if env.files == nil {
		env.files = map[string][]byte{}
	}
	env.files[path] = b
	return b, nil
}

// toFile runs the command args (args[0] its name) with its standard output
// going into the file at path. This process writes the file, so a relative
// path and the file's owner are the caller's also when the command runs in
// the daemon: into a temporary file beside path, synced, checked by check
// (when not nil) and only then renamed over path. A command or check that
// fails leaves no file behind and the old one, if any, in place.
func (env *cmdEnv) toFile(path string, args []string, check func(tmp string) error) error {
	if env.daemon != nil {
		return usageError{"through the daemon, output goes to the client: -o - only"}
	}
	c := lookup(args[0])
	if c == nil {
		return fmt.Errorf("no command %q", args[0])
	}
	return atomicfile.Write(path, func(f *os.File) error {
		sub := &cmdEnv{stdout: f, stderr: env.stderr, now: env.now, user: env.user}
		if err := sub.run(c, args); err != nil {
			return err
		}
		if sub.exit != 0 {
			return exitStatus(sub.exit)
		}
		return nil
	}, check)
}
