package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
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

// For a statement without a manager the IAB handles it: it gets the
// overdue notices, one mail per pass, and no escalation on top.
func TestIABGetsOneMailPerPass(t *testing.T) {
	r := newRun(t)
	etsi := simOrgs[5] // no manager
	id := r.ingest(simStmt{n: 1, day: 0, deadline: 10, org: etsi.from, to: etsi.to, purpose: "For action"})
	iab := strings.ToLower(r.cfg.IAB.Email)
	kinds := map[string]int{}
	for day := 1; day <= 40; day++ {
		rep := r.pass(simDate(r.start, day).Add(12*time.Hour), false)
		n := 0
		for _, m := range rep.Mails {
			if m.RecordID == id && m.Recipient == iab {
				n++
				kinds[m.Kind]++
			}
		}
		if n > 1 {
			t.Errorf("day %d: the IAB got %d mails about %s in one pass: %v", day, n, id, rep.Mails)
		}
	}
	if kinds["escalation-overdue"] != 0 || kinds["escalation-ack"] != 0 {
		t.Errorf("the IAB handles %s itself but was sent escalations: %v", id, kinds)
	}
	// Days 11, 18, 25, 32, 39: one overdue notice a week.
	if kinds["overdue"] != 5 || kinds["reminder"] == 0 {
		t.Errorf("the IAB, as handler, got %v; want reminders and 5 overdue notices", kinds)
	}
}

// After downtime the mails say how late the statement is when they are
// sent, not when they fell due.
func TestMailsAfterDowntimeSayHowLateNow(t *testing.T) {
	r := newRun(t)
	sg15 := simOrgs[0]
	id := r.ingest(simStmt{n: 1, day: 0, deadline: 10, org: sg15.from, to: sg15.to, purpose: "For action"})
	if _, err := r.a.Apply(id, actions.Actor{Email: "jane.doe@example.org", Channel: liaison.ChannelCLI}, actions.Request{Action: actions.Ack}); err != nil {
		t.Fatal(err)
	}
	for day := 1; day <= 11; day++ {
		r.pass(simDate(r.start, day).Add(12*time.Hour), false)
	}
	rep := r.pass(simDate(r.start, 32).Add(12*time.Hour), false) // 22 days late
	subjects := map[string]string{}
	for _, m := range rep.Mails {
		if m.RecordID == id {
			subjects[m.Kind] = m.Subject
		}
	}
	for kind, want := range map[string]string{"escalation-overdue": "Overdue 22 days", "overdue": "22 days late"} {
		if !strings.Contains(subjects[kind], want) {
			t.Errorf("%s subject %q does not say %q", kind, subjects[kind], want)
		}
	}
}
