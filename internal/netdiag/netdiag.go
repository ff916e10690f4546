// Package netdiag says what a failed connection to a mail server most
// likely means, in words an operator can act on: nothing listens there, the
// port speaks TLS from the first byte or not at all, the certificate is not
// trusted, the server does not offer STARTTLS, the credentials were
// refused. It serves the IMAP watcher, the SMTP sender and `liaisond check
// --connect` alike.
package netdiag

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Kind is what a connection failure most likely means.
type Kind int

// The kinds of connection failure.
const (
	// Unknown is any other failure.
	Unknown Kind = iota
	// Refused: nothing accepts connections at the address.
	Refused
	// NoHost: the host name does not resolve.
	NoHost
	// Timeout: no answer in time. From a client that expects a plain-text
	// greeting, a port that speaks TLS from the first byte looks like this.
	Timeout
	// NotTLS: the server answered in plain text where TLS was expected.
	NotTLS
	// Untrusted: the server's certificate is not trusted.
	Untrusted
	// NoSTARTTLS: the server refused to upgrade with STARTTLS.
	NoSTARTTLS
	// AuthRejected: the server refused the user name or password.
	AuthRejected
)

// Misconfigured reports whether k points at the configuration (or the
// server's) rather than at a passing outage: retrying will not help.
func (k Kind) Misconfigured() bool {
	switch k {
	case NotTLS, Untrusted, NoSTARTTLS, AuthRejected, NoHost:
		return true
	}
	return false
}

// Protocol names a mail protocol and its usual ports, for the hints.
type Protocol struct {
	Name               string
	StartTLSPort, Port int // the usual STARTTLS (or plain) and implicit-TLS ports
}

// The protocols liaisond speaks.
var (
	IMAP = Protocol{Name: "IMAP", StartTLSPort: 143, Port: 993}
	SMTP = Protocol{Name: "SMTP", StartTLSPort: 587, Port: 465}
)

// Classify says what err, from dialing, a TLS handshake or reading the
// greeting, most likely means. Protocol-level refusals (STARTTLS, login)
// are for the caller to recognise.
func Classify(err error) Kind {
	var dns *net.DNSError
	var rhe tls.RecordHeaderError
	var cve *tls.CertificateVerificationError
	var uae x509.UnknownAuthorityError
	var hne x509.HostnameError
	var cie x509.CertificateInvalidError
	var ne net.Error
	switch {
	case err == nil:
		return Unknown
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return NoHost
		}
		return Unknown
	case errors.As(err, &rhe):
		return NotTLS
	case errors.As(err, &cve), errors.As(err, &uae), errors.As(err, &hne), errors.As(err, &cie):
		return Untrusted
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, syscall.ETIMEDOUT), errors.As(err, &ne) && ne.Timeout():
		return Timeout
	}
	return Unknown
}

// Hint says what to check for a failure of kind k of a client configured
// with tlsMode ("implicit", "starttls" or "none"); "" for Unknown.
func (p Protocol) Hint(k Kind, tlsMode string) string {
	switch k {
	case Refused:
		return "nothing accepts connections there: check the address and port, and that the server is running"
	case NoHost:
		return "the host name does not resolve: check the address"
	case Timeout:
		if tlsMode != "implicit" {
			return fmt.Sprintf("no answer in time: if this port speaks TLS from the first byte (usually %d), set tls: implicit; otherwise check the address and any firewall", p.Port)
		}
		return "no answer in time: check the address, the port and any firewall"
	case NotTLS:
		return fmt.Sprintf("the server does not speak TLS on this port: set tls: starttls (usually port %d), or use its implicit-TLS port (usually %d)", p.StartTLSPort, p.Port)
	case Untrusted:
		return "the server's certificate is not trusted: set ca_file to the authority that signed it, or fix the server's certificate"
	case NoSTARTTLS:
		return fmt.Sprintf("the server does not offer STARTTLS on this port: use tls: implicit with its TLS port (usually %d), or tls: none to a loopback server", p.Port)
	case AuthRejected:
		return "the server refused the user name or password: check username and password_file / password_env"
	}
	return ""
}

// Error is a connection failure with what it most likely means.
type Error struct {
	Kind Kind
	Hint string
	Err  error
}

// Wrap explains err as a failure of kind k (Classify(err) when k is
// Unknown) of a p client configured with tlsMode. An err that is already
// explained is returned as it is.
func Wrap(p Protocol, k Kind, tlsMode string, err error) error {
	var done *Error
	if err == nil || errors.As(err, &done) {
		return err
	}
	if k == Unknown {
		k = Classify(err)
	}
	return &Error{Kind: k, Hint: p.Hint(k, tlsMode), Err: err}
}

// Error implements error: the failure, then the hint.
func (e *Error) Error() string {
	if e.Hint == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + " — " + e.Hint
}

// Unwrap returns the failure.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of an explained err (Unknown otherwise).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Unknown
}
