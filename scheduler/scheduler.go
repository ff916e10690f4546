// Package scheduler drives the follow-up policy (package deadlines): one
// loop that wakes at the next due time read from the store's deadline index
// (never a scan of every statement), runs a pass, and sleeps again.
//
// A pass at time T reads only the index entries due at or before T. Every
// entry is a "look at this record" trigger (the pipeline's "sched" entries,
// and the "deadline" entries it sets at a deadline's end): the pass plans the
// record once however many of its entries are due, queues the mails due
// through the composer (package notify; deterministic outbox keys make each
// send-once), keeps the open-statement and receipt indexes in step, clears
// all the record's entries due by T and re-indexes its next look as "sched".
// Then it sends the digests whose slot came.
//
// Guarantee: after a pass at T, every record the policy follows has an index
// entry at or before the next time the policy says something may fall due
// about it (deadlines.Plan's Next); passes, restarts and dry runs in any
// order never lose it (model_test.go checks this against the policy).
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/deadlines"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// OwnerIAB is the open-index owner of statements without a liaison manager.
const OwnerIAB = "iab"

// chunk bounds the records looked at per transaction.
const chunk = 500

// Options configure a Scheduler.
type Options struct {
	DB *store.DB
	// Settings holds the configuration in force (shared, swapped on reload).
	Settings *settings.Holder
	// Notify composes and queues the mail a pass decides to send.
	Notify *notify.Notifier
	// Now is the clock.
	Now func() time.Time
	Log *slog.Logger
	// Queued is called after a pass that queued mail (to wake the sender).
	Queued func()
	// Observe, when set, is told when each committed pass started and how
	// long it took (metrics and the health page).
	Observe func(start time.Time, took time.Duration)
}

// Scheduler runs passes.
type Scheduler struct {
	opt  Options
	wake chan struct{}
	// chunk bounds the records looked at per transaction (tests lower it).
	chunk int
}

// New makes a scheduler.
func New(opt Options) (*Scheduler, error) {
	if opt.DB == nil || opt.Settings == nil || opt.Notify == nil || opt.Now == nil {
		return nil, errors.New("scheduler: DB, Settings, Notify and Now are required")
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Scheduler{opt: opt, wake: make(chan struct{}, 1), chunk: chunk}, nil
}

// Planned is one mail a pass queued (or, in a dry run, would queue).
type Planned struct {
	Key       string `json:"key"`
	Kind      string `json:"kind"`
	RecordID  string `json:"record_id,omitempty"`
	Recipient string `json:"recipient"`
	Period    string `json:"period"`
	Subject   string `json:"subject"`
	// Failed says why the mail could not be composed ("" when it was; see
	// package notify).
	Failed string `json:"failed,omitempty"`
}

// Report says what a pass did.
type Report struct {
	At time.Time `json:"at"`
	// Looked counts the records looked at.
	Looked int `json:"looked"`
	// Mails are the mails queued, in order.
	Mails []Planned `json:"mails"`
	// Next is when the next pass is due (zero: nothing is scheduled).
	Next time.Time `json:"next"`

	// synced is set once the pass acted on the appointments.
	synced bool
}

var errDryRun = errors.New("dry run: rolled back")

// Pass runs one pass as if the clock said at. With dryRun nothing is
// committed and the report says what would have been queued.
func (s *Scheduler) Pass(at time.Time, dryRun bool) (Report, error) {
	rep := Report{At: at}
	for {
		more := false
		err := s.opt.DB.Update(func(tx *store.Tx) error {
			var err error
			more, err = s.passTx(tx, at, dryRun, &rep)
			if err != nil {
				return err
			}
			if !more {
				if err := s.digests(tx, at, &rep); err != nil {
					return err
				}
				rep.Next = s.next(tx, at)
			}
			if dryRun {
				return errDryRun
			}
			return nil
		})
		if err != nil && !errors.Is(err, errDryRun) {
			return rep, fmt.Errorf("scheduler: pass at %s: %w", at.Format(time.RFC3339), err)
		}
		if !more || dryRun {
			break
		}
	}
	s.opt.Log.Info("scheduler pass", "at", at, "looked", rep.Looked, "queued", len(rep.Mails), "next", rep.Next, "dry_run", dryRun)
	if !dryRun && s.opt.Observe != nil {
		s.opt.Observe(at, s.opt.Now().Sub(at))
	}
	if len(rep.Mails) > 0 && !dryRun && s.opt.Queued != nil {
		s.opt.Queued()
	}
	return rep, nil
}

// passTx looks at up to chunk due records (all of them in a dry run); more
// reports that due entries remain. A record with several due entries (its
// deadline and its next look, after downtime or when it arrived late) is
// looked at once, and that look consumes all of them (see look).
func (s *Scheduler) passTx(tx *store.Tx, at time.Time, dryRun bool, rep *Report) (more bool, err error) {
	snap := s.opt.Settings.Current()
	if !rep.synced {
		if err := s.appointments(tx, snap, at, rep); err != nil {
			return false, err
		}
		rep.synced = true
	}
	if err := s.backfill(tx, at); err != nil {
		return false, err
	}
	var ids []string
	stop := errors.New("stop")
	seen := map[string]bool{}
	err = tx.DueBefore(at, func(d store.Due) error {
		if seen[d.RecordID] {
			return nil
		}
		if len(ids) >= s.chunk && !dryRun {
			more = true
			return stop
		}
		seen[d.RecordID] = true
		ids = append(ids, d.RecordID)
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		return false, err
	}
	pol := deadlines.FromConfig(snap.Config)
	for _, id := range ids {
		if err := s.look(tx, snap, pol, id, at, rep); err != nil {
			return false, fmt.Errorf("look at %s: %w", id, err)
		}
	}
	rep.Looked += len(ids)
	return more, nil
}

// backfill gives statements recorded before the scheduler existed a look,
// once (the only full scan, on the first pass ever).
func (s *Scheduler) backfill(tx *store.Tx, at time.Time) error {
	if tx.SchedFlag("backfilled") {
		return nil
	}
	var ids []string
	err := tx.ForEachRecord(func(r *liaison.Record) error {
		if strings.HasPrefix(r.ID, "LS-") {
			if _, ok := tx.DueAt(r.ID, store.DueRecompute); !ok {
				ids = append(ids, r.ID)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.LookAgain(id, at); err != nil {
			return err
		}
	}
	return tx.SetSchedFlag("backfilled")
}

// look plans one record, queues what is due, and re-indexes it. It first
// clears every index entry of the record due by at, whatever their kind (a
// look answers them all), then sets the one entry for its next look.
// Clearing entry by entry around the look instead deleted the entry the look
// had just set when the record had two due entries, and the record dropped
// out of follow-up for good.
func (s *Scheduler) look(tx *store.Tx, snap *settings.Snapshot, pol deadlines.Policy, id string, at time.Time, rep *Report) error {
	if err := tx.ClearDueThrough(id, at); err != nil {
		return err
	}
	r, err := tx.Record(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil // the entry outlived its record
	}
	if err != nil {
		return err
	}
	if r.DuplicateOf == "" && strings.HasPrefix(r.ID, "LS-") {
		if err := tx.IndexReceived(r.ID, r.Received); err != nil {
			return err
		}
	}
	plan := pol.Plan(r, at)
	var owners []string
	if ok, _ := deadlines.Followed(r); ok {
		owners = Owners(r)
	}
	if err := tx.SetOpen(r.ID, owners); err != nil {
		return err
	}
	for _, a := range plan.Actions {
		if err := s.queueAction(tx, snap, pol, r, a, at, rep); err != nil {
			return err
		}
	}
	if plan.Next.IsZero() {
		return tx.ClearDue(r.ID, store.DueRecompute)
	}
	return tx.SetDue(r.ID, store.DueRecompute, plan.Next)
}

// Owners are who a statement is listed under in digests: its managers, or
// the IAB when it has none.
func Owners(r *liaison.Record) []string {
	var out []string
	for _, m := range r.Routing.Managers {
		if m.Email != "" {
			out = append(out, strings.ToLower(m.Email))
		}
	}
	if len(out) == 0 {
		out = []string{OwnerIAB}
	}
	return out
}

// recipients lists who receives an action: the IAB for IAB actions;
// otherwise whoever is responsible (the managers, or the IAB) and the
// chairs of the statement's groups, each address once.
func recipients(r *routing.Router, cfg *config.Config, rec *liaison.Record, a deadlines.Action) []notify.Mail {
	if a.Audience == deadlines.IAB {
		return []notify.Mail{{To: cfg.IAB, Role: liaison.RoleIAB}}
	}
	var out []notify.Mail
	seen := map[string]bool{}
	add := func(c liaison.Contact, role liaison.Role) {
		if k := strings.ToLower(c.Email); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, notify.Mail{To: c, Role: role})
		}
	}
	for _, m := range r.Managers(rec.Routing) {
		role := liaison.RoleManager
		if strings.EqualFold(m.Email, cfg.IAB.Email) {
			role = liaison.RoleIAB
		}
		add(m, role)
	}
	for _, c := range r.Chairs(rec.Routing.Groups) {
		add(c, liaison.RoleChair)
	}
	return out
}

func (s *Scheduler) queueAction(tx *store.Tx, snap *settings.Snapshot, pol deadlines.Policy, r *liaison.Record, a deadlines.Action, at time.Time, rep *Report) error {
	cfg := snap.Config
	d := templates.FollowUpData{Days: a.Days, N: a.N, Limit: pol.OverdueLimit, Outgoing: a.Outgoing}
	if dl := r.EffectiveDeadline(); !dl.IsZero() {
		d.Deadline = dl.String()
		d.DeadlineIn = templates.DaysText(daysBetween(liaison.DateOf(at.In(cfg.Location)), dl))
		if !r.InternalDeadline.IsZero() && r.InternalDeadline != r.Extraction.Deadline {
			d.OriginalDeadline = r.Extraction.Deadline.String()
		}
	}
	if r.Acked != nil {
		d.Acked = fmt.Sprintf("by %s on %s", r.Acked.By, r.Acked.At.In(cfg.Location).Format("2006-01-02"))
	}
	if a.Audience == deadlines.IAB {
		evs, err := tx.Events(r.ID)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			d.History = append(d.History, fmt.Sprintf("%s %s: %s", ev.At.In(cfg.Location).Format("2006-01-02 15:04"), ev.Type, ev.Detail))
		}
	}
	for _, m := range recipients(snap.Router, cfg, r, a) {
		m.Kind, m.Record, m.Period = notify.Kind(a.Kind), r, a.Period
		m.Data = func(nd templates.NoticeData) any {
			fd := d
			fd.NoticeData = nd
			return fd
		}
		if err := s.queue(tx, m, r.ID, at, rep); err != nil {
			return err
		}
	}
	return nil
}

// queue queues one mail and reports it when it was added.
func (s *Scheduler) queue(tx *store.Tx, m notify.Mail, recordID string, at time.Time, rep *Report) error {
	q, err := s.opt.Notify.Queue(tx, m, at)
	if err != nil || !q.Added {
		return err
	}
	rep.Mails = append(rep.Mails, Planned{Key: q.Key.String(), Kind: string(m.Kind), RecordID: recordID,
		Recipient: strings.ToLower(m.To.Email), Period: m.Period, Subject: q.Entry.Subject, Failed: q.Failed})
	return nil
}

// next is when the next pass is due: the earliest index entry, digest
// slot or change of appointments (zero when none exists).
func (s *Scheduler) next(tx *store.Tx, at time.Time) time.Time {
	cfg := s.opt.Settings.Config()
	n := deadlines.ScheduleFromConfig(cfg).Next(at).At
	if d, ok := tx.NextDue(); ok && d.At.Before(n) {
		n = d.At
	}
	if c := relations.NextChange(cfg, at); !c.IsZero() && c.Before(n) {
		n = c
	}
	return n
}

// Wake makes the loop look at the index again now (after a change such as
// an acknowledgement made elsewhere).
func (s *Scheduler) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run runs passes until ctx ends: a pass now, then sleep until the next
// index entry or digest slot is due (or Wake is called).
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		wait := time.Minute
		rep, err := s.Pass(s.opt.Now(), false)
		if err != nil {
			s.opt.Log.Error("scheduler pass failed", "err", err)
		} else if !rep.Next.IsZero() {
			wait = rep.Next.Sub(s.opt.Now())
		}
		// Wall clocks jump (suspend, NTP): look again at least hourly.
		wait = min(max(wait, 10*time.Millisecond), time.Hour)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-s.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

func daysBetween(a, b liaison.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Round(24*time.Hour) / (24 * time.Hour))
}

// sortItems orders digest items: by deadline (none last), then id.
func sortItems(items []templates.DigestItem) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if (a.Deadline == "") != (b.Deadline == "") {
			return a.Deadline != ""
		}
		if a.Deadline != b.Deadline {
			return a.Deadline < b.Deadline
		}
		return a.ID < b.ID
	})
}

// ParseAt reads a sweep time: RFC 3339, "2027-03-01 09:00" or "2027-03-01"
// (00:00) in loc.
func ParseAt(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want RFC 3339, \"YYYY-MM-DD HH:MM\" or \"YYYY-MM-DD\" (in %s)", s, loc)
}
