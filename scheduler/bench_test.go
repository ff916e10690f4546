package scheduler

import (
	"fmt"
	"io"
	"log/slog"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

const (
	benchRecords = 1_000_000
	benchDue     = 100
	benchMgrOpen = 5_000
)

// buildBig fills a store with benchRecords statements, every one indexed
// for a later look, benchDue of them due before at, and benchMgrOpen open
// under one manager. Large batches without fsync keep it quick.
func buildBig(b *testing.B, cfg *config.Config, at time.Time) {
	db, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.Bolt().NoSync = true
	mgr := cfg.Organizations[0].Managers[0].Contact
	const batch = 50_000
	for lo := 0; lo < benchRecords; lo += batch {
		err := db.Update(func(tx *store.Tx) error {
			for i := lo; i < lo+batch; i++ {
				r := &liaison.Record{ID: fmt.Sprintf("LS-2027-%07d", i), Received: at.AddDate(0, 0, -30), State: liaison.StateOpen,
					Extraction: liaison.Extraction{Kind: liaison.KindStatement, Title: fmt.Sprintf("statement %d", i), Purpose: liaison.PurposeAction,
						Deadline: liaison.DateOf(at.AddDate(0, 0, 2+i%60))},
					Routing: liaison.Routing{OrgID: cfg.Organizations[0].ID, Groups: []string{"ccamp"}, Managers: []liaison.Contact{mgr}},
					Acked:   &liaison.Action{At: at.AddDate(0, 0, -29), By: mgr.Email}}
				if err := tx.PutRecord(r); err != nil {
					return err
				}
				next := at.Add(time.Duration(1+i%1000) * time.Hour)
				if i%(benchRecords/benchDue) == 0 {
					next = at.Add(-time.Hour)
				}
				if err := tx.SetDue(r.ID, store.DueRecompute, next); err != nil {
					return err
				}
				if i < benchMgrOpen {
					if err := tx.SetOpen(r.ID, Owners(r)); err != nil {
						return err
					}
				}
			}
			if lo == 0 {
				return tx.SetSchedFlag("backfilled")
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Bolt().Sync(); err != nil {
		b.Fatal(err)
	}
}

func minorFaults() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Minflt + ru.Majflt
}

// BenchmarkSweep1M compares one scheduler pass over a store of a million
// statements (100 due) with a full scan of the records bucket, and times a
// digest for a manager with 5,000 open statements. Pages touched are
// counted as page faults on the freshly mapped file (4 KiB pages; Go heap
// growth adds a little noise) next to the bucket's B+tree size.
func BenchmarkSweep1M(b *testing.B) {
	cfg := simConfig(b)
	at := time.Date(2027, 6, 1, 12, 0, 0, 0, cfg.Location)
	t0 := time.Now()
	buildBig(b, cfg, at)
	b.Logf("built %d statements in %s", benchRecords, time.Since(t0).Round(time.Millisecond))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	open := func() (*store.DB, *Scheduler) {
		db, err := store.Open(cfg.DataDir, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		now := func() time.Time { return at }
		s, _, _ := newTestScheduler(b, cfg, db, now, log)
		return db, s
	}

	b.Run("sweep-100-due", func(b *testing.B) {
		for b.Loop() {
			db, s := open()
			f0 := minorFaults()
			t := time.Now()
			rep, err := s.Pass(at, true) // dry run: every iteration sees the same 100 due
			d := time.Since(t)
			f := minorFaults() - f0
			db.Close()
			if err != nil {
				b.Fatal(err)
			}
			if rep.Looked != benchDue {
				b.Fatalf("looked at %d, want %d", rep.Looked, benchDue)
			}
			b.ReportMetric(float64(f), "pages")
			b.ReportMetric(float64(d.Microseconds()), "µs/pass")
		}
	})
	b.Run("full-scan", func(b *testing.B) {
		for b.Loop() {
			db, _ := open()
			f0 := minorFaults()
			t := time.Now()
			n := 0
			err := db.View(func(tx *store.Tx) error {
				return tx.ForEachRecord(func(*liaison.Record) error { n++; return nil })
			})
			d := time.Since(t)
			f := minorFaults() - f0
			var leaf, branch, overflow int
			_ = db.Bolt().View(func(tx *bolt.Tx) error {
				st := tx.Bucket([]byte("records")).Stats()
				leaf, branch, overflow = st.LeafPageN, st.BranchPageN, st.LeafOverflowN
				return nil
			})
			db.Close()
			if err != nil || n != benchRecords {
				b.Fatalf("scanned %d records: %v", n, err)
			}
			b.ReportMetric(float64(f), "pages")
			b.ReportMetric(float64(leaf+branch+overflow), "btree-pages")
			b.ReportMetric(float64(d.Microseconds()), "µs/scan")
		}
	})
	b.Run("digest-5000-open", func(b *testing.B) {
		db, _ := open()
		defer db.Close()
		mgr := cfg.Organizations[0].Managers[0].Contact
		for b.Loop() {
			err := db.View(func(tx *store.Tx) error {
				d, err := BuildDigest(tx, cfg, mgr, at.AddDate(0, 0, -7), at)
				if err == nil && d.OpenTotal != benchMgrOpen {
					err = fmt.Errorf("digest lists %d open, want %d", d.OpenTotal, benchMgrOpen)
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
