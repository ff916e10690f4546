package web

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// Relationship is one liaison relationship on the relationships page and
// in the API: the record (kind, scope, both sides' people, appointments),
// its statements' counts, the last statement each way, and its history.
type Relationship struct {
	ID   string `json:"id,omitempty"` // organization id; "" for statements from unknown organizations
	Name string `json:"name"`
	// Kind is "formal" or "informal" ("" for the unknown organizations' row).
	Kind      string   `json:"relationship,omitempty"`
	Scope     string   `json:"scope,omitempty"`
	Documents []string `json:"documents,omitempty"`
	// PeerLiaison are the organization's liaison addresses; PeerContacts
	// its people.
	PeerLiaison  []string      `json:"peer_liaison,omitempty"`
	PeerContacts []PeerContact `json:"peer_contacts,omitempty"`
	// Managers are the managers in office ("Name <email>"); empty: no
	// manager, the IAB liaison coordinators handle it.
	Managers []string `json:"managers"`
	// Appointments are every appointment, current and past.
	Appointments []Appointment `json:"appointments,omitempty"`
	Open         int           `json:"open"`
	Overdue      int           `json:"overdue"`
	Answered     int           `json:"answered"`
	// Unsent are the statements drafted here to the organization and not
	// sent yet (a draft, or approved and awaiting sending).
	Unsent int    `json:"unsent"`
	Last   string `json:"last_statement,omitempty"` // date of the last statement received
	// LastIn is the last statement received from the organization; LastOut
	// the last one the IETF sent it.
	LastIn  *StatementRef `json:"last_incoming,omitempty"`
	LastOut *StatementRef `json:"last_outgoing,omitempty"`
	// History is the relationship's latest events (appointments, reports),
	// oldest first.
	History []RelationshipEvent `json:"history,omitempty"`
	// Calendars are the managers' calendar feeds (ManagerFeed), one per
	// manager in office in the order of Managers; the IAB's when there is
	// none.
	Calendars []Feed `json:"calendars"`
}

// Feed is a calendar feed: whose it is and its path.
type Feed struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// PeerContact is a person on the peer's side.
type PeerContact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Role  string `json:"role,omitempty"`
}

// Appointment is one appointment of a liaison manager.
type Appointment struct {
	Name    string `json:"name,omitempty"`
	Email   string `json:"email"`
	Since   string `json:"since,omitempty"`
	Until   string `json:"until,omitempty"`
	Current bool   `json:"current"`
}

// StatementRef names a statement.
type StatementRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Date  string `json:"date"`
}

// RelationshipEvent is one entry of a relationship's history.
type RelationshipEvent struct {
	At      string            `json:"at"`
	Type    liaison.EventType `json:"type"`
	Detail  string            `json:"detail"`
	By      string            `json:"by,omitempty"`
	Channel liaison.Channel   `json:"channel,omitempty"`
}

// HistoryShown is how many of a relationship's latest events the page and
// the API show.
const HistoryShown = 10

// Relationships lists every configured organization (and one row for
// statements from unknown organizations) with its record, its statement
// counts and its latest history. Counts and the last statements come from
// the store's summary index; the history is one short read per
// relationship.
func (s *Server) Relationships() ([]Relationship, error) {
	all, err := s.opt.DB.Summaries()
	if err != nil {
		return nil, err
	}
	cfg, now := s.opt.Config(), s.opt.Now()
	rows := map[string]*Relationship{}
	var order []string
	for i := range cfg.Organizations {
		r := relationshipRecord(cfg, &cfg.Organizations[i], now)
		rows[r.ID] = r
		order = append(order, r.ID)
	}
	last := map[string]time.Time{}
	lastIn, lastOut := map[string]*store.Summary{}, map[string]*store.Summary{}
	for _, sm := range all {
		if sm.IsStatement() && sm.State == liaison.StateDraft {
			if r := rows[sm.OrgID]; r != nil {
				r.Unsent++
			}
			continue
		}
		if !sm.IsStatement() {
			continue
		}
		key := sm.OrgID
		r := rows[key]
		if r == nil {
			if sm.Direction == liaison.Outgoing {
				continue
			}
			key = ""
			if r = rows[""]; r == nil {
				r = &Relationship{Name: "unknown organization", Managers: []string{},
					Calendars: []Feed{{Name: cmp.Or(cfg.IAB.Name, "IAB"), Path: ManagerFeed(cfg.IAB.Email)}}}
				rows[""] = r
			}
		}
		if sm.Direction == liaison.Outgoing {
			if sm.Outbound == liaison.OutboundWithdrawn {
				continue // never sent
			}
			if p := lastOut[key]; p == nil || sm.Received.After(p.Received) {
				lastOut[key] = sm
			}
			continue
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
		if p := lastIn[key]; p == nil || sm.Received.After(p.Received) {
			lastIn[key] = sm
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
	ref := func(sm *store.Summary) *StatementRef {
		if sm == nil {
			return nil
		}
		title := sm.Title
		if title == "" {
			title = sm.Subject
		}
		return &StatementRef{ID: sm.ID, Title: title, Date: sm.Received.In(cfg.Location).Format("2006-01-02")}
	}
	out := make([]Relationship, 0, len(order))
	err = s.opt.DB.View(func(tx *store.Tx) error {
		for _, id := range order {
			r := rows[id]
			if t := last[id]; !t.IsZero() {
				r.Last = t.In(cfg.Location).Format("2006-01-02")
			}
			r.LastIn, r.LastOut = ref(lastIn[id]), ref(lastOut[id])
			if id != "" {
				evs, err := tx.RelationshipEvents(id, HistoryShown)
				if err != nil {
					return err
				}
				for _, ev := range evs {
					r.History = append(r.History, RelationshipEvent{At: ev.At.In(cfg.Location).Format("2006-01-02 15:04"), Type: ev.Type, Detail: ev.Detail, By: ev.By, Channel: ev.Channel})
				}
			}
			out = append(out, *r)
		}
		return nil
	})
	return out, err
}

// relationshipRecord is what the configuration says of a relationship at
// now.
func relationshipRecord(cfg *config.Config, o *config.Organization, now time.Time) *Relationship {
	r := &Relationship{ID: o.ID, Name: o.Name, Kind: string(o.Relationship), Scope: strings.Join(strings.Fields(o.Scope.Text), " "),
		Documents: o.Scope.Documents, PeerLiaison: o.Peer.Liaison, Managers: []string{}}
	for _, c := range o.Peer.Contacts {
		r.PeerContacts = append(r.PeerContacts, PeerContact{Name: c.Name, Email: c.Email, Role: c.Role})
	}
	for _, m := range o.ManagersAt(now, cfg.Location) {
		r.Managers = append(r.Managers, m.String())
		r.Calendars = append(r.Calendars, Feed{Name: cmp.Or(m.Name, m.Email), Path: ManagerFeed(m.Email)})
	}
	if len(r.Managers) == 0 {
		r.Calendars = []Feed{{Name: cmp.Or(cfg.IAB.Name, "IAB"), Path: ManagerFeed(cfg.IAB.Email)}}
	}
	today := config.DayOf(now, cfg.Location)
	for _, m := range o.Managers {
		r.Appointments = append(r.Appointments, Appointment{Name: m.Name, Email: m.Email, Since: m.Since.String(), Until: m.Until.String(), Current: m.On(today)})
	}
	return r
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
	data := map[string]any{"Rows": rows, "Groups": groups}
	if offers, csrf := s.reportOffers(r); len(offers) > 0 {
		data["Report"], data["CSRF"] = offers, csrf
	}
	if f, ok := s.guard.takeFlash(w, r, relationshipsFlash); ok {
		data["Flash"] = f
	}
	s.render(w, r, "relationships", http.StatusOK, data)
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
	if s.opt.Lease != nil {
		st := s.opt.Lease()
		line, active := leaseLine(st)
		data["Mailbox"] = map[string]any{"Line": line, "Active": active, "Since": fmtTime(st.Since), "LastError": st.LastError}
	}
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
	var unfiled int
	err := s.opt.DB.View(func(tx *store.Tx) error {
		depth, oldest = tx.QueuedOutbox()
		unfiled = tx.PendingFiling()
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
	data["Unfiled"] = unfiled
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
