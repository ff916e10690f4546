package outgoing

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/internal/testsvc"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/mailproc/docx"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

// sample is one statement per format, as a manager would draft it.
type sample struct {
	format config.SheetFormat
	rec    *liaison.Record
}

func samples(t *testing.T) []sample {
	t.Helper()
	cfg := loadConfig(t)
	at := now.Add(26 * time.Hour)
	approve := func(rec *liaison.Record, by, consensus string) *liaison.Record {
		if _, err := Approve(cfg, rec, by, consensus, at); err != nil {
			t.Fatal(err)
		}
		return rec
	}
	sg15 := incoming(t, cfg, "06-itu-sg15-text-action.eml", "LS-2027-0005")
	sa2 := incoming(t, cfg, "12-3gpp-sa2-text-action.eml", "LS-2027-0007")
	itu := draft(t, cfg, Request{
		FromGroups: []string{"ccamp", "teas"}, Purpose: liaison.PurposeAction,
		Deadline: liaison.Date{Year: 2027, Month: time.June, Day: 30},
		Body: "CCAMP and TEAS thank ITU-T SG15 for its liaison statement on OTN slicing.\n\n" +
			"The IETF network slice service model (RFC 9543) can be used for OTN slices\n" +
			"without extension; the TE topology models need one augmentation, described\n" +
			"in the attached draft. We would welcome Q12/15's review of section 4.",
		Contacts:    []liaison.Contact{{Name: "Daniele Ceccarelli", Email: "ccamp-chair@example.org"}, {Name: "Jörg Müller", Email: "teas-chair@example.org"}},
		Attachments: []liaison.Attachment{{Name: "draft-ietf-ccamp-otn-slice-yang-03.pdf", ContentType: "application/pdf", Size: 81234}},
	}, sg15)
	approve(itu, "ccamp-chair@example.org", "https://mailarchive.example/ccamp/consensus-otn-slicing")
	approve(itu, "teas-chair@example.org", "TEAS session minutes, IETF 128")

	gpp := draft(t, cfg, Request{
		FromGroups: []string{"dmm"}, Release: "Rel-19", WorkItem: "FS_DMM_5G",
		Body: "DMM thanks SA WG2 for its questions.\n\n" +
			"A1: Yes. Route Information Options with a shorter lifetime let the UE move\n" +
			"traffic to the new anchor first (RFC 4191).\n" +
			"A2: No issue: a PIO with a zero preferred lifetime deprecates the prefix\n" +
			"while existing flows continue (RFC 4862).",
		Contacts: []liaison.Contact{{Name: "Sri Gundavelli", Email: "dmm-chair@example.org"}},
	}, sa2)
	approve(gpp, "dmm-chair@example.org", "https://mailarchive.example/dmm/sa2-reply-consensus")

	ieee := draft(t, cfg, Request{
		Org: "ieee-802-1", FromGroups: []string{"detnet"}, Purpose: liaison.PurposeComment,
		Deadline: liaison.Date{Year: 2027, Month: time.May, Day: 15},
		Title:    "LS on DetNet bounded latency over TSN sub-networks",
		Body: "DetNet has adopted draft-ietf-detnet-bounded-latency-tsn, which relies on\n" +
			"IEEE 802.1Qcr asynchronous traffic shaping. We would value 802.1's comments\n" +
			"on section 5, in particular on the per-hop delay bounds.",
		Addressees: []string{"TSN TG"},
		Contacts:   []liaison.Contact{{Name: "Lou Berger", Email: "detnet-chair@example.org"}},
	}, nil)

	plain := draft(t, cfg, Request{
		Org: "bbf", FromGroups: []string{"opsawg"}, Purpose: liaison.PurposeInfo,
		Title: "LS on the publication of RFC 9999 (YANG model for network inventory)",
		Body:  "OPSAWG informs the Broadband Forum that RFC 9999 has been published.\nNo action is requested.",
		Cc:    []string{"MEF"},
	}, nil)
	return []sample{{config.FormatITU, itu}, {config.Format3GPP, gpp}, {config.FormatIEEE, ieee}, {config.FormatPlain, plain}}
}

// TestRenderGolden compares each format's text sheet with its golden file
// (go test ./outgoing -update rewrites them).
func TestRenderGolden(t *testing.T) {
	cfg := loadConfig(t)
	for _, s := range samples(t) {
		t.Run(string(s.format), func(t *testing.T) {
			sheet, err := Render(cfg, s.rec, now.Add(48*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			got := sheet.Text()
			path := filepath.Join("testdata", "golden", string(s.format)+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the rendering:\n%s", path, diffLines(string(want), got))
			}
			for i, l := range strings.Split(got, "\n") {
				if n := len([]rune(l)); n > TextWidth && !strings.Contains(l, "http") {
					t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
				}
			}
		})
	}
}

// diffLines shows the first differing line.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return "(no difference)"
}

// TestRenderReadBack gives each text sheet to liaisond's own reader, as the
// peer's copy of it would come back: the shape and the key fields must be
// recognised.
func TestRenderReadBack(t *testing.T) {
	cfg := loadConfig(t)
	wantShape := map[config.SheetFormat]string{config.FormatITU: "itu", config.Format3GPP: "3gpp", config.FormatPlain: "tracker"}
	for _, s := range samples(t) {
		shape, ok := wantShape[s.format]
		if !ok {
			continue // a letter reads as prose; its fields are checked in the PDF test
		}
		t.Run(string(s.format), func(t *testing.T) {
			sheet, err := Render(cfg, s.rec, now)
			if err != nil {
				t.Fatal(err)
			}
			raw := "From: IETF <statements@ietf.example>\r\nTo: peer@example.org\r\nSubject: " + s.rec.Extraction.Subject +
				"\r\nMessage-ID: <t@example>\r\nDate: Mon, 1 Mar 2027 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
				strings.ReplaceAll(sheet.Text(), "\n", "\r\n")
			x := mailproc.Parse([]byte(raw), mailproc.Options{})
			if string(x.Shape) != shape || x.Title != s.rec.Extraction.Title || x.Deadline != s.rec.Extraction.Deadline || x.Purpose != s.rec.Extraction.Purpose && s.format != config.Format3GPP {
				t.Errorf("read back as shape %q title %q deadline %s purpose %q; want %q %q %s %q",
					x.Shape, x.Title, x.Deadline, x.Purpose, shape, s.rec.Extraction.Title, s.rec.Extraction.Deadline, s.rec.Extraction.Purpose)
			}
		})
	}
}

// TestPDF renders the formats that ask for a PDF and parses the PDF back:
// it must carry the title and the deadline.
func TestPDF(t *testing.T) {
	cfg := loadConfig(t)
	for _, s := range samples(t) {
		if s.format != config.FormatITU && s.format != config.FormatIEEE {
			continue
		}
		t.Run(string(s.format), func(t *testing.T) {
			sheet, err := Render(cfg, s.rec, now)
			if err != nil {
				t.Fatal(err)
			}
			doc, ok, err := sheet.Document(config.AttachPDF)
			if err != nil || !ok || doc.Name != "LS-2027-0012.pdf" || doc.ContentType != "application/pdf" {
				t.Fatalf("document %q %q ok=%v err=%v", doc.Name, doc.ContentType, ok, err)
			}
			again, err := sheet.PDF()
			if err != nil || !bytes.Equal(again, doc.Data) {
				t.Errorf("PDF is not deterministic (err %v)", err)
			}
			text, err := pdftext.Text(doc.Data, pdftext.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			flat := strings.Join(strings.Fields(text), " ")
			deadline := longDate(s.rec.Extraction.Deadline)
			for _, want := range []string{s.rec.Extraction.Title, deadline, "LS-2027-0012", s.rec.Extraction.FromGroup} {
				if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
					t.Errorf("PDF text lacks %q:\n%s", want, text)
				}
			}
			if s.format == config.FormatITU && !strings.Contains(flat, "J?rg M?ller") && !strings.Contains(flat, "Jörg Müller") {
				t.Errorf("PDF text lacks the Latin-1 contact name:\n%s", text)
			}
		})
	}
}

// TestPDFFont renders the ITU-T sheet with a TrueType font
// (outgoing.pdf_font, here DejaVu from the system): names outside
// Windows-1252, which Helvetica prints as "?", read back as written, in
// the regular and the bold face, and the output is still deterministic.
func TestPDFFont(t *testing.T) {
	const dir = "/usr/share/fonts/truetype/dejavu" // Debian's fonts-dejavu-core, which .ci/run installs
	regular, bold := filepath.Join(dir, "DejaVuSans.ttf"), filepath.Join(dir, "DejaVuSans-Bold.ttf")
	for _, f := range []string{regular, bold} {
		if _, err := os.Stat(f); err != nil {
			testsvc.Unavailable(t, "the DejaVu fonts: "+err.Error())
		}
	}
	cfg := loadConfig(t)
	var itu sample
	for _, s := range samples(t) {
		if s.format == config.FormatITU {
			itu = s
		}
	}
	itu.rec.Extraction.TechnicalContacts = append(itu.rec.Extraction.TechnicalContacts, liaison.Contact{Name: "Łukasz Dvořák", Email: "lukasz@example.org"})
	itu.rec.Extraction.Title = "LS on OTN slicing (Ω-model)"
	plain, err := Render(cfg, itu.rec, now)
	if err != nil {
		t.Fatal(err)
	}
	helvetica, err := plain.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if text, err := pdftext.Text(helvetica, pdftext.Limits{}); err != nil || !strings.Contains(text, "?ukasz Dvo?ák") {
		t.Errorf("Helvetica printed the name outside Windows-1252 (err %v):\n%s", err, text)
	}

	cfg.Outgoing.PDFFont = config.PDFFont{Regular: regular, Bold: bold}
	cfg.Outgoing.PDFFont.RegularTTF, _ = os.ReadFile(regular)
	cfg.Outgoing.PDFFont.BoldTTF, _ = os.ReadFile(bold)
	sheet, err := Render(cfg, itu.rec, now)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sheet.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if again, err := sheet.PDF(); err != nil || !bytes.Equal(again, doc) {
		t.Errorf("the PDF with a TrueType font is not deterministic (err %v)", err)
	}
	// The daemon's PDF reader reads the Latin-1 text back. It reads a
	// character beyond U+00FF as its low byte ("Aukasz" for "Łukasz"): it
	// applies the ToUnicode range this PDF library writes (<0000> <FFFF>)
	// to the last byte only. So those are looked for in the page's
	// content, where text is written as UTF-16 code units.
	text, err := pdftext.Text(doc, pdftext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Jörg Müller", "LIAISON STATEMENT", longDate(itu.rec.Extraction.Deadline)} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF text lacks %q:\n%s", want, text)
		}
	}
	content := bytes.Join(pdfStreams(t, doc), nil)
	for _, want := range []string{"Łukasz Dvořák", "Ω-model"} { // a parenthesis is escaped there
		if !bytes.Contains(content, utf16be(want)) {
			t.Errorf("the PDF's content lacks %q", want)
		}
	}
	if !bytes.Contains(doc, []byte("/BaseFont /utf8sheetB")) || bytes.Count(doc, []byte("/FontFile2")) != 2 || len(doc) > 200<<10 {
		t.Errorf("the PDF (%d bytes) does not embed a subset of both faces", len(doc))
	}

	// A file that is no font is the sheet's error, not a panic.
	sheet.Font = &config.PDFFont{RegularTTF: []byte("\x00\x01\x00\x00 not a font"), BoldTTF: []byte("true")}
	if _, err := sheet.PDF(); err == nil {
		t.Error("a broken font gave no error")
	}
}

// pdfStreams returns the PDF's streams, inflated where they are
// compressed.
func pdfStreams(t *testing.T, doc []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for rest := doc; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			t.Fatal("a stream without its end")
		}
		data := rest[:j]
		if zr, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
			if inflated, err := io.ReadAll(zr); err == nil {
				data = inflated
			}
		}
		out = append(out, data)
		rest = rest[j+len("endstream"):]
	}
}

// utf16be is s as UTF-16BE code units, as a PDF text string in a
// two-byte font.
func utf16be(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// TestDOCX renders the 3GPP sheet as the Word document 3GPP asks for; the
// daemon's own .docx reader reads the sheet back, and a mail carrying it
// as its only content is understood as a 3GPP statement.
func TestDOCX(t *testing.T) {
	cfg := loadConfig(t)
	var s sample
	for _, x := range samples(t) {
		if x.format == config.Format3GPP {
			s = x
		}
	}
	sheet, err := Render(cfg, s.rec, now)
	if err != nil {
		t.Fatal(err)
	}
	doc, ok, err := sheet.Document(cfg.Organizations[1].Outgoing.Attachment)
	if err != nil || !ok || doc.Name != "LS-2027-0012.docx" {
		t.Fatalf("document %q ok=%v err=%v", doc.Name, ok, err)
	}
	text, err := docx.Text(doc.Data, docx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Title:\t" + s.rec.Extraction.Title, "Release:\tRel-19", "Work Item:\tFS_DMM_5G", "Send any reply LS to:\tstatements@ietf.example", "1. Overall Description:"} {
		if !strings.Contains(text, want) {
			t.Errorf("document text lacks %q:\n%s", want, text)
		}
	}
	var mail bytes.Buffer
	mail.WriteString("From: IETF <statements@ietf.example>\r\nTo: 3GPPLiaison@etsi.org\r\nSubject: LS\r\nMessage-ID: <d@example>\r\n" +
		"Date: Mon, 1 Mar 2027 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nPlease find our LS attached.\r\n--b\r\n" +
		"Content-Type: " + doc.ContentType + "; name=" + doc.Name + "\r\nContent-Disposition: attachment; filename=" + doc.Name +
		"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64Lines(doc.Data) + "--b--\r\n")
	x := mailproc.Parse(mail.Bytes(), mailproc.Options{})
	if x.Kind != liaison.KindStatement || x.Title != s.rec.Extraction.Title || x.Sources["title"].Where != "docx" {
		t.Errorf("mail with the document read as %s, title %q from %v", x.Kind, x.Title, x.Sources["title"])
	}
	if _, ok, err := sheet.Document(config.AttachNone); ok || err != nil {
		t.Errorf("attachment none produced a document (err %v)", err)
	}
}
