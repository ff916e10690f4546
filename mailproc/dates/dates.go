// Package dates finds calendar dates in the free text of liaison statements,
// written the many ways standards people write them.
//
// Recognised forms (case-insensitive, anywhere in the text):
//
//	2027-03-15, 2027/03/15            ISO order
//	15 March 2027, 15th March 2027    day month year, optional ordinal and period
//	15 Mar. 2027, 15-Mar-2027
//	March 15, 2027, Mar 15 2027       month day year
//	June 3rd, 2027, June the 3rd,2027 ordinals, "the", no space after the comma
//	2027年6月3日                       year, month, day in CJK notation
//	15/03/2027, 15.03.2027            numeric, day first as SDOs write it
//	                                  (month first only when the day-first
//	                                  reading is impossible, e.g. 03/15/2027)
//	mid-May 2027                      the 15th
//	end of May 2027, late May 2027    the last day of the month
//	early June 2027, beginning of June 2027   the 1st
//	4-8 May 2027, 4 to 8 May 2027,    ranges: the first day
//	30 April - 2 May 2027, May 4-8, 2027
//
// Weekday prefixes ("Friday, 15 March 2027") are simply skipped. Impossible
// dates (31/02/2027) are rejected. Years must lie between 1900 and 2199.
package dates

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

const monthRE = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
const dayRE = `(\d{1,2})(?:st|nd|rd|th|\.)?`
const dashRE = `\s*(?:-|–|—|to|until|till|through|and)\s*`

type pattern struct {
	re *regexp.Regexp
	// build turns the submatches into a date.
	build func(m []string) (liaison.Date, bool)
}

var patterns = []pattern{
	// 30 April - 2 May 2027: first day, year of the end.
	{regexp.MustCompile(`(?i)\b` + dayRE + `\s+` + monthRE + dashRE + `\d{1,2}(?:st|nd|rd|th)?\s+` + monthRE + `,?\s+(\d{4})\b`),
		func(m []string) (liaison.Date, bool) { return mk(m[4], m[2], m[1]) }},
	// 4-8 May 2027, 4 to 8 May 2027.
	{regexp.MustCompile(`(?i)\b` + dayRE + dashRE + `\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthRE + `,?\s+(\d{4})\b`),
		func(m []string) (liaison.Date, bool) { return mk(m[3], m[2], m[1]) }},
	// 15 March 2027, 15th of March, 2027, 15-Mar-2027.
	{regexp.MustCompile(`(?i)\b` + dayRE + `(?:\s+of\s+|\s*-\s*|\s+)` + monthRE + `(?:\s*-\s*|,?\s+)(\d{4})\b`),
		func(m []string) (liaison.Date, bool) { return mk(m[3], m[2], m[1]) }},
	// March 15, 2027, Mar 15 2027, May 4-8, 2027, April 30 - May 2, 2027,
	// June the 3rd,2027.
	{regexp.MustCompile(`(?i)\b` + monthRE + `\s+(?:the\s+)?` + dayRE + `(?:` + dashRE + `(?:` + monthRE + `\s+)?\d{1,2}(?:st|nd|rd|th)?)?(?:,\s*|\s+)(\d{4})\b`),
		func(m []string) (liaison.Date, bool) { return mk(m[4], m[1], m[2]) }},
	// 2027年6月3日.
	{regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`),
		func(m []string) (liaison.Date, bool) { return mkNum(m[1], m[2], m[3]) }},
	// 2027-03-15, 2027/03/15, 2027.03.15.
	{regexp.MustCompile(`\b(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})\b`),
		func(m []string) (liaison.Date, bool) {
			if m[2] != m[4] {
				return liaison.Date{}, false
			}
			return mkNum(m[1], m[3], m[5])
		}},
	// 15/03/2027, 15.03.2027, 15-03-2027: day first; month first only if day first is impossible.
	{regexp.MustCompile(`\b(\d{1,2})([./-])(\d{1,2})([./-])(\d{4})\b`),
		func(m []string) (liaison.Date, bool) {
			if m[2] != m[4] {
				return liaison.Date{}, false
			}
			if d, ok := mkNum(m[5], m[3], m[1]); ok {
				return d, true
			}
			return mkNum(m[5], m[1], m[3])
		}},
	// mid-May 2027, end of May 2027, early June 2027.
	{regexp.MustCompile(`(?i)\b(mid|middle\s+of|end\s+of|end|late|early|beginning\s+of|start\s+of|begin\s+of)[-\s]+(?:the\s+month\s+of\s+)?` + monthRE + `,?\s+(\d{4})\b`),
		func(m []string) (liaison.Date, bool) {
			mon, ok := month(m[2])
			if !ok {
				return liaison.Date{}, false
			}
			y, ok := year(m[3])
			if !ok {
				return liaison.Date{}, false
			}
			w := strings.ToLower(strings.Fields(m[1])[0])
			switch w {
			case "mid", "middle":
				return liaison.Date{Year: y, Month: mon, Day: 15}, true
			case "end", "late":
				last := time.Date(y, mon+1, 0, 0, 0, 0, 0, time.UTC).Day()
				return liaison.Date{Year: y, Month: mon, Day: last}, true
			default:
				return liaison.Date{Year: y, Month: mon, Day: 1}, true
			}
		}},
}

// Match is one date found in a text.
type Match struct {
	Date       liaison.Date
	Start, End int // byte offsets of the written date in the text
}

// FindAll returns every valid date written in s, in order of appearance.
// Overlapping candidates are resolved in favour of the one starting first
// (and, at the same start, the longest), so "4-8 May 2027" yields 4 May only.
func FindAll(s string) []Match {
	type cand struct {
		Match
		ok bool
	}
	var cands []cand
	// Every form carries a four-digit year: only the regions around lines
	// holding one are searched (a line and the one before it, so that a
	// date broken across two lines is still seen).
	for _, r := range yearRegions(s) {
		sub := s[r[0]:r[1]]
		for _, p := range patterns {
			for _, loc := range p.re.FindAllStringSubmatchIndex(sub, -1) {
				m := make([]string, len(loc)/2)
				for i := range m {
					if loc[2*i] >= 0 {
						m[i] = sub[loc[2*i]:loc[2*i+1]]
					}
				}
				d, ok := p.build(m)
				cands = append(cands, cand{Match{d, r[0] + loc[0], r[0] + loc[1]}, ok})
			}
		}
	}
	// Order by start, longest first.
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].Start != cands[j].Start {
			return cands[i].Start < cands[j].Start
		}
		return cands[i].End > cands[j].End
	})
	var out []Match
	end := -1
	for _, c := range cands {
		if c.Start < end {
			continue // overlaps a date already taken
		}
		if !c.ok {
			// An impossible date still consumes its text so that its
			// pieces are not re-read as another date.
			end = c.End
			continue
		}
		out = append(out, c.Match)
		end = c.End
	}
	return out
}

var yearRE = regexp.MustCompile(`\d{4}`)

// yearRegions returns disjoint [start, end) spans of s: each line holding a
// four-digit number together with the line before it.
func yearRegions(s string) [][2]int {
	var out [][2]int
	for _, loc := range yearRE.FindAllStringIndex(s, -1) {
		lineStart := strings.LastIndexByte(s[:loc[0]], '\n') + 1
		start := 0
		if lineStart > 0 {
			start = strings.LastIndexByte(s[:lineStart-1], '\n') + 1
		}
		end := len(s)
		if i := strings.IndexByte(s[loc[1]:], '\n'); i >= 0 {
			end = loc[1] + i
		}
		if n := len(out); n > 0 && start <= out[n-1][1] {
			if end > out[n-1][1] {
				out[n-1][1] = end
			}
			continue
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

// Find returns the first valid date written in s.
func Find(s string) (Match, bool) {
	all := FindAll(s)
	if len(all) == 0 {
		return Match{}, false
	}
	return all[0], true
}

// Parse returns the first valid date written in s; ok is false when there is
// none.
func Parse(s string) (d liaison.Date, ok bool) {
	m, ok := Find(s)
	return m.Date, ok
}

func mk(y, mon, d string) (liaison.Date, bool) {
	mm, ok := month(mon)
	if !ok {
		return liaison.Date{}, false
	}
	yy, ok := year(y)
	if !ok {
		return liaison.Date{}, false
	}
	dd, err := strconv.Atoi(d)
	if err != nil {
		return liaison.Date{}, false
	}
	out := liaison.Date{Year: yy, Month: mm, Day: dd}
	return out, out.Valid()
}

func mkNum(y, mon, d string) (liaison.Date, bool) {
	m, err := strconv.Atoi(mon)
	if err != nil || m < 1 || m > 12 {
		return liaison.Date{}, false
	}
	return mk(y, time.Month(m).String(), d)
}

func year(s string) (int, bool) {
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 2199 {
		return 0, false
	}
	return y, true
}

func month(s string) (time.Month, bool) {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(s) < 3 {
		return 0, false
	}
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), s[:3]) {
			return m, true
		}
	}
	return 0, false
}
