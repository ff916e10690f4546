package mailproc

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func codes(x *liaison.Extraction) []string {
	var out []string
	for _, p := range x.Problems {
		out = append(out, p.Code)
	}
	return out
}

func TestCharsetsAndEncodings(t *testing.T) {
	latin1QP := "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n"
	tests := []struct {
		name     string
		raw      []byte
		body     string
		subject  string
		attName  string
		problems []string
	}{
		{"latin-1 quoted-printable", []byte(hdr("a@example.com", "x", latin1QP) + "\r\nR=E9union =E0 Gen=E8ve, soft=\r\nbreak\r\n"), "Réunion à Genève, softbreak", "", "", nil},
		{"koi8-r", []byte(hdr("a@example.com", "x", "Content-Type: text/plain; charset=koi8-r\r\nContent-Transfer-Encoding: 8bit\r\n") + "\r\n\xf0\xd2\xc9\xd7\xc5\xd4\r\n"), "Привет", "", "", nil},
		{"iso-2022-jp subject", []byte(hdr("a@example.com", "=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=", "") + "\r\nbody\r\n"), "body", "テスト", "", nil},
		{"windows-1252 base64", []byte(hdr("a@example.com", "x", "Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: base64\r\n") + "\r\nk1F1b3RlZJQ=\r\n"), "“Quoted”", "", "", nil},
		{"unknown charset", []byte(hdr("a@example.com", "x", "Content-Type: text/plain; charset=x-klingon\r\n") + "\r\nplain words\r\n"), "plain words", "", "", []string{"charset"}},
		{"invalid quoted-printable", []byte(hdr("a@example.com", "x", "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n") + "\r\n100=% sure =ZZ here=3D\r\n"), "100=% sure =ZZ here=", "", "", []string{"qp"}},
		{"unlabelled 8-bit body", []byte(hdr("a@example.com", "x", "") + "\r\nCaf\xe9\r\n"), "Café", "", "", nil},
		{"RFC 2231 filename", multiMsg("a@example.com", "x", "", "mixed", textPart("see file"),
			part{"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''R%C3%A9ponse%20LS.pdf\r\n", "data"}), "see file", "", "Réponse LS.pdf", nil},
		{"RFC 2047 filename", multiMsg("a@example.com", "x", "", "mixed", textPart("see file"),
			part{"Content-Type: application/pdf; name=\"=?utf-8?q?R=C3=A9ponse.pdf?=\"\r\n", "data"}), "see file", "", "Réponse.pdf", nil},
		{"8-bit raw header", []byte("From: J\xfcrgen <j@example.de>\r\nSubject: Gr\xfc\xdfe\r\nDate: Tue, 16 Feb 2027 07:01:11 -0800\r\nMessage-ID: <a@b>\r\n\r\nbody\r\n"), "body", "Grüße", "", []string{"header"}},
		{"HTML only", []byte(hdr("a@example.com", "x", "Content-Type: text/html; charset=utf-8\r\n") + "\r\n<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>Title:&nbsp;LS on X</p><table><tr><td>Deadline:</td><td>15 March 2027</td></tr></table></body></html>\r\n"), "Title: LS on X\n\nDeadline: 15 March 2027", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := Parse(tt.raw, Options{})
			if !strings.Contains(x.Body, tt.body) {
				t.Errorf("body = %q, want it to contain %q", x.Body, tt.body)
			}
			if strings.Contains(x.Body, "alert(1)") || strings.Contains(x.Body, "color:red") {
				t.Errorf("script or style leaked into body: %q", x.Body)
			}
			if tt.subject != "" && x.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", x.Subject, tt.subject)
			}
			if tt.attName != "" && (len(x.Attachments) != 1 || x.Attachments[0].Name != tt.attName) {
				t.Errorf("attachments = %+v, want one named %q", x.Attachments, tt.attName)
			}
			got := codes(x)
			for _, p := range tt.problems {
				if !hasProblem(got, p) {
					t.Errorf("problems %v lack %q", x.Problems, p)
				}
			}
			if len(tt.problems) == 0 && len(got) > 0 {
				t.Errorf("unexpected problems %v", x.Problems)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	bomb := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		chunk := bytes.Repeat([]byte("A"), 1<<20)
		for i := 0; i < 24; i++ { // 24 MB of XML text, a few KB zipped
			w.Write(chunk)
		}
		zw.Close()
		return buf.Bytes()
	}()
	tests := []struct {
		name     string
		raw      []byte
		problems []string
		kind     liaison.Kind
	}{
		{"missing final boundary", []byte(hdr("a@example.com", "LS on X", "Content-Type: multipart/mixed; boundary=\"B\"\r\n") + "\r\n--B\r\nContent-Type: text/plain\r\n\r\nPlease find attached an LS from ITU-T SG15 to IETF CCAMP, for action.\r\n--B\r\nContent-Type: application/pdf; name=\"LS.pdf\"\r\n\r\nPDFDATA"), []string{"mime"}, liaison.KindStatement},
		{"boundary never found", []byte(hdr("a@example.com", "x", "Content-Type: multipart/mixed; boundary=\"NOPE\"\r\n") + "\r\njust text\r\n"), []string{"mime"}, ""},
		{"no message-id, no date", []byte("From: a@example.com\r\nSubject: hello\r\n\r\nbody\r\n"), []string{"no-message-id", "no-date"}, liaison.KindOther},
		{"empty message", []byte{}, []string{"empty-body"}, liaison.KindOther},
		{"empty body", []byte(hdr("a@example.com", "x", "") + "\r\n"), []string{"empty-body"}, liaison.KindOther},
		{"garbage", []byte("\x00\x01\x02 this is : not \xff mail\n\n\n--"), []string{"header"}, liaison.KindOther},
		{"docx that is not a zip", multiMsg("a@example.com", "LS from ITU-T SG15 to IETF", "", "mixed", textPart("Please find attached the LS, for action."),
			filePart("LS.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("%PDF-1.4 not a zip"))), []string{"docx"}, liaison.KindStatement},
		{"zip bomb docx", multiMsg("a@example.com", "LS from ITU-T SG15 to IETF", "", "mixed", textPart("Please find attached the LS, for action."),
			filePart("bomb.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", bomb)), []string{"docx"}, liaison.KindStatement},
		{"unknown transfer encoding", []byte(hdr("a@example.com", "x", "Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n") + "\r\nbody\r\n"), []string{"mime"}, ""},
		{"bad content type", []byte(hdr("a@example.com", "x", "Content-Type: ;;;\r\n") + "\r\nbody\r\n"), []string{"mime"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := Parse(tt.raw, Options{})
			if x == nil {
				t.Fatal("nil extraction")
			}
			for _, p := range tt.problems {
				if !hasProblem(codes(x), p) {
					t.Errorf("problems %v lack %q", x.Problems, p)
				}
			}
			for _, p := range x.Problems {
				if p.Detail == "" {
					t.Errorf("problem %q has no detail", p.Code)
				}
			}
			if tt.kind != "" && x.Kind != tt.kind {
				t.Errorf("kind = %q, want %q", x.Kind, tt.kind)
			}
		})
	}
}

func TestAttachmentsHashedDecoded(t *testing.T) {
	data := bytes.Repeat([]byte("liaison\x00\xff"), 1000)
	sum := sha256.Sum256(data)
	raw := multiMsg("a@example.com", "x", "", "mixed", textPart("hi"),
		part{"Content-Type: multipart/mixed; boundary=\"INNER\"\r\n", "--INNER\r\n" + filePart("a.bin", "application/octet-stream", data).header + "\r\n" + filePart("a.bin", "", data).body + "\r\n--INNER--"})
	x := Parse(raw, Options{})
	if len(x.Attachments) != 1 {
		t.Fatalf("attachments = %+v", x.Attachments)
	}
	a := x.Attachments[0]
	if a.Size != int64(len(data)) || a.SHA256 != hex.EncodeToString(sum[:]) || a.Part != "2.1" || a.ContentType != "application/octet-stream" {
		t.Errorf("attachment = %+v, want size %d sha %x part 2.1", a, len(data), sum)
	}
}

// TestLargeAttachmentMemory parses a message with a 30 MB attachment and
// checks that the attachment is streamed, not buffered: the bytes allocated
// while parsing stay well under three times the message size.
func TestLargeAttachmentMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("large message")
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 30<<20/16)
	raw := multiMsg("a@example.com", "LS from ITU-T SG15 to IETF CCAMP", "", "mixed", textPart("Please find attached the LS, for action."), filePart("big.zip", "application/zip", data))
	data = nil
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	x := Parse(raw, Options{})
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	if limit := uint64(len(raw)); alloc > limit {
		t.Errorf("parsing a %d-byte message allocated %d bytes; want under %d", len(raw), alloc, limit)
	}
	if len(x.Attachments) != 1 || x.Attachments[0].Size != 30<<20 {
		t.Errorf("attachments = %+v", x.Attachments)
	}
}

func TestTruncatedText(t *testing.T) {
	raw := textMsg("a@example.com", "x", "", strings.Repeat("long line of text\n", 70000))
	x := Parse(raw, Options{})
	if !hasProblem(codes(x), "truncated") {
		t.Errorf("problems %v lack truncated", x.Problems)
	}
	if len(x.Body) > maxTextBytes+100 {
		t.Errorf("body kept %d bytes", len(x.Body))
	}
}
