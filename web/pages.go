package web

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// Relationship is one row of the relationships page and API.
type Relationship struct {
	ID       string   `json:"id,omitempty"` // organization id; "" for statements from unknown organizations
	Name     string   `json:"name"`
	Managers []string `json:"managers"` // empty: no manager, the IAB liaison coordinators handle it
	Open     int      `json:"open"`
	Overdue  int      `json:"overdue"`
	Answered int      `json:"answered"`
	Last     string   `json:"last_statement,omitempty"` // date of the last statement received
	// Calendars are the managers' calendar feeds (ManagerFeed), one per
	// manager in the order of Managers; the IAB's when there is none.
	Calendars []Feed `json:"calendars"`
}

// Feed is a calendar feed: whose it is and its path.
type Feed struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// Relationships lists every configured organization (and one row for
// statements from unknown organizations) with its statement counts.
func (s *Server) Relationships() ([]Relationship, error) {
	all, err := s.opt.DB.Summaries()
	if err != nil {
		return nil, err
	}
	cfg, now := s.opt.Config(), s.opt.Now()
	rows := map[string]*Relationship{}
	var order []string
	for _, o := range cfg.Organizations {
		r := &Relationship{ID: o.ID, Name: o.Name, Managers: []string{}}
		for _, m := range o.Managers {
			r.Managers = append(r.Managers, m.String())
			r.Calendars = append(r.Calendars, Feed{Name: cmp.Or(m.Name, m.Email), Path: ManagerFeed(m.Email)})
		}
		if len(o.Managers) == 0 {
			r.Calendars = []Feed{{Name: cmp.Or(cfg.IAB.Name, "IAB"), Path: ManagerFeed(cfg.IAB.Email)}}
		}
		rows[o.ID] = r
		order = append(order, o.ID)
	}
	last := map[string]time.Time{}
	for _, sm := range all {
		if !sm.IsStatement() || sm.Direction == liaison.Outgoing {
			continue
		}
		key := sm.OrgID
		r := rows[key]
		if r == nil {
			key = ""
			if r = rows[""]; r == nil {
				r = &Relationship{Name: "unknown organization", Managers: []string{},
					Calendars: []Feed{{Name: cmp.Or(cfg.IAB.Name, "IAB"), Path: ManagerFeed(cfg.IAB.Email)}}}
				rows[""] = r
			}
		}
		switch {
		case sm.StatusAt(cfg.Location, now) == liaison.StatusOverdue:
			r.Overdue++
			r.Open++
		case sm.State == liaison.StateOpen:
			r.Open++
		case sm.State == liaison.StateAnswered:
			r.Answered++
		}
		if sm.Received.After(last[key]) {
			last[key] = sm.Received
		}
	}
	sort.Slice(order, func(i, j int) bool {
		return strings.ToLower(rows[order[i]].Name) < strings.ToLower(rows[order[j]].Name)
	})
	if rows[""] != nil {
		order = append(order, "")
	}
	out := make([]Relationship, 0, len(order))
	for _, id := range order {
		r := rows[id]
		if t := last[id]; !t.IsZero() {
			r.Last = t.In(cfg.Location).Format("2006-01-02")
		}
		out = append(out, *r)
	}
	return out, nil
}

func (s *Server) handleRelationships(w http.ResponseWriter, r *http.Request) {
	rows, err := s.Relationships()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var groups []Feed
	for _, g := range s.opt.Config().Groups {
		groups = append(groups, Feed{Name: g.ID, Path: GroupFeed(g.ID)})
	}
	slices.SortFunc(groups, func(a, b Feed) int { return cmp.Compare(a.Name, b.Name) })
	s.render(w, r, "relationships", http.StatusOK, map[string]any{"Rows": rows, "Groups": groups})
}

type folderRow struct {
	Name, WGList, LastSync, LastError string
	Connected                         bool
	LastUID                           uint32
	Delivered                         uint64
	Errors                            int
}

type checkpointRow struct {
	Name, Synced string
	LastUID      uint32
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	cfg, now := s.opt.Config(), s.opt.Now()
	fmtTime := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.In(cfg.Location).Format("2006-01-02 15:04:05 MST") + " (" + now.Sub(t).Round(time.Second).String() + " ago)"
	}
	data := map[string]any{"Now": now.In(cfg.Location).Format("2006-01-02 15:04:05 MST"), "DB": s.opt.DB.Path(), "ReadOnly": s.opt.ReadOnly,
		"IMAPConfigured": s.opt.IMAP != nil}
	if s.opt.IMAP != nil {
		var rows []folderRow
		for _, f := range s.opt.IMAP() {
			rows = append(rows, folderRow{Name: f.Name, WGList: f.WGList, LastSync: fmtTime(f.LastSync), LastError: f.LastError,
				Connected: f.Connected, LastUID: f.LastUID, Delivered: f.Delivered, Errors: f.Errors})
		}
		data["Folders"] = rows
	}
	var depth int
	var oldest time.Time
	var cps []checkpointRow
	var brk store.Breaker
	err := s.opt.DB.View(func(tx *store.Tx) error {
		depth, oldest = tx.QueuedOutbox()
		var err error
		if brk, err = tx.Breaker(); err != nil {
			return err
		}
		m, err := tx.Checkpoints()
		for name, cp := range m {
			cps = append(cps, checkpointRow{Name: name, Synced: fmtTime(cp.Synced), LastUID: cp.LastUID})
		}
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sort.Slice(cps, func(i, j int) bool { return cps[i].Name < cps[j].Name })
	data["Checkpoints"] = cps
	data["OutboxDepth"] = depth
	if brk.Held(now) {
		until := ""
		if !brk.Until.IsZero() {
			until = brk.Until.In(cfg.Location).Format("2006-01-02 15:04:05 MST")
		}
		data["Breaker"] = map[string]string{"Since": fmtTime(brk.Tripped), "Reason": brk.Reason, "Until": until}
	}
	if depth > 0 {
		data["OutboxOldest"] = fmtTime(oldest)
	}
	if t, ok := s.opt.Metrics.LastSweep(); ok {
		data["LastSweep"] = fmtTime(t)
	}
	if s.opt.Errors != nil {
		type errRow struct {
			Time, Message string
			Attrs         []string
		}
		var rows []errRow
		for _, e := range s.opt.Errors.Since(now.Add(-24 * time.Hour)) {
			rows = append(rows, errRow{Time: e.Time.In(cfg.Location).Format("2006-01-02 15:04:05"), Message: e.Message, Attrs: e.Attrs})
		}
		data["Errors"] = rows
	}
	s.render(w, r, "health", http.StatusOK, data)
}
