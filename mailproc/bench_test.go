package mailproc

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

// BenchmarkParse parses a typical statement: a ~60 KB message with a prose
// body and an ITU-T cover sheet in an attached .docx.
func BenchmarkParse(b *testing.B) {
	filler := strings.Repeat("SG15 has reviewed the draft and has the following comments on the YANG model. ", 250)
	doc := buildDocx(b, [][2]string{
		{"Question(s):", "11/15"}, {"Source:", "ITU-T Study Group 15"}, {"Title:", "LS on OTN YANG"},
		{"For action to:", "IETF CCAMP WG"}, {"Deadline:", "15 March 2027"},
		{"Contact:", "Jane Doe\nE-mail: jane@example.com"},
	}, filler, filler)
	raw := multiMsg("TSB SG15 <tsbsg15@itu.int>", "LS from ITU-T SG15 to IETF CCAMP on OTN YANG", "", "mixed",
		textPart(proseBody+"\n"+filler), filePart("SG15-LS123.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", doc))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		x := Parse(raw, Options{})
		if x.Shape != liaison.ShapeITU {
			b.Fatalf("shape %q", x.Shape)
		}
	}
}
