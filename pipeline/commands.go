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
// mail's own record (already stored). The address's token must be valid
// for the statement (the mail channel's own proof that the sender replied
// to a notice); the command on the first line is then one action, applied
// through the action layer, which decides whether the sender may take it.
// A reply without a command line is a reply like any other: from someone
// who may acknowledge the statement, it acknowledges it. A refused command
// is logged and, for a known person, answered with one line.
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
		return p.rejectCommand(tx, s, msg, sender, tgt.ID, "there is no statement "+tgt.ID, now, res)
	}
	// Whatever happens, the mail belongs to the statement's history.
	if err := p.linkMessage(tx, msg, stmt.ID, now, res); err != nil {
		return err
	}
	if !commands.Valid(s.CommandKey, stmt.ID, tgt.Token) {
		return p.rejectCommand(tx, s, msg, sender, stmt.ID, "the reply token is not valid for "+stmt.ID+" (reply to a current liaisond notice)", now, res)
	}
	cmd, err := commands.Parse(x.Body)
	if errors.Is(err, commands.ErrNoCommand) {
		return p.acknowledgeByReply(tx, stmt, msg, "reply "+msg.ID+" to the command address", now, res)
	}
	if err != nil {
		return p.rejectCommand(tx, s, msg, sender, stmt.ID, err.Error(), now, res)
	}
	actor := actions.Actor{Email: sender, Channel: liaison.ChannelMail, Via: "mail command " + msg.ID}
	req, target := requestOf(cmd), stmt.ID
	if req.Action.OnRelationship() {
		// A report is about the statement's relationship.
		if req.Org, target = stmt.Routing.OrgID, ""; req.Org == "" {
			return p.rejectCommand(tx, s, msg, sender, stmt.ID, stmt.ID+" is from no known organization: there is no relationship to report on", now, res)
		}
	}
	out, err := p.actions.ApplyTx(tx, target, actor, req, now)
	var refused *actions.Error
	if errors.As(err, &refused) {
		return p.rejectCommand(tx, s, msg, sender, stmt.ID, refused.Msg, now, res)
	}
	if err != nil {
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
func (p *Pipeline) acknowledgeByReply(tx *store.Tx, stmt, msg *liaison.Record, via string, now time.Time, res *Result) error {
	if stmt.Acked != nil || stmt.State != liaison.StateOpen {
		return nil
	}
	actor := actions.Actor{Email: msg.Extraction.From.Email, Channel: liaison.ChannelMail, Via: via}
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

// rejectCommand logs a refused command, records it in the mail's history
// and, when the sender is a known person, answers with one line.
func (p *Pipeline) rejectCommand(tx *store.Tx, s *settings.Snapshot, msg *liaison.Record, sender, stmtID, why string, now time.Time, res *Result) error {
	known := s.Router.Known(sender)
	p.log.Info("command not accepted", "mail", msg.ID, "statement", stmtID, "sender", sender, "why", why, "answered", known)
	res.Flags = appendOnce(res.Flags, "command-rejected")
	if err := tx.AddEvent(msg.ID, liaison.Event{At: now, Type: liaison.EventCommandRejected, Detail: why}); err != nil {
		return err
	}
	if !known {
		return nil
	}
	// The answer is about the command mail, not the statement: it threads
	// to the command and carries no reply token.
	return p.queueAbout(tx, notify.Mail{Kind: notify.KindCommandRejected, Record: msg, To: msg.Extraction.From, Role: liaison.RoleManager,
		Extra: map[string]string{"id": stmtID, "why": why}}, now, res)
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
