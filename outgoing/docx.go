package outgoing

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// The parts of a minimal WordprocessingML package.
const (
	docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
	docxHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	docxTail = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`
	// docxLabelTwips is the width of one text column of a sheet's label
	// width, in twentieths of a point.
	docxLabelTwips = 110
)

// DOCX writes the sheet as a Word document: one paragraph per block, a
// field as its bold label, a tab to the value column and the value (lines
// separated by breaks), letterhead lines with a right-aligned tab. The
// output is deterministic: the archive's dates are the sheet's Date.
func (s Sheet) DOCX() ([]byte, error) {
	var doc strings.Builder
	doc.WriteString(docxHead)
	for _, bl := range s.Blocks {
		doc.WriteString(s.docxParagraph(bl))
	}
	doc.WriteString(docxTail)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRels},
		{"word/document.xml", doc.String()},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: s.Date.UTC()})
		if err != nil {
			return nil, fmt.Errorf("outgoing: render %s as Word: %w", s.ID, err)
		}
		if _, err := w.Write([]byte(part.body)); err != nil {
			return nil, fmt.Errorf("outgoing: render %s as Word: %w", s.ID, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("outgoing: render %s as Word: %w", s.ID, err)
	}
	return buf.Bytes(), nil
}

// docxParagraph writes one block as a w:p element.
func (s Sheet) docxParagraph(bl Block) string {
	labelTab := max(s.LabelWidth, 12) * docxLabelTwips
	switch bl.Kind {
	case BlockLine:
		return `<w:p><w:pPr><w:tabs><w:tab w:val="right" w:pos="9638"/></w:tabs></w:pPr>` +
			run(bl.Text, false) + `<w:r><w:tab/></w:r>` + run(bl.Right, false) + `</w:p>`
	case BlockBanner:
		return `<w:p><w:pPr><w:jc w:val="center"/></w:pPr>` + run(bl.Text, true) + `</w:p>`
	case BlockField:
		ind := ""
		if bl.Indent {
			ind = fmt.Sprintf(`<w:ind w:left="%d"/>`, indentStep*docxLabelTwips)
		}
		return fmt.Sprintf(`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="%d"/></w:tabs>%s</w:pPr>`, labelTab, ind) +
			run(bl.Label, true) + `<w:r><w:tab/></w:r>` + run(bl.Text, false) + `</w:p>`
	case BlockHeading:
		return `<w:p>` + run(bl.Text, true) + `</w:p>`
	case BlockText:
		return `<w:p>` + run(bl.Text, false) + `</w:p>`
	}
	return `<w:p/>`
}

// run writes text as a w:r run, its line breaks as w:br, escaped.
func run(text string, bold bool) string {
	if text == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<w:r>`)
	if bold {
		b.WriteString(`<w:rPr><w:b/></w:rPr>`)
	}
	for i, l := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		b.WriteString(`<w:t xml:space="preserve">`)
		_ = xml.EscapeText(&b, []byte(strings.ReplaceAll(l, "\t", "    ")))
		b.WriteString(`</w:t>`)
	}
	b.WriteString(`</w:r>`)
	return b.String()
}
