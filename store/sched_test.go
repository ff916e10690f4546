package store

import (
	"slices"
	"testing"
	"time"
)

func TestOpenIndex(t *testing.T) {
	db, _ := openTest(t)
	steps := []struct {
		id     string
		owners []string
		want   map[string][]string // owner -> ids
	}{
		{"LS-1", []string{"Jane@x.org", "kenji@x.org"}, map[string][]string{"jane@x.org": {"LS-1"}, "kenji@x.org": {"LS-1"}}},
		{"LS-2", []string{"jane@x.org"}, map[string][]string{"jane@x.org": {"LS-1", "LS-2"}, "kenji@x.org": {"LS-1"}}},
		{"LS-1", []string{"iab"}, map[string][]string{"jane@x.org": {"LS-2"}, "kenji@x.org": nil, "iab": {"LS-1"}}},
		{"LS-2", nil, map[string][]string{"jane@x.org": nil, "iab": {"LS-1"}}},
	}
	for i, st := range steps {
		err := db.Update(func(tx *Tx) error {
			if err := tx.SetOpen(st.id, st.owners); err != nil {
				return err
			}
			for owner, want := range st.want {
				var got []string
				if err := tx.OpenFor(owner, func(id string) error { got = append(got, id); return nil }); err != nil {
					return err
				}
				if !slices.Equal(got, want) {
					t.Errorf("step %d: OpenFor(%s) = %v, want %v", i, owner, got, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestReceivedBetweenAndDigestState(t *testing.T) {
	db, dir := openTest(t)
	t0 := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	err := db.Update(func(tx *Tx) error {
		for i, id := range []string{"LS-1", "LS-2", "LS-3", "LS-4"} {
			if err := tx.IndexReceived(id, t0.Add(time.Duration(i)*24*time.Hour)); err != nil {
				return err
			}
		}
		return tx.SetDigestState("Jane@x.org", DigestState{Period: "2027-W09", At: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		from, to time.Time
		want     []string
	}{
		{t0, t0.Add(48 * time.Hour), []string{"LS-2", "LS-3"}}, // after from, up to and including to
		{t0.Add(-time.Second), t0, []string{"LS-1"}},
		{t0.Add(72 * time.Hour), t0.Add(100 * time.Hour), nil},
	}
	db.Close()
	db, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *Tx) error {
		for _, tc := range tests {
			var got []string
			if err := tx.ReceivedBetween(tc.from, tc.to, func(id string) error { got = append(got, id); return nil }); err != nil {
				return err
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ReceivedBetween(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
			}
		}
		st, ok, err := tx.DigestState("jane@x.org")
		if err != nil || !ok || st.Period != "2027-W09" || !st.At.Equal(t0) {
			t.Errorf("DigestState after reopen = %+v %v %v", st, ok, err)
		}
		if _, ok, _ := tx.DigestState("kenji@x.org"); ok {
			t.Error("state for a recipient never sent a digest")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestClearDueThrough(t *testing.T) {
	db, _ := openTest(t)
	base := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(func(tx *Tx) error {
		for _, e := range []struct {
			id, kind string
			days     int
		}{
			{"LS-1", "deadline", -2}, {"LS-1", "sched", 0}, {"LS-1", "later", 3},
			{"LS-10", "sched", -1}, // shares LS-1's prefix: must stay
		} {
			if err := tx.SetDue(e.id, e.kind, base.AddDate(0, 0, e.days)); err != nil {
				return err
			}
		}
		if err := tx.ClearDueThrough("LS-1", base); err != nil {
			return err
		}
		for _, c := range []struct {
			id, kind string
			want     bool
		}{{"LS-1", "deadline", false}, {"LS-1", "sched", false}, {"LS-1", "later", true}, {"LS-10", "sched", true}} {
			if _, ok := tx.DueAt(c.id, c.kind); ok != c.want {
				t.Errorf("after ClearDueThrough: entry %s/%s present = %v, want %v", c.id, c.kind, ok, c.want)
			}
		}
		var left []string
		err := tx.DueBefore(base.AddDate(0, 0, 10), func(d Due) error { left = append(left, d.RecordID+"/"+d.Kind); return nil })
		if !slices.Equal(left, []string{"LS-10/sched", "LS-1/later"}) {
			t.Errorf("index after ClearDueThrough = %v", left)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
