package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// BenchmarkListPage100k serves the statements list with 100,000 statements
// stored. It reports the median of 20 requests (after the index is built)
// and the heap the server holds while serving, one group's calendar feed
// (a twelfth of the statements, each one's history read), and the
// relationships page (counts and last statements from the same index,
// each relationship's history read from the store).
//
//	go test -run '^$' -bench ListPage100k -benchtime 20x ./web
func BenchmarkListPage100k(b *testing.B) {
	const n = 100_000
	cfg, err := config.Parse("liaisond.yaml", examples.Config)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	orgs, groups := cfg.Organizations, cfg.Groups
	body := strings.Repeat("The study group asks the IETF to review the attached draft recommendation. ", 20)
	for start := 0; start < n; start += 2000 {
		err := db.Update(func(tx *store.Tx) error {
			for i := start; i < min(start+2000, n); i++ {
				o, g := orgs[i%len(orgs)], groups[i%len(groups)]
				r := &liaison.Record{ID: fmt.Sprintf("LS-%d-%05d", 2000+i/10000, i%10000), Received: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
					State: []liaison.State{liaison.StateOpen, liaison.StateAnswered, liaison.StateClosed}[i%3],
					Extraction: liaison.Extraction{Kind: liaison.KindStatement, Title: fmt.Sprintf("LS %d on topic %d", i, i%977), Body: body,
						Purpose: liaison.PurposeAction, Deadline: liaison.DateOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%900))},
					Routing: liaison.Routing{OrgID: o.ID, OrgName: o.Name, Groups: []string{g.ID}, Managers: o.ManagersOn(liaison.Date{})}}
				if err := tx.PutRecord(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	// Serve a read-only view, as `liaisond serve` does.
	ro, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer ro.Close()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	srv, err := New(Options{DB: ro, Config: func() *config.Config { return cfg }, Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler), Auth: NewAuth(nil, nil)})
	if err != nil {
		b.Fatal(err)
	}
	get := func(path string) time.Duration {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = "127.0.0.1:1"
		w := httptest.NewRecorder()
		t0 := time.Now()
		srv.ServeHTTP(w, req)
		d := time.Since(t0)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "LS-") {
			b.Fatalf("%s: %d", path, w.Code)
		}
		return d
	}
	first := get("/statements")
	median := func(path string) time.Duration {
		var ds []time.Duration
		for range 20 {
			ds = append(ds, get(path))
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	open := median("/statements")
	all := median("/statements?state=all&page=500")
	search := median("/statements?state=all&q=topic+976")
	calendar := median("/calendar/group/" + groups[0].ID + ".ics") // a twelfth of the statements
	rels := median("/relationships")
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ResetTimer()
	for b.Loop() {
		get("/statements")
	}
	b.ReportMetric(float64(first.Milliseconds()), "first-ms")
	b.ReportMetric(float64(open.Microseconds())/1000, "open-median-ms")
	b.ReportMetric(float64(all.Microseconds())/1000, "all-p500-median-ms")
	b.ReportMetric(float64(search.Microseconds())/1000, "search-median-ms")
	b.ReportMetric(float64(calendar.Microseconds())/1000, "group-calendar-median-ms")
	b.ReportMetric(float64(rels.Microseconds())/1000, "relationships-median-ms")
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/(1<<20), "index-heap-MB")
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-inuse-MB")
}
