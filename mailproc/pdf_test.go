package mailproc

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

func pdfMessage(pdf []byte) []byte {
	var b strings.Builder
	b.WriteString("From: IEEE 802.1 Liaison <liaison@ieee.org>\r\nTo: statements@ietf.example\r\nSubject: Liaison to IETF DetNet\r\n")
	b.WriteString("Message-ID: <pdf-1@ieee.org>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n--p\r\nContent-Type: text/plain\r\n\r\nPlease see the attached liaison.\r\n")
	b.WriteString("--p\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"liaison-802-1.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	b.WriteString(base64.StdEncoding.EncodeToString(pdf))
	b.WriteString("\r\n--p--\r\n")
	return []byte(b.String())
}

func TestCoverSheetInPDF(t *testing.T) {
	doc := pdftext.Minimal([]pdftext.Line{
		{X: 72, Y: 740, S: "LIAISON STATEMENT"},
		{X: 72, Y: 700, S: "Source:"}, {X: 200, Y: 700, S: "IEEE 802.1 Working Group"},
		{X: 72, Y: 680, S: "Title:"}, {X: 200, Y: 680, S: "Liaison on TSN profiles for DetNet"},
		{X: 72, Y: 660, S: "For action to:"}, {X: 200, Y: 660, S: "IETF DetNet WG"},
		{X: 72, Y: 640, S: "Deadline:"}, {X: 200, Y: 640, S: "30 April 2027"},
	})
	// The daemon reads PDFs in a sandboxed child; a safe in-process reader
	// stands in here (the sandbox has its own tests in pdftext).
	read := func(b []byte) (string, error) { return pdftext.Text(b, pdftext.Limits{}) }
	x := Parse(pdfMessage(doc), Options{PDFText: read})
	if x.Kind != "statement" || x.Title != "Liaison on TSN profiles for DetNet" || x.Deadline.String() != "2027-04-30" || x.Purpose != "action" {
		t.Fatalf("kind %s title %q deadline %s purpose %s problems %v", x.Kind, x.Title, x.Deadline, x.Purpose, x.Problems)
	}
	if src := x.Sources["deadline"]; src.Where != "pdf" || !strings.Contains(src.Detail, "liaison-802-1.pdf") {
		t.Errorf("deadline source = %+v", src)
	}
	// Without a reader the PDF is only an attachment.
	if x := Parse(pdfMessage(doc), Options{}); x.Deadline.String() == "2027-04-30" {
		t.Errorf("PDF read without a reader: %+v", x)
	}
}
