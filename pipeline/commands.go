package pipeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/commands"
	"github.com/ietf-tools/liaisond/config"
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
// mail's own record (already stored). The command is applied only when the
// token is valid for the statement and the sender may act on it;
// otherwise it is logged and, for a known person, answered with one line.
func (p *Pipeline) applyCommand(tx *store.Tx, s *settings.Snapshot, in Input, msg *liaison.Record, tgt commands.Target, now time.Time, res *Result) error {
	x := &msg.Extraction
	sender := strings.ToLower(x.From.Email)
	log := p.log.With("mail", msg.ID, "statement", tgt.ID, "sender", sender)
	if ok, why := notify.Answerable(s, msg, in.Raw); !ok {
		// Never act on (or answer) auto-generated mail or our own.
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
	if len(s.Router.Roles(stmt, sender)) == 0 {
		return p.rejectCommand(tx, s, msg, sender, stmt.ID, sender+" is not a liaison manager or chair of "+stmt.ID, now, res)
	}
	cmd, err := commands.Parse(x.Body)
	if err != nil {
		return p.rejectCommand(tx, s, msg, sender, stmt.ID, err.Error(), now, res)
	}
	result, extra, err := p.runCommand(tx, s, stmt, cmd, sender, msg, now, res)
	if err != nil {
		return err
	}
	if result == "" { // refused by its own rules
		return p.rejectCommand(tx, s, msg, sender, stmt.ID, extra["why"], now, res)
	}
	log.Info("command applied", "command", string(cmd.Verb), "result", result)
	if err := tx.AddEvent(stmt.ID, liaison.Event{At: now, Type: liaison.EventCommand, Detail: fmt.Sprintf("%s by %s (%s): %s", cmd, sender, msg.ID, result)}); err != nil {
		return err
	}
	if err := tx.AddEvent(msg.ID, liaison.Event{At: now, Type: liaison.EventCommand, Detail: fmt.Sprintf("%s applied to %s", cmd.Verb, stmt.ID)}); err != nil {
		return err
	}
	res.Flags = appendOnce(res.Flags, "command:"+string(cmd.Verb))
	stmt, err = tx.Record(stmt.ID)
	if err != nil {
		return err
	}
	extra["command"], extra["result"] = cmd.String(), result
	if !stmt.InternalDeadline.IsZero() {
		extra["internal_deadline"] = stmt.InternalDeadline.String()
	}
	return p.queueAbout(tx, notify.Mail{Kind: notify.KindConfirm, Record: stmt, To: x.From, Role: liaison.RoleManager, Period: msg.ID, Extra: extra}, now, res)
}

// runCommand applies one authorised command. It returns the result for the
// confirmation, or "" and extra["why"] when the command cannot be applied.
func (p *Pipeline) runCommand(tx *store.Tx, s *settings.Snapshot, stmt *liaison.Record, cmd commands.Command, sender string, msg *liaison.Record, now time.Time, res *Result) (string, map[string]string, error) {
	extra := map[string]string{}
	refuse := func(why string) (string, map[string]string, error) {
		return "", map[string]string{"why": why}, nil
	}
	switch cmd.Verb {
	case commands.Ack:
		if stmt.Acked != nil {
			return "already acknowledged by " + stmt.Acked.By + " on " + stmt.Acked.At.In(s.Config.Location).Format("2006-01-02"), extra, nil
		}
		if _, err := Ack(tx, stmt.ID, sender, now); err != nil {
			return "", nil, err
		}
		return "acknowledged", extra, nil

	case commands.Delay:
		today := liaison.DateOf(now.In(s.Config.Location))
		if !today.Before(cmd.Date) {
			return refuse(fmt.Sprintf("delay: %s is not after today (%s)", cmd.Date, today))
		}
		if _, err := Delay(tx, stmt.ID, sender, cmd.Date, cmd.Arg, now); err != nil {
			return "", nil, err
		}
		p.log.Info("reply delayed", "statement", stmt.ID, "to", cmd.Date.String(), "reason", cmd.Arg, "by", sender)
		stmt, err := tx.Record(stmt.ID)
		if err != nil {
			return "", nil, err
		}
		data := map[string]string{"verb": "delay", "by": sender, "reason": cmd.Arg, "date": cmd.Date.String()}
		if err := p.queueAbout(tx, notify.Mail{Kind: notify.KindToIAB, Record: stmt, To: s.Config.IAB, Role: liaison.RoleIAB, Period: "delay:" + cmd.Date.String(), Extra: data}, now, res); err != nil {
			return "", nil, err
		}
		mgr := liaison.Contact{Name: msg.Extraction.From.Name, Email: sender}
		if err := p.queueAbout(tx, notify.Mail{Kind: notify.KindInterimReply, Record: stmt, To: mgr, Role: liaison.RoleManager, Period: cmd.Date.String(), Extra: data}, now, res); err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("internal deadline moved to %s; the IAB was told and a draft interim reply is on its way to you", cmd.Date), extra, nil

	case commands.Answered:
		if stmt.State == liaison.StateAnswered {
			return "already answered", extra, nil
		}
		ref := ""
		if m := lsIDRe.FindString(cmd.Arg); m != "" && m != stmt.ID {
			if _, err := tx.Record(m); err == nil {
				ref = m
			}
		}
		if _, err := MarkAnswered(tx, stmt.ID, sender, ref, now); err != nil {
			return "", nil, err
		}
		r, err := tx.Record(stmt.ID)
		if err != nil {
			return "", nil, err
		}
		if r.Answered != nil {
			r.Answered.Note = cmd.Arg
			if err := tx.PutRecord(r); err != nil {
				return "", nil, err
			}
		}
		if ref != "" {
			if err := linkBack(tx, ref, stmt.ID, now, "answers"); err != nil {
				return "", nil, err
			}
		}
		return "marked answered (" + cmd.Arg + "); no more reminders", extra, nil

	case commands.Reassign:
		groups := resolveGroups(s, cmd.Arg)
		if len(groups) == 0 {
			return refuse(fmt.Sprintf("reassign: no group %q (known: %s)", cmd.Arg, strings.Join(groupIDs(s.Config), ", ")))
		}
		old := strings.Join(stmt.Routing.Groups, ",")
		r, err := change(tx, stmt.ID, now, func(r *liaison.Record) (liaison.EventType, string, error) {
			r.Routing.Groups = groups
			r.Routing.Misdirected, r.Routing.MisdirectionReason, r.Routing.WrongGroups = false, "", nil
			r.Routing.Reasons = append(r.Routing.Reasons, liaison.Reason{Code: "reassigned", Detail: fmt.Sprintf("reassigned from %s to %s by %s", old, strings.Join(groups, ","), sender)})
			return liaison.EventReassigned, fmt.Sprintf("groups %s -> %s by %s", old, strings.Join(groups, ","), sender), nil
		})
		if err != nil {
			return "", nil, err
		}
		var told []string
		for _, gid := range groups {
			g, ok := s.Config.Group(gid)
			if !ok {
				continue
			}
			for _, c := range g.Chairs {
				to := liaison.Contact{Name: strings.ToUpper(g.ID) + " chairs", Email: c}
				if err := p.queueAbout(tx, notify.Mail{Kind: notify.KindNotice, Record: r, To: to, Role: liaison.RoleChair}, now, res); err != nil {
					return "", nil, err
				}
				told = append(told, c)
			}
		}
		return fmt.Sprintf("routed to %s (was %s); chairs told: %s", strings.Join(groups, ", "), orNone(old), orNone(strings.Join(told, ", "))), extra, nil

	case commands.NotOurs:
		r, err := change(tx, stmt.ID, now, func(r *liaison.Record) (liaison.EventType, string, error) {
			r.Routing.Escalate, r.Routing.EscalationReason = true, "not_ours"
			return liaison.EventNotOurs, fmt.Sprintf("handed back to the IAB by %s: %s", sender, cmd.Arg), nil
		})
		if err != nil {
			return "", nil, err
		}
		data := map[string]string{"verb": "not-ours", "by": sender, "reason": cmd.Arg}
		if err := p.queueAbout(tx, notify.Mail{Kind: notify.KindToIAB, Record: r, To: s.Config.IAB, Role: liaison.RoleIAB, Period: "not-ours:" + msg.ID, Extra: data}, now, res); err != nil {
			return "", nil, err
		}
		return "handed back to the IAB liaison coordinators", extra, nil
	}
	return refuse("unknown command " + string(cmd.Verb))
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

// resolveGroups reads a group as a manager writes it: its id, or a name or
// alias routing knows.
func resolveGroups(s *settings.Snapshot, text string) []string {
	if g, ok := s.Config.Group(strings.ToLower(strings.TrimSpace(text))); ok {
		return []string{g.ID}
	}
	return s.Router.ResolveGroups(text)
}

func groupIDs(cfg *config.Config) []string {
	out := make([]string, 0, len(cfg.Groups))
	for _, g := range cfg.Groups {
		out = append(out, g.ID)
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func containsStr(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
