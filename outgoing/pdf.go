package outgoing

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
)

// PDF page geometry, in millimetres, and type sizes, in points.
const (
	pdfMargin   = 20.0
	pdfLine     = 5.0 // line height of body text
	pdfFontSize = 10.0
	pdfBanner   = 13.0
	pdfLabelMM  = 1.9 // millimetres per text column of a sheet's label width
)

// PDF writes the sheet as an A4 PDF document: the same blocks as Text, in
// the sheet's Font (the standard Helvetica without one), labels in bold,
// values in a column, with the statement's id and page numbers in the
// footer. The output is deterministic: the document's dates are the
// sheet's Date.
//
// Helvetica covers Windows-1252 only: other characters are written as "?"
// (the text form of the statement, in the mail, keeps them). A TrueType
// Font prints every character it has, and the PDF embeds the glyphs used.
func (s Sheet) PDF() (data []byte, err error) {
	// A font file the PDF library cannot read may make it panic: that is
	// this sheet's error, not the daemon's end.
	defer func() {
		if v := recover(); v != nil {
			data, err = nil, fmt.Errorf("outgoing: render %s as PDF: %v", s.ID, v)
		}
	}()
	p := fpdf.New("P", "mm", "A4", "")
	family, text := "Helvetica", cp1252
	if s.Font != nil {
		family, text = "sheet", tabs
		p.AddUTF8FontFromBytes(family, "", s.Font.RegularTTF)
		p.AddUTF8FontFromBytes(family, "B", s.Font.BoldTTF)
		if err := p.Error(); err != nil {
			return nil, fmt.Errorf("outgoing: render %s as PDF: font: %w", s.ID, err)
		}
	}
	p.SetCreationDate(s.Date)
	p.SetModificationDate(s.Date)
	p.SetCatalogSort(true)
	p.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	p.SetAutoPageBreak(true, pdfMargin)
	p.SetTitle(s.Title, true)
	p.SetSubject(s.ID, true)
	p.SetCreator("liaisond", false)
	p.SetProducer("liaisond", false)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont(family, "", 8)
		p.CellFormat(0, 5, text(fmt.Sprintf("%s - page %d of {nb}", s.ID, p.PageNo())), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	width, _ := p.GetPageSize()
	usable := width - 2*pdfMargin
	labelW := float64(s.LabelWidth) * pdfLabelMM

	for _, bl := range s.Blocks {
		switch bl.Kind {
		case BlockLine:
			p.SetFont(family, "", pdfFontSize)
			y := p.GetY()
			p.CellFormat(usable, pdfLine, text(bl.Text), "", 0, "L", false, 0, "")
			p.SetXY(pdfMargin, y)
			p.CellFormat(usable, pdfLine, text(bl.Right), "", 1, "R", false, 0, "")
		case BlockBanner:
			p.SetFont(family, "B", pdfBanner)
			p.CellFormat(usable, pdfLine+2, text(bl.Text), "", 1, "C", false, 0, "")
		case BlockField:
			indent := 0.0
			if bl.Indent {
				indent = indentStep * pdfLabelMM
			}
			p.SetFont(family, "B", pdfFontSize)
			lw := labelW
			if need := p.GetStringWidth(text(bl.Label)) + 2; lw-indent < need {
				lw = indent + need
			}
			y := p.GetY()
			p.SetX(pdfMargin + indent)
			p.CellFormat(lw-indent, pdfLine, text(bl.Label), "", 0, "L", false, 0, "")
			p.SetFont(family, "", pdfFontSize)
			p.SetXY(pdfMargin+lw, y)
			if bl.Text == "" {
				p.Ln(pdfLine)
				continue
			}
			p.MultiCell(usable-lw, pdfLine, text(bl.Text), "", "L", false)
		case BlockHeading:
			p.SetFont(family, "B", pdfFontSize)
			p.MultiCell(usable, pdfLine, text(bl.Text), "", "L", false)
		case BlockText:
			p.SetFont(family, "", pdfFontSize)
			p.MultiCell(usable, pdfLine, text(bl.Text), "", "L", false)
		case BlockSpace:
			p.Ln(pdfLine / 2)
		}
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("outgoing: render %s as PDF: %w", s.ID, err)
	}
	return buf.Bytes(), nil
}

// tabs writes a tab as four spaces, as cp1252 does, for a UTF-8 font.
func tabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

// cp1252 converts UTF-8 text to the Windows-1252 bytes the standard PDF
// fonts use; characters outside it become "?".
func cp1252(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r < 0x80:
			b.WriteRune(r)
		default:
			if c, ok := charmap.Windows1252.EncodeRune(r); ok {
				b.WriteByte(c)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}
