package mailproc

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
)

// hdr is a standard header block for test messages.
func hdr(from, subject, extra string) string {
	return "From: " + from + "\r\nTo: statements@ietf.example\r\nSubject: " + subject +
		"\r\nDate: Tue, 16 Feb 2027 07:01:11 -0800\r\nMessage-ID: <" + fmt.Sprintf("%x", len(subject)*7919+len(from)) + "@test.example>\r\nMIME-Version: 1.0\r\n" + extra
}

// textMsg builds a single-part text/plain message.
func textMsg(from, subject, extra, body string) []byte {
	return []byte(hdr(from, subject, extra) + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n"))
}

// part is one MIME part of a multipart test message.
type part struct {
	header string // full header lines, each ending in \r\n
	body   string
}

// multiMsg builds a multipart message.
func multiMsg(from, subject, extra, subtype string, parts ...part) []byte {
	var b strings.Builder
	b.WriteString(hdr(from, subject, extra))
	b.WriteString("Content-Type: multipart/" + subtype + "; boundary=\"BOUNDARY\"\r\n\r\npreamble\r\n")
	for _, p := range parts {
		b.WriteString("--BOUNDARY\r\n" + p.header + "\r\n" + p.body + "\r\n")
	}
	b.WriteString("--BOUNDARY--\r\n")
	return []byte(b.String())
}

func textPart(body string) part {
	return part{"Content-Type: text/plain; charset=utf-8\r\n", strings.ReplaceAll(body, "\n", "\r\n")}
}

// filePart is a base64 attachment.
func filePart(name, ctype string, data []byte) part {
	enc := base64.StdEncoding.EncodeToString(data)
	var lines []string
	for len(enc) > 76 {
		lines = append(lines, enc[:76])
		enc = enc[76:]
	}
	lines = append(lines, enc)
	return part{"Content-Type: " + ctype + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\n", strings.Join(lines, "\r\n")}
}

// buildDocx makes a .docx whose document is the given label/value rows
// followed by paragraphs.
func buildDocx(t testing.TB, rows [][2]string, paras ...string) []byte {
	t.Helper()
	esc := func(s string) string {
		var b bytes.Buffer
		if err := xmlEscape(&b, s); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	p := func(s string) string { return `<w:p><w:r><w:t xml:space="preserve">` + esc(s) + `</w:t></w:r></w:p>` }
	var body strings.Builder
	body.WriteString(p("LIAISON STATEMENT"))
	body.WriteString("<w:tbl>")
	for _, r := range rows {
		body.WriteString("<w:tr><w:tc>" + p(r[0]) + "</w:tc><w:tc>")
		for _, line := range strings.Split(r[1], "\n") {
			body.WriteString(p(line))
		}
		body.WriteString("</w:tc></w:tr>")
	}
	body.WriteString("</w:tbl>")
	for _, s := range paras {
		body.WriteString(p(s))
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   doc,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func hasProblem(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

func xmlEscape(b *bytes.Buffer, s string) error {
	return xml.EscapeText(b, []byte(s))
}
