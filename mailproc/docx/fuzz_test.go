package docx

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzText feeds arbitrary bytes (seeded with real-looking cover sheets,
// a sheet inside a zip, and broken archives) to Text and InZip. Whatever
// the input, they must return text or an error, never panic, never return
// invalid UTF-8, and never return more text than the caps allow.
func FuzzText(f *testing.F) {
	cover := doc(p("LIAISON STATEMENT") +
		"<w:tbl>" +
		row(cell(p("Question(s):")), cell(p("11/15"))) +
		row(cell(p("Title:")), cell(p("LS on OTN YANG models"))) +
		row(cell(p("Deadline:")), cell(p("15 March 2027"))) +
		"</w:tbl>" + p("Body text."))
	f.Add(build(f, cover, 0))
	f.Add(build(f, doc(p("")), 3))
	f.Add(build(f, `<w:document><w:body><w:tbl><w:tr><w:tc>`, 0)) // truncated XML
	f.Add(build(f, doc(strings.Repeat("<w:tbl>", 50)), 0))        // nesting without end
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		lim := Limits{MaxEntries: 50, MaxDocument: 1 << 20}
		text, err := Text(b, lim)
		if err == nil && !utf8.ValidString(text) {
			t.Fatalf("Text returned invalid UTF-8 %q", text)
		}
		if int64(len(text)) > lim.MaxDocument {
			t.Fatalf("Text returned %d bytes from a document capped at %d", len(text), lim.MaxDocument)
		}
		names, texts, err := InZip(b, 3, 1<<20, lim)
		if len(names) != len(texts) || len(names) > 3 {
			t.Fatalf("InZip: %d names, %d texts (max 3)", len(names), len(texts))
		}
		for _, s := range texts {
			if !utf8.ValidString(s) {
				t.Fatalf("InZip returned invalid UTF-8 %q", s)
			}
		}
		if err != nil && errors.Is(err, ErrTooLarge) && len(b) < 64 {
			t.Fatalf("a %d-byte input cannot be over the size limit: %v", len(b), err)
		}
	})
}
