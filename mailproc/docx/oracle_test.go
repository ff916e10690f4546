package docx

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// xmlDocumentText is the reader documentText replaced, on encoding/xml's
// decoder: the oracle the fast scanner is compared with.
func xmlDocumentText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	var b textBuilder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.flushPara()
			return b.out.String(), err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			b.start(t.Name.Local)
		case xml.EndElement:
			b.end(t.Name.Local)
		case xml.CharData:
			b.text(string(t))
		}
	}
	b.flushPara()
	return b.out.String(), nil
}

// wellFormed reports whether a strict XML decoder reads the whole
// document without error.
func wellFormed(document string) bool {
	dec := xml.NewDecoder(strings.NewReader(document))
	for {
		if _, err := dec.Token(); err != nil {
			return err == io.EOF
		}
	}
}

// sameAsOracle checks that documentText reads a well-formed document as
// encoding/xml does. (Word writes well-formed XML; how a lenient reader
// recovers from broken XML, by closing mismatched elements or not, is its
// own choice: both only must not fail silently, which FuzzText checks.)
func sameAsOracle(t *testing.T, name, document string) {
	t.Helper()
	if !wellFormed(document) {
		return
	}
	want, werr := xmlDocumentText(strings.NewReader(document))
	if werr != nil {
		t.Fatalf("%s: encoding/xml: %v", name, werr)
	}
	got, err := documentText(strings.NewReader(document))
	if err != nil || got != want {
		t.Errorf("%s: documentText = %q, %v; encoding/xml reads %q", name, got, err, want)
	}
}

func TestScannerMatchesEncodingXML(t *testing.T) {
	tests := map[string]string{
		"cover sheet": doc(p("LIAISON STATEMENT") + "<w:tbl>" +
			row(cell(p("Title:")), cell(p("LS on OTN YANG"), p("second line"))) +
			row(cell(), cell(p("E-mail: jane@example.com"))) + "</w:tbl>" + p("Body")),
		"entities and line ends":               doc(`<w:p><w:r><w:t>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos; &#233; &#x20AC;` + "\r\nnext\rline</w:t></w:r></w:p>"),
		"unknown entity kept":                  doc(p("x &nbsp; y")),
		"attributes with > and quotes":         `<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p w:rsidR="a>b" w:x='c"d'><w:r><w:t xml:space="preserve"> spaced </w:t></w:r></w:p></w:body></w:document>`,
		"self-closing elements":                doc(`<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p><w:p/>`),
		"comments, CDATA, PIs":                 doc(`<!-- a comment --><w:p><w:r><w:t><![CDATA[raw <text> & more]]></w:t></w:r></w:p><?pi x?>`),
		"nested tables":                        doc("<w:tbl>" + row(cell("<w:tbl>"+row(cell(p("inner")))+"</w:tbl>"), cell(p("outer"))) + "</w:tbl>"),
		"text outside runs":                    doc(`<w:p>ignored<w:r><w:t>kept</w:t></w:r>also ignored</w:p>`),
		"directives as encoding/xml ends them": doc(`<!DOCTYPE d [<!ENTITY e "a>b"> <!-- c > -->]><w:p><w:t><!>>a<!x<y>>b</w:t></w:p>`),
		"processing instruction with >":        doc(`<?pi a>b?><w:p><w:t>a<?x >?>b</w:t></w:p>`),
		"a comment that opens with >":          doc(`<!-->-< --><w:p><w:t>a<!-->b</w:t>-->c</w:t></w:p>`),
	}
	for name, d := range tests {
		sameAsOracle(t, name, d)
	}
}

func FuzzScannerMatchesEncodingXML(f *testing.F) {
	f.Add(doc(p("LIAISON STATEMENT") + "<w:tbl>" + row(cell(p("Title:")), cell(p("LS &amp; more"))) + "</w:tbl>"))
	f.Add(doc(`<w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r></w:p>`))
	f.Add(`<w:p w:a="x>y"><w:t><![CDATA[<c>]]></w:t></w:p>`)
	f.Fuzz(func(t *testing.T, document string) {
		sameAsOracle(t, "fuzz", document)
	})
}
