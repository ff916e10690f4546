package mailproc

import (
	"regexp"
	"strings"
)

// field is one labelled value of a statement sheet.
type field struct {
	key   string // canonical key ("title", "deadline", ...)
	label string // the label as written
	value string // the value, continuation lines joined with "\n"
	line  int    // line index of the label
}

// labelKeys maps normalised labels (lower case, single spaces) of all three
// sheet layouts to canonical keys.
var labelKeys = map[string]string{
	// Tracker notices.
	"title": "title", "subject": "title-alt", "submission date": "submitted", "submitted": "submitted",
	"url": "url", "url of the ietf web page": "url", "liaison url": "url", "web page": "url",
	"please reply by": "deadline", "reply by": "deadline", "deadline": "deadline", "response deadline": "deadline",
	"reply deadline": "deadline", "response requested by": "deadline", "reply requested by": "deadline",
	"from": "from", "to": "to", "cc": "cc",
	"response contacts": "respcontacts", "response contact": "respcontacts",
	"technical contacts": "techcontacts", "technical contact": "techcontacts",
	"purpose": "purpose", "referenced liaison": "ref", "referenced liaisons": "ref", "related liaison": "ref",
	"body": "body", "attachments": "attachments", "attachment": "attachments", "attachment(s)": "attachments",
	// ITU-T cover sheets.
	"source": "source", "for action to": "action_to", "for action": "action_to",
	"for comment to": "comment_to", "for comments to": "comment_to", "for comment": "comment_to",
	"for information to": "info_to", "for info to": "info_to", "for information": "info_to",
	"approval": "approval", "contact": "contact", "contacts": "contact",
	"question(s)": "question", "questions": "question", "question": "question",
	// 3GPP sheets.
	"response to": "ref", "in response to": "ref", "reply to": "ref", "release": "release", "work item": "workitem",
	"work items": "workitem", "work item(s)": "workitem", "contact person": "contact", "contact persons": "contact",
	"contact person(s)": "contact", "send any reply ls to": "respcontacts", "send any reply to": "respcontacts",
	"send reply ls to": "respcontacts", "send any reply ls": "respcontacts",
	"overall description": "description", "actions": "actions",
}

// long fields run across blank lines until the next known label.
var longKeys = map[string]bool{"body": true, "description": true, "actions": true, "nextmeeting": true}

var (
	labelLineRE  = regexp.MustCompile(`^[ \t]*(?:\d{1,2}\.?[ \t]*)?([A-Za-z][A-Za-z0-9 ()/'’&.-]{0,50}?)[ \t]*:(?:[ \t]+|$)(.*)$`)
	replyByRE    = regexp.MustCompile(`(?i)^[ \t]*(please reply by|reply requested by|response requested by)[ \t]*:?[ \t]+(.+)$`)
	nextMeetRE   = regexp.MustCompile(`(?i)^date of next`)
	multiSpaceRE = regexp.MustCompile(`\s+`)
)

// normLabel lower-cases and collapses a label.
func normLabel(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "’", "'")
	s = strings.ReplaceAll(s, "e-mail", "email")
	return multiSpaceRE.ReplaceAllString(s, " ")
}

// labelOf returns the canonical key of a label, or "".
func labelOf(label string) string {
	n := normLabel(label)
	if k, ok := labelKeys[n]; ok {
		return k
	}
	if nextMeetRE.MatchString(n) {
		return "nextmeeting"
	}
	return ""
}

// parseLabels reads the labelled lines of a sheet. A value continues on the
// following lines until a blank line (or, for long fields, until the next
// known label).
func parseLabels(text string) []field {
	var out []field
	cur := -1
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if m := replyByRE.FindStringSubmatch(line); m != nil {
			out = append(out, field{key: "deadline", label: m[1], value: strings.TrimSpace(m[2]), line: i})
			cur = -1
			continue
		}
		if m := labelLineRE.FindStringSubmatch(line); m != nil {
			if k := labelOf(m[1]); k != "" && !(cur >= 0 && out[cur].key == "body" && k != "attachments") {
				out = append(out, field{key: k, label: strings.TrimSpace(m[1]), value: strings.TrimSpace(m[2]), line: i})
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
			if longKeys[f.key] || f.value == "" && f.key != "to" && f.key != "cc" {
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

// fieldSet indexes parsed fields by key.
type fieldSet struct {
	all []field
	by  map[string][]field
}

func newFieldSet(fs []field) fieldSet {
	s := fieldSet{all: fs, by: map[string][]field{}}
	for _, f := range fs {
		s.by[f.key] = append(s.by[f.key], f)
	}
	return s
}

func (s fieldSet) has(k string) bool { return len(s.by[k]) > 0 }

// get returns the first non-empty value of k and its label.
func (s fieldSet) get(k string) (string, string) {
	for _, f := range s.by[k] {
		if f.value != "" {
			return f.value, f.label
		}
	}
	return "", ""
}

// count reports how many of the keys are present.
func (s fieldSet) count(keys ...string) int {
	n := 0
	for _, k := range keys {
		if s.has(k) {
			n++
		}
	}
	return n
}
