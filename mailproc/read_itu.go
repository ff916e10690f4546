package mailproc

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// ituReader reads ITU-T cover sheets: SOURCE, TITLE, FOR ACTION TO, FOR
// COMMENT TO, FOR INFORMATION TO, APPROVAL, DEADLINE and CONTACT labels
// under a "LIAISON STATEMENT" heading, with the Question(s) and study group
// of the sender.
type ituReader struct{}

var (
	lsMarkerRE   = regexp.MustCompile(`(?i)\bLIAISON\s+STATEMENT\b`)
	questionRE   = regexp.MustCompile(`(?i)\bQ(?:uestions?\s*\(?s?\)?)?\.?\s*(\d{1,2})/(\d{1,2})\b`)
	qNumRE       = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})\b`)
	studyGroupRE = regexp.MustCompile(`(?i)\b(?:study\s+group|SG)\s?(\d{1,2})\b`)
)

func (ituReader) shape() liaison.Shape { return liaison.ShapeITU }

// recognise asks for one label only ITU sheets carry (a "Contact" and a
// "Deadline" alone are any letter's).
func (ituReader) recognise(b *block, _ string) bool {
	fs := b.fs
	own := fs.count(keyActionTo, keyCommentTo, keyInfoTo, keyApproval, keyQuestion)
	n := own + fs.count(keyContact, keyDeadline)
	return (own >= 1 || fs.has(keySource)) && n >= 1 && (fs.has(keySource) || fs.has(keyTitle)) && (lsMarkerRE.MatchString(b.text) || n >= 2)
}

func (ituReader) readTitle(f filler, b *block, _ view) { readSheetTitle(f, b) }

func (ituReader) readFields(f filler, b *block) {
	x := f.x
	if informsIETFOnly(b) {
		// "For action to: IEEE 802.1; For information to: IETF DetNet":
		// the IETF is informed, the deadline is the others'.
		f.st.othersAct = true
		readResponseOrInfo(f, b)
	}
	if !f.st.othersAct {
		readDeadline(f, b)
	}
	readURL(f, b)
	readPurposeLabels(f, b)
	readResponseOrInfo(f, b)

	// Sender: the SOURCE label, the Question(s), the study group.
	if val, l := b.fs.get(keySource); val != "" {
		w, d := b.src(l)
		f.str("from_org_text", &x.FromOrgText, oneLine(val), w, d)
	}
	var qs []string
	if val, l := b.fs.get(keyQuestion); val != "" {
		for _, m := range qNumRE.FindAllStringSubmatch(firstLine(val), -1) {
			qs = appendUniq(qs, "Q"+m[1]+"/"+m[2])
		}
		if len(qs) > 0 {
			w, d := b.src(l)
			f.str("from_group", &x.FromGroup, strings.Join(qs, ", "), w, d)
		}
	}
	if x.FromGroup == "" {
		if m := questionRE.FindStringSubmatch(x.FromOrgText); m != nil {
			f.str("from_group", &x.FromGroup, "Q"+m[1]+"/"+m[2], x.Sources["from_org_text"].Where, "derived from "+x.FromOrgText)
		}
	}
	if x.FromOrgText == "" {
		if m := studyGroupRE.FindStringSubmatch(b.text); m != nil {
			w, _ := b.src("")
			f.str("from_org_text", &x.FromOrgText, "ITU-T SG"+m[1], w, "study group in header")
		}
	}
	questionStudyGroup(f)

	readITUAddressees(f, b)
	// ITU sheets name one contact for everything, replies included.
	readContacts(f, b, true)
}

// informsIETFOnly reports whether a sheet asks others to act or comment
// and names the IETF only among those it informs.
func informsIETFOnly(b *block) bool {
	acting, informed := false, false
	for _, k := range []key{keyActionTo, keyCommentTo} {
		for _, fl := range b.fs.by[k] {
			if isNone(fl.value) {
				continue
			}
			if ietfPartyRE.MatchString(fl.value) {
				return false
			}
			acting = true
		}
	}
	for _, fl := range b.fs.by[keyInfoTo] {
		informed = informed || ietfPartyRE.MatchString(fl.value)
	}
	return acting && informed
}

// readITUAddressees fills To from the "for action" and "for comment"
// labels and Cc from "for information"; a sheet sent only for information
// is addressed to those.
func readITUAddressees(f filler, b *block) {
	x := f.x
	var to, cc []string
	lbl := ""
	for _, k := range []key{keyActionTo, keyCommentTo} {
		for _, fl := range b.fs.by[k] {
			if !isNone(fl.value) {
				to = append(to, splitParties(fl.value)...)
				if lbl == "" {
					lbl = fl.label
				}
			}
		}
	}
	for _, fl := range b.fs.by[keyInfoTo] {
		if !isNone(fl.value) {
			cc = append(cc, splitParties(fl.value)...)
		}
	}
	_, il := b.fs.get(keyInfoTo)
	if len(to) == 0 {
		to, cc = cc, nil
		lbl = il
	}
	w, d := b.src(lbl)
	f.list("to_text", &x.ToText, to, w, d)
	w, d = b.src(il)
	f.list("cc_text", &x.CcText, cc, w, d)
}

// questionStudyGroup names the study group of a sender that names only one
// of its Questions ("Source: ITU-T Q14/15"): Question 14/15 is study group
// 15's, so the sender is ITU-T SG15 (and Q14/15 its group).
func questionStudyGroup(f filler) {
	x := f.x
	if x.FromOrgText == "" || studyGroupRE.MatchString(x.FromOrgText) {
		return
	}
	m := questionRE.FindStringSubmatch(x.FromOrgText)
	if m == nil {
		return
	}
	src := x.Sources["from_org_text"]
	x.FromOrgText = "ITU-T SG" + m[2]
	x.Sources["from_org_text"] = liaison.Source{Where: src.Where, Detail: src.Detail + ": the study group of Q" + m[1] + "/" + m[2]}
}
