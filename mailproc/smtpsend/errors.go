package smtpsend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/emersion/go-smtp"

	"github.com/ietf-tools/liaisond/internal/netdiag"
)

// Error is a failed delivery. Temporary says whether trying again later
// can succeed: SMTP 4xx replies and connection, TLS-handshake and timeout
// problems are temporary; 5xx replies and local validation errors are not.
type Error struct {
	// Temporary is true when a retry may succeed.
	Temporary bool
	// Code is the SMTP reply code (0 when the relay never answered).
	Code int
	// Enhanced is the RFC 3463 enhanced status code ("5.1.1"), if any.
	Enhanced string
	// Msg is the relay's reply text, or a short description.
	Msg string
	// Err is the underlying error, with the SMTP stage as context.
	Err error
	// Rejected lists recipients the relay refused while the message was
	// delivered to all the others; it is empty when nothing was delivered.
	Rejected []string
}

// Error implements error.
func (e *Error) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	if e.Err == nil {
		return fmt.Sprintf("smtpsend: %s failure: %s", kind, e.Msg)
	}
	return fmt.Sprintf("smtpsend: %s failure: %v", kind, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err (anywhere in its chain) is a delivery
// failure that may succeed later: an *Error with Temporary set, an SMTP 4xx
// reply, or a network, TLS or timeout error. SMTP 5xx replies and other
// errors are permanent.
func IsTemporary(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Temporary
	}
	return classify(err)
}

// permanent is a local refusal that no retry will fix.
type permanent struct{ msg string }

func (p *permanent) Error() string { return p.msg }

// classify says whether a raw error from dialing or go-smtp is temporary.
func classify(err error) bool {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code >= 400 && se.Code < 500
	}
	var p *permanent
	if errors.As(err, &p) {
		return false
	}
	var ne net.Error
	var oe *net.OpError
	switch k := netdiag.Classify(err); {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.ETIMEDOUT):
		return true
	case k == netdiag.Untrusted, k == netdiag.NotTLS:
		// A certificate problem needs an operator, but mail must not be
		// dropped meanwhile: keep it queued.
		return true
	case errors.As(err, &oe), errors.As(err, &ne):
		return true
	}
	// Anything else (for example "server doesn't support STARTTLS", or a
	// syntax error go-smtp detected locally) will not fix itself.
	return false
}

// wrap turns err from the given SMTP stage into an *Error. When ctx has
// ended, its error is reported instead of the "use of closed connection"
// the cancellation caused.
func wrap(ctx context.Context, stage string, err error) error {
	var already *Error
	if errors.As(err, &already) {
		return already
	}
	if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w (after %v)", ctx.Err(), err)
	}
	e := &Error{Temporary: classify(err), Err: fmt.Errorf("%s: %w", stage, err), Msg: err.Error()}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		e.Code = se.Code
		e.Msg = se.Message
		if c := se.EnhancedCode; c != smtp.EnhancedCodeNotSet && c != smtp.NoEnhancedCode {
			e.Enhanced = fmt.Sprintf("%d.%d.%d", c[0], c[1], c[2])
		}
	}
	return e
}
