package pipeline

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/commands"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// commandTarget finds the command reply address a mail was sent to, when
// commands are enabled.
func commandTarget(s *settings.Snapshot, x *liaison.Extraction) (commands.Target, bool) {
	if !s.Commands() {
		return commands.Target{}, false
	}
	var addrs []string
	for _, c := range append(append([]liaison.Contact(nil), x.HeaderTo...), x.HeaderCc...) {
		addrs = append(addrs, c.Email)
	}
	return commands.FindTarget(addrs, s.LiaisonAddresses())
}

// applyCommand handles a mail sent to a command reply address. msg is the
// mail's own record (already stored). In order:
//
//  1. the token in the address must be the statement's, not expired
//     (commands.Check), and the statement not closed: its address then
//     no longer works;
//  2. the MTA must vouch for the sender (commands.authserv_id; see
//     authenticated);
//  3. the first line is the command; without one, the reply is a reply
//     like any other: from someone who may acknowledge the statement, it
//     acknowledges it;
//  4. the (token, command) pair must not have been applied before: a
//     replay is recorded in the histories and nothing else happens;
//  5. the command is one action, applied through the action layer, which
//     decides whether the sender may take it; the pair is then recorded
//     (store applied_commands) in the same transaction.
//
// A refusal is logged, recorded in the histories of the mail and the
// statement and, for a known person, answered with one line.
func (p *Pipeline) applyCommand(tx *store.Tx, s *settings.Snapshot, in Input, msg *liaison.Record, tgt commands.Target, now time.Time, res *Result) error {
	x := &msg.Extraction
	sender := strings.ToLower(x.From.Email)
	log := p.log.With("mail", msg.ID, "statement", tgt.ID, "sender", sender)
	if ok, why := notify.FromPerson(s, msg, in.Raw); !ok {
		// Never act on (or answer) auto-generated mail, a list's copy or our own.
		log.Info("command ignored", "reason", why)
		return tx.AddEvent(msg.ID, liaison.Event{At: now, Type: liaison.EventCommandIgnored, Detail: why})
	}
	stmt, err := tx.Record(tgt.ID)
	if err != nil || stmt.Extraction.Kind != liaison.KindStatement || !strings.HasPrefix(stmt.ID, "LS-") {
		return p.refuse(tx, s, msg, refusal{id: tgt.ID, why: "there is no statement " + tgt.ID, answer: true}, now, res)
	}
	// Whatever happens, the mail belongs to the statement's history.
	if err := p.linkMessage(tx, msg, stmt.ID, now, res); err != nil {
		return err
	}
	refused := func(why string) error {
		return p.refuse(tx, s, msg, refusal{id: stmt.ID, stmt: stmt, why: why, answer: true}, now, res)
	}
	if err := commands.Check(s.CommandKey, stmt.ID, tgt, stmt.Received, now, s.Config.Commands.TokenMaxAge.D()); err != nil {
		return refused(err.Error())
	}
	if stmt.State == liaison.StateClosed {
		return refused(stmt.ID + " is closed: its reply address no longer works (a manager or the IAB can reopen it on the web or with the CLI)")
	}
	if v := authenticated(s, in.Raw, x.From.Email); !v.Pass {
		return refused("the sender could not be authenticated: " + v.Why)
	}
	cmd, err := commands.Parse(x.Body)
	if errors.Is(err, commands.ErrNoCommand) {
		return p.acknowledgeByReply(tx, s, in, stmt, msg, "reply "+msg.ID+" to the command address", now, res)
	}
	if err != nil {
		return refused(err.Error())
	}
	guard := commands.GuardKey(tgt, cmd)
	prev, replay, err := tx.CommandApplied(stmt.ID, guard)
	if err != nil {
		return err
	}
	if replay {
		why := fmt.Sprintf("replay: %q with this reply token was applied on %s (mail %s); nothing done", cmd.String(), prev.At.In(s.Config.Location).Format("2006-01-02 15:04"), prev.Mail)
		return p.refuse(tx, s, msg, refusal{id: stmt.ID, stmt: stmt, why: why, event: liaison.EventCommandReplayed}, now, res)
	}
	actor := actions.Actor{Email: sender, Channel: liaison.ChannelMail, Via: "mail command " + msg.ID}
	req, target := requestOf(cmd), stmt.ID
	if req.Action.OnRelationship() {
		// A report is about the statement's relationship.
		if req.Org, target = stmt.Routing.OrgID, ""; req.Org == "" {
			return refused(stmt.ID + " is from no known organization: there is no relationship to report on")
		}
	}
	out, err := p.actions.ApplyTx(tx, target, actor, req, now)
	var no *actions.Error
	if errors.As(err, &no) {
		return refused(no.Msg)
	}
	if err != nil {
		return err
	}
	if err := tx.MarkCommandApplied(stmt.ID, guard, store.AppliedCommand{At: now, Mail: msg.ID, Command: cmd.String()}); err != nil {
		return err
	}
	log.Info("command applied", "command", string(cmd.Verb), "result", out.Result)
	res.Queued = append(res.Queued, out.Queued...)
	res.Flags = appendOnce(res.Flags, "command:"+string(cmd.Verb))
	return tx.AddEvent(msg.ID, liaison.Event{At: now, Type: liaison.EventCommand, Detail: fmt.Sprintf("%s applied to %s: %s", cmd, stmt.ID, out.Result)})
}

// requestOf is the action a mail command asks for.
func requestOf(cmd commands.Command) actions.Request {
	req := actions.Request{Action: actions.Verb(cmd.Verb)}
	switch cmd.Verb {
	case commands.Delay:
		req.Date, req.Reason = cmd.Date.String(), cmd.Arg
	case commands.Answered:
		req.Ref = cmd.Arg
	case commands.Reassign:
		req.Groups = []string{cmd.Arg}
	case commands.Note, commands.Report:
		req.Text = cmd.Arg
	case commands.Set:
		req.Field, req.Value = liaison.Field(cmd.Field), cmd.Arg
	default: // not-ours, close, reopen, ack
		req.Reason = cmd.Arg
	}
	return req
}

// acknowledgeByReply acknowledges stmt for the sender of msg, a person's
// reply to mail about it, when nobody has yet and the sender may (the
// action layer decides). A reply from anyone else is linked, nothing more.
// A reply is a mail-borne action too: with commands.authserv_id set, the
// MTA must vouch for its sender; a reply that would have acknowledged but
// does not is recorded (not answered).
func (p *Pipeline) acknowledgeByReply(tx *store.Tx, s *settings.Snapshot, in Input, stmt, msg *liaison.Record, via string, now time.Time, res *Result) error {
	if stmt.Acked != nil || stmt.State != liaison.StateOpen {
		return nil
	}
	actor := actions.Actor{Email: msg.Extraction.From.Email, Channel: liaison.ChannelMail, Via: via}
	if v := authenticated(s, in.Raw, actor.Email); !v.Pass {
		if !actions.May(actions.RolesOf(s, stmt, actor, now), actions.Ack) {
			return nil // it would not have acknowledged anyway
		}
		return p.refuse(tx, s, msg, refusal{id: stmt.ID, stmt: stmt, why: "not taken as an acknowledgement: the sender could not be authenticated: " + v.Why}, now, res)
	}
	out, err := p.actions.ApplyTx(tx, stmt.ID, actor, actions.Request{Action: actions.Ack}, now)
	if code, refused := actions.CodeOf(err); refused {
		p.log.Debug("reply does not acknowledge", "mail", msg.ID, "statement", stmt.ID, "sender", actor.Email, "why", code)
		return nil
	}
	if err != nil {
		return err
	}
	res.Queued = append(res.Queued, out.Queued...)
	res.Flags = appendOnce(res.Flags, "acknowledges:"+stmt.ID)
	return nil
}

// refusal is a mail-borne action that is not applied.
type refusal struct {
	// id is the statement the mail names; stmt is it (nil when there is
	// no such statement).
	id   string
	stmt *liaison.Record
	why  string
	// event is what the histories record (default command-rejected).
	event liaison.EventType
	// answer tells the sender why, when the configuration knows them.
	answer bool
}

// refuse logs a refusal, records it in the histories of the mail and the
// statement and, when asked and the sender is a known person, answers with
// one line.
func (p *Pipeline) refuse(tx *store.Tx, s *settings.Snapshot, msg *liaison.Record, r refusal, now time.Time, res *Result) error {
	sender := strings.ToLower(msg.Extraction.From.Email)
	known := r.answer && s.Router.Known(sender)
	if r.event == "" {
		r.event = liaison.EventCommandRejected
	}
	p.log.Info("mail action not applied", "mail", msg.ID, "statement", r.id, "sender", sender, "why", r.why, "answered", known, "event", r.event)
	res.Flags = appendOnce(res.Flags, string(r.event))
	if err := tx.AddEvent(msg.ID, liaison.Event{At: now, Type: r.event, Detail: r.why}); err != nil {
		return err
	}
	if r.stmt != nil {
		ev := liaison.Event{At: now, Type: r.event, Detail: fmt.Sprintf("mail %s from %s: %s", msg.ID, sender, r.why)}
		if err := tx.AddEvent(r.stmt.ID, ev); err != nil {
			return err
		}
	}
	if !known {
		return nil
	}
	// The answer is about the command mail, not the statement: it threads
	// to the command and carries no reply token.
	return p.queueAbout(tx, notify.Mail{Kind: notify.KindCommandRejected, Record: msg, To: msg.Extraction.From, Role: liaison.RoleManager,
		Extra: map[string]string{"id": r.id, "why": r.why}}, now, res)
}

// linkMessage links a follow-up mail record to a statement both ways.
func (p *Pipeline) linkMessage(tx *store.Tx, msg *liaison.Record, stmtID string, now time.Time, res *Result) error {
	changed := false
	if !containsStr(msg.Links, stmtID) {
		msg.Links = appendOnce(msg.Links, stmtID)
		changed = true
		if err := linkBack(tx, stmtID, msg.ID, now, string(liaison.KindReply)); err != nil {
			return err
		}
	}
	if msg.Extraction.Kind == liaison.KindOther || msg.Extraction.Kind == liaison.KindStatement {
		msg.Extraction.Kind = liaison.KindReply
		changed = true
	}
	res.Kind = msg.Extraction.Kind
	if res.Linked == "" {
		res.Linked = stmtID
	}
	if !changed {
		return nil
	}
	return tx.PutRecord(msg)
}

// queueAbout queues one mail and notes its key in res.
func (p *Pipeline) queueAbout(tx *store.Tx, m notify.Mail, now time.Time, res *Result) error {
	keys, err := p.queue(tx, []notify.Mail{m}, now)
	res.Queued = append(res.Queued, keys...)
	return err
}

func containsStr(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
