package scheduler

import (
	"sort"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/deadlines"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// overviewState is the digest-state name of the IAB overview.
const overviewState = "iab-overview"

// digests queues, at most once per recipient and period, the managers'
// digests and the IAB overview whose slot came.
func (s *Scheduler) digests(tx *store.Tx, at time.Time, rep *Report) error {
	cfg := s.opt.Settings.Config()
	sched := deadlines.ScheduleFromConfig(cfg)
	slot, useful := sched.Current(at)
	if !useful {
		return nil
	}
	for _, m := range Managers(cfg, at) {
		st, ok, err := tx.DigestState(m.Email)
		if err != nil {
			return err
		}
		if ok && st.Period >= slot.Period {
			continue // sent for this period (or a later one: the clock went back)
		}
		// New since the previous digest (or the previous slot, the first time).
		since := sched.Previous(slot).At
		if ok {
			since = st.At
		}
		data, err := BuildDigest(tx, cfg, m, since, slot.At)
		if err != nil {
			return err
		}
		data.Period, data.BaseURL = slot.Period, cfg.HTTP.BaseURL
		if data.Others, err = relations.Others(tx, s.opt.Settings.Current(), m.Email, digestGroups(data), slot.At); err != nil {
			return err
		}
		if len(data.New)+data.OpenTotal > 0 || cfg.Digest.SendEmpty {
			if err := s.queueDigest(tx, notify.KindDigest, m, slot.Period, data, at, rep); err != nil {
				return err
			}
		}
		if err := tx.SetDigestState(m.Email, store.DigestState{Period: slot.Period, At: slot.At}); err != nil {
			return err
		}
	}
	// The IAB overview is weekly: the first slot of each ISO week.
	st, ok, err := tx.DigestState(overviewState)
	if err != nil {
		return err
	}
	if ok && st.Period >= slot.Week {
		return nil
	}
	ov, err := BuildOverview(tx, cfg, slot.At)
	if err != nil {
		return err
	}
	ov.Period, ov.BaseURL = slot.Week, cfg.HTTP.BaseURL
	if ov.Open > 0 || cfg.Digest.SendEmpty {
		if err := s.queueDigest(tx, notify.KindIABOverview, cfg.IAB, slot.Week, ov, at, rep); err != nil {
			return err
		}
	}
	return tx.SetDigestState(overviewState, store.DigestState{Period: slot.Week, At: slot.At})
}

// queueDigest queues a digest or overview; data is what its template
// receives.
func (s *Scheduler) queueDigest(tx *store.Tx, kind notify.Kind, to liaison.Contact, period string, data any, at time.Time, rep *Report) error {
	role := liaison.RoleManager
	if kind == notify.KindIABOverview {
		role = liaison.RoleIAB
	}
	m := notify.Mail{Kind: kind, To: to, Role: role, Period: period, Data: func(templates.NoticeData) any { return data }}
	return s.queue(tx, m, "", at, rep)
}

// Managers lists every liaison manager appointed at time at once (by
// address, in configuration order).
func Managers(cfg *config.Config, at time.Time) []liaison.Contact {
	var out []liaison.Contact
	seen := map[string]bool{}
	for i := range cfg.Organizations {
		for _, m := range cfg.Organizations[i].ManagersAt(at, cfg.Location) {
			k := strings.ToLower(m.Email)
			if k != "" && !seen[k] {
				seen[k] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// BuildDigest builds a manager's digest at now: the statements received
// after since that the manager handles, and every open statement listed
// under the manager, overdue first, then by deadline. It reads only the
// manager's part of the open index and the receipts since the last digest.
func BuildDigest(tx *store.Tx, cfg *config.Config, m liaison.Contact, since, now time.Time) (templates.DigestData, error) {
	d := templates.DigestData{LiaisonAddress: cfg.LiaisonAddress, IAB: cfg.IAB, Recipient: m, Since: since.In(cfg.Location).Format("2006-01-02")}
	email := strings.ToLower(m.Email)
	err := tx.ReceivedBetween(since, now, func(id string) error {
		r, err := tx.Record(id)
		if err != nil {
			return err
		}
		for _, o := range Owners(r) {
			if o == email {
				d.New = append(d.New, templates.Item(r, cfg.Location, now))
				break
			}
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	err = tx.OpenFor(email, func(id string) error {
		r, err := tx.Record(id)
		if err != nil {
			return err
		}
		it := templates.Item(r, cfg.Location, now)
		if it.Overdue {
			d.Overdue = append(d.Overdue, it)
		} else {
			d.Open = append(d.Open, it)
		}
		return nil
	})
	sortItems(d.Overdue)
	sortItems(d.Open)
	d.OpenTotal = len(d.Overdue) + len(d.Open)
	return d, err
}

// BuildOverview builds the IAB overview at now from the open index: every
// configured relationship with its open and overdue counts, the open
// statements of relationships without a manager, the unacknowledged ones
// and the overdue ones.
func BuildOverview(tx *store.Tx, cfg *config.Config, now time.Time) (templates.OverviewData, error) {
	ov := templates.OverviewData{LiaisonAddress: cfg.LiaisonAddress, Recipient: cfg.IAB}
	ov.MinNoticeDays, _ = cfg.Deadlines.MinNotice.WholeDays()
	rows := map[string]*templates.RelationshipRow{}
	var order []string
	for i := range cfg.Organizations {
		o := &cfg.Organizations[i]
		var ms []string
		for _, m := range o.ManagersAt(now, cfg.Location) {
			ms = append(ms, m.String())
		}
		rows[o.ID] = &templates.RelationshipRow{ID: o.ID, Name: o.Name, Managers: strings.Join(ms, ", ")}
		order = append(order, o.ID)
	}
	err := tx.ForEachOpen(func(id string, _ []string) error {
		r, err := tx.Record(id)
		if err != nil {
			return err
		}
		it := templates.Item(r, cfg.Location, now)
		org := r.Routing.OrgID
		if org == "" {
			org = "unknown"
		}
		row, ok := rows[org]
		if !ok {
			row = &templates.RelationshipRow{ID: org, Name: "(not a configured relationship)"}
			rows[org] = row
			order = append(order, org)
		}
		row.Open++
		ov.Open++
		if it.Overdue {
			row.Overdue++
			ov.OverdueCount++
			ov.Overdue = append(ov.Overdue, it)
		}
		if r.Routing.NoManager || len(r.Routing.Managers) == 0 {
			ov.ManagerLess = append(ov.ManagerLess, it)
		}
		if r.Acked == nil && r.Extraction.Direction != liaison.Outgoing {
			ov.Unacked = append(ov.Unacked, it)
		}
		if days, short := deadlines.ShortNotice(r, cfg.Deadlines.MinNotice, cfg.Location); short {
			it.NoticeDays = days
			ov.ShortNotice = append(ov.ShortNotice, it)
		}
		return nil
	})
	for _, id := range order {
		ov.Relationships = append(ov.Relationships, *rows[id])
	}
	sort.SliceStable(ov.Relationships[len(cfg.Organizations):], func(i, j int) bool {
		rs := ov.Relationships[len(cfg.Organizations):]
		return rs[i].ID < rs[j].ID
	})
	sortItems(ov.ManagerLess)
	sortItems(ov.Unacked)
	sortItems(ov.Overdue)
	sortItems(ov.ShortNotice)
	return ov, err
}
