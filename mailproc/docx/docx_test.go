package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// build returns a .docx holding document.xml (and n filler entries).
func build(t testing.TB, documentXML string, filler int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types/>`)
	for i := 0; i < filler; i++ {
		add(fmt.Sprintf("word/media/f%d.bin", i), "x")
	}
	add("word/document.xml", documentXML)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func p(s string) string { return `<w:p><w:r><w:t xml:space="preserve">` + s + `</w:t></w:r></w:p>` }
func cell(ps ...string) string {
	return "<w:tc>" + strings.Join(ps, "") + "</w:tc>"
}
func row(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }

func doc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
}

func TestText(t *testing.T) {
	cover := doc(p("LIAISON STATEMENT") +
		"<w:tbl>" +
		row(cell(p("Question(s):")), cell(p("11/15")), cell(p("Geneva, 4-8 May 2027"))) +
		row(cell(p("Title:")), cell(p("LS on OTN YANG"))) +
		row(cell(p("Deadline:")), cell(p("15 March 2027"))) +
		row(cell(p("Contact:")), cell(p("Jane Doe"), p("ACME")), cell(p("Tel: +1 555"), p("E-mail: jane@example.com"))) +
		row(cell(p("free text")), cell(p("second cell"))) +
		"</w:tbl>" +
		`<w:p><w:r><w:t>Body</w:t></w:r><w:r><w:tab/><w:t>text &amp; more</w:t></w:r></w:p>`)
	tests := []struct {
		name string
		xml  string
		want []string
	}{
		{"cover sheet table", cover, []string{
			"LIAISON STATEMENT\n",
			"Question(s): 11/15\n    Geneva, 4-8 May 2027\n",
			"Title: LS on OTN YANG\n",
			"Deadline: 15 March 2027\n",
			"Contact: Jane Doe\n    ACME\n    Tel: +1 555\n    E-mail: jane@example.com\n",
			"free text\nsecond cell\n",
			"Body\ttext & more\n",
		}},
		{"paragraphs only", doc(p("one") + p("two")), []string{"one\ntwo\n"}},
		{"captions without colons, continuation rows, heading rows", doc("<w:tbl>" +
			row(cell(p("Title")), cell(p("LS on FlexE"), p("group management"))) +
			row(cell(p("LIAISON STATEMENT"))) +
			row(cell(p("Contact Person:")), cell(p("Name: Priya Raman"))) +
			row(cell(), cell(p("E-mail Address: priya@example.com"))) +
			row(cell(p("Response requested by")), cell(p("June 3rd, 2027"))) +
			row(cell(p("Meeting 12")), cell(p("Geneva"))) +
			"</w:tbl>"), []string{
			"Title: LS on FlexE\n    group management\nLIAISON STATEMENT\n",
			"Contact Person: Name: Priya Raman\n    E-mail Address: priya@example.com\n",
			"Response requested by: June 3rd, 2027\n",
			"Meeting 12\nGeneva\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Text(build(t, tt.xml, 0), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("text lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestTextErrors(t *testing.T) {
	bomb := doc(p(strings.Repeat("A", 2<<20)))
	tests := []struct {
		name    string
		data    []byte
		lim     Limits
		tooBig  bool
		errText string
	}{
		{"not a zip", []byte("%PDF-1.4 this is not a zip"), Limits{}, false, "not a zip"},
		{"no document.xml", func() []byte {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("other.xml")
			w.Write([]byte("<x/>"))
			zw.Close()
			return buf.Bytes()
		}(), Limits{}, false, "no word/document.xml"},
		{"zip bomb", build(t, bomb, 0), Limits{MaxDocument: 1 << 20}, true, "limit"},
		{"too many entries", build(t, doc(p("x")), 20), Limits{MaxEntries: 10}, true, "entries"},
		{"truncated zip", build(t, doc(p("x")), 0)[:40], Limits{}, false, "not a zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Text(tt.data, tt.lim)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrTooLarge) != tt.tooBig {
				t.Errorf("errors.Is(ErrTooLarge) = %v, want %v (%v)", !tt.tooBig, tt.tooBig, err)
			}
			if !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("error %q lacks %q", err, tt.errText)
			}
		})
	}
}
