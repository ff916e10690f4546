package testsvc

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// DovecotOptions configures StartDovecot. The zero value gives a plain-text
// IMAP server on loopback with the user liaison/secret.
type DovecotOptions struct {
	// User and Password of the single passwd-file account; defaults
	// "liaison" and "secret".
	User, Password string
	// TLS enables an implicit-TLS (imaps) listener and STARTTLS on the
	// plain port, with a self-signed certificate made by the test.
	TLS bool
	// ExtraConfig is appended verbatim to the generated dovecot.conf.
	ExtraConfig string
	// NoMetadata leaves IMAP METADATA (RFC 5464) off. By default it is on
	// (imap_metadata with a per-user attribute dictionary), as liaisond's
	// mailbox lease prefers it; a test of the lease folder fallback turns
	// it off.
	NoMetadata bool
}

// Dovecot is a private Dovecot IMAP server run as a child process of the
// test, on loopback ports, with maildir storage in a shared temp folder.
type Dovecot struct {
	bin      string
	dir      string
	conf     string
	user     string
	password string
	port     int
	tlsPort  int
	cert     *Cert

	mu  sync.Mutex
	cmd *exec.Cmd
	// exited is closed when the current process has been reaped.
	exited chan struct{}
}

// StartDovecot starts a private Dovecot and registers its shutdown with
// t.Cleanup. It skips the test (fails it under CI) when dovecot is not
// installed, and fails it when dovecot cannot be started.
func StartDovecot(t testing.TB, opt DovecotOptions) *Dovecot {
	t.Helper()
	bin := Require(t, "dovecot")
	if os.Geteuid() != 0 {
		Unavailable(t, "a private dovecot must be started as root in this harness")
	}
	d := &Dovecot{bin: bin, dir: SharedDir(t), user: opt.User, password: opt.Password}
	if d.user == "" {
		d.user = "liaison"
	}
	if d.password == "" {
		d.password = "secret"
	}
	d.port = FreePort(t)
	if opt.TLS {
		d.tlsPort = FreePort(t)
		for d.tlsPort == d.port {
			d.tlsPort = FreePort(t)
		}
		d.cert = NewCert(t, d.dir)
	}
	if err := d.writeConfig(opt); err != nil {
		t.Fatalf("dovecot: %v", err)
	}
	t.Cleanup(func() { d.stop() })
	d.Start(t)
	return d
}

func (d *Dovecot) writeConfig(opt DovecotOptions) error {
	mail := filepath.Join(d.dir, "mail")
	for _, sub := range []string{"run", "state", mail} {
		p := sub
		if !filepath.IsAbs(p) {
			p = filepath.Join(d.dir, sub)
		}
		if err := os.MkdirAll(p, 0o755); err != nil {
			return fmt.Errorf("make %s: %w", p, err)
		}
	}
	if err := os.Chown(mail, dovecotID("dovecot"), dovecotID("dovecot")); err != nil {
		return fmt.Errorf("chown mail dir: %w", err)
	}
	passwd := filepath.Join(d.dir, "passwd")
	if err := os.WriteFile(passwd, []byte(d.user+":{PLAIN}"+d.password+"\n"), 0o644); err != nil {
		return fmt.Errorf("write passwd: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 100
auth_mechanisms = plain login
disable_plaintext_auth = no
mail_location = maildir:%[2]s/%%u
mail_fsync = never
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[3]s
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=%[2]s/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[4]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[5]d
  }
  chroot =
}
service anvil {
  chroot =
}
`, d.dir, mail, passwd, d.port, d.tlsPort)
	if !opt.NoMetadata {
		// METADATA needs a dictionary for the attributes: a file in each
		// user's home (the maildir root).
		b.WriteString("mail_attribute_dict = file:%h/dovecot-attributes\nprotocol imap {\n  imap_metadata = yes\n}\n")
	}
	if d.cert != nil {
		fmt.Fprintf(&b, "ssl = yes\nssl_cert = <%s\nssl_key = <%s\n", d.cert.CertFile, d.cert.KeyFile)
	} else {
		b.WriteString("ssl = no\n")
	}
	b.WriteString(opt.ExtraConfig)
	b.WriteString("\n")
	d.conf = filepath.Join(d.dir, "dovecot.conf")
	if err := os.WriteFile(d.conf, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

// dovecotID returns the uid (or gid, which Debian pairs by name) of a
// system user, or -1 (meaning "unchanged" to os.Chown) when unknown.
func dovecotID(name string) int {
	out, err := exec.Command("id", "-u", name).Output()
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(out)))
	if err != nil {
		return -1
	}
	return n
}

// Start starts the server (after Stop) and waits until it accepts IMAP
// connections.
func (d *Dovecot) Start(t testing.TB) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cmd != nil {
		t.Fatalf("dovecot: already running")
	}
	// A stale master.pid makes dovecot refuse to start ("already running").
	_ = os.Remove(filepath.Join(d.dir, "run", "master.pid"))
	cmd := exec.Command(d.bin, "-F", "-c", d.conf)
	// Output goes to a file, not a pipe: children (imap processes of
	// connected clients) inherit it, and a pipe would keep Wait blocked
	// until they all exit.
	outPath := filepath.Join(d.dir, "dovecot.out")
	outFile, err := os.OpenFile(outPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatalf("dovecot: open output file: %v", err)
	}
	cmd.Stdout = outFile
	cmd.Stderr = outFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	outFile.Close()
	if err != nil {
		t.Fatalf("dovecot: start: %v", err)
	}
	out := func() string {
		b, _ := os.ReadFile(outPath)
		return string(b)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	d.cmd, d.exited = cmd, exited
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-exited:
			d.cmd = nil
			t.Fatalf("dovecot exited at startup: %s\nlog:\n%s", out(), d.log())
		default:
		}
		if err := probe(d.Addr()); err == nil {
			if d.tlsPort == 0 || probe(d.TLSAddr()) == nil {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("dovecot did not accept connections within 10s: %s\nlog:\n%s", out(), d.log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// probe reports whether something accepts TCP connections at addr.
func probe(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

func (d *Dovecot) log() string {
	b, err := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// Stop stops the server and waits until its port is closed.
func (d *Dovecot) Stop(t testing.TB) {
	t.Helper()
	if err := d.stop(); err != nil {
		t.Fatalf("dovecot: %v", err)
	}
}

func (d *Dovecot) stop() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cmd == nil {
		return nil
	}
	cmd, exited := d.cmd, d.exited
	d.cmd = nil
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
	// The master has gone; make sure no child still holds the port.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	deadline := time.Now().Add(5 * time.Second)
	for probe(d.Addr()) == nil {
		if time.Now().After(deadline) {
			return errors.New("port still open after stop")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// Restart stops and starts the server on the same ports and mail folder.
func (d *Dovecot) Restart(t testing.TB) {
	t.Helper()
	d.Stop(t)
	d.Start(t)
}

// Addr is the plain IMAP address (with STARTTLS when TLS is enabled).
func (d *Dovecot) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(d.port)) }

// TLSAddr is the implicit-TLS IMAP address, or "" without TLS.
func (d *Dovecot) TLSAddr() string {
	if d.tlsPort == 0 {
		return ""
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(d.tlsPort))
}

// User is the account name.
func (d *Dovecot) User() string { return d.user }

// Password is the account password.
func (d *Dovecot) Password() string { return d.password }

// Cert is the server certificate, or nil without TLS.
func (d *Dovecot) Cert() *Cert { return d.cert }

// Dir is the folder holding the configuration, logs and mail.
func (d *Dovecot) Dir() string { return d.dir }

// Client returns a logged-in plain-text client, closed at test cleanup.
func (d *Dovecot) Client(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(d.Addr(), nil)
	if err != nil {
		t.Fatalf("dovecot: dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Login(d.user, d.password).Wait(); err != nil {
		t.Fatalf("dovecot: login: %v", err)
	}
	return c
}

// Append stores raw in folder (created if missing) with IMAP APPEND.
func (d *Dovecot) Append(t testing.TB, folder string, raw []byte) {
	t.Helper()
	c := d.Client(t)
	defer c.Close()
	d.AppendWith(t, c, folder, raw)
}

// AppendWith is Append over an existing client, for tests adding many
// messages.
func (d *Dovecot) AppendWith(t testing.TB, c *imapclient.Client, folder string, raw []byte) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		cmd := c.Append(folder, int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			t.Fatalf("dovecot: append write: %v", err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatalf("dovecot: append close: %v", err)
		}
		_, err := cmd.Wait()
		if err == nil {
			return
		}
		var ierr *imap.Error
		if attempt == 0 && errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeTryCreate {
			if err := c.Create(folder, nil).Wait(); err != nil {
				t.Fatalf("dovecot: create %s: %v", folder, err)
			}
			continue
		}
		t.Fatalf("dovecot: append to %s: %v", folder, err)
	}
}

// UIDs lists the UIDs in folder, ascending; nil when the folder is empty
// or does not exist.
func (d *Dovecot) UIDs(t testing.TB, folder string) []uint32 {
	t.Helper()
	c := d.Client(t)
	defer c.Close()
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		var ierr *imap.Error
		if errors.As(err, &ierr) && ierr.Type == imap.StatusResponseTypeNo {
			return nil
		}
		t.Fatalf("dovecot: examine %s: %v", folder, err)
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		t.Fatalf("dovecot: search %s: %v", folder, err)
	}
	var out []uint32
	for _, u := range data.AllUIDs() {
		out = append(out, uint32(u))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Messages returns the raw messages in folder, in UID order; nil when the
// folder is empty or does not exist.
func (d *Dovecot) Messages(t testing.TB, folder string) [][]byte {
	t.Helper()
	c := d.Client(t)
	defer c.Close()
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		var ierr *imap.Error
		if errors.As(err, &ierr) && ierr.Type == imap.StatusResponseTypeNo {
			return nil
		}
		t.Fatalf("dovecot: examine %s: %v", folder, err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	section := &imap.FetchItemBodySection{Peek: true}
	bufs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		t.Fatalf("dovecot: fetch %s: %v", folder, err)
	}
	sort.Slice(bufs, func(i, j int) bool { return bufs[i].UID < bufs[j].UID })
	out := make([][]byte, len(bufs))
	for i, b := range bufs {
		out[i] = b.FindBodySection(section)
	}
	return out
}
