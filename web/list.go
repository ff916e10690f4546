package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// States are the list filters by state (store.SelectStates).
var States = store.SelectStates

// Purposes are the purpose filter's values.
var Purposes = []string{string(liaison.PurposeAction), string(liaison.PurposeComment), string(liaison.PurposeInfo), string(liaison.PurposeResponse)}

// DefaultPerPage and MaxPerPage bound a list page.
const (
	DefaultPerPage = 50
	MaxPerPage     = 1000
)

// Filter selects statements for the list page, the API and the feeds: the
// selection `liaisond list` makes too, plus text search and paging.
type Filter struct {
	store.Selection
	Query   string // text searched in title, subject and body
	Page    int    // 1-based
	PerPage int
	// Mine keeps the statements the signed-in person owns (owns): Me, their
	// address, is set from the credential, never from the query.
	Mine bool
	Me   string
}

// ParseFilter reads a filter from query parameters (state, org, group,
// manager, purpose, q, mine, page, per_page).
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{Selection: store.Selection{State: q.Get("state"), Org: strings.TrimSpace(q.Get("org")), Group: strings.TrimSpace(q.Get("group")),
		Manager: strings.ToLower(strings.TrimSpace(q.Get("manager"))), Purpose: q.Get("purpose")},
		Query: strings.TrimSpace(q.Get("q")), Page: 1, PerPage: DefaultPerPage}
	if f.State == "" {
		f.State = "open"
	}
	switch m := q.Get("mine"); m {
	case "", "0", "false":
	case "1", "true":
		f.Mine = true
	default:
		return f, fmt.Errorf("bad mine %q (want 1)", m)
	}
	if err := f.Check(); err != nil {
		return f, err
	}
	if f.Purpose != "" && !slices.Contains(Purposes, f.Purpose) {
		return f, fmt.Errorf("unknown purpose %q", f.Purpose)
	}
	for _, p := range []struct {
		key string
		dst *int
		max int
	}{{"page", &f.Page, 1 << 30}, {"per_page", &f.PerPage, MaxPerPage}} {
		if v := q.Get(p.key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > p.max {
				return f, fmt.Errorf("bad %s %q", p.key, v)
			}
			*p.dst = n
		}
	}
	return f, nil
}

// Values renders the filter as query parameters (page included when > 1).
func (f Filter) Values() url.Values {
	v := url.Values{}
	v.Set("state", f.State)
	for k, s := range map[string]string{"org": f.Org, "group": f.Group, "manager": f.Manager, "purpose": f.Purpose, "q": f.Query} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Mine {
		v.Set("mine", "1")
	}
	if f.PerPage != DefaultPerPage {
		v.Set("per_page", strconv.Itoa(f.PerPage))
	}
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	return v
}

// Pages is how many pages n statements fill (at least 1).
func (f Filter) Pages(n int) int { return max(1, (n+f.PerPage-1)/f.PerPage) }

// pastEnd is the message for a page after the last one ("" when f.Page
// exists); the list page and the API answer it with 404.
func (f Filter) pastEnd(n int) string {
	if last := f.Pages(n); f.Page > last {
		return fmt.Sprintf("page %d is past the last page (%d)", f.Page, last)
	}
	return ""
}

// Select returns the statements matching f (all pages), in deadline order.
// Only summaries are read, plus the search text of candidates when f.Query
// is set.
func (s *Server) Select(f Filter) ([]*store.Summary, error) {
	all, err := s.opt.DB.Summaries()
	if err != nil {
		return nil, err
	}
	loc, now := s.opt.Config().Location, s.opt.Now()
	rt := s.router()
	var out []*store.Summary
	for _, sm := range all {
		if sm.IsStatement() && f.Matches(sm, loc, now) && (!f.Mine || owns(rt, sm, f.Me, now)) {
			out = append(out, sm)
		}
	}
	if f.Query == "" {
		return out, nil
	}
	needle := strings.ToLower(f.Query)
	kept := out[:0:0]
	err = s.opt.DB.View(func(tx *store.Tx) error {
		for _, sm := range out {
			ok, err := tx.TextMatches(sm.ID, needle)
			if err != nil {
				return err
			}
			if ok {
				kept = append(kept, sm)
			}
		}
		return nil
	})
	return kept, err
}

// owns reports whether person is a manager of the statement (the IAB
// coordinators for one without a manager) or a chair of one of its
// groups: the roles routing.Router.Roles finds for them on its summary.
// An empty person owns nothing.
func owns(rt *routing.Router, sm *store.Summary, person string, now time.Time) bool {
	rec := &liaison.Record{Routing: liaison.Routing{OrgID: sm.OrgID, Groups: sm.Groups}}
	for _, m := range sm.Managers {
		rec.Routing.Managers = append(rec.Routing.Managers, liaison.Contact{Email: m})
	}
	roles := rt.Roles(rec, person, now)
	return roles.Has(liaison.RoleManager) || roles.Has(liaison.RoleChair)
}

// mineFor completes a filter asking for "mine" with the address of who
// sent r, or says why it cannot be: "mine" needs a credential naming a
// person.
func mineFor(f *Filter, r *http.Request) error {
	if !f.Mine {
		return nil
	}
	p := principal(r)
	if p.Email == "" {
		return fmt.Errorf("mine needs you signed in with a token or a user that names you")
	}
	f.Me = p.Email
	return nil
}

// page cuts one page out of a selection.
func page[T any](all []T, f Filter) []T {
	start := (f.Page - 1) * f.PerPage
	if start >= len(all) {
		return nil
	}
	return all[start:min(start+f.PerPage, len(all))]
}

// Relative renders how far a deadline is: "due today", "in 3 days",
// "1 day late". Days are counted in loc.
func Relative(d liaison.Date, loc *time.Location, now time.Time) (text, class string) {
	if d.IsZero() {
		return "", ""
	}
	today := liaison.DateOf(now.In(loc))
	days := daysBetween(today, d)
	switch {
	case days == 0:
		return "due today", "soon"
	case days == 1:
		return "in 1 day", "soon"
	case days > 1:
		c := ""
		if days <= 7 {
			c = "soon"
		}
		return fmt.Sprintf("in %d days", days), c
	case days == -1:
		return "1 day late", "late"
	default:
		return fmt.Sprintf("%d days late", -days), "late"
	}
}

func daysBetween(a, b liaison.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Round(24*time.Hour) / (24 * time.Hour))
}

// listRow is one statement on the list page.
type listRow struct {
	ID, Title, From, To, Purpose, Deadline, Due, DueClass string
	Received                                              string // date received, in the configured zone
	Status                                                liaison.Status
	Owners                                                []owner
	Misdirected, Acked, Escalated                         bool
}

// owner is one entry of the owner column: a manager or the IAB, linked to
// the list of what they own.
type owner struct{ Name, Filter string }

// escalationKinds are the mails that tell the IAB about a statement.
var escalationKinds = []string{templates.Escalation, templates.EscalationAck, templates.EscalationOverdue}

// escalated reports whether the IAB coordinators were brought in: the
// statement was routed to them, or one of the kinds of mail queued about it
// is an escalation.
func escalated(routedToIAB bool, kinds map[string]bool) bool {
	if routedToIAB {
		return true
	}
	for _, k := range escalationKinds {
		if kinds[k] {
			return true
		}
	}
	return false
}

// owners names a statement's routed managers (the IAB coordinators for a
// statement without a manager) for the list, by their configured names.
func owners(sm *store.Summary, names map[string]string) []owner {
	var out []owner
	for _, m := range sm.Managers {
		out = append(out, owner{Name: cmp.Or(names[m], m), Filter: "/statements?" + url.Values{"state": {"all"}, "manager": {m}}.Encode()})
	}
	return out
}

// managerNames maps every configured manager's address, and the IAB
// coordinators', (lowercased) to their name.
func managerNames(cfg *config.Config) map[string]string {
	names := map[string]string{strings.ToLower(cfg.IAB.Email): cmp.Or(cfg.IAB.Name, "IAB")}
	for _, o := range cfg.Organizations {
		for _, m := range o.Managers {
			names[strings.ToLower(m.Email)] = cmp.Or(m.Name, m.Email)
		}
	}
	return names
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	f, err := ParseFilter(r.URL.Query())
	if err == nil {
		err = mineFor(&f, r)
	}
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	sel, err := s.Select(f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if msg := f.pastEnd(len(sel)); msg != "" {
		s.errorPage(w, r, http.StatusNotFound, msg+".")
		return
	}
	cfg, now := s.opt.Config(), s.opt.Now()
	names := managerNames(cfg)
	var rows []listRow
	err = s.opt.DB.View(func(tx *store.Tx) error {
		for _, sm := range page(sel, f) {
			d := sm.EffectiveDeadline()
			due, cls := Relative(d, cfg.Location, now)
			if sm.State != liaison.StateOpen {
				due, cls = "", ""
			}
			from := sm.OrgName
			if from == "" {
				from = sm.OrgText
			}
			if sm.FromGroup != "" && !liaison.RedundantGroup(sm.FromGroup, from, sm.OrgText) {
				from += " " + sm.FromGroup
			}
			rows = append(rows, listRow{ID: sm.ID, Title: cmp.Or(sm.Title, sm.Subject), From: from, To: strings.Join(sm.Groups, ", "),
				Purpose: string(sm.Purpose), Status: sm.StatusAt(cfg.Location, now), Deadline: d.String(), Due: due, DueClass: cls,
				Received: sm.Received.In(cfg.Location).Format("2006-01-02"), Owners: owners(sm, names),
				Misdirected: sm.Misdirected, Acked: sm.Acked, Escalated: escalated(sm.Escalate, tx.OutboxKinds(sm.ID))})
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pages := f.Pages(len(sel))
	link := func(p int) string {
		g := f
		g.Page = p
		return "/statements?" + g.Values().Encode()
	}
	data := map[string]any{"F": f, "Rows": rows, "Total": len(sel), "Page": f.Page, "Pages": pages,
		"States": States, "Purposes": Purposes, "Orgs": s.orgIDs(), "Groups": s.groupIDs(), "Managers": managerOptions(names)}
	if f.Page > 1 {
		data["Prev"] = link(f.Page - 1)
	}
	if f.Page < pages {
		data["Next"] = link(f.Page + 1)
	}
	s.render(w, r, "list", http.StatusOK, data)
}

// option is one choice of a filter's select.
type option struct{ Value, Label string }

// managerOptions are the owner filter's choices: every configured manager
// and the IAB coordinators, by name.
func managerOptions(names map[string]string) []option {
	var out []option
	for m, n := range names {
		out = append(out, option{Value: m, Label: n})
	}
	slices.SortFunc(out, func(a, b option) int { return cmp.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) })
	return out
}

func (s *Server) orgIDs() []string {
	var ids []string
	for _, o := range s.opt.Config().Organizations {
		ids = append(ids, o.ID)
	}
	slices.Sort(ids)
	return ids
}

func (s *Server) groupIDs() []string {
	var ids []string
	for _, g := range s.opt.Config().Groups {
		ids = append(ids, g.ID)
	}
	slices.Sort(ids)
	return ids
}
