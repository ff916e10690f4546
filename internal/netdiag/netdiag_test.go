package netdiag

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestClassify(t *testing.T) {
	opErr := func(err error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", err)}
	}
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"refused", fmt.Errorf("connect: %w", opErr(syscall.ECONNREFUSED)), Refused},
		{"no such host", &net.DNSError{Err: "no such host", Name: "imap.example.invalid", IsNotFound: true}, NoHost},
		{"dns timeout is not a config error", &net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}, Unknown},
		{"plain text where TLS was expected", fmt.Errorf("handshake: %w", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), NotTLS},
		{"unknown authority", fmt.Errorf("x: %w", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), Untrusted},
		{"wrong host name", x509.HostnameError{Host: "imap.example.org", Certificate: &x509.Certificate{}}, Untrusted},
		{"deadline", fmt.Errorf("greeting: %w", context.DeadlineExceeded), Timeout},
		{"reset", opErr(syscall.ECONNRESET), Unknown},
		{"nil", nil, Unknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.err); got != tc.want {
				t.Errorf("Classify = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestWrapExplainsOnceAndKeepsTheChain(t *testing.T) {
	base := fmt.Errorf("connect: %w", syscall.ECONNREFUSED)
	err := Wrap(SMTP, Unknown, "starttls", base)
	if KindOf(err) != Refused || !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "nothing accepts connections") {
		t.Fatalf("Wrap = %v (kind %d)", err, KindOf(err))
	}
	if again := Wrap(IMAP, AuthRejected, "implicit", fmt.Errorf("outer: %w", err)); KindOf(again) != Refused || strings.Count(again.Error(), "—") != 1 {
		t.Errorf("explained twice: %v", again)
	}
	if Wrap(IMAP, Unknown, "none", nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
	if h := SMTP.Hint(Timeout, "starttls"); !strings.Contains(h, "465") || !strings.Contains(h, "tls: implicit") {
		t.Errorf("SMTP timeout hint = %q", h)
	}
	if h := IMAP.Hint(NotTLS, "implicit"); !strings.Contains(h, "143") || !strings.Contains(h, "993") {
		t.Errorf("IMAP not-TLS hint = %q", h)
	}
	for _, k := range []Kind{NotTLS, Untrusted, NoSTARTTLS, AuthRejected, NoHost} {
		if !k.Misconfigured() {
			t.Errorf("kind %d is not a misconfiguration", k)
		}
	}
	for _, k := range []Kind{Unknown, Refused, Timeout} {
		if k.Misconfigured() {
			t.Errorf("kind %d is a misconfiguration", k)
		}
	}
}
