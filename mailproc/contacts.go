package mailproc

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
)

var (
	nameSepRE   = regexp.MustCompile(`[;\n]|,\s`)
	parenNameRE = regexp.MustCompile(`^\s*>?\s*\(([^()@\n]{2,80})\)`)
	subLabelRE  = regexp.MustCompile(`(?i)^\s*(?:tel(?:ephone)?|phone|fax|mob(?:ile)?|cell|e-?mail(?: address)?|mail|mailto|web|url)\s*[.:]`)
	nameLabelRE = regexp.MustCompile(`(?i)(?:^|\n)\s*(?:contact )?name\s*:\s*([^\n]+)`)
	midLabelRE  = regexp.MustCompile(`(?i)\s(?:tel(?:ephone)?|phone|fax|mob(?:ile)?|e-?mail(?: address)?)\s*[.:]`)
	columnRE    = regexp.MustCompile(`\s{3,}|\t+`)
	phoneRE     = regexp.MustCompile(`^[+()\d\s./-]{6,}$`)
	nameTrimRE  = regexp.MustCompile(`(?i)(?:^[\s,;:|<(\["'*-]+|[\s,;:|<(\["'*-]+$|\bmailto:?$|\be-?mail(?: address)?\s*:?$)`)
)

// parseContacts reads the people named in a contacts field: "Name <email>",
// "Name, email", "Name (email)", "email (Name)", "mailto:" forms, ITU-style
// blocks (name, organization, Tel, E-mail lines), 3GPP "Name:" / "E-mail
// Address:" blocks, and several of any of these separated by commas,
// semicolons or lines. Entries without an e-mail address keep the name.
func parseContacts(s string) []liaison.Contact {
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.TrimSpace(s)
	if s == "" || isNone(s) {
		return nil
	}
	if !strings.Contains(s, "\n") && !strings.Contains(strings.ToLower(s), "mailto:") {
		if list, err := mailaddr.ParseList(s); err == nil && len(list) > 0 {
			out := make([]liaison.Contact, 0, len(list))
			for _, a := range list {
				out = append(out, liaison.Contact{Name: cleanName(a.Name), Email: a.Addr()})
			}
			return dedupContacts(out)
		}
	}
	locs := emailRE.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		var out []liaison.Contact
		for _, part := range nameSepRE.Split(s, -1) {
			if n := cleanName(part); n != "" && len(n) <= 80 && !isNone(n) {
				out = append(out, liaison.Contact{Name: n})
			}
		}
		return dedupContacts(out)
	}
	var out []liaison.Contact
	prev := 0
	for i, loc := range locs {
		email := s[loc[0]:loc[1]]
		prefix := s[prev:loc[0]]
		next := len(s)
		if i+1 < len(locs) {
			next = locs[i+1][0]
		}
		name := nameFromPrefix(prefix)
		suffixEnd := loc[1]
		// "email (Name)" form.
		if rest := s[loc[1]:next]; name == "" {
			if m := parenNameRE.FindStringSubmatchIndex(rest); m != nil {
				name = cleanName(rest[m[2]:m[3]])
				suffixEnd = loc[1] + m[1]
			}
		}
		if strings.HasPrefix(s[suffixEnd:], ">") {
			suffixEnd++
		}
		if strings.HasPrefix(s[suffixEnd:], ")") {
			suffixEnd++
		}
		prev = suffixEnd
		out = append(out, liaison.Contact{Name: name, Email: email})
	}
	return dedupContacts(out)
}

// nameFromPrefix picks the person's name out of the text written before an
// e-mail address.
func nameFromPrefix(p string) string {
	if m := nameLabelRE.FindStringSubmatch(p); m != nil {
		return cleanName(m[1])
	}
	var lines []string
	for _, l := range strings.Split(p, "\n") {
		// Column layouts: "Name    Tel: +1 ...    E-mail: x".
		if loc := midLabelRE.FindStringIndex(l); loc != nil && loc[0] > 0 {
			l = l[:loc[0]]
		}
		if cols := columnRE.Split(strings.TrimSpace(l), -1); len(cols) > 1 {
			l = cols[0]
		}
		l = strings.TrimSpace(l)
		if l == "" || subLabelRE.MatchString(l) || phoneRE.MatchString(l) {
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return ""
	}
	var cand string
	if len(lines) == 1 {
		cand = lines[0]
		// "Name <", "Name, ", "Name mailto:"; a leading separator comes
		// from the previous entry.
		cand = strings.TrimLeft(cand, " ,;|")
		if i := strings.LastIndexAny(cand, ";"); i >= 0 {
			cand = cand[i+1:]
		}
		cand = cleanName(cand)
		if parts := strings.Split(cand, ","); len(parts) > 1 {
			cand = cleanName(parts[0])
		}
	} else {
		// A block: the name is its first line.
		cand = cleanName(lines[0])
	}
	if strings.Contains(cand, "@") {
		return ""
	}
	return cand
}

func cleanName(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < 4; i++ {
		t := strings.TrimSpace(nameTrimRE.ReplaceAllString(s, ""))
		if t == s {
			break
		}
		s = t
	}
	s = strings.Trim(s, `"'`)
	return strings.Join(strings.Fields(s), " ")
}

func dedupContacts(in []liaison.Contact) []liaison.Contact {
	var out []liaison.Contact
	seen := map[string]int{}
	for _, c := range in {
		if c.Name == "" && c.Email == "" {
			continue
		}
		key := strings.ToLower(c.Email)
		if key == "" {
			key = "name:" + strings.ToLower(c.Name)
		}
		if i, ok := seen[key]; ok {
			if out[i].Name == "" {
				out[i].Name = c.Name
			}
			continue
		}
		seen[key] = len(out)
		out = append(out, c)
	}
	return out
}

// isNone reports whether a field value means "nothing".
func isNone(s string) bool {
	if len(s) > 64 {
		return false // every word for nothing is short
	}
	switch strings.ToLower(strings.Trim(strings.TrimSpace(s), ".-–—_ ()[]")) {
	case "", "none", "n/a", "na", "nil", "-", "no", "not applicable", "tbd", "no document has been attached", "no documents", "no attachments":
		return true
	}
	return false
}
