package mailproc

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// trackerReader reads datatracker notices: a "New Liaison Statement,
// "<title>"" subject over a block of Title, Submission Date, URL, Please
// reply by, From, To, Cc, Response Contacts, Technical Contacts, Purpose,
// Referenced liaison, Body and Attachments lines.
type trackerReader struct{}

var trackerSubjRE = regexp.MustCompile(`(?i)new\s+liaison\s+statement\s*,\s*["“]?(.+?)["”]?\s*$`)

func (trackerReader) shape() liaison.Shape { return liaison.ShapeTracker }

func (trackerReader) recognise(b *block, subject string) bool {
	fs := b.fs
	trackerish := fs.count(keySubmitted, keyRespContact, keyTechContact, keyPurpose, keyRef, keyURL, keyDeadline, keyBody)
	if trackerSubjRE.MatchString(subject) && (fs.has(keyTitle) || trackerish >= 1) {
		return true
	}
	return fs.has(keyTitle) && fs.count(keySubmitted, keyRespContact, keyTechContact, keyPurpose) >= 2
}

func (trackerReader) readTitle(f filler, b *block, v view) {
	readTitleLabel(f, b)
	if m := trackerSubjRE.FindStringSubmatch(v.subject); m != nil {
		f.str("title", &f.x.Title, m[1], "subject", "Subject")
	}
	readRef(f, b, trackerRef)
	refFromTitle(f)
}

// trackerRef cleans a "Referenced liaison" value: "Title (URL)" is the title.
func trackerRef(ref string) string {
	ref = strings.TrimSpace(urlRE.ReplaceAllString(ref, ""))
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(ref, "()"), "( )"))
}

func (trackerReader) readFields(f filler, b *block) {
	x := f.x
	readDeadline(f, b)
	readURL(f, b)
	readPurposeLabels(f, b)
	readResponseOrInfo(f, b)
	// The current notice names the person who submitted the statement
	// ("From: Jane Doe <jane@example.org>"), not the group: the prose
	// reader then finds the group in the body.
	if val, l := b.fs.get(keyFrom); val != "" {
		if org, _ := trackerParty(val); !looksLikePerson(org) {
			w, d := b.src(l)
			f.str("from_org_text", &x.FromOrgText, org, w, d)
		}
	}
	readTrackerDirection(f, b)
	readToCc(f, b, trackerAddressee, trackerCc)
	readContacts(f, b, false)
	if val, l := b.fs.get(keyBody); val != "" {
		w, d := b.src(l)
		f.str("body", &x.Body, val, w, d)
	}
}

// trackerCc reads the tracker's Cc, which lists people and lists: they are
// kept as contacts ("Name <email>").
func trackerCc(val string) []string {
	cs := parseContacts(val)
	if len(cs) == 0 {
		return splitParties(val)
	}
	var parts []string
	for _, c := range cs {
		if c.Email != "" {
			parts = append(parts, c.String())
		} else {
			parts = append(parts, c.Name)
		}
	}
	return parts
}

// trackerAddressee is a To entry of a notice: its group, or "" for a
// person (the notice's To contacts are not addressee groups).
func trackerAddressee(p string) string {
	g, _ := trackerParty(p)
	if looksLikePerson(g) {
		return ""
	}
	return g
}

// trackerParty splits a tracker From/To value into the group text and the
// rest: "Name <email> (Group)" and "Group (Name <email>)" are the group;
// "Name <email>" is the name; "Group name (list@example)" stays as written
// (the list address names the group too).
func trackerParty(v string) (string, string) {
	v = oneLine(v)
	if i := strings.LastIndex(v, "("); i >= 0 && strings.HasSuffix(v, ")") {
		inner := strings.TrimSpace(v[i+1 : len(v)-1])
		if inner != "" && !strings.Contains(inner, "@") && strings.Contains(v[:i], "@") {
			return inner, strings.TrimSpace(v[:i])
		}
		if strings.Contains(inner, "<") && !strings.Contains(v[:i], "@") && i > 0 {
			// "3GPP TSG SA WG2 (Maurice Pope <m@example>)": the sender's
			// contact in parentheses is not part of the organization.
			return strings.TrimSpace(v[:i]), inner
		}
		return v, ""
	}
	if strings.Contains(v, "@") {
		// "Name <email>" with no group: keep the name.
		return strings.TrimSpace(emailRE.ReplaceAllString(strings.NewReplacer("<", "", ">", "").Replace(v), "")), ""
	}
	return v, ""
}

// trackerPeerRE is how the tracker writes a peer's group: an upper-case
// acronym ("ITU-T-SG-13", "MEF", "3GPP-TSGSA-SA2", "IEEE-802-1"). It
// writes an IETF group by its name ("Deterministic Networking", "Security
// Area") and the IETF's own bodies as "IETF", "IAB", "IESG".
var trackerPeerRE = regexp.MustCompile(`^[0-9A-Z][0-9A-Z-]*[0-9A-Z]$`)

// isTrackerPeer reports whether a group as a notice writes it is a peer's:
// a peer's tracker acronym, or a name starting with a known organization.
func isTrackerPeer(g string) bool {
	g = strings.TrimSpace(g)
	if g == "" || ietfOrgRE.MatchString(g) {
		return false
	}
	return trackerPeerRE.MatchString(g) || sdoPrefixRE.MatchString(g)
}

// partyName is a notice's From or To entry without its contacts in
// parentheses: "ESTI-TC-CYBER (a@example, b@example)" is "ESTI-TC-CYBER".
func partyName(v string) string {
	v = oneLine(v)
	if i := strings.IndexByte(v, '('); i > 0 && strings.HasSuffix(v, ")") && !strings.Contains(v[:i], "@") {
		return strings.TrimSpace(v[:i])
	}
	g, _ := trackerParty(v)
	return g
}

// readTrackerDirection sets the direction of a notice whose From names a
// group: from a peer's group it is incoming; from a group the tracker
// writes by name (an IETF group) to a peer's group, it is a statement the
// IETF sent. Other notices (a person in From) are left to the general
// rules.
func readTrackerDirection(f filler, b *block) {
	val, l := b.fs.get(keyFrom)
	from := partyName(val)
	if from == "" || looksLikePerson(from) {
		return
	}
	w, d := b.src(l)
	if isTrackerPeer(from) {
		f.direction(liaison.Incoming, w, d+": from "+from)
		return
	}
	to, _ := b.fs.get(keyTo)
	for _, p := range splitParties(to) {
		if g := partyName(p); isTrackerPeer(g) {
			f.direction(liaison.Outgoing, w, d+": from "+from+" to "+g)
			return
		}
	}
}

// trackerAttachments returns the notice's attachment list: the lines after
// its "Attachments:" label to the end (the titles are separated by blank
// lines, which end a labelled value).
func trackerAttachments(b *block) string {
	fs := b.fs.by[keyAttachments]
	if len(fs) == 0 {
		return ""
	}
	lines := strings.Split(b.text, "\n")
	if fs[0].line >= len(lines) {
		return ""
	}
	return strings.Join(lines[fs[0].line:], "\n")
}
