package mailproc

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// normText normalises line ends and odd spaces (each replacement only
// when the text holds what it replaces: most text holds none of the odd
// spaces).
func normText(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		if strings.IndexByte(s, '\r') >= 0 {
			s = strings.ReplaceAll(s, "\r", "\n")
		}
	}
	if strings.IndexByte(s, 0xC2) >= 0 {
		s = strings.ReplaceAll(s, "\u00a0", " ")
	}
	if strings.IndexByte(s, 0xE2) >= 0 {
		s = strings.ReplaceAll(s, "\u200b", "")
	}
	if strings.IndexByte(s, 0xEF) >= 0 {
		s = strings.ReplaceAll(s, "\ufeff", "")
	}
	return s
}

// normForHash lower-cases, drops quote marks, forward markers and pseudo
// headers, and collapses all whitespace, so that copies of one text compare
// equal however they were forwarded.
func normForHash(s string) string {
	s = normText(s)
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimLeft(l, " \t>")
		if fwdMarkerRE.MatchString(t) || pseudoHdrRE.MatchString(t) && len(t) < 200 && b.Len() == 0 {
			continue
		}
		b.WriteString(t)
		b.WriteByte(' ')
	}
	return strings.ToLower(strings.Join(strings.Fields(b.String()), " "))
}

// findNear runs re only around the places where one of stems (words its
// matches hold near their start) occurs: from back bytes before the stem,
// over at most window bytes. It returns the first match's submatch
// indexes in text (nil for none). A regular expression that starts with an
// alternation gains no literal prefix to search for and is otherwise tried
// at every byte of a long text.
func findNear(text string, stems []string, re *regexp.Regexp, window, back int) []int {
	// next[i] is the next occurrence of stems[i] (-1: none left).
	next := make([]int, len(stems))
	for i, st := range stems {
		next[i] = strings.Index(text, st)
	}
	for {
		k := -1
		for i, n := range next {
			if n >= 0 && (k < 0 || n < next[k]) {
				k = i
			}
		}
		if k < 0 {
			return nil
		}
		stem := next[k]
		at := max(0, stem-back)
		for at > 0 && !utf8.RuneStart(text[at]) {
			at--
		}
		if m := re.FindStringSubmatchIndex(text[at:min(len(text), at+window)]); m != nil {
			for i := range m {
				if m[i] >= 0 {
					m[i] += at
				}
			}
			return m
		}
		if j := strings.Index(text[stem+1:], stems[k]); j >= 0 {
			next[k] = stem + 1 + j
		} else {
			next[k] = -1
		}
	}
}

// sentenceStart and sentenceEnd bound the sentence around byte i.
func sentenceStart(s string, i int) int {
	if j := lastSentenceEnd(s[:i]); j >= 0 {
		return j + 1
	}
	if j := strings.LastIndex(s[:i], "\n\n"); j >= 0 {
		return j + 2
	}
	return 0
}

func sentenceEnd(s string, i int) int {
	for j := i; j < len(s); j++ {
		if (s[j] == '.' || s[j] == '?' || s[j] == '!') && (j+1 == len(s) || s[j+1] == ' ' || s[j+1] == '\n') {
			return j + 1
		}
		if s[j] == '\n' && j+1 < len(s) && s[j+1] == '\n' {
			return j
		}
	}
	return len(s)
}
