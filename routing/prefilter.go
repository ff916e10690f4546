package routing

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// pattern is a route's regular expression with a cheap test that rules it
// out: a body pattern such as `(?i)\bPCE(P)?\b|path computation` starts
// with an alternation, so the regexp package has no literal to search for
// and tries it at every byte of a 16 KB body. Every match of it holds one
// of lits (in fold form, see fold); a text whose fold form holds none
// cannot match.
type pattern struct {
	re   *regexp.Regexp
	lits []string // nil: no prefilter
}

// compilePattern compiles expr and derives its prefilter.
func compilePattern(expr string) (*pattern, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	p := &pattern{re: re}
	if tree, err := syntax.Parse(expr, syntax.Perl); err == nil {
		p.lits = requiredLits(tree.Simplify())
	}
	return p, nil
}

// match reports whether the pattern matches text; folded is
// foldBytes(text), or nil to let match fold it when the prefilter needs it.
func (p *pattern) match(text string, folded []byte) bool {
	if p.lits != nil {
		if folded == nil {
			folded = foldBytes(text)
		}
		if !containsAny(folded, p.lits) {
			return false
		}
	}
	return p.re.MatchString(text)
}

// fold maps every rune of s to the smallest rune it matches
// case-insensitively ("a" and "A" to "A", "s", "S" and "ſ" to "S"), so
// that a text holds a literal case-insensitively exactly when its fold
// holds the literal's fold.
func fold(s string) string { return string(foldBytes(s)) }

// foldBytes is fold without the copy to a string.
func foldBytes(s string) []byte {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // an ASCII letter's smallest fold is its capital
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, foldRune(r))
		i += n
	}
	return b
}

func foldRune(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}

func containsAny(b []byte, subs []string) bool {
	for _, sub := range subs {
		if bytes.Contains(b, []byte(sub)) {
			return true
		}
	}
	return false
}

// requiredLits returns literals (in fold form) at least one of which every
// match of re contains, or nil when that cannot be said (a pattern that
// may match without any literal, or whose literals are too short to
// help).
func requiredLits(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) < 2 {
			return nil
		}
		return []string{fold(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLits(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLits(re.Sub[0])
		}
	case syntax.OpConcat:
		// Any one part's literals will do: take the part whose shortest
		// literal is longest.
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			lits := requiredLits(sub)
			if l := shortest(lits); lits != nil && l > bestLen {
				best, bestLen = lits, l
			}
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			lits := requiredLits(sub)
			if lits == nil {
				return nil
			}
			out = append(out, lits...)
		}
		return out
	}
	return nil
}

func shortest(lits []string) int {
	n := 0
	for i, l := range lits {
		if i == 0 || len(l) < n {
			n = len(l)
		}
	}
	return n
}
