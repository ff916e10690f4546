package scheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/store"
)

// newRun opens a simulated run whose day 0 is start.
func newRun(t *testing.T) *simRun {
	t.Helper()
	cfg := simConfig(t)
	r := &simRun{t: t, cfg: cfg, start: time.Date(2027, 3, 1, 0, 0, 0, 0, cfg.Location), ids: map[int]string{}}
	r.open()
	t.Cleanup(func() { r.db.Close() })
	return r
}

// ingest records s as if it arrived at 08:00+n minutes on its day.
func (r *simRun) ingest(s simStmt) string {
	r.t.Helper()
	r.clock = simDate(r.start, s.day).Add(8*time.Hour + time.Duration(s.n)*time.Minute)
	res, err := r.p.Process(pipeline.Input{Raw: s.raw(r.start), Origin: fmt.Sprintf("sim:%d", s.n)}, false)
	if err != nil {
		r.t.Fatal(err)
	}
	r.ids[s.n] = res.ID
	return res.ID
}

func (r *simRun) pass(at time.Time, dry bool) Report {
	r.t.Helper()
	r.clock = at
	rep, err := r.s.Pass(at, dry)
	if err != nil {
		r.t.Fatal(err)
	}
	return rep
}

// A statement received nine days after its deadline has two index entries
// due at once (its deadline and its first look). One pass covering both
// must leave it followed: a week later its overdue notice and the
// acknowledgement escalation are still due.
func TestLateStatementStaysFollowed(t *testing.T) {
	r := newRun(t)
	id := r.ingest(simStmt{n: 1, day: 9, deadline: 0, org: simOrgs[0].from, to: simOrgs[0].to, purpose: "For action"})
	recv := r.clock
	if rep := r.pass(recv.Add(24*time.Hour), false); rep.Looked != 1 {
		t.Fatalf("the first pass looked at %d records, want 1", rep.Looked)
	}
	err := r.db.View(func(tx *store.Tx) error {
		if at, ok := tx.DueAt(id, store.DueRecompute); !ok {
			t.Errorf("%s has no entry in the deadline index after the first pass", id)
		} else if !at.After(recv.Add(24 * time.Hour)) {
			t.Errorf("%s is next looked at %s, not after the pass", id, at)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rep := r.pass(recv.Add(8*24*time.Hour), true)
	if rep.Looked != 1 {
		t.Fatalf("a dry run eight days later looked at %d records, want 1", rep.Looked)
	}
	kinds := map[string]bool{}
	for _, m := range rep.Mails {
		kinds[m.Kind+" "+m.Period] = true
	}
	for _, want := range []string{"overdue overdue-3/2027-03-01", "escalation-ack ack"} {
		if !kinds[want] {
			t.Errorf("the dry run would not send %s; it plans %v", want, rep.Mails)
		}
	}
}
