package outgoing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// Change is an edit of a draft: each field of its Request that is set
// replaces the draft's, the fields left empty are kept (Org cannot
// change). Its Attachments are files to attach, each replacing an attached
// file of the same name.
type Change struct {
	Request
	// NoDeadline removes the deadline.
	NoDeadline bool
	// Detach names attached files to take off.
	Detach []string
}

// Edit applies ch to rec, a draft, and says what changed, one entry a
// field in the order of Change ("deadline 2027-05-01 -> 2027-06-01"). A
// change that sets what the draft already says changes nothing. An
// unknown group, a bad purpose or a file to take off that is not attached
// is an ErrInput and leaves rec as it was; a draft that is no longer a
// draft is an ErrState.
func Edit(cfg *config.Config, rec *liaison.Record, ch Change) ([]string, error) {
	if rec.Outbound == nil {
		return nil, fmt.Errorf("%s: %w: not an outgoing statement drafted here", rec.ID, ErrState)
	}
	switch rec.Outbound.State {
	case liaison.OutboundDraft:
	case liaison.OutboundApproved:
		return nil, fmt.Errorf("%s: %w: it is approved, and what was approved cannot change: withdraw it and draft again", rec.ID, ErrState)
	default:
		return nil, fmt.Errorf("%s: %w: it is %s; only a draft can change", rec.ID, ErrState, rec.Outbound.State)
	}
	org, err := Peer(cfg, rec.Outbound.Org)
	if err != nil {
		return nil, err
	}
	if err := ch.validate(cfg, rec); err != nil {
		return nil, err
	}
	x, ob := &rec.Extraction, rec.Outbound
	e := editor{}
	if len(ch.FromGroups) > 0 {
		groups := slices.Sorted(slices.Values(ch.FromGroups))
		groups = slices.Compact(groups)
		if e.list("from", ob.FromGroups, groups) {
			ob.FromGroups = groups
			// The managers stay those the draft has now: as drafted, or
			// as a handover moved it (relations.Sync).
			rt := draftRouting(cfg, org, groups, rec.Received)
			rt.Managers, rt.NoManager = rec.Routing.Managers, rec.Routing.NoManager
			rec.Routing = rt
			x.FromGroup = SenderName(cfg, groups)
		}
	}
	if ch.Purpose != "" && e.text("purpose", string(x.Purpose), string(ch.Purpose)) {
		x.Purpose = ch.Purpose
	}
	switch {
	case ch.NoDeadline && e.text("deadline", x.Deadline.String(), ""):
		x.Deadline = liaison.Date{}
	case !ch.Deadline.IsZero() && e.text("deadline", x.Deadline.String(), ch.Deadline.String()):
		x.Deadline = ch.Deadline
	}
	if ch.Title != "" && x.Title != ch.Title && e.text("title", quoteTitle(x.Title), quoteTitle(ch.Title)) {
		x.Title = ch.Title
	}
	if ch.Body != "" && x.Body != ch.Body {
		e.changed = append(e.changed, fmt.Sprintf("body (%d characters, was %d)", len([]rune(ch.Body)), len([]rune(x.Body))))
		x.Body = ch.Body
	}
	if len(ch.Addressees) > 0 && e.list("addressees", ob.Addressees, ch.Addressees) {
		ob.Addressees = slices.Clone(ch.Addressees)
		x.ToText = addresseeTexts(org, ob.Addressees)
	}
	if len(ch.Cc) > 0 && e.list("cc", x.CcText, ch.Cc) {
		x.CcText = slices.Clone(ch.Cc)
	}
	if len(ch.Contacts) > 0 && e.list("contacts", contactStrings(x.TechnicalContacts), contactStrings(ch.Contacts)) {
		x.TechnicalContacts = slices.Clone(ch.Contacts)
	}
	if len(ch.ReplyTo) > 0 && e.list("reply_to", contactStrings(x.ResponseContacts), contactStrings(ch.ReplyTo)) {
		x.ResponseContacts = slices.Clone(ch.ReplyTo)
	}
	if ch.Release != "" && e.text("release", ob.Release, ch.Release) {
		ob.Release = ch.Release
	}
	if ch.WorkItem != "" && e.text("work_item", ob.WorkItem, ch.WorkItem) {
		ob.WorkItem = ch.WorkItem
	}
	for _, name := range ch.Detach {
		x.Attachments = slices.DeleteFunc(x.Attachments, func(a liaison.Attachment) bool { return a.Name == name })
		e.changed = append(e.changed, "detached "+name)
	}
	for _, a := range ch.Attachments {
		if i := slices.IndexFunc(x.Attachments, func(b liaison.Attachment) bool { return b.Name == a.Name }); i >= 0 {
			if x.Attachments[i].SHA256 == a.SHA256 {
				continue
			}
			x.Attachments[i] = a
			e.changed = append(e.changed, "replaced "+a.Name)
			continue
		}
		x.Attachments = append(x.Attachments, a)
		e.changed = append(e.changed, "attached "+a.Name)
	}
	x.Subject = Subject(cfg, rec)
	return e.changed, nil
}

// validate refuses what cannot be applied, before anything changes.
func (ch Change) validate(cfg *config.Config, rec *liaison.Record) error {
	for _, g := range ch.FromGroups {
		if _, ok := cfg.Group(g); !ok {
			return inputErr("unknown IETF group %q", g)
		}
	}
	if ch.Purpose != "" && !slices.Contains(Purposes, ch.Purpose) {
		return inputErr("purpose %q: want action, comment, info or response", ch.Purpose)
	}
	for _, name := range ch.Detach {
		if !slices.ContainsFunc(rec.Extraction.Attachments, func(a liaison.Attachment) bool { return a.Name == name }) {
			return inputErr("%s has no attachment %q to take off", rec.ID, name)
		}
	}
	return nil
}

// editor collects what an edit changed.
type editor struct{ changed []string }

// text records a change of field from was to now, if it is one.
func (e *editor) text(field, was, now string) bool {
	if was == now {
		return false
	}
	e.changed = append(e.changed, fmt.Sprintf("%s %s -> %s", field, orValue(was, "none"), orValue(now, "none")))
	return true
}

// list records a change of a list field, if it is one.
func (e *editor) list(field string, was, now []string) bool {
	if slices.Equal(was, now) {
		return false
	}
	e.changed = append(e.changed, fmt.Sprintf("%s %s -> %s", field, orValue(strings.Join(was, ", "), "none"), strings.Join(now, ", ")))
	return true
}

func contactStrings(cs []liaison.Contact) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// Recipients are the addresses of a statement's mail to its peer.
type Recipients struct {
	// To are the peer's send_to addresses, then the response contacts of
	// the statement answered (where the peer asked answers to go).
	To []liaison.Contact
	// Cc are the peer's cc addresses, the liaison address, the
	// relationship's managers (the IAB coordinators when it has none) and
	// the sending groups' lists.
	Cc []liaison.Contact
	// ReplyTo is where the peer should send its answer: the draft's first
	// "send any reply to" address (the liaison address by default).
	ReplyTo *liaison.Contact
}

// Addresses computes the recipients of rec's mail to its peer. Each
// address appears once (compared without case), in To when it is there.
func Addresses(cfg *config.Config, rec *liaison.Record) (Recipients, error) {
	if rec.Outbound == nil {
		return Recipients{}, fmt.Errorf("%s: %w: not an outgoing statement drafted here", rec.ID, ErrState)
	}
	org, err := Peer(cfg, rec.Outbound.Org)
	if err != nil {
		return Recipients{}, err
	}
	var r Recipients
	seen := map[string]bool{}
	add := func(list *[]liaison.Contact, c liaison.Contact) {
		k := strings.ToLower(strings.TrimSpace(c.Email))
		if k == "" || seen[k] {
			return
		}
		seen[k] = true
		*list = append(*list, c)
	}
	for _, a := range org.Outgoing.SendTo {
		add(&r.To, liaison.Contact{Name: org.Name, Email: a})
	}
	for _, c := range rec.Outbound.SendTo {
		add(&r.To, c)
	}
	for _, a := range org.Outgoing.Cc {
		add(&r.Cc, liaison.Contact{Email: a})
	}
	add(&r.Cc, liaison.Contact{Name: "IETF liaison statements", Email: cfg.LiaisonAddress})
	for _, m := range rec.Routing.Managers {
		add(&r.Cc, m)
	}
	for _, id := range rec.Outbound.FromGroups {
		if g, ok := cfg.Group(id); ok && g.List != "" {
			add(&r.Cc, liaison.Contact{Email: g.List})
		}
	}
	for _, c := range rec.Extraction.ResponseContacts {
		if c.Email != "" {
			c := c
			r.ReplyTo = &c
			break
		}
	}
	return r, nil
}
