package actions

import (
	"slices"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
)

// confirmations are the mails that confirm an action: to the statement's
// managers (the IAB coordinators when it is escalated or has none), before
// and after the action (a corrected organization changes them), and to
// who acted when the action came by mail from a person (authorised, so
// with a role; they expect an answer, while the CLI and the API answer
// themselves). An action that
// changed nothing is confirmed only to such a mail sender. `answered` is
// confirmed with the answered mail, every other action with the
// confirmation mail.
func confirmations(c *call, ch change, changed bool) []notify.Mail {
	kind := notify.KindConfirm
	if c.req.Action == Answered && changed {
		kind = notify.KindAnswered
	}
	extra := map[string]string{"command": c.req.String(), "verb": string(c.req.Action), "result": ch.result,
		"by": c.actor.String(), "channel": string(c.actor.Channel), "reason": c.args.reason}
	for k, v := range ch.extra {
		extra[k] = v
	}
	var to []liaison.Contact
	if changed {
		to = slices.Concat(c.managers, c.s.Router.Managers(c.rec.Routing))
	}
	if c.actor.Channel == liaison.ChannelMail && c.actor.Email != "" && !c.actor.Operator {
		to = append(to, liaison.Contact{Email: c.actor.Email})
	}
	var ms []notify.Mail
	seen := map[string]bool{}
	for _, t := range to {
		k := strings.ToLower(t.Email)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		ms = append(ms, notify.Mail{Kind: kind, Record: c.rec, To: t, Role: roleOf(c.s, t.Email), Period: c.period(), Extra: extra})
	}
	return ms
}
