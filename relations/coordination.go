package relations

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// Overlap is another relationship's statement to some of the same groups.
type Overlap struct {
	// Record is shared with the other readers of the transaction
	// (store.Tx.RecordShared): read it, never change it.
	Record *liaison.Record
	// Shared are the groups both statements target.
	Shared []string
}

// eligible reports whether r takes part in coordination: an incoming
// statement (not a copy) of a known organization, sent to some group.
func eligible(r *liaison.Record) bool {
	return strings.HasPrefix(r.ID, "LS-") && r.Extraction.Kind == liaison.KindStatement && r.DuplicateOf == "" &&
		r.Extraction.Direction != liaison.Outgoing && r.Routing.OrgID != "" && len(r.Routing.Groups) > 0
}

// windowOf is the coordination window (zero: disabled).
func windowOf(cfg *config.Config) time.Duration {
	if n, whole := cfg.Coordination.Window.WholeDays(); whole && n > 0 {
		return cfg.Coordination.Window.D()
	}
	return 0
}

// The bounds of the work coordination does for one statement: a flood of
// statements to one group (or an archive ingested at once, all "received"
// the same day) costs a fixed amount per statement, not one per earlier
// statement.
const (
	// MaxOverlaps is the most other statements one statement is
	// coordinated with (the most recent).
	MaxOverlaps = 10
	// maxScan is the most index entries read per group.
	maxScan = 500
)

// Overlaps finds the statements of other organizations received within
// the coordination window of rec (before or after) that target one of its
// groups: at most MaxOverlaps, the most recent, oldest first. It reads the
// group index (see Index) from the end of the window of each of rec's
// groups (at most maxScan entries each), and only the records of other
// organizations' statements there.
func Overlaps(tx *store.Tx, cfg *config.Config, rec *liaison.Record) ([]Overlap, error) {
	w := windowOf(cfg)
	if w == 0 || !eligible(rec) {
		return nil, nil
	}
	shared, ids := recentInGroups(tx, rec.Routing.Groups, rec.Received.Add(-w-time.Second), rec.Received.Add(w), func(id, org string) bool {
		return id != rec.ID && org != rec.Routing.OrgID
	})
	var out []Overlap
	for _, id := range ids {
		// The index may be stale (a statement reassigned or corrected
		// since): the record decides. Only read: the records of one
		// batch's overlaps are decoded once (RecordShared).
		r, err := tx.RecordShared(id)
		if err != nil || !eligible(r) || r.Routing.OrgID == rec.Routing.OrgID {
			continue
		}
		var groups []string
		for _, g := range shared[id] {
			if slices.Contains(r.Routing.Groups, g) {
				groups = append(groups, g)
			}
		}
		if len(groups) > 0 {
			out = append(out, Overlap{Record: r, Shared: groups})
		}
	}
	slices.SortStableFunc(out, func(a, b Overlap) int { return a.Record.Received.Compare(b.Record.Received) })
	return out, nil
}

// recentInGroups collects, from the group index, the statements received
// in (from, to] under groups that keep accepts, most recent first: at most
// MaxOverlaps, reading at most maxScan entries per group. It returns the
// groups each was found under, and their ids in the order found.
func recentInGroups(tx *store.Tx, groups []string, from, to time.Time, keep func(id, org string) bool) (map[string][]string, []string) {
	shared := map[string][]string{}
	var ids []string
	for _, g := range groups {
		scanned := 0
		tx.GroupRecent(g, from, to, func(id, org string) bool {
			scanned++
			if keep(id, org) {
				if _, seen := shared[id]; !seen {
					if len(ids) == MaxOverlaps {
						return false
					}
					ids = append(ids, id)
				}
				shared[id] = append(shared[id], g)
			}
			return scanned < maxScan
		})
	}
	return shared, ids
}

// Index lists an eligible statement in the group index (its target groups,
// receipt and organization), which Overlaps and Others read.
func Index(tx *store.Tx, rec *liaison.Record) error {
	if !eligible(rec) {
		return nil
	}
	return tx.IndexGroups(rec.ID, rec.Received, rec.Routing.OrgID, rec.Routing.Groups)
}

// groupIndexFlag marks the one-time indexing of the statements recorded
// before the group index existed.
const groupIndexFlag = "group-index"

// IndexExisting lists, once in a database's life, every statement
// recorded before the group index existed (a scan of every record).
func IndexExisting(tx *store.Tx) error {
	if tx.SchedFlag(groupIndexFlag) {
		return nil
	}
	if err := tx.ForEachRecord(func(r *liaison.Record) error { return Index(tx, r) }); err != nil {
		return err
	}
	return tx.SetSchedFlag(groupIndexFlag)
}

// Coordinate tells the managers of a newly recorded statement rec, and
// those of every other relationship's statement that overlaps it (see
// Overlaps), about each other: each of rec's managers gets one note naming
// the overlapping statements and their managers, and each manager of an
// overlapping statement one note naming rec and its managers. A manager
// on both sides is not told about their own statements. The keys
// (statement, coordination, manager, the other statements) make each note
// once per pair. Each statement's history records the overlap. rec is
// listed in the group index first.
func Coordinate(tx *store.Tx, s *settings.Snapshot, queue Queue, rec *liaison.Record, at time.Time) ([]Overlap, error) {
	if err := Index(tx, rec); err != nil {
		return nil, err
	}
	overlaps, err := Overlaps(tx, s.Config, rec)
	if err != nil || len(overlaps) == 0 {
		return overlaps, err
	}
	days, _ := s.Config.Coordination.Window.WholeDays()
	told := toldWithin(tx, at, windowOf(s.Config))
	mine := s.Router.Managers(rec.Routing)
	// rec's side: one note per manager, naming every overlap they do not
	// handle themselves and were not told about yet.
	for _, m := range mine {
		var others []templates.OverlapItem
		var ids []string
		var named []Overlap
		for _, o := range overlaps {
			if !handles(s, o.Record, m) && !told.all(m, o.Record.Routing.OrgID, o.Shared) {
				others = append(others, overlapItem(s, o.Record, o.Shared, at))
				ids = append(ids, o.Record.ID)
				named = append(named, o)
			}
		}
		if len(others) == 0 {
			continue
		}
		if err := queue(coordinationMail(s, rec, m, ids, others, days)); err != nil {
			return overlaps, err
		}
		for _, o := range named {
			if err := told.mark(m, o.Record.Routing.OrgID, o.Shared); err != nil {
				return overlaps, err
			}
		}
	}
	// The other side: a note to each manager of an overlapping statement
	// who was not told about rec's organization in those groups yet.
	for _, o := range overlaps {
		for _, m := range s.Router.Managers(o.Record.Routing) {
			if handles(s, rec, m) || told.all(m, rec.Routing.OrgID, o.Shared) {
				continue
			}
			item := overlapItem(s, rec, o.Shared, at)
			if err := queue(coordinationMail(s, o.Record, m, []string{rec.ID}, []templates.OverlapItem{item}, days)); err != nil {
				return overlaps, err
			}
			if err := told.mark(m, rec.Routing.OrgID, o.Shared); err != nil {
				return overlaps, err
			}
		}
		for _, pair := range [][2]*liaison.Record{{rec, o.Record}, {o.Record, rec}} {
			ev := liaison.Event{At: at, Type: liaison.EventOverlap, Detail: fmt.Sprintf("%s from %s also goes to %s (handled by %s)",
				pair[1].ID, pair[1].Routing.OrgID, strings.Join(o.Shared, ","), orIAB(emails(s.Router.Managers(pair[1].Routing))))}
			if err := tx.AddEvent(pair[0].ID, ev); err != nil {
				return overlaps, err
			}
		}
	}
	return overlaps, nil
}

// toldSet answers, for the notes of one statement, whether a manager was
// told within the window that an organization's statements go to some
// groups, and records that they were. A manager hears once per window
// about each organization's work in each group: later statements of that
// organization there add to the statements' histories and to the
// manager's digest, not to their mail.
type toldSet struct {
	tx     *store.Tx
	at     time.Time
	window time.Duration
}

func toldWithin(tx *store.Tx, at time.Time, window time.Duration) toldSet {
	return toldSet{tx: tx, at: at, window: window}
}

// all reports whether m was told about org in every one of groups within
// the window of at (before or after: statements may be recorded out of
// order).
func (ts toldSet) all(m liaison.Contact, org string, groups []string) bool {
	for _, g := range groups {
		last, ok := ts.tx.CoordinationTold(m.Email, org, g)
		if d := ts.at.Sub(last); !ok || d >= ts.window || d <= -ts.window {
			return false
		}
	}
	return true
}

// mark records that m is told now about org in groups.
func (ts toldSet) mark(m liaison.Contact, org string, groups []string) error {
	for _, g := range groups {
		if err := ts.tx.SetCoordinationTold(m.Email, org, g, ts.at); err != nil {
			return err
		}
	}
	return nil
}

// handles reports whether m is one of the people handling r.
func handles(s *settings.Snapshot, r *liaison.Record, m liaison.Contact) bool {
	return liaison.HasAddress(s.Router.Managers(r.Routing), m.Email)
}

func overlapItem(s *settings.Snapshot, r *liaison.Record, shared []string, at time.Time) templates.OverlapItem {
	return templates.OverlapItem{DigestItem: templates.Item(r, s.Config.Location, at), Managers: managerLine(s, r), Shared: shared}
}

// coordinationMail is the note about rec to m naming the statements ids.
func coordinationMail(s *settings.Snapshot, rec *liaison.Record, m liaison.Contact, ids []string, others []templates.OverlapItem, days int) notify.Mail {
	role := liaison.RoleManager
	if strings.EqualFold(m.Email, s.Config.IAB.Email) {
		role = liaison.RoleIAB
	}
	return notify.Mail{Kind: notify.KindCoordination, Record: rec, To: m, Role: role, Period: "with/" + strings.Join(ids, ","),
		Data: func(nd templates.NoticeData) any {
			return templates.CoordinationData{NoticeData: nd, Others: others, WindowDays: days}
		}}
}

// Others lists, for the digest of manager m at now, the statements of
// other relationships received within the coordination window before now
// that target one of groups (the groups of m's own open statements), with
// who handles them: at most MaxOverlaps, the most recent, oldest first.
func Others(tx *store.Tx, s *settings.Snapshot, m string, groups []string, now time.Time) ([]templates.OverlapItem, error) {
	w := windowOf(s.Config)
	if w == 0 || len(groups) == 0 {
		return nil, nil
	}
	// The organizations m manages are left out before any record is read.
	mine := map[string]bool{}
	for i := range s.Config.Organizations {
		o := &s.Config.Organizations[i]
		if liaison.HasAddress(o.ManagersAt(now, s.Config.Location), m) {
			mine[o.ID] = true
		}
	}
	shared, ids := recentInGroups(tx, groups, now.Add(-w), now, func(_, org string) bool { return !mine[org] })
	var recs []*liaison.Record
	for _, id := range ids {
		r, err := tx.Record(id)
		if err != nil || !eligible(r) || handles(s, r, liaison.Contact{Email: m}) {
			continue
		}
		recs = append(recs, r)
	}
	slices.SortStableFunc(recs, func(a, b *liaison.Record) int { return a.Received.Compare(b.Received) })
	var out []templates.OverlapItem
	for _, r := range recs {
		var groups []string
		for _, g := range shared[r.ID] {
			if slices.Contains(r.Routing.Groups, g) {
				groups = append(groups, g)
			}
		}
		if len(groups) > 0 {
			out = append(out, overlapItem(s, r, groups, now))
		}
	}
	return out, nil
}
