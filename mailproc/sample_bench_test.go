package mailproc

import (
	"testing"

	"github.com/ietf-tools/liaisond/internal/samplemail"
)

// BenchmarkParseTypical parses the benchmark corpus's typical statement: a
// 60 KB ITU-style cover sheet with 45 KB of text and a .docx attachment.
func BenchmarkParseTypical(b *testing.B) {
	raw := samplemail.Statement(7, 45000, true)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for i := 0; i < b.N; i++ {
		Parse(raw, Options{LiaisonAddresses: []string{"statements@ietf.example"}})
	}
}
