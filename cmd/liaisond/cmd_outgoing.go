package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/outgoing"
	"github.com/ietf-tools/liaisond/store"
)

const draftUsage = "-c FILE (--to ORG | --reply-to LS-ID | --edit ID) [--from GROUP]... [--purpose action|comment|info|response] " +
	"[--deadline DATE|none] [--title T] [--body-file F] [--attach FILE]... [--detach NAME]... [--contact EMAIL]... " +
	"[--addressee GROUP]... [--cc NAME]... [--send-reply-to EMAIL]... [--release R] [--work-item W] [--by EMAIL] [--json]"

func init() {
	register(command{name: "draft", usage: draftUsage, help: "draft a statement to a peer in its format (or --edit a draft); checked against the peer's rules", run: runDraft, remote: true})
	register(command{name: "render", usage: "-c FILE ID [--pdf FILE|-] [--docx FILE|-]", help: "print a statement drafted here as its peer's sheet, or write it as PDF or Word", run: runRender, remote: true})
}

// listFlag is a flag that may be repeated; with split, each value is also
// split at commas ("--from ccamp,teas").
type listFlag struct {
	values []string
	split  bool
}

func (l *listFlag) String() string { return strings.Join(l.values, ",") }

func (l *listFlag) Set(v string) error {
	parts := []string{v}
	if l.split {
		parts = strings.Split(v, ",")
	}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			l.values = append(l.values, p)
		}
	}
	return nil
}

// runDraft builds a draft (or edit) request from the flags and takes it
// through the action layer, like every other action.
func runDraft(env *cmdEnv, args []string) error {
	fs := newFlags(env, "draft", draftUsage)
	cfgPath := fs.String("c", "", "config file")
	edit := fs.String("edit", "", "change the draft with this id instead of starting one (only the flags given change)")
	to := fs.String("to", "", "the peer organization's id (may be left out with --reply-to)")
	replyTo := fs.String("reply-to", "", "the id of the incoming statement this answers: its title, addressees, references and response contacts fill what is left out")
	purpose := fs.String("purpose", "", "action, comment, info or response (response by default with --reply-to)")
	deadline := fs.String("deadline", "", "the date a reply is expected by, YYYY-MM-DD (none: no deadline)")
	title := fs.String("title", "", "the statement's title")
	bodyFile := fs.String("body-file", "", "a file holding the statement's text")
	release := fs.String("release", "", "the 3GPP release concerned (Rel-19)")
	workItem := fs.String("work-item", "", "the 3GPP work item concerned")
	by := fs.String("by", "", "act as this person (their roles apply); without it, as the operator")
	asJSON := fs.Bool("json", false, "print the outcome as JSON")
	from := &listFlag{split: true}
	fs.Var(from, "from", "a sending IETF group: id, name or alias (repeat, or separate with commas)")
	addressees := &listFlag{split: true}
	fs.Var(addressees, "addressee", "a group of the peer addressed: \"Q12/15\", \"CT WG4\" (repeat, or separate with commas)")
	cc := &listFlag{split: true}
	fs.Var(cc, "cc", "another party the sheet names in copy (repeat)")
	contacts := &listFlag{}
	fs.Var(contacts, "contact", "a technical contact: \"Name <address>\" or an address (repeat)")
	sendReplyTo := &listFlag{}
	fs.Var(sendReplyTo, "send-reply-to", "where the peer should send its answer (default: the liaison address) (repeat)")
	attach := &listFlag{}
	fs.Var(attach, "attach", "a file to attach (repeat)")
	detach := &listFlag{}
	fs.Var(detach, "detach", "the name of an attached file to take off (with --edit; repeat)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", pos[0])}
	}
	in := &actions.DraftInput{To: *to, Answers: *replyTo, From: from.values, Purpose: *purpose, Deadline: *deadline,
		Title: *title, Addressees: addressees.values, Cc: cc.values, Contacts: contacts.values,
		SendReplyTo: sendReplyTo.values, Release: *release, WorkItem: *workItem, Detach: detach.values}
	if *bodyFile != "" {
		b, err := env.readFile(*bodyFile, actions.MaxBody)
		if err != nil {
			return err
		}
		in.Body = string(b)
	}
	for _, path := range attach.values {
		b, err := env.readFile(path, actions.MaxFile)
		if err != nil {
			return err
		}
		in.Attach = append(in.Attach, actions.File{Name: filepath.Base(path), Data: b})
	}
	req := actions.Request{Action: actions.Draft, Draft: in}
	if *edit != "" {
		req.Action = actions.Edit
	} else if *to == "" && *replyTo == "" {
		return usageError{"say who the statement is for: --to ORG, or --reply-to LS-ID (or --edit ID to change a draft)"}
	}
	return act(env, *cfgPath, *edit, cliActor(*by), req, *asJSON)
}

// runRender prints a statement drafted here as its peer's sheet, or writes
// its PDF or Word form, as it was sent (or would be sent now). A form
// written to a file is `render --FORM -` into it (cmdEnv.toFile), so the
// file is written here also when the daemon renders it.
func runRender(env *cmdEnv, args []string) error {
	fs := newFlags(env, "render", "-c FILE ID [--pdf FILE|-] [--docx FILE|-]")
	cfgPath := fs.String("c", "", "config file")
	pdfPath := fs.String("pdf", "", "write the sheet as PDF to this file (- for stdout)")
	docxPath := fs.String("docx", "", "write the sheet as a Word document to this file (- for stdout)")
	ids, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		return usageError{"exactly one ID is required"}
	}
	forms := []struct {
		path string
		form config.AttachmentForm
	}{{*pdfPath, config.AttachPDF}, {*docxPath, config.AttachDOCX}}
	if *pdfPath == "-" && *docxPath == "-" {
		return usageError{"only one form can go to stdout"}
	}
	var stdoutForm config.AttachmentForm
	for _, w := range forms {
		switch w.path {
		case "":
		case "-":
			stdoutForm = w.form
		default:
			if err := env.toFile(w.path, []string{"render", "-c", *cfgPath, ids[0], "--" + string(w.form), "-"}, nil); err != nil {
				return err
			}
			st, err := os.Stat(w.path)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "wrote %s (%s, %d bytes)\n", w.path, w.form, st.Size())
		}
	}
	if stdoutForm == "" && (*pdfPath != "" || *docxPath != "") {
		return nil
	}
	s, err := env.open(*cfgPath, readData)
	if err != nil {
		return err
	}
	defer s.Close()
	id := strings.ToUpper(strings.TrimSpace(ids[0]))
	var rec *liaison.Record
	if err := s.db.View(func(tx *store.Tx) (err error) { rec, err = tx.Record(id); return err }); err != nil {
		return err
	}
	if rec.Outbound == nil {
		return fmt.Errorf("%s is not a statement drafted here (`liaisond draft` starts one)", rec.ID)
	}
	sheet, err := outgoing.Render(s.cfg, rec, outgoing.SheetDate(rec, env.now()))
	if err != nil {
		return err
	}
	if stdoutForm == "" {
		_, err := io.WriteString(env.stdout, sheet.Text())
		return err
	}
	doc, _, err := sheet.Document(stdoutForm)
	if err != nil {
		return err
	}
	_, err = env.stdout.Write(doc.Data)
	return err
}

// printOutbound shows where a statement drafted here stands: its state,
// approvals, who may still approve it, its problems, and its sheet.
func printOutbound(w io.Writer, cfg *config.Config, st outgoing.Status, id string) {
	loc := cfg.Location
	fmt.Fprintln(w, "Outgoing statement:")
	line := func(label, v string) { fmt.Fprintf(w, "  %-20s %s\n", label+":", v) }
	line("State", string(st.State))
	line("To", st.OrgName+" ("+st.Org+")")
	line("From groups", strings.Join(st.FromGroups, ", "))
	if st.Answers != "" {
		line("Answers", st.Answers)
	}
	for _, a := range st.Approvals {
		line("Approved", fmt.Sprintf("for %s by %s (%s) on %s; consensus: %s", strings.Join(a.Groups, ", "), a.By, a.Role, a.At.In(loc).Format("2006-01-02"), a.Consensus))
	}
	if st.State == liaison.OutboundDraft {
		for _, ga := range st.Pending {
			var who []string
			for _, a := range ga.Approvers {
				who = append(who, a.Email+" ("+string(a.Role)+")")
			}
			line("Awaiting approval", dash(ga.Group)+": "+strings.Join(who, ", "))
		}
		if len(st.Problems) == 0 {
			line("Check", "no problems: it may be approved")
		} else {
			line("Check", fmt.Sprintf("%d to fix before approval:", len(st.Problems)))
			for _, p := range st.Problems {
				fmt.Fprintf(w, "    - %s\n", p)
			}
		}
	}
	form := st.Attachment
	if form == "" || form == config.AttachNone {
		form = config.AttachPDF
	}
	fmt.Fprintf(w, "Sheet (%s format; `liaisond render %s --%s FILE` writes it as a file):\n", st.Format, id, form)
	for _, l := range strings.Split(strings.TrimRight(st.Sheet, "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight("  | "+l, " "))
	}
}
