package actions

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/outgoing"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// args are a request's arguments, checked and typed.
type args struct {
	date   liaison.Date
	reason string
	ref    string
	groups []string // as written
	field  liaison.Field
	value  string
	text   string
	// draft is a draft's fields (draft, edit); consensus an approval's
	// reference (approve).
	draft     *draftArgs
	consensus string
}

// call is one action being applied.
type call struct {
	s     *settings.Snapshot
	tx    *store.Tx
	rec   *liaison.Record // a private copy: effects change it
	actor Actor
	roles liaison.Roles
	req   Request
	args  args
	now   time.Time
	// seq numbers the action among the statement's history events, so
	// that the mails of two actions of the same kind have distinct keys.
	seq int
	// managers were responsible before the action (routing.Managers).
	managers []liaison.Contact
}

// period is the outbox-key period of the mails this action causes.
//
// It names the action by its place in the statement's history and by its
// time: a database rebuilt from the mailbox has shorter histories (no
// queued or sent events), and a later action must not get the key of a
// confirmation sent before the rebuild.
func (c *call) period() string {
	return fmt.Sprintf("%s#%d@%s", c.req.Action, c.seq, c.now.UTC().Format("20060102T150405Z"))
}

// today is the date in the configured zone.
func (c *call) today() liaison.Date { return liaison.DateOf(c.now.In(c.s.Config.Location)) }

// change is what one action does; commit writes it.
type change struct {
	// event is the history event (none when the action changed nothing);
	// detail says what changed.
	event  liaison.EventType
	detail string
	// result says what happened, for the person who acted.
	result string
	// save: the record changed and must be stored.
	save bool
	// acks: the action acknowledges the statement.
	acks bool
	// deadline: the deadline or the state changed (the due index follows).
	deadline bool
	// linkBack are records to link back to the statement.
	linkBack []string
	// mails are the mails the action causes besides its confirmation.
	mails []notify.Mail
	// extra is given to the confirmation's templates.
	extra map[string]string
	// also are more events on the record, after the action's own (the
	// check of a draft).
	also []liaison.Event
	// problems are a draft's problems after a draft or an edit.
	problems []outgoing.Problem
	// noConfirm sends no confirmation (the statement sent to a peer copies
	// its managers already).
	noConfirm bool
	// then are the actions that follow this one in its transaction.
	then []followUp
}

// effects maps each action to what it does.
var effects = map[Verb]func(*call) (change, error){
	Ack:      doAck,
	Answered: doAnswered,
	Delay:    doDelay,
	Reassign: doReassign,
	NotOurs:  doNotOurs,
	Close:    doClose,
	Reopen:   doReopen,
	Note:     doNote,
	Set:      doSet,
	Draft:    doDraft,
	Edit:     doEdit,
	Approve:  doApprove,
	Withdraw: doWithdraw,
	Send:     doSend,
}

// readRequest checks the request's shape and types its arguments: what can
// be judged without the statement.
func readRequest(id string, actor Actor, req Request) (args, error) {
	v := req.Action
	bad := func(format string, x ...any) (args, error) { return args{}, refuse(Invalid, id, v, format, x...) }
	if _, ok := effects[v]; !ok {
		var names []string
		for _, v := range slices.Concat(Verbs, OutgoingVerbs, RelationshipVerbs) {
			names = append(names, string(v))
		}
		return bad("unknown action %q (want one of %s)", v, strings.Join(names, ", "))
	}
	if !actor.Channel.Valid() {
		return bad("unknown channel %q", actor.Channel)
	}
	if actor.Email == "" && !actor.Operator {
		return bad("who acts is unknown (no address)")
	}
	switch {
	case id == "" && v != Draft:
		return bad("a statement id is required")
	case id != "" && v == Draft:
		return bad("a draft gets an id of its own; name the statement it answers in its \"answers\" field")
	}
	a := args{reason: oneLine(req.Reason), ref: oneLine(req.Ref), field: req.Field, value: strings.TrimSpace(req.Value), text: strings.TrimSpace(req.Text)}
	for _, g := range req.Groups {
		if g = strings.TrimSpace(g); g != "" {
			a.groups = append(a.groups, g)
		}
	}
	switch v {
	case Delay:
		d, err := liaison.ParseISODate(req.Date)
		if err != nil || !d.Valid() {
			return bad("date %q: want YYYY-MM-DD", req.Date)
		}
		a.date = d
		if a.reason == "" {
			return bad("a reason is required (delay DATE REASON)")
		}
	case NotOurs, Close:
		if a.reason == "" {
			return bad("a reason is required (%s REASON)", v)
		}
	case Reassign:
		if len(a.groups) == 0 {
			return bad("at least one group is required (reassign GROUP...)")
		}
	case Note:
		if a.text == "" {
			return bad("the note's text is required (note TEXT)")
		}
	case Draft, Edit:
		d, msg := readDraft(v, req.Draft)
		if msg != "" {
			return bad("%s", msg)
		}
		a.draft = d
	case Approve:
		if a.consensus = oneLine(req.Consensus); a.consensus == "" {
			return bad("say where the IETF consensus is recorded (approve ID --consensus URL-or-text: a consensus call, meeting minutes)")
		}
	case Set:
		if !slices.Contains(liaison.Fields, a.field) {
			return bad("field %q: want one of %s", a.field, fieldNames())
		}
		if a.value == "" {
			return bad("a value is required (set FIELD VALUE)")
		}
	}
	return a, nil
}

// oneLine collapses white space (a reason may come from a mail).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func fieldNames() string {
	names := make([]string, len(liaison.Fields))
	for i, f := range liaison.Fields {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// conflict refuses an action the statement's state does not allow.
func (c *call) conflict(format string, x ...any) error {
	return refuse(Conflict, c.rec.ID, c.req.Action, format, x...)
}

// invalid refuses a bad argument.
func (c *call) invalid(format string, x ...any) error {
	return refuse(Invalid, c.rec.ID, c.req.Action, format, x...)
}

// requireOpen refuses an action that needs a statement still in hand.
func (c *call) requireOpen() error {
	if c.rec.State != liaison.StateOpen {
		return c.conflict("%s is %s; reopen it first", c.rec.ID, c.rec.State)
	}
	return nil
}

func doAck(c *call) (change, error) {
	if a := c.rec.Acked; a != nil {
		return change{result: fmt.Sprintf("already acknowledged by %s on %s", a.By, a.At.In(c.s.Config.Location).Format("2006-01-02"))}, nil
	}
	return change{acks: true, result: "acknowledged"}, nil
}

// recordIDRe finds a record id in a reference.
var recordIDRe = regexp.MustCompile(`(?i)\b(?:LS-\d{4}-\d{4,}|MSG-\d{4}-\d{4,})\b`)

func doAnswered(c *call) (change, error) {
	r := c.rec
	switch r.State {
	case liaison.StateAnswered:
		by := ""
		if r.Answered != nil {
			by = " by " + r.Answered.By
		}
		return change{result: "already answered" + by}, nil
	case liaison.StateOpen:
	default:
		return change{}, c.conflict("%s is %s; reopen it first", r.ID, r.State)
	}
	ch := change{event: liaison.EventAnswered, save: true, acks: true, deadline: true, extra: map[string]string{}}
	// A record id in the reference is linked both ways.
	var ref *liaison.Record
	if m := recordIDRe.FindString(c.args.ref); m != "" && !strings.EqualFold(m, r.ID) {
		if o, err := c.tx.Record(strings.ToUpper(m)); err == nil {
			ref = o
		}
	}
	r.State = liaison.StateAnswered
	r.Answered = &liaison.Action{At: c.now, By: c.actor.String(), Note: c.args.ref}
	ch.detail = "answered, as " + c.actor.String() + " says"
	ch.result = "marked answered; no more reminders"
	if ref != nil {
		r.Answered.Ref = ref.ID
		if !slices.Contains(r.Links, ref.ID) {
			r.Links = append(r.Links, ref.ID)
		}
		ch.linkBack = []string{ref.ID}
		ch.detail = "answered by " + ref.ID
		ch.extra["reply"], ch.extra["reply_title"], ch.extra["reply_from"] = ref.ID, ref.Extraction.Title, ref.Extraction.From.String()
	} else if c.args.ref != "" {
		ch.detail = "answered: " + c.args.ref
		ch.extra["reply"] = c.args.ref
	}
	if c.args.ref != "" {
		ch.result = "marked answered (" + c.args.ref + "); no more reminders"
	}
	ch.extra["how"] = c.args.reason
	if ch.extra["how"] == "" {
		ch.extra["how"] = fmt.Sprintf("marked by %s (%s)", c.actor, c.actor.Channel)
	}
	return ch, nil
}

func doDelay(c *call) (change, error) {
	r := c.rec
	if err := c.requireOpen(); err != nil {
		return change{}, err
	}
	if today := c.today(); !today.Before(c.args.date) {
		return change{}, c.invalid("%s is not after today (%s)", c.args.date, today)
	}
	was := r.EffectiveDeadline()
	r.InternalDeadline = c.args.date
	ch := change{event: liaison.EventDelayed, save: true, acks: true,
		detail: fmt.Sprintf("internal deadline moved to %s (was %s)", c.args.date, orNone(was.String())),
		extra:  map[string]string{"internal_deadline": c.args.date.String()}}
	side := map[string]string{"verb": string(Delay), "by": c.actor.String(), "reason": c.args.reason, "date": c.args.date.String()}
	ch.mails = append(ch.mails, notify.Mail{Kind: notify.KindToIAB, Record: r, To: c.s.Config.IAB, Role: liaison.RoleIAB, Period: "delay:" + c.args.date.String(), Extra: side})
	// The draft interim reply goes to whoever delayed, when they can be
	// written to; otherwise to the managers.
	drafts := c.s.Router.Managers(r.Routing)
	if c.actor.Email != "" && len(c.s.Router.Roles(r, c.actor.Email, c.now)) > 0 {
		me := liaison.Contact{Email: c.actor.String()}
		if i := slices.IndexFunc(drafts, func(m liaison.Contact) bool { return strings.EqualFold(m.Email, me.Email) }); i >= 0 {
			me = drafts[i] // with the name the draft is signed with
		}
		drafts = []liaison.Contact{me}
	}
	var to []string
	for _, d := range drafts {
		ch.mails = append(ch.mails, notify.Mail{Kind: notify.KindInterimReply, Record: r, To: d, Role: roleOf(c.s, d.Email), Period: c.args.date.String(), Extra: side})
		to = append(to, d.Email)
	}
	ch.result = fmt.Sprintf("internal deadline moved to %s; the IAB was told and a draft interim reply is on its way to %s", c.args.date, strings.Join(to, ", "))
	return ch, nil
}

func doReassign(c *call) (change, error) {
	groups, err := resolveGroups(c.s, c.args.groups)
	if err != nil {
		return change{}, c.invalid("%v", err)
	}
	before := FieldValue(c.rec, liaison.FieldToGroups)
	old := setGroups(c.rec, groups, "reassigned", c.actor.String())
	c.recordCorrection(liaison.FieldToGroups, before) // reprocessing keeps it
	ch := change{event: liaison.EventReassigned, save: true, acks: true,
		detail: fmt.Sprintf("groups %s -> %s", orNone(old), strings.Join(groups, ",")),
		result: fmt.Sprintf("routed to %s (was %s); their chairs are told", strings.Join(groups, ", "), orNone(old)),
		mails:  notify.StatementNotices(c.s, c.rec)}
	return ch, nil
}

func doNotOurs(c *call) (change, error) {
	r := c.rec
	r.Routing.Escalate, r.Routing.EscalationReason = true, notOursReason
	side := map[string]string{"verb": string(NotOurs), "by": c.actor.String(), "reason": c.args.reason}
	return change{event: liaison.EventNotOurs, save: true, acks: true,
		detail: "handed back to the IAB liaison coordinators",
		result: "handed back to the IAB liaison coordinators",
		mails:  []notify.Mail{{Kind: notify.KindToIAB, Record: r, To: c.s.Config.IAB, Role: liaison.RoleIAB, Period: c.period(), Extra: side}}}, nil
}

// notOursReason is the escalation reason of a statement handed back to the
// IAB.
const notOursReason = "not_ours"

func doClose(c *call) (change, error) {
	r := c.rec
	if r.State == liaison.StateClosed {
		return change{}, c.conflict("%s is already closed", r.ID)
	}
	was := r.State
	r.State = liaison.StateClosed
	r.Closed = &liaison.Action{At: c.now, By: c.actor.String(), Note: c.args.reason}
	return change{event: liaison.EventClosed, save: true, deadline: true,
		detail: fmt.Sprintf("closed (was %s): %s", was, c.args.reason),
		result: "closed: " + c.args.reason + "; no more reminders"}, nil
}

func doReopen(c *call) (change, error) {
	r := c.rec
	if r.State == liaison.StateOpen {
		return change{}, c.conflict("%s is already open", r.ID)
	}
	was := r.State
	r.State, r.Answered, r.Closed = liaison.StateOpen, nil, nil
	return change{event: liaison.EventReopened, save: true, deadline: true,
		detail: fmt.Sprintf("reopened (was %s)", was),
		result: "reopened; reminders resume"}, nil
}

func doNote(c *call) (change, error) {
	return change{event: liaison.EventNote, detail: c.args.text, result: "note added", extra: map[string]string{"note": c.args.text}}, nil
}

// resolveGroups reads groups as people write them: an id, or names and
// aliases routing knows ("TEAS WG", "teas and mpls").
func resolveGroups(s *settings.Snapshot, texts []string) ([]string, error) {
	var out []string
	for _, t := range texts {
		var ids []string
		if g, ok := s.Config.Group(strings.ToLower(t)); ok {
			ids = []string{g.ID}
		} else {
			ids = s.Router.ResolveGroups(t)
		}
		if len(ids) == 0 {
			known := make([]string, len(s.Config.Groups))
			for i, g := range s.Config.Groups {
				known[i] = g.ID
			}
			return nil, fmt.Errorf("no group %q (known: %s)", t, strings.Join(known, ", "))
		}
		for _, id := range ids {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// setGroups sends r to groups, clears the misdirection verdict (a person
// decided where it belongs) and returns the old groups.
func setGroups(r *liaison.Record, groups []string, how, by string) string {
	old := strings.Join(r.Routing.Groups, ",")
	r.Routing.Groups = groups
	r.Routing.Misdirected, r.Routing.MisdirectionReason, r.Routing.WrongGroups = false, "", nil
	r.Routing.Reasons = append(r.Routing.Reasons, liaison.Reason{Code: routing.CodeCorrected,
		Detail: fmt.Sprintf("%s from %s to %s by %s", how, orNone(old), strings.Join(groups, ","), by)})
	return old
}

// roleOf is the role an address receives a statement's mail in.
func roleOf(s *settings.Snapshot, addr string) liaison.Role {
	if strings.EqualFold(addr, s.Config.IAB.Email) {
		return liaison.RoleIAB
	}
	return liaison.RoleManager
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
