package store

import (
	"slices"
	"testing"
)

func TestRefs(t *testing.T) {
	db, dir := openTest(t)
	adds := []struct{ kind, value, id string }{
		{"title", "otn network slicing", "LS-2026-0002"},
		{"title", "otn network slicing", "LS-2026-0001"},
		{"title", "otn network slicing management", "LS-2026-0003"},
		{"peerid", "SG15-LS45", "LS-2026-0001"},
		{"peerid", "SG15-LS45", "LS-2026-0001"}, // twice: one entry
		{"title", "", "LS-2026-0009"},           // empty value: ignored
	}
	if err := db.Update(func(tx *Tx) error {
		for _, a := range adds {
			if err := tx.AddRef(a.kind, a.value, a.id); err != nil {
				return err
			}
		}
		return tx.RemoveRef("title", "otn network slicing", "LS-2026-0002")
	}); err != nil {
		t.Fatal(err)
	}
	// Reopen: the bucket is created on open and the entries persist.
	db.Close()
	db2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	tests := []struct {
		kind, value string
		want        []string
	}{
		{"title", "otn network slicing", []string{"LS-2026-0001"}},
		{"title", "otn network slicing management", []string{"LS-2026-0003"}},
		{"title", "otn network", nil}, // a prefix of a value is not a match
		{"peerid", "SG15-LS45", []string{"LS-2026-0001"}},
		{"peerid", "otn network slicing", nil}, // kinds are separate
		{"title", "", nil},
	}
	_ = db2.View(func(tx *Tx) error {
		for _, tc := range tests {
			if got := tx.Refs(tc.kind, tc.value); !slices.Equal(got, tc.want) {
				t.Errorf("Refs(%q, %q) = %v, want %v", tc.kind, tc.value, got, tc.want)
			}
		}
		return nil
	})
}
