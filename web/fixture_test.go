package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// hostileTitle is a title a browser would run if it were not escaped.
const hostileTitle = `<script>alert('title')</script> OTN "quotes" & ampersands`

// testNow is the fixture's clock: after some deadlines, before others.
var testNow = time.Date(2026, 3, 25, 9, 0, 0, 0, time.UTC)

type fixture struct {
	srv *Server
	db  *store.DB
	cfg *config.Config
	// ids maps a message file name to the record it became.
	ids map[string]string
	// actions is the action layer over db; set the settings it reads.
	actions *actions.Layer
	set     *settings.Holder
}

// newFixture records the demo mails and the hostile one through the real
// pipeline into a fresh store and serves it.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "liaisond.yaml"), examples.Config)
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTP.BaseURL = "https://liaisons.example.org"
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tmpl, err := templates.New("")
	if err != nil {
		t.Fatal(err)
	}
	clock := testNow.Add(-20 * 24 * time.Hour)
	now := func() time.Time { return clock }
	set, err := settings.New(cfg, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	n, err := notify.New(notify.Options{Settings: set, Now: now, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := actions.New(actions.Options{Settings: set, Notify: n, DB: db, Now: now, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Options{Settings: set, Notify: n, Actions: a, DB: db, Now: now, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../cmd/liaisond/demo/*.eml")
	files = append(files, "testdata/hostile.eml")
	sort.Strings(files)
	f := &fixture{db: db, cfg: cfg, ids: map[string]string{}, actions: a, set: set}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Process(pipeline.Input{Raw: raw, Origin: "file:" + filepath.Base(name)}, false)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.ids[filepath.Base(name)] = res.ID
		clock = clock.Add(time.Hour)
	}
	// Pin the hostile title exactly (the extractor reads it from the body's
	// Title: line; the tests below compare against the constant).
	if err := db.Update(func(tx *store.Tx) error {
		r, err := tx.Record(f.ids["hostile.eml"])
		if err != nil {
			return err
		}
		r.Extraction.Title = hostileTitle
		return tx.PutRecord(r)
	}); err != nil {
		t.Fatal(err)
	}
	clock = testNow // actions taken from here on happen at the server's now
	f.srv, err = New(Options{DB: db, Config: func() *config.Config { return cfg }, Now: func() time.Time { return testNow }, Auth: NewAuth(nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// get performs a loopback request against the fixture's server.
func (f *fixture) get(t testing.TB, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}

func recordOf(f *fixture, id string) (*liaison.Record, error) {
	var r *liaison.Record
	err := f.db.View(func(tx *store.Tx) (err error) { r, err = tx.Record(id); return err })
	return r, err
}
