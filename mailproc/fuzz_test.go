package mailproc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ietf-tools/liaisond/liaison"
)

func FuzzParse(f *testing.F) {
	f.Add(textMsg("lsmt@ietf.example", `New Liaison Statement, "LS on OTN"`, "Auto-Submitted: auto-generated\r\n", trackerBody))
	f.Add(textMsg("tsbsg15@itu.int", "SG15-LS45", "", ituBody))
	f.Add(textMsg("3GPPLiaison@etsi.org", "3GPP LS", "", gppBody))
	f.Add(multiMsg("a@example.com", "LS on OTN YANG", "", "mixed", textPart(proseBody), filePart("LS.docx", "application/octet-stream", buildDocx(f, [][2]string{{"Title:", "T"}, {"Deadline:", "1 May 2027"}}))))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\n=ZZ"))
	f.Add([]byte{})
	f.Add([]byte("\xff\xfe garbage"))
	if files, err := filepath.Glob("../testdata/corpus/*.eml"); err == nil {
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		x := Parse(raw, Options{})
		if x == nil {
			t.Fatal("nil extraction")
		}
		switch x.Kind {
		case liaison.KindStatement, liaison.KindReply, liaison.KindAutoreply, liaison.KindBounce, liaison.KindOther:
		default:
			t.Fatalf("kind %q", x.Kind)
		}
		if !x.Deadline.IsZero() && !x.Deadline.Valid() {
			t.Fatalf("invalid deadline %v", x.Deadline)
		}
		if (x.Kind == liaison.KindStatement) != (x.ContentHash != "") {
			t.Fatalf("kind %q with content hash %q", x.Kind, x.ContentHash)
		}
		if x.Kind == liaison.KindStatement && x.Shape == "" {
			t.Fatal("statement without shape")
		}
		for _, s := range []string{x.Subject, x.Title, x.Body, x.FromOrgText} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
		for _, p := range x.Problems {
			if p.Code == "" || p.Detail == "" {
				t.Fatalf("problem without code or detail: %+v", p)
			}
			// Parse keeps the message through a panic, but a panic is a
			// bug all the same.
			if strings.HasPrefix(p.Detail, internalError) {
				t.Fatalf("Parse recovered from a panic: %s", p.Detail)
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2027-03-15", "15 March 2027", "March 15, 2027", "15/03/2027", "31/02/2027", "mid-May 2027",
		"end of February 2028", "4–8 May 2027", "30 April - 2 May 2027", "Friday, 15 March 2027", "15.03.2027", "early June 2027", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if ok && !d.Valid() {
			t.Fatalf("ParseDate(%q) = %v, not a valid date", s, d)
		}
		if !ok && !d.IsZero() {
			t.Fatalf("ParseDate(%q) = %v with ok=false", s, d)
		}
		if ok {
			// The ISO rendering reads back to the same date.
			if e, ok2 := ParseDate(d.String()); !ok2 || e != d {
				t.Fatalf("round trip %q -> %v -> %v", s, d, e)
			}
		}
	})
}
