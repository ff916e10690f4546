package store

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ietf-tools/liaisond/liaison"
)

func openTest(t *testing.T) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := Open(dir, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

func TestIDsAreSequentialPerYearAndSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = db.Update(func(tx *Tx) error {
		for _, y := range []int{2026, 2026, 2027} {
			id, err := tx.NextID("LS", y)
			if err != nil {
				return err
			}
			got = append(got, id)
		}
		return nil
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
	_ = db.Update(func(tx *Tx) error {
		id, _ := tx.NextID("LS", 2026)
		got = append(got, id)
		id, _ = tx.NextID("MSG", 2026)
		got = append(got, id)
		return nil
	})
	want := "LS-2026-0001 LS-2026-0002 LS-2027-0001 LS-2026-0003 MSG-2026-0001"
	if strings.Join(got, " ") != want {
		t.Errorf("ids = %v, want %s", got, want)
	}
}

func TestRecordIndexes(t *testing.T) {
	db, _ := openTest(t)
	r := &liaison.Record{ID: "LS-2026-0001", Extraction: liaison.Extraction{MessageID: "a@x", ContentHash: "h1", Title: "OTN YANG"}}
	dup := &liaison.Record{ID: "MSG-2026-0001", DuplicateOf: "LS-2026-0001", Extraction: liaison.Extraction{MessageID: "b@x", ContentHash: "h1"}}
	if err := db.Update(func(tx *Tx) error {
		if err := tx.PutRecord(r); err != nil {
			return err
		}
		return tx.PutRecord(dup)
	}); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		cases := []struct{ name, got, want string }{
			{"msgid a", first(tx.ByMessageID("a@x")), "LS-2026-0001"},
			{"msgid b", first(tx.ByMessageID("b@x")), "MSG-2026-0001"},
			{"hash", first(tx.ByContentHash("h1")), "LS-2026-0001"},
			{"missing", first(tx.ByMessageID("zz")), ""},
		}
		for _, c := range cases {
			if c.got != c.want {
				t.Errorf("%s: got %q want %q", c.name, c.got, c.want)
			}
		}
		got, err := tx.Record("LS-2026-0001")
		if err != nil || got.Extraction.Title != "OTN YANG" {
			t.Errorf("Record = %+v, %v", got, err)
		}
		if _, err := tx.Record("nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing record err = %v", err)
		}
		if n := tx.CountRecords(); n != 2 {
			t.Errorf("CountRecords = %d", n)
		}
		return nil
	})
}

func first(s string, _ bool) string { return s }

// RecordShared decodes a record once per transaction, until PutRecord
// replaces it; another transaction decodes it again.
func TestRecordShared(t *testing.T) {
	db, _ := openTest(t)
	r := &liaison.Record{ID: "LS-2026-0001", Extraction: liaison.Extraction{Title: "OTN YANG"}}
	if err := db.Update(func(tx *Tx) error { return tx.PutRecord(r) }); err != nil {
		t.Fatal(err)
	}
	var kept *liaison.Record
	if err := db.Update(func(tx *Tx) error {
		a, err := tx.RecordShared(r.ID)
		if err != nil {
			return err
		}
		b, _ := tx.RecordShared(r.ID)
		if a != b || a.Extraction.Title != "OTN YANG" {
			t.Errorf("RecordShared twice: %p %p %+v", a, b, a.Extraction)
		}
		if c, _ := tx.Record(r.ID); c == a {
			t.Error("Record returned the shared value")
		}
		kept = a
		changed := *a
		changed.Extraction.Title = "OTN YANG, corrected"
		if err := tx.PutRecord(&changed); err != nil {
			return err
		}
		after, _ := tx.RecordShared(r.ID)
		if after == a || after.Extraction.Title != "OTN YANG, corrected" || a.Extraction.Title != "OTN YANG" {
			t.Errorf("after PutRecord: %q (kept: %q)", after.Extraction.Title, a.Extraction.Title)
		}
		if _, err := tx.RecordShared("nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing record err = %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if r, _ := tx.RecordShared(r.ID); r == kept || r.Extraction.Title != "OTN YANG, corrected" {
			t.Errorf("another transaction: %p %q", r, r.Extraction.Title)
		}
		return nil
	})
}

// ForEachOutbound walks exactly the records drafted here, in id order:
// not a statement whose text quotes the outgoing part's key, and it sees
// what the transaction itself wrote.
func TestForEachOutbound(t *testing.T) {
	db, _ := openTest(t)
	recs := []*liaison.Record{
		{ID: "LS-2026-0001", Extraction: liaison.Extraction{Title: `quotes "outbound":{ in its title`, Body: `{"outbound":{"state":"draft"}}`}},
		{ID: "LS-2026-0002", State: liaison.StateDraft, Outbound: &liaison.Outbound{State: liaison.OutboundDraft, Org: "sg15"}},
		{ID: "LS-2026-0003", State: liaison.StateOpen},
	}
	putRecords(t, db, recs...)
	walk := func(tx *Tx) []string {
		var ids []string
		if err := tx.ForEachOutbound(func(r *liaison.Record) error {
			ids = append(ids, r.ID+"/"+r.Outbound.Org)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	_ = db.View(func(tx *Tx) error {
		if got := walk(tx); !slices.Equal(got, []string{"LS-2026-0002/sg15"}) {
			t.Errorf("walked %v", got)
		}
		return nil
	})
	if err := db.Update(func(tx *Tx) error {
		if err := tx.PutRecord(&liaison.Record{ID: "LS-2026-0004", State: liaison.StateDraft, Outbound: &liaison.Outbound{Org: "bbf"}}); err != nil {
			return err
		}
		if got := walk(tx); !slices.Equal(got, []string{"LS-2026-0002/sg15", "LS-2026-0004/bbf"}) {
			t.Errorf("walked in the writing transaction %v", got)
		}
		stop := errors.New("stop")
		if err := tx.ForEachOutbound(func(*liaison.Record) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("fn's error: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// Share makes a record written in the transaction what RecordShared
// returns, without decoding it, until PutRecord replaces it; another
// transaction decodes its own.
func TestShare(t *testing.T) {
	db, _ := openTest(t)
	r := &liaison.Record{ID: "LS-2026-0001", Extraction: liaison.Extraction{Title: "OTN YANG"}}
	if err := db.Update(func(tx *Tx) error {
		if err := tx.PutRecord(r); err != nil {
			return err
		}
		tx.Share(r)
		if got, err := tx.RecordShared(r.ID); err != nil || got != r {
			t.Errorf("RecordShared after Share = %p, %v; want the shared %p", got, err, r)
		}
		changed := *r
		changed.Extraction.Title = "OTN YANG, corrected"
		if err := tx.PutRecord(&changed); err != nil {
			return err
		}
		if got, _ := tx.RecordShared(r.ID); got == r || got.Extraction.Title != "OTN YANG, corrected" {
			t.Errorf("after PutRecord: %p %q", got, got.Extraction.Title)
		}
		tx.Share(nil) // nothing to share
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if got, _ := tx.RecordShared(r.ID); got == r {
			t.Error("another transaction returned the value shared in the first")
		}
		return nil
	})
}

func TestEventsInOrderPerRecord(t *testing.T) {
	db, _ := openTest(t)
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	_ = db.Update(func(tx *Tx) error {
		for i := 0; i < 3; i++ {
			tx.AddEvent("LS-1", liaison.Event{At: t0.Add(time.Duration(i) * time.Hour), Type: liaison.EventType("e" + strconv.Itoa(i))})
			tx.AddEvent("LS-10", liaison.Event{At: t0, Type: "other"})
		}
		return nil
	})
	_ = db.View(func(tx *Tx) error {
		evs, err := tx.Events("LS-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 3 || evs[0].Type != "e0" || evs[2].Type != "e2" {
			t.Errorf("events = %+v", evs)
		}
		return nil
	})
}

func TestDueIndexReadsOnlyWhatIsDue(t *testing.T) {
	db, _ := openTest(t)
	base := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	_ = db.Update(func(tx *Tx) error {
		for i := 0; i < 10; i++ {
			tx.SetDue("LS-"+strconv.Itoa(i), "deadline", base.AddDate(0, 0, 10-i))
		}
		// Moving an entry replaces it.
		tx.SetDue("LS-0", "deadline", base.AddDate(0, 0, -1))
		tx.ClearDue("LS-1", "deadline")
		return nil
	})
	var got []string
	_ = db.View(func(tx *Tx) error {
		return tx.DueBefore(base.AddDate(0, 0, 3), func(d Due) error {
			got = append(got, d.RecordID+"@"+d.At.Format("01-02"))
			return nil
		})
	})
	want := "LS-0@02-28 LS-9@03-02 LS-8@03-03 LS-7@03-04"
	if strings.Join(got, " ") != want {
		t.Errorf("due = %v, want %s", got, want)
	}
	_ = db.View(func(tx *Tx) error {
		d, ok := tx.NextDue()
		if !ok || d.RecordID != "LS-0" {
			t.Errorf("NextDue = %+v %v", d, ok)
		}
		if _, ok := tx.DueAt("LS-1", "deadline"); ok {
			t.Error("cleared entry still indexed")
		}
		return nil
	})
}

func TestOutboxEnqueueIsIdempotentAndDueOrdered(t *testing.T) {
	db, _ := openTest(t)
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	e := &OutboxEntry{Key: "LS-1|notice|a@x|", Kind: "notice", MessageID: "m1@d", Created: now}
	_ = db.Update(func(tx *Tx) error {
		added, err := tx.Enqueue(e)
		if !added || err != nil {
			t.Fatalf("first enqueue: %v %v", added, err)
		}
		again := *e
		again.Subject = "changed"
		added, err = tx.Enqueue(&again)
		if added || err != nil {
			t.Fatalf("second enqueue added=%v err=%v", added, err)
		}
		tx.Enqueue(&OutboxEntry{Key: "later", Created: now, NextAttempt: now.Add(time.Hour)})
		return nil
	})
	_ = db.Update(func(tx *Tx) error {
		keys := tx.DueOutbox(now, 10)
		if len(keys) != 1 || keys[0] != e.Key {
			t.Fatalf("due = %v", keys)
		}
		got, _ := tx.Outbox(e.Key)
		if got.Subject != "" {
			t.Errorf("second enqueue overwrote the first: %q", got.Subject)
		}
		got.State = OutboxSent
		if err := tx.PutOutbox(got); err != nil {
			t.Fatal(err)
		}
		if k := tx.DueOutbox(now.Add(2*time.Hour), 10); len(k) != 1 || k[0] != "later" {
			t.Errorf("after send due = %v", k)
		}
		if n, _ := tx.QueuedOutbox(); n != 1 {
			t.Errorf("queued = %d", n)
		}
		if f, ok := tx.OutboxByMessageID("m1@d"); !ok || f.Key != e.Key {
			t.Errorf("by message id = %v %v", f, ok)
		}
		return nil
	})
}

func TestCheckpoints(t *testing.T) {
	db, _ := openTest(t)
	_ = db.Update(func(tx *Tx) error {
		return tx.SetCheckpoint("INBOX", Checkpoint{UIDValidity: 7, LastUID: 42})
	})
	_ = db.View(func(tx *Tx) error {
		cp, err := tx.Checkpoint("INBOX")
		if err != nil || cp.UIDValidity != 7 || cp.LastUID != 42 {
			t.Errorf("checkpoint = %+v %v", cp, err)
		}
		cp, _ = tx.Checkpoint("Other")
		if cp.LastUID != 0 {
			t.Errorf("unknown folder = %+v", cp)
		}
		return nil
	})
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db, dir := openTest(t)
	_ = db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).Put(keySchema, []byte("99"))
	})
	db.Close()
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "schema version 99, newer") {
		t.Fatalf("err = %v", err)
	}
}

func TestOpenMigratesOlderSchema(t *testing.T) {
	dir := t.TempDir()
	// A version-0 file: bbolt with no buckets at all.
	b, err := bolt.Open(dir+"/"+FileName, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *Tx) error {
		if v := readSchema(tx.tx); v != SchemaVersion {
			t.Errorf("schema = %d", v)
		}
		return nil
	})
}

func TestOpenWhileLockedSaysWho(t *testing.T) {
	_, dir := openTest(t)
	_, err := Open(dir, Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "liaisond run") {
		t.Fatalf("err = %v", err)
	}
}

func TestNextIDPassesOverTakenAndReservedIDs(t *testing.T) {
	db, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	err = db.Update(func(tx *Tx) error {
		// A rebuild: LS-2026-0002 and LS-2026-0004 are named by the
		// mailbox; 0004 is recorded before anything else.
		for _, id := range []string{"LS-2026-0002", "LS-2026-0004"} {
			if err := tx.ReserveID(id); err != nil {
				return err
			}
		}
		if ok, err := tx.TakeID("LS-2026-0004"); !ok || err != nil {
			t.Fatalf("TakeID of a reserved free id: %v %v", ok, err)
		}
		if err := tx.PutRecord(&liaison.Record{ID: "LS-2026-0004"}); err != nil {
			return err
		}
		if ok, _ := tx.TakeID("LS-2026-0004"); ok {
			t.Error("TakeID of an id a record holds succeeded")
		}
		for range 3 {
			id, err := tx.NextID("LS", 2026)
			if err != nil {
				return err
			}
			got = append(got, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"LS-2026-0001", "LS-2026-0003", "LS-2026-0005"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("NextID gave %v, want %v (passing over the reserved 0002 and the recorded 0004)", got, want)
	}
}

func TestPassIDs(t *testing.T) {
	db, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	err = db.Update(func(tx *Tx) error {
		if _, err := tx.NextID("MSG", 2026); err != nil { // MSG-2026-0001
			return err
		}
		for _, key := range []string{"LS-2026-0007|command-rejected|a@x|MSG-2026-0012", "LS-2026-0003|notice|b@x|", "|digest|c@x|2026-W48"} {
			if err := tx.PassIDs(key); err != nil {
				return err
			}
		}
		for _, p := range []string{"LS", "MSG", "LS"} {
			id, err := tx.NextID(p, 2026)
			if err != nil {
				return err
			}
			got = append(got, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"LS-2026-0008", "MSG-2026-0013", "LS-2026-0009"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ids after passing the keys' ids: %v, want %v", got, want)
	}
}

// BenchmarkForEachOutbound walks 2,000 statements with 20 KB bodies, ten
// of them drafted here, against ForEachRecord's decoding every record
// (what a handover or a report would otherwise cost).
func BenchmarkForEachOutbound(b *testing.B) {
	dir := b.TempDir()
	db, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	body := strings.Repeat("The OTN topology model aligns with G.874.1 as described in the attached draft. ", 256)
	if err := db.Update(func(tx *Tx) error {
		for i := range 2000 {
			r := &liaison.Record{ID: fmt.Sprintf("LS-2026-%04d", i+1), State: liaison.StateOpen,
				Extraction: liaison.Extraction{Title: "LS on OTN", Body: body}}
			if i%200 == 0 {
				r.State, r.Outbound = liaison.StateDraft, &liaison.Outbound{State: liaison.OutboundDraft, Org: "sg15"}
			}
			if err := tx.PutRecord(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		walk func(*Tx, func(*liaison.Record) error) error
	}{
		{"outbound", (*Tx).ForEachOutbound},
		{"every-record", (*Tx).ForEachRecord},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				n := 0
				_ = db.View(func(tx *Tx) error {
					return bc.walk(tx, func(r *liaison.Record) error {
						if r.Outbound != nil {
							n++
						}
						return nil
					})
				})
				if n != 10 {
					b.Fatalf("%d drafts", n)
				}
			}
		})
	}
}
