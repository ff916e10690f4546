package templates

import (
	"strings"
	"testing"
	"unicode"
)

// excerptByCopy is how excerpt worked before it read only the lines it
// keeps: normalise every line break of the whole body, split it all.
func excerptByCopy(body string, n int) (string, bool) {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	all := strings.Split(strings.Trim(body, "\n"), "\n")
	truncated := len(all) > n
	if truncated {
		all = all[:n]
	}
	for i, l := range all {
		all[i] = strings.TrimRightFunc(strings.Map(func(r rune) rune {
			if r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
				return ' '
			}
			return r
		}, l), unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(all, "\n")), truncated
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		body      string
		n         int
		want      string
		truncated bool
	}{
		{"", 3, "", false},
		{"\r\n\n\r", 3, "", false},
		{"a\nb\nc", 3, "a\nb\nc", false},
		{"a\nb\nc\n\n\r\n", 3, "a\nb\nc", false},
		{"a\nb\nc\nd", 3, "a\nb\nc", true},
		{"a\nb\nc\n \n", 3, "a\nb\nc", true},
		{"\n\na\r\rb\r\r\nc", 5, "a\n\nb\n\nc", false},
		{"a\r\n\r\nb", 2, "a", true},
		{"  a  \t\n\tb\x00c\u2028d \n", 3, "a\n\tb c d", false},
	}
	for _, tc := range tests {
		got, truncated := excerpt(tc.body, tc.n)
		if got != tc.want || truncated != tc.truncated {
			t.Errorf("excerpt(%q, %d) = %q, %v; want %q, %v", tc.body, tc.n, got, truncated, tc.want, tc.truncated)
		}
	}
}

// FuzzExcerpt: reading only the lines kept changes nothing.
func FuzzExcerpt(f *testing.F) {
	for _, s := range []string{"", "a\nb", "\r\n\r\na\rb\r\r\nc\n\n", " x \n\t\u2028\n\x00\n\n\n\n\n\ny"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, body string, n int) {
		n = n%50 + 1
		if n < 1 {
			n += 50
		}
		got, gotT := excerpt(body, n)
		want, wantT := excerptByCopy(body, n)
		if got != want || gotT != wantT {
			t.Errorf("excerpt(%q, %d) = %q, %v; before it was %q, %v", body, n, got, gotT, want, wantT)
		}
	})
}
