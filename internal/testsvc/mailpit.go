package testsvc

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // Mailpit's htpasswd file accepts {SHA}; test credentials only
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// MailpitOptions configure a Mailpit instance.
type MailpitOptions struct {
	// STARTTLS makes Mailpit offer and require STARTTLS with a self-signed
	// certificate (see Mailpit.Cert).
	STARTTLS bool
	// ImplicitTLS makes the SMTP port speak TLS from the first byte
	// (--smtp-require-tls). It excludes STARTTLS.
	ImplicitTLS bool
	// Users enables SMTP AUTH with these user -> password pairs. Without
	// TLS, plain-text AUTH is allowed (--smtp-auth-allow-insecure).
	Users map[string]string
	// Chaos enables Mailpit's chaos API, so that SetChaos can make the SMTP
	// server answer MAIL/RCPT/AUTH with chosen 4xx/5xx codes.
	Chaos bool
}

// MailpitMessage is one message as Mailpit's API lists it.
type MailpitMessage struct {
	ID        string   // Mailpit's own id, for Raw
	MessageID string   // the Message-ID header, without <>
	From      string   // From address
	To        []string // To addresses
	Subject   string
}

// Mailpit is a running (or stopped) Mailpit SMTP server with its HTTP API,
// bound to loopback ports that stay the same across Stop and Start.
type Mailpit struct {
	bin      string
	args     []string
	smtpAddr string
	httpAddr string
	logFile  string
	// Cert is the certificate the SMTP server uses when TLS is on; use
	// Cert.ClientConfig() in clients. Nil without TLS.
	Cert *Cert

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// StartMailpit starts Mailpit on free loopback ports with a private
// database, waits until it answers, and stops it when the test ends. It
// skips the test (fails it under CI) when mailpit is not installed.
func StartMailpit(t testing.TB, opt MailpitOptions) *Mailpit {
	t.Helper()
	bin := Require(t, "mailpit")
	if opt.STARTTLS && opt.ImplicitTLS {
		t.Fatal("testsvc: MailpitOptions: STARTTLS and ImplicitTLS exclude each other")
	}
	dir := t.TempDir()
	m := &Mailpit{
		bin:      bin,
		smtpAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(FreePort(t))),
		httpAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(FreePort(t))),
		logFile:  filepath.Join(dir, "mailpit.log"),
	}
	m.args = []string{
		"--smtp", m.smtpAddr,
		"--listen", m.httpAddr,
		"--database", filepath.Join(dir, "mailpit.db"),
		"--log-file", m.logFile,
		"--disable-version-check",
		"--smtp-disable-rdns",
		"--max", "0",
	}
	if opt.STARTTLS || opt.ImplicitTLS {
		m.Cert = NewCert(t, dir)
		m.args = append(m.args, "--smtp-tls-cert", m.Cert.CertFile, "--smtp-tls-key", m.Cert.KeyFile)
		if opt.ImplicitTLS {
			m.args = append(m.args, "--smtp-require-tls")
		} else {
			m.args = append(m.args, "--smtp-require-starttls")
		}
	}
	if len(opt.Users) > 0 {
		var b strings.Builder
		for u, p := range opt.Users {
			sum := sha1.Sum([]byte(p)) //nolint:gosec // test credentials
			fmt.Fprintf(&b, "%s:{SHA}%s\n", u, base64.StdEncoding.EncodeToString(sum[:]))
		}
		authFile := filepath.Join(dir, "smtp-auth")
		if err := os.WriteFile(authFile, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		m.args = append(m.args, "--smtp-auth-file", authFile)
		if !opt.STARTTLS && !opt.ImplicitTLS {
			m.args = append(m.args, "--smtp-auth-allow-insecure")
		}
	}
	if opt.Chaos {
		m.args = append(m.args, "--enable-chaos")
	}
	t.Cleanup(func() { m.stop() })
	m.Start(t)
	return m
}

// SMTPAddr is the SMTP server's host:port.
func (m *Mailpit) SMTPAddr() string { return m.smtpAddr }

// APIURL is the base URL of the HTTP API ("http://127.0.0.1:P").
func (m *Mailpit) APIURL() string { return "http://" + m.httpAddr }

// Start starts a stopped Mailpit on the same ports and database (Stop then
// Start simulates a relay outage) and waits until it accepts connections.
func (m *Mailpit) Start(t testing.TB) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd != nil {
		t.Fatal("testsvc: mailpit already running")
	}
	logf, err := os.OpenFile(m.logFile+".out", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(m.bin, m.args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("testsvc: start mailpit: %v", err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(done)
	}()
	m.cmd, m.done = cmd, done

	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-done:
			m.cmd = nil
			t.Fatalf("testsvc: mailpit exited at start-up:\n%s", m.logs())
		default:
		}
		if m.ready() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("testsvc: mailpit not ready after 20s:\n%s", m.logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (m *Mailpit) ready() bool {
	c, err := net.DialTimeout("tcp", m.smtpAddr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	resp, err := http.Get(m.APIURL() + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (m *Mailpit) logs() string {
	var out []byte
	for _, f := range []string{m.logFile, m.logFile + ".out"} {
		b, _ := os.ReadFile(f)
		out = append(out, b...)
	}
	return string(out)
}

// Stop stops Mailpit; its ports then refuse connections until Start.
func (m *Mailpit) Stop(t testing.TB) {
	t.Helper()
	if !m.stop() {
		t.Fatal("testsvc: mailpit is not running")
	}
}

func (m *Mailpit) stop() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd == nil {
		return false
	}
	_ = m.cmd.Process.Signal(os.Interrupt)
	select {
	case <-m.done:
	case <-time.After(10 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.done
	}
	m.cmd = nil
	return true
}

func (m *Mailpit) do(t testing.TB, method, path string, body any) []byte {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, m.APIURL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("testsvc: mailpit %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("testsvc: mailpit %s %s: read: %v", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		t.Fatalf("testsvc: mailpit %s %s: %s: %s", method, path, resp.Status, out)
	}
	return out
}

type apiAddress struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Messages lists every stored message, newest first (paging through the
// API a thousand at a time).
func (m *Mailpit) Messages(t testing.TB) []MailpitMessage {
	t.Helper()
	var out []MailpitMessage
	for start := 0; ; start += 1000 {
		var list struct {
			Messages []struct {
				ID        string       `json:"ID"`
				MessageID string       `json:"MessageID"`
				From      apiAddress   `json:"From"`
				To        []apiAddress `json:"To"`
				Subject   string       `json:"Subject"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(m.do(t, http.MethodGet, fmt.Sprintf("/api/v1/messages?start=%d&limit=1000", start), nil), &list); err != nil {
			t.Fatalf("testsvc: mailpit messages: %v", err)
		}
		for _, msg := range list.Messages {
			mm := MailpitMessage{ID: msg.ID, MessageID: msg.MessageID, From: msg.From.Address, Subject: msg.Subject}
			for _, a := range msg.To {
				mm.To = append(mm.To, a.Address)
			}
			out = append(out, mm)
		}
		if len(list.Messages) < 1000 {
			return out
		}
	}
}

// Raw returns the message's bytes as received.
func (m *Mailpit) Raw(t testing.TB, id string) []byte {
	t.Helper()
	return m.do(t, http.MethodGet, "/api/v1/message/"+id+"/raw", nil)
}

// WaitFor waits until at least n messages are stored and returns them; it
// fails the test after timeout.
func (m *Mailpit) WaitFor(t testing.TB, n int, timeout time.Duration) []MailpitMessage {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := m.Messages(t)
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("testsvc: mailpit has %d messages after %v, want %d", len(msgs), timeout, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// DeleteAll deletes every stored message.
func (m *Mailpit) DeleteAll(t testing.TB) {
	t.Helper()
	m.do(t, http.MethodDelete, "/api/v1/messages", struct{}{})
}

// ChaosTrigger makes one SMTP stage fail with Code (400-599) with the
// given Probability (0-100; 0 disables it).
type ChaosTrigger struct {
	ErrorCode   int `json:"ErrorCode"`
	Probability int `json:"Probability"`
}

// Chaos sets the failures Mailpit injects: Sender fails MAIL FROM,
// Recipient fails RCPT TO, Authentication fails AUTH.
type Chaos struct {
	Sender         ChaosTrigger `json:"Sender"`
	Recipient      ChaosTrigger `json:"Recipient"`
	Authentication ChaosTrigger `json:"Authentication"`
}

// SetChaos configures failure injection; the instance must have been
// started with MailpitOptions.Chaos. A zero Chaos turns it off.
func (m *Mailpit) SetChaos(t testing.TB, c Chaos) {
	t.Helper()
	m.do(t, http.MethodPut, "/api/v1/chaos", c)
}
