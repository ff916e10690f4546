package actions

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/store"
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
	taken := c.taken()
	var ms []notify.Mail
	seen := map[string]bool{}
	for _, t := range to {
		k := strings.ToLower(t.Email)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		ms = append(ms, notify.Mail{Kind: kind, Record: c.rec, To: t, Role: roleOf(c.s, t.Email), Period: c.period(), Extra: extra, Action: taken})
	}
	return ms
}

// Taken is an action taken outside mail (the CLI, the web, the API), as
// the copy of its confirmation in the sent folder keeps it (notify.Mail's
// Action, in the mail's trace), so that a database rebuilt from the
// mailbox takes it again (Replay). Actions taken by mail need no such
// copy: the mail that carried them is in the mailbox, and the rebuild
// processes it again.
type Taken struct {
	// ID is the statement, At when the action was taken.
	ID      string    `json:"id"`
	At      time.Time `json:"at"`
	Actor   Actor     `json:"actor"`
	Request Request   `json:"request"`
}

// taken is the call's action as a Taken (JSON), or nil for an action that
// needs none: taken by mail, or about a statement drafted here (drafts are
// not rebuilt from the mailbox).
func (c *call) taken() json.RawMessage {
	if c.actor.Channel == liaison.ChannelMail || !slices.Contains(Verbs, c.req.Action) {
		return nil
	}
	data, err := json.Marshal(Taken{ID: c.rec.ID, At: c.now, Actor: c.actor, Request: c.req})
	if err != nil {
		return nil // every field marshals; a failure only costs the replay
	}
	return data
}

// Replay takes again, in tx at its time, an action read from the sent
// folder (a rebuild), on the statement id (the id the statement has now,
// which may differ from t.ID). The actor is who acted then: the action is
// authorised against the statement as it is now, like any action.
func (l *Layer) Replay(tx *store.Tx, id string, t Taken) (Outcome, error) {
	return l.ApplyTx(tx, id, t.Actor, t.Request, t.At)
}
