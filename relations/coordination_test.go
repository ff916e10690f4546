package relations

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// coordinate runs Coordinate for rec in a transaction of its own.
func (w *world) coordinate(rec *liaison.Record) []Overlap {
	w.t.Helper()
	var out []Overlap
	err := w.db.Update(func(tx *store.Tx) (err error) {
		out, err = Coordinate(tx, w.set.Current(), w.queueIn(tx, rec.Received), rec, rec.Received)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// TestCoordination: two organizations' statements to one group within the
// window: each side's managers get exactly one note naming the other
// statements and their managers, once however often it is asked; a
// manager already told about an organization's work in a group is not
// told again within the window (the histories still record each overlap);
// statements of the same organization, to other groups or outside the
// window cause none.
func TestCoordination(t *testing.T) {
	w := newWorld(t, orgsBefore)
	jan := paris("2027-01-10 09:00")
	sg15 := w.statement("LS-2027-0001", "sg15", []string{"ccamp", "teas"}, jan, liaison.StateOpen)
	w.statement("LS-2027-0002", "sg15", []string{"ccamp"}, jan.Add(24*time.Hour), liaison.StateOpen) // same organization
	w.statement("LS-2027-0003", "bbf", []string{"opsawg"}, jan.Add(48*time.Hour), liaison.StateOpen) // another group
	bbf := w.statement("LS-2027-0004", "bbf", []string{"ccamp"}, jan.Add(20*24*time.Hour), liaison.StateOpen)

	got := w.coordinate(bbf)
	var ids []string
	for _, o := range got {
		ids = append(ids, o.Record.ID)
	}
	if !slices.Equal(ids, []string{"LS-2027-0001", "LS-2027-0002"}) || !slices.Equal(got[0].Shared, []string{"ccamp"}) {
		t.Fatalf("overlaps = %v (%+v)", ids, got)
	}
	w.coordinate(bbf) // asked again: nothing more
	notes := w.mails(notify.KindCoordination)
	if len(notes) != 2 || len(notes["olu@example.org"]) != 1 || len(notes["olaf@example.org"]) != 1 {
		t.Fatalf("notes = %v", notes)
	}
	olu := text(t, notes["olu@example.org"][0])
	for _, want := range []string{"- LS-2027-0001 from ITU-T SG15", "- LS-2027-0002 from ITU-T SG15", "shared: ccamp", "handled by Olaf Old <olaf@example.org>", "within 60 days"} {
		if !strings.Contains(olu, want) {
			t.Errorf("BBF's manager's note lacks %q:\n%s", want, olu)
		}
	}
	// Olaf gets one note, about the first SG15 statement, naming BBF's:
	// a second about the same BBF statement would tell him nothing new.
	if id := notes["olaf@example.org"][0].RecordID; id != sg15.ID {
		t.Errorf("SG15's manager's note is about %s, want %s", id, sg15.ID)
	}
	for _, e := range notes["olaf@example.org"] {
		body := text(t, e)
		if !strings.Contains(body, "- LS-2027-0004 from Broadband Forum") || !strings.Contains(body, "handled by Olu Adeyemi <olu@example.org>") || strings.Contains(body, "LS-2027-0003") {
			t.Errorf("SG15's manager's note about %s:\n%s", e.RecordID, body)
		}
	}
	if _, evs := w.record(sg15.ID); !hasEvent(evs, liaison.EventOverlap, "LS-2027-0004 from bbf also goes to ccamp") {
		t.Errorf("%s history lacks the overlap: %+v", sg15.ID, evs)
	}

	// Outside the window (60 days by default): nothing.
	late := w.statement("LS-2027-0005", "bbf", []string{"teas"}, jan.Add(61*24*time.Hour), liaison.StateOpen)
	if o := w.coordinate(late); len(o) != 0 {
		t.Errorf("overlaps outside the window: %+v", o)
	}

	// Another BBF statement to ccamp within the window: both managers
	// already know of each other's work there, so no mail, but both
	// histories record it.
	again := w.statement("LS-2027-0006", "bbf", []string{"ccamp"}, jan.Add(30*24*time.Hour), liaison.StateOpen)
	if o := w.coordinate(again); len(o) != 2 {
		t.Fatalf("overlaps of a second BBF statement: %+v", o)
	}
	if n := w.mails(notify.KindCoordination); len(n["olu@example.org"]) != 1 || len(n["olaf@example.org"]) != 1 {
		t.Errorf("notes after a second BBF statement to ccamp: %v", n)
	}
	if _, evs := w.record(sg15.ID); !hasEvent(evs, liaison.EventOverlap, "LS-2027-0006 from bbf also goes to ccamp") {
		t.Errorf("%s history lacks the second overlap: %+v", sg15.ID, evs)
	}
	// A BBF statement to teas, where SG15 works too: that is news.
	teas := w.statement("LS-2027-0007", "bbf", []string{"teas"}, jan.Add(31*24*time.Hour), liaison.StateOpen)
	w.coordinate(teas)
	if n := w.mails(notify.KindCoordination); len(n["olu@example.org"]) != 2 || len(n["olaf@example.org"]) != 2 {
		t.Errorf("notes after a BBF statement to teas: %v", n)
	}
	// Past the window after the notes, ccamp is news again.
	next := w.statement("LS-2027-0008", "sg15", []string{"ccamp"}, jan.Add(85*24*time.Hour), liaison.StateOpen)
	if o := w.coordinate(next); len(o) != 1 || o[0].Record.ID != again.ID {
		t.Fatalf("overlaps of a later SG15 statement: %+v", o)
	}
	if n := w.mails(notify.KindCoordination); len(n["olu@example.org"]) != 3 || len(n["olaf@example.org"]) != 3 {
		t.Errorf("notes once the window after the first notes passed: %v", n)
	}
}

// TestCoordinationIsBounded: a flood of statements to one group costs a
// fixed amount per statement: the most recent MaxOverlaps are named.
func TestCoordinationIsBounded(t *testing.T) {
	w := newWorld(t, orgsBefore)
	jan := paris("2027-01-10 09:00")
	for i := range MaxOverlaps + 5 {
		w.statement(fmt.Sprintf("LS-2027-%04d", i+1), "bbf", []string{"ccamp"}, jan.Add(time.Duration(i)*time.Minute), liaison.StateOpen)
	}
	sg15 := w.statement("LS-2027-0100", "sg15", []string{"ccamp"}, jan.Add(time.Hour), liaison.StateOpen)
	got := w.coordinate(sg15)
	if len(got) != MaxOverlaps || got[0].Record.ID != "LS-2027-0006" || got[len(got)-1].Record.ID != fmt.Sprintf("LS-2027-%04d", MaxOverlaps+5) {
		t.Errorf("%d overlaps, from %s to %s; want the %d most recent", len(got), got[0].Record.ID, got[len(got)-1].Record.ID, MaxOverlaps)
	}
}

// TestCoordinationSameManager: a manager of both relationships is told
// nothing about their own statements.
func TestCoordinationSameManager(t *testing.T) {
	w := newWorld(t, strings.ReplaceAll(orgsBefore, "olu@example.org", "olaf@example.org"))
	jan := paris("2027-01-10 09:00")
	w.statement("LS-2027-0001", "sg15", []string{"ccamp"}, jan, liaison.StateOpen)
	bbf := w.statement("LS-2027-0002", "bbf", []string{"ccamp"}, jan.Add(time.Hour), liaison.StateOpen)
	if o := w.coordinate(bbf); len(o) != 1 {
		t.Fatalf("overlaps = %+v", o)
	}
	if n := w.mails(notify.KindCoordination); len(n) != 0 {
		t.Errorf("notes to the manager of both: %v", n)
	}
}

// TestOthersForDigest: a manager's digest lists other relationships'
// statements to the groups of the manager's open statements.
func TestOthersForDigest(t *testing.T) {
	w := newWorld(t, orgsBefore)
	jan := paris("2027-01-10 09:00")
	w.statement("LS-2027-0001", "sg15", []string{"ccamp"}, jan, liaison.StateOpen)
	w.statement("LS-2027-0002", "bbf", []string{"ccamp", "opsawg"}, jan.Add(24*time.Hour), liaison.StateOpen)
	w.statement("LS-2027-0003", "bbf", []string{"opsawg"}, jan.Add(24*time.Hour), liaison.StateOpen)
	var got []templates.OverlapItem
	err := w.db.View(func(tx *store.Tx) (err error) {
		got, err = Others(tx, w.set.Current(), "olaf@example.org", []string{"ccamp"}, jan.Add(7*24*time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "LS-2027-0002" || !slices.Equal(got[0].Shared, []string{"ccamp"}) || got[0].Managers != "Olu Adeyemi <olu@example.org>" {
		t.Errorf("others = %+v", got)
	}
}

// TestIndexExisting: statements recorded before the group index existed
// are indexed once, and then overlap like any other; groups whose names
// prefix each other do not mix.
func TestIndexExisting(t *testing.T) {
	w := newWorld(t, orgsBefore)
	jan := paris("2027-01-10 09:00")
	stmt := func(id, org, group string) *liaison.Record {
		return &liaison.Record{ID: id, Received: jan, State: liaison.StateOpen,
			Extraction: liaison.Extraction{Kind: liaison.KindStatement, Direction: liaison.Incoming},
			Routing:    liaison.Routing{OrgID: org, Groups: []string{group}}}
	}
	// A database written before the group index existed.
	db, err := store.Open(filepath.Join(w.dir, "legacy"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *store.Tx) error {
		for _, r := range []*liaison.Record{stmt("LS-2027-0001", "sg15", "teas"), stmt("LS-2027-0002", "sg15", "tea")} {
			if err := tx.PutRecord(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	bbf := stmt("LS-2027-0003", "bbf", "teas")
	bbf.Received = jan.Add(time.Hour)
	count := func() int {
		var o []Overlap
		if err := db.View(func(tx *store.Tx) (err error) { o, err = Overlaps(tx, w.set.Config(), bbf); return err }); err != nil {
			t.Fatal(err)
		}
		return len(o)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d overlaps before indexing", n)
	}
	for range 2 { // the second run is a no-op
		if err := db.Update(IndexExisting); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 1 {
		t.Errorf("%d overlaps after indexing the existing statements, want 1 (teas, not tea)", n)
	}
}
