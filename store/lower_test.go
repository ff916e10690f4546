package store

import (
	"strings"
	"testing"
)

// appendLower is strings.ToLower appended to what is there, whatever the
// mix of ASCII and other runes (and invalid UTF-8).
func TestAppendLower(t *testing.T) {
	for _, s := range []string{"", "ABC xyz 09", "LS on OTN — ÄÖÜ ǅ İ", "Straße\xff\xfeTAIL", "ÀB", "AB\u0130"} {
		if got, want := string(appendLower([]byte("pre:"), s)), "pre:"+strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzAppendLower(f *testing.F) {
	f.Add("pre", "Mixed CASE Ünïcödé\xff")
	f.Fuzz(func(t *testing.T, pre, s string) {
		if got, want := string(appendLower([]byte(pre), s)), pre+strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q, %q) = %q, want %q", pre, s, got, want)
		}
	})
}

func BenchmarkAppendLower(b *testing.B) {
	body := strings.Repeat("The Study Group reviewed the OTN Topology model and Asks CCAMP.\n", 700)
	b.SetBytes(int64(len(body)))
	var buf []byte
	for b.Loop() {
		buf = appendLower(buf[:0], body)
	}
}
