package outmail

import (
	"bytes"
	"io"
	"strings"
	"testing"

	gomail "github.com/emersion/go-message/mail"
)

// A mail with attachments is multipart/mixed: the text first, then each
// file in base64 under a cleaned name, read back byte for byte.
func TestBuildAttachments(t *testing.T) {
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0, 0xff, 'x'}, 400)...)
	for _, html := range []string{"", "<p>Hello</p>"} {
		m := baseMail()
		m.HTML = html
		m.Attachments = []Attachment{
			{Name: "LS-2027-0001.pdf", ContentType: "application/pdf", Data: pdf},
			{Name: "../../etc/passwd\r\nX-Evil: yes", ContentType: "bogus type", Data: []byte("text")},
			{Name: "", ContentType: "text/plain; charset=utf-8", Data: []byte("no name")},
		}
		raw, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("\r\nX-Evil:")) {
			t.Fatalf("a file name became a header line:\n%s", raw)
		}
		r, err := gomail.CreateReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if mt, _, _ := r.Header.ContentType(); mt != "multipart/mixed" {
			t.Errorf("content type %s, want multipart/mixed", mt)
		}
		var texts []string
		type file struct{ name, typ, data string }
		var files []file
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(p.Body)
			switch h := p.Header.(type) {
			case *gomail.InlineHeader:
				texts = append(texts, string(b))
			case *gomail.AttachmentHeader:
				name, _ := h.Filename()
				typ, _, _ := h.ContentType()
				files = append(files, file{name, typ, string(b)})
			}
		}
		wantTexts := 1
		if html != "" {
			wantTexts = 2
		}
		if len(texts) != wantTexts || !strings.Contains(texts[0], "A statement arrived.") {
			t.Errorf("text parts %q", texts)
		}
		want := []file{
			{"LS-2027-0001.pdf", "application/pdf", string(pdf)},
			{"passwd X-Evil: yes", "application/octet-stream", "text"},
			{"attachment", "text/plain", "no name"},
		}
		if len(files) != len(want) {
			t.Fatalf("attachments %d, want %d", len(files), len(want))
		}
		for i := range want {
			if files[i] != want[i] {
				t.Errorf("attachment %d = %q %q (%d bytes), want %q %q (%d bytes)", i, files[i].name, files[i].typ, len(files[i].data), want[i].name, want[i].typ, len(want[i].data))
			}
		}
	}
}
