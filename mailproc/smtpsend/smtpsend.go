// Package smtpsend delivers liaisond's outgoing mail to an SMTP relay.
//
// A Sender opens one connection per message (simple and correct for the
// daemon's low volume): connect, optional implicit TLS or STARTTLS, EHLO,
// optional AUTH, MAIL/RCPT/DATA, QUIT. Every failure is an *Error that says
// whether retrying later can help (IsTemporary), so the outbox can decide
// between "retry" and "report as undeliverable".
package smtpsend

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/ietf-tools/liaisond/internal/netdiag"
)

// TLSMode says how the connection to the relay is protected.
type TLSMode string

// The TLS modes.
const (
	TLSImplicit TLSMode = "implicit" // TLS from the first byte (port 465)
	TLSStartTLS TLSMode = "starttls" // plain connect, then STARTTLS (port 587/25)
	TLSNone     TLSMode = "none"     // plain text: loopback only unless AllowInsecure
)

// DefaultTimeout bounds each SMTP command and the whole dial when
// Options.Timeout is zero.
const DefaultTimeout = time.Minute

// Options configure a Sender.
type Options struct {
	// Address is the relay's host:port.
	Address string
	// TLS is the protection mode; "" means starttls.
	TLS TLSMode
	// TLSConfig is used for implicit TLS and STARTTLS; nil means the system
	// roots with ServerName taken from Address.
	TLSConfig *tls.Config
	// AllowInsecure permits TLS "none" to a non-loopback relay. AUTH over
	// plain text to a non-loopback relay is refused even then.
	AllowInsecure bool
	// Username and Password enable AUTH (PLAIN, or LOGIN when the relay
	// offers only that). They are never logged.
	Username, Password string
	// HelloName is the name sent in EHLO; "" means "localhost". With
	// STARTTLS the first, pre-TLS EHLO always says "localhost" (a
	// limitation of go-smtp); the EHLO after STARTTLS uses HelloName.
	HelloName string
	// Timeout bounds the dial and each command; 0 means DefaultTimeout.
	Timeout time.Duration
	// Logger receives one record per delivery; nil means slog.Default().
	Logger *slog.Logger
}

// Transport is anything that can deliver a message: a Sender, a DirSender
// (for --dry-run), or a test fake.
type Transport interface {
	Send(ctx context.Context, from string, rcpts []string, msg []byte) error
}

// Sender delivers mail to one SMTP relay. It is safe for concurrent use.
type Sender struct {
	opt      Options
	host     string
	loopback bool
	log      *slog.Logger
}

var _ Transport = (*Sender)(nil)

// New validates opt and returns a Sender. It does not connect; use Ping to
// check that the relay is reachable.
func New(opt Options) (*Sender, error) {
	host, port, err := net.SplitHostPort(opt.Address)
	if err != nil || host == "" || port == "" {
		return nil, fmt.Errorf("smtpsend: address %q: want host:port", opt.Address)
	}
	switch opt.TLS {
	case "":
		opt.TLS = TLSStartTLS
	case TLSImplicit, TLSStartTLS, TLSNone:
	default:
		return nil, fmt.Errorf("smtpsend: TLS mode %q: want implicit, starttls or none", opt.TLS)
	}
	s := &Sender{opt: opt, host: host, loopback: isLoopback(host), log: opt.Logger}
	if opt.TLS == TLSNone && !s.loopback {
		if opt.Username != "" {
			return nil, fmt.Errorf("smtpsend: refusing AUTH over plain text to non-loopback relay %s", opt.Address)
		}
		if !opt.AllowInsecure {
			return nil, fmt.Errorf("smtpsend: plain-text SMTP to non-loopback relay %s needs allow-insecure", opt.Address)
		}
	}
	if opt.Username != "" && strings.ContainsAny(opt.Username+opt.Password, "\x00") {
		return nil, errors.New("smtpsend: username or password contains NUL")
	}
	if opt.HelloName != "" && strings.ContainsAny(opt.HelloName, "\r\n \t") {
		return nil, fmt.Errorf("smtpsend: hello name %q contains white space", opt.HelloName)
	}
	if s.opt.Timeout <= 0 {
		s.opt.Timeout = DefaultTimeout
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = s.log.With("component", "smtpsend", "relay", opt.Address, "tls", string(opt.TLS))
	return s, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Sender) tlsConfig() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.opt.TLSConfig != nil {
		cfg = s.opt.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = s.host
	}
	return cfg
}

// session is one open, greeted (and, as configured, encrypted and
// authenticated) SMTP connection.
type session struct {
	c    *smtp.Client
	stop func() bool
	// auth is the AUTH mechanism used ("" without a username).
	auth string
}

func (ss *session) close() {
	ss.stop()
	_ = ss.c.Close()
}

// explain adds what a failure to open a session most likely means
// (internal/netdiag) to its *Error.
func (s *Sender) explain(k netdiag.Kind, err error) error {
	return netdiag.Wrap(netdiag.SMTP, k, string(s.opt.TLS), err)
}

// open connects, greets, secures and authenticates. The connection is
// closed if ctx ends while it is in use. Failures are *Error, explained
// (netdiag.KindOf says what they most likely mean).
func (s *Sender) open(ctx context.Context) (*session, error) {
	d := net.Dialer{Timeout: s.opt.Timeout}
	conn, err := d.DialContext(ctx, "tcp", s.opt.Address)
	if err != nil {
		return nil, s.explain(netdiag.Unknown, wrap(ctx, "connect", err))
	}
	if s.opt.TLS == TLSImplicit {
		tc := tls.Client(conn, s.tlsConfig())
		hctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			_ = conn.Close()
			return nil, s.explain(netdiag.Unknown, wrap(ctx, "TLS handshake", err))
		}
		conn = tc
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	fail := func(stage string, c *smtp.Client, err error) (*session, error) {
		stop()
		if c != nil {
			_ = c.Close()
		} else {
			_ = conn.Close()
		}
		k := netdiag.Unknown
		var se *smtp.SMTPError
		switch {
		case stage == "STARTTLS" && strings.Contains(err.Error(), "doesn't support STARTTLS"):
			k = netdiag.NoSTARTTLS
		case stage == "AUTH" && errors.As(err, &se) && se.Code >= 500:
			k = netdiag.AuthRejected
		}
		return nil, s.explain(k, wrap(ctx, stage, err))
	}

	var c *smtp.Client
	if s.opt.TLS == TLSStartTLS {
		c, err = smtp.NewClientStartTLS(conn, s.tlsConfig())
		if err != nil {
			return fail("STARTTLS", nil, err)
		}
	} else {
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout = s.opt.Timeout
	c.SubmissionTimeout = s.opt.Timeout
	hello := s.opt.HelloName
	if hello == "" {
		hello = "localhost"
	}
	// Hello greets now, so that greeting and EHLO errors surface here
	// instead of being swallowed by the capability checks below.
	if err := c.Hello(hello); err != nil {
		return fail("EHLO", c, err)
	}
	auth := ""
	if s.opt.Username != "" {
		if s.opt.TLS == TLSNone && !s.loopback {
			return fail("AUTH", c, errors.New("refusing AUTH over plain text"))
		}
		var mech sasl.Client
		switch {
		case c.SupportsAuth(sasl.Plain):
			mech, auth = sasl.NewPlainClient("", s.opt.Username, s.opt.Password), sasl.Plain
		case c.SupportsAuth(sasl.Login):
			mech, auth = sasl.NewLoginClient(s.opt.Username, s.opt.Password), sasl.Login
		default:
			if ok, _ := c.Extension("AUTH"); !ok {
				return fail("AUTH", c, &permanent{"relay offers no AUTH"})
			}
			return fail("AUTH", c, &permanent{"relay offers neither AUTH PLAIN nor LOGIN"})
		}
		if err := c.Auth(mech); err != nil {
			return fail("AUTH", c, err)
		}
	}
	return &session{c: c, stop: stop, auth: auth}, nil
}

// Report is what Probe found on the relay.
type Report struct {
	// Extensions are the EHLO keywords the relay offered (after STARTTLS),
	// with their parameters ("SIZE 35882577", "AUTH PLAIN LOGIN").
	Extensions []string
	// TLS describes the connection's protection ("TLS 1.3", or "none").
	TLS string
	// Auth is the mechanism used to log in ("" when no username is set).
	Auth string
}

// knownExtensions are the EHLO keywords Probe asks about (go-smtp answers
// for a keyword, it does not list them).
var knownExtensions = []string{"AUTH", "8BITMIME", "SMTPUTF8", "SIZE", "PIPELINING", "CHUNKING", "BINARYMIME",
	"DSN", "ENHANCEDSTATUSCODES", "REQUIRETLS", "STARTTLS", "MT-PRIORITY", "DELIVERBY"}

// Probe connects, greets, does STARTTLS and AUTH as configured, notes what
// the relay offers, and quits: `liaisond check --connect`.
func (s *Sender) Probe(ctx context.Context) (Report, error) {
	ss, err := s.open(ctx)
	if err != nil {
		return Report{}, err
	}
	defer ss.close()
	r := Report{TLS: "none", Auth: ss.auth}
	if st, ok := ss.c.TLSConnectionState(); ok {
		r.TLS = tls.VersionName(st.Version)
	}
	for _, ext := range knownExtensions {
		if ok, param := ss.c.Extension(ext); ok {
			r.Extensions = append(r.Extensions, strings.TrimSpace(ext+" "+param))
		}
	}
	if err := ss.c.Quit(); err != nil {
		return r, wrap(ctx, "QUIT", err)
	}
	return r, nil
}

// Ping connects, greets, does STARTTLS and AUTH as configured, and quits:
// the "SMTP reachable" probe for health checks and start-up.
func (s *Sender) Ping(ctx context.Context) error {
	ss, err := s.open(ctx)
	if err != nil {
		return err
	}
	defer ss.close()
	if err := ss.c.Noop(); err != nil {
		return wrap(ctx, "NOOP", err)
	}
	if err := ss.c.Quit(); err != nil {
		return wrap(ctx, "QUIT", err)
	}
	return nil
}

// Send delivers msg (RFC 5322 bytes with CRLF line endings) to rcpts with
// envelopeFrom as the reverse path. Errors are *Error.
//
// When the relay refuses only some recipients, the message is still
// delivered to the others and the returned *Error lists the refused ones in
// Rejected: a retry must then go to those recipients only.
func (s *Sender) Send(ctx context.Context, envelopeFrom string, rcpts []string, msg []byte) error {
	start := time.Now() // duration for the log only; no decision depends on it
	if len(rcpts) == 0 {
		return &Error{Msg: "no recipients", Err: errors.New("smtpsend: no recipients")}
	}
	for _, a := range append([]string{envelopeFrom}, rcpts...) {
		if strings.ContainsAny(a, "\r\n<> \t\x00") {
			return &Error{Msg: "invalid envelope address", Err: fmt.Errorf("smtpsend: invalid envelope address %q", a)}
		}
	}
	ss, err := s.open(ctx)
	if err != nil {
		s.logFailure(ctx, err, len(rcpts), len(msg))
		return err
	}
	defer ss.close()
	err = s.transact(ctx, ss.c, envelopeFrom, rcpts, msg)
	if err != nil {
		s.logFailure(ctx, err, len(rcpts), len(msg))
		var e *Error
		if errors.As(err, &e) && len(e.Rejected) > 0 {
			_ = ss.c.Quit()
		}
		return err
	}
	_ = ss.c.Quit() // the message is accepted; a failed QUIT changes nothing
	// The outbox logs each sent mail once, at INFO; this is the transport's
	// detail.
	s.log.DebugContext(ctx, "smtp transaction done", "rcpts", len(rcpts), "bytes", len(msg), "message_id", messageID(msg), "duration", time.Since(start))
	return nil
}

func (s *Sender) logFailure(ctx context.Context, err error, rcpts, size int) {
	var e *Error
	errors.As(err, &e)
	attrs := []any{"rcpts", rcpts, "bytes", size, "err", err}
	if e != nil {
		attrs = append(attrs, "temporary", e.Temporary, "code", e.Code, "enhanced", e.Enhanced)
	}
	s.log.WarnContext(ctx, "mail not sent", attrs...)
}

func (s *Sender) transact(ctx context.Context, c *smtp.Client, from string, rcpts []string, msg []byte) error {
	if err := c.Mail(from, &smtp.MailOptions{Size: int64(len(msg))}); err != nil {
		return wrap(ctx, "MAIL FROM:<"+from+">", err)
	}
	var rejected []string
	var firstRejection error
	for _, r := range rcpts {
		if err := c.Rcpt(r, nil); err != nil {
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				return wrap(ctx, "RCPT TO:<"+r+">", err)
			}
			rejected = append(rejected, r)
			if firstRejection == nil {
				firstRejection = wrap(ctx, "RCPT TO:<"+r+">", err)
			}
		}
	}
	if len(rejected) == len(rcpts) {
		return firstRejection
	}
	w, err := c.Data()
	if err != nil {
		return wrap(ctx, "DATA", err)
	}
	if _, err := io.Copy(w, bytes.NewReader(msg)); err != nil {
		_ = w.Close()
		return wrap(ctx, "DATA body", err)
	}
	if err := w.Close(); err != nil {
		return wrap(ctx, "end of DATA", err)
	}
	if len(rejected) > 0 {
		e := firstRejection.(*Error)
		e.Rejected = rejected
		e.Err = fmt.Errorf("delivered to %d of %d recipients: %w", len(rcpts)-len(rejected), len(rcpts), e.Err)
		return e
	}
	return nil
}

// messageID returns the Message-ID header value of msg, for logs.
func messageID(msg []byte) string {
	hdr, _, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(hdr), "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), "Message-Id") {
			return strings.Trim(strings.TrimSpace(v), "<>")
		}
	}
	return ""
}
