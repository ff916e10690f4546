package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// TestRelationshipHistoryAndAppointments: each relationship has its own
// history (organization ids that prefix each other do not mix), the last n
// events come oldest first, appointments survive a reopen, and Check
// reads both buckets.
func TestRelationshipHistoryAndAppointments(t *testing.T) {
	db, dir := openTest(t)
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	err := db.Update(func(tx *Tx) error {
		for i := range 5 {
			for _, org := range []string{"bbf", "bbf2", "b"} {
				ev := liaison.Event{At: at.Add(time.Duration(i) * time.Hour), Type: liaison.EventNote, Detail: fmt.Sprintf("%s %d", org, i)}
				if err := tx.AddRelationshipEvent(org, ev); err != nil {
					return err
				}
			}
		}
		if err := tx.AddRelationshipEvent(" ", liaison.Event{At: at}); err == nil {
			t.Error("an event without an organization was stored")
		}
		return tx.SetAppointments("bbf", Appointments{Managers: []liaison.Contact{{Name: "Olu", Email: "olu@example.org"}}, At: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	details := func(evs []liaison.Event) string {
		var out []string
		for _, e := range evs {
			out = append(out, e.Detail)
		}
		return strings.Join(out, ",")
	}
	err = db.View(func(tx *Tx) error {
		for _, tt := range []struct {
			org  string
			n    int
			want string
		}{
			{"bbf", 0, "bbf 0,bbf 1,bbf 2,bbf 3,bbf 4"},
			{"bbf", 2, "bbf 3,bbf 4"},
			{"bbf2", 3, "bbf2 2,bbf2 3,bbf2 4"},
			{"b", 10, "b 0,b 1,b 2,b 3,b 4"},
			{"none", 3, ""},
		} {
			evs, err := tx.RelationshipEvents(tt.org, tt.n)
			if err != nil {
				return err
			}
			if got := details(evs); got != tt.want {
				t.Errorf("RelationshipEvents(%s, %d) = %q, want %q", tt.org, tt.n, got, tt.want)
			}
		}
		a, ok, err := tx.Appointments("bbf")
		if err != nil || !ok || len(a.Managers) != 1 || a.Managers[0].Email != "olu@example.org" || !a.At.Equal(at) {
			t.Errorf("Appointments(bbf) = %+v, %v, %v", a, ok, err)
		}
		if _, ok, _ := tx.Appointments("mef"); ok {
			t.Error("appointments of an organization never recorded")
		}
		n := 0
		if err := tx.ForEachAppointments(func(org string, _ Appointments) error { n++; return nil }); err != nil || n != 1 {
			t.Errorf("ForEachAppointments: %d, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	rep, err := ro.Check(0)
	if err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", err, rep.Problems)
	}
	if rep.Counts["rel_events"] != 15 || rep.Counts["rel_state"] != 1 {
		t.Errorf("counts %v", rep.Counts)
	}
}
