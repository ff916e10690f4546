package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// The draft form: a statement to a peer, new or answering the statement a
// page shows, written by a signed-in person (the action layer decides
// whether their roles let them). Files are attached through the API or the
// CLI; the form carries text only.

// draftPage is what the draft form shows: the values entered, and the
// choices.
type draftPage struct {
	In       actions.DraftInput
	Answered *liaison.Record // the statement answered, when there is one
	Error    string
	CSRF     string
	Orgs     []option
	Groups   []string
	Purposes []string
	// Addressees and the other lists as the form's text areas show them.
	Addressees, Cc, Contacts, SendReplyTo string
}

// handleDraftForm shows the draft form (GET /drafts/new, ?answers=ID to
// answer a statement).
func (s *Server) handleDraftForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.writer(w, r, s.pageRefusal)
	if !ok {
		return
	}
	in := actions.DraftInput{Answers: strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("answers")))}
	if in.Answers != "" {
		in.Purpose = string(liaison.PurposeResponse)
	}
	s.renderDraft(w, r, p, http.StatusOK, in, "")
}

// handleWebDraft drafts the statement the form describes (POST /drafts)
// and goes to its page; a draft refused for what it says comes back with
// the form as it was sent and the reason.
func (s *Server) handleWebDraft(w http.ResponseWriter, r *http.Request) {
	p, ok := s.writer(w, r, s.pageRefusal)
	if !ok || !s.readForm(w, r, p) {
		return
	}
	in := formDraft(r.PostForm)
	out, err := s.opt.Actions.Apply("", p.Actor(liaison.ChannelWeb), actions.Request{Action: actions.Draft, Draft: &in})
	code, refused := actions.CodeOf(err)
	switch {
	case err == nil:
		s.guard.setFlash(w, r, outcomeFlash(out))
		http.Redirect(w, r, statementPath(out.ID), http.StatusSeeOther)
	case refused && code == actions.Forbidden:
		s.errorPage(w, r, code.HTTPStatus(), err.Error())
	case refused:
		s.renderDraft(w, r, p, code.HTTPStatus(), in, err.Error())
	default:
		s.fail(w, r, err)
	}
}

// formDraft reads a draft from the form, whose fields are named as the
// API's JSON: lists of groups by several fields or commas, lists of
// addressees and contacts one per line.
func formDraft(v url.Values) actions.DraftInput {
	in := actions.DraftInput{To: v.Get("to"), Answers: v.Get("answers"), Purpose: v.Get("purpose"), Deadline: strings.TrimSpace(v.Get("deadline")),
		Title: v.Get("title"), Body: v.Get("body"), Addressees: lines(v.Get("addressees")), Cc: lines(v.Get("cc")),
		Contacts: lines(v.Get("contacts")), SendReplyTo: lines(v.Get("send_reply_to")), Release: v.Get("release"), WorkItem: v.Get("work_item")}
	for _, g := range v["from"] {
		in.From = append(in.From, splitList(g)...)
	}
	return in
}

// renderDraft shows the draft form with in's values and, after a refusal,
// why.
func (s *Server) renderDraft(w http.ResponseWriter, r *http.Request, p Principal, status int, in actions.DraftInput, msg string) {
	cfg := s.opt.Config()
	pg := &draftPage{In: in, Error: msg, CSRF: s.guard.token(p), Groups: s.groupIDs(), Purposes: Purposes,
		Addressees: strings.Join(in.Addressees, "\n"), Cc: strings.Join(in.Cc, "\n"), Contacts: strings.Join(in.Contacts, "\n"),
		SendReplyTo: strings.Join(in.SendReplyTo, "\n")}
	for _, o := range cfg.Organizations {
		pg.Orgs = append(pg.Orgs, option{Value: o.ID, Label: o.Name})
	}
	slices.SortFunc(pg.Orgs, func(a, b option) int { return cmp.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) })
	if in.Answers != "" {
		err := s.opt.DB.View(func(tx *store.Tx) (err error) {
			pg.Answered, err = tx.Record(in.Answers)
			return err
		})
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.errorPage(w, r, http.StatusNotFound, "There is no statement "+in.Answers+" to answer.")
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
		if len(pg.In.From) == 0 && msg == "" {
			pg.In.From = pg.Answered.Routing.Groups // who was asked usually answers
		}
	}
	s.render(w, r, "draft", status, map[string]any{"D": pg})
}
