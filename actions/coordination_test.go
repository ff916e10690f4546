package actions

import (
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/store"
)

// A statement reassigned to other groups is coordinated under them: a
// later statement of another organization to one of its new groups finds
// it, and not under the group it left.
func TestReassignedStatementIsCoordinatedUnderItsNewGroups(t *testing.T) {
	f := newFixture(t) // LS-2026-0001: ITU-T SG15 to ccamp
	bbf := &liaison.Record{ID: "LS-2026-0002", Received: testNow.Add(-24 * time.Hour), State: liaison.StateOpen,
		Extraction: liaison.Extraction{Kind: liaison.KindStatement, MessageID: "bbf-1@broadband-forum.org", Title: "LS on TR-459 access slicing"},
		Routing:    liaison.Routing{OrgID: "bbf", OrgName: "Broadband Forum", Groups: []string{"teas"}}}
	f.put(t, bbf)
	// As the pipeline recorded it: indexed under ccamp.
	sg15 := f.record(t)
	if err := f.db.Update(func(tx *store.Tx) error { return relations.Index(tx, sg15) }); err != nil {
		t.Fatal(err)
	}
	overlaps := func(r *liaison.Record) []string {
		t.Helper()
		var ids []string
		_ = f.db.View(func(tx *store.Tx) error {
			os, err := relations.Overlaps(tx, f.l.opt.Settings.Config(), r)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range os {
				ids = append(ids, o.Record.ID+" "+o.Shared[0])
			}
			return nil
		})
		return ids
	}
	if got := overlaps(bbf); len(got) != 0 {
		t.Fatalf("before the reassignment: overlaps %v", got)
	}
	if _, err := f.l.Apply(id, jane, Request{Action: Reassign, Groups: []string{"teas"}}); err != nil {
		t.Fatal(err)
	}
	if got := overlaps(bbf); len(got) != 1 || got[0] != id+" teas" {
		t.Errorf("after reassigning %s to teas, the BBF statement overlaps %v, want [%s teas]", id, got, id)
	}
	ccampLater := &liaison.Record{ID: "LS-2026-0003", Received: testNow, State: liaison.StateOpen,
		Extraction: liaison.Extraction{Kind: liaison.KindStatement},
		Routing:    liaison.Routing{OrgID: "mef", Groups: []string{"ccamp"}}}
	if got := overlaps(ccampLater); len(got) != 0 {
		t.Errorf("a statement to ccamp, which %s left, overlaps %v", id, got)
	}
}
