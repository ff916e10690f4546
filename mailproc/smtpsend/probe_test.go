package smtpsend

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/netdiag"
	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// Each way of getting the relay settings wrong is explained, against a
// real Mailpit.
func TestProbeExplainsFailures(t *testing.T) {
	plain := testsvc.StartMailpit(t, testsvc.MailpitOptions{})
	secure := testsvc.StartMailpit(t, testsvc.MailpitOptions{STARTTLS: true, Users: map[string]string{"liaisond": "right"}})
	closed := fmt.Sprintf("127.0.0.1:%d", testsvc.FreePort(t))
	tests := []struct {
		name string
		opt  Options
		kind netdiag.Kind
		hint string
	}{
		{"closed port", Options{Address: closed, TLS: TLSNone}, netdiag.Refused, "nothing accepts connections"},
		{"implicit TLS on a plain port", Options{Address: plain.SMTPAddr(), TLS: TLSImplicit}, netdiag.NotTLS, "does not speak TLS on this port"},
		{"STARTTLS on a relay without it", Options{Address: plain.SMTPAddr(), TLS: TLSStartTLS}, netdiag.NoSTARTTLS, "does not offer STARTTLS"},
		{"untrusted certificate", Options{Address: secure.SMTPAddr(), TLS: TLSStartTLS}, netdiag.Untrusted, "set ca_file"},
		{"wrong password", Options{Address: secure.SMTPAddr(), TLS: TLSStartTLS, TLSConfig: secure.Cert.ClientConfig(), Username: "liaisond", Password: "wrong"},
			netdiag.AuthRejected, "refused the user name or password"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.Timeout = 10 * time.Second
			tc.opt.Logger = quietLogger(&bytes.Buffer{})
			s, err := New(tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Probe(context.Background())
			if netdiag.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.hint) {
				t.Fatalf("Probe = %v (kind %d), want kind %d with %q", err, netdiag.KindOf(err), tc.kind, tc.hint)
			}
			if strings.Contains(err.Error(), "wrong") && tc.opt.Password == "wrong" {
				t.Error("the password leaked into the error")
			}
		})
	}
}

func TestProbeReportsWhatTheRelayOffers(t *testing.T) {
	mp := testsvc.StartMailpit(t, testsvc.MailpitOptions{STARTTLS: true, Users: map[string]string{"liaisond": "right"}})
	s, err := New(Options{Address: mp.SMTPAddr(), TLS: TLSStartTLS, TLSConfig: mp.Cert.ClientConfig(), Username: "liaisond", Password: "right",
		Timeout: 10 * time.Second, Logger: quietLogger(&bytes.Buffer{})})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	exts := strings.Join(r.Extensions, "; ")
	if !strings.HasPrefix(r.TLS, "TLS 1.") || r.Auth != "PLAIN" || !strings.Contains(exts, "AUTH") || !strings.Contains(exts, "8BITMIME") {
		t.Errorf("report = %+v", r)
	}
}
