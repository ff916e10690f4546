package smtpsend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

func testMessage(id, subject string) []byte {
	return []byte("From: liaisond@ietf.example\r\nTo: alice@example.org\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + id + ">\r\nAuto-Submitted: auto-generated\r\n\r\nHello Alice.\r\n")
}

func quietLogger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestNewValidation(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		ok   bool
	}{
		{"loopback plain", Options{Address: "127.0.0.1:25", TLS: TLSNone}, true},
		{"localhost plain", Options{Address: "localhost:25", TLS: TLSNone}, true},
		{"ipv6 loopback plain", Options{Address: "[::1]:25", TLS: TLSNone}, true},
		{"remote plain refused", Options{Address: "smtp.example.org:25", TLS: TLSNone}, false},
		{"remote plain allowed", Options{Address: "smtp.example.org:25", TLS: TLSNone, AllowInsecure: true}, true},
		{"remote plain auth refused", Options{Address: "smtp.example.org:25", TLS: TLSNone, AllowInsecure: true, Username: "u"}, false},
		{"loopback plain auth", Options{Address: "127.0.0.1:25", TLS: TLSNone, Username: "u", Password: "p"}, true},
		{"remote starttls auth", Options{Address: "smtp.example.org:587", TLS: TLSStartTLS, Username: "u"}, true},
		{"default mode", Options{Address: "smtp.example.org:587"}, true},
		{"implicit", Options{Address: "smtp.example.org:465", TLS: TLSImplicit}, true},
		{"bad mode", Options{Address: "smtp.example.org:587", TLS: "ssl"}, false},
		{"no port", Options{Address: "smtp.example.org", TLS: TLSStartTLS}, false},
		{"empty", Options{}, false},
		{"hello with space", Options{Address: "127.0.0.1:25", TLS: TLSNone, HelloName: "a b"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.opt)
			if (err == nil) != tc.ok {
				t.Fatalf("New(%+v) error = %v, want ok=%v", tc.opt, err, tc.ok)
			}
			if err == nil && s.opt.TLS == "" {
				t.Error("TLS mode left empty")
			}
		})
	}
}

func TestMailpitDelivery(t *testing.T) {
	tests := []struct {
		name  string
		opt   testsvc.MailpitOptions
		users bool
		mode  TLSMode
	}{
		{"plain loopback", testsvc.MailpitOptions{}, false, TLSNone},
		{"starttls", testsvc.MailpitOptions{STARTTLS: true}, false, TLSStartTLS},
		{"implicit tls", testsvc.MailpitOptions{ImplicitTLS: true}, false, TLSImplicit},
		{"starttls auth", testsvc.MailpitOptions{STARTTLS: true, Users: map[string]string{"liaisond": "pa55 word"}}, true, TLSStartTLS},
		{"plain loopback auth", testsvc.MailpitOptions{Users: map[string]string{"liaisond": "pa55 word"}}, true, TLSNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mp := testsvc.StartMailpit(t, tc.opt)
			var logs bytes.Buffer
			opt := Options{Address: mp.SMTPAddr(), TLS: tc.mode, HelloName: "liaisond.test", Timeout: 10 * time.Second, Logger: quietLogger(&logs)}
			if mp.Cert != nil {
				opt.TLSConfig = mp.Cert.ClientConfig()
			}
			if tc.users {
				opt.Username, opt.Password = "liaisond", "pa55 word"
			}
			s, err := New(opt)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := s.Ping(ctx); err != nil {
				t.Fatalf("ping: %v", err)
			}
			rcpts := []string{"alice@example.org", "ccamp-chairs@ietf.example"}
			if err := s.Send(ctx, "liaisond@ietf.example", rcpts, testMessage("m1@ietf.example", "Über "+tc.name)); err != nil {
				t.Fatalf("send: %v", err)
			}
			msgs := mp.WaitFor(t, 1, 5*time.Second)
			if msgs[0].MessageID != "m1@ietf.example" {
				t.Errorf("Message-ID = %q", msgs[0].MessageID)
			}
			raw := mp.Raw(t, msgs[0].ID)
			if !bytes.Contains(raw, []byte("Hello Alice.")) || !bytes.Contains(raw, []byte("Auto-Submitted: auto-generated")) {
				t.Errorf("raw message lacks body or headers:\n%s", raw)
			}
			if tc.users && strings.Contains(logs.String(), "pa55") {
				t.Errorf("password logged: %s", logs.String())
			}
			if !strings.Contains(logs.String(), "smtp transaction done") {
				t.Errorf("no delivery log: %s", logs.String())
			}
		})
	}
}

func TestMailpitAuthFailures(t *testing.T) {
	mp := testsvc.StartMailpit(t, testsvc.MailpitOptions{STARTTLS: true, Users: map[string]string{"liaisond": "right"}})
	tests := []struct {
		name string
		opt  Options
	}{
		{"wrong password", Options{Username: "liaisond", Password: "wrong", TLS: TLSStartTLS, TLSConfig: mp.Cert.ClientConfig()}},
		{"untrusted certificate", Options{Username: "liaisond", Password: "right", TLS: TLSStartTLS}},
		{"plain to starttls-required", Options{TLS: TLSNone}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.Address = mp.SMTPAddr()
			tc.opt.Timeout = 10 * time.Second
			tc.opt.Logger = quietLogger(&bytes.Buffer{})
			s, err := New(tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Send(context.Background(), "liaisond@ietf.example", []string{"a@example.org"}, testMessage("x@y", "x"))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *Error", err, err)
			}
			switch tc.name {
			case "wrong password":
				if e.Temporary || e.Code != 535 {
					t.Errorf("got %+v, want permanent 535", e)
				}
			case "untrusted certificate":
				// A certificate problem keeps mail queued for the operator.
				if !e.Temporary {
					t.Errorf("got %+v, want temporary", e)
				}
			case "plain to starttls-required":
				if e.Code/100 != 5 || IsTemporary(err) {
					t.Errorf("got %+v, want permanent 5xx", e)
				}
			}
		})
	}
	if got := mp.Messages(t); len(got) != 0 {
		t.Errorf("%d messages delivered despite failures", len(got))
	}
}

func TestMailpitOutageAndChaos(t *testing.T) {
	mp := testsvc.StartMailpit(t, testsvc.MailpitOptions{Chaos: true})
	s, err := New(Options{Address: mp.SMTPAddr(), TLS: TLSNone, Timeout: 5 * time.Second, Logger: quietLogger(&bytes.Buffer{})})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	send := func(id string) error {
		return s.Send(ctx, "liaisond@ietf.example", []string{"alice@example.org"}, testMessage(id, id))
	}

	mp.Stop(t)
	err = send("during-outage@ietf.example")
	if !IsTemporary(err) {
		t.Fatalf("connection refused: %v, want temporary", err)
	}
	if err := s.Ping(ctx); !IsTemporary(err) {
		t.Fatalf("ping while down: %v, want temporary error", err)
	}
	mp.Start(t)
	if err := send("after-outage@ietf.example"); err != nil {
		t.Fatalf("after restart: %v", err)
	}

	// Mailpit's chaos API makes the real server answer with chosen codes.
	tests := []struct {
		chaos testsvc.Chaos
		code  int
		temp  bool
	}{
		{testsvc.Chaos{Recipient: testsvc.ChaosTrigger{ErrorCode: 451, Probability: 100}}, 451, true},
		{testsvc.Chaos{Recipient: testsvc.ChaosTrigger{ErrorCode: 550, Probability: 100}}, 550, false},
		{testsvc.Chaos{Sender: testsvc.ChaosTrigger{ErrorCode: 421, Probability: 100}}, 421, true},
		{testsvc.Chaos{Sender: testsvc.ChaosTrigger{ErrorCode: 553, Probability: 100}}, 553, false},
	}
	for _, tc := range tests {
		mp.SetChaos(t, tc.chaos)
		err := send(fmt.Sprintf("chaos-%d@ietf.example", tc.code))
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.code || e.Temporary != tc.temp || IsTemporary(err) != tc.temp {
			t.Errorf("chaos %d: got %v (%+v), want code %d temporary=%v", tc.code, err, e, tc.code, tc.temp)
		}
	}
	mp.SetChaos(t, testsvc.Chaos{})
	msgs := mp.Messages(t)
	if len(msgs) != 1 || msgs[0].MessageID != "after-outage@ietf.example" {
		t.Errorf("messages = %+v, want only the one sent after the outage", msgs)
	}
}

// fakeBackend is an in-process SMTP server whose replies the test chooses.
// Mailpit's chaos triggers cover MAIL/RCPT/AUTH codes but not enhanced
// status codes, rejection of one recipient among several, rejection at the
// end of DATA, or a server that stops answering; this covers those.
type fakeBackend struct {
	mu        sync.Mutex
	mailErr   error
	rcptErr   map[string]error
	dataErr   error
	dataDelay time.Duration
	delivered [][]string
}

type fakeSession struct {
	be    *fakeBackend
	rcpts []string
}

func (be *fakeBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &fakeSession{be: be}, nil
}

func (s *fakeSession) Reset()        { s.rcpts = nil }
func (s *fakeSession) Logout() error { return nil }
func (s *fakeSession) Mail(string, *smtp.MailOptions) error {
	s.be.mu.Lock()
	defer s.be.mu.Unlock()
	return s.be.mailErr
}

func (s *fakeSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.be.mu.Lock()
	defer s.be.mu.Unlock()
	if err := s.be.rcptErr[to]; err != nil {
		return err
	}
	s.rcpts = append(s.rcpts, to)
	return nil
}

func (s *fakeSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.be.mu.Lock()
	delay, err := s.be.dataDelay, s.be.dataErr
	s.be.mu.Unlock()
	time.Sleep(delay)
	if err != nil {
		return err
	}
	s.be.mu.Lock()
	s.be.delivered = append(s.be.delivered, s.rcpts)
	s.be.mu.Unlock()
	return nil
}

func startFake(t *testing.T, be *fakeBackend) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(be)
	srv.Domain = "fake.test"
	srv.ErrorLog = testLogger{}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().String()
}

type testLogger struct{}

func (testLogger) Printf(string, ...interface{}) {}
func (testLogger) Println(...interface{})        {}

func smtpErr(code int, enh smtp.EnhancedCode, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: msg}
}

func TestReplyClassification(t *testing.T) {
	tests := []struct {
		name      string
		be        *fakeBackend
		rcpts     []string
		code      int
		enhanced  string
		temporary bool
		rejected  []string
		delivered int
	}{
		{
			name: "mail 451 greylisted",
			be:   &fakeBackend{mailErr: smtpErr(451, smtp.EnhancedCode{4, 7, 1}, "Greylisted, try later")},
			code: 451, enhanced: "4.7.1", temporary: true,
		},
		{
			name: "rcpt 550 unknown user",
			be:   &fakeBackend{rcptErr: map[string]error{"alice@example.org": smtpErr(550, smtp.EnhancedCode{5, 1, 1}, "No such user")}},
			code: 550, enhanced: "5.1.1",
		},
		{
			name:  "one of two rcpts refused",
			be:    &fakeBackend{rcptErr: map[string]error{"gone@example.org": smtpErr(550, smtp.EnhancedCode{5, 1, 1}, "No such user")}},
			rcpts: []string{"alice@example.org", "gone@example.org"},
			code:  550, enhanced: "5.1.1", rejected: []string{"gone@example.org"}, delivered: 1,
		},
		{
			name: "data 554 rejected content",
			be:   &fakeBackend{dataErr: smtpErr(554, smtp.EnhancedCode{5, 6, 0}, "Message rejected")},
			code: 554, enhanced: "5.6.0",
		},
		{
			name: "data 452 insufficient storage",
			be:   &fakeBackend{dataErr: smtpErr(452, smtp.EnhancedCode{4, 3, 1}, "Mailbox full")},
			code: 452, enhanced: "4.3.1", temporary: true,
		},
		{
			name:      "accepted",
			be:        &fakeBackend{},
			delivered: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			be := tc.be
			addr := startFake(t, be)
			s, err := New(Options{Address: addr, TLS: TLSNone, Timeout: 5 * time.Second, Logger: quietLogger(&bytes.Buffer{})})
			if err != nil {
				t.Fatal(err)
			}
			rcpts := tc.rcpts
			if rcpts == nil {
				rcpts = []string{"alice@example.org"}
			}
			err = s.Send(context.Background(), "liaisond@ietf.example", rcpts, testMessage("c@ietf.example", tc.name))
			be.mu.Lock()
			delivered := len(be.delivered)
			be.mu.Unlock()
			if delivered != tc.delivered {
				t.Errorf("delivered %d times, want %d", delivered, tc.delivered)
			}
			if tc.code == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *Error", err, err)
			}
			if e.Code != tc.code || e.Enhanced != tc.enhanced || e.Temporary != tc.temporary || IsTemporary(err) != tc.temporary {
				t.Errorf("got %+v, want code %d enhanced %s temporary %v", e, tc.code, tc.enhanced, tc.temporary)
			}
			if fmt.Sprint(e.Rejected) != fmt.Sprint(tc.rejected) {
				t.Errorf("rejected = %v, want %v", e.Rejected, tc.rejected)
			}
		})
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	be := &fakeBackend{dataDelay: 3 * time.Second}
	addr := startFake(t, be)
	tests := []struct {
		name    string
		timeout time.Duration
		ctx     func() (context.Context, context.CancelFunc)
	}{
		{"command timeout", 300 * time.Millisecond, func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }},
		{"context deadline", 10 * time.Second, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 300*time.Millisecond)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(Options{Address: addr, TLS: TLSNone, Timeout: tc.timeout, Logger: quietLogger(&bytes.Buffer{})})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			err = s.Send(ctx, "liaisond@ietf.example", []string{"alice@example.org"}, testMessage("t@ietf.example", "t"))
			if !IsTemporary(err) {
				t.Fatalf("got %v, want a temporary error", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v; the timeout was not applied", d)
			}
		})
	}
}

func TestStartTLSNotOffered(t *testing.T) {
	addr := startFake(t, &fakeBackend{})
	s, err := New(Options{Address: addr, TLS: TLSStartTLS, Timeout: 5 * time.Second, Logger: quietLogger(&bytes.Buffer{})})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Ping(context.Background())
	if err == nil || IsTemporary(err) {
		t.Fatalf("got %v, want a permanent error: never fall back to plain text", err)
	}
}

func TestSendRejectsBadEnvelope(t *testing.T) {
	s, err := New(Options{Address: "127.0.0.1:1", TLS: TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		from  string
		rcpts []string
	}{
		{"a@b", nil},
		{"a@b\r\nRCPT TO:<x@y>", []string{"c@d"}},
		{"a@b", []string{"c@d>"}},
		{"a@b", []string{"c@d\n"}},
	}
	for _, tc := range tests {
		err := s.Send(context.Background(), tc.from, tc.rcpts, testMessage("x@y", "x"))
		if err == nil || IsTemporary(err) {
			t.Errorf("Send(%q, %q) = %v, want permanent error", tc.from, tc.rcpts, err)
		}
	}
}

func TestIsTemporary(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"smtp 421", &smtp.SMTPError{Code: 421}, true},
		{"smtp 554", &smtp.SMTPError{Code: 554}, false},
		{"wrapped temporary Error", fmt.Errorf("outbox: %w", &Error{Temporary: true}), true},
		{"permanent Error", &Error{Code: 550}, false},
		{"deadline", context.DeadlineExceeded, true},
		{"eof", io.ErrUnexpectedEOF, true},
		{"plain", errors.New("boom"), false},
	}
	for _, tc := range tests {
		if got := IsTemporary(tc.err); got != tc.want {
			t.Errorf("%s: IsTemporary = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDirSender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	d, err := NewDirSender(dir, quietLogger(&bytes.Buffer{}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, msgID, file string
	}{
		{"plain id", "3f2a@ietf.example", "3f2a@ietf.example.eml"},
		{"hostile id", "../../etc/passwd@x", "_.._etc_passwd@x.eml"},
		{"slashes and spaces", "a/b c@d", "a_b_c@d.eml"},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := testMessage(tc.msgID, tc.name)
			if got := FileName(msg); got != tc.file {
				t.Fatalf("FileName = %q, want %q", got, tc.file)
			}
			for range 2 { // the same message twice is one file
				if err := d.Send(ctx, "liaisond@ietf.example", []string{"alice@example.org", "bob@example.org"}, msg); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			want := "X-Liaisond-Envelope-From: <liaisond@ietf.example>\r\nX-Liaisond-Envelope-To: alice@example.org, bob@example.org\r\n" + string(msg)
			if string(b) != want {
				t.Errorf("file content = %q", b)
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(tests) {
		t.Errorf("%d files in %s, want %d", len(entries), dir, len(tests))
	}
	noID := []byte("Subject: x\r\n\r\nx\r\n")
	if a, b := FileName(noID), FileName(noID); a != b || !strings.HasPrefix(a, "no-message-id-") {
		t.Errorf("FileName without Message-ID = %q / %q", a, b)
	}
	if err := d.Send(ctx, "a@b", nil, noID); err == nil {
		t.Error("no recipients accepted")
	}
	if err := d.Send(ctx, "a@b", []string{"x@y\r\nX: y"}, noID); err == nil {
		t.Error("hostile recipient accepted")
	}
}
