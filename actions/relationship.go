package actions

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// Actions on a relationship rather than on one statement. They take no
// statement id: Request.Org names the relationship (an organization id or
// name), and Apply and ApplyTx dispatch on the verb.
const (
	// Report sends a manager's update on a relationship to the IAB and
	// records it in the relationship's history (text).
	Report Verb = "report"
)

// RelationshipVerbs lists the actions on a relationship.
var RelationshipVerbs = []Verb{Report}

// OnRelationship reports whether v acts on a relationship (Request.Org)
// rather than on a statement.
func (v Verb) OnRelationship() bool {
	for _, r := range RelationshipVerbs {
		if v == r {
			return true
		}
	}
	return false
}

// MaxReport bounds a report's text, in runes.
const MaxReport = 20000

// RelationshipRoles returns the roles actor plays for the relationship
// with organization o at time at: manager when its address is one of the
// managers in office, iab for the IAB coordinators' address, and the
// operator's when it acts as the operator.
func RelationshipRoles(s *settings.Snapshot, o *config.Organization, actor Actor, at time.Time) liaison.Roles {
	var roles liaison.Roles
	addr := strings.TrimSpace(actor.Email)
	if addr != "" {
		if strings.EqualFold(addr, s.Config.IAB.Email) {
			roles = roles.Add(liaison.RoleIAB)
		}
		if liaison.HasAddress(o.ManagersAt(at, s.Config.Location), addr) {
			roles = roles.Add(liaison.RoleManager)
		}
	}
	if actor.Operator {
		roles = roles.Add(liaison.RoleOperator)
	}
	return roles
}

// applyRelationship takes a relationship action inside tx: it reads the
// request, finds the relationship, authorises the actor and applies the
// effect. A refusal writes nothing.
func (l *Layer) applyRelationship(tx *store.Tx, id string, actor Actor, req Request, now time.Time) (Outcome, error) {
	s := l.opt.Settings.Current()
	v := req.Action
	bad := func(format string, x ...any) (Outcome, error) { return Outcome{}, refuse(Invalid, "", v, format, x...) }
	switch {
	case id != "":
		return bad("%s is about a relationship, not a statement: name the organization, not %s", v, id)
	case !actor.Channel.Valid():
		return bad("unknown channel %q", actor.Channel)
	case actor.Email == "" && !actor.Operator:
		return bad("who acts is unknown (no address)")
	}
	o, err := organization(s, req.Org)
	if err != nil {
		return bad("%v", err)
	}
	text := strings.TrimSpace(req.Text)
	switch {
	case text == "":
		return bad("the report's text is required (report ORG TEXT)")
	case utf8.RuneCountInString(text) > MaxReport:
		return bad("the report is longer than %d characters", MaxReport)
	}
	roles := RelationshipRoles(s, o, actor, now)
	if !May(roles, v) {
		return Outcome{}, refuse(Forbidden, "", v, "%s (roles: %s) may not report on %s: that needs %s", actor, roles, o.ID, whoMay(v))
	}
	out, err := l.report(tx, s, o, actor, text, now)
	if err != nil {
		return Outcome{}, fmt.Errorf("actions: %s %s: %w", v, o.ID, err)
	}
	l.opt.Log.Info("action", "relationship", o.ID, "action", v, "by", actor.String(), "channel", actor.Channel, "via", actor.Via, "result", out.Result)
	return out, nil
}

// report records the report in the relationship's history and queues it
// to the IAB, with the managers in office in Cc.
func (l *Layer) report(tx *store.Tx, s *settings.Snapshot, o *config.Organization, actor Actor, text string, now time.Time) (Outcome, error) {
	out := Outcome{Relationship: o.ID, Action: Report, Changed: true}
	evs, err := tx.RelationshipEvents(o.ID, 0)
	if err != nil {
		return out, err
	}
	ev := liaison.Event{At: now, Type: liaison.EventReport, Detail: text, By: actor.String(), Channel: actor.Channel}
	if actor.Via != "" {
		ev.Reason = actor.Via
	}
	if err := tx.AddRelationshipEvent(o.ID, ev); err != nil {
		return out, err
	}
	open, err := relations.OpenStatements(tx, o.ID, now)
	if err != nil {
		return out, err
	}
	unsent, err := relations.UnsentStatements(tx, o.ID)
	if err != nil {
		return out, err
	}
	d := relations.Data(s, o, s.Config.IAB, open, unsent, now)
	d.By, d.Text = actor.String(), text
	m := notify.Mail{Kind: notify.KindReport, To: s.Config.IAB, Role: liaison.RoleIAB, Cc: d.Managers,
		Period: fmt.Sprintf("%s/report#%d", o.ID, len(evs)), Data: func(templates.NoticeData) any { return d }}
	q, err := l.opt.Notify.Queue(tx, m, now)
	if err != nil {
		return out, err
	}
	if q.Added {
		out.Queued = append(out.Queued, q.Key.String())
	}
	out.Result = fmt.Sprintf("report on %s recorded and sent to the IAB liaison coordinators (%s)", o.ID, s.Config.IAB.Email)
	return out, nil
}

// organization finds the relationship a request names: an organization id,
// or a name or alias routing knows.
func organization(s *settings.Snapshot, text string) (*config.Organization, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, fmt.Errorf("the organization is required")
	}
	if o, ok := s.Config.Org(strings.ToLower(text)); ok {
		return o, nil
	}
	if id, ok := s.Router.ResolveOrg(text); ok {
		if o, ok := s.Config.Org(id); ok {
			return o, nil
		}
	}
	return nil, fmt.Errorf("no organization %q in the configuration", text)
}
