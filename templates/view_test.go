package templates

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ietf-tools/liaisond/liaison"
)

// excerptByCopy is excerpt the simple way: normalise every line break of
// the whole body, split it all, then keep lines while they fit.
func excerptByCopy(body string, n, max int) (string, bool) {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	all := strings.Split(strings.Trim(body, "\n"), "\n")
	var kept []string
	truncated := false
	left := max
	for i, l := range all {
		if i == n {
			truncated = true
			break
		}
		if len(l) > left {
			kept, truncated = append(kept, fitLine(l, left)), true
			break
		}
		kept = append(kept, l)
		if left -= len(l) + 1; left <= 0 && i+1 < len(all) {
			truncated = true
			break
		}
	}
	for i, l := range kept {
		kept[i] = strings.TrimRightFunc(strings.Map(func(r rune) rune {
			if r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
				return ' '
			}
			return r
		}, l), unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(kept, "\n")), truncated
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		body      string
		n, max    int
		want      string
		truncated bool
	}{
		{"", 3, 1000, "", false},
		{"\r\n\n\r", 3, 1000, "", false},
		{"a\nb\nc", 3, 1000, "a\nb\nc", false},
		{"a\nb\nc\n\n\r\n", 3, 1000, "a\nb\nc", false},
		{"a\nb\nc\nd", 3, 1000, "a\nb\nc", true},
		{"a\nb\nc\n \n", 3, 1000, "a\nb\nc", true},
		{"\n\na\r\rb\r\r\nc", 5, 1000, "a\n\nb\n\nc", false},
		{"a\r\n\r\nb", 2, 1000, "a", true},
		{"  a  \t\n\tb\x00c\u2028d \n", 3, 1000, "a\n\tb c d", false},
		// The byte budget: a line that does not fit is cut after its last
		// space that fits, or at the last whole rune, and ends it.
		{"Dear colleagues, the study group\nagreed", 40, 20, "Dear colleagues, the", true},
		{"abcdef\nmore", 40, 7, "abcdef", true}, // the line and its end fill it
		{"abc\ndef", 40, 7, "abc\ndef", false},  // exactly fits
		{"abcdefgh", 40, 4, "abcd", true},       // no space: cut at the budget
		{"ab\u00e9\u00e9", 40, 3, "ab", true},   // never half a rune
		{"word " + strings.Repeat("x", 50), 40, 30, "word", true},
	}
	for _, tc := range tests {
		got, truncated := excerpt(tc.body, tc.n, tc.max)
		if got != tc.want || truncated != tc.truncated {
			t.Errorf("excerpt(%q, %d, %d) = %q, %v; want %q, %v", tc.body, tc.n, tc.max, got, truncated, tc.want, tc.truncated)
		}
	}
}

// A body of long paragraph lines shows its start in a notice, not most of
// the statement: the excerpt stops at ExcerptBytes, at a word.
func TestViewExcerptIsBounded(t *testing.T) {
	para := strings.Repeat("The study group reviewed the contributions on the alignment of the information models. ", 6)
	body := strings.Repeat(para+"\n\n", 90) // 45 KB in 180 lines
	v := View(&liaison.Record{ID: "LS-2026-0001", Extraction: liaison.Extraction{Body: body}}, time.UTC, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
	if len(v.BodyExcerpt) > ExcerptBytes || len(v.BodyExcerpt) < ExcerptBytes-len(para) || !v.BodyTruncated {
		t.Fatalf("excerpt of %d bytes (truncated %v), want at most %d", len(v.BodyExcerpt), v.BodyTruncated, ExcerptBytes)
	}
	if !strings.HasPrefix(v.BodyExcerpt, "The study group") || strings.HasSuffix(v.BodyExcerpt, " ") || !strings.HasPrefix(para, v.BodyExcerpt[strings.LastIndex(v.BodyExcerpt, "\n")+1:]) {
		t.Errorf("excerpt does not end at a word of the paragraph: ...%q", v.BodyExcerpt[len(v.BodyExcerpt)-60:])
	}
}

// FuzzExcerpt: reading only the lines kept is the same as splitting the
// whole body. v gives both the line count (1-50) and the byte budget
// (1-4000).
func FuzzExcerpt(f *testing.F) {
	for _, s := range []string{"", "a\nb", "\r\n\r\na\rb\r\r\nc\n\n", " x \n\t\u2028\n\x00\n\n\n\n\n\ny", "ab\u00e9 c\u00e9d\nef"} {
		f.Add(s, 3)
		f.Add(s, 3+50*4)
	}
	f.Fuzz(func(t *testing.T, body string, v int) {
		if v < 0 {
			v = -(v + 1)
		}
		n, max := v%50+1, (v/50)%4000+1
		got, gotT := excerpt(body, n, max)
		want, wantT := excerptByCopy(body, n, max)
		if got != want || gotT != wantT {
			t.Errorf("excerpt(%q, %d, %d) = %q, %v; by copy %q, %v", body, n, max, got, gotT, want, wantT)
		}
	})
}
