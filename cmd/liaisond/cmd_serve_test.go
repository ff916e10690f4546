package main

import (
	"bytes"
	"encoding/json"
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

// TestAPIMatchesCLIListJSON records the demo mails, then compares `list
// --json --state all` with /api/v1/statements for the same statements:
// same records, same field names, same values.
func TestAPIMatchesCLIListJSON(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "liaisond.yaml")
	if err := os.WriteFile(cfgPath, examples.Config, 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var out, errs bytes.Buffer
	env := &cmdEnv{stdout: &out, stderr: &errs, now: func() time.Time { return now }}
	files, _ := filepath.Glob("demo/*.eml")
	if code := runMain(env, append([]string{"ingest", "-c", cfgPath}, files...)); code != 0 {
		t.Fatalf("ingest: %d %s", code, errs.String())
	}
	out.Reset()
	if code := runMain(env, []string{"list", "-c", cfgPath, "--state", "all", "--json"}); code != 0 {
		t.Fatalf("list: %d %s", code, errs.String())
	}
	var cli []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		cli = append(cli, m)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(cfg.DataDir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := web.New(web.Options{DB: db, Config: func() *config.Config { return cfg }, Now: env.now, Log: slog.New(slog.DiscardHandler), Auth: web.NewAuth(nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/statements?state=all&per_page=1000", nil)
	req.RemoteAddr = "127.0.0.1:1"
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	var api struct {
		Statements []map[string]any `json:"statements"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
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
