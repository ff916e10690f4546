package actions

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

var testNow = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

const id = "LS-2026-0001"

// People of the example configuration, by the part they play for the test
// statement (from ITU-T SG15, routed to CCAMP).
var (
	jane      = Actor{Email: "jane.doe@example.org", Channel: liaison.ChannelWeb}      // a manager of ITU-T SG15
	marco     = Actor{Email: "marco.rossi@example.org", Channel: liaison.ChannelWeb}   // a manager of another organization
	ccamp     = Actor{Email: "ccamp-chairs@ietf.example", Channel: liaison.ChannelWeb} // chairs of a target group
	teas      = Actor{Email: "teas-chairs@ietf.example", Channel: liaison.ChannelWeb}  // chairs of another group
	iab       = Actor{Email: "liaison-coordination@iab.example", Channel: liaison.ChannelAPI}
	operator  = Operator(liaison.ChannelCLI)
	stranger  = Actor{Email: "mallory@evil.example", Channel: liaison.ChannelAPI}
	everybody = map[string]Actor{"manager": jane, "other manager": marco, "chair": ccamp, "other chair": teas, "iab": iab, "operator": operator, "stranger": stranger}
)

type fixture struct {
	db *store.DB
	l  *Layer
	// woken counts calls of the Changed hook.
	woken int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, examples.Config)
}

// newFixtureWith is newFixture over another configuration.
func newFixtureWith(t *testing.T, yaml []byte) *fixture {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse(filepath.Join(dir, "liaisond.yaml"), yaml)
	if err != nil {
		t.Fatal(err)
	}
	set, err := settings.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := func() time.Time { return testNow }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := notify.New(notify.Options{Settings: set, Now: now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db}
	f.l, err = New(Options{Settings: set, Notify: n, DB: db, Now: now, Log: log, Changed: func() { f.woken++ }})
	if err != nil {
		t.Fatal(err)
	}
	f.put(t, statementRecord())
	return f
}

// statementRecord is an open statement from ITU-T SG15 to CCAMP.
func statementRecord() *liaison.Record {
	return &liaison.Record{ID: id, Received: testNow.Add(-48 * time.Hour), State: liaison.StateOpen,
		Extraction: liaison.Extraction{Kind: liaison.KindStatement, MessageID: "sg15-1@itu.int", From: liaison.Contact{Email: "tsb-sg15@itu.int"},
			Title: "LS on alignment of the OTN topology YANG model", Purpose: liaison.PurposeAction, Deadline: liaison.Date{Year: 2027, Month: 3, Day: 15},
			FromOrgText: "ITU-T Study Group 15"},
		Routing: liaison.Routing{OrgID: "itu-t-sg15", OrgName: "ITU-T Study Group 15", Groups: []string{"ccamp"},
			Managers: []liaison.Contact{{Name: "Jane Doe", Email: "jane.doe@example.org"}, {Name: "Kenji Sato", Email: "kenji.sato@example.org"}}}}
}

func (f *fixture) put(t *testing.T, r *liaison.Record) {
	t.Helper()
	if err := f.db.Update(func(tx *store.Tx) error { return tx.PutRecord(r) }); err != nil {
		t.Fatal(err)
	}
}

// modify changes the stored statement with fn (nil: nothing).
func (f *fixture) modify(t *testing.T, fn func(*liaison.Record)) {
	t.Helper()
	if fn != nil {
		r := f.record(t)
		fn(r)
		f.put(t, r)
	}
}

func (f *fixture) record(t *testing.T) *liaison.Record {
	t.Helper()
	var r *liaison.Record
	if err := f.db.View(func(tx *store.Tx) (err error) { r, err = tx.Record(id); return err }); err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) events(t *testing.T) []liaison.Event {
	t.Helper()
	var evs []liaison.Event
	_ = f.db.View(func(tx *store.Tx) (err error) { evs, err = tx.Events(id); return err })
	return evs
}

// mails lists the outbox as sorted "kind recipient".
func (f *fixture) mails(t *testing.T) []string {
	t.Helper()
	var out []string
	_ = f.db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			out = append(out, e.Kind+" "+e.Recipient)
			return nil
		})
	})
	slices.Sort(out)
	return out
}

// valid are requests every action accepts on the open test statement.
var valid = map[Verb]Request{
	Ack:      {Action: Ack},
	Answered: {Action: Answered, Ref: "sent by the tracker on 2026-11-27"},
	Delay:    {Action: Delay, Date: "2027-05-01", Reason: "waiting for the WG's consensus call"},
	Reassign: {Action: Reassign, Groups: []string{"teas"}},
	NotOurs:  {Action: NotOurs, Reason: "this is for IEEE 802.1"},
	Close:    {Action: Close, Reason: "no reply will be sent"},
	Reopen:   {Action: Reopen},
	Note:     {Action: Note, Text: "CCAMP discusses it at IETF 130"},
	Set:      {Action: Set, Field: liaison.FieldDeadline, Value: "2027-06-01"},
}

// The authorisation table, as a pure function of roles.
func TestMay(t *testing.T) {
	all := []liaison.Role{liaison.RoleManager, liaison.RoleChair, liaison.RoleIAB, liaison.RoleOperator}
	noChair := []liaison.Role{liaison.RoleManager, liaison.RoleIAB, liaison.RoleOperator}
	want := map[Verb][]liaison.Role{
		Ack: all, Answered: all, Delay: all, Reassign: all, NotOurs: all, Note: all,
		Close: noChair, Reopen: noChair, Set: noChair,
	}
	if len(want) != len(Verbs) {
		t.Fatalf("the test covers %d of %d verbs", len(want), len(Verbs))
	}
	for _, v := range Verbs {
		for _, r := range append(all, liaison.RoleSender) {
			got := May(liaison.Roles{r}, v)
			if exp := slices.Contains(want[v], r); got != exp {
				t.Errorf("May(%s, %s) = %v, want %v", r, v, got, exp)
			}
		}
		if May(nil, v) {
			t.Errorf("May(no role, %s) = true", v)
		}
		if !May(liaison.Roles{liaison.RoleChair, liaison.RoleManager}, v) {
			t.Errorf("a chair who is also a manager may not %s", v)
		}
	}
	if got := Allowed(liaison.Roles{liaison.RoleChair}); !slices.Equal(got, []Verb{Ack, Answered, Delay, Reassign, NotOurs, Note}) {
		t.Errorf("Allowed(chair) = %v", got)
	}
}

// Who may do what, through Apply: every actor against every action. A
// refusal is Forbidden and changes nothing.
func TestApplyAuthorisation(t *testing.T) {
	allowed := map[string][]Verb{
		"manager":  Verbs,
		"chair":    {Ack, Answered, Delay, Reassign, NotOurs, Note},
		"iab":      Verbs,
		"operator": Verbs,
	}
	for who, actor := range everybody {
		for _, v := range Verbs {
			t.Run(who+"/"+string(v), func(t *testing.T) {
				f := newFixture(t)
				if v == Reopen { // reopen needs a statement that is not open
					f.modify(t, func(r *liaison.Record) { r.State = liaison.StateClosed })
				}
				before := f.record(t)
				_, err := f.l.Apply(id, actor, valid[v])
				want := slices.Contains(allowed[who], v)
				if code, refused := CodeOf(err); want && err != nil || !want && (!refused || code != Forbidden) {
					t.Fatalf("%s %s: err %v, want allowed %v", who, v, err, want)
				}
				if !want {
					if after := f.record(t); fmt.Sprint(after) != fmt.Sprint(before) || len(f.events(t)) != 0 || len(f.mails(t)) != 0 {
						t.Errorf("a refused %s changed something", v)
					}
					if !strings.Contains(err.Error(), "may not") {
						t.Errorf("refusal %q does not say why", err)
					}
				}
			})
		}
	}
}

// What each action does: the record, one history event with who, channel
// and why, the acknowledgement, and the mails.
func TestApplyEffects(t *testing.T) {
	type check func(r *liaison.Record) string
	tests := []struct {
		name  string
		actor Actor
		req   Request
		setup func(r *liaison.Record)
		event liaison.EventType
		acks  bool
		check check
		mails []string // new outbox entries, sorted "kind recipient"
	}{
		{"ack", jane, valid[Ack], nil, "", true, func(r *liaison.Record) string {
			if r.Acked == nil || r.Acked.By != "jane.doe@example.org" || !r.Acked.At.Equal(testNow) {
				return fmt.Sprintf("acked %+v", r.Acked)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org"}},
		{"answered with a reference", ccamp, valid[Answered], nil, liaison.EventAnswered, true, func(r *liaison.Record) string {
			if r.State != liaison.StateAnswered || r.Answered == nil || r.Answered.Note != "sent by the tracker on 2026-11-27" || r.Answered.By != "ccamp-chairs@ietf.example" {
				return fmt.Sprintf("state %s answered %+v", r.State, r.Answered)
			}
			return ""
		}, []string{"answered jane.doe@example.org", "answered kenji.sato@example.org"}},
		{"answered on an outgoing statement does not acknowledge", Actor{Email: "tsb-sg15@itu.int", Channel: liaison.ChannelMail, Operator: true, Via: "reply tracking"},
			Request{Action: Answered, Ref: "MSG-2026-000009", Reason: "mail threading"}, func(r *liaison.Record) { r.Extraction.Direction = liaison.Outgoing },
			liaison.EventAnswered, false, nil, []string{"answered jane.doe@example.org", "answered kenji.sato@example.org"}},
		{"delay by a manager over mail", Actor{Email: "Jane.Doe@example.org", Channel: liaison.ChannelMail, Via: "mail command MSG-2026-000002"}, valid[Delay], nil, liaison.EventDelayed, true, func(r *liaison.Record) string {
			if r.InternalDeadline.String() != "2027-05-01" || r.EffectiveDeadline().String() != "2027-05-01" || r.Extraction.Deadline.String() != "2027-03-15" {
				return "internal deadline " + r.InternalDeadline.String()
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "command-iab liaison-coordination@iab.example", "interim-reply jane.doe@example.org"}},
		{"delay by the operator drafts to the managers", operator, valid[Delay], nil, liaison.EventDelayed, true, nil,
			[]string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "command-iab liaison-coordination@iab.example", "interim-reply jane.doe@example.org", "interim-reply kenji.sato@example.org"}},
		{"reassign tells the new chairs", ccamp, Request{Action: Reassign, Groups: []string{"TEAS WG", "mpls"}}, func(r *liaison.Record) {
			r.Routing.Misdirected, r.Routing.MisdirectionReason, r.Routing.WrongGroups = true, "wrong_group", []string{"ccamp"}
		}, liaison.EventReassigned, true, func(r *liaison.Record) string {
			if !slices.Equal(r.Routing.Groups, []string{"mpls", "teas"}) || r.Routing.Misdirected {
				return fmt.Sprintf("groups %v misdirected %v", r.Routing.Groups, r.Routing.Misdirected)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "notice jane.doe@example.org", "notice kenji.sato@example.org", "notice mpls-chairs@ietf.example", "notice teas-chairs@ietf.example"}},
		{"not-ours", jane, valid[NotOurs], nil, liaison.EventNotOurs, true, func(r *liaison.Record) string {
			if !r.Routing.Escalate || r.Routing.EscalationReason != "not_ours" {
				return fmt.Sprintf("escalate %v %q", r.Routing.Escalate, r.Routing.EscalationReason)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "command-confirm liaison-coordination@iab.example", "command-iab liaison-coordination@iab.example"}},
		{"close", iab, valid[Close], nil, liaison.EventClosed, false, func(r *liaison.Record) string {
			if r.State != liaison.StateClosed || r.Closed == nil || r.Closed.Note != "no reply will be sent" || r.Acked != nil {
				return fmt.Sprintf("state %s closed %+v acked %+v", r.State, r.Closed, r.Acked)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org"}},
		{"reopen an answered statement", jane, valid[Reopen], func(r *liaison.Record) {
			r.State, r.Answered = liaison.StateAnswered, &liaison.Action{By: "x"}
		}, liaison.EventReopened, false, func(r *liaison.Record) string {
			if r.State != liaison.StateOpen || r.Answered != nil {
				return fmt.Sprintf("state %s answered %+v", r.State, r.Answered)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org"}},
		{"note", ccamp, valid[Note], nil, liaison.EventNote, false, nil, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org"}},
		{"set the deadline", jane, valid[Set], nil, liaison.EventCorrected, false, func(r *liaison.Record) string {
			c, ok := r.Correction(liaison.FieldDeadline)
			if r.Extraction.Deadline.String() != "2027-06-01" || !ok || c.Original != "2027-03-15" || c.By != "jane.doe@example.org" || c.Channel != liaison.ChannelWeb {
				return fmt.Sprintf("deadline %s correction %+v", r.Extraction.Deadline, c)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org"}},
		{"set the organization tells the new managers and the old", jane, Request{Action: Set, Field: liaison.FieldFromOrg, Value: "ITU-T SG13"}, nil, liaison.EventCorrected, false, func(r *liaison.Record) string {
			if r.Routing.OrgID != "itu-t-sg13" || len(r.Routing.Managers) != 1 || r.Routing.Managers[0].Email != "marco.rossi@example.org" {
				return fmt.Sprintf("routing %+v", r.Routing)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "command-confirm marco.rossi@example.org", "notice ccamp-chairs@ietf.example", "notice marco.rossi@example.org"}},
		{"set the organization to one without managers escalates", iab, Request{Action: Set, Field: liaison.FieldFromOrg, Value: "etsi-tc-cyber"}, nil, liaison.EventCorrected, false, func(r *liaison.Record) string {
			if !r.Routing.Escalate || !r.Routing.NoManager {
				return fmt.Sprintf("routing %+v", r.Routing)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "command-confirm liaison-coordination@iab.example", "escalation liaison-coordination@iab.example", "notice ccamp-chairs@ietf.example"}},
		{"set the purpose as written", jane, Request{Action: Set, Field: liaison.FieldPurpose, Value: "For information"}, nil, liaison.EventCorrected, false, func(r *liaison.Record) string {
			if r.Extraction.Purpose != liaison.PurposeInfo {
				return "purpose " + string(r.Extraction.Purpose)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.modify(t, tc.setup)
			out, err := f.l.Apply(id, tc.actor, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			r := f.record(t)
			if !out.Changed || out.Result == "" || out.Record == nil || f.woken != 1 {
				t.Errorf("outcome %+v (woken %d)", out, f.woken)
			}
			if tc.check != nil {
				if why := tc.check(r); why != "" {
					t.Error(why)
				}
			}
			if (r.Acked != nil) != tc.acks {
				t.Errorf("acknowledged %+v, want %v", r.Acked, tc.acks)
			}
			evs := f.events(t)
			if tc.event != "" {
				i := slices.IndexFunc(evs, func(ev liaison.Event) bool { return ev.Type == tc.event })
				if i < 0 {
					t.Fatalf("no %s event in %+v", tc.event, evs)
				}
				ev := evs[i]
				if ev.By != tc.actor.String() || ev.Channel != tc.actor.Channel || !ev.At.Equal(testNow) || ev.Reason != oneLine(tc.req.Reason) {
					t.Errorf("event %+v: want by %s via %s, reason %q", ev, tc.actor, tc.actor.Channel, tc.req.Reason)
				}
				if tc.actor.Via != "" && !strings.Contains(ev.Detail, tc.actor.Via) {
					t.Errorf("event %q does not say what carried it (%s)", ev.Detail, tc.actor.Via)
				}
			}
			if got := f.mails(t); !slices.Equal(got, tc.mails) {
				t.Errorf("mails %v\n want %v", got, tc.mails)
			}
			// The scheduler looks again now.
			_ = f.db.View(func(tx *store.Tx) error {
				if at, ok := tx.DueAt(id, store.DueRecompute); !ok || !at.Equal(testNow) {
					t.Errorf("scheduler not asked to look again: %v %v", at, ok)
				}
				return nil
			})
		})
	}
}

// The deadline entry of the due index follows the deadline and the state.
func TestDeadlineIndexFollows(t *testing.T) {
	f := newFixture(t)
	due := func() (time.Time, bool) {
		var at time.Time
		var ok bool
		_ = f.db.View(func(tx *store.Tx) error { at, ok = tx.DueAt(id, store.DueDeadline); return nil })
		return at, ok
	}
	steps := []struct {
		req  Request
		want string // "" for no entry
	}{
		{Request{Action: Set, Field: liaison.FieldDeadline, Value: "2027-06-01"}, "2027-06-01T23:59:59Z"},
		{Request{Action: Close, Reason: "done"}, ""},
		{Request{Action: Reopen}, "2027-06-01T23:59:59Z"},
		{Request{Action: Set, Field: liaison.FieldDeadline, Value: "none"}, ""},
	}
	for _, st := range steps {
		if _, err := f.l.Apply(id, operator, st.req); err != nil {
			t.Fatal(err)
		}
		at, ok := due()
		got := ""
		if ok {
			got = at.UTC().Format(time.RFC3339)
		}
		if got != st.want {
			t.Errorf("after %s: deadline entry %q, want %q", st.req, got, st.want)
		}
	}
}

// Refusals carry a code each channel maps, and change nothing.
func TestApplyRefusals(t *testing.T) {
	tests := []struct {
		name  string
		id    string
		actor Actor
		req   Request
		setup func(r *liaison.Record)
		code  Code
		msg   string
	}{
		{"unknown action", id, jane, Request{Action: "frobnicate"}, nil, Invalid, `unknown action "frobnicate"`},
		{"no actor", id, Actor{Channel: liaison.ChannelAPI}, valid[Ack], nil, Invalid, "who acts is unknown"},
		{"unknown channel", id, Actor{Email: jane.Email, Channel: "pigeon"}, valid[Ack], nil, Invalid, "unknown channel"},
		{"delay without a reason", id, jane, Request{Action: Delay, Date: "2027-05-01"}, nil, Invalid, "a reason is required"},
		{"delay with a bad date", id, jane, Request{Action: Delay, Date: "2027-02-30", Reason: "x"}, nil, Invalid, "want YYYY-MM-DD"},
		{"delay into the past", id, jane, Request{Action: Delay, Date: "2026-11-28", Reason: "x"}, nil, Invalid, "is not after today"},
		{"close without a reason", id, jane, Request{Action: Close}, nil, Invalid, "a reason is required"},
		{"reassign to nothing", id, jane, Request{Action: Reassign}, nil, Invalid, "at least one group"},
		{"reassign to an unknown group", id, jane, Request{Action: Reassign, Groups: []string{"nosuchwg"}}, nil, Invalid, `no group "nosuchwg"`},
		{"note without text", id, jane, Request{Action: Note}, nil, Invalid, "text is required"},
		{"set an unknown field", id, jane, Request{Action: Set, Field: "colour", Value: "blue"}, nil, Invalid, `field "colour"`},
		{"set a bad deadline", id, jane, Request{Action: Set, Field: liaison.FieldDeadline, Value: "soon"}, nil, Invalid, "want YYYY-MM-DD or none"},
		{"set an unknown organization", id, jane, Request{Action: Set, Field: liaison.FieldFromOrg, Value: "Nowhere"}, nil, Invalid, "no organization"},
		{"set a bad purpose", id, jane, Request{Action: Set, Field: liaison.FieldPurpose, Value: "fun"}, nil, Invalid, "want action, comment, info or response"},
		{"no such statement", "LS-2026-0099", jane, valid[Ack], nil, NotFound, "there is no statement LS-2026-0099"},
		{"reopen an open statement", id, jane, valid[Reopen], nil, Conflict, "is already open"},
		{"close a closed statement", id, jane, valid[Close], func(r *liaison.Record) { r.State = liaison.StateClosed }, Conflict, "already closed"},
		{"delay an answered statement", id, jane, valid[Delay], func(r *liaison.Record) { r.State = liaison.StateAnswered }, Conflict, "reopen it first"},
		{"answer a closed statement", id, jane, valid[Answered], func(r *liaison.Record) { r.State = liaison.StateClosed }, Conflict, "reopen it first"},
		{"a stranger", id, stranger, valid[Note], nil, Forbidden, "mallory@evil.example (roles: none) may not note it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.modify(t, tc.setup)
			before := fmt.Sprint(f.record(t))
			_, err := f.l.Apply(tc.id, tc.actor, tc.req)
			code, refused := CodeOf(err)
			if !refused || code != tc.code || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err %v (code %v), want %v containing %q", err, code, tc.code, tc.msg)
			}
			if fmt.Sprint(f.record(t)) != before || len(f.events(t)) != 0 || len(f.mails(t)) != 0 || f.woken != 0 {
				t.Error("a refused action changed something")
			}
		})
	}
	for code, status := range map[Code]int{Invalid: 400, Forbidden: 403, NotFound: 404, Conflict: 409} {
		if code.HTTPStatus() != status {
			t.Errorf("%s maps to %d, want %d", code, code.HTTPStatus(), status)
		}
	}
	// A message that is not a statement is not found either.
	f := newFixture(t)
	f.put(t, &liaison.Record{ID: "MSG-2026-000001", Extraction: liaison.Extraction{Kind: liaison.KindReply}})
	if _, err := f.l.Apply("MSG-2026-000001", jane, valid[Ack]); err == nil {
		t.Error("acted on a message that is not a statement")
	} else if code, _ := CodeOf(err); code != NotFound {
		t.Errorf("acting on a message: %v", err)
	}
}

// An action that changes nothing records nothing and tells nobody but a
// mail sender, who is waiting for an answer.
func TestNoOpActions(t *testing.T) {
	f := newFixture(t)
	if _, err := f.l.Apply(id, jane, valid[Ack]); err != nil {
		t.Fatal(err)
	}
	evs, mails := len(f.events(t)), f.mails(t)
	out, err := f.l.Apply(id, ccamp, valid[Ack])
	if err != nil || out.Changed || !strings.Contains(out.Result, "already acknowledged by jane.doe@example.org") {
		t.Fatalf("second ack: %+v %v", out, err)
	}
	if len(f.events(t)) != evs || !slices.Equal(f.mails(t), mails) {
		t.Error("a second ack recorded or sent something")
	}
	byMail := Actor{Email: "kenji.sato@example.org", Channel: liaison.ChannelMail}
	if _, err := f.l.Apply(id, byMail, valid[Ack]); err != nil {
		t.Fatal(err)
	}
	if got := f.mails(t); len(got) != len(mails)+1 || !slices.Contains(got, "command-confirm kenji.sato@example.org") {
		t.Errorf("the mail sender of a no-op ack got %v", got)
	}
	if r := f.record(t); r.Acked.By != "jane.doe@example.org" {
		t.Errorf("acknowledgement overwritten: %+v", r.Acked)
	}
}

// The request is what the control socket and the HTTP API carry.
func TestRequestJSON(t *testing.T) {
	tests := map[string]Request{
		`{"action":"delay","date":"2027-05-01","reason":"waiting"}`: {Action: Delay, Date: "2027-05-01", Reason: "waiting"},
		`{"action":"note","text":"hello"}`:                          {Action: Note, Text: "hello"},
		`{"action":"answered","ref":"LS-2026-0003"}`:                {Action: Answered, Ref: "LS-2026-0003"},
		`{"action":"reassign","groups":["teas"]}`:                   {Action: Reassign, Groups: []string{"teas"}},
		`{"action":"set","field":"deadline","value":"2027-06-01"}`:  {Action: Set, Field: liaison.FieldDeadline, Value: "2027-06-01"},
		`{"action":"close","reason":"no reply will be sent"}`:       {Action: Close, Reason: "no reply will be sent"},
		`{"action":"not-ours","reason":"for IEEE 802.1"}`:           {Action: NotOurs, Reason: "for IEEE 802.1"},
	}
	for in, want := range tests {
		var got Request
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s decoded as %+v", in, got)
		}
		back, _ := json.Marshal(got)
		if string(back) != in {
			t.Errorf("%+v encodes as %s, want %s", got, back, in)
		}
	}
}

// Corrections survive reprocessing: Reapply puts them back on a fresh
// extraction and routing, with the fresh values as originals.
func TestReapply(t *testing.T) {
	f := newFixture(t)
	for _, req := range []Request{
		{Action: Set, Field: liaison.FieldTitle, Value: "LS on OTN YANG alignment"},
		{Action: Set, Field: liaison.FieldToGroups, Value: "ccamp, teas"},
		{Action: Set, Field: liaison.FieldTitle, Value: "LS on the OTN topology YANG model"},
	} {
		if _, err := f.l.Apply(id, jane, req); err != nil {
			t.Fatal(err)
		}
	}
	r := f.record(t)
	if c, _ := r.Correction(liaison.FieldTitle); c.Original != "LS on alignment of the OTN topology YANG model" {
		t.Errorf("a second correction lost the extracted value: %+v", c)
	}
	// A fresh extraction and routing, as reprocessing makes them.
	fresh := statementRecord()
	fresh.Extraction.Title = "LS on alignment of the OTN topology YANG model (rev)"
	if _, err := f.l.Apply(id, jane, Request{Action: NotOurs, Reason: "for IEEE"}); err != nil {
		t.Fatal(err)
	}
	prev := f.record(t)
	r = statementRecord()
	r.Extraction, r.Routing = fresh.Extraction, fresh.Routing
	if err := Reapply(f.l.opt.Settings.Current(), prev, r); err != nil {
		t.Fatal(err)
	}
	if !r.Routing.Escalate || r.Routing.EscalationReason != notOursReason {
		t.Errorf("the hand-back to the IAB was lost: %+v", r.Routing)
	}
	if r.Extraction.Title != "LS on the OTN topology YANG model" || !slices.Equal(r.Routing.Groups, []string{"ccamp", "teas"}) {
		t.Errorf("after Reapply: title %q groups %v", r.Extraction.Title, r.Routing.Groups)
	}
	if c, _ := r.Correction(liaison.FieldTitle); c.Original != "LS on alignment of the OTN topology YANG model (rev)" {
		t.Errorf("original not refreshed: %+v", c)
	}
}
