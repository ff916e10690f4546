package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// States are the list filters by state.
var States = []string{"open", "overdue", "answered", "unrouted", "misdirected", "failed", "closed", "all"}

// Purposes are the purpose filter's values.
var Purposes = []string{string(liaison.PurposeAction), string(liaison.PurposeComment), string(liaison.PurposeInfo), string(liaison.PurposeResponse)}

// DefaultPerPage and MaxPerPage bound a list page.
const (
	DefaultPerPage = 50
	MaxPerPage     = 1000
)

// Filter selects statements for the list page, the API and the feeds.
type Filter struct {
	State   string // one of States; "" means open
	Org     string // organization id (or the organization as written when not routed)
	Group   string // routed group id
	Purpose string
	Query   string // text searched in title, subject and body
	Page    int    // 1-based
	PerPage int
}

// ParseFilter reads a filter from query parameters.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{State: q.Get("state"), Org: strings.TrimSpace(q.Get("org")), Group: strings.TrimSpace(q.Get("group")),
		Purpose: q.Get("purpose"), Query: strings.TrimSpace(q.Get("q")), Page: 1, PerPage: DefaultPerPage}
	if f.State == "" {
		f.State = "open"
	}
	if !slices.Contains(States, f.State) {
		return f, fmt.Errorf("unknown state %q (want one of %s)", f.State, strings.Join(States, ", "))
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
	for k, s := range map[string]string{"org": f.Org, "group": f.Group, "purpose": f.Purpose, "q": f.Query} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.PerPage != DefaultPerPage {
		v.Set("per_page", strconv.Itoa(f.PerPage))
	}
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	return v
}

// overdue reports whether an open statement's (effective) deadline passed.
func overdue(s *store.Summary, loc *time.Location, now time.Time) bool {
	d := s.EffectiveDeadline()
	return s.State == liaison.StateOpen && !d.IsZero() && now.After(d.EndOf(loc))
}

// matchState applies the state filter.
func matchState(s *store.Summary, state string, loc *time.Location, now time.Time) bool {
	switch state {
	case "all":
		return true
	case "overdue":
		return overdue(s, loc, now)
	case "misdirected":
		return s.Misdirected
	case "unrouted":
		return len(s.Groups) == 0 && s.State != liaison.StateFailed
	default:
		return string(s.State) == state
	}
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
	var out []*store.Summary
	for _, sm := range all {
		if !sm.IsStatement() || !matchState(sm, f.State, loc, now) {
			continue
		}
		if f.Org != "" && sm.OrgID != f.Org && !(sm.OrgID == "" && strings.EqualFold(sm.OrgText, f.Org)) {
			continue
		}
		if f.Group != "" && !slices.Contains(sm.Groups, f.Group) {
			continue
		}
		if f.Purpose != "" && string(sm.Purpose) != f.Purpose {
			continue
		}
		out = append(out, sm)
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

type listRow struct {
	ID, Title, From, To, Purpose, State, Deadline, Due, DueClass string
	Misdirected                                                  bool
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	f, err := ParseFilter(r.URL.Query())
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	sel, err := s.Select(f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cfg, now := s.opt.Config(), s.opt.Now()
	var rows []listRow
	for _, sm := range page(sel, f) {
		d := sm.EffectiveDeadline()
		due, cls := Relative(d, cfg.Location, now)
		if sm.State != liaison.StateOpen {
			due, cls = "", ""
		}
		st := string(sm.State)
		if overdue(sm, cfg.Location, now) {
			st = "overdue"
		}
		from := sm.OrgName
		if from == "" {
			from = sm.OrgText
		}
		if sm.FromGroup != "" && !liaison.RedundantGroup(sm.FromGroup, from, sm.OrgText) {
			from += " " + sm.FromGroup
		}
		title := sm.Title
		if title == "" {
			title = sm.Subject
		}
		rows = append(rows, listRow{ID: sm.ID, Title: title, From: from, To: strings.Join(sm.Groups, ", "), Purpose: string(sm.Purpose),
			State: st, Deadline: d.String(), Due: due, DueClass: cls, Misdirected: sm.Misdirected})
	}
	pages := max(1, (len(sel)+f.PerPage-1)/f.PerPage)
	link := func(p int) string {
		g := f
		g.Page = p
		return "/statements?" + g.Values().Encode()
	}
	data := map[string]any{"F": f, "Rows": rows, "Total": len(sel), "Page": f.Page, "Pages": pages,
		"States": States, "Purposes": Purposes, "Orgs": s.orgIDs(), "Groups": s.groupIDs()}
	if f.Page > 1 {
		data["Prev"] = link(f.Page - 1)
	}
	if f.Page < pages {
		data["Next"] = link(f.Page + 1)
	}
	s.render(w, r, "list", http.StatusOK, data)
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
