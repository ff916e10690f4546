package outgoing

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// Approver is someone who may approve a group's outgoing statements.
type Approver struct {
	Email string               `json:"email"`
	Role  liaison.ApproverRole `json:"role"`
}

// GroupApprovers are the approvers of one sending group. Group is "" for
// a statement without a sending group, which speaks for the IETF as a
// whole.
type GroupApprovers struct {
	Group     string     `json:"group"`
	Approvers []Approver `json:"approvers"`
}

// PendingLine names who may still approve, group by group, as one line:
// "ccamp (ccamp-chairs@ietf.example, ad@ietf.example); the IETF
// (iab@iab.example)".
func PendingLine(pending []GroupApprovers) string {
	var parts []string
	for _, ga := range pending {
		var who []string
		for _, a := range ga.Approvers {
			who = append(who, a.Email)
		}
		if len(who) == 0 {
			who = []string{"nobody is configured"}
		}
		name := ga.Group
		if name == "" {
			name = "the IETF"
		}
		parts = append(parts, name+" ("+strings.Join(who, ", ")+")")
	}
	return strings.Join(parts, "; ")
}

// Approvers lists, for each sending group (in the order given), who may
// approve the statements it sends:
//
//   - a working group: its chairs, and the directors of its area;
//   - an area: its directors;
//   - the IAB and the IETF as a whole: the IAB, that is the group's chairs
//     and the configured IAB address.
//
// No sending group is an IETF-wide statement: the IAB approves it.
// Addresses are lower-cased; a group that is not configured has no
// approvers.
func Approvers(cfg *config.Config, groups []string) []GroupApprovers {
	iab := func(extra []string) []Approver {
		out := approvers(extra, liaison.ApproverIAB)
		return appendApprover(out, Approver{Email: cfg.IAB.Email, Role: liaison.ApproverIAB})
	}
	if len(groups) == 0 {
		return []GroupApprovers{{Approvers: iab(nil)}}
	}
	out := make([]GroupApprovers, 0, len(groups))
	for _, id := range groups {
		ga := GroupApprovers{Group: id}
		if g, ok := cfg.Group(id); ok {
			switch g.Kind {
			case config.KindArea:
				ga.Approvers = approvers(g.Directors, liaison.ApproverAreaDirector)
			case config.KindIAB, config.KindIETF:
				ga.Approvers = iab(g.Chairs)
			default:
				ga.Approvers = approvers(g.Chairs, liaison.ApproverChair)
				if area, ok := cfg.Group(g.Area); ok && g.Area != "" {
					for _, a := range approvers(area.Directors, liaison.ApproverAreaDirector) {
						ga.Approvers = appendApprover(ga.Approvers, a)
					}
				}
			}
		}
		out = append(out, ga)
	}
	return out
}

func approvers(addrs []string, role liaison.ApproverRole) []Approver {
	var out []Approver
	for _, a := range addrs {
		out = appendApprover(out, Approver{Email: a, Role: role})
	}
	return out
}

// appendApprover adds a unless its address is already there.
func appendApprover(list []Approver, a Approver) []Approver {
	a.Email = strings.ToLower(strings.TrimSpace(a.Email))
	if a.Email == "" || slices.ContainsFunc(list, func(b Approver) bool { return b.Email == a.Email }) {
		return list
	}
	return append(list, a)
}

// Errors of the state changes; the returned errors wrap one of them.
var (
	// ErrState: the statement is not in a state that allows the change.
	ErrState = errors.New("not allowed in this state")
	// ErrNotApprover: the person is not an approver of any sending group
	// still awaiting approval.
	ErrNotApprover = errors.New("not an approver")
	// ErrProblems: the draft has problems (see ProblemsError).
	ErrProblems = errors.New("the draft has problems")
	// ErrNoConsensus: an approval names no consensus reference.
	ErrNoConsensus = errors.New("no consensus reference")
)

// ProblemsError is the refusal to approve a draft with problems.
type ProblemsError struct{ Problems []Problem }

func (e *ProblemsError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = "  - " + p.String()
	}
	return fmt.Sprintf("%v (%d); fix them first:\n%s", ErrProblems, len(e.Problems), strings.Join(lines, "\n"))
}

// Is makes errors.Is(err, ErrProblems) true.
func (e *ProblemsError) Is(target error) bool { return target == ErrProblems }

// Pending returns the sending groups of rec no approval covers yet ("" for
// an IETF-wide statement).
func Pending(cfg *config.Config, rec *liaison.Record) []GroupApprovers {
	var out []GroupApprovers
	for _, ga := range Approvers(cfg, rec.Outbound.FromGroups) {
		covered := slices.ContainsFunc(rec.Outbound.Approvals, func(a liaison.Approval) bool { return slices.Contains(a.Groups, ga.Group) })
		if !covered {
			out = append(out, ga)
		}
	}
	return out
}

// Approve records by's approval of rec at now, resting on the consensus
// reference: rec must be a draft with no problems (Check at now), by an
// approver of at least one sending group not yet covered. The approval
// covers every such group by approves for; once every sending group is
// covered rec is approved. rec changes only when Approve succeeds.
func Approve(cfg *config.Config, rec *liaison.Record, by, consensus string, now time.Time) (liaison.Approval, error) {
	if err := outbound(rec, liaison.OutboundApproved); err != nil {
		return liaison.Approval{}, err
	}
	consensus = strings.TrimSpace(consensus)
	if consensus == "" {
		return liaison.Approval{}, fmt.Errorf("%s: %w: say where the IETF consensus is recorded (a consensus call's URL, meeting minutes)", rec.ID, ErrNoConsensus)
	}
	if ps := Check(cfg, rec, now); len(ps) > 0 {
		return liaison.Approval{}, fmt.Errorf("%s: %w", rec.ID, &ProblemsError{Problems: ps})
	}
	by = strings.ToLower(strings.TrimSpace(by))
	ap := liaison.Approval{At: now, By: by, Consensus: consensus}
	pending := Pending(cfg, rec)
	for _, ga := range pending {
		if i := slices.IndexFunc(ga.Approvers, func(a Approver) bool { return a.Email == by }); i >= 0 {
			ap.Groups = append(ap.Groups, ga.Group)
			if ap.Role == "" {
				ap.Role = ga.Approvers[i].Role
			}
		}
	}
	if len(ap.Groups) == 0 {
		return liaison.Approval{}, fmt.Errorf("%s: %w: %s may not approve for %s; %s", rec.ID, ErrNotApprover, by, pendingNames(pending), approverList(pending))
	}
	rec.Outbound.Approvals = append(rec.Outbound.Approvals, ap)
	if len(pending) == len(ap.Groups) {
		rec.Outbound.State = liaison.OutboundApproved
	}
	return ap, nil
}

func pendingNames(pending []GroupApprovers) string {
	var names []string
	for _, ga := range pending {
		if ga.Group == "" {
			names = append(names, "the IETF as a whole")
		} else {
			names = append(names, ga.Group)
		}
	}
	return strings.Join(names, ", ")
}

func approverList(pending []GroupApprovers) string {
	var parts []string
	for _, ga := range pending {
		var as []string
		for _, a := range ga.Approvers {
			as = append(as, a.Email+" ("+string(a.Role)+")")
		}
		if len(as) == 0 {
			as = []string{"nobody is configured"}
		}
		parts = append(parts, pendingNames([]GroupApprovers{ga})+": "+strings.Join(as, ", "))
	}
	return "approvers are " + strings.Join(parts, "; ")
}

// outbound checks that rec is a statement drafted here that may move to
// state to.
func outbound(rec *liaison.Record, to liaison.OutboundState) error {
	if rec.Outbound == nil {
		return fmt.Errorf("%s: %w: not an outgoing statement drafted here", rec.ID, ErrState)
	}
	if from := rec.Outbound.State; !from.CanBecome(to) {
		return fmt.Errorf("%s: %w: it is %s, and a statement %s cannot become %s", rec.ID, ErrState, from, from, to)
	}
	return nil
}

// Withdraw abandons rec, a draft or approved statement not yet sent, at now
// by by for the reason given; the record is closed.
func Withdraw(rec *liaison.Record, by, reason string, now time.Time) error {
	if err := outbound(rec, liaison.OutboundWithdrawn); err != nil {
		return err
	}
	rec.Outbound.State = liaison.OutboundWithdrawn
	rec.Outbound.Withdrawn = &liaison.Action{At: now, By: by, Note: reason}
	rec.State = liaison.StateClosed
	return nil
}

// MarkSent records that rec, an approved statement, was queued to the peer
// at now by by as the mail with the given Message-ID. From then on it is
// followed up like any statement recorded from mail: closed when it is for
// information or a response without a deadline, open otherwise.
func MarkSent(rec *liaison.Record, by, messageID string, now time.Time) error {
	if err := outbound(rec, liaison.OutboundSent); err != nil {
		return err
	}
	rec.Outbound.State = liaison.OutboundSent
	rec.Outbound.Sent = &liaison.Action{At: now, By: by, Ref: messageID}
	rec.Extraction.MessageID = messageID
	rec.State = liaison.StateOpen
	if p := rec.Extraction.Purpose; (p == liaison.PurposeInfo || p == liaison.PurposeResponse) && rec.Extraction.Deadline.IsZero() {
		rec.State = liaison.StateClosed
	}
	return nil
}
