package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
)

// The write side: the actions people take through the web forms and the
// JSON API. Every one of them goes, with the signed-in person as actor,
// through actions.Layer.Apply, which alone decides whether their roles
// allow it and what it does; this file only reads requests, checks who
// sends them (writer) and that they are not forged (guard.go), and answers.

// Body caps. A JSON request may carry a draft's files (actions.MaxFiles,
// a third larger in base64) and its body text; a form post carries text,
// and the draft forms' posts (multipart) the draft's files as well.
const (
	MaxAPIBody    = actions.MaxFiles/3*4 + 2*actions.MaxBody + 1<<20
	MaxFormBody   = 2*actions.MaxBody + 64<<10
	MaxUploadBody = actions.MaxFiles + MaxFormBody + 1<<20
)

// formFiles says whether a form may carry files (multipart/form-data):
// only the draft forms attach them.
type formFiles bool

const (
	textOnly  formFiles = false
	withFiles formFiles = true
)

// uploadMemory is how much of a multipart form is held in memory; the
// rest of its files wait in temporary files until the request ends.
const uploadMemory = 4 << 20

// ActionResult is the answer of the API's POST endpoints: the statement
// after the action, in the same JSON as GET /api/v1/statements/{id}, plus
// the outcome ("outcome": what happened, the mails queued, a draft's
// problems).
type ActionResult struct {
	*StatementDetail
	Outcome actions.Outcome `json:"outcome"`
}

// APIError is the JSON of every refusal of the API: a message, and for a
// refusal of the action layer its code ("invalid", "forbidden", "not
// found", "conflict").
type APIError struct {
	Error string `json:"error"`
	Code  string `json:"code,omitempty"`
}

// refusal answers a refused write in its channel's terms: JSON for the
// API, a page for the web.
type refusal func(w http.ResponseWriter, r *http.Request, status int, msg string)

func (s *Server) apiRefusal(w http.ResponseWriter, r *http.Request, status int, msg string) {
	writeJSON(w, status, APIError{Error: msg})
}

func (s *Server) pageRefusal(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.errorPage(w, r, status, msg)
}

// writer returns who asks for an action, or answers why they may not ask
// at all: this server takes no actions (503), the request has no
// credentials (401: anonymous reads are all anonymous access allows) or
// its credential names no person (403: a read-only token or user).
// Whether the person may take the action is the action layer's to say.
func (s *Server) writer(w http.ResponseWriter, r *http.Request, refuse refusal) (Principal, bool) {
	p := principal(r)
	switch {
	case s.opt.Actions == nil:
		refuse(w, r, http.StatusServiceUnavailable, "this server shows the data read-only (liaisond serve): act through the daemon's web view (liaisond run) or the command line")
	case p.By == Anonymous:
		s.auth.Challenge(w)
		refuse(w, r, http.StatusUnauthorized, "sign in to act: with a token or a user whose line in http.tokens_file or http.users_file names you")
	case !p.CanAct():
		refuse(w, r, http.StatusForbidden, "this credential reads only: it names no person (an address on its line in http.tokens_file or http.users_file)")
	default:
		return p, true
	}
	return Principal{}, false
}

// handleSignIn makes a browser ask for a user and its password (GET
// /signin: basic auth has no sign-in form; a 401 with a challenge is how a
// page asks), then goes to the signed-in person's statements.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	switch {
	case p.By == Anonymous:
		s.auth.Challenge(w)
		s.errorPage(w, r, http.StatusUnauthorized, "Sign in with your user name and password.")
	case p.Email != "":
		http.Redirect(w, r, "/statements?mine=1", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/statements", http.StatusSeeOther)
	}
}

// readJSON reads a JSON request body into v: application/json only (415),
// at most MaxAPIBody (413), no unknown fields and nothing after the value
// (400). A request a browser marks as sent by another site is refused
// (403).
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		s.apiRefusal(w, r, http.StatusForbidden, "a request another site made the browser send")
		return false
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.apiRefusal(w, r, http.StatusUnsupportedMediaType, "send the request as Content-Type: application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxAPIBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("more than one JSON value")
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.apiRefusal(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request is larger than %d bytes", tooBig.Limit))
		return false
	case err != nil:
		s.apiRefusal(w, r, http.StatusBadRequest, "bad JSON: "+err.Error())
		return false
	}
	return true
}

// readForm reads a form post (application/x-www-form-urlencoded, at most
// MaxFormBody; or, for a form withFiles, multipart/form-data, at most
// MaxUploadBody) and checks that it comes from this site's page for p
// (guard.go).
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, p Principal, files formFiles) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	multipart := mt == "multipart/form-data"
	if err != nil || mt != "application/x-www-form-urlencoded" && !(multipart && files == withFiles) {
		s.errorPage(w, r, http.StatusUnsupportedMediaType, "Send the form from its page.")
		return false
	}
	// Another site's post is refused before its body is read.
	if err := sameOrigin(r, s.opt.Config().HTTP.BaseURL); err != nil {
		s.opt.Log.Warn("web: form refused", "path", r.URL.Path, "who", p.Email, "err", err)
		s.errorPage(w, r, http.StatusForbidden, errForgery.Error())
		return false
	}
	limit := int64(MaxFormBody)
	if multipart {
		limit = MaxUploadBody
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if multipart {
		// The server removes the form's temporary files when the
		// request ends.
		err = r.ParseMultipartForm(uploadMemory)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The form is larger than %d bytes.", tooBig.Limit))
			return false
		}
		s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	if err := s.guard.checkToken(p, r.PostForm.Get("csrf")); err != nil {
		s.opt.Log.Warn("web: form refused", "path", r.URL.Path, "who", p.Email, "err", err)
		s.errorPage(w, r, http.StatusForbidden, errForgery.Error())
		return false
	}
	return true
}

// handleAPIAction takes one action on a statement: POST
// /api/v1/statements/{id}/actions with an actions.Request as JSON.
func (s *Server) handleAPIAction(w http.ResponseWriter, r *http.Request) {
	p, req, ok := readAPI[actions.Request](s, w, r)
	if !ok {
		return
	}
	if req.Action == actions.Draft {
		s.apiRefusal(w, r, http.StatusBadRequest, "a draft is a new statement, not an action on one: POST it to /api/v1/drafts")
		return
	}
	s.apiApply(w, r, p, r.PathValue("id"), *req, http.StatusOK)
}

// handleAPIDraft drafts a statement to a peer: POST /api/v1/drafts with an
// actions.DraftInput as JSON. It answers 201 with the draft.
func (s *Server) handleAPIDraft(w http.ResponseWriter, r *http.Request) {
	p, in, ok := readAPI[actions.DraftInput](s, w, r)
	if !ok {
		return
	}
	s.apiApply(w, r, p, "", actions.Request{Action: actions.Draft, Draft: in}, http.StatusCreated)
}

// readAPI checks who asks (writer) and reads their JSON request as a T,
// or answers why not.
func readAPI[T any](s *Server, w http.ResponseWriter, r *http.Request) (Principal, *T, bool) {
	p, ok := s.writer(w, r, s.apiRefusal)
	if !ok {
		return p, nil, false
	}
	v := new(T)
	if !s.readJSON(w, r, v) {
		return p, nil, false
	}
	return p, v, true
}

// apiApply takes the action for p through the API channel and answers the
// statement after it, or the refusal with its HTTP status.
func (s *Server) apiApply(w http.ResponseWriter, r *http.Request, p Principal, id string, req actions.Request, status int) {
	out, err := s.opt.Actions.Apply(id, p.Actor(liaison.ChannelAPI), req)
	if s.apiFailed(w, r, err) {
		return
	}
	d, err := s.Detail(out.ID)
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/statements/"+out.ID)
	}
	writeJSON(w, status, ActionResult{StatementDetail: d, Outcome: out})
}

// apiFailed answers err of the action layer, when there is one: a refusal
// with its code and status, anything else as an internal error.
func (s *Server) apiFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	if code, refused := actions.CodeOf(err); refused {
		writeJSON(w, code.HTTPStatus(), APIError{Error: err.Error(), Code: code.String()})
		return true
	}
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return true
	}
	return false
}

// webAnswer goes back to page after a form's action (POST-redirect-GET):
// with done as the flash when it was taken, with the refusal as an error
// flash keyed flashID when the form's content was refused (invalid,
// conflict), and with an error page for a refusal of who acts.
func (s *Server) webAnswer(w http.ResponseWriter, r *http.Request, err error, done Flash, flashID, page string) {
	code, refused := actions.CodeOf(err)
	switch {
	case err == nil:
		s.guard.setFlash(w, r, done)
		http.Redirect(w, r, page, http.StatusSeeOther)
	case refused && (code == actions.Invalid || code == actions.Conflict):
		s.guard.setFlash(w, r, Flash{ID: flashID, Error: true, Text: err.Error()})
		http.Redirect(w, r, page, http.StatusSeeOther)
	case refused:
		s.errorPage(w, r, code.HTTPStatus(), err.Error())
	default:
		s.fail(w, r, err)
	}
}

// handleWebAction takes the action a statement page's form asks for, then
// goes back to the page (POST-redirect-GET) with the outcome or the
// refusal as a flash. A refusal of who acts (403) or of a statement that
// is not there (404) is answered as such: no page offered that form.
func (s *Server) handleWebAction(w http.ResponseWriter, r *http.Request) {
	p, ok := s.writer(w, r, s.pageRefusal)
	if !ok || !s.readForm(w, r, p, textOnly) {
		return
	}
	req := formRequest(r.PostForm)
	id := strings.ToUpper(strings.TrimSpace(r.PathValue("id")))
	if req.Action == actions.Draft {
		s.errorPage(w, r, http.StatusBadRequest, "Draft a statement from its own form (/drafts/new).")
		return
	}
	out, err := s.opt.Actions.Apply(id, p.Actor(liaison.ChannelWeb), req)
	page := statementPath(id)
	if err == nil {
		page = statementPath(out.ID)
	}
	s.webAnswer(w, r, err, outcomeFlash(out), id, page)
}

// statementPath is the page of statement id.
func statementPath(id string) string { return "/statements/" + url.PathEscape(id) }

// outcomeFlash is the flash that tells what an action did.
func outcomeFlash(out actions.Outcome) Flash {
	f := Flash{ID: out.ID, Text: fmt.Sprintf("%s: %s", out.Action, out.Result)}
	for _, p := range out.Problems {
		f.Lines = append(f.Lines, p.String())
	}
	return f
}

// formRequest reads an action from a form whose fields are named as the
// API's JSON (action, date, reason, ref, groups, field, value, text,
// consensus). Groups may be given as several fields or as one list
// separated by commas or spaces.
func formRequest(v url.Values) actions.Request {
	req := actions.Request{Action: actions.Verb(strings.TrimSpace(v.Get("action"))), Date: strings.TrimSpace(v.Get("date")),
		Reason: v.Get("reason"), Ref: v.Get("ref"), Field: liaison.Field(strings.TrimSpace(v.Get("field"))), Value: v.Get("value"),
		Text: v.Get("text"), Consensus: v.Get("consensus")}
	for _, g := range v["groups"] {
		req.Groups = append(req.Groups, splitList(g)...)
	}
	return req
}

// splitList splits a list written on one line, by commas or white space.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// lines splits a field written one item per line (or separated by
// semicolons), dropping empty items.
func lines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
