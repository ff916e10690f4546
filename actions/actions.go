// Package actions is the one way people change a statement, whatever the
// channel: a mail command or a reply to a notice, the CLI, the web forms
// and the JSON API all build a Request and an Actor and call Apply (or
// ApplyTx inside a transaction they hold). No channel has rules of its
// own.
//
// Apply, in order:
//
//  1. reads the request: a known action with the arguments it needs
//     (Invalid otherwise);
//  2. finds the statement (NotFound);
//  3. authorises: the roles the actor plays for the statement (RolesOf)
//     must allow the action (May; Forbidden otherwise);
//  4. computes the effect on a copy of the record; an action its state
//     does not allow is a Conflict, a bad argument Invalid. Nothing is
//     written until here, so a refusal changes nothing;
//  5. stores the record, records one history event saying who, when,
//     through which channel and why (delay, answered, reassign and
//     not-ours also acknowledge an incoming statement), and asks the
//     scheduler to look at it again;
//  6. queues, through package notify, the mails the action causes (the
//     IAB told of a delay or a not-ours, the draft interim reply, notices
//     to newly responsible people) and its confirmation to the
//     statement's managers (and, for mail, to who acted).
//
// The statements the IETF sends go through the same steps (outgoing.go):
// draft (which takes no id: the draft gets one), edit, approve, withdraw
// and send. Each is recorded on the outgoing statement and mirrored on the
// incoming statement it answers; an action may be followed, in the same
// transaction, by the daemon's own (sending answers the statement; with
// outgoing.send_on_approval the last approval sends).
//
// A refusal is an *Error with a Code each channel maps (HTTP 400, 403, 404,
// 409). Any other error is a store error. An action that changes nothing
// (acknowledging an acknowledged statement) succeeds with Changed false,
// records nothing and confirms only to a mail sender.
package actions

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/outgoing"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// Verb names an action.
type Verb string

// The actions.
const (
	Ack      Verb = "ack"      // acknowledge the statement (someone is on it)
	Answered Verb = "answered" // a reply was sent (ref: what answered it)
	Delay    Verb = "delay"    // move the internal deadline (date, reason)
	Reassign Verb = "reassign" // send it to other IETF groups (groups)
	NotOurs  Verb = "not-ours" // hand it back to the IAB coordinators (reason)
	Close    Verb = "close"    // close it by hand (reason)
	Reopen   Verb = "reopen"   // reopen an answered or closed statement
	Note     Verb = "note"     // add a note to its history (text)
	Set      Verb = "set"      // correct a misread field (field, value)
)

// Verbs lists every action, in the order they are offered.
var Verbs = []Verb{Ack, Answered, Delay, Reassign, NotOurs, Close, Reopen, Note, Set}

// Acknowledges reports whether taking the action also acknowledges the
// statement.
func (v Verb) Acknowledges() bool {
	switch v {
	case Ack, Answered, Delay, Reassign, NotOurs:
		return true
	}
	return false
}

// Actor is who acts, and through which channel.
type Actor struct {
	// Email is the person's address ("" for the operator acting as such).
	// Their roles follow from it (routing.Router.Roles).
	Email string `json:"email,omitempty"`
	// Channel is how the action reached the daemon.
	Channel liaison.Channel `json:"channel"`
	// Operator gives the operator's authority: the CLI without --by, or
	// the daemon's own reply tracking (which acts on a recognised reply).
	Operator bool `json:"operator,omitempty"`
	// Via says, for the history, what carried the action ("mail command
	// MSG-2026-000012", "reply MSG-2026-000013 to a notice", "reply
	// tracking"); optional.
	Via string `json:"via,omitempty"`
}

// Operator is the operator acting through ch.
func Operator(ch liaison.Channel) Actor { return Actor{Channel: ch, Operator: true} }

// String names the actor: its address, or "operator".
func (a Actor) String() string {
	if a.Email != "" {
		return strings.ToLower(a.Email)
	}
	return "operator"
}

// Request is one action and its arguments, named as the CLI and the API
// name them. It is what every channel builds, and what the control socket
// and the HTTP API carry as JSON.
type Request struct {
	Action Verb `json:"action"`
	// Date is YYYY-MM-DD (delay).
	Date string `json:"date,omitempty"`
	// Reason is why (delay, not-ours, close; optional for the others).
	Reason string `json:"reason,omitempty"`
	// Ref names what answered the statement (answered; optional): a record
	// id, or any reference.
	Ref string `json:"ref,omitempty"`
	// Groups are the IETF groups to send it to (reassign): ids, names or
	// aliases.
	Groups []string `json:"groups,omitempty"`
	// Field and Value are the correction (set).
	Field liaison.Field `json:"field,omitempty"`
	Value string        `json:"value,omitempty"`
	// Text is the note (note) or the report (report).
	Text string `json:"text,omitempty"`
	// Draft is an outgoing statement's fields (draft) or the fields to
	// change (edit).
	Draft *DraftInput `json:"draft,omitempty"`
	// Consensus is where the IETF consensus an approval rests on is
	// recorded: a consensus call's URL, meeting minutes (approve).
	Consensus string `json:"consensus,omitempty"`
	// Org names the relationship a relationship action is about (report):
	// an organization id, or a name or alias routing knows.
	Org string `json:"org,omitempty"`
}

// String renders the request as a person would write it ("delay
// 2027-05-01 waiting for the WG").
func (r Request) String() string {
	parts := []string{string(r.Action)}
	switch r.Action {
	case Delay:
		parts = append(parts, r.Date, r.Reason)
	case Answered:
		parts = append(parts, r.Ref)
	case Reassign:
		parts = append(parts, strings.Join(r.Groups, " "))
	case Set:
		parts = append(parts, string(r.Field), r.Value)
	case Note:
		parts = append(parts, r.Text)
	case Approve:
		parts = append(parts, r.Consensus)
	case Draft:
		if r.Draft != nil && r.Draft.Answers != "" {
			parts = append(parts, "answering", r.Draft.Answers)
		} else if r.Draft != nil {
			parts = append(parts, "to", r.Draft.To)
		}
	case Edit, Send:
	case Report:
		parts = append(parts, r.Org, r.Text)
	default:
		parts = append(parts, r.Reason)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// Outcome says what an action did.
type Outcome struct {
	// ID is the statement; Record is it after the action. Both are empty
	// for an action on a relationship.
	ID     string          `json:"id"`
	Record *liaison.Record `json:"-"`
	Action Verb            `json:"action"`
	// Result says what happened, in one line for people.
	Result string `json:"result"`
	// Changed is false when the action changed nothing.
	Changed bool `json:"changed"`
	// Queued are the outbox keys the action added.
	Queued []string `json:"queued,omitempty"`
	// Problems are what keeps an outgoing statement from being approved,
	// after a draft or an edit (none: it may be approved).
	Problems []outgoing.Problem `json:"problems,omitempty"`
	// Relationship is the organization an action on a relationship was
	// about.
	Relationship string `json:"relationship,omitempty"`
}

// Options configure a Layer.
type Options struct {
	// Settings holds the configuration in force.
	Settings *settings.Holder
	// Notify queues the mails actions cause.
	Notify *notify.Notifier
	// DB is where Apply runs its transaction.
	DB *store.DB
	// Now is the clock.
	Now func() time.Time
	Log *slog.Logger
	// Changed is called after Apply committed a change or queued mail (to
	// wake the scheduler and the outbox).
	Changed func()
}

// Layer applies actions. It is safe for concurrent use.
type Layer struct {
	opt Options
}

// New makes a Layer.
func New(opt Options) (*Layer, error) {
	if opt.Settings == nil || opt.Notify == nil || opt.Now == nil {
		return nil, errors.New("actions: Settings, Notify and Now are required")
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Layer{opt: opt}, nil
}

// Apply takes the action req on statement id for actor, in a transaction
// of its own: all of it is committed, or (on a refusal or a store error)
// none of it. An action on a relationship (Verb.OnRelationship) takes no
// statement id: req.Org names the relationship.
func (l *Layer) Apply(id string, actor Actor, req Request) (Outcome, error) {
	if l.opt.DB == nil {
		return Outcome{}, errors.New("actions: no database")
	}
	now := l.opt.Now()
	var out Outcome
	err := l.opt.DB.Update(func(tx *store.Tx) (err error) {
		out, err = l.ApplyTx(tx, id, actor, req, now)
		return err
	})
	if err != nil {
		return Outcome{}, err
	}
	if (out.Changed || len(out.Queued) > 0) && l.opt.Changed != nil {
		l.opt.Changed()
	}
	return out, nil
}

// ApplyTx takes the action inside tx (the pipeline applies mail commands in
// the transaction that records the mail). On a refusal it has written
// nothing.
func (l *Layer) ApplyTx(tx *store.Tx, id string, actor Actor, req Request, now time.Time) (Outcome, error) {
	if req.Action.OnRelationship() {
		return l.applyRelationship(tx, strings.TrimSpace(id), actor, req, now)
	}
	s := l.opt.Settings.Current()
	id = strings.ToUpper(strings.TrimSpace(id))
	a, err := readRequest(id, actor, req)
	if err != nil {
		return Outcome{}, err
	}
	rec, err := subject(tx, s, id, req.Action, a, now)
	if err != nil {
		return Outcome{}, err
	}
	roles := RolesOf(s, rec, actor, now)
	if !May(roles, req.Action) {
		what := "it"
		if rec.ID == "" {
			what = "a statement to " + rec.Routing.OrgName + " from " + orNone(strings.Join(rec.Outbound.FromGroups, ", "))
		}
		return Outcome{}, refuse(Forbidden, id, req.Action, "%s (roles: %s) may not %s %s: that needs %s", actor, roles, req.Action, what, whoMay(req.Action))
	}
	if err := applicable(rec, req.Action); err != nil {
		return Outcome{}, err
	}
	evs, err := tx.Events(rec.ID)
	if err != nil {
		return Outcome{}, err
	}
	c := &call{s: s, tx: tx, rec: rec, actor: actor, roles: roles, req: req, args: a, now: now, seq: len(evs), managers: s.Router.Managers(rec.Routing)}
	ch, err := effects[req.Action](c)
	if err != nil {
		return Outcome{}, err
	}
	out, err := l.commit(c, ch)
	if err != nil {
		return Outcome{}, fmt.Errorf("actions: %s %s: %w", req.Action, rec.ID, err)
	}
	l.opt.Log.Info("action", "id", out.ID, "action", req.Action, "by", actor.String(), "channel", actor.Channel, "via", actor.Via, "result", out.Result, "changed", out.Changed)
	for _, f := range ch.then {
		next, err := l.ApplyTx(tx, f.id, f.actor, f.req, now)
		if _, refused := CodeOf(err); refused {
			// What follows is the daemon's doing: a refusal (an answered
			// statement closed meanwhile) leaves the action as it is.
			l.opt.Log.Info("follow-up action not taken", "id", f.id, "action", f.req.Action, "after", req.Action, "err", err)
			out.Result += "; " + string(f.req.Action) + " " + f.id + " not taken: " + err.Error()
			continue
		}
		if err != nil {
			return Outcome{}, err
		}
		out.Result += "; " + f.id + ": " + next.Result
		out.Queued = append(out.Queued, next.Queued...)
	}
	return out, nil
}

// statement reads the statement an action is about.
func statement(tx *store.Tx, id string, v Verb) (*liaison.Record, error) {
	rec, err := tx.Record(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, refuse(NotFound, id, v, "there is no statement %s", id)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case !strings.HasPrefix(rec.ID, "LS-") || rec.Extraction.Kind != liaison.KindStatement:
		return nil, refuse(NotFound, id, v, "%s is not a liaison statement", id)
	case rec.DuplicateOf != "":
		return nil, refuse(NotFound, id, v, "%s is a copy of %s: act on %s", id, rec.DuplicateOf, rec.DuplicateOf)
	}
	return rec, nil
}

// commit writes what an action does: the record, its history, the due
// index and the mails.
func (l *Layer) commit(c *call, ch change) (Outcome, error) {
	r, tx, now := c.rec, c.tx, c.now
	out := Outcome{ID: r.ID, Record: r, Action: c.req.Action, Result: ch.result, Problems: ch.problems}
	// Taking an incoming statement in hand acknowledges it; an outgoing
	// one (the IETF's) has no acknowledgement to give but an explicit ack.
	acks := ch.acks && r.Acked == nil && (c.req.Action == Ack || r.Extraction.Direction != liaison.Outgoing)
	if acks {
		r.Acked = &liaison.Action{At: now, By: c.actor.String()}
	}
	out.Changed = ch.event != "" || acks
	if ch.save || acks {
		if err := tx.PutRecord(r); err != nil {
			return out, err
		}
		// Its groups may have changed (reassign, set): later statements
		// to the new groups are coordinated with it.
		if err := relations.Index(tx, r); err != nil {
			return out, err
		}
	}
	var evs []liaison.Event
	if ch.event != "" {
		evs = append([]liaison.Event{c.event(ch.event, ch.detail)}, ch.also...)
	}
	for _, ev := range evs {
		if err := tx.AddEvent(r.ID, ev); err != nil {
			return out, err
		}
	}
	if err := mirror(c, evs); err != nil {
		return out, err
	}
	if acks {
		detail := "acknowledged by " + c.actor.String()
		if c.req.Action != Ack {
			detail += " (with " + string(c.req.Action) + ")"
		}
		ev := c.event(liaison.EventAcked, detail)
		ev.Reason = "" // the action's own event says why
		if err := tx.AddEvent(r.ID, ev); err != nil {
			return out, err
		}
	}
	for _, other := range ch.linkBack {
		if err := link(tx, other, r.ID, now); err != nil {
			return out, err
		}
	}
	if ch.deadline {
		if err := refreshDeadline(tx, r, c.s.Config.Location); err != nil {
			return out, err
		}
	}
	if out.Changed {
		if err := tx.LookAgain(r.ID, now); err != nil {
			return out, err
		}
	}
	mails := ch.mails
	if !ch.noConfirm {
		mails = append(mails, confirmations(c, ch, out.Changed)...)
	}
	for _, m := range mails {
		q, err := l.opt.Notify.Queue(tx, m, now)
		if err != nil {
			return out, err
		}
		if q.Added {
			out.Queued = append(out.Queued, q.Key.String())
		}
	}
	return out, nil
}

// event builds a history event of the call's actor.
func (c *call) event(t liaison.EventType, detail string) liaison.Event {
	if c.actor.Via != "" {
		detail += " (" + c.actor.Via + ")"
	}
	return liaison.Event{At: c.now, Type: t, Detail: detail, By: c.actor.String(), Channel: c.actor.Channel, Reason: c.args.reason}
}

// mirror records the events of an action on an outgoing statement drafted
// here on the incoming statement it answers too, each prefixed "answer
// ID:", and links that statement to it.
func mirror(c *call, evs []liaison.Event) error {
	r := c.rec
	if len(evs) == 0 || r.Outbound == nil || r.Outbound.Answers == "" || !slices.Contains(OutgoingVerbs, c.req.Action) {
		return nil
	}
	in, err := c.tx.Record(r.Outbound.Answers)
	if err != nil {
		return nil // the statement answered vanished: nothing to update
	}
	if !slices.Contains(in.Links, r.ID) {
		in.Links = append(in.Links, r.ID)
		if err := c.tx.PutRecord(in); err != nil {
			return err
		}
	}
	for _, ev := range evs {
		ev.Detail = "answer " + r.ID + ": " + ev.Detail
		if err := c.tx.AddEvent(in.ID, ev); err != nil {
			return err
		}
	}
	return nil
}

// link records on record other (what answered a statement) that it is
// linked to the statement id (once).
func link(tx *store.Tx, other, id string, now time.Time) error {
	o, err := tx.Record(other)
	if err != nil {
		return nil // the link target vanished: nothing to update
	}
	for _, l := range o.Links {
		if l == id {
			return nil
		}
	}
	o.Links = append(o.Links, id)
	if err := tx.PutRecord(o); err != nil {
		return err
	}
	return tx.AddEvent(other, liaison.Event{At: now, Type: liaison.EventLinked, Detail: "answers " + id})
}

// refreshDeadline keeps the statement's deadline entry in the due index in
// step with its deadline and state.
func refreshDeadline(tx *store.Tx, r *liaison.Record, loc *time.Location) error {
	if r.State != liaison.StateOpen || r.Extraction.Deadline.IsZero() {
		return tx.ClearDue(r.ID, store.DueDeadline)
	}
	return tx.SetDue(r.ID, store.DueDeadline, r.Extraction.Deadline.EndOf(loc))
}
