// Package outgoing prepares the statements the IETF sends to its peers:
// a draft built from a request (and, for an answer, from the incoming
// statement it answers), checks against the peer's formal requirements,
// the approvers that follow the sending groups, and the cover sheet in the
// peer's format as text, PDF or Word document.
//
// Everything here is a pure function of the configuration, the records
// given and the time passed in: no store, no clock, no mail. Persisting a
// draft, authorising the person acting and queueing the mail belong to the
// callers (the action layer and the outbox).
package outgoing

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// Origin is the Origin of a record drafted here.
const Origin = "draft"

// Request is what a person asks for when starting a draft. Empty fields are
// left empty (the checks report what the peer requires), except that an
// answer takes its title, addressees and references from the statement it
// answers (see FillReply).
type Request struct {
	// Org is the id of the peer organization; with an answered statement
	// it may be left empty.
	Org string
	// FromGroups are the ids of the sending IETF groups.
	FromGroups []string
	Purpose    liaison.Purpose
	Deadline   liaison.Date
	Title      string
	Body       string
	// Addressees are the peer's groups addressed ("Q12/15", "CT WG4").
	Addressees []string
	// Cc are other parties the sheet names in copy ("IEEE 802.1").
	Cc []string
	// Contacts are the technical contacts.
	Contacts []liaison.Contact
	// ReplyTo is where the peer should send its answer; the liaison
	// address when empty, so that the answer is recorded and linked.
	ReplyTo []liaison.Contact
	// Release and WorkItem are the 3GPP release and work item.
	Release, WorkItem string
	// Attachments describe the files attached (their bytes are kept by
	// the caller).
	Attachments []liaison.Attachment
}

// ErrInput marks a request that cannot become a draft at all (an unknown
// organization or group, an organization without outgoing rules); problems
// a draft may have and fix later are reported by Check instead.
var ErrInput = errors.New("outgoing: bad request")

func inputErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}

// Peer returns the organization with the given id and its outgoing rules.
func Peer(cfg *config.Config, orgID string) (*config.Organization, error) {
	org, ok := cfg.Org(orgID)
	if !ok {
		return nil, inputErr("unknown organization %q", orgID)
	}
	if org.Outgoing == nil {
		return nil, inputErr("organization %q has no outgoing section in %s: its send_to address and format are not known", orgID, cfg.Path)
	}
	return org, nil
}

// NewDraft builds the record of a new draft with the given id at now from
// req; answered, when not nil, is the incoming statement it answers, whose
// organization, title, addressees, references and response contacts fill
// what req leaves empty. The record is in state draft and not yet checked.
func NewDraft(cfg *config.Config, id string, req Request, answered *liaison.Record, now time.Time) (*liaison.Record, error) {
	var fill ReplyFill
	if answered != nil {
		if req.Org == "" {
			req.Org = answered.Routing.OrgID
		}
		if answered.Routing.OrgID != req.Org {
			return nil, inputErr("%s is from %q, not from %q: an answer goes to the organization that sent the statement", answered.ID, orgOrUnknown(answered.Routing.OrgID), req.Org)
		}
	}
	org, err := Peer(cfg, req.Org)
	if err != nil {
		return nil, err
	}
	if answered != nil {
		if fill, err = FillReply(answered, org.Outgoing.Format); err != nil {
			return nil, err
		}
	}
	for _, g := range req.FromGroups {
		if _, ok := cfg.Group(g); !ok {
			return nil, inputErr("unknown IETF group %q", g)
		}
	}
	if req.Purpose != "" && !slices.Contains(Purposes, req.Purpose) {
		return nil, inputErr("purpose %q: want action, comment, info or response", req.Purpose)
	}
	req = fill.apply(req)
	if len(req.ReplyTo) == 0 {
		req.ReplyTo = []liaison.Contact{{Name: "IETF liaison statements", Email: cfg.LiaisonAddress}}
	}
	groups := slices.Clone(req.FromGroups)
	slices.Sort(groups)
	groups = slices.Compact(groups)

	rec := &liaison.Record{
		ID: id, Received: now, Origin: Origin, State: liaison.StateDraft,
		Outbound: &liaison.Outbound{
			State: liaison.OutboundDraft, Org: org.ID, FromGroups: groups,
			Addressees: req.Addressees, Answers: fill.Answers, PeerRefs: fill.PeerRefs,
			SendTo: fill.SendTo, Release: req.Release, WorkItem: req.WorkItem,
		},
		Routing: draftRouting(cfg, org, groups, now),
	}
	rec.Extraction = liaison.Extraction{
		Kind: liaison.KindStatement, Direction: liaison.Outgoing,
		Title: req.Title, Purpose: req.Purpose, Deadline: req.Deadline,
		FromOrgText: "IETF", FromGroup: SenderName(cfg, groups),
		ToText: addresseeTexts(org, req.Addressees), CcText: req.Cc,
		ResponseContacts: req.ReplyTo, TechnicalContacts: req.Contacts,
		InResponseTo: fill.Reference,
		Body:         req.Body, Attachments: req.Attachments,
		Sources: map[string]liaison.Source{"title": {Where: Origin, Detail: "drafted in liaisond"}},
	}
	if answered != nil {
		rec.Links = []string{answered.ID}
	}
	rec.Extraction.Subject = Subject(cfg, rec)
	return rec, nil
}

// Purposes are the purposes a draft may have.
var Purposes = []liaison.Purpose{liaison.PurposeAction, liaison.PurposeComment, liaison.PurposeInfo, liaison.PurposeResponse}

func orgOrUnknown(id string) string {
	if id == "" {
		return "an unknown organization"
	}
	return id
}

// draftRouting is the routing of a draft: the peer, the sending groups and
// the peer's managers appointed at now (the IAB coordinators when it has
// none).
func draftRouting(cfg *config.Config, org *config.Organization, groups []string, now time.Time) liaison.Routing {
	r := liaison.Routing{OrgID: org.ID, OrgName: org.Name, Groups: groups, Managers: org.ManagersAt(now, cfg.Location)}
	if len(r.Managers) == 0 {
		r.NoManager = true
		r.Managers = []liaison.Contact{cfg.IAB}
	}
	r.Reasons = []liaison.Reason{{Code: "draft", Detail: "drafted here to " + org.ID + " from " + strings.Join(groups, ", ")}}
	return r
}

// addresseeTexts are the addressees as a sheet writes them: the
// organization, then its groups addressed.
func addresseeTexts(org *config.Organization, addressees []string) []string {
	if len(addressees) == 0 {
		return []string{org.Name}
	}
	return slices.Clone(addressees)
}

// SenderName names the sending groups as a sheet does: "IETF CCAMP WG",
// "IETF Routing Area", "IAB", "IETF", joined with " and ".
func SenderName(cfg *config.Config, groups []string) string {
	var names []string
	for _, id := range groups {
		names = append(names, GroupName(cfg, id))
	}
	return strings.Join(names, " and ")
}

// GroupName names one IETF group as a sheet does.
func GroupName(cfg *config.Config, id string) string {
	g, ok := cfg.Group(id)
	if !ok {
		return "IETF " + strings.ToUpper(id)
	}
	switch g.Kind {
	case config.KindArea:
		return "IETF " + g.Name
	case config.KindIAB:
		return "IAB"
	case config.KindIETF:
		return "IETF"
	}
	if strings.HasSuffix(g.ID, "wg") { // opsawg, tsvwg
		return "IETF " + strings.ToUpper(g.ID)
	}
	return "IETF " + strings.ToUpper(g.ID) + " WG"
}

// ReplyFill is what an answer takes from the incoming statement it answers.
type ReplyFill struct {
	Answers string // the incoming statement's id
	// Title is the answer's title in the peer's convention.
	Title string
	// Addressees are the incoming statement's sending groups.
	Addressees []string
	// PeerRefs are the peer's identifiers of the incoming statement.
	PeerRefs []string
	// Reference describes the statement answered: identifiers, title, sender, date.
	Reference string
	// SendTo are its response contacts: where the peer asked answers go.
	SendTo []liaison.Contact
}

// FillReply computes what an answer to in takes from it, titled in the
// convention of format. in must be an incoming statement.
func FillReply(in *liaison.Record, format config.SheetFormat) (ReplyFill, error) {
	x := &in.Extraction
	if x.Kind != liaison.KindStatement || x.Direction == liaison.Outgoing || !strings.HasPrefix(in.ID, "LS-") {
		return ReplyFill{}, inputErr("%s is not an incoming statement", in.ID)
	}
	f := ReplyFill{Answers: in.ID, SendTo: slices.Clone(x.ResponseContacts)}
	for _, id := range x.OtherIDs {
		if id != "" && !slices.Contains(f.PeerRefs, id) {
			f.PeerRefs = append(f.PeerRefs, id)
		}
	}
	for _, g := range strings.Split(x.FromGroup, ",") {
		if g = strings.TrimSpace(g); g != "" && !liaison.RedundantGroup(g, in.Routing.OrgName, x.FromOrgText) {
			f.Addressees = append(f.Addressees, g)
		}
	}
	f.Title = ReplyTitle(format, x.Title, f.PeerRefs)
	ref := strings.TrimSpace(strings.Join(f.PeerRefs, ", ") + " " + quoteTitle(x.Title))
	from := strings.TrimSpace(in.Routing.OrgName)
	if from == "" {
		from = strings.TrimSpace(x.FromOrgText)
	}
	var when string
	if !x.Date.IsZero() {
		when = x.Date.UTC().Format("2006-01-02")
	} else if !in.Received.IsZero() {
		when = in.Received.UTC().Format("2006-01-02")
	}
	f.Reference = strings.TrimSpace(fmt.Sprintf("%s (%s)", ref, strings.Trim(from+", "+when, ", ")))
	return f, nil
}

func quoteTitle(t string) string {
	if t == "" {
		return ""
	}
	return "\"" + t + "\""
}

// apply fills what req leaves empty from f.
func (f ReplyFill) apply(req Request) Request {
	if f.Answers == "" {
		return req
	}
	if req.Title == "" {
		req.Title = f.Title
	}
	if len(req.Addressees) == 0 {
		req.Addressees = f.Addressees
	}
	if req.Purpose == "" {
		req.Purpose = liaison.PurposeResponse
	}
	return req
}

var (
	// topicPrefixRE strips what says a title is a statement or a reply, to
	// leave its topic.
	topicPrefixRE = regexp.MustCompile(`(?i)^\s*(?:(?:re|aw|sv|fwd?)\s*:\s*|(?:reply|response|answer)(?:\s+ls)?\s+to\s+(?:the\s+)?(?:ls|liaison(?:\s+statement)?)?\s*|(?:reply|response)\s+ls\s+|ls/r\s+|ls\s+|liaison(?:\s+statement)?\s+|(?:from|to)\s+\S.{0,80}?\s+(?:on|about|regarding)\s+|on\s+|about\s+|regarding\s+|concerning\s+)`)
	// topicSuffixRE strips a trailing reference in parentheses: "(reply
	// to ...)", "(SG15-LS45)", "(COM 15-LS 123)", "(S2-2701234)", but not
	// "(G.8275.1)".
	topicSuffixRE = regexp.MustCompile(`\s*\((?:(?i:reply|response|answer)\s+to\b[^()]*|[^()]*\bLS\s*-?\s*\d[^()]*|[A-Z][A-Za-z0-9]*-\d{4,}[^()]*)\)\s*$`)
)

// Topic is what a statement's title is about, without "LS on", "Reply LS
// on", "Reply to LS on" and a trailing reference in parentheses: "LS on
// management of OTN slicing (SG15-LS45)" is "management of OTN slicing".
func Topic(title string) string {
	t := strings.TrimSpace(title)
	for range 6 {
		next := topicPrefixRE.ReplaceAllString(t, "")
		if next == t || strings.TrimSpace(next) == "" {
			break
		}
		t = next
	}
	t = topicSuffixRE.ReplaceAllString(t, "")
	return strings.TrimSpace(t)
}

// ReplyTitle titles an answer to a statement titled title in the
// convention of format: ITU-T's "LS/r on ... (reply to SG15-LS45)",
// 3GPP's "Reply LS on ...", IEEE's "Response to liaison on ...", otherwise
// "Reply to LS on ...".
func ReplyTitle(format config.SheetFormat, title string, refs []string) string {
	topic := Topic(title)
	if topic == "" {
		topic = "your liaison statement"
	}
	switch format {
	case config.FormatITU:
		if len(refs) > 0 {
			return fmt.Sprintf("LS/r on %s (reply to %s)", topic, refs[0])
		}
		return "LS/r on " + topic
	case config.Format3GPP:
		return "Reply LS on " + topic
	case config.FormatIEEE:
		return "Response to liaison on " + topic
	}
	return "Reply to LS on " + topic
}

// Subject is the mail subject of rec from its peer's template; line
// breaks are removed.
func Subject(cfg *config.Config, rec *liaison.Record) string {
	tmpl := config.FormatDefaults(config.FormatPlain).Subject
	to := rec.Routing.OrgName
	if org, ok := cfg.Org(rec.Outbound.Org); ok {
		to = org.Name
		if org.Outgoing != nil {
			tmpl = org.Outgoing.Subject
		}
	}
	x := &rec.Extraction
	values := map[string]string{
		"title": x.Title, "from": x.FromGroup, "to": to, "purpose": x.Purpose.Label(),
		"id": rec.ID, "ref": strings.Join(rec.Outbound.PeerRefs, ", "),
	}
	s := placeholderRE.ReplaceAllStringFunc(tmpl, func(m string) string { return values[m[1:len(m)-1]] })
	return strings.Join(strings.Fields(s), " ")
}

var placeholderRE = regexp.MustCompile(`\{[a-z_]+\}`)
