//go:build ignore

// Command gen writes the corpus messages that carry binary attachments
// (.docx, .pdf, .zip, a zip bomb, a .docx that is not a zip) so that their
// bytes are reproducible. Run it from the repository root:
//
//	go run testdata/corpus/gen/main.go testdata/corpus/gen/holdout.go -out testdata/corpus -att /tmp/corpus-att
//
// With -set holdout it writes the held-out messages of testdata/holdout
// that carry a .docx or a PDF instead (holdout.go):
//
//	go run testdata/corpus/gen/main.go testdata/corpus/gen/holdout.go -set holdout -out testdata/holdout
//
// With -att it also writes every attachment's decoded bytes to
// <att>/<message>/<name>, so that sizes and sha256 sums in the golden JSON
// files can be checked with sha256sum, independently of the extractor.
//
// The .docx files are stored (not deflated) so their bytes do not depend on
// the Go version's compressor; only the zip bomb is deflated.
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/base64"
	"flag"
	"fmt"
	"html"
	"io"
	"log"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

// fixed is the modification time written into every zip entry.
var fixed = time.Date(2027, 2, 12, 9, 30, 0, 0, time.UTC)

type part struct {
	name     string // attachment file name ("" for the text body)
	ctype    string // full Content-Type value
	disp     string // full Content-Disposition value ("" when name is set: derived)
	encoding string // "base64", "quoted-printable", "7bit"
	data     []byte
}

type message struct {
	file    string
	headers string // header block without the MIME headers, LF line ends
	parts   []part
	crlf    bool
}

func main() {
	out := flag.String("out", "testdata/corpus", "directory for the .eml files")
	att := flag.String("att", "", "if set, also write decoded attachments here")
	set := flag.String("set", "corpus", "which messages to write: corpus, or holdout (testdata/holdout, see holdout.go)")
	flag.Parse()
	msgs := messages()
	if *set == "holdout" {
		msgs = holdoutMessages()
	}
	for _, m := range msgs {
		raw := render(m)
		if err := os.WriteFile(filepath.Join(*out, m.file), raw, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s\t%d bytes\n", m.file, len(raw))
		if *att == "" {
			continue
		}
		dir := filepath.Join(*att, strings.TrimSuffix(m.file, ".eml"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		for _, p := range m.parts {
			if p.name == "" {
				continue
			}
			if err := os.WriteFile(filepath.Join(dir, p.name), p.data, 0o644); err != nil {
				log.Fatal(err)
			}
		}
	}
}

func render(m message) []byte {
	var b bytes.Buffer
	b.WriteString(m.headers)
	b.WriteString("MIME-Version: 1.0\n")
	boundary := "----=_Part_" + strings.TrimSuffix(filepath.Base(m.file), ".eml")
	b.WriteString("Content-Type: multipart/mixed;\n\tboundary=\"" + boundary + "\"\n\n")
	b.WriteString("This is a multi-part message in MIME format.\n\n")
	for _, p := range m.parts {
		b.WriteString("--" + boundary + "\n")
		b.WriteString("Content-Type: " + p.ctype + "\n")
		disp := p.disp
		if disp == "" && p.name != "" {
			disp = "attachment; filename=\"" + p.name + "\""
		}
		if disp != "" {
			b.WriteString("Content-Disposition: " + disp + "\n")
		}
		b.WriteString("Content-Transfer-Encoding: " + p.encoding + "\n\n")
		switch p.encoding {
		case "base64":
			s := base64.StdEncoding.EncodeToString(p.data)
			for len(s) > 76 {
				b.WriteString(s[:76] + "\n")
				s = s[76:]
			}
			b.WriteString(s + "\n")
		case "quoted-printable":
			var q bytes.Buffer
			w := quotedprintable.NewWriter(&q)
			w.Write(p.data)
			w.Close()
			// The writer emits CRLF; line ends are chosen once, below.
			b.Write(bytes.ReplaceAll(q.Bytes(), []byte("\r\n"), []byte("\n")))
			b.WriteString("\n")
		default:
			b.Write(p.data)
			if !bytes.HasSuffix(p.data, []byte("\n")) {
				b.WriteString("\n")
			}
		}
	}
	b.WriteString("--" + boundary + "--\n")
	raw := b.Bytes()
	if m.crlf {
		raw = bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))
	}
	return raw
}

const docxMIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// docx builds a minimal valid WordprocessingML package: paragraphs, a
// two-column label/value table, more paragraphs.
func docx(before []string, rows [][2]string, after []string) []byte {
	var d strings.Builder
	d.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	d.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	para := func(s string) {
		d.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + html.EscapeString(s) + `</w:t></w:r></w:p>`)
	}
	for _, p := range before {
		para(p)
	}
	if len(rows) > 0 {
		d.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
		for _, r := range rows {
			d.WriteString(`<w:tr>`)
			for _, c := range r {
				d.WriteString(`<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>`)
				para(c)
				d.WriteString(`</w:tc>`)
			}
			d.WriteString(`</w:tr>`)
		}
		d.WriteString(`</w:tbl>`)
	}
	for _, p := range after {
		para(p)
	}
	d.WriteString(`<w:sectPr/></w:body></w:document>`)
	return zipOf(zip.Store, map[string]string{"word/document.xml": d.String()})
}

// docxCells builds a .docx like docx, but each table cell may hold several
// paragraphs (a title wrapped in its cell) and a row may hold one cell (a
// heading row inside the table).
func docxCells(before []string, rows [][][]string, after []string) []byte {
	var d strings.Builder
	d.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	d.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	para := func(s string) {
		d.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + html.EscapeString(s) + `</w:t></w:r></w:p>`)
	}
	for _, p := range before {
		para(p)
	}
	d.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
	for _, r := range rows {
		d.WriteString(`<w:tr>`)
		for _, c := range r {
			d.WriteString(`<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>`)
			if len(c) == 0 {
				para("")
			}
			for _, p := range c {
				para(p)
			}
			d.WriteString(`</w:tc>`)
		}
		d.WriteString(`</w:tr>`)
	}
	d.WriteString(`</w:tbl>`)
	for _, p := range after {
		para(p)
	}
	d.WriteString(`<w:sectPr/></w:body></w:document>`)
	return zipOf(zip.Store, map[string]string{"word/document.xml": d.String()})
}

// pdfLines is a one-page PDF showing each line at its position (x, y in
// points from the bottom left), parentheses escaped.
func pdfLines(lines []pdftext.Line) []byte {
	esc := strings.NewReplacer(`(`, `\(`, `)`, `\)`)
	out := make([]pdftext.Line, len(lines))
	for i, l := range lines {
		out[i] = pdftext.Line{X: l.X, Y: l.Y, S: esc.Replace(l.S)}
	}
	return pdftext.Minimal(out)
}

func zipOf(method uint16, extra map[string]string) []byte {
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", extra["word/document.xml"]},
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, f := range files {
		w, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: method, Modified: fixed})
		if err != nil {
			log.Fatal(err)
		}
		io.WriteString(w, f.body)
	}
	if err := z.Close(); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}

// zipBomb is a valid .docx whose word/document.xml inflates to 64 MiB
// (one text run of spaces); the deflated package is about 65 KB.
func zipBomb() []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	z.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, f := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
	} {
		w, _ := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: fixed})
		io.WriteString(w, f.body)
	}
	w, _ := z.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, Modified: fixed})
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">LIAISON STATEMENT`)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 64; i++ {
		w.Write(chunk)
	}
	io.WriteString(w, `</w:t></w:r></w:p></w:body></w:document>`)
	z.Close()
	return b.Bytes()
}

// pdf is a small, well-formed one-page PDF showing one line of text.
func pdf(text string) []byte {
	content := fmt.Sprintf("BT /F1 11 Tf 72 720 Td (%s) Tj ET", strings.NewReplacer(`(`, `\(`, `)`, `\)`).Replace(text))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// plainZip is a zip archive of the given files (deflated at default level).
func plainZip(files [][2]string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, f := range files {
		w, _ := z.CreateHeader(&zip.FileHeader{Name: f[0], Method: zip.Store, Modified: fixed})
		io.WriteString(w, f[1])
	}
	z.Close()
	return b.Bytes()
}

func text(s string) part {
	return part{ctype: "text/plain; charset=utf-8; format=flowed", encoding: "7bit", data: []byte(s)}
}

// cp1252 encodes the few non-ASCII characters used below as windows-1252.
func cp1252(s string) []byte {
	r := strings.NewReplacer("\u201c", "\x93", "\u201d", "\x94", "\u2013", "\x96", "\u2019", "\x92", "é", "\xe9", "è", "\xe8", "€", "\x80")
	return []byte(r.Replace(s))
}

func messages() []message {
	ituRows := [][2]string{
		{"Question(s):", "14/15"},
		{"Source:", "ITU-T Study Group 15"},
		{"Title:", "LS on YANG models for OTN fault management"},
		{"Purpose:", "Action"},
		{"For action to:", "IETF CCAMP WG"},
		{"For information to:", "IETF NETMOD WG"},
		{"Approval:", "Agreed at ITU-T SG15 meeting (Geneva, 1-12 February 2027)"},
		{"Deadline:", "30 April 2027"},
		{"Contact:", "Ana Ribeiro, Rapporteur Q14/15, E-mail: ana.ribeiro@example.com"},
	}
	ituDocx := docx([]string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2025-2028",
		"SG15-LS52",
		"STUDY GROUP 15",
		"Original: English",
		"LIAISON STATEMENT",
	}, ituRows, []string{
		"ITU-T SG15 thanks IETF CCAMP for its progress on the OTN topology and tunnel YANG models.",
		"Q14/15 is developing G.875 amendment 1 on OTN fault management and would like to align the alarm and defect definitions with the IETF models.",
		"We kindly ask IETF CCAMP to review the attached list of defects (Annex A) and to indicate which of them are already covered by draft-ietf-ccamp-otn-topo-yang and its companions.",
		"We look forward to continued cooperation.",
	})

	sa3Docx := docx([]string{
		"3GPP TSG SA WG3 Meeting #130\tS3-270456",
		"Dallas, US, 15 - 19 February 2027",
	}, [][2]string{
		{"Title:", "LS on use of Certificate Transparency in 5G SBA"},
		{"Response to:", ""},
		{"Release:", "Rel-19"},
		{"Work Item:", "SBA_Sec_Ph3"},
		{"Source:", "SA WG3"},
		{"To:", "IETF LAMPS WG"},
		{"Cc:", "SA WG2, CT WG4"},
		{"Contact Person:", "Name: Priya Raman"},
		{"", "E-mail Address: priya.raman@example.com"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "None"},
	}, []string{
		"1. Overall Description:",
		"SA WG3 is studying the use of Certificate Transparency (RFC 9162) for NF certificates in the 5G Service Based Architecture. SA WG3 would like to understand whether IETF LAMPS considers precertificate logging suitable for short-lived operator-issued certificates.",
		"2. Actions:",
		"To IETF LAMPS WG.",
		"ACTION: SA WG3 kindly asks IETF LAMPS WG to provide feedback on the questions above.",
		"3. Date of Next TSG SA WG3 Meetings:",
		"TSG SA WG3 Meeting #131\t17 - 21 May 2027\tMaastricht, NL",
		"TSG SA WG3 Meeting #132\t16 - 20 August 2027\tGothenburg, SE",
	})

	ct4Docx := docx([]string{"3GPP TSG CT WG4 Meeting #128\tC4-275678", "Athens, GR, 22 - 26 February 2027"},
		[][2]string{{"Title:", "Reply LS on SRv6-based mobile user plane"}, {"Source:", "CT WG4"}},
		[]string{"See the cover sheet in the e-mail body."})
	ct4Zip := plainZip([][2]string{
		{"C4-275678/C4-275678.docx", string(ct4Docx)},
		{"C4-275678/Draft_CR_29244_SRv6.txt", "Draft CR 29.244 Rel-19: SRv6 SID allocation for PFCP sessions (plain text copy)\n"},
	})
	ct4PDF := pdf("C4-275678 Reply LS on SRv6-based mobile user plane")

	bbfPDF := pdf("LS BBF to IETF - TR-181 Issue 2 alignment with the IETF network management models")
	ieeePDF := pdf("IEEE 802.11 liaison to IETF 6MAN: IPv6 neighbor discovery over 802.11bh random MAC")
	isoZip := plainZip([][2]string{
		{"6N17512_LS_to_IETF.pdf", string(pdf("ISO/IEC JTC 1/SC 6 N17512 Liaison statement to IETF"))},
		{"6N17513_Draft_ISO-IEC_21558-4.pdf", string(pdf("ISO/IEC DIS 21558-4 Future Network architecture part 4"))},
	})
	notZip := []byte("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1><p>The requested document SG13-LS88.docx was not found on this server.</p></body></html>\n")

	// Issue 10: senders named only in a letterhead or signature, titles that
	// must end at their cell, row or heading, dates with ordinals inside
	// documents.
	ieeeLetter := docx([]string{
		"IEEE 802.1 Working Group",
		"IEEE 802 LAN/MAN Standards Committee",
		"1 June 2027",
		"To: IETF DetNet WG chairs",
		"Subject: Liaison on the DetNet YANG model and IEEE 802.1Qdj",
		"Dear DetNet chairs,",
		"Our working group has completed the first ballot of P802.1Qdj, which configures TSN streams through a central network controller. The draft reuses several groupings of the DetNet YANG model.",
		"We would appreciate your comments on the attached annex, which maps the DetNet flow attributes to IEEE 802.1Qdj stream parameters, before our September 2027 interim.",
		"Sincerely,",
		"Glenn Harper",
		"Chair, IEEE 802.1 Working Group",
	}, nil, nil)

	bbfDocx := docx([]string{
		"Broadband Forum",
		"LIAISON",
	}, [][2]string{
		{"Title", "Deterministic transport in converged access networks"},
		{"From", "BBF Wireless-Wireline Convergence Work Area"},
		{"To", "IETF DetNet WG"},
		{"For", "Action"},
		{"Response requested by", "June 3rd, 2027"},
		{"Contact", "Olivia Brandt, olivia.brandt@example.de"},
	}, []string{
		"The Broadband Forum is specifying deterministic transport for converged fixed and mobile access (WT-545). The work area asks the IETF DetNet WG whether the DetNet data plane over MPLS can carry the time-sensitive flows described in the attachment, and which open issues the WG sees.",
	})

	etsiPDF := pdfLines([]pdftext.Line{
		{X: 72, Y: 760, S: "ETSI TC CYBER"},
		{X: 72, Y: 744, S: "650 Route des Lucioles, F-06921 Sophia Antipolis Cedex, France"},
		{X: 72, Y: 712, S: "Title:"}, {X: 200, Y: 712, S: "Quantum-safe signatures in ETSI TS 119 312"},
		{X: 72, Y: 696, S: "To:"}, {X: 200, Y: 696, S: "IETF LAMPS WG"},
		{X: 72, Y: 660, S: "ETSI TC CYBER is revising TS 119 312 on cryptographic suites and intends to"},
		{X: 72, Y: 646, S: "reference ML-DSA certificates as profiled by the IETF LAMPS WG."},
		{X: 72, Y: 632, S: "Comments are requested by the 15th of September 2027."},
	})

	ituHeadingDocx := docxCells([]string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2025-2028",
		"SG15-LS83",
		"STUDY GROUP 15",
	}, [][][]string{
		{{"Question(s):"}, {"12/15"}},
		{{"Source:"}, {"ITU-T Study Group 15"}},
		{{"Title:"}, {"LS on management of flexible Ethernet groups"}},
		{{"LIAISON STATEMENT"}},
		{{"For action to:"}, {"IETF CCAMP WG"}},
		{{"For information to:"}, {"IETF NETMOD WG"}},
		{{"Approval:"}, {"Agreed at ITU-T SG15 meeting (Geneva, 2 April 2027)"}},
		{{"Deadline:"}, {"27 August 2027"}},
		{{"Contact:"}, {"Karin Holm", "Rapporteur Q12/15", "E-mail: karin.holm@example.se"}},
	}, []string{
		"ITU-T SG15 has agreed G.8023 Amendment 2 on FlexE group management and asks IETF CCAMP to consider the attached objects for the FlexE YANG model.",
	})

	gppAgendaDocx := docxCells([]string{
		"3GPP TSG SA WG2 Meeting #181\tS2-2705520",
		"Jeju, KR, 17 - 21 May 2027",
	}, [][][]string{
		{{"Title:"}, {"LS on DSCP marking for PDU Sets"}},
		{{"Agenda item:"}, {"8.4"}},
		{{"Response to:"}, {""}},
		{{"Release:"}, {"Rel-20"}},
		{{"Work Item:"}, {"XRM_Ph3"}},
		{{"Source:"}, {"SA WG2"}},
		{{"To:"}, {"IETF TSVWG"}},
		{{"Contact Person:"}, {"Name: Julien Martin", "E-mail Address: julien.martin@example.fr"}},
		{{"Send any reply LS to:"}, {"3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"}},
	}, []string{
		"1. Overall Description:",
		"SA WG2 proposes to signal PDU Set importance with DSCP values and asks whether the IETF sees an issue with using two code points of the Lower Effort class.",
		"2. Actions:",
		"To IETF TSVWG.",
		"ACTION: SA WG2 kindly asks IETF TSVWG to comment on the proposal.",
		"3. Date of Next TSG SA WG2 Meetings:",
		"SA2#182\t16 - 20 August 2027\tGoteborg, SE",
	})

	ituWrappedPDF := pdfLines([]pdftext.Line{
		{X: 72, Y: 770, S: "INTERNATIONAL TELECOMMUNICATION UNION"},
		{X: 430, Y: 770, S: "SG13-LS110"},
		{X: 72, Y: 756, S: "TELECOMMUNICATION STANDARDIZATION SECTOR"},
		{X: 72, Y: 730, S: "Source:"}, {X: 200, Y: 730, S: "ITU-T Study Group 13"},
		{X: 72, Y: 716, S: "Title:"}, {X: 200, Y: 716, S: "LS on deterministic networking requirements for"},
		{X: 200, Y: 702, S: "IMT-2030 fronthaul and midhaul"},
		{X: 72, Y: 680, S: "LIAISON STATEMENT"},
		{X: 72, Y: 660, S: "For comment to:"}, {X: 200, Y: 660, S: "IETF DetNet WG"},
		{X: 72, Y: 646, S: "Approval:"}, {X: 200, Y: 646, S: "Agreed at ITU-T SG13 meeting (Geneva, 4 May 2027)"},
		{X: 72, Y: 632, S: "Deadline:"}, {X: 200, Y: 632, S: "22 October 2027"},
		{X: 72, Y: 618, S: "Contact:"}, {X: 200, Y: 618, S: "Kwame Mensah, E-mail: kwame.mensah@example.gh"},
	})

	gppTwoParaTitleDocx := docxCells([]string{
		"3GPP TSG CT WG1 Meeting #149\tC1-274410",
		"Chicago, US, 24 - 28 May 2027",
	}, [][][]string{
		{{"Title:"}, {"Reply LS on DNS-based discovery of the", "edge application server"}},
		{{"Response to:"}, {"LS on edge DNS discovery (IETF ADD WG, LS-2027-0038)"}},
		{{"Release:"}, {"Rel-20"}},
		{{"Source:"}, {"CT WG1"}},
		{{"To:"}, {"IETF ADD WG"}},
		{{"Contact Person:"}, {"Name: Sara Lindgren", "E-mail Address: sara.lindgren@example.se"}},
		{{"Send any reply LS to:"}, {"3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"}},
	}, []string{
		"1. Overall Description:",
		"CT WG1 thanks the IETF ADD WG for its LS and confirms that the EAS discovery procedure uses DNR as the IETF suggested.",
		"2. Actions:",
		"To IETF ADD WG.",
		"ACTION: None.",
	})

	ieee11Ordinal := docx([]string{
		"IEEE 802.11 Working Group",
		"Liaison to the IETF 6MAN WG on IPv6 address assignment for 802.11bi",
		"Dear 6MAN chairs,",
		"IEEE 802.11 Task Group bi is specifying enhanced data privacy for stations and asks 6MAN whether DHCPv6 clients should change their DUID when the station changes its MAC address.",
		"Please reply by June 3rd, 2027, so that the answer can be considered at the July plenary.",
		"Regards,",
		"Rita Okafor",
		"Chair, IEEE 802.11 Working Group",
	}, nil, nil)

	oranOrdinalPDF := pdfLines([]pdftext.Line{
		{X: 72, Y: 770, S: "O-RAN ALLIANCE"},
		{X: 72, Y: 740, S: "Title: Synchronization plane requirements for O-RAN fronthaul"},
		{X: 72, Y: 726, S: "From: O-RAN ALLIANCE WG4 (Open Fronthaul Interfaces)"},
		{X: 72, Y: 712, S: "To: IETF DetNet WG"},
		{X: 72, Y: 690, S: "WG4 asks the IETF DetNet WG for comments on the attached synchronization"},
		{X: 72, Y: 676, S: "plane requirements. The deadline for comments is 3rd of July 2027."},
	})

	return []message{
		{
			file: "59-ieee8021-letterhead-docx.eml",
			headers: `Return-Path: <glenn.harper@example.com>
Received: from mail-qk1.example.com (mail-qk1.example.com [203.0.113.46])
	by mail.ietf.example (Postfix) with ESMTPS id 4ZlkRp7za9zK9
	for <statements@ietf.example>; Tue, 01 Jun 2027 20:03:55 +0200 (CEST)
From: Glenn Harper <glenn.harper@example.com>
To: statements@ietf.example
Cc: detnet-chairs@ietf.example
Subject: liaison letter
Date: Tue, 1 Jun 2027 11:03:49 -0700
Message-ID: <CAGH8021Qdj+liaison@mail.example.com>
`,
			parts: []part{
				text("Hi,\n\nplease see the attached letter.\n\nGlenn\n"),
				{name: "8021-liaison-detnet-yang.docx", ctype: docxMIME, encoding: "base64", data: ieeeLetter},
			},
		},
		{
			file: "62-bbf-letterhead-docx-table-no-colons.eml",
			crlf: true,
			headers: `Return-Path: <olivia.brandt@example.de>
Received: from mail.example.de (mail.example.de [198.51.100.61])
	by mail.ietf.example (Postfix) with ESMTPS id 4ZlmSq8ab0zL1
	for <statements@ietf.example>; Wed, 02 Jun 2027 12:44:21 +0200 (CEST)
From: Olivia Brandt <olivia.brandt@example.de>
To: statements@ietf.example
Cc: detnet-chairs@ietf.example
Subject: WWC deterministic transport
Date: Wed, 2 Jun 2027 10:44:16 +0000
Message-ID: <DU2PR03MB8899AABBCCDDEEFF@DU2PR03MB8899.eurprd03.prod.outlook.example>
`,
			parts: []part{
				text("Dear IETF colleagues,\n\nplease find our document attached.\n\nOlivia Brandt\n"),
				{name: "BBF-WWC-deterministic-transport.docx", ctype: docxMIME, encoding: "base64", data: bbfDocx},
			},
		},
		{
			file: "64-etsi-letterhead-pdf-ordinal.eml",
			headers: `Return-Path: <cyber-support@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4ZloTr9bc1zM2
	for <statements@ietf.example>; Thu, 03 Jun 2027 15:12:08 +0200 (CEST)
From: ETSI Secretariat <secretariat@etsi.org>
To: statements@ietf.example
Subject: Quantum-safe signatures in ETSI TS 119 312
Date: Thu, 3 Jun 2027 13:12:03 +0000
Message-ID: <etsi-ts119312-20270603131203@etsi.org>
`,
			parts: []part{
				text("Dear Sir or Madam,\n\nplease find the attached document.\n\nETSI Secretariat\n"),
				{name: "CYBER(27)052r1.pdf", ctype: "application/pdf", encoding: "base64", data: etsiPDF},
			},
		},
		{
			file: "66-itu-docx-heading-row-after-title.eml",
			headers: `Return-Path: <tsbsg15@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 4ZlqUs0cd2zN3
	for <statements@ietf.example>; Fri, 04 Jun 2027 09:01:40 +0200 (CEST)
From: TSB SG15 <tsbsg15@itu.int>
To: statements@ietf.example
Cc: ccamp-chairs@ietf.example
Subject: Liaison statement from ITU-T SG15 [SG15-LS83]
Date: Fri, 4 Jun 2027 07:01:35 +0000
Message-ID: <SG15-LS83-20270604070135@EXCH01.itu.int>
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease see the attached liaison statement from ITU-T Study Group 15.\n\nTSB Study Group 15 secretariat\n"),
				{name: "SG15-LS83.docx", ctype: docxMIME, encoding: "base64", data: ituHeadingDocx},
			},
		},
		{
			file: "67-3gpp-docx-agenda-row-after-title.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4ZlsVt1de3zP4
	for <statements@ietf.example>; Mon, 07 Jun 2027 16:30:12 +0200 (CEST)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: statements@ietf.example
Cc: tsvwg-chairs@ietf.example
Subject: 3GPP SA2 LS S2-2705520
Date: Mon, 7 Jun 2027 14:30:07 +0000
Message-ID: <S2-2705520.1780842607@etsi.org>
`,
			parts: []part{
				text("Dear IETF colleagues,\n\nplease see attached.\n\nKind regards,\n3GPP Liaisons Coordinator\n"),
				{name: "S2-2705520.docx", ctype: docxMIME, encoding: "base64", data: gppAgendaDocx},
			},
		},
		{
			file: "68-itu-pdf-wrapped-title-heading.eml",
			headers: `Return-Path: <tsbsg13@itu.int>
Received: from mx2.itu.int (mx2.itu.int [156.106.192.11])
	by mail.ietf.example (Postfix) with ESMTPS id 4ZluWv2ef4zQ5
	for <statements@ietf.example>; Tue, 08 Jun 2027 11:45:52 +0200 (CEST)
From: TSB SG13 <tsbsg13@itu.int>
To: statements@ietf.example
Cc: detnet-chairs@ietf.example
Subject: SG13-LS110
Date: Tue, 8 Jun 2027 09:45:47 +0000
Message-ID: <SG13-LS110-20270608094547@EXCH03.itu.int>
`,
			parts: []part{
				text("Dear colleagues,\n\nPlease find attached SG13-LS110.\n\nTSB Study Group 13 secretariat\n"),
				{name: "SG13-LS110.pdf", ctype: "application/pdf", encoding: "base64", data: ituWrappedPDF},
			},
		},
		{
			file: "69-3gpp-docx-title-two-paragraphs.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4ZlwXw3fg5zR6
	for <statements@ietf.example>; Wed, 09 Jun 2027 17:20:33 +0200 (CEST)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: statements@ietf.example
Subject: 3GPP CT1 LS C1-274410
Date: Wed, 9 Jun 2027 15:20:28 +0000
Message-ID: <C1-274410.1781018428@etsi.org>
`,
			parts: []part{
				text("Dear IETF colleagues,\n\nplease see attached.\n\nKind regards,\n3GPP Liaisons Coordinator\n"),
				{name: "C1-274410.docx", ctype: docxMIME, encoding: "base64", data: gppTwoParaTitleDocx},
			},
		},
		{
			file: "97-ieee80211-docx-ordinal-deadline.eml",
			headers: `Return-Path: <r.okafor@example.org>
Received: from mx.example.org (mx.example.org [198.51.100.14])
	by mail.ietf.example (Postfix) with ESMTPS id 4ZlyYx4gh6zS7
	for <statements@ietf.example>; Thu, 10 Jun 2027 18:02:47 +0200 (CEST)
From: Rita Okafor <r.okafor@example.org>
To: statements@ietf.example
Cc: 6man-chairs@ietf.example
Subject: IEEE 802.11 liaison to IETF 6MAN: IPv6 address assignment for 802.11bi
Date: Thu, 10 Jun 2027 09:02:42 -0700
Message-ID: <b2c3d4e5-f607-4819-a2b3-c4d5e6f70819@example.org>
`,
			parts: []part{
				text("Dear 6MAN chairs,\n\nThe attached liaison letter is sent on behalf of IEEE 802.11.\n\nRita\n"),
				{name: "11-27-0702-00-liaison-to-ietf-6man.docx", ctype: docxMIME, encoding: "base64", data: ieee11Ordinal},
			},
		},
		{
			file: "98-oran-pdf-ordinal-deadline.eml",
			headers: `Return-Path: <liaison@o-ran.org>
Received: from smtp.o-ran.org (smtp.o-ran.org [203.0.113.140])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zm0Zy5hi7zT8
	for <statements@ietf.example>; Fri, 11 Jun 2027 03:33:19 +0200 (CEST)
From: O-RAN ALLIANCE Liaison Office <liaison@o-ran.org>
To: statements@ietf.example
Subject: O-RAN liaison on synchronization plane requirements
Date: Fri, 11 Jun 2027 01:33:14 +0000
Message-ID: <20270611013314.5e2d0ffe@o-ran.org>
`,
			parts: []part{
				text("Dear IETF colleagues,\n\nPlease find attached a liaison statement from the O-RAN ALLIANCE.\n\nO-RAN ALLIANCE Liaison Office\n"),
				{name: "O-RAN-WG4-LS-2027-07.pdf", ctype: "application/pdf", encoding: "base64", data: oranOrdinalPDF},
			},
		},
		{
			file: "10-itu-docx-only-sg15.eml",
			crlf: true,
			headers: `Return-Path: <tsbsg15@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zq8k21XyPz6G3
	for <statements@ietf.example>; Mon, 15 Feb 2027 10:12:44 +0100 (CET)
Received: from EXCH02.itu.int (10.2.3.4) by EXCH01.itu.int (10.2.3.3)
	with Microsoft SMTP Server id 15.2.1544.4; Mon, 15 Feb 2027 10:12:40 +0100
From: TSB SG15 <tsbsg15@itu.int>
To: "statements@ietf.example" <statements@ietf.example>
Cc: ccamp-chairs@ietf.example, netmod-chairs@ietf.example
Subject: Liaison statement from ITU-T SG15 [SG15-LS52]
Date: Mon, 15 Feb 2027 09:12:38 +0000
Message-ID: <b5a3c0e2d9f44b6a9e1f0c7d2a4b8e11@EXCH02.itu.int>
Accept-Language: en-US
Content-Language: en-US
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease see the attached liaison statement from ITU-T Study Group 15.\n\nBest regards,\n\nTSB Study Group 15 secretariat\nInternational Telecommunication Union\nPlace des Nations, 1211 Geneva 20, Switzerland\n"),
				{name: "SG15-LS52.docx", ctype: docxMIME + "; name=\"SG15-LS52.docx\"", encoding: "base64", data: ituDocx},
			},
		},
		{
			file: "15-3gpp-docx-only-sa3.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zr0b7Kq1fz1X
	for <statements@ietf.example>; Tue, 23 Feb 2027 16:02:11 +0100 (CET)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: statements@ietf.example
Cc: lamps-chairs@ietf.example
Subject: 3GPP SA3 LS S3-270456
Date: Tue, 23 Feb 2027 15:02:05 +0000
Message-ID: <DB9PR06MB7321A0F4C1E2D33A6B5D1E77A2@DB9PR06MB7321.eurprd06.prod.outlook.example>
`,
			parts: []part{
				text("Dear IETF colleagues,\n\nplease see attached.\n\nKind regards,\n3GPP Liaisons Coordinator\nMCC / ETSI, 650 route des Lucioles, 06921 Sophia Antipolis, France\n"),
				{name: "S3-270456.docx", ctype: docxMIME, encoding: "base64", data: sa3Docx},
			},
		},
		{
			file: "13-3gpp-ct4-response-mixed.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zs1Tt3fPcz2Y
	for <statements@ietf.example>; Fri, 05 Mar 2027 11:40:02 +0100 (CET)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: statements@ietf.example
Cc: dmm@ietf.example
Subject: 3GPP CT4 Reply LS C4-275678 on SRv6-based mobile user plane
Date: Fri, 5 Mar 2027 10:39:51 +0000
Message-ID: <CT4-LS-C4-275678.20270305103951@etsi.org>
`,
			parts: []part{
				text(`3GPP TSG CT WG4 Meeting #128                                  C4-275678
Athens, GR, 22 - 26 February 2027

Title:          Reply LS on SRv6-based mobile user plane
Response to:    LS on SRv6-based mobile user plane (IETF DMM WG, LS-2026-0042)
Release:        Rel-19
Work Item:      5G_SRv6
Source:         CT WG4
To:             IETF DMM WG
Cc:             SA WG2, CT WG3
Contact Person:
    Name:           Luca Bianchi
    E-mail Address: luca.bianchi@example.net
Send any reply LS to:  3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org
Attachments:    C4-275678.zip, C4-275678.pdf

1. Overall Description:
CT WG4 thanks IETF DMM WG for its LS on SRv6-based mobile user plane.
CT WG4 has agreed a draft CR to TS 29.244 (attached) that allows the SMF to
allocate SRv6 SIDs per PFCP session, and confirms that no change to the
N4 information model is needed for the End.M.GTP6.D behaviour.

2. Actions:
To IETF DMM WG.
ACTION: None.

3. Date of Next TSG CT WG4 Meetings:
CT4#129     12 - 16 April 2027     Changsha, CN
CT4#130     24 - 28 May 2027       Fukuoka, JP
`),
				{name: "C4-275678.zip", ctype: "application/x-zip-compressed; name=\"C4-275678.zip\"", encoding: "base64", data: ct4Zip},
				{name: "C4-275678.pdf", ctype: "application/pdf; name=\"C4-275678.pdf\"", encoding: "base64", data: ct4PDF},
			},
		},
		{
			file: "24-bbf-rfc2231-filename.eml",
			crlf: true,
			headers: `Return-Path: <liaisons@broadband-forum.org>
Received: from smtp.broadband-forum.org (smtp.broadband-forum.org [198.51.100.25])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zt9aa1Bz3z7
	for <statements@ietf.example>; Wed, 10 Mar 2027 18:20:33 +0100 (CET)
From: =?UTF-8?Q?Ren=C3=A9e_Dubois?= <liaisons@broadband-forum.org>
To: statements@ietf.example
Cc: opsawg@ietf.example
Subject: LS from BBF to IETF OPSAWG on TR-181 Issue 2 alignment
Date: Wed, 10 Mar 2027 12:20:29 -0500
Message-ID: <0f7c1e5a-33d2-4b8e-9a61-5d0e2b7c9f10@broadband-forum.org>
User-Agent: Mozilla Thunderbird
`,
			parts: []part{
				text(`Dear IETF OPSAWG chairs,

Please find attached an LS from the Broadband Forum to the IETF OPSAWG on
the alignment of TR-181 Issue 2 with the IETF network management YANG
models, for comment. Comments are requested by Monday, 31 May 2027, so
that they can be considered at the BBF Q2 meeting.

Technical contact: Kenji Sato <kenji.sato@example.org>

Best regards,
Renée Dubois
BBF Liaison Manager
`),
				{
					name:     "LS BBF to IETF – TR-181 Issue 2.pdf",
					ctype:    "application/pdf",
					disp:     "attachment; filename*=UTF-8''LS%20BBF%20to%20IETF%20%E2%80%93%20TR-181%20Issue%202.pdf",
					encoding: "base64",
					data:     bbfPDF,
				},
			},
		},
		{
			file: "16-ieee80211-prose-midmay.eml",
			headers: `Return-Path: <dorothy.stanley@example.com>
Received: from mail-ej1.example.com (mail-ej1.example.com [203.0.113.45])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zv2pQ0mM9z8
	for <statements@ietf.example>; Thu, 18 Mar 2027 02:14:07 +0100 (CET)
From: Dorothy Stanley <dorothy.stanley@example.com>
To: statements@ietf.example, 6man-chairs@ietf.example
Cc: "Adrian Vance (IEEE 802.11 WG Chair)" <adrian.vance@example.com>
Subject: IEEE 802.11 LS to IETF 6MAN: IPv6 ND with randomized MAC addresses
Date: Wed, 17 Mar 2027 18:14:01 -0700
Message-ID: <CAF+9zQp3v0kRnd0mMacLs8021bh@mail.example.com>
`,
			parts: []part{
				text(`Dear 6MAN chairs,

Please find attached an LS from IEEE 802.11 to the IETF 6MAN WG on IPv6
neighbor discovery with randomized and changing MAC addresses (IEEE 802.11bh),
for action. A reply is requested by mid-May 2027, before the IEEE 802.11
interim in Warsaw.

IEEE document: 11-27/0321r0

Regards,
Dorothy Stanley
IEEE 802.11 liaison to IETF
`),
				{name: "11-27-0321-00-0000-liaison-to-ietf-6man.pdf", ctype: "application/pdf", encoding: "base64", data: ieeePDF},
			},
		},
		{
			file: "19-iso-sc6-cp1252-zip.eml",
			crlf: true,
			headers: `Return-Path: <sc6-secretariat@iso.org>
Received: from mx.iso.org (mx.iso.org [192.0.2.77])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zw7Pc2bK0z9
	for <statements@ietf.example>; Mon, 22 Mar 2027 08:05:55 +0100 (CET)
From: ISO/IEC JTC 1/SC 6 Secretariat <sc6-secretariat@iso.org>
To: statements@ietf.example
Subject: ISO/IEC JTC 1/SC 6 N17512 - Liaison statement to IETF on Future Network architecture
Date: Mon, 22 Mar 2027 16:05:49 +0900
Message-ID: <20270322070549.A11F2C0042@mx.iso.org>
X-Mailer: Microsoft Outlook 16.0
`,
			parts: []part{
				{ctype: "text/plain; charset=\"windows-1252\"", encoding: "quoted-printable", data: cp1252(
					"Dear IETF colleagues,\n\n" +
						"Please find attached the liaison statement from ISO/IEC JTC 1/SC 6 to the IETF\n" +
						"(document 6N17512) on the \u201cFuture Network \u2013 architecture part 4\u201d project, for information.\n" +
						"SC 6 also shares the current draft of ISO/IEC DIS 21558-4 for the IETF\u2019s awareness.\n\n" +
						"No reply is expected.\n\n" +
						"Best regards,\n" +
						"Hélène Park\n" +
						"ISO/IEC JTC 1/SC 6 Secretariat\n")},
				{name: "6N17512.zip", ctype: "application/zip", encoding: "base64", data: isoZip},
			},
		},
		{
			file: "48-bad-docx-not-zip.eml",
			headers: `Return-Path: <tsbsg13@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zx0Aa7cC2zB
	for <statements@ietf.example>; Thu, 25 Mar 2027 14:31:09 +0100 (CET)
From: TSB SG13 <tsbsg13@itu.int>
To: statements@ietf.example
Cc: pce@ietf.example
Subject: LS from ITU-T SG13 to IETF PCE WG on path computation for IMT-2030 transport [SG13-LS88]
Date: Thu, 25 Mar 2027 13:31:02 +0000
Message-ID: <a8f0e6d4c2b14f3e8d7c6b5a49382716@EXCH03.itu.int>
`,
			parts: []part{
				text("Dear colleagues,\n\nPlease find attached an LS from ITU-T SG13 to the IETF PCE WG on path computation\nfor IMT-2030 transport networks, for information.\n\nBest regards,\nTSB Study Group 13 secretariat\n"),
				{name: "SG13-LS88.docx", ctype: docxMIME, encoding: "base64", data: notZip},
			},
		},
		{
			file: "49-bad-docx-zipbomb.eml",
			headers: `Return-Path: <cyber-support@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4Zx5Qq8dD3zC
	for <statements@ietf.example>; Fri, 26 Mar 2027 09:44:40 +0100 (CET)
From: ETSI TC CYBER Support <cyber-support@etsi.org>
To: statements@ietf.example
Cc: lamps@ietf.example
Subject: LS from ETSI TC CYBER to IETF LAMPS on quantum-safe hybrid key exchange (CYBER(27)012)
Date: Fri, 26 Mar 2027 08:44:33 +0000
Message-ID: <etsi-cyber-27-012.1774514673@etsi.org>
`,
			parts: []part{
				text("Dear IETF LAMPS chairs,\n\nPlease find attached an LS from ETSI TC CYBER to the IETF LAMPS WG on quantum-safe\nhybrid key exchange, for information.\n\nKind regards,\nETSI TC CYBER Support\n"),
				{name: "CYBER(27)012_LS_to_IETF_LAMPS.docx", ctype: docxMIME, encoding: "base64", data: zipBomb()},
			},
		},
	}
}
