package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/web"
)

// demoData records the demo mails at now and serves the data dir's web
// view (read-only) next to the CLI.
type demoData struct {
	cfgPath string
	env     *cmdEnv
	out     *bytes.Buffer
	srv     *web.Server
}

func newDemoData(t *testing.T, now time.Time) *demoData {
	t.Helper()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "liaisond.yaml")
	if err := os.WriteFile(cfgPath, examples.Config, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	env := &cmdEnv{stdout: &out, stderr: &errs, now: func() time.Time { return now }}
	files, _ := filepath.Glob("demo/*.eml")
	if code := runMain(env, append([]string{"ingest", "-c", cfgPath}, files...)); code != 0 {
		t.Fatalf("ingest: %d %s", code, errs.String())
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(cfg.DataDir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := func() time.Time { return env.now() } // follows env.now when a test moves it
	srv, err := web.New(web.Options{DB: db, Config: func() *config.Config { return cfg }, Now: clock, Log: slog.New(slog.DiscardHandler), Auth: web.NewAuth(nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	return &demoData{cfgPath: cfgPath, env: env, out: &out, srv: srv}
}

// cliJSON runs `list --json` with args and decodes its lines.
func (d *demoData) cliJSON(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	d.out.Reset()
	if code := runMain(d.env, append([]string{"list", "-c", d.cfgPath, "--json"}, args...)); code != 0 {
		t.Fatalf("list %v: exit %d", args, code)
	}
	var cli []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(d.out.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		cli = append(cli, m)
	}
	return cli
}

// apiJSON fetches /api/v1/statements?query (loopback) and decodes it.
func (d *demoData) apiJSON(t *testing.T, query string) []map[string]any {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/statements?per_page=1000&"+query, nil)
	req.RemoteAddr = "127.0.0.1:1"
	w := httptest.NewRecorder()
	d.srv.ServeHTTP(w, req)
	var api struct {
		Statements []map[string]any `json:"statements"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &api); err != nil {
		t.Fatalf("%s: %d %v", query, w.Code, err)
	}
	return api.Statements
}

// TestAPIMatchesCLIListJSON records the demo mails, then compares `list
// --json --state all` with /api/v1/statements for the same statements:
// same records, same field names, same values.
func TestAPIMatchesCLIListJSON(t *testing.T) {
	d := newDemoData(t, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	cli := d.cliJSON(t, "--state", "all")
	api := struct{ Statements []map[string]any }{d.apiJSON(t, "state=all")}
	if len(cli) == 0 || len(api.Statements) != len(cli) {
		t.Fatalf("CLI listed %d statements, API %d", len(cli), len(api.Statements))
	}
	byID := map[string]map[string]any{}
	for _, m := range api.Statements {
		byID[m["id"].(string)] = m
	}
	for _, c := range cli {
		a, ok := byID[c["id"].(string)]
		if !ok {
			t.Errorf("%s: not in the API", c["id"])
			continue
		}
		cj, _ := json.Marshal(c)
		aj, _ := json.Marshal(a)
		if !bytes.Equal(cj, aj) {
			t.Errorf("%s differs:\nCLI %s\nAPI %s", c["id"], cj, aj)
		}
	}
}

// The CLI's list filters select what the web list and the API select, in
// the same order, with the same status.
func TestCLIListFiltersMatchAPI(t *testing.T) {
	d := newDemoData(t, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	d.env.now = func() time.Time { return time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC) } // some deadlines passed
	cases := []struct {
		args  []string
		query string
		min   int // at least this many statements selected
	}{
		{[]string{"--state", "all"}, "state=all", 5},
		{[]string{"--state", "overdue"}, "state=overdue", 1},
		{[]string{"--state", "open"}, "state=open", 1},
		{[]string{"--state", "all", "--org", "itu-t-sg15"}, "state=all&org=itu-t-sg15", 1},
		{[]string{"--state", "all", "--group", "ccamp"}, "state=all&group=ccamp", 1},
		{[]string{"--state", "all", "--manager", "Jane.Doe@example.org"}, "state=all&manager=jane.doe%40example.org", 1},
		{[]string{"--state", "all", "--manager", "liaison-coordination@iab.example"}, "state=all&manager=liaison-coordination%40iab.example", 1},
		{[]string{"--state", "open", "--org", "etsi-cyber", "--group", "ccamp"}, "state=open&org=etsi-cyber&group=ccamp", 0},
	}
	for _, c := range cases {
		cli, api := d.cliJSON(t, c.args...), d.apiJSON(t, c.query)
		ids := func(ms []map[string]any) string {
			var out []string
			for _, m := range ms {
				out = append(out, fmt.Sprint(m["id"], ":", m["status"]))
			}
			return strings.Join(out, " ")
		}
		if ids(cli) != ids(api) || len(cli) < c.min {
			t.Errorf("list %v:\n CLI %s\n API %s (want at least %d)", c.args, ids(cli), ids(api), c.min)
		}
		for _, m := range cli {
			if c.query == "state=overdue" && m["status"] != "overdue" {
				t.Errorf("--state overdue listed %v with status %v", m["id"], m["status"])
			}
		}
	}
	d.out.Reset()
	if code := runMain(d.env, []string{"list", "-c", d.cfgPath, "--state", "bogus"}); code == 0 {
		t.Error("list --state bogus succeeded")
	}
}
