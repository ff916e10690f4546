package store

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

func summaryRec(id, title, body string, deadline liaison.Date) *liaison.Record {
	return &liaison.Record{ID: id, Received: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), State: liaison.StateOpen,
		Extraction: liaison.Extraction{Kind: liaison.KindStatement, Title: title, Body: body, Deadline: deadline}}
}

func putRecords(t *testing.T, db *DB, recs ...*liaison.Record) {
	t.Helper()
	if err := db.Update(func(tx *Tx) error {
		for _, r := range recs {
			if err := tx.PutRecord(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func summaryIDs(t *testing.T, db *DB) []string {
	t.Helper()
	list, err := db.Summaries()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestSummariesOrderAndIncrementalUpdates(t *testing.T) {
	db, _ := openTest(t)
	d := func(m time.Month, day int) liaison.Date { return liaison.Date{Year: 2026, Month: m, Day: day} }
	// Two records exist before the index is built, one is added after.
	putRecords(t, db, summaryRec("LS-2026-0001", "late", "", d(5, 1)), summaryRec("LS-2026-0002", "undated", "", liaison.Date{}))
	if got, want := summaryIDs(t, db), []string{"LS-2026-0001", "LS-2026-0002"}; !slices.Equal(got, want) {
		t.Fatalf("built index = %v, want %v", got, want)
	}
	steps := []struct {
		name string
		rec  *liaison.Record
		want []string
	}{
		{"new record sorts first", summaryRec("LS-2026-0003", "soon", "", d(4, 1)), []string{"LS-2026-0003", "LS-2026-0001", "LS-2026-0002"}},
		{"deadline moved later", summaryRec("LS-2026-0003", "soon", "", d(6, 1)), []string{"LS-2026-0001", "LS-2026-0003", "LS-2026-0002"}},
		{"undated gets a deadline", summaryRec("LS-2026-0002", "undated", "", d(1, 1)), []string{"LS-2026-0002", "LS-2026-0001", "LS-2026-0003"}},
	}
	for _, st := range steps {
		putRecords(t, db, st.rec)
		if got := summaryIDs(t, db); !slices.Equal(got, st.want) {
			t.Errorf("%s: index = %v, want %v", st.name, got, st.want)
		}
	}
	// A rolled-back transaction leaves the index alone.
	_ = db.Update(func(tx *Tx) error {
		_ = tx.PutRecord(summaryRec("LS-2026-0009", "rolled back", "", d(1, 1)))
		return ErrNotFound
	})
	if got := summaryIDs(t, db); len(got) != 3 {
		t.Errorf("after rollback: %v", got)
	}
}

func TestTextMatches(t *testing.T) {
	db, _ := openTest(t)
	putRecords(t, db, summaryRec("LS-2026-0001", "OTN Control", "Please consider G.709 Amendment", liaison.Date{}))
	cases := []struct {
		needle string
		want   bool
	}{{"otn control", true}, {"g.709 amendment", true}, {"ccamp", false}}
	for _, c := range cases {
		var got bool
		if err := db.View(func(tx *Tx) (err error) { got, err = tx.TextMatches("LS-2026-0001", c.needle); return err }); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("TextMatches(%q) = %v, want %v", c.needle, got, c.want)
		}
	}
}

func TestSearchTextIsLowerCased(t *testing.T) {
	for _, x := range []liaison.Extraction{
		{Title: "LS on OTN", Subject: "Re: LS", Body: "Body TEXT\r\nline 2"},
		{Title: "Été ÀÉ", Subject: "İstanbul KELVIN \u212a", Body: "ASCII ONLY"},
		{},
	} {
		r := &liaison.Record{Extraction: x}
		want := strings.ToLower(x.Title + "\n" + x.Subject + "\n" + x.Body)
		if got := string(searchText(r)); got != want {
			t.Errorf("searchText(%q) = %q, want %q", x.Title, got, want)
		}
	}
}
