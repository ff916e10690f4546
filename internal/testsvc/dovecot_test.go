package testsvc

import (
	"crypto/tls"
	"reflect"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

func TestDovecotAppendRestartTLS(t *testing.T) {
	d := StartDovecot(t, DovecotOptions{TLS: true})
	msg := []byte("From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n")
	d.Append(t, "INBOX", msg)
	d.Append(t, "Other", msg) // created on demand
	if got := d.UIDs(t, "INBOX"); !reflect.DeepEqual(got, []uint32{1}) {
		t.Fatalf("INBOX UIDs = %v, want [1]", got)
	}
	if got := d.UIDs(t, "Missing"); got != nil {
		t.Fatalf("Missing UIDs = %v, want nil", got)
	}

	d.Restart(t)
	d.Append(t, "INBOX", msg)
	if got := d.UIDs(t, "INBOX"); !reflect.DeepEqual(got, []uint32{1, 2}) {
		t.Fatalf("after restart INBOX UIDs = %v, want [1 2]", got)
	}

	tests := []struct {
		name string
		dial func() (*imapclient.Client, error)
	}{
		{"implicit", func() (*imapclient.Client, error) {
			return imapclient.DialTLS(d.TLSAddr(), &imapclient.Options{TLSConfig: d.Cert().ClientConfig()})
		}},
		{"starttls", func() (*imapclient.Client, error) {
			return imapclient.DialStartTLS(d.Addr(), &imapclient.Options{TLSConfig: d.Cert().ClientConfig()})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.dial()
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer c.Close()
			if err := c.Login(d.User(), d.Password()).Wait(); err != nil {
				t.Fatalf("login: %v", err)
			}
			if !c.Caps().Has(imap.CapIdle) {
				t.Errorf("IDLE not advertised: %v", c.Caps())
			}
		})
	}

	// An untrusted certificate is refused.
	if c, err := imapclient.DialTLS(d.TLSAddr(), &imapclient.Options{TLSConfig: &tls.Config{ServerName: "127.0.0.1"}}); err == nil {
		c.Close()
		t.Fatal("DialTLS with system roots accepted the self-signed certificate")
	}
}

func TestDovecotWrongPassword(t *testing.T) {
	d := StartDovecot(t, DovecotOptions{User: "u1", Password: "p1"})
	c, err := imapclient.DialInsecure(d.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("u1", "wrong").Wait(); err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
}

// TestDovecotMetadata checks that the test server offers IMAP METADATA by
// default (the mailbox lease prefers it) and keeps a private server entry,
// and that NoMetadata turns it off.
func TestDovecotMetadata(t *testing.T) {
	tests := []struct {
		name string
		opt  DovecotOptions
		want bool
	}{
		{"default", DovecotOptions{}, true},
		{"off", DovecotOptions{NoMetadata: true}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := StartDovecot(t, tc.opt)
			c := d.Client(t)
			if got := c.Caps().Has(imap.CapMetadata); got != tc.want {
				t.Fatalf("METADATA advertised = %v, want %v (caps %v)", got, tc.want, c.Caps())
			}
			if !tc.want {
				return
			}
			const entry = "/private/vendor/liaisond/test"
			v := []byte(`{"holder":"a"}`)
			if err := c.SetMetadata("", map[string]*[]byte{entry: &v}).Wait(); err != nil {
				t.Fatalf("SETMETADATA: %v", err)
			}
			got, err := d.Client(t).GetMetadata("", []string{entry}, nil).Wait()
			if err != nil {
				t.Fatalf("GETMETADATA: %v", err)
			}
			if p := got.Entries[entry]; p == nil || string(*p) != string(v) {
				t.Fatalf("GETMETADATA %s = %v, want %s", entry, got.Entries, v)
			}
		})
	}
}
