package testmail

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// Text returns the plain text of a single-part mail as a reader sees it:
// quoted-printable decoded, lines ending in LF.
func Text(raw []byte) (string, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n"), nil
}
