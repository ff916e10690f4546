package scheduler

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// simStmt is one statement of the simulated year; days count from the
// simulation's first day, -1 means never.
type simStmt struct {
	n, day      int
	org, to     string
	outgoing    bool
	purpose     string
	deadline    int
	ack, answer int
	delay, to2  int // day of a delay and the new deadline day
}

var simOrgs = []struct{ from, to string }{
	{"ITU-T SG15", "Common Control and Measurement Plane (ccamp@ietf.example)"},
	{"ITU-T SG13", "Operations and Management Area Working Group (opsawg@ietf.example)"},
	{"3GPP SA2", "Distributed Mobility Management (dmm@ietf.example)"},
	{"IEEE 802.1", "Deterministic Networking (detnet@ietf.example)"},
	{"Broadband Forum", "Operations and Management Area Working Group (opsawg@ietf.example)"},
	{"ETSI TC CYBER", "Limited Additional Mechanisms for PKIX and SMIME (lamps@ietf.example)"}, // no manager
}

// genYear makes the 200 statements of the simulated year from a seed.
func genYear(seed uint64) []simStmt {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	out := make([]simStmt, 200)
	for i := range out {
		s := simStmt{n: i + 1, day: rng.IntN(300), deadline: -1, ack: -1, answer: -1, delay: -1, to2: -1}
		o := simOrgs[rng.IntN(len(simOrgs))]
		s.org, s.to = o.from, o.to
		switch p := rng.IntN(10); {
		case p < 5:
			s.purpose = "For action"
		case p < 7:
			s.purpose = "For comment"
		case p < 9:
			s.purpose = "For information"
		default:
			s.purpose = "For action" // without a deadline
		}
		if s.purpose != "For information" && rng.IntN(10) < 9 {
			s.deadline = s.day + 3 + rng.IntN(60)
		}
		s.outgoing = rng.IntN(10) == 0 && s.deadline >= 0
		if rng.IntN(10) < 6 { // acknowledged, some late
			s.ack = s.day + rng.IntN(12)
		}
		if s.deadline >= 0 && rng.IntN(10) < 5 { // answered, some after the deadline
			s.answer = s.day + rng.IntN(s.deadline-s.day+20)
		}
		if s.deadline >= 0 && rng.IntN(10) == 0 { // delayed before the deadline
			s.delay = s.day + rng.IntN(s.deadline-s.day+1)
			s.to2 = s.deadline + 7 + rng.IntN(21)
		}
		out[i] = s
	}
	return out
}

func simDate(start time.Time, day int) time.Time { return start.AddDate(0, 0, day) }

func (s simStmt) raw(start time.Time) []byte {
	at := simDate(start, s.day).Add(8*time.Hour + time.Duration(s.n)*time.Minute)
	title := fmt.Sprintf("LS %03d on simulated work item %d", s.n, s.n*7)
	from, to, rc := s.org, s.to, fmt.Sprintf("Peer Contact %d <peer%d@example.com>", s.n, s.n)
	if s.outgoing {
		from, to, rc = "IETF OPSAWG WG", s.org, "OPSAWG chairs <opsawg-chairs@ietf.example>"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Liaison Statement Management Tool <lsmt@ietf.example>\r\nTo: statements@ietf.example\r\n")
	fmt.Fprintf(&b, "Subject: New Liaison Statement, \"%s\"\r\nDate: %s\r\nMessage-ID: <sim-%d@ietfa.ietf.example>\r\n", title, at.Format(time.RFC1123Z), s.n)
	fmt.Fprintf(&b, "Auto-Submitted: auto-generated\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	fmt.Fprintf(&b, "Title: %s\r\nSubmission Date: %s\r\n", title, at.Format("2006-01-02"))
	if s.deadline >= 0 {
		fmt.Fprintf(&b, "Please reply by: %s\r\n", simDate(start, s.deadline).Format("2006-01-02"))
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nResponse Contacts: %s\r\nPurpose: %s\r\n\r\nReferenced liaison: (None)\r\n\r\n", from, to, rc, s.purpose)
	fmt.Fprintf(&b, "Body: This simulated statement number %d asks for nothing real.\r\n", s.n)
	return b.Bytes()
}

// simRun is one run of the simulated year.
type simRun struct {
	t     *testing.T
	cfg   *config.Config
	start time.Time
	clock time.Time
	db    *store.DB
	p     *pipeline.Pipeline
	a     *actions.Layer
	s     *Scheduler
	ids   map[int]string
}

func (r *simRun) open() {
	r.t.Helper()
	db, err := store.Open(r.cfg.DataDir, store.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return r.clock }
	s, set, n := newTestScheduler(r.t, r.cfg, db, now, log)
	a, err := actions.New(actions.Options{Settings: set, Notify: n, DB: db, Now: now, Log: log})
	if err != nil {
		r.t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Options{Settings: set, Notify: n, Actions: a, DB: db, Now: now, Log: log})
	if err != nil {
		r.t.Fatal(err)
	}
	r.db, r.p, r.s, r.a = db, p, s, a
}

func simConfig(t testing.TB) *config.Config {
	t.Helper()
	dir := t.TempDir()
	y := strings.Replace(string(examples.Config), "timezone: UTC", "timezone: Europe/Paris", 1)
	cfg, err := config.Parse(filepath.Join(dir, "liaisond.yaml"), []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runYear drives the year day by day: statements arrive at 08:00, managers
// act at 10:00, and `sweep --at "DAY 12:00"` runs. restart says on which
// days the store is closed and reopened (a killed daemon). It returns the
// mails the sweeps queued, one line each.
func runYear(t *testing.T, stmts []simStmt, restart func(day int) bool) []string {
	cfg := simConfig(t)
	start := time.Date(2027, 1, 4, 0, 0, 0, 0, cfg.Location)
	r := &simRun{t: t, cfg: cfg, start: start, ids: map[int]string{}}
	r.open()
	defer func() { r.db.Close() }()
	byDay := map[int][]simStmt{}
	for _, s := range stmts {
		byDay[s.day] = append(byDay[s.day], s)
	}
	seen := map[string]string{}
	var lines []string
	for day := 0; day < 365; day++ {
		if restart(day) {
			if err := r.db.Close(); err != nil {
				t.Fatal(err)
			}
			r.open()
		}
		date := simDate(start, day)
		for _, s := range byDay[day] {
			r.clock = date.Add(8*time.Hour + time.Duration(s.n)*time.Minute)
			res, err := r.p.Process(pipeline.Input{Raw: s.raw(start), Origin: fmt.Sprintf("sim:%d", s.n)}, false)
			if err != nil {
				t.Fatal(err)
			}
			r.ids[s.n] = res.ID
		}
		r.clock = date.Add(10 * time.Hour)
		// The manager's actions, through the action layer as any channel.
		mgr := actions.Actor{Email: "manager@example.org", Channel: liaison.ChannelCLI, Operator: true}
		for _, s := range stmts {
			id := r.ids[s.n]
			var req actions.Request
			switch {
			case id == "":
				continue
			case s.ack == day:
				req = actions.Request{Action: actions.Ack}
			case s.answer == day:
				req = actions.Request{Action: actions.Answered, Ref: "reply"}
			case s.delay == day:
				req = actions.Request{Action: actions.Delay, Date: liaison.DateOf(simDate(start, s.to2)).String(), Reason: "WG needs a meeting"}
			default:
				continue
			}
			// A delay of a statement answered earlier is refused (a
			// conflict) and changes nothing, as it would for a manager.
			if _, err := r.a.Apply(id, mgr, req); err != nil {
				if code, _ := actions.CodeOf(err); code != actions.Conflict {
					t.Fatalf("day %d: %s %s: %v", day, req.Action, id, err)
				}
			}
		}
		at, err := ParseAt(date.Format("2006-01-02")+" 12:00", cfg.Location)
		if err != nil {
			t.Fatal(err)
		}
		r.clock = at
		if restart(day) { // a dry run first must change nothing
			dry, err := r.s.Pass(at, true)
			if err != nil {
				t.Fatal(err)
			}
			real, err := r.s.Pass(at, false)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(dry.Mails) != fmt.Sprint(real.Mails) {
				t.Fatalf("day %d: dry run planned %v, the real pass queued %v", day, dry.Mails, real.Mails)
			}
			lines = appendMails(t, lines, seen, at, real)
			continue
		}
		rep, err := r.s.Pass(at, false)
		if err != nil {
			t.Fatal(err)
		}
		lines = appendMails(t, lines, seen, at, rep)
	}
	// Every queued key is in the outbox exactly once.
	err := r.db.View(func(tx *store.Tx) error {
		for k := range seen {
			if !tx.HasOutbox(k) {
				t.Errorf("key %s reported but not in the outbox", k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func appendMails(t *testing.T, lines []string, seen map[string]string, at time.Time, rep Report) []string {
	t.Helper()
	day := at.Format("2006-01-02")
	for _, m := range rep.Mails {
		if first, dup := seen[m.Key]; dup {
			t.Errorf("%s: %s queued again (first on %s)", day, m.Key, first)
		}
		seen[m.Key] = day
		lines = append(lines, fmt.Sprintf("%s %-18s %-12s %-34s %s", day, m.Kind, dash(m.RecordID), m.Recipient, m.Period))
	}
	return lines
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func TestSimulatedYear(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated year skipped in -short mode")
	}
	stmts := genYear(2027)
	straight := runYear(t, stmts, func(int) bool { return false })
	rng := rand.New(rand.NewPCG(7, 11))
	kills := map[int]bool{}
	for len(kills) < 25 {
		kills[1+rng.IntN(364)] = true
	}
	restarted := runYear(t, stmts, func(day int) bool { return kills[day] })
	if a, b := strings.Join(straight, "\n"), strings.Join(restarted, "\n"); a != b {
		t.Errorf("a run restarted on %d days sent a different set of mails than a straight run", len(kills))
	}
	// Sanity: the year exercises every kind of mail.
	kinds := map[string]int{}
	for _, l := range straight {
		kinds[strings.Fields(l)[1]]++
	}
	for _, k := range []string{"reminder", "overdue", "escalation-ack", "escalation-overdue", "digest", "iab-overview"} {
		if kinds[k] == 0 {
			t.Errorf("the simulated year sent no %s", k)
		}
	}
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var summary []string
	for _, k := range keys {
		summary = append(summary, fmt.Sprintf("%s=%d", k, kinds[k]))
	}
	t.Logf("simulated year: %d mails: %s", len(straight), strings.Join(summary, " "))

	golden := filepath.Join("testdata", "simyear.golden")
	got := strings.Join(straight, "\n") + "\n"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("mails differ from %s at line %d:\n got  %q\n want %q\n(run with -update after checking)", golden, i+1, g, w)
			}
		}
	}
}
