package imapwatch

import (
	"crypto/x509"
	"errors"
	"time"

	"github.com/emersion/go-imap/v2"
)

// backoff is an exponential backoff with "equal jitter": the n-th delay is
// drawn from [d/2, d) where d = base * 2^n, capped at max.
type backoff struct {
	base, max time.Duration
	rand      func() float64
	n         int
}

// next returns the next delay and advances the schedule.
func (b *backoff) next() time.Duration {
	d := b.base
	for i := 0; i < b.n && d < b.max; i++ {
		d *= 2
	}
	if d > b.max {
		d = b.max
	}
	b.n++
	r := b.rand()
	if r < 0 || r >= 1 {
		r = 0
	}
	return d/2 + time.Duration(r*float64(d/2))
}

// reset restarts the schedule at base.
func (b *backoff) reset() { b.n = 0 }

// permanentError marks a failure that retrying soon will not fix (wrong
// password, untrusted certificate, login disabled).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// permanent wraps err as permanent.
func permanent(err error) error { return &permanentError{err} }

// IsPermanent reports whether err (from SyncOnce or Run's logs) is a
// permanent failure such as an authentication failure or an untrusted
// server certificate; other errors (network, server restart, a failing
// sink) are temporary.
func IsPermanent(err error) bool {
	var p *permanentError
	if errors.As(err, &p) {
		return true
	}
	var uerr x509.UnknownAuthorityError
	var herr x509.HostnameError
	var cerr x509.CertificateInvalidError
	if errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr) {
		return true
	}
	return false
}

// loginFailed classifies a LOGIN error: a NO from the server is
// permanent unless the server says it is temporary (UNAVAILABLE).
func loginFailed(err error) bool {
	var ierr *imap.Error
	if !errors.As(err, &ierr) {
		return false
	}
	if ierr.Code == imap.ResponseCodeUnavailable {
		return false
	}
	return ierr.Type == imap.StatusResponseTypeNo || ierr.Type == imap.StatusResponseTypeBad
}
