package mailproc

import (
	"regexp"
	"strings"
	"unicode"
)

// key is the canonical name of a labelled field, whatever the layout calls
// it ("Please reply by", "DEADLINE" and "Reply deadline" are all keyDeadline).
type key string

// The field keys of all layouts.
const (
	keyTitle       key = "title"
	keyTitleAlt    key = "title-alt" // "Subject:" in a labelled block
	keySubmitted   key = "submitted"
	keyURL         key = "url"
	keyDeadline    key = "deadline"
	keyFrom        key = "from"
	keyTo          key = "to"
	keyCc          key = "cc"
	keyRespContact key = "respcontacts"
	keyTechContact key = "techcontacts"
	keyPurpose     key = "purpose"
	keyRef         key = "ref" // the statement answered
	keyBody        key = "body"
	keyAttachments key = "attachments"
	keySource      key = "source"
	keyActionTo    key = "action_to"
	keyCommentTo   key = "comment_to"
	keyInfoTo      key = "info_to"
	keyApproval    key = "approval"
	keyContact     key = "contact"
	keyQuestion    key = "question"
	keyRelease     key = "release"
	keyWorkItem    key = "workitem"
	keyDescription key = "description"
	keyActions     key = "actions"
	keyNextMeeting key = "nextmeeting"
)

// field is one labelled value of a statement sheet.
type field struct {
	key   key    // canonical key
	label string // the label as written
	value string // the value, continuation lines joined with "\n"
	line  int    // line index of the label
}

// labelKeys maps normalised labels (lower case, single spaces) of all
// layouts to canonical keys.
var labelKeys = map[string]key{
	// Tracker notices.
	"title": keyTitle, "subject": keyTitleAlt, "submission date": keySubmitted, "submitted": keySubmitted,
	"url": keyURL, "url of the ietf web page": keyURL, "liaison url": keyURL, "web page": keyURL,
	"please reply by": keyDeadline, "reply by": keyDeadline, "deadline": keyDeadline, "response deadline": keyDeadline,
	"reply deadline": keyDeadline, "response requested by": keyDeadline, "reply requested by": keyDeadline,
	"from": keyFrom, "to": keyTo, "cc": keyCc,
	"response contacts": keyRespContact, "response contact": keyRespContact,
	"reponse contact":    keyRespContact, // the tracker's template until about 2012
	"technical contacts": keyTechContact, "technical contact": keyTechContact,
	"purpose": keyPurpose, "referenced liaison": keyRef, "referenced liaisons": keyRef, "related liaison": keyRef,
	// Letters: "Title / From / To / For / Due / Ref" lines.
	"liaison to": keyTo, "liaison from": keyFrom, "copy to": keyCc, "copies to": keyCc,
	"for": keyPurpose, "due": keyDeadline, "due date": keyDeadline, "reply due": keyDeadline, "response due": keyDeadline,
	"comments due": keyDeadline, "comments requested by": keyDeadline, "response requested": keyDeadline,
	"ref": keyRef, "reference": keyRef, "references": keyRef, "your ref": keyRef, "your reference": keyRef,
	"previous liaison": keyRef, "previous ls": keyRef, "related ls": keyRef, "in reply to": keyRef,
	"body": keyBody, "attachments": keyAttachments, "attachment": keyAttachments, "attachment(s)": keyAttachments,
	// ITU-T cover sheets.
	"source": keySource, "for action to": keyActionTo, "for action": keyActionTo,
	"for comment to": keyCommentTo, "for comments to": keyCommentTo, "for comment": keyCommentTo,
	"for information to": keyInfoTo, "for info to": keyInfoTo, "for information": keyInfoTo,
	"approval": keyApproval, "contact": keyContact, "contacts": keyContact,
	"question(s)": keyQuestion, "questions": keyQuestion, "question": keyQuestion,
	// 3GPP sheets.
	"response to": keyRef, "in response to": keyRef, "reply to": keyRef, "release": keyRelease, "work item": keyWorkItem,
	"work items": keyWorkItem, "work item(s)": keyWorkItem, "contact person": keyContact, "contact persons": keyContact,
	"contact person(s)": keyContact, "send any reply ls to": keyRespContact, "send any reply to": keyRespContact,
	"send reply ls to": keyRespContact, "send any reply ls": keyRespContact,
	"overall description": keyDescription, "actions": keyActions,
}

// long fields run across blank lines until the next known label.
var longKeys = map[key]bool{keyBody: true, keyDescription: true, keyActions: true, keyNextMeeting: true}

var (
	labelPartRE  = regexp.MustCompile(`^[ \t]*(?:\d{1,2}\.?[ \t]*)?([A-Za-z][A-Za-z0-9 ()/'’&.-]{0,50}?)[ \t]*$`)
	replyByRE    = regexp.MustCompile(`(?i)^[ \t]*(please reply by|reply requested by|response requested by)[ \t]*:?[ \t]+(.+)$`)
	nextMeetRE   = regexp.MustCompile(`(?i)^date of next`)
	multiSpaceRE = regexp.MustCompile(`\s+`)
)

// splitLabel splits a line "Label: value" into the label and the value;
// ok is false when the line does not start with a label. The label is at
// most 50 characters of letters, digits and a little punctuation, maybe
// numbered ("2. Actions:"), and the colon is followed by a space or ends
// the line.
func splitLabel(line string) (label, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 || i > 64 || i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t' && line[i+1] != '\r' {
		return "", "", false
	}
	m := labelPartRE.FindStringSubmatch(line[:i])
	if m == nil {
		return "", "", false
	}
	return m[1], strings.TrimSpace(line[i+1:]), true
}

// sectionHeadRE is a numbered heading without a colon ("2. Actions").
var sectionHeadRE = regexp.MustCompile(`^[ \t]*\d{1,2}\.?[ \t]+([A-Za-z][A-Za-z0-9 -]{2,60}?)[ \t]*$`)

// sectionHeading reads a numbered heading without a colon as the label of
// a sheet's section ("2. Actions", "1. Overall Description"): only the
// sections of long values, whose text follows on the next lines.
func sectionHeading(line string) (label string, ok bool) {
	if len(line) > 80 || !strings.ContainsAny(line, "0123456789") {
		return "", false
	}
	m := sectionHeadRE.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	if k := labelOf(m[1]); longKeys[k] && k != keyBody {
		return m[1], true
	}
	return "", false
}

// isLabelLine reports whether a line starts with a label.
func isLabelLine(line string) bool {
	_, _, ok := splitLabel(line)
	return ok
}

// normLabel lower-cases and collapses a label.
func normLabel(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "’", "'")
	s = strings.ReplaceAll(s, "e-mail", "email")
	return multiSpaceRE.ReplaceAllString(s, " ")
}

// labelOf returns the canonical key of a label, or "".
func labelOf(label string) key {
	n := normLabel(label)
	if k, ok := labelKeys[n]; ok {
		return k
	}
	if nextMeetRE.MatchString(n) {
		return keyNextMeeting
	}
	return ""
}

// contactKeys hold contact blocks, whose lines carry sub-labels ("E-mail
// Address:", "Tel:") that do not end the value.
var contactKeys = map[key]bool{keyContact: true, keyRespContact: true, keyTechContact: true}

// parseLabels reads the labelled lines of a sheet. A value continues on the
// following lines until a blank line (or, for long fields, until the next
// known label). A short value (a title, a source) also ends at a heading
// ("LIAISON STATEMENT") or at a line that is itself a label ("Agenda item:
// 8.4"). In a document (strict), where the reader knows the layout, a
// value continues only on indented lines: the rest of its cell; the next
// row or paragraph starts at the margin.
func parseLabels(text string, strict bool) []field {
	if strings.Contains(text, "：") { // full-width colon (CJK letters)
		text = strings.ReplaceAll(text, "：", ": ")
	}
	var out []field
	cur := -1
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if mayReplyBy(line) {
			if m := replyByRE.FindStringSubmatch(line); m != nil {
				out = append(out, field{key: keyDeadline, label: m[1], value: strings.TrimSpace(m[2]), line: i})
				cur = -1
				continue
			}
		}
		label, value, isLabel := splitLabel(line)
		if !isLabel {
			label, isLabel = sectionHeading(line)
		}
		if isLabel {
			if k := labelOf(label); k != "" && !(cur >= 0 && out[cur].key == keyBody && k != keyAttachments) {
				out = append(out, field{key: k, label: strings.TrimSpace(label), value: value, line: i})
				cur = len(out) - 1
				continue
			}
		}
		if cur < 0 {
			continue
		}
		f := &out[cur]
		t := strings.TrimSpace(line)
		if t == "" {
			if longKeys[f.key] || f.value == "" && f.key != keyTo && f.key != keyCc {
				if f.value != "" {
					f.value += "\n"
				}
				if f.value == "" && i > f.line+2 {
					cur = -1
				}
				continue
			}
			cur = -1
			continue
		}
		if !longKeys[f.key] && f.value != "" {
			indented := line[0] == ' ' || line[0] == '\t' || strict && !isLabel && sameParty(f, t)
			if strict && !indented || isHeading(t) || isLabel && !contactKeys[f.key] {
				cur = -1
				continue
			}
		}
		if f.value != "" {
			f.value += "\n"
		}
		f.value += t
	}
	for i := range out {
		out[i].value = strings.TrimSpace(out[i].value)
	}
	return out
}

// addresseeKeys hold lists of parties.
var addresseeKeys = map[key]bool{keyTo: true, keyCc: true, keyActionTo: true, keyInfoTo: true, keyCommentTo: true}

// sameParty reports whether line t goes on the addressee list f holds, as
// a letter in a document lists one addressee a paragraph: it starts with
// the same organization as the list's first party ("To: IETF NETMOD
// Working Group" then "IETF Routing Area (...)").
func sameParty(f *field, t string) bool {
	if !addresseeKeys[f.key] {
		return false
	}
	first, _, _ := strings.Cut(f.value, " ")
	word, _, _ := strings.Cut(t, " ")
	return len(first) >= 2 && strings.EqualFold(first, word) && sdoPrefixRE.MatchString(first)
}

// mayReplyBy is a cheap test that rules replyByRE out: the line starts,
// after blanks, with a P or an R.
func mayReplyBy(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return t != "" && (t[0]|0x20 == 'p' || t[0]|0x20 == 'r')
}

// isHeading reports whether a line is a heading: two or more words in
// capitals ("LIAISON STATEMENT", "INTERNATIONAL TELECOMMUNICATION UNION").
func isHeading(t string) bool {
	if !strings.Contains(t, " ") || len(t) > 80 {
		return false
	}
	letters := 0
	for _, r := range t {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters >= 6
}

// fieldSet indexes parsed fields by key.
type fieldSet struct {
	all []field
	by  map[key][]field
}

func newFieldSet(fs []field) fieldSet {
	s := fieldSet{all: fs, by: map[key][]field{}}
	for _, f := range fs {
		s.by[f.key] = append(s.by[f.key], f)
	}
	return s
}

func (s fieldSet) has(k key) bool { return len(s.by[k]) > 0 }

// get returns the first non-empty value of k and its label.
func (s fieldSet) get(k key) (string, string) {
	for _, f := range s.by[k] {
		if f.value != "" {
			return f.value, f.label
		}
	}
	return "", ""
}

// count reports how many of the keys are present.
func (s fieldSet) count(keys ...key) int {
	n := 0
	for _, k := range keys {
		if s.has(k) {
			n++
		}
	}
	return n
}
