package outmail

import (
	"bytes"
	"mime"
	"path"
	"strings"

	gomail "github.com/emersion/go-message/mail"
)

// Attachment is one file attached to a mail: a statement's PDF, a
// document people attached to it.
type Attachment struct {
	// Name is the file name; it is cleaned like any header value and
	// stripped of any directory.
	Name string
	// ContentType is the media type ("application/pdf"); one that does
	// not parse is sent as application/octet-stream.
	ContentType string
	Data        []byte
}

// MaxFileName caps an attachment's file name, in runes.
const MaxFileName = 150

// fileName is the name an attachment is written with: no directory, no
// control characters, capped, never empty.
func fileName(name string) string {
	n := Clean(strings.ReplaceAll(name, "\\", "/"), 0)
	n = strings.TrimSpace(path.Base("/" + n))
	if n == "/" || n == "." || n == "" {
		n = "attachment"
	}
	return Clean(n, MaxFileName)
}

// mediaType is the attachment's media type, or application/octet-stream.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !strings.Contains(mt, "/") {
		return "application/octet-stream"
	}
	return mt
}

// buildMixed writes m as multipart/mixed: the text (with its HTML
// alternative, if any), then each attachment in base64. Every error is a
// *ComposeError.
func buildMixed(h gomail.Header, m Mail) ([]byte, error) {
	var buf bytes.Buffer
	mw, err := gomail.CreateWriter(&buf, h)
	if err != nil {
		return nil, composeErr("header", err)
	}
	var text gomail.InlineHeader
	text.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	if m.HTML == "" {
		w, err := mw.CreateSingleInline(text)
		if err != nil {
			return nil, composeErr("text/plain", err)
		}
		if err := writeBody(w, m.Text); err != nil {
			return nil, composeErr("body", err)
		}
	} else {
		iw, err := mw.CreateInline()
		if err != nil {
			return nil, composeErr("body", err)
		}
		var html gomail.InlineHeader
		html.SetContentType("text/html", map[string]string{"charset": "utf-8"})
		for _, part := range []struct {
			h    gomail.InlineHeader
			body string
		}{{text, m.Text}, {html, m.HTML}} {
			pw, err := iw.CreatePart(part.h)
			if err != nil {
				return nil, composeErr("body", err)
			}
			if err := writeBody(pw, part.body); err != nil {
				return nil, composeErr("body", err)
			}
		}
		if err := iw.Close(); err != nil {
			return nil, composeErr("body", err)
		}
	}
	for _, a := range m.Attachments {
		var ah gomail.AttachmentHeader
		ah.SetContentType(mediaType(a.ContentType), nil)
		ah.SetFilename(fileName(a.Name))
		w, err := mw.CreateAttachment(ah)
		if err != nil {
			return nil, composeErr("attachment "+fileName(a.Name), err)
		}
		if _, err := w.Write(a.Data); err != nil {
			return nil, composeErr("attachment "+fileName(a.Name), err)
		}
		if err := w.Close(); err != nil {
			return nil, composeErr("attachment "+fileName(a.Name), err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, composeErr("body", err)
	}
	return buf.Bytes(), nil
}
