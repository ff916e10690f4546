package mailproc

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/internal/samplemail"
)

// zipMessage builds a mail whose only cover sheet is a .docx inside an
// attached .zip, as 3GPP distributes its liaison statements.
func zipMessage(t *testing.T, entries map[string][]byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	for name, data := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("From: 3GPP Liaisons <3gppliaison@etsi.org>\r\nTo: statements@ietf.example\r\nSubject: S2-2701234\r\n")
	b.WriteString("Message-ID: <zip-1@etsi.org>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: multipart/mixed; boundary=\"z\"\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nPlease find the attached LS.\r\n")
	b.WriteString("--z\r\nContent-Type: application/x-zip-compressed; name=\"S2-2701234.zip\"\r\nContent-Disposition: attachment; filename=\"S2-2701234.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	b.WriteString(base64.StdEncoding.EncodeToString(z.Bytes()))
	b.WriteString("\r\n--z--\r\n")
	return []byte(b.String())
}

func TestCoverSheetInsideZip(t *testing.T) {
	doc := samplemail.Docx("3GPP TSG SA WG2", "LS on N6 traffic steering", "DMM", 6) // deadline 7 March 2027
	x := Parse(zipMessage(t, map[string][]byte{"S2-2701234.docx": doc, "readme.txt": []byte("x")}), Options{})
	if x.Kind != "statement" || x.Title != "LS on N6 traffic steering" || x.Deadline.String() != "2027-03-07" {
		t.Fatalf("kind %s title %q deadline %s; problems %v", x.Kind, x.Title, x.Deadline, x.Problems)
	}
	if src := x.Sources["title"]; src.Where != "docx" || !strings.Contains(src.Detail, "S2-2701234.zip/S2-2701234.docx") {
		t.Errorf("title source = %+v", src)
	}
	if len(x.Attachments) != 1 || x.Attachments[0].Name != "S2-2701234.zip" {
		t.Errorf("attachments = %+v", x.Attachments)
	}
}

func TestZipWithoutDocxOrNotAZip(t *testing.T) {
	x := Parse(zipMessage(t, map[string][]byte{"notes.txt": []byte("nothing to see")}), Options{})
	for _, p := range x.Problems {
		if p.Code == "docx" {
			t.Errorf("a zip without .docx is not a problem: %+v", p)
		}
	}
	x = Parse(zipMessage(t, map[string][]byte{"a.docx": []byte("not a docx")}), Options{})
	found := false
	for _, p := range x.Problems {
		found = found || p.Code == "docx"
	}
	if !found {
		t.Errorf("a broken .docx inside a zip is not reported: %v", x.Problems)
	}
}

func TestAttachBuf(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100_000) // 1 MB, several chunks
	for _, c := range []struct {
		limit int
		over  bool
	}{{len(data), false}, {len(data) + 1, false}, {len(data) - 1, true}} {
		a := &attachBuf{n: c.limit}
		for i := 0; i < len(data); i += 7001 { // odd-sized writes across chunk edges
			end := min(i+7001, len(data))
			if n, err := a.Write(data[i:end]); n != end-i || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if a.over != c.over {
			t.Errorf("limit %d: over = %v", c.limit, a.over)
		}
		if !c.over && !bytes.Equal(a.Bytes(), data) {
			t.Errorf("limit %d: bytes differ", c.limit)
		}
		if c.over && a.chunks != nil {
			t.Errorf("limit %d: an over-size buffer still holds its chunks", c.limit)
		}
	}
}
