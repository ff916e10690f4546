// Package memservers runs an in-process IMAP server (go-imap's imapserver
// with its in-memory backend) and an in-process SMTP server (go-smtp) on
// loopback, so `liaisond demo` can run the real daemon code on a machine
// with nothing installed. Tests use the real Dovecot and Mailpit instead.
package memservers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"
)

// IMAP is an in-memory IMAP server with one user.
type IMAP struct {
	srv  *imapserver.Server
	ln   net.Listener
	user *imapmemserver.User
	done chan struct{}
}

// StartIMAP listens on 127.0.0.1 (a free port) with one user and the given
// mailboxes created.
func StartIMAP(username, password string, mailboxes ...string) (*IMAP, error) {
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(username, password)
	for _, mb := range append([]string{"INBOX"}, mailboxes...) {
		if err := user.Create(mb, nil); err != nil {
			return nil, fmt.Errorf("memservers: create %s: %w", mb, err)
		}
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true, // loopback only
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("memservers: imap listen: %w", err)
	}
	s := &IMAP{srv: srv, ln: ln, user: user, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = srv.Serve(ln)
	}()
	return s, nil
}

// Addr is the server's host:port.
func (s *IMAP) Addr() string { return s.ln.Addr().String() }

// Append adds a message to a mailbox, as a mail delivery would.
func (s *IMAP) Append(mailbox string, raw []byte) error {
	_, err := s.user.Append(mailbox, literal{bytes.NewReader(raw), int64(len(raw))}, &imap.AppendOptions{Time: time.Now()})
	return err
}

// Close stops the server.
func (s *IMAP) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}

type literal struct {
	*bytes.Reader
	size int64
}

func (l literal) Size() int64 { return l.size }

// Mail is one message the SMTP server accepted.
type Mail struct {
	From string
	To   []string
	Data []byte
}

// SMTP is an in-process SMTP server that keeps what it accepts.
type SMTP struct {
	srv  *smtp.Server
	ln   net.Listener
	mu   sync.Mutex
	mail []Mail
	got  chan struct{}
}

// StartSMTP listens on 127.0.0.1 (a free port).
func StartSMTP() (*SMTP, error) {
	s := &SMTP{got: make(chan struct{}, 1)}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 32 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("memservers: smtp listen: %w", err)
	}
	s.srv, s.ln = srv, ln
	go func() { _ = srv.Serve(ln) }()
	return s, nil
}

// Addr is the server's host:port.
func (s *SMTP) Addr() string { return s.ln.Addr().String() }

// Mail returns a copy of everything accepted so far.
func (s *SMTP) Mail() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

// Close stops the server.
func (s *SMTP) Close() error { return s.srv.Close() }

type backend struct{ s *SMTP }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *SMTP
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(ss.to) == 0 {
		return errors.New("no recipients")
	}
	ss.s.mu.Lock()
	ss.s.mail = append(ss.s.mail, Mail{From: ss.from, To: ss.to, Data: data})
	ss.s.mu.Unlock()
	return nil
}
