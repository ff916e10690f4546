// Package samplemail generates realistic, distinct liaison statements for
// benchmarks and load tests: an ITU-T style cover sheet in the body, about
// 45 KB of text, and a .docx attachment carrying the same cover sheet, for
// a message of about 60 KB.
package samplemail

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

var orgs = []struct{ name, group, domain string }{
	{"ITU-T Study Group 15", "CCAMP", "itu.int"},
	{"ITU-T Study Group 13", "TEAS", "itu.int"},
	{"3GPP TSG SA WG2", "DMM", "3gpp.org"},
	{"IEEE 802.1", "DETNET", "ieee.org"},
	{"Broadband Forum", "OPSAWG", "broadband-forum.org"},
	{"MEF", "OPSAWG", "mef.net"},
}

const paragraph = "The study group reviewed the contributions on the alignment of the information models and agreed that further " +
	"coordination with the IETF is needed before the Recommendation can be consented. In particular the handling of " +
	"the transport network slice identifiers, the topology abstraction levels and the notification rate limits differ " +
	"between the two models, and implementers have asked for a single consistent approach.\n\n"

// Statement returns statement number n (distinct Message-ID, title and
// attachment for every n). size is the approximate size of the body text in
// bytes; docx adds a cover-sheet attachment.
func Statement(n int, size int, docx bool) []byte {
	o := orgs[n%len(orgs)]
	title := fmt.Sprintf("LS on information model alignment, item %d", n)
	var body strings.Builder
	fmt.Fprintf(&body, "LIAISON STATEMENT\r\n\r\nSource:         %s\r\nTitle:          %s\r\nFor action to:  IETF %s WG\r\n", o.name, title, o.group)
	fmt.Fprintf(&body, "Deadline:       %d March 2027\r\nContact:        Rapporteur %d <rapporteur%d@example.net>\r\n\r\n", 1+n%28, n, n)
	for body.Len() < size {
		body.WriteString(strings.ReplaceAll(paragraph, "\n", "\r\n"))
	}
	var b bytes.Buffer
	boundary := fmt.Sprintf("=_liaison_%d", n)
	fmt.Fprintf(&b, "From: \"%s\" <secretariat@%s>\r\nTo: statements@ietf.example\r\n", o.name, o.domain)
	fmt.Fprintf(&b, "Subject: LS from %s to IETF %s: %s (for action)\r\n", o.name, o.group, title)
	fmt.Fprintf(&b, "Date: Mon, 23 Nov 2026 09:%02d:%02d +0100\r\nMessage-ID: <bench-%d@%s>\r\nMIME-Version: 1.0\r\n", n/60%60, n%60, n, o.domain)
	if !docx {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
		b.WriteString(body.String())
		return b.Bytes()
	}
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", boundary, boundary)
	b.WriteString(body.String())
	fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n", boundary)
	fmt.Fprintf(&b, "Content-Disposition: attachment; filename=\"LS-%d.docx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", n)
	enc := base64.StdEncoding.EncodeToString(Docx(o.name, title, o.group, n))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--" + boundary + "--\r\n")
	return b.Bytes()
}

// Docx builds a minimal .docx whose document is a cover-sheet table.
func Docx(source, title, group string, n int) []byte {
	row := func(k, v string) string {
		return `<w:tr><w:tc><w:p><w:r><w:t>` + k + `</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>` + v + `</w:t></w:r></w:p></w:tc></w:tr>`
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>LIAISON STATEMENT</w:t></w:r></w:p><w:tbl>` +
		row("Source:", source) + row("Title:", title) + row("For action to:", "IETF "+group+" WG") +
		row("Deadline:", fmt.Sprintf("%d March 2027", 1+n%28)) + `</w:tbl>` +
		strings.Repeat(`<w:p><w:r><w:t>`+strings.TrimSpace(paragraph)+`</w:t></w:r></w:p>`, 8) +
		`</w:body></w:document>`
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", doc},
	}
	for _, f := range files {
		w, _ := z.Create(f.name)
		_, _ = w.Write([]byte(f.body))
	}
	_ = z.Close()
	return buf.Bytes()
}

// Big returns statement number n padded to about size bytes with an
// attached annex of incompressible bytes (a scanned PDF, as large annexes
// are), for memory benchmarks. The annex is base64 in 76-character lines,
// so the message is size bytes within a line or two.
func Big(n, size int) []byte {
	head := Statement(n, 4000, false)
	hdr, body, _ := bytes.Cut(head, []byte("\r\n\r\n"))
	hdr = bytes.Replace(hdr, []byte("Content-Type: text/plain; charset=utf-8"), nil, 1)
	hdr = bytes.TrimRight(hdr, "\r\n")
	var b bytes.Buffer
	b.Grow(size + 4096)
	boundary := fmt.Sprintf("=_annex_%d", n)
	b.Write(hdr)
	fmt.Fprintf(&b, "\r\nContent-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", boundary, boundary)
	b.Write(body)
	fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"LS-%d-annex.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary, n)
	trailer := "\r\n--" + boundary + "--\r\n"
	// 57 raw bytes make one 76-character base64 line plus CRLF (78 bytes).
	lines := max((size-b.Len()-len(trailer))/78, 1)
	raw := make([]byte, 57)
	line := make([]byte, 76)
	x := uint64(n)*0x9E3779B97F4A7C15 + 1
	for i := 0; i < lines; i++ {
		for j := range raw {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			raw[j] = byte(x)
		}
		base64.StdEncoding.Encode(line, raw)
		b.Write(line)
		b.WriteString("\r\n")
	}
	b.WriteString(trailer[2:])
	return b.Bytes()
}
