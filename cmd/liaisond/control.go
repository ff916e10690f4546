package main

// The control socket: while `liaisond run` holds the data dir, the CLI's
// commands run inside the daemon, over the same open database, and their
// output comes back to the CLI.
//
// # Protocol
//
// A unix stream socket (config control.socket, default
// <data_dir>/liaisond.sock). One connection carries one command. Every
// message is a frame: one kind byte, a 4-byte big-endian payload length
// (at most maxFrame), the payload.
//
//	client → daemon  'Q' {"version":1,"args":["show","-c","FILE","--json","LS-2026-0007"],
//	                      "files":{"body.txt":"<base64>"}}
//	daemon → client  'O' bytes of standard output   (any number, in order)
//	                 'E' bytes of standard error
//	                 'X' {"code":0}                  (last: the exit code)
//
// The daemon runs args exactly as the CLI would have (the same command
// function; see session.go), with the daemon's open database and its
// configuration in force, so the output is the same as without a daemon.
// Files a command writes (-o FILE) are written by the client, from the
// command's standard output (cmdEnv.toFile); files it reads (draft
// --body-file, --attach) are read by the client and travel in the request
// (cmdEnv.readFile): the daemon never opens a path a client names.
//
// # Trust model
//
// Whoever may connect is the operator: the CLI has the operator's
// authority (every action, on every statement; --by EMAIL narrows it to
// that person's roles), as it has without a daemon for whoever may write
// the database file. The daemon's user (and root) may connect; the
// socket is mode 0600, in the data dir. With control.group, members of
// that group may too (mode 0660, that group). The file mode is the
// barrier; the daemon also checks the peer's credentials (SO_PEERCRED on
// Linux) against the same rule, and records the peer's account in the
// history of what it does. A client trusts a socket it finds at the
// configured path: only who may write there could have put one.

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/user"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/ietf-tools/liaisond/config"
)

// controlVersion is the protocol version a client sends.
const controlVersion = 1

// Frame kinds.
const (
	frameRequest = 'Q'
	frameStdout  = 'O'
	frameStderr  = 'E'
	frameExit    = 'X'
)

// maxFrame bounds the payload of an output frame, maxRequest that of a
// request (which carries the command's input files: a draft's attachments,
// base64-encoded).
const (
	maxFrame   = 1 << 20
	maxRequest = 32 << 20
)

// Timeouts of the control connection: the daemon waits this long for a
// request, and for a client to take each frame of output.
const (
	controlReadTimeout  = 10 * time.Second
	controlWriteTimeout = time.Minute
	controlDialTimeout  = 2 * time.Second
)

// controlRequest is what a client asks for.
type controlRequest struct {
	Version int      `json:"version"`
	Args    []string `json:"args"`
	// Files are the input files the command read in the client, by the
	// path it names them with.
	Files map[string][]byte `json:"files,omitempty"`
}

// controlExit ends a reply.
type controlExit struct {
	Code int `json:"code"`
}

// writeFrame writes one frame.
func writeFrame(w io.Writer, kind byte, payload []byte) error {
	if limit := frameLimit(kind); len(payload) > limit {
		return fmt.Errorf("control: frame of %d bytes (limit %d)", len(payload), limit)
	}
	var hdr [5]byte
	hdr[0] = kind
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// frameLimit is the largest payload of a kind of frame.
func frameLimit(kind byte) int {
	if kind == frameRequest {
		return maxRequest
	}
	return maxFrame
}

// readFrame reads one frame.
func readFrame(r io.Reader) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if limit := frameLimit(hdr[0]); int64(n) > int64(limit) {
		return 0, nil, fmt.Errorf("control: frame of %d bytes (limit %d)", n, limit)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return 0, nil, err
	}
	return hdr[0], p, nil
}

// --- client ---

// dialControl connects to the control socket m names. It returns nil and
// no error when no daemon listens there (no socket, or a stale one a
// crashed daemon left: nothing accepts), and an error when one does but
// this user may not use it.
func dialControl(m config.Control) (net.Conn, error) {
	if m.Off() {
		return nil, nil
	}
	conn, err := net.DialTimeout("unix", m.Socket, controlDialTimeout)
	switch {
	case err == nil:
		return conn, nil
	case errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENOTDIR):
		return nil, nil
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return nil, fmt.Errorf("the daemon's control socket %s: %w: run this as the daemon's user, or as a member of control.group", m.Socket, err)
	}
	return nil, fmt.Errorf("the daemon's control socket %s: %w", m.Socket, err)
}

// viaDaemon is returned by cmdEnv.open when a daemon answers on the
// control socket: the command is to run there (cmdEnv.run sends it).
type viaDaemon struct {
	conn   net.Conn
	socket string
}

func (v *viaDaemon) Error() string { return "the command runs in the daemon on " + v.socket }

// run sends the command args to the daemon and copies its output to the
// command's streams. The daemon's exit code becomes the command's: an
// exitStatus (the daemon explained a failure on stderr already).
func (v *viaDaemon) run(env *cmdEnv, args []string) error {
	defer v.conn.Close()
	req, err := json.Marshal(controlRequest{Version: controlVersion, Args: args, Files: env.files})
	if err != nil {
		return err
	}
	if err := writeFrame(v.conn, frameRequest, req); err != nil {
		return fmt.Errorf("the daemon's control socket %s: %w", v.socket, err)
	}
	for {
		kind, p, err := readFrame(v.conn)
		if err != nil {
			return fmt.Errorf("the daemon on %s stopped answering before the command ended (it may have done part of it: look before trying again): %w", v.socket, err)
		}
		switch kind {
		case frameStdout:
			if _, err := env.stdout.Write(p); err != nil {
				return err
			}
		case frameStderr:
			if _, err := env.stderr.Write(p); err != nil {
				return err
			}
		case frameExit:
			var x controlExit
			if err := json.Unmarshal(p, &x); err != nil {
				return fmt.Errorf("the daemon on %s: bad exit frame: %w", v.socket, err)
			}
			if x.Code != 0 {
				return exitStatus(x.Code)
			}
			return nil
		default:
			return fmt.Errorf("the daemon on %s: unknown frame %q", v.socket, kind)
		}
	}
}

// --- daemon ---

// controlServer serves the control socket of a daemon.
type controlServer struct {
	d      *daemon
	l      *net.UnixListener
	access peerRule
}

// startControl listens on the control socket (unless control.socket is
// off) and serves it until ctx ends; wg covers the server and every
// request in progress. The daemon holds the data dir's lock, so a socket
// file already there is a crashed daemon's: it is replaced, unless a
// daemon of another data dir answers on it (a shared control.socket). A
// socket that cannot be served is logged, not fatal: the daemon's mail
// work goes on, and the CLI says the data dir is locked.
func (d *daemon) startControl(ctx context.Context, cfg *config.Config, wg *sync.WaitGroup) {
	m := cfg.Control
	if m.Off() {
		return
	}
	s, err := listenControl(m)
	if err != nil {
		d.log.Error("control socket not started: the CLI cannot reach the daemon", "socket", m.Socket, "err", err)
		return
	}
	s.d = d
	d.log.Info("control socket listening", "socket", m.Socket, "group", m.Group)
	wg.Add(2)
	go func() {
		defer wg.Done()
		<-ctx.Done()
		s.l.Close() // removes the socket file
	}()
	go func() {
		defer wg.Done()
		s.serve(wg)
	}()
}

// listenControl binds the socket with the mode and group m asks for.
func listenControl(m config.Control) (*controlServer, error) {
	rule, err := newPeerRule(m.Group)
	if err != nil {
		return nil, err
	}
	if st, err := os.Lstat(m.Socket); err == nil {
		if st.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("%s exists and is not a socket", m.Socket)
		}
		if conn, _ := dialControl(m); conn != nil {
			conn.Close()
			return nil, fmt.Errorf("another daemon answers on %s", m.Socket)
		}
		if err := os.Remove(m.Socket); err != nil {
			return nil, fmt.Errorf("remove the stale socket: %w", err)
		}
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: m.Socket, Net: "unix"})
	if err != nil {
		return nil, err
	}
	mode := os.FileMode(0o600)
	if rule.gid >= 0 {
		mode = 0o660
		err = os.Chown(m.Socket, -1, rule.gid)
	}
	if err == nil {
		err = os.Chmod(m.Socket, mode)
	}
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("set the socket's mode: %w", err)
	}
	return &controlServer{l: l, access: rule}, nil
}

// serve accepts connections until the listener is closed.
func (s *controlServer) serve(wg *sync.WaitGroup) {
	for {
		conn, err := s.l.AcceptUnix()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.d.log.Error("control socket stopped", "err", err)
			}
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			s.handle(conn)
		}()
	}
}

// handle runs one client's command.
func (s *controlServer) handle(conn *net.UnixConn) {
	log := s.d.log.With("control", true)
	p, err := peerOf(conn)
	if err != nil {
		log.Warn("control connection refused: no peer credentials", "err", err)
		return
	}
	out := &frameWriter{conn: conn}
	if err := s.access.allows(p); err != nil {
		log.Warn("control connection refused", "peer", p, "why", err)
		fmt.Fprintf(out.stream(frameStderr), "liaisond: %v\n", err)
		out.exit(exitNoPerm)
		return
	}
	_ = conn.SetReadDeadline(time.Now().Add(controlReadTimeout))
	kind, payload, err := readFrame(conn)
	switch {
	case errors.Is(err, io.EOF):
		// A command that may not run through the daemon looked whether one
		// answers, and hung up.
		log.Debug("control connection closed without a request", "peer", p)
		return
	case err != nil || kind != frameRequest:
		log.Warn("control request unreadable", "peer", p, "err", err, "frame", kind)
		return
	}
	var req controlRequest
	if err := json.Unmarshal(payload, &req); err != nil || len(req.Args) == 0 {
		log.Warn("control request unreadable", "peer", p, "err", err)
		return
	}
	if req.Version != controlVersion {
		fmt.Fprintf(out.stream(frameStderr), "liaisond: this daemon speaks control protocol %d, the client %d: use the daemon's binary\n", controlVersion, req.Version)
		out.exit(exitUsage)
		return
	}
	log.Info("control request", "peer", p, "command", req.Args[0])
	env := &cmdEnv{stdout: out.stream(frameStdout), stderr: out.stream(frameStderr), now: s.d.now, daemon: s.d, user: p.account(), files: req.Files}
	code := runMain(env, req.Args)
	out.exit(code)
}

// frameWriter writes a reply's frames; the command's goroutines may write
// stdout and stderr at once.
type frameWriter struct {
	mu   sync.Mutex
	conn net.Conn
	err  error
}

// stream is a writer of one kind of frame.
func (f *frameWriter) stream(kind byte) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		n := 0
		for len(p) > 0 {
			chunk := p[:min(len(p), maxFrame)]
			if err := f.write(kind, chunk); err != nil {
				return n, err
			}
			n += len(chunk)
			p = p[len(chunk):]
		}
		return n, nil
	})
}

func (f *frameWriter) write(kind byte, p []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	_ = f.conn.SetWriteDeadline(time.Now().Add(controlWriteTimeout))
	if err := writeFrame(f.conn, kind, p); err != nil {
		f.err = fmt.Errorf("control client gone: %w", err)
	}
	return f.err
}

// exit ends the reply with the exit code.
func (f *frameWriter) exit(code int) {
	p, _ := json.Marshal(controlExit{Code: code})
	_ = f.write(frameExit, p)
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }

// requestLog is the logger of a command run for a control-socket client:
// its records go to the client's stderr (at the config's level, as
// without a daemon) and to the daemon's own log, marked as the request of
// that local account.
func (d *daemon) requestLog(env *cmdEnv, cfg *config.Config) *slog.Logger {
	client := newLogger(env.stderr, cfg).Handler()
	own := d.log.Handler().WithAttrs([]slog.Attr{slog.Bool("control", true), slog.String("user", env.who())})
	return slog.New(teeHandler{client, own})
}

// teeHandler sends each record to every handler that takes its level.
type teeHandler []slog.Handler

func (t teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range t {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (t teeHandler) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, h := range t {
		if h.Enabled(ctx, r.Level) {
			errs = append(errs, h.Handle(ctx, r.Clone()))
		}
	}
	return errors.Join(errs...)
}

func (t teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(teeHandler, len(t))
	for i, h := range t {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (t teeHandler) WithGroup(name string) slog.Handler {
	out := make(teeHandler, len(t))
	for i, h := range t {
		out[i] = h.WithGroup(name)
	}
	return out
}

// --- who may connect ---

// peer is the process at the other end of a control connection.
type peer struct {
	uid, gid, pid int
	// known is false where the system does not tell (peerOf): the
	// socket's file mode is then the only barrier.
	known bool
}

func (p peer) String() string {
	if !p.known {
		return "unknown"
	}
	return fmt.Sprintf("uid=%d gid=%d pid=%d", p.uid, p.gid, p.pid)
}

// account names the peer's account for the history.
func (p peer) account() string {
	if !p.known {
		return "unknown local user"
	}
	return localUser(p.uid)
}

// localUser names a local account: its user name, or "uid N" when the
// system cannot say.
func localUser(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}

// peerRule is who may use the socket: the daemon's own user, root, and
// (gid >= 0) the members of control.group.
type peerRule struct {
	uid, gid int
	group    string
}

// newPeerRule resolves control.group ("" for none).
func newPeerRule(group string) (peerRule, error) {
	r := peerRule{uid: os.Geteuid(), gid: -1, group: group}
	if group == "" {
		return r, nil
	}
	g, err := user.LookupGroup(group)
	if err != nil {
		return r, fmt.Errorf("control.group: %w", err)
	}
	if r.gid, err = strconv.Atoi(g.Gid); err != nil {
		return r, fmt.Errorf("control.group %s: gid %q", group, g.Gid)
	}
	return r, nil
}

// allows checks a peer against the rule.
func (r peerRule) allows(p peer) error {
	switch {
	case !p.known, p.uid == r.uid, p.uid == 0:
		return nil
	case r.gid >= 0 && (p.gid == r.gid || memberOf(p.uid, r.gid)):
		return nil
	case r.gid >= 0:
		return fmt.Errorf("%s may not use the control socket: only the daemon's user and the members of group %s may", localUser(p.uid), r.group)
	}
	return fmt.Errorf("%s may not use the control socket: only the daemon's user may (control.group admits a group)", localUser(p.uid))
}

// memberOf reports whether the account uid is a member of group gid.
func memberOf(uid, gid int) bool {
	u, err := user.LookupId(strconv.Itoa(uid))
	if err != nil {
		return false
	}
	ids, err := u.GroupIds()
	if err != nil {
		return false
	}
	for _, id := range ids {
		if id == strconv.Itoa(gid) {
			return true
		}
	}
	return false
}
