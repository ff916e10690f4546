// Package testmail holds test helpers that transform mail the way the
// world does; it is used by tests only.
package testmail

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	gomail "github.com/emersion/go-message/mail"
)

// Relay says how Echo treats a message.
type Relay struct {
	// From replaces the From header ("CCAMP list <ccamp@lists.example>").
	From string
	// KeepMessageID keeps the Message-ID; otherwise a new one is made in
	// the relay's domain.
	KeepMessageID bool
	// Subject, when set, rewrites the subject ("[ccamp] " + s).
	Subject func(string) string
	// Text, when set, rewrites the decoded plain-text body.
	Text func(string) string
	// Header lines (with CRLF) to add on top.
	Header string
}

var seq atomic.Int64

// Echo re-sends raw the way a header-stripping mailing list or relay
// does: every X-Liaisond-* header, List-Id, Auto-Submitted, Precedence and
// X-Auto-Response-Suppress and Return-Path dropped, From rewritten, a new Message-ID, and
// the plain-text body (the first text/plain part; an HTML alternative is
// dropped) re-encoded as 8-bit UTF-8. Threading headers and the subject
// are kept.
func (r Relay) Echo(raw []byte) ([]byte, error) {
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("testmail: read message: %w", err)
	}
	text, found := "", false
	for !found {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		if h, ok := p.Header.(*gomail.InlineHeader); ok {
			if ct, _, _ := h.ContentType(); ct == "text/plain" || ct == "" {
				b, err := io.ReadAll(p.Body)
				if err != nil {
					return nil, fmt.Errorf("testmail: read body: %w", err)
				}
				text, found = string(b), true
			}
		}
	}
	from := r.From
	if from == "" {
		from = "Relay <relay@lists.example>"
	}
	var out strings.Builder
	out.WriteString(r.Header)
	fields := mr.Header.Fields()
	for fields.Next() {
		k := strings.ToLower(fields.Key())
		switch {
		case strings.HasPrefix(k, "x-liaisond"), strings.HasPrefix(k, "content-"), k == "list-id", k == "auto-submitted",
			k == "precedence", k == "x-auto-response-suppress", k == "from", k == "mime-version", k == "return-path":
		case k == "message-id" && !r.KeepMessageID:
		case k == "subject" && r.Subject != nil:
			s, _ := mr.Header.Subject()
			out.WriteString("Subject: " + r.Subject(s) + "\r\n")
		default:
			v, _ := fields.Raw()
			out.Write(v)
		}
	}
	if !r.KeepMessageID {
		fmt.Fprintf(&out, "Message-ID: <relayed-%d@lists.example>\r\n", seq.Add(1))
	}
	if r.Text != nil {
		text = r.Text(text)
	}
	out.WriteString("From: " + from + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	out.WriteString(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n"))
	return []byte(out.String()), nil
}
