package scheduler

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/deadlines"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/store"
)

// The model test compares the scheduler (index, chunked passes, restarts,
// dry runs) with its specification: a scan of every statement through the
// pure policy at every pass. Flags make a failure reproducible and allow
// longer explorations:
//
//	go test ./scheduler -run TestModel -model.seed=17      # one seed
//	go test ./scheduler -run TestModel -model.seeds=500    # more seeds
//	go test ./scheduler -run TestModel -model.random       # a random first seed (printed)
var (
	modelSeed   = flag.Uint64("model.seed", 0, "run the follow-up model test for this seed only")
	modelSeeds  = flag.Int("model.seeds", 24, "how many seeds the follow-up model test runs")
	modelRandom = flag.Bool("model.random", false, "start the follow-up model test at a random seed")
	modelBudget = flag.Duration("model.budget", 60*time.Second, "stop starting new seeds after this long")
)

// modelOrgs are the senders a statement is drawn from: organizations with
// managers, one without, and one the configuration does not know.
var modelOrgs = append(slices.Clone(simOrgs), struct{ from, to string }{"Example Interop Alliance", "Common Control and Measurement Plane (ccamp@ietf.example)"})

// mailKey names one follow-up mail independently of how keys are spelled.
type mailKey struct{ record, kind, recipient, period string }

func (k mailKey) String() string {
	return k.record + " " + k.kind + " " + k.recipient + " " + k.period
}

// modelEvent is one step of a timeline.
type modelEvent struct {
	at   time.Time
	kind string // "arrive", "ack", "answer", "delay", "pass"
	stmt int    // index into the statements
	// For a pass: restart the daemon first, and run a dry run at dryAt
	// first (zero: none).
	restart bool
	dryAt   time.Time
}

// modelStmt is one generated statement and what people do about it.
type modelStmt struct {
	simStmt
	arrive, ack, answer, delay time.Time // zero: never
}

// modelWorld is one seed's configuration and timeline.
type modelWorld struct {
	seed   uint64
	cfg    *config.Config
	start  time.Time
	stmts  []modelStmt
	events []modelEvent
	chunks []int // the chunk size after each (re)start
	desc   string
}

func pick[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }

// genWorld draws a configuration, 8 to 30 statements arriving over 60 days
// (deadlines past, near, far or none; every purpose; managers or none),
// people acting on some, and passes at irregular times over 180 days with
// downtime of up to 25 days, restarts and dry runs up to 20 days ahead.
func genWorld(t *testing.T, seed uint64) *modelWorld {
	rng := rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15+1))
	zone := pick(rng, "UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
	repl := []string{
		"timezone: UTC", "timezone: " + zone,
		"reminders: [14d, 7d, 3d, 1d, 0d]", "reminders: " + pick(rng, "[14d, 7d, 3d, 1d, 0d]", "[7d, 1d]", "[2d, 0d]", "[]"),
		"overdue_every: 7d", "overdue_every: " + pick(rng, "1d", "3d", "7d"),
		"overdue_limit: 8", fmt.Sprintf("overdue_limit: %d", rng.IntN(9)),
		"ack_within: 7d", "ack_within: " + pick(rng, "0d", "2d", "36h", "7d"),
		"escalate_after: 7d", "escalate_after: " + pick(rng, "0d", "1d", "7d", "20d"),
	}
	y := string(examples.Config)
	for i := 0; i < len(repl); i += 2 {
		if !strings.Contains(y, repl[i]) {
			t.Fatalf("the example config no longer contains %q", repl[i])
		}
		y = strings.Replace(y, repl[i], repl[i+1], 1)
	}
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "liaisond.yaml"), []byte(y))
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	w := &modelWorld{seed: seed, cfg: cfg}
	w.start = time.Date(2027, 1, 1+rng.IntN(365), 0, 0, 0, 0, cfg.Location)
	instant := func(day int) time.Time {
		return simDate(w.start, day).Add(time.Duration(rng.IntN(24*60)) * time.Minute)
	}
	w.stmts = make([]modelStmt, 8+rng.IntN(23))
	for i := range w.stmts {
		s := modelStmt{simStmt: simStmt{n: i + 1, day: rng.IntN(60), deadline: -1}}
		o := pick(rng, modelOrgs...)
		s.org, s.to = o.from, o.to
		s.purpose = pick(rng, "For action", "For action", "For comment", "For information")
		switch rng.IntN(6) {
		case 0: // none
		case 1: // passed before it arrived, some long before
			s.deadline = s.day - 1 - rng.IntN(40)
		case 2: // the day it arrives or just after
			s.deadline = s.day + rng.IntN(3)
		default:
			s.deadline = s.day + 3 + rng.IntN(60)
		}
		s.outgoing = s.deadline >= 0 && s.org != modelOrgs[len(modelOrgs)-1].from && rng.IntN(8) == 0
		s.arrive = instant(s.day)
		if rng.IntN(2) == 0 {
			s.ack = s.arrive.Add(time.Duration(rng.IntN(15*24*60)) * time.Minute)
		}
		if rng.IntN(4) == 0 {
			s.answer = s.arrive.Add(time.Duration(rng.IntN(70*24*60)) * time.Minute)
		}
		if s.deadline >= 0 && rng.IntN(5) == 0 {
			s.delay = s.arrive.Add(time.Duration(rng.IntN(40*24*60)) * time.Minute)
			// A new deadline after the day of the delay (the action layer
			// refuses one in the past), often after the old one.
			s.to2 = int(s.delay.Sub(w.start).Hours()/24) + 2 + rng.IntN(28)
		}
		w.stmts[i] = s
		w.events = append(w.events, modelEvent{at: s.arrive, kind: "arrive", stmt: i})
		for kind, at := range map[string]time.Time{"ack": s.ack, "answer": s.answer, "delay": s.delay} {
			if !at.IsZero() {
				w.events = append(w.events, modelEvent{at: at, kind: kind, stmt: i})
			}
		}
	}
	end := w.start.AddDate(0, 0, 180)
	for at := w.start; at.Before(end); {
		var gap time.Duration
		switch p := rng.IntN(10); {
		case p < 4:
			gap = time.Duration(10+rng.IntN(6*60)) * time.Minute
		case p < 7:
			gap = time.Duration(12*60+rng.IntN(24*60)) * time.Minute
		case p < 9:
			gap = time.Duration(2*24*60+rng.IntN(3*24*60)) * time.Minute
		default: // downtime
			gap = time.Duration(6*24*60+rng.IntN(20*24*60)) * time.Minute
		}
		at = at.Add(gap)
		ev := modelEvent{at: at, kind: "pass", restart: rng.IntN(8) == 0}
		if rng.IntN(4) == 0 {
			ev.dryAt = at.Add(time.Duration(rng.IntN(20*24*60)) * time.Minute)
		}
		w.events = append(w.events, ev)
	}
	order := map[string]int{"arrive": 0, "ack": 1, "answer": 2, "delay": 3, "pass": 4}
	sort.SliceStable(w.events, func(i, j int) bool {
		a, b := w.events[i], w.events[j]
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at)
		}
		if a.kind != b.kind {
			return order[a.kind] < order[b.kind]
		}
		return a.stmt < b.stmt
	})
	for range 1 + len(w.events) {
		w.chunks = append(w.chunks, pick(rng, 1, 2, 3, chunk))
	}
	w.desc = fmt.Sprintf("zone %s, %d statements, %d events, policy %+v", zone, len(w.stmts), len(w.events), deadlines.FromConfig(cfg))
	return w
}

// modelRun executes a world against the real scheduler and checks it.
type modelRun struct {
	*simRun
	w      *modelWorld
	sent   map[mailKey]time.Time
	keys   map[string]bool // outbox keys queued by passes
	trace  []string
	passes int
	dries  int
	starts int
}

func (m *modelRun) fail(format string, args ...any) {
	m.t.Helper()
	tail := m.trace
	if len(tail) > 25 {
		tail = tail[len(tail)-25:]
	}
	m.t.Fatalf("seed %d (%s): %s\nlast steps:\n  %s\nreproduce: go test ./scheduler -run 'TestModelFollowUp' -model.seed=%d -v",
		m.w.seed, m.w.desc, fmt.Sprintf(format, args...), strings.Join(tail, "\n  "), m.w.seed)
}

func (m *modelRun) step(format string, args ...any) {
	m.trace = append(m.trace, fmt.Sprintf(format, args...))
}

// reopen closes the store (if open) and starts a new daemon on it.
func (m *modelRun) reopen() {
	if m.db != nil {
		if err := m.db.Close(); err != nil {
			m.fail("close: %v", err)
		}
	}
	m.open()
	m.s.chunk = m.w.chunks[m.starts%len(m.w.chunks)]
	m.starts++
}

// records reads every statement the run recorded.
func (m *modelRun) records(tx *store.Tx) []*liaison.Record {
	var out []*liaison.Record
	for i := range m.w.stmts {
		id := m.ids[i+1]
		if id == "" {
			continue
		}
		r, err := tx.Record(id)
		if err != nil {
			m.fail("read %s: %v", id, err)
		}
		out = append(out, r)
	}
	return out
}

// expected is the specification of a pass at `at`: every mail the policy
// plans for every statement (a full scan, no index), minus those sent.
func (m *modelRun) expected(at time.Time) map[mailKey]bool {
	want := map[mailKey]bool{}
	pol := deadlines.FromConfig(m.cfg)
	err := m.db.View(func(tx *store.Tx) error {
		for _, r := range m.records(tx) {
			for _, a := range pol.Plan(r, at).Actions {
				for _, rc := range recipients(m.s.opt.Settings.Current().Router, m.cfg, r, a) {
					k := mailKey{r.ID, string(a.Kind), strings.ToLower(rc.To.Email), a.Period}
					if _, done := m.sent[k]; !done {
						want[k] = true
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		m.fail("view: %v", err)
	}
	return want
}

// got are the statement mails of a pass (digests are not the policy's).
func got(rep Report) (map[mailKey]bool, []Planned) {
	out := map[mailKey]bool{}
	var list []Planned
	for _, p := range rep.Mails {
		if p.RecordID == "" {
			continue
		}
		out[mailKey{p.RecordID, p.Kind, p.Recipient, p.Period}] = true
		list = append(list, p)
	}
	return out, list
}

func diff(want, have map[mailKey]bool) (missing, extra []string) {
	for k := range want {
		if !have[k] {
			missing = append(missing, k.String())
		}
	}
	for k := range have {
		if !want[k] {
			extra = append(extra, k.String())
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}

// index lists the deadline index as "id kind time" lines.
func (m *modelRun) index() []string {
	var out []string
	err := m.db.View(func(tx *store.Tx) error {
		return tx.DueBefore(time.Unix(1<<40, 0), func(d store.Due) error {
			out = append(out, d.RecordID+" "+d.Kind+" "+d.At.Format(time.RFC3339))
			return nil
		})
	})
	if err != nil {
		m.fail("index: %v", err)
	}
	return out
}

// checkFollowed checks that the pass consumed every index entry due by at,
// and that every statement the policy will look at again has an entry at or
// before that time.
func (m *modelRun) checkFollowed(at time.Time) {
	first := map[string]time.Time{}
	pol := deadlines.FromConfig(m.cfg)
	err := m.db.View(func(tx *store.Tx) error {
		err := tx.DueBefore(time.Unix(1<<40, 0), func(d store.Due) error {
			if !d.At.After(at) {
				m.fail("after the pass at %s, %s's %s entry due %s is still in the index: a pass consumes every entry due", at, d.RecordID, d.Kind, d.At)
			}
			if f, ok := first[d.RecordID]; !ok || d.At.Before(f) {
				first[d.RecordID] = d.At
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range m.records(tx) {
			next := pol.Plan(r, at).Next
			if next.IsZero() {
				continue
			}
			f, ok := first[r.ID]
			switch {
			case !ok:
				m.fail("after the pass at %s, %s (%s) has no index entry; the policy looks at it again at %s", at, r.ID, r.State, next)
			case f.After(next):
				m.fail("after the pass at %s, %s is indexed for %s, after the policy's next look %s", at, r.ID, f, next)
			}
		}
		return nil
	})
	if err != nil {
		m.fail("view: %v", err)
	}
}

// checkIABOnce checks that the IAB is not sent an overdue notice and an
// overdue escalation about the same statement in one pass.
func (m *modelRun) checkIABOnce(at time.Time, mails []Planned) {
	iab := strings.ToLower(m.cfg.IAB.Email)
	kinds := map[string][]string{}
	for _, p := range mails {
		if p.Recipient == iab {
			kinds[p.RecordID] = append(kinds[p.RecordID], p.Kind)
		}
	}
	for id, ks := range kinds {
		if slices.Contains(ks, "overdue") && slices.Contains(ks, "escalation-overdue") {
			m.fail("pass at %s: the IAB got both an overdue notice and an escalation about %s", at, id)
		}
	}
}

func (m *modelRun) act(ev modelEvent) {
	s := m.w.stmts[ev.stmt]
	id := m.ids[s.n]
	m.clock = ev.at
	m.step("%s %s %s", ev.at.Format(time.RFC3339), ev.kind, id)
	// Through the action layer, as any channel would; a delay of a
	// statement answered or closed meanwhile is refused and changes nothing.
	req := map[string]actions.Request{
		"ack":    {Action: actions.Ack},
		"answer": {Action: actions.Answered, Ref: "reply"},
		"delay":  {Action: actions.Delay, Date: liaison.DateOf(simDate(m.w.start, s.to2)).String(), Reason: "WG needs a meeting"},
	}[ev.kind]
	mgr := actions.Actor{Email: "manager@example.org", Channel: liaison.ChannelCLI, Operator: true}
	if _, err := m.a.Apply(id, mgr, req); err != nil {
		if code, _ := actions.CodeOf(err); code != actions.Conflict {
			m.fail("%s %s: %v", ev.kind, id, err)
		}
		m.step("  refused: %v", err)
	}
}

// checkedPass runs a pass (at `at`, the clock saying now) and checks that
// it queued, or in a dry run would queue, exactly what the policy plans.
// It returns the statement mails.
func (m *modelRun) checkedPass(now, at time.Time, dry bool) []Planned {
	what := "pass"
	if dry {
		what = "dry run"
	}
	want := m.expected(at)
	m.clock = now
	rep, err := m.s.Pass(at, dry)
	if err != nil {
		m.fail("%s at %s: %v", what, at, err)
	}
	have, list := got(rep)
	m.step("%s %s at %s (chunk %d): looked %d, %d mails", now.Format(time.RFC3339), what, at.Format(time.RFC3339), m.s.chunk, rep.Looked, len(have))
	if missing, extra := diff(want, have); len(missing)+len(extra) > 0 {
		m.fail("%s at %s: the policy plans but the %s missed %v; the %s has what the policy does not plan %v", what, at, what, missing, what, extra)
	}
	return list
}

func (m *modelRun) pass(ev modelEvent) {
	if ev.restart {
		m.step("restart")
		m.reopen()
	}
	if !ev.dryAt.IsZero() {
		before := m.index()
		m.checkedPass(ev.at, ev.dryAt, true)
		if after := m.index(); !slices.Equal(before, after) {
			m.fail("dry run at %s changed the deadline index:\nbefore %v\nafter  %v", ev.dryAt, before, after)
		}
		m.dries++
	}
	list := m.checkedPass(ev.at, ev.at, false)
	for _, p := range list {
		k := mailKey{p.RecordID, p.Kind, p.Recipient, p.Period}
		if first, dup := m.sent[k]; dup {
			m.fail("pass at %s queued %s again (first at %s)", ev.at, k, first)
		}
		if m.keys[p.Key] {
			m.fail("pass at %s reused the outbox key %s", ev.at, p.Key)
		}
		m.sent[k], m.keys[p.Key] = ev.at, true
	}
	m.checkIABOnce(ev.at, list)
	m.checkFollowed(ev.at)
	m.passes++
}

// checkOutbox checks that the outbox holds exactly the follow-up mails the
// passes reported: none queued behind the report's back.
func (m *modelRun) checkOutbox() {
	kinds := map[string]bool{"reminder": true, "overdue": true, "escalation-ack": true, "escalation-overdue": true}
	err := m.db.View(func(tx *store.Tx) error {
		n := 0
		err := tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			if !kinds[e.Kind] {
				return nil
			}
			n++
			if !m.keys[e.Key] {
				m.fail("the outbox holds %s, which no pass reported", e.Key)
			}
			return nil
		})
		if n != len(m.keys) {
			m.fail("the outbox holds %d follow-up mails, the passes reported %d", n, len(m.keys))
		}
		return err
	})
	if err != nil {
		m.fail("outbox: %v", err)
	}
}

func runModel(t *testing.T, w *modelWorld) (passes, dries, mails int) {
	m := &modelRun{simRun: &simRun{t: t, cfg: w.cfg, start: w.start, ids: map[int]string{}}, w: w,
		sent: map[mailKey]time.Time{}, keys: map[string]bool{}}
	m.reopen()
	defer func() { m.db.Close() }()
	for _, ev := range w.events {
		switch ev.kind {
		case "arrive":
			s := w.stmts[ev.stmt]
			m.clock = s.arrive
			res, err := m.p.Process(pipeline.Input{Raw: s.raw(w.start), Origin: fmt.Sprintf("model:%d", s.n)}, false)
			if err != nil {
				m.fail("ingest %d: %v", s.n, err)
			}
			m.ids[s.n] = res.ID
			m.step("%s arrive %s (%s, %s, deadline day %d of arrival day %d)", s.arrive.Format(time.RFC3339), res.ID, s.org, s.purpose, s.deadline, s.day)
		case "pass":
			m.pass(ev)
		default:
			m.act(ev)
		}
	}
	m.checkOutbox()
	return m.passes, m.dries, len(m.sent)
}

// TestModelFollowUp runs random worlds (statements, people's actions,
// passes at random times with downtime, restarts with a new chunk size, dry
// runs ahead of time) against the real scheduler and store, and checks
// after every step that the scheduler queued exactly the mails the pure
// policy plans over a full scan, each once; that dry runs plan the same and
// change nothing; that every followed statement keeps its index entry; and
// that the outbox holds nothing else.
func TestModelFollowUp(t *testing.T) {
	first, n := uint64(1), *modelSeeds
	switch {
	case *modelSeed != 0:
		first, n = *modelSeed, 1
	case *modelRandom:
		first = rand.Uint64() % 1_000_000
		t.Logf("random first seed %d (reproduce one with -model.seed=N)", first)
	}
	if testing.Short() && *modelSeed == 0 {
		n = min(n, 4)
	}
	began := time.Now()
	var passes, dries, mails, seeds int
	kinds := map[string]int{}
	for seed := first; seed < first+uint64(n); seed++ {
		if time.Since(began) > *modelBudget {
			t.Logf("time budget %s spent after %d seeds", *modelBudget, seeds)
			break
		}
		w := genWorld(t, seed)
		ok := t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			p, d, ml := runModel(t, w)
			passes, dries, mails = passes+p, dries+d, mails+ml
		})
		if !ok {
			break
		}
		seeds++
		for _, ev := range w.events {
			kinds[ev.kind]++
		}
	}
	t.Logf("model: %d seeds from %d, %d statements, %d passes, %d dry runs, %d follow-up mails checked in %s",
		seeds, first, kinds["arrive"], passes, dries, mails, time.Since(began).Round(time.Millisecond))
	if seeds > 0 && mails == 0 {
		t.Error("the model test sent no follow-up mail at all: the worlds exercise nothing")
	}
}
