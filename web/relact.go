package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
)

// Actions on a relationship (actions.RelationshipVerbs: a manager's report
// to the IAB) through the API and the relationships page. Like statement
// actions, they go through the action layer, which decides who may.

// relationshipsFlash is the key of the flash the relationships page shows.
const relationshipsFlash = "relationships"

// RelationshipActionResult is what POST
// /api/v1/relationships/{org}/actions answers: what the action did.
type RelationshipActionResult struct {
	Outcome actions.Outcome `json:"outcome"`
}

// handleAPIRelationshipAction takes an action on the relationship with
// the organization {org}: POST /api/v1/relationships/{org}/actions with an
// actions.Request as JSON (its org is the path's).
func (s *Server) handleAPIRelationshipAction(w http.ResponseWriter, r *http.Request) {
	p, req, ok := readAPI[actions.Request](s, w, r)
	if !ok {
		return
	}
	if !req.Action.OnRelationship() {
		s.apiRefusal(w, r, http.StatusBadRequest, fmt.Sprintf("%q is not an action on a relationship (%s); actions on a statement go to /api/v1/statements/{id}/actions", req.Action, verbList(actions.RelationshipVerbs)))
		return
	}
	req.Org = r.PathValue("org")
	out, err := s.opt.Actions.Apply("", p.Actor(liaison.ChannelAPI), *req)
	if s.apiFailed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, RelationshipActionResult{Outcome: out})
}

// handleWebRelationshipAction takes the action a relationships page form
// asks for, then goes back to the relationship on that page with the
// outcome or the refusal as a flash.
func (s *Server) handleWebRelationshipAction(w http.ResponseWriter, r *http.Request) {
	p, ok := s.writer(w, r, s.pageRefusal)
	if !ok || !s.readForm(w, r, p, textOnly) {
		return
	}
	req := formRequest(r.PostForm)
	if !req.Action.OnRelationship() {
		s.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf("%q is not an action on a relationship.", req.Action))
		return
	}
	org := strings.TrimSpace(r.PathValue("org"))
	req.Org = org
	out, err := s.opt.Actions.Apply("", p.Actor(liaison.ChannelWeb), req)
	done := Flash{ID: relationshipsFlash, Text: fmt.Sprintf("%s: %s", out.Action, out.Result)}
	s.webAnswer(w, r, err, done, relationshipsFlash, "/relationships#rel-"+url.PathEscape(org))
}

// reportOffers says, for the relationships page, on which relationships
// the person who asks may report (by organization id), and their form
// token; nil when they cannot act. It only keeps the page short: the
// action layer decides.
func (s *Server) reportOffers(r *http.Request) (map[string]bool, string) {
	p := principal(r)
	if s.opt.Actions == nil || !p.CanAct() {
		return nil, ""
	}
	snap, now := s.opt.Settings.Current(), s.opt.Now()
	offers := map[string]bool{}
	for i := range snap.Config.Organizations {
		o := &snap.Config.Organizations[i]
		if actions.May(actions.RelationshipRoles(snap, o, p.Actor(liaison.ChannelWeb), now), actions.Report) {
			offers[o.ID] = true
		}
	}
	return offers, s.guard.token(p)
}

// verbList writes verbs for a message.
func verbList(vs []actions.Verb) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}
