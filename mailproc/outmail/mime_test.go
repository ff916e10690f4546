package outmail

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"regexp"
	"strings"
	"testing"

	gomail "github.com/emersion/go-message/mail"
)

// FuzzAppendQP: appendQP writes what mime/quotedprintable.Writer writes.
func FuzzAppendQP(f *testing.F) {
	for _, s := range []string{"", "a", "Hello\n", "tab\t\nspace \r\nx", "=3D\r\r\n\n", strings.Repeat("x", 75) + "=\n", strings.Repeat("ab ", 40) + "\n",
		"caf\u00e9 \u2014 na\u00efve\n", strings.Repeat("\u00e9", 40), "trailing \t", "\r=\n", strings.Repeat("y", 74) + " \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		w := quotedprintable.NewWriter(&want)
		if _, err := io.WriteString(w, s); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got := appendQP([]byte("prefix"), s); string(got) != "prefix"+want.String() {
			t.Errorf("appendQP(%q) =\n%q\nwant\n%q", s, got[len("prefix"):], want.String())
		}
	})
}

// goMessageBody is how Build wrote bodies before writeBody, through
// go-message's writers (with random boundaries).
func goMessageBody(t *testing.T, h gomail.Header, m Mail) []byte {
	t.Helper()
	write := func(w io.WriteCloser, body string) {
		body = strings.ToValidUTF8(body, "\uFFFD")
		if !strings.HasSuffix(body, "\n") {
			body += "\n"
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	var text, html gomail.InlineHeader
	text.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	html.SetContentType("text/html", map[string]string{"charset": "utf-8"})
	alternatives := func(iw *gomail.InlineWriter, err error) {
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			h    gomail.InlineHeader
			body string
		}{{text, m.Text}, {html, m.HTML}} {
			pw, err := iw.CreatePart(p.h)
			if err != nil {
				t.Fatal(err)
			}
			write(pw, p.body)
		}
		if err := iw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	switch {
	case len(m.Attachments) == 0 && m.HTML == "":
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		w, err := gomail.CreateSingleInlineWriter(&buf, h)
		if err != nil {
			t.Fatal(err)
		}
		write(w, m.Text)
	case len(m.Attachments) == 0:
		alternatives(gomail.CreateInlineWriter(&buf, h))
	default:
		mw, err := gomail.CreateWriter(&buf, h)
		if err != nil {
			t.Fatal(err)
		}
		if m.HTML == "" {
			w, err := mw.CreateSingleInline(text)
			if err != nil {
				t.Fatal(err)
			}
			write(w, m.Text)
		} else {
			alternatives(mw.CreateInline())
		}
		for _, a := range m.Attachments {
			var ah gomail.AttachmentHeader
			ah.SetContentType(mediaType(a.ContentType), nil)
			ah.SetFilename(fileName(a.Name))
			w, err := mw.CreateAttachment(ah)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(a.Data); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if err := mw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

var randomBoundaryRE = regexp.MustCompile(`boundary=([0-9a-f]{60})`)

// TestWriteBodyAsGoMessageDid: the body writer writes the very bytes
// go-message's writers wrote, but for the boundaries (now derived from the
// Message-ID).
func TestWriteBodyAsGoMessageDid(t *testing.T) {
	long := strings.Repeat("A line that is long enough to be broken by the encoder, with = signs and caf\u00e9. ", 5)
	pdf := bytes.Repeat([]byte("%PDF-1.7 \x00\x01\xff binary"), 300)
	tests := []struct {
		name string
		m    func(*Mail)
	}{
		{"text", func(m *Mail) { m.Text = long + "\n\ttab \nend" }},
		{"invalid UTF-8", func(m *Mail) { m.Text = "bad \xff\xfe bytes\r" }},
		{"text and HTML", func(m *Mail) { m.Text, m.HTML = long, "<p>"+long+"</p>" }},
		{"text and a file", func(m *Mail) {
			m.Attachments = []Attachment{{Name: "LS.pdf", ContentType: "application/pdf", Data: pdf}}
		}},
		{"text, HTML and files", func(m *Mail) {
			m.HTML = "<p>Hi</p>"
			m.Attachments = []Attachment{{Name: "a.docx", ContentType: "bad type", Data: pdf[:76*3]}, {Name: "../b.txt", Data: []byte("x")}, {Name: "", Data: nil}}
		}},
	}
	for _, tc := range tests {
		m := baseMail()
		tc.m(&m)
		var h gomail.Header
		h.SetSubject(m.Subject)
		h.SetMessageID(m.MessageID)
		h.Set("MIME-Version", "1.0")
		want := string(goMessageBody(t, h.Copy(), m))
		first := 0 // the multipart/mixed one
		if len(m.Attachments) == 0 {
			first = 1 // the multipart/alternative one
		}
		for i, b := range randomBoundaryRE.FindAllStringSubmatch(want, -1) {
			mine := boundary(m.MessageID, first+i)
			want = strings.ReplaceAll(want, "boundary="+b[1], `boundary="`+mine+`"`)
			want = strings.ReplaceAll(want, "--"+b[1], "--"+mine)
		}
		var buf bytes.Buffer
		if err := writeBody(&buf, h.Header.Copy(), m); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		// Boundaries of other lengths fold the Content-Type differently.
		unfold := strings.NewReplacer(";\r\n boundary=", "; boundary=")
		if got, want := unfold.Replace(buf.String()), unfold.Replace(want); got != want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, want)
		}
	}
}
