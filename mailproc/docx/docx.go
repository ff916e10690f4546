// Package docx reads the text of a Word .docx file: paragraphs become lines
// and table rows become lines too, a label/value row ("Deadline:" | "15 March
// 2027") becoming "Deadline: 15 March 2027" so that the cover sheet of a
// liaison statement reads like a labelled block.
//
// It is defensive: the archive and word/document.xml are size-capped, the
// number of zip entries is capped, and any failure is an error rather than a
// panic.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Limits caps the work done on one document. The zero value means defaults.
type Limits struct {
	MaxEntries  int   // zip entries; default 2000
	MaxDocument int64 // decompressed bytes of word/document.xml; default 20 MB
}

// ErrTooLarge is wrapped by errors about a document over its caps (a zip bomb).
var ErrTooLarge = errors.New("docx: over size limit")

func (l Limits) withDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = 2000
	}
	if l.MaxDocument <= 0 {
		l.MaxDocument = 20 << 20
	}
	return l
}

// Text returns the text of the .docx held in b, one paragraph or table row
// per line.
func Text(b []byte, lim Limits) (string, error) {
	lim = lim.withDefaults()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("docx: not a zip archive: %w", err)
	}
	if len(zr.File) > lim.MaxEntries {
		return "", fmt.Errorf("docx: %d zip entries (limit %d): %w", len(zr.File), lim.MaxEntries, ErrTooLarge)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return "", errors.New("docx: no word/document.xml in archive")
	}
	if doc.UncompressedSize64 > uint64(lim.MaxDocument) {
		return "", fmt.Errorf("docx: word/document.xml declares %d bytes (limit %d): %w", doc.UncompressedSize64, lim.MaxDocument, ErrTooLarge)
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("docx: open word/document.xml: %w", err)
	}
	defer rc.Close()
	// Never trust the declared size: cap what is actually inflated.
	lr := &capReader{r: rc, n: lim.MaxDocument}
	out, err := documentText(lr)
	if lr.over {
		return "", fmt.Errorf("docx: word/document.xml inflates past %d bytes: %w", lim.MaxDocument, ErrTooLarge)
	}
	if err != nil {
		return out, fmt.Errorf("docx: word/document.xml: %w", err)
	}
	return out, nil
}

type capReader struct {
	r    io.Reader
	n    int64
	over bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.over = true
		return 0, ErrTooLarge
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// documentText walks WordprocessingML: w:p paragraphs, w:t text runs, w:tab,
// w:br, and w:tbl/w:tr/w:tc tables.
func documentText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	var (
		out   strings.Builder
		para  strings.Builder // current paragraph
		cell  []string        // paragraphs of the current cell
		row   [][]string      // cells of the current row
		depth int             // table nesting depth
		inT   bool
	)
	flushPara := func() {
		p := strings.TrimSpace(para.String())
		para.Reset()
		if depth > 0 {
			if p != "" {
				cell = append(cell, p)
			}
			return
		}
		out.WriteString(p)
		out.WriteByte('\n')
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			flushPara()
			return out.String(), err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inT = true
			case "tab":
				para.WriteByte('\t')
			case "br", "cr":
				if depth > 0 {
					flushPara()
				} else {
					para.WriteByte('\n')
				}
			case "tbl":
				if depth == 0 && para.Len() > 0 {
					flushPara()
				}
				depth++
			case "tr":
				if depth == 1 {
					row = nil
				}
			case "tc":
				if depth == 1 {
					cell = nil
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inT = false
			case "p":
				flushPara()
			case "tc":
				if depth == 1 {
					row = append(row, cell)
					cell = nil
				}
			case "tr":
				if depth == 1 {
					out.WriteString(rowText(row))
					row = nil
				}
			case "tbl":
				depth--
				if depth == 0 {
					out.WriteByte('\n')
				}
			}
		case xml.CharData:
			if inT {
				para.Write(t)
			}
		}
	}
	flushPara()
	return out.String(), nil
}

// rowText renders a table row. When the first non-empty cell is a label (it
// ends with a colon, or is a short caption beside one value cell: "Title" |
// "LS on ...") the row becomes "Label: value" with further value lines
// indented as continuations. A row whose first cell is empty continues the
// value above it: its lines are indented. Other rows (a heading spanning
// the table, a row of data) become lines at the margin, so a value never
// runs on into the next row.
func rowText(row [][]string) string {
	var cells [][]string
	for _, c := range row {
		if len(c) > 0 {
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 {
		return ""
	}
	var b strings.Builder
	first := cells[0]
	if len(first) == 1 && len(cells) > 1 && (isLabel(first[0]) || len(cells) == 2 && isCaption(first[0])) {
		label := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(first[0]), ":"))
		b.WriteString(label)
		b.WriteString(":")
		n := 0
		for _, c := range cells[1:] {
			for _, p := range c {
				for _, line := range strings.Split(p, "\n") {
					line = strings.TrimSpace(line)
					if line == "" {
						continue
					}
					if n == 0 {
						b.WriteString(" ")
					} else {
						b.WriteString("\n    ")
					}
					b.WriteString(line)
					n++
				}
			}
		}
		b.WriteByte('\n')
		return b.String()
	}
	indent := ""
	if len(row) > 1 && len(row[0]) == 0 {
		indent = "    "
	}
	for _, c := range cells {
		for _, p := range c {
			b.WriteString(indent)
			b.WriteString(p)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func isLabel(s string) bool {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ":") {
		return len(s) < 60
	}
	return false
}

// isCaption reports whether a cell reads like a field caption written
// without a colon: a few words starting with a capital, no digits and no
// sentence punctuation ("Title", "Response requested by").
func isCaption(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 30 || len(strings.Fields(s)) > 4 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 0 && !unicode.IsUpper(r):
			return false
		case unicode.IsDigit(r), strings.ContainsRune(".,;?!@", r):
			return false
		}
	}
	return true
}

// InZip returns the text of each .docx inside the zip archive b (how 3GPP
// distributes a statement: S2-2401234.zip holding S2-2401234.docx), keyed by
// the entry's name, in archive order. At most maxDocs documents are read,
// each decompressed up to maxDoc bytes; larger ones are reported, not read.
func InZip(b []byte, maxDocs int, maxDoc int64, lim Limits) (names, texts []string, err error) {
	lim = lim.withDefaults()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, nil, fmt.Errorf("zip: %w", err)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, nil, fmt.Errorf("zip: %d entries: %w", len(zr.File), ErrTooLarge)
	}
	var errs []error
	for _, f := range zr.File {
		if len(names) >= maxDocs {
			break
		}
		if !strings.HasSuffix(strings.ToLower(f.Name), ".docx") || f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.Name, err))
			continue
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxDoc+1))
		rc.Close()
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", f.Name, err))
			continue
		case int64(len(data)) > maxDoc:
			errs = append(errs, fmt.Errorf("%s: larger than %d bytes: %w", f.Name, maxDoc, ErrTooLarge))
			continue
		}
		text, err := Text(data, lim)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.Name, err))
		}
		if strings.TrimSpace(text) != "" {
			names = append(names, f.Name)
			texts = append(texts, text)
		}
	}
	return names, texts, errors.Join(errs...)
}
