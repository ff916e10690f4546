package mailproc

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// gppReader reads 3GPP sheets: a "3GPP TSG ... Meeting #N  tdoc" header
// line over Title, Response to, Release, Work Item, Source, To, Cc, Contact
// Person, Send any reply LS to and Attachments labels, then numbered
// sections "Overall Description", "Actions" and "Date of next meetings".
type gppReader struct{}

var (
	gpp3HeaderRE = regexp.MustCompile(`(?i)^(3GPP\s+TSG[^\n#]*?)\s+(?:Meeting|Mtg|#)`)
	gppGroupRE   = regexp.MustCompile(`(?i)\b(?:TSG\s+)?(SA|RAN|CT|GERAN)\s*(?:WG\s*|Working\s+Group\s*)?(\d)?\b`)
	actionLineRE = regexp.MustCompile(`(?is)\bACTIONS?\s*:\s*(.*)`)
	asksRE       = regexp.MustCompile(`(?i)\b(?:asks?|requests?|invites?|kindly\s+asked)\b`)
	noActionRE   = regexp.MustCompile(`(?i)^(?:none|no\s+action|n/a)\b`)
)

func (gppReader) shape() liaison.Shape { return liaison.Shape3GPP }

func (gppReader) recognise(b *block, _ string) bool {
	fs := b.fs
	// The "3GPP TSG ... Meeting #" line heads the sheet.
	if (fs.has(keyTitle) || fs.has(keySource)) && hasGPPHeader(headOf(b.text, 4<<10)) {
		return true
	}
	if fs.count(keyRelease, keyWorkItem, keyDescription, keyActions, keyNextMeeting) >= 1 && fs.has(keyTitle) && (fs.has(keySource) || fs.has(keyTo)) {
		return true
	}
	return fs.has(keyRespContact) && fs.count(keyRelease, keyWorkItem, keyContact) >= 1 && fs.has(keyTitle)
}

func (gppReader) readTitle(f filler, b *block, _ view) { readSheetTitle(f, b) }

func (gppReader) readFields(f filler, b *block) {
	x := f.x
	readDeadline(f, b)
	readURL(f, b)
	readPurposeLabels(f, b)
	readAddresseePurpose(f, b)
	readCopyPurpose(f, b)
	if val, l := b.fs.get(keyActions); val != "" {
		w, d := b.src(l)
		if p := gppActionPurpose(val); p != "" {
			if x.InResponseTo != "" && p == liaison.PurposeInfo {
				p = liaison.PurposeResponse
			}
			f.purpose(p, w, d)
		}
	}
	readResponseOrInfo(f, b)

	// Sender: the Source label, completed by the header line.
	if val, l := b.fs.get(keySource); val != "" {
		w, d := b.src(l)
		org := oneLine(val)
		if !strings.Contains(strings.ToUpper(org), "3GPP") {
			if h := gppHeader(b.text); h != "" && sameGPPGroup(h, org) {
				org = h
				d += " + header line"
			} else {
				org = "3GPP " + org
			}
		}
		f.str("from_org_text", &x.FromOrgText, org, w, d)
	}
	if h := gppHeader(b.text); h != "" {
		w, _ := b.src("")
		f.str("from_org_text", &x.FromOrgText, h, w, "header line")
	}
	if x.FromOrgText != "" {
		if g := gppGroup(x.FromOrgText); g != "" {
			f.str("from_group", &x.FromGroup, g, x.Sources["from_org_text"].Where, "derived from "+x.FromOrgText)
		}
	}

	readToCc(f, b, keepParty, splitParties)
	readContacts(f, b, false)
}

// readAddresseePurpose fills the purpose a sheet's To line gives the IETF
// ("To: GSMA FASG, IETF LAMPS WG (for information)"): it wins over the
// template's "ACTION:" section, which may be addressed to others.
func readAddresseePurpose(f filler, b *block) {
	val, l := b.fs.get(keyTo)
	for _, p := range splitParties(val) {
		if !ietfPartyRE.MatchString(p) {
			continue
		}
		if m := purposeRE.FindStringSubmatch(p); m != nil {
			w, d := b.src(l)
			f.purpose(purposeOf(m[1]), w, d+": "+p)
			return
		}
	}
}

// hasGPPHeader reports whether text holds a "3GPP TSG ... Meeting" line.
func hasGPPHeader(text string) bool { return gppHeader(text) != "" }

// gppHeader returns the group of the first "3GPP TSG ... Meeting #N" line
// of text ("3GPP TSG SA WG2"), or "". The pattern is tried only where a
// line starts with "3GPP" (anywhere else it would be tried at every byte).
func gppHeader(text string) string {
	for off := 0; ; {
		i := strings.Index(text[off:], "3GPP")
		if j := strings.Index(text[off:], "3gpp"); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			return ""
		}
		at := off + i
		line := strings.LastIndexByte(text[:at], '\n') + 1
		if strings.TrimLeft(text[line:at], " \t") == "" {
			end := strings.IndexByte(text[at:], '\n')
			if end < 0 {
				end = len(text) - at
			}
			if m := gpp3HeaderRE.FindStringSubmatch(text[at : at+end]); m != nil {
				return strings.TrimSpace(m[1])
			}
		}
		off = at + 4
	}
}

// gppActionPurpose reads the "Actions" section of a 3GPP sheet: no action
// (on the "ACTION:" line, or the whole section saying "None") is
// information; otherwise what the "ACTION:" line (or, without one, the
// section) asks decides (see requestPurpose): to take the above into
// account is information, to answer questions action, to comment comment.
func gppActionPurpose(s string) liaison.Purpose {
	m := actionLineRE.FindStringSubmatch(s)
	if m == nil {
		// "2. Actions: None." without an ACTION: line.
		if a := strings.TrimSpace(s); isNone(firstLine(a)) || noActionRE.MatchString(a) {
			return liaison.PurposeInfo
		}
		if asksRE.MatchString(s) {
			return requestPurpose(s)
		}
		return ""
	}
	a := strings.TrimSpace(m[1])
	if isNone(firstLine(a)) || noActionRE.MatchString(a) {
		return liaison.PurposeInfo
	}
	return requestPurpose(a)
}

// gppGroup turns "3GPP TSG SA WG2" into "SA2", "CT WG4" into "CT4", "TSG SA"
// into "SA".
func gppGroup(s string) string {
	m := gppGroupRE.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return strings.ToUpper(m[1]) + m[2]
}

func sameGPPGroup(a, b string) bool {
	ga, gb := gppGroup(a), gppGroup(b)
	return ga != "" && ga == gb
}
