package outmail

import (
	"mime"
	"path"
	"strings"
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
