package mailproc_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/routing"
)

// holdoutDir holds the held-out set: real statements reconstructed as the
// mail that arrives at the liaison address, with expectations written
// before the extractor was run on them (testdata/holdout/README.md).
const holdoutDir = "../testdata/holdout"

// holdoutMinAccuracy is the share of scored fields the extractor and the
// router must get right on the held-out set. It is a floor against
// regressions, not a goal: the misses are printed with -v. Every field is
// read right today (testdata/holdout/README.md has the history); the floor
// leaves room for a few debatable readings, not for a lost rule.
const holdoutMinAccuracy = 0.98

// holdoutWant is one held-out expectation. A nil field is not scored.
type holdoutWant struct {
	Source string `json:"source"`
	Shape  string `json:"shape"`
	Notes  string `json:"notes"`
	// NotStatement: the message must not be read as a new statement
	// (a reply, an acknowledgement).
	NotStatement         bool      `json:"not_statement"`
	Kind                 *string   `json:"kind"`
	Direction            *string   `json:"direction"`
	Title                *string   `json:"title"`
	Purpose              *string   `json:"purpose"`
	Deadline             *string   `json:"deadline"`
	FromOrg              *string   `json:"from_org"`
	Groups               *[]string `json:"groups"`
	GroupsInclude        []string  `json:"groups_include"`
	ResponseContacts     *[]string `json:"response_contacts"`
	TechnicalContacts    *[]string `json:"technical_contacts"`
	InResponseToContains *string   `json:"in_response_to_contains"`
	OtherIDs             []string  `json:"other_ids"`
}

// holdoutScore counts, per field, the values scored and the misses.
type holdoutScore struct {
	scored map[string]int
	missed map[string][]string
}

func (s *holdoutScore) check(field, file string, ok bool, format string, args ...any) {
	s.scored[field]++
	if !ok {
		s.missed[field] = append(s.missed[field], file+": "+fmt.Sprintf(format, args...))
	}
}

func (s *holdoutScore) totals() (scored, missed int) {
	for f, n := range s.scored {
		scored += n
		missed += len(s.missed[f])
	}
	return scored, missed
}

// TestHoldout parses and routes every held-out message with the example
// configuration, scores each listed field, logs the accuracy per field and
// every miss, and fails below holdoutMinAccuracy.
func TestHoldout(t *testing.T) {
	cfg, err := config.Load("../examples/liaisond.yaml")
	if err != nil {
		t.Fatal(err)
	}
	router, err := routing.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	opt := corpusOptions
	opt.LiaisonAddresses = append([]string{cfg.LiaisonAddress}, cfg.LiaisonAliases...)

	emls, err := filepath.Glob(filepath.Join(holdoutDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(emls) < 30 {
		t.Fatalf("held-out set has %d messages, want at least 30", len(emls))
	}
	s := &holdoutScore{scored: map[string]int{}, missed: map[string][]string{}}
	batches := map[string][2]int{} // batch: scored, missed
	for _, eml := range emls {
		name := strings.TrimSuffix(filepath.Base(eml), ".eml")
		raw, err := os.ReadFile(eml)
		if err != nil {
			t.Fatal(err)
		}
		js, err := os.ReadFile(strings.TrimSuffix(eml, ".eml") + ".json")
		if err != nil {
			t.Errorf("%s has no expectation: %v", name, err)
			continue
		}
		var w holdoutWant
		if err := decodeStrict(js, &w); err != nil {
			t.Errorf("%s.json: %v", name, err)
			continue
		}
		if w.Source == "" {
			t.Errorf("%s.json: no source", name)
		}
		x := mailproc.Parse(raw, opt)
		var r liaison.Routing
		if x.Kind == liaison.KindStatement {
			r = router.Route(x, routing.Context{})
		}
		before, beforeMissed := s.totals()
		scoreHoldout(s, name, w, x, r)
		after, afterMissed := s.totals()
		b := holdoutBatch(w.Shape)
		batches[b] = [2]int{batches[b][0] + after - before, batches[b][1] + afterMissed - beforeMissed}
	}

	fields := make([]string, 0, len(s.scored))
	for f := range s.scored {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		n, m := s.scored[f], len(s.missed[f])
		t.Logf("%-20s %3d/%3d  %5.1f%%", f, n-m, n, 100*float64(n-m)/float64(n))
	}
	scored, missed := s.totals()
	acc := float64(scored-missed) / float64(scored)
	t.Logf("%-20s %3d/%3d  %5.1f%%  (%d messages)", "overall", scored-missed, scored, 100*acc, len(emls))
	names := make([]string, 0, len(batches))
	for b := range batches {
		names = append(names, b)
	}
	sort.Strings(names)
	for _, b := range names {
		n, m := batches[b][0], batches[b][1]
		t.Logf("%-20s %3d/%3d  %5.1f%%", b, n-m, n, 100*float64(n-m)/float64(n))
	}
	for _, f := range fields {
		for _, miss := range s.missed[f] {
			t.Logf("miss %s: %s", f, miss)
		}
	}
	if acc < holdoutMinAccuracy {
		t.Errorf("held-out accuracy %.1f%%, want at least %.0f%% (run with -v for the misses)", 100*acc, 100*holdoutMinAccuracy)
	}
}

// holdoutBatch is the batch a message was written in: its shape says
// "batch N:" from the second batch on (README.md).
func holdoutBatch(shape string) string {
	if b, _, ok := strings.Cut(shape, ":"); ok && strings.HasPrefix(b, "batch ") {
		return b
	}
	return "batch 1"
}

// scoreHoldout scores one message's listed fields.
func scoreHoldout(s *holdoutScore, file string, w holdoutWant, x *liaison.Extraction, r liaison.Routing) {
	if w.NotStatement {
		s.check("kind", file, x.Kind != liaison.KindStatement, "want not a statement, got %s", x.Kind)
	}
	str := func(field string, want *string, got string) {
		if want != nil {
			s.check(field, file, norm(*want) == norm(got), "want %q, got %q", *want, got)
		}
	}
	str("kind", w.Kind, string(x.Kind))
	str("direction", w.Direction, string(x.Direction))
	str("title", w.Title, x.Title)
	str("purpose", w.Purpose, string(x.Purpose))
	str("deadline", w.Deadline, x.Deadline.String())
	str("from_org", w.FromOrg, r.OrgID)
	if w.Groups != nil {
		want := slices.Clone(*w.Groups)
		slices.Sort(want)
		got := slices.Clone(r.Groups)
		slices.Sort(got)
		s.check("groups", file, slices.Equal(want, got), "want %v, got %v", want, got)
	}
	if len(w.GroupsInclude) > 0 {
		ok := true
		for _, g := range w.GroupsInclude {
			ok = ok && slices.Contains(r.Groups, g)
		}
		s.check("groups", file, ok, "want %v among %v", w.GroupsInclude, r.Groups)
	}
	contacts := func(field string, want *[]string, got []liaison.Contact) {
		if want == nil {
			return
		}
		var g, wl []string
		for _, c := range got {
			g = append(g, strings.ToLower(c.Email))
		}
		for _, e := range *want {
			wl = append(wl, strings.ToLower(e))
		}
		sort.Strings(g)
		sort.Strings(wl)
		s.check(field, file, slices.Equal(g, wl), "want %v, got %v", wl, g)
	}
	contacts("response_contacts", w.ResponseContacts, x.ResponseContacts)
	contacts("technical_contacts", w.TechnicalContacts, x.TechnicalContacts)
	if w.InResponseToContains != nil {
		sub := strings.ToLower(norm(*w.InResponseToContains))
		got := strings.ToLower(norm(x.InResponseTo))
		ok := strings.Contains(got, sub) && (sub != "" || got == "")
		s.check("in_response_to", file, ok, "want %q in %q", *w.InResponseToContains, x.InResponseTo)
	}
	for _, id := range w.OtherIDs {
		s.check("other_ids", file, slices.ContainsFunc(x.OtherIDs, func(o string) bool {
			return strings.EqualFold(strings.TrimSpace(o), id)
		}), "want %q among %q", id, x.OtherIDs)
	}
}
