package config

import (
	"fmt"
	"sort"
	"strings"
)

// Diagnostic is one problem found in a configuration file.
type Diagnostic struct {
	File string // the file as given to Load or Parse
	Line int    // 1-based line of the offending key or value
	Key  string // the key's path, e.g. "imap.tls" or "organizations[2].aliases[0]"; empty for syntax errors
	Msg  string // what is wrong
}

// String renders "FILE:LINE: KEY: message" (or "FILE:LINE: message" when
// the diagnostic is not about a particular key).
func (d Diagnostic) String() string {
	if d.Key == "" {
		return fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", d.File, d.Line, d.Key, d.Msg)
}

// Errors is the error Load and Parse return when a file has problems. It
// lists every problem found, sorted by line.
type Errors []Diagnostic

// Error prints one "FILE:LINE: message" line per problem.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, d := range e {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

func (e Errors) sort() {
	sort.SliceStable(e, func(i, j int) bool {
		if e[i].Line != e[j].Line {
			return e[i].Line < e[j].Line
		}
		return e[i].Key < e[j].Key
	})
}

// suggest returns the candidate closest to word when it is close enough to
// be a likely typo, else "".
func suggest(word string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(word), c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(2, len(word)/3)
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// levenshtein is the edit distance between a and b (bytes; keys are ASCII).
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
