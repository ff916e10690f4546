package outmail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// The body of a mail is written here, in one buffer, rather than through
// go-message's streaming writers (go-message still formats every header
// field): composing notices is a large part of what ingesting a statement
// costs, and most of that was encoding. The shapes are the ones go-message
// wrote, field for field:
//
//   - text only: the text, quoted-printable, as the message's body;
//   - text and HTML: multipart/alternative of two inline quoted-printable
//     parts;
//   - with attachments: multipart/mixed of the above (its text part
//     inline) and each file in base64, in lines of 76 characters.
//
// Boundaries are derived from the Message-ID, so the same mail is the same
// bytes. They start with "=_", which occurs neither in quoted-printable
// text (where "=" is followed by hex digits or a line break) nor in base64.

// part writes one entity (its header, then its body) given a header that
// already holds whatever the caller put in it.
type part func(w *bytes.Buffer, h message.Header) error

// writeBody writes m's header h and body (text, alternatives,
// attachments) to w.
func writeBody(w *bytes.Buffer, h message.Header, m Mail) error {
	w.Grow(qpSize(m.Text) + qpSize(m.HTML) + 2048 + attachmentsSize(m.Attachments))
	text := textPart("text/plain", m.Text, false)
	if m.HTML != "" {
		text = multipart("alternative", boundary(m.MessageID, 1),
			textPart("text/plain", m.Text, true), textPart("text/html", m.HTML, true))
	} else if len(m.Attachments) > 0 {
		text = textPart("text/plain", m.Text, true)
	}
	if len(m.Attachments) == 0 {
		return text(w, h)
	}
	parts := []part{text}
	for _, a := range m.Attachments {
		parts = append(parts, attachmentPart(a))
	}
	return multipart("mixed", boundary(m.MessageID, 0), parts...)(w, h)
}

// boundary is the n-th multipart boundary of the mail with Message-ID id.
func boundary(id string, n int) string {
	sum := sha256.Sum256([]byte(id + "\x00" + strconv.Itoa(n)))
	return "=_" + hex.EncodeToString(sum[:15])
}

// multipart is a multipart/subtype entity of parts.
func multipart(subtype, boundary string, parts ...part) part {
	return func(w *bytes.Buffer, h message.Header) error {
		h.SetContentType("multipart/"+subtype, map[string]string{"boundary": boundary})
		if err := textproto.WriteHeader(w, h.Header); err != nil {
			return err
		}
		for i, p := range parts {
			if i > 0 {
				w.WriteString("\r\n")
			}
			w.WriteString("--" + boundary + "\r\n")
			if err := p(w, message.Header{}); err != nil {
				return err
			}
		}
		w.WriteString("\r\n--" + boundary + "--\r\n")
		return nil
	}
}

// textPart is a UTF-8 text entity of media type typ in quoted-printable,
// marked inline when it is a part of a multipart. Invalid UTF-8 becomes
// U+FFFD, and the text ends with a line break.
func textPart(typ, text string, inline bool) part {
	return func(w *bytes.Buffer, h message.Header) error {
		h.SetContentType(typ, map[string]string{"charset": "utf-8"})
		if inline {
			h.Set("Content-Disposition", "inline")
		}
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		if err := textproto.WriteHeader(w, h.Header); err != nil {
			return err
		}
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		w.Write(appendQP(w.AvailableBuffer(), text))
		return nil
	}
}

// attachmentPart is a file in base64.
func attachmentPart(a Attachment) part {
	return func(w *bytes.Buffer, h message.Header) error {
		h.SetContentType(mediaType(a.ContentType), nil)
		h.SetContentDisposition("attachment", map[string]string{"filename": fileName(a.Name)})
		h.Set("Content-Transfer-Encoding", "base64")
		if err := textproto.WriteHeader(w, h.Header); err != nil {
			return err
		}
		const lineLen = 76
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > lineLen {
			w.WriteString(enc[:lineLen])
			w.WriteString("\r\n")
			enc = enc[lineLen:]
		}
		w.WriteString(enc)
		return nil
	}
}

// qpSize estimates the quoted-printable size of text.
func qpSize(text string) int { return len(text) + len(text)/16 }

func attachmentsSize(as []Attachment) int {
	n := 0
	for _, a := range as {
		n += base64.StdEncoding.EncodedLen(len(a.Data))*78/76 + 512
	}
	return n
}

// qpLineMax is the longest encoded line, without its CRLF (RFC 2045
// section 6.7, rule 5).
const qpLineMax = 76

// The classes of bytes in quoted-printable text.
const (
	qpLiteral = iota // written as it is
	qpSpace          // space and tab: as they are, unless they end a line
	qpBreak          // CR and LF: a line break (CRLF counts once)
	qpEncoded        // written as =XX
)

var qpClass = func() (t [256]uint8) {
	for i := range t {
		switch b := byte(i); {
		case b == ' ' || b == '\t':
			t[i] = qpSpace
		case b == '\r' || b == '\n':
			t[i] = qpBreak
		case b >= '!' && b <= '~' && b != '=':
			t[i] = qpLiteral
		default:
			t[i] = qpEncoded
		}
	}
	return t
}()

// appendQP appends text encoded as quoted-printable to dst, with CRLF
// line breaks and soft breaks that keep lines within 76 characters: byte
// for byte what mime/quotedprintable.Writer writes (checked by
// FuzzAppendQP), in one pass without its per-line writes.
func appendQP(dst []byte, text string) []byte {
	const hexDigits = "0123456789ABCDEF"
	start := len(dst) // where the current line starts
	cr := false       // the last line break was a CR (a following LF is part of it)
	encode := func(b byte) {
		if qpLineMax-1-(len(dst)-start) < 3 {
			dst = append(dst, '=', '\r', '\n')
			start = len(dst)
		}
		dst = append(dst, '=', hexDigits[b>>4], hexDigits[b&0x0f])
	}
	// endLine encodes a space or tab that would end a line.
	endLine := func() {
		if len(dst) > start {
			if b := dst[len(dst)-1]; b == ' ' || b == '\t' {
				dst = dst[:len(dst)-1]
				encode(b)
			}
		}
	}
	for i := 0; i < len(text); {
		b := text[i]
		switch qpClass[b] {
		case qpLiteral, qpSpace:
			// Copy the run of bytes written as they are (the classes up
			// to qpSpace), a line's worth at a time.
			end := i + 1
			for end < len(text) && qpClass[text[end]] <= qpSpace {
				end++
			}
			for i < end {
				if len(dst)-start == qpLineMax-1 {
					dst = append(dst, '=', '\r', '\n')
					start = len(dst)
				}
				n := min(end-i, qpLineMax-1-(len(dst)-start))
				dst = append(dst, text[i:i+n]...)
				i += n
			}
			cr = false
			continue
		case qpBreak:
			if cr && b == '\n' {
				cr = false
				break
			}
			cr = b == '\r'
			endLine()
			dst = append(dst, '\r', '\n')
			start = len(dst)
		default:
			encode(b)
		}
		i++
	}
	endLine()
	return dst
}
