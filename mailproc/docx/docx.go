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
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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

// documentText reads WordprocessingML (w:p paragraphs, w:t text runs,
// w:tab, w:br and w:tbl/w:tr/w:tc tables) with a small scanner of its own:
// the text of a cover sheet needs no more than tags and text, and
// encoding/xml's general decoder cost a fifth of parsing a statement.
// Malformed XML is an error; the text read up to it is returned with it.
func documentText(r io.Reader) (string, error) {
	data, err := io.ReadAll(r)
	var b textBuilder
	if serr := scan(data, &b); serr != nil && err == nil {
		err = serr
	}
	b.flushPara()
	return strings.ToValidUTF8(b.out.String(), "\uFFFD"), err
}

// textBuilder turns the elements of a document into lines: one per
// paragraph, one per table row (see rowText).
type textBuilder struct {
	out   strings.Builder
	para  strings.Builder // current paragraph
	cell  []string        // paragraphs of the current cell
	row   [][]string      // cells of the current row
	depth int             // table nesting depth
	inT   bool
}

func (b *textBuilder) flushPara() {
	p := strings.TrimSpace(b.para.String())
	b.para.Reset()
	if b.depth > 0 {
		if p != "" {
			b.cell = append(b.cell, p)
		}
		return
	}
	b.out.WriteString(p)
	b.out.WriteByte('\n')
}

// start handles an element's start tag (local name).
func (b *textBuilder) start(name string) {
	switch name {
	case "t":
		b.inT = true
	case "tab":
		b.para.WriteByte('\t')
	case "br", "cr":
		if b.depth > 0 {
			b.flushPara()
		} else {
			b.para.WriteByte('\n')
		}
	case "tbl":
		if b.depth == 0 && b.para.Len() > 0 {
			b.flushPara()
		}
		b.depth++
	case "tr":
		if b.depth == 1 {
			b.row = nil
		}
	case "tc":
		if b.depth == 1 {
			b.cell = nil
		}
	}
}

// end handles an element's end tag (local name).
func (b *textBuilder) end(name string) {
	switch name {
	case "t":
		b.inT = false
	case "p":
		b.flushPara()
	case "tc":
		if b.depth == 1 {
			b.row = append(b.row, b.cell)
			b.cell = nil
		}
	case "tr":
		if b.depth == 1 {
			b.out.WriteString(rowText(b.row))
			b.row = nil
		}
	case "tbl":
		b.depth--
		if b.depth == 0 {
			b.out.WriteByte('\n')
		}
	}
}

// text handles character data (entities already decoded).
func (b *textBuilder) text(s string) {
	if b.inT {
		b.para.WriteString(s)
	}
}

// errSyntax is wrapped by the errors of malformed XML.
var errSyntax = errors.New("XML syntax error")

// scan reads the tags and text of an XML document into b: start, end and
// empty-element tags (by local name, attributes skipped, quoted values
// may hold ">"), character data with the five predefined and numeric
// entities decoded and line ends normalised, CDATA sections; comments,
// processing instructions and declarations are skipped.
func scan(data []byte, b *textBuilder) error {
	for i := 0; i < len(data); {
		if data[i] != '<' {
			j := bytes.IndexByte(data[i:], '<')
			if j < 0 {
				j = len(data) - i
			}
			if b.inT {
				b.text(charData(data[i : i+j]))
			}
			i += j
			continue
		}
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			// The end is looked for after the opening: "<!-->" does not
			// close a comment.
			j := bytes.Index(rest[4:], []byte("-->"))
			if j < 0 {
				return fmt.Errorf("%w: unterminated comment", errSyntax)
			}
			i += 4 + j + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			j := bytes.Index(rest, []byte("]]>"))
			if j < 0 {
				return fmt.Errorf("%w: unterminated CDATA section", errSyntax)
			}
			b.text(normLines(string(rest[9:j])))
			i += j + 3
		case len(rest) > 1 && rest[1] == '?':
			j := bytes.Index(rest[2:], []byte("?>"))
			if j < 0 {
				return fmt.Errorf("%w: unterminated processing instruction", errSyntax)
			}
			i += 2 + j + 2
		case len(rest) > 1 && rest[1] == '!':
			n, err := directive(rest)
			if err != nil {
				return err
			}
			i += n
		default:
			n, name, closing, empty, err := tag(rest)
			if err != nil {
				return err
			}
			switch {
			case closing:
				b.end(name)
			case empty:
				b.start(name)
				b.end(name)
			default:
				b.start(name)
			}
			i += n
		}
	}
	return nil
}

// directive returns the length of the directive ("<!DOCTYPE ...>") at the
// start of data, which begins with "<!" and is neither a comment nor a
// CDATA section. It ends where encoding/xml ends it: at the first ">"
// outside quotes and outside nested "<...>", the byte just after "<!"
// being part of the directive whatever it is, and comments inside
// skipped.
func directive(data []byte) (int, error) {
	if len(data) < 3 {
		return 0, fmt.Errorf("%w: unexpected EOF", errSyntax)
	}
	quote, depth := byte(0), 0
	for i := 3; i < len(data); {
		c := data[i]
		if quote == 0 && c == '>' && depth == 0 {
			return i + 1, nil
		}
		i++
		switch {
		case c == quote:
			quote = 0
		case quote != 0:
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			depth--
		case c == '<' && bytes.HasPrefix(data[i:], []byte("!--")):
			j := bytes.Index(data[i+3:], []byte("-->"))
			if j < 0 {
				return 0, fmt.Errorf("%w: unterminated comment", errSyntax)
			}
			i += 3 + j + 3
		case c == '<':
			depth++
		}
	}
	return 0, fmt.Errorf("%w: unexpected EOF", errSyntax)
}

// tag reads the tag at the start of data ("<w:p ...>", "</w:p>",
// "<w:br/>") and returns its length and local name.
func tag(data []byte) (n int, name string, closing, empty bool, err error) {
	i := 1
	if i < len(data) && data[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(data) && !isSpace(data[i]) && data[i] != '>' && data[i] != '/' {
		i++
	}
	full := data[start:i]
	if len(full) == 0 {
		return 0, "", false, false, fmt.Errorf("%w: expected element name after <", errSyntax)
	}
	if j := bytes.LastIndexByte(full, ':'); j >= 0 {
		full = full[j+1:]
	}
	name = string(full)
	for quote := byte(0); i < len(data); i++ {
		c := data[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			empty = i > 0 && data[i-1] == '/'
			return i + 1, name, closing, empty, nil
		}
	}
	return 0, "", false, false, fmt.Errorf("%w: unexpected EOF", errSyntax)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// charData decodes the entities of character data and normalises its line
// ends, as an XML processor must.
func charData(raw []byte) string {
	s := normLines(string(raw))
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	var out strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			out.WriteString(s)
			return out.String()
		}
		out.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, ';')
		if j < 0 || j > 12 {
			out.WriteByte('&') // a bare ampersand: kept, as a lenient decoder does
			s = s[1:]
			continue
		}
		if r, ok := entity(s[1:j]); ok {
			out.WriteRune(r)
		} else {
			out.WriteString(s[:j+1])
		}
		s = s[j+1:]
	}
}

// entity decodes a predefined or numeric entity's name.
func entity(name string) (rune, bool) {
	switch name {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if strings.HasPrefix(name, "#") {
		base, digits := 10, name[1:]
		if strings.HasPrefix(digits, "x") {
			base, digits = 16, digits[1:]
		}
		if v, err := strconv.ParseUint(digits, base, 32); err == nil && utf8.ValidRune(rune(v)) {
			return rune(v), true
		}
	}
	return 0, false
}

// normLines turns CRLF and lone CR into LF.
func normLines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
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
