package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// TestE2EWebActions runs the real `liaisond run` over Dovecot and Mailpit
// with its web view on a free loopback port, and acts on a statement
// through the JSON API: a token naming the manager acknowledges, delays
// and annotates it; a read-only token and an anonymous loopback client are
// refused. The effect shows in the API's history (channel api, the
// manager as actor), in the confirmation mailed through Mailpit, and in
// `liaisond show` once the daemon stopped.
func TestE2EWebActions(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	digest := sha256.Sum256([]byte("e2e-manager-token"))
	tokens := fmt.Sprintf("# the manager of ITU-T SG15\nsha256:%s jane.doe@example.org\n# a dashboard: reads only\ne2e-read-only-token\n", hex.EncodeToString(digest[:]))
	tokensFile := filepath.Join(e.dir, "tokens")
	if err := os.WriteFile(tokensFile, []byte(tokens), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg = regexp.MustCompile(`(?m)^  listen: .*$`).ReplaceAll(cfg, []byte("  listen: "+addr))
	cfg = regexp.MustCompile(`(?m)^  tokens_file: .*$`).ReplaceAll(cfg, []byte("  tokens_file: tokens"))
	if err := os.WriteFile(e.cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}

	e.dovecot.Append(t, "INBOX", statement(9200, "ITU-T SG15", "CCAMP"))
	e.start()
	base := "http://" + addr
	client := &http.Client{Timeout: 10 * time.Second}
	call := func(method, path, token, body string) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, []byte(err.Error())
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, data
	}
	var id string
	waitUntil(t, 60*time.Second, "the statement in the API", func() bool {
		code, data := call(http.MethodGet, "/api/v1/statements?state=all", "", "")
		var page struct {
			Statements []struct {
				ID string `json:"id"`
			} `json:"statements"`
		}
		if code != 200 || json.Unmarshal(data, &page) != nil || len(page.Statements) == 0 {
			return false
		}
		id = page.Statements[0].ID
		return true
	})
	path := "/api/v1/statements/" + id + "/actions"

	for _, c := range []struct {
		name, token string
		want        int
	}{
		{"anonymous loopback", "", 401},
		{"read-only token", "e2e-read-only-token", 403},
		{"unknown token", "guess", 401},
	} {
		if code, data := call(http.MethodPost, path, c.token, `{"action":"close","reason":"spam"}`); code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, code, c.want, data)
		}
	}
	for _, body := range []string{
		`{"action":"ack"}`,
		`{"action":"delay","date":"2027-05-01","reason":"waiting for the WG's consensus call"}`,
		`{"action":"note","text":"CCAMP discusses it at IETF 128"}`,
	} {
		code, data := call(http.MethodPost, path, "e2e-manager-token", body)
		if code != 200 {
			t.Fatalf("%s: %d %s", body, code, data)
		}
	}
	type history struct {
		State            string          `json:"state"`
		InternalDeadline string          `json:"internal_deadline"`
		History          []liaison.Event `json:"history"`
	}
	byAPI := func(h history) map[liaison.EventType]liaison.Event {
		out := map[liaison.EventType]liaison.Event{}
		for _, ev := range h.History {
			if ev.Channel == liaison.ChannelAPI {
				out[ev.Type] = ev
			}
		}
		return out
	}
	code, data := call(http.MethodGet, "/api/v1/statements/"+id, "", "")
	var h history
	if code != 200 || json.Unmarshal(data, &h) != nil {
		t.Fatalf("GET %s: %d %s", id, code, data)
	}
	evs := byAPI(h)
	for _, typ := range []liaison.EventType{liaison.EventAcked, liaison.EventDelayed, liaison.EventNote} {
		if ev, ok := evs[typ]; !ok || ev.By != "jane.doe@example.org" {
			t.Errorf("history lacks %s by the manager over the API: %+v", typ, h.History)
		}
	}
	if h.InternalDeadline != "2027-05-01" {
		t.Errorf("internal deadline %q", h.InternalDeadline)
	}
	waitUntil(t, 60*time.Second, "the delay's confirmation to the manager", func() bool {
		for _, m := range e.mailpit.Messages(t) {
			if strings.Contains(strings.Join(m.To, ","), "jane.doe@example.org") && strings.Contains(m.Subject, "delay") {
				return true
			}
		}
		return false
	})

	// The CLI reads the same history once the daemon let go of the data.
	e.stop(syscall.SIGTERM)
	var shown history
	if err := json.Unmarshal(e.cli("show", "--json", id), &shown); err != nil {
		t.Fatal(err)
	}
	if ev := byAPI(shown)[liaison.EventDelayed]; ev.By != "jane.doe@example.org" || !strings.Contains(ev.Reason, "consensus call") {
		t.Errorf("show --json: the delay is %+v", ev)
	}
}
