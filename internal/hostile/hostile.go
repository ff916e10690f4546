// Package hostile generates hostile and broken mail for the robustness
// tests and benchmarks, so that no large or dangerous file lives in git:
// enormous headers, broken and absurdly deep or wide MIME trees, zip bombs
// and billion-laughs documents, script and path-traversal names, NUL bytes
// and raw 8-bit headers, and PDFs that make a reader loop forever.
//
// Every message has a distinct Message-ID and says what it is in its
// Subject ("hostile <kind> <n>").
package hostile

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

// Message is one generated message.
type Message struct {
	// Kind names the attack ("enormous-header", "zip-bomb", ...).
	Kind string
	Raw  []byte
}

// Sizes sets how large the large attacks are.
type Sizes struct {
	Header int // bytes of one folded header field (EnormousHeader)
	Fields int // header fields (HeaderFlood)
	Depth  int // nested multiparts (DeepNesting)
	Parts  int // sibling parts (WideTree)
	Line   int // bytes of one base64 line (EndlessBase64Line)
	PDFs   int // looping PDFs in one message (LoopingPDFs)
	Bomb   int // bytes the zip bomb inflates to (ZipBomb)
}

// Full are sizes far above every limit of the parser (a 4 MiB header
// field, 200,000 fields, 5,000 levels, 10,000 parts, a 6 MiB line, 20
// PDFs, a 1 GiB bomb). Quick stay above every limit at a fraction of the
// cost, for tests run under the race detector.
var (
	Full  = Sizes{Header: 4 << 20, Fields: 200000, Depth: 5000, Parts: 10000, Line: 6 << 20, PDFs: 20, Bomb: 1 << 30}
	Quick = Sizes{Header: 1200 << 10, Fields: 5000, Depth: 100, Parts: 800, Line: 1 << 20, PDFs: 5, Bomb: 24 << 20}
)

// All returns one message of every kind, numbered from n (for distinct
// Message-IDs), at the given sizes. At Full the largest is about 6 MB.
func All(n int, sz Sizes) []Message {
	gens := []struct {
		kind string
		gen  func(int) []byte
	}{
		{"enormous-header", func(i int) []byte { return EnormousHeader(i, sz.Header) }},
		{"header-flood", func(i int) []byte { return HeaderFlood(i, sz.Fields) }},
		{"giant-message-id", func(i int) []byte { return GiantMessageID(i, 40000) }},
		{"broken-mime", BrokenMIME},
		{"deep-nesting", func(i int) []byte { return DeepNesting(i, sz.Depth) }},
		{"wide-tree", func(i int) []byte { return WideTree(i, sz.Parts) }},
		{"zip-bomb", func(i int) []byte { return ZipBomb(i, sz.Bomb) }},
		{"billion-laughs", BillionLaughs},
		{"script-and-traversal", ScriptAndTraversal},
		{"nul-and-8bit", NULAnd8Bit},
		{"endless-base64-line", func(i int) []byte { return EndlessBase64Line(i, sz.Line) }},
		{"looping-pdfs", func(i int) []byte { return LoopingPDFs(i, sz.PDFs) }},
	}
	out := make([]Message, len(gens))
	for i, g := range gens {
		out[i] = Message{Kind: g.kind, Raw: g.gen(n + i)}
	}
	return out
}

// header returns the usual top header lines of message n of kind, without
// the blank line.
func header(n int, kind, extra string) string {
	return fmt.Sprintf("From: Mallory <mallory@attacker.example>\r\nTo: statements@ietf.example\r\n"+
		"Subject: hostile %s %d\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <hostile-%d-%s@attacker.example>\r\nMIME-Version: 1.0\r\n%s",
		kind, n, n, kind, extra)
}

// EnormousHeader has one header field of size bytes, folded into 78-byte
// lines: a header block far above any sane limit.
func EnormousHeader(n, size int) []byte {
	var b bytes.Buffer
	b.WriteString(header(n, "enormous-header", ""))
	b.WriteString("X-Padding: ")
	line := strings.Repeat("A", 76)
	for b.Len() < size {
		b.WriteString(line + "\r\n ")
	}
	b.WriteString("end\r\nContent-Type: text/plain\r\n\r\nThe header above is enormous.\r\n")
	return b.Bytes()
}

// GiantMessageID has a Message-ID of size bytes (RFC 5322 caps a line at
// 998), larger than a database key may be.
func GiantMessageID(n, size int) []byte {
	id := fmt.Sprintf("giant-%d-%s@attacker.example", n, strings.Repeat("x", size))
	return []byte(fmt.Sprintf("From: Mallory <mallory@attacker.example>\r\nTo: statements@ietf.example\r\n"+
		"Subject: hostile giant-message-id %d\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <%s>\r\n"+
		"Content-Type: text/plain\r\n\r\nLS from ITU-T SG15 to IETF CCAMP, for action.\r\n", n, id))
}

// HeaderFlood has fields short header fields.
func HeaderFlood(n, fields int) []byte {
	var b bytes.Buffer
	b.WriteString(header(n, "header-flood", ""))
	for i := 0; i < fields; i++ {
		fmt.Fprintf(&b, "X-Flood-%d: %d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nToo many header fields above.\r\n")
	return b.Bytes()
}

// BrokenMIME has a multipart whose boundary never closes, a nested part
// reusing the outer boundary, a header line without a colon, base64 that
// is not, and a Content-Type with broken parameters.
func BrokenMIME(n int) []byte {
	var b bytes.Buffer
	b.WriteString(header(n, "broken-mime", "Content-Type: multipart/mixed; boundary=\"X\"\r\n\r\n"))
	b.WriteString("--X\r\nContent-Type: multipart/alternative; boundary=\"X\"\r\n\r\n--X\r\n")
	b.WriteString("this line has no colon\r\nContent-Type: text/plain; charset=\"utf-8; format=\r\n\r\nhalf a part\r\n")
	b.WriteString("--X\r\nContent-Type: application/octet-stream; name==?utf-8?q?broken\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	b.WriteString("!!!! not base64 at all ####\r\n====\r\n--X\r\nContent-Type: message/rfc822\r\n\r\nFrom: \r\nSubject\r\n\r\n")
	b.WriteString("--X-\r\n--Y--\r\n")
	return b.Bytes()
}

// DeepNesting nests depth multiparts inside each other.
func DeepNesting(n, depth int) []byte {
	var b bytes.Buffer
	b.WriteString(header(n, "deep-nesting", "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n"))
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i, i+1)
	}
	fmt.Fprintf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\nthe bottom\r\n", depth)
	for i := depth; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.Bytes()
}

// WideTree has parts sibling parts.
func WideTree(n, parts int) []byte {
	var b bytes.Buffer
	b.WriteString(header(n, "wide-tree", "Content-Type: multipart/mixed; boundary=\"w\"\r\n\r\n"))
	for i := 0; i < parts; i++ {
		fmt.Fprintf(&b, "--w\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i)
	}
	b.WriteString("--w--\r\n")
	return b.Bytes()
}

// attach returns a MIME message with a short text part and one base64
// attachment.
func attach(n int, kind, text, name, ctype string, data []byte) []byte {
	var b bytes.Buffer
	b.WriteString(header(n, kind, "Content-Type: multipart/mixed; boundary=\"a\"\r\n\r\n"))
	fmt.Fprintf(&b, "--a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", text)
	fmt.Fprintf(&b, "--a\r\nContent-Type: %s\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", ctype, name)
	writeBase64(&b, data)
	b.WriteString("--a--\r\n")
	return b.Bytes()
}

func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// docx zips files into a .docx archive.
func docx(files map[string][]byte) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := z.Create(name)
		_, _ = w.Write(files[name])
	}
	_ = z.Close()
	return buf.Bytes()
}

// ZipBomb attaches a .docx whose document.xml inflates to size bytes from
// a thousandth of that.
func ZipBomb(n, size int) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("word/document.xml")
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for left := size; left > 0; left -= len(chunk) {
		_, _ = w.Write(chunk[:min(left, len(chunk))])
	}
	_ = z.Close()
	return attach(n, "zip-bomb", "Please find the LS attached.", "LS.docx", docxType, buf.Bytes())
}

// BillionLaughs attaches a .docx whose XML defines nested entities that
// expand to gigabytes.
func BillionLaughs(n int) []byte {
	var x strings.Builder
	x.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		cur := fmt.Sprintf("lol%d", i)
		fmt.Fprintf(&x, `<!ENTITY %s "%s">`, cur, strings.Repeat("&"+prev+";", 10))
		prev = cur
	}
	x.WriteString(`]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`)
	d := docx(map[string][]byte{"[Content_Types].xml": []byte(`<?xml version="1.0"?><Types/>`), "word/document.xml": []byte(x.String())})
	return attach(n, "billion-laughs", "Please find the LS attached.", "LS.docx", docxType, d)
}

// ScriptAndTraversal carries script in the subject, display name and body
// and an attachment named to escape a directory.
func ScriptAndTraversal(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: \"<script>alert(1)</script>\" <mallory@attacker.example>\r\nTo: statements@ietf.example\r\n"+
		"Subject: hostile script-and-traversal %d <img src=x onerror=alert(1)>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\n"+
		"Message-ID: <hostile-%d-script@attacker.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"s\"\r\n\r\n", n, n)
	b.WriteString("--s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p onclick=\"alert(1)\">Title: <script>document.location='//evil'</script></p>\r\n")
	b.WriteString("--s\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"../../../../etc/cron.d/evil\"\r\n\r\n* * * * * root rm -rf /\r\n--s--\r\n")
	return b.Bytes()
}

// NULAnd8Bit has NUL bytes, bare CRs and invalid UTF-8 in its header and
// body.
func NULAnd8Bit(n int) []byte {
	return []byte(fmt.Sprintf("From: \xff\xfe\x00 <ma\x00llory@attacker.example>\r\nTo: statements@ietf.example\r\n"+
		"Subject: hostile nul-and-8bit %d \xc3\x28\x00\rsplit\r\nMessage-ID: <hostile-%d-nul@attacker.example>\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\nbody \x00\x00 with \xe2\x82 broken \r bytes\r\n", n, n))
}

// EndlessBase64Line has an attachment encoded as one base64 line of size
// bytes.
func EndlessBase64Line(n, size int) []byte {
	var b bytes.Buffer
	b.WriteString(header(n, "endless-base64-line", "Content-Type: multipart/mixed; boundary=\"e\"\r\n\r\n"))
	b.WriteString("--e\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--e\r\nContent-Type: application/octet-stream\r\n")
	b.WriteString("Content-Disposition: attachment; filename=\"blob.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	b.WriteString(strings.Repeat("QUJD", size/4))
	b.WriteString("\r\n--e--\r\n")
	return b.Bytes()
}

// LoopingPDFs attaches count PDFs whose page tree points back at itself,
// which makes a naive PDF reader loop forever.
func LoopingPDFs(n, count int) []byte {
	var b bytes.Buffer
	b.WriteString(header(n, "looping-pdfs", "Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n"))
	b.WriteString("--p\r\nContent-Type: text/plain\r\n\r\nPlease find the annexes attached.\r\n")
	for i := 0; i < count; i++ {
		fmt.Fprintf(&b, "--p\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"annex-%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i)
		writeBase64(&b, LoopingPDF(i))
	}
	b.WriteString("--p--\r\n")
	return b.Bytes()
}

// LoopingPDF is a small PDF whose page tree's Kids point back at the page
// tree itself; i makes its text distinct.
func LoopingPDF(i int) []byte {
	pdf := pdftext.Minimal([]pdftext.Line{{X: 72, Y: 700, S: fmt.Sprintf("Annex %d", i)}})
	// Of the same length, so the cross-reference table stays right.
	return bytes.Replace(pdf, []byte("/Kids [3 0 R]"), []byte("/Kids [2 0 R]"), 1)
}
