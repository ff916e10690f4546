package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
)

// actionCmd is one action subcommand: `liaisond VERB -c FILE ID ARGS
// [--by EMAIL]`, or `liaisond VERB -c FILE ORG ARGS [--by EMAIL]` for an
// action on a relationship.
type actionCmd struct {
	verb actions.Verb
	// args is the usage of the arguments after ID; min how many are needed.
	args string
	min  int
	help string
	// request builds the action from the arguments after ID (at least min);
	// the last argument takes the rest of the line, so a reason need not
	// be quoted.
	request func(args []string) actions.Request
}

// actionFlags are the flags of an action subcommand besides -c, --by and
// --json: usage goes after its arguments; declare declares them and
// returns what fills them into the request.
type actionFlags struct {
	usage   string
	declare func(fs *flag.FlagSet) func(*actions.Request)
}

// extraFlags are the action subcommands' own flags.
var extraFlags = map[actions.Verb]actionFlags{
	actions.Approve: {"--consensus URL-or-text", func(fs *flag.FlagSet) func(*actions.Request) {
		c := fs.String("consensus", "", "where the IETF consensus is recorded: a consensus call's URL, meeting minutes (required)")
		return func(r *actions.Request) { r.Consensus = *c }
	}},
}

// rest joins the remaining arguments.
func rest(args []string) string { return strings.Join(args, " ") }

var actionCmds = []actionCmd{
	{actions.Ack, "", 0, "acknowledge a statement (someone is on it)", func(a []string) actions.Request {
		return actions.Request{Action: actions.Ack, Reason: rest(a)}
	}},
	{actions.Answered, "[REF]", 0, "record that a statement was answered (REF: the reply's id or any reference)", func(a []string) actions.Request {
		return actions.Request{Action: actions.Answered, Ref: rest(a)}
	}},
	{actions.Delay, "DATE REASON", 2, "move a statement's internal deadline to DATE (YYYY-MM-DD); tells the IAB", func(a []string) actions.Request {
		return actions.Request{Action: actions.Delay, Date: a[0], Reason: rest(a[1:])}
	}},
	{actions.Reassign, "GROUP...", 1, "send a statement to other IETF groups; tells their chairs", func(a []string) actions.Request {
		return actions.Request{Action: actions.Reassign, Groups: a}
	}},
	{actions.NotOurs, "REASON", 1, "hand a statement back to the IAB liaison coordinators", func(a []string) actions.Request {
		return actions.Request{Action: actions.NotOurs, Reason: rest(a)}
	}},
	{actions.Close, "REASON", 1, "close a statement by hand (no more reminders)", func(a []string) actions.Request {
		return actions.Request{Action: actions.Close, Reason: rest(a)}
	}},
	{actions.Reopen, "[REASON]", 0, "reopen an answered or closed statement", func(a []string) actions.Request {
		return actions.Request{Action: actions.Reopen, Reason: rest(a)}
	}},
	{actions.Note, "TEXT", 1, "add a note to a statement's history", func(a []string) actions.Request {
		return actions.Request{Action: actions.Note, Text: rest(a)}
	}},
	{actions.Set, "FIELD VALUE", 2, "correct a misread field: title, purpose, deadline, from_org or to_groups", func(a []string) actions.Request {
		return actions.Request{Action: actions.Set, Field: liaison.Field(a[0]), Value: rest(a[1:])}
	}},
	// Outgoing statements (drafting and editing is `draft`, cmd_outgoing.go).
	{actions.Approve, "", 0, "approve a statement drafted here for your sending groups, on the IETF's consensus (needs --by)", func([]string) actions.Request {
		return actions.Request{Action: actions.Approve}
	}},
	{actions.Withdraw, "[REASON]", 0, "withdraw a statement drafted here before it is sent", func(a []string) actions.Request {
		return actions.Request{Action: actions.Withdraw, Reason: rest(a)}
	}},
	{actions.Send, "", 0, "send an approved statement to its peer through the outbox", func([]string) actions.Request {
		return actions.Request{Action: actions.Send}
	}},
	{actions.Report, "TEXT", 1, "send a manager's report on the relationship with ORG to the IAB and record it", func(a []string) actions.Request {
		return actions.Request{Action: actions.Report, Text: rest(a)}
	}},
}

// target is what an action subcommand's first argument names: a
// statement, or a relationship.
func (ac actionCmd) target() string {
	if ac.verb.OnRelationship() {
		return "ORG"
	}
	return "ID"
}

func init() {
	for _, ac := range actionCmds {
		usage := strings.Join(strings.Fields("-c FILE "+ac.target()+" "+ac.args+" "+extraFlags[ac.verb].usage), " ") + " [--by EMAIL] [--json]"
		register(command{name: string(ac.verb), usage: usage, help: ac.help, remote: true, run: func(env *cmdEnv, args []string) error {
			return runAction(env, ac, usage, args)
		}})
	}
}

func runAction(env *cmdEnv, ac actionCmd, usage string, args []string) error {
	name := string(ac.verb)
	fs := newFlags(env, name, usage)
	cfgPath := fs.String("c", "", "config file")
	by := fs.String("by", "", "act as this person (a manager's, chair's or the IAB's address: their roles apply); without it, as the operator")
	asJSON := fs.Bool("json", false, "print the outcome as JSON")
	fill := func(*actions.Request) {}
	if f, ok := extraFlags[ac.verb]; ok {
		fill = f.declare(fs)
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		if ac.verb.OnRelationship() {
			return usageError{"an organization (ORG) is required"}
		}
		return usageError{"a statement ID is required"}
	}
	if len(pos)-1 < ac.min {
		return usageError{fmt.Sprintf("%s needs %s %s", name, ac.target(), ac.args)}
	}
	req, id := ac.request(pos[1:]), pos[0]
	if ac.verb.OnRelationship() {
		req.Org, id = pos[0], ""
	}
	fill(&req)
	return act(env, *cfgPath, id, cliActor(*by), req, *asJSON)
}

// cliActor is who acts from the command line: the person --by names
// (their roles apply), or the operator.
func cliActor(by string) actions.Actor {
	if by = strings.TrimSpace(by); by != "" {
		return actions.Actor{Email: by, Channel: liaison.ChannelCLI}
	}
	return actions.Operator(liaison.ChannelCLI)
}

// act takes one action (applyAction) and prints its outcome: a line for
// people, the problems of a draft, or the outcome as JSON. A request the
// layer finds malformed is a usage error.
func act(env *cmdEnv, cfgPath, id string, actor actions.Actor, req actions.Request, asJSON bool) error {
	actor.Via = "unix user " + env.who()
	out, err := applyAction(env, cfgPath, id, actor, req)
	if code, refused := actions.CodeOf(err); refused && code == actions.Invalid {
		return usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(env.stdout).Encode(out)
	}
	fmt.Fprintf(env.stdout, "%s: %s (%s by %s)\n", cmp.Or(out.ID, out.Relationship), out.Result, req.Action, actor)
	for _, p := range out.Problems {
		fmt.Fprintf(env.stdout, "  - %s\n", p)
	}
	if len(out.Queued) > 0 {
		fmt.Fprintf(env.stdout, "%d mails queued\n", len(out.Queued))
	}
	return nil
}

// applyAction takes one action through the action layer, over the data
// the command has access to (cmdEnv.open): while a daemon holds the data
// dir, the whole command runs in the daemon, whose action layer applies it
// and whose scheduler and outbox worker it wakes. Every CLI action, the
// outgoing ones included, goes through here.
func applyAction(env *cmdEnv, cfgPath, id string, actor actions.Actor, req actions.Request) (actions.Outcome, error) {
	s, err := env.open(cfgPath, writeData)
	if err != nil {
		return actions.Outcome{}, err
	}
	defer s.Close()
	c, err := s.core(env.now, coreOptions{})
	if err != nil {
		return actions.Outcome{}, err
	}
	out, err := c.actions.Apply(id, actor, req)
	if err != nil {
		return out, err
	}
	// As `sweep` does: send the confirmations now when mail can be sent.
	if len(out.Queued) > 0 {
		if err := s.deliver(context.Background(), c.notify, env.now); err != nil {
			s.log.Warn("mail queued but not sent now; the daemon sends it", "err", err)
		}
	}
	return out, nil
}
