package web

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// The draft form: a statement to a peer, new or answering the statement a
// page shows, or a draft edited, written by a signed-in person (the action
// layer decides whether their roles let them), with the files it attaches
// (a multipart post).

// draftPage is what the draft form shows: the values entered, and the
// choices.
type draftPage struct {
	In       actions.DraftInput
	Answered *liaison.Record // the statement answered, when there is one
	// Editing is the draft edited, nil for a new one; Attached are its
	// files, which the form may take off.
	Editing  *liaison.Record
	Attached []liaison.Attachment
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
	s.renderDraft(w, r, p, http.StatusOK, in, "", nil)
}

// handleWebDraft drafts the statement the form describes (POST /drafts)
// and goes to its page; a draft refused for what it says comes back with
// the form as it was sent and the reason.
func (s *Server) handleWebDraft(w http.ResponseWriter, r *http.Request) {
	s.postDraft(w, r, "", actions.Draft)
}

// handleDraftEdit shows the form to edit a draft (GET
// /statements/{id}/edit), filled with what the draft says.
func (s *Server) handleDraftEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.writer(w, r, s.pageRefusal)
	if !ok {
		return
	}
	rec, ok := s.draftOf(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	s.renderDraft(w, r, p, http.StatusOK, draftInput(rec), "", rec)
}

// handleWebEdit edits the draft as the form says (POST
// /statements/{id}/edit) and goes to its page; an edit refused for what
// it says comes back with the form as it was sent and the reason.
func (s *Server) handleWebEdit(w http.ResponseWriter, r *http.Request) {
	s.postDraft(w, r, r.PathValue("id"), actions.Edit)
}

// postDraft takes the draft or edit (v) the posted form describes, for
// the draft id (edit).
func (s *Server) postDraft(w http.ResponseWriter, r *http.Request, id string, v actions.Verb) {
	p, ok := s.writer(w, r, s.pageRefusal)
	if !ok || !s.readForm(w, r, p, withFiles) {
		return
	}
	var editing *liaison.Record
	if v == actions.Edit {
		if editing, ok = s.draftOf(w, r, id); !ok {
			return
		}
	}
	in := formDraft(r.PostForm, editing)
	files, err := formAttachments(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	in.Attach = files
	out, err := s.opt.Actions.Apply(id, p.Actor(liaison.ChannelWeb), actions.Request{Action: v, Draft: &in})
	code, refused := actions.CodeOf(err)
	switch {
	case err == nil:
		s.guard.setFlash(w, r, outcomeFlash(out))
		http.Redirect(w, r, statementPath(out.ID), http.StatusSeeOther)
	case refused && code == actions.Forbidden:
		s.errorPage(w, r, code.HTTPStatus(), err.Error())
	case refused:
		// The files are not kept: the form asks for them again.
		msg := err.Error()
		if len(in.Attach) > 0 {
			msg += " (attach the files again)"
		}
		in.Attach = nil
		s.renderDraft(w, r, p, code.HTTPStatus(), in, msg, editing)
	default:
		s.fail(w, r, err)
	}
}

// draftOf reads the statement id for its edit form, or answers that there
// is none; whether it is a draft the action layer says.
func (s *Server) draftOf(w http.ResponseWriter, r *http.Request, id string) (*liaison.Record, bool) {
	var rec *liaison.Record
	err := s.opt.DB.View(func(tx *store.Tx) (err error) {
		rec, err = tx.Record(id)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "There is no statement "+id+".")
		return nil, false
	case err != nil:
		s.fail(w, r, err)
		return nil, false
	case rec.Outbound == nil:
		s.errorPage(w, r, http.StatusConflict, rec.ID+" is not a statement drafted here: correct a received statement's fields on its page.")
		return nil, false
	}
	return rec, true
}

// formDraft reads a draft from the form, whose fields are named as the
// API's JSON: lists of groups by several fields or commas, lists of
// addressees and contacts one per line, the names of attached files to
// take off by several "detach" fields. For an edit (editing set), a field
// left empty keeps what the draft says (actions.Edit), but the deadline,
// which the form shows: emptied, it is removed.
func formDraft(v url.Values, editing *liaison.Record) actions.DraftInput {
	in := actions.DraftInput{To: v.Get("to"), Answers: v.Get("answers"), Purpose: v.Get("purpose"), Deadline: strings.TrimSpace(v.Get("deadline")),
		Title: v.Get("title"), Body: v.Get("body"), Addressees: lines(v.Get("addressees")), Cc: lines(v.Get("cc")),
		Contacts: lines(v.Get("contacts")), SendReplyTo: lines(v.Get("send_reply_to")), Release: v.Get("release"), WorkItem: v.Get("work_item"),
		Detach: v["detach"]}
	for _, g := range v["from"] {
		in.From = append(in.From, splitList(g)...)
	}
	if editing != nil {
		in.To, in.Answers = "", ""
		if in.Deadline == "" && !editing.Extraction.Deadline.IsZero() {
			in.Deadline = "none"
		}
	}
	return in
}

// formAttachments reads the files the form attaches ("attach" fields; a
// file field left empty sends none). Their sizes and names are the action
// layer's to check: a file is read up to one byte past actions.MaxFile.
func formAttachments(r *http.Request) ([]actions.File, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var files []actions.File
	for _, fh := range r.MultipartForm.File["attach"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, fmt.Errorf("the attached file %q could not be read", fh.Filename)
		}
		data, err := io.ReadAll(io.LimitReader(f, actions.MaxFile+1))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("the attached file %q could not be read", fh.Filename)
		}
		files = append(files, actions.File{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
	}
	return files, nil
}

// draftInput is what the edit form shows of rec, a statement drafted here:
// every field as the draft form names it.
func draftInput(rec *liaison.Record) actions.DraftInput {
	x, ob := &rec.Extraction, rec.Outbound
	in := actions.DraftInput{From: slices.Clone(ob.FromGroups), Purpose: string(x.Purpose), Title: x.Title, Body: x.Body,
		Addressees: slices.Clone(ob.Addressees), Cc: slices.Clone(x.CcText), Release: ob.Release, WorkItem: ob.WorkItem}
	if !x.Deadline.IsZero() {
		in.Deadline = x.Deadline.String()
	}
	for _, c := range x.TechnicalContacts {
		in.Contacts = append(in.Contacts, contactLine(c))
	}
	for _, c := range x.ResponseContacts {
		in.SendReplyTo = append(in.SendReplyTo, contactLine(c))
	}
	return in
}

// contactLine writes c as the contact fields read it: "Name <address>",
// the name quoted when it has anything but letters, digits, spaces,
// hyphens and apostrophes.
func contactLine(c liaison.Contact) string {
	if c.Name == "" {
		return c.Email
	}
	plain := !strings.ContainsFunc(c.Name, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' && r != '-' && r != '\''
	})
	if plain {
		return c.Name + " <" + c.Email + ">"
	}
	return strconv.Quote(c.Name) + " <" + c.Email + ">"
}

// renderDraft shows the draft form with in's values and, after a refusal,
// why.
func (s *Server) renderDraft(w http.ResponseWriter, r *http.Request, p Principal, status int, in actions.DraftInput, msg string, editing *liaison.Record) {
	cfg := s.opt.Config()
	pg := &draftPage{In: in, Editing: editing, Error: msg, CSRF: s.guard.token(p), Groups: s.groupIDs(), Purposes: Purposes,
		Addressees: strings.Join(in.Addressees, "\n"), Cc: strings.Join(in.Cc, "\n"), Contacts: strings.Join(in.Contacts, "\n"),
		SendReplyTo: strings.Join(in.SendReplyTo, "\n")}
	for _, o := range cfg.Organizations {
		pg.Orgs = append(pg.Orgs, option{Value: o.ID, Label: o.Name})
	}
	slices.SortFunc(pg.Orgs, func(a, b option) int { return cmp.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) })
	if editing != nil {
		pg.Attached = editing.Extraction.Attachments
	}
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
