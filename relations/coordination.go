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

// Overlaps finds the statements of other organizations received within
// the coordination window of rec (before or after) that target one of its
// groups, oldest first. It reads the receipt index, so rec and the
// statements compared with it must be indexed (store.Tx.IndexReceived).
func Overlaps(tx *store.Tx, cfg *config.Config, rec *liaison.Record) ([]Overlap, error) {
	w := windowOf(cfg)
	if w == 0 || !eligible(rec) {
		return nil, nil
	}
	var out []Overlap
	err := tx.ReceivedBetween(rec.Received.Add(-w-time.Second), rec.Received.Add(w), func(id string) error {
		if id == rec.ID {
			return nil
		}
		r, err := tx.Record(id)
		if err != nil || !eligible(r) || r.Routing.OrgID == rec.Routing.OrgID {
			return nil
		}
		var shared []string
		for _, g := range rec.Routing.Groups {
			if slices.Contains(r.Routing.Groups, g) {
				shared = append(shared, g)
			}
		}
		if len(shared) > 0 {
			out = append(out, Overlap{Record: r, Shared: shared})
		}
		return nil
	})
	return out, err
}

// Coordinate tells the managers of a newly recorded statement rec, and
// those of every other relationship's statement that overlaps it (see
// Overlaps), about each other: each of rec's managers gets one note naming
// the overlapping statements and their managers, and each manager of an
// overlapping statement one note naming rec and its managers. A manager
// on both sides is not told about their own statements. The keys
// (statement, coordination, manager, the other statements) make each note
// once per pair. Each statement's history records the overlap.
func Coordinate(tx *store.Tx, s *settings.Snapshot, queue Queue, rec *liaison.Record, at time.Time) ([]Overlap, error) {
	overlaps, err := Overlaps(tx, s.Config, rec)
	if err != nil || len(overlaps) == 0 {
		return overlaps, err
	}
	days, _ := s.Config.Coordination.Window.WholeDays()
	mine := s.Router.Managers(rec.Routing)
	// rec's side: one note per manager, naming every overlap they do not
	// handle themselves.
	for _, m := range mine {
		var others []templates.OverlapItem
		var ids []string
		for _, o := range overlaps {
			if !handles(s, o.Record, m) {
				others = append(others, overlapItem(s, o.Record, o.Shared, at))
				ids = append(ids, o.Record.ID)
			}
		}
		if len(others) > 0 {
			if err := queue(coordinationMail(s, rec, m, ids, others, days)); err != nil {
				return overlaps, err
			}
		}
	}
	// The other side: one note per manager of each overlapping statement.
	for _, o := range overlaps {
		for _, m := range s.Router.Managers(o.Record.Routing) {
			if handles(s, rec, m) {
				continue
			}
			item := overlapItem(s, rec, o.Shared, at)
			if err := queue(coordinationMail(s, o.Record, m, []string{rec.ID}, []templates.OverlapItem{item}, days)); err != nil {
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
// who handles them; oldest first.
func Others(tx *store.Tx, s *settings.Snapshot, m string, groups []string, now time.Time) ([]templates.OverlapItem, error) {
	w := windowOf(s.Config)
	if w == 0 || len(groups) == 0 {
		return nil, nil
	}
	var out []templates.OverlapItem
	err := tx.ReceivedBetween(now.Add(-w), now, func(id string) error {
		r, err := tx.Record(id)
		if err != nil || !eligible(r) || handles(s, r, liaison.Contact{Email: m}) {
			return nil
		}
		var shared []string
		for _, g := range r.Routing.Groups {
			if slices.Contains(groups, g) {
				shared = append(shared, g)
			}
		}
		if len(shared) > 0 {
			out = append(out, overlapItem(s, r, shared, now))
		}
		return nil
	})
	return out, err
}
