package scheduler

import (
	"time"

	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// appointments acts on changed appointments (relations.Sync): the
// statements in hand move to the managers in office, who are told, as are
// those who left. It runs first in a pass, so the moved statements are
// looked at (reminders, open index) in the same pass; its mails are part
// of the pass's report.
func (s *Scheduler) appointments(tx *store.Tx, snap *settings.Snapshot, at time.Time, rep *Report) error {
	// Statements recorded before coordination existed join its index, once.
	if err := relations.IndexExisting(tx); err != nil {
		return err
	}
	_, err := relations.Sync(tx, snap, func(m notify.Mail) error { return s.queue(tx, m, "", at, rep) }, at)
	return err
}

// digestGroups are the groups of the statements a digest lists as open:
// the groups the manager's work concerns.
func digestGroups(d templates.DigestData) []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]templates.DigestItem{d.Overdue, d.Open} {
		for _, it := range list {
			for _, g := range it.Groups {
				if !seen[g] {
					seen[g] = true
					out = append(out, g)
				}
			}
		}
	}
	return out
}
