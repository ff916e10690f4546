package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/internal/testsvc"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// TestE2ECLIWhileTheDaemonRuns: `liaisond run` holds the data dir, reading
// a real Dovecot and sending through a real Mailpit; the CLI's reads and
// actions work meanwhile, through the daemon's control socket, and the
// actions show in the history (CLI channel, who, which local account) and
// in the JSON API, and their confirmations are sent by the daemon.
func TestE2ECLIWhileTheDaemonRuns(t *testing.T) {
	addr := freeAddr(t)
	e := newE2E(t, e2eOptions{listen: addr})
	e.start()
	cfg, err := config.Load(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 30*time.Second, "the daemon's control socket", func() bool {
		conn, _ := dialControl(cfg.Control)
		if conn != nil {
			conn.Close()
		}
		return conn != nil
	})
	e.dovecot.Append(t, "INBOX", statement(8200, "ITU-T SG15", "CCAMP"))
	var id string
	waitUntil(t, 60*time.Second, "the statement to be listed through the daemon", func() bool {
		for _, r := range jsonLines[listed](t, e.cli("list", "--json")) {
			id = r.ID
		}
		return id != ""
	})
	detail := func() store.Detail {
		var d store.Detail
		if err := json.Unmarshal(e.cli("show", "--json", id), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := detail(); d.ID != id || d.State != liaison.StateOpen {
		t.Fatalf("show --json: %+v", d)
	}
	e.cli("ack", id, "--by", "jane.doe@example.org")
	e.cli("delay", id, "2027-05-01", "waiting for the WG's consensus call")
	e.cli("note", id, "CCAMP discusses it at IETF 130")
	if out := string(e.cli("sweep", "--dry-run")); !strings.HasPrefix(out, "sweep at ") || !strings.Contains(out, "would send") {
		t.Errorf("sweep --dry-run: %q", out)
	}
	e.cli("close", id, "--by", "liaison-coordination@iab.example", "no reply will be sent")

	// The history, through the daemon, and the API of its web view.
	account := "(unix user " + localUser(os.Getuid()) + ")"
	want := []struct {
		typ liaison.EventType
		by  string
	}{
		{liaison.EventAcked, "jane.doe@example.org"}, {liaison.EventDelayed, "operator"},
		{liaison.EventNote, "operator"}, {liaison.EventClosed, "liaison-coordination@iab.example"},
	}
	resp, err := http.Get("http://" + addr + "/api/v1/statements/" + id)
	if err != nil {
		t.Fatal(err)
	}
	var api store.Detail
	err = json.NewDecoder(resp.Body).Decode(&api)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/statements/%s: %d %v", id, resp.StatusCode, err)
	}
	for name, d := range map[string]store.Detail{"show --json": detail(), "the API": api} {
		if d.State != liaison.StateClosed {
			t.Errorf("%s: state %s", name, d.State)
		}
		for _, w := range want {
			ev, ok := lastEvent(d, w.typ)
			if !ok || ev.By != w.by || ev.Channel != liaison.ChannelCLI || !strings.Contains(ev.Detail, account) {
				t.Errorf("%s: %s event %+v, want by %s via cli %s", name, w.typ, ev, w.by, account)
			}
		}
	}

	// Exports and a backup while it runs.
	if recs := jsonLines[listed](t, e.cli("export", "json")); len(recs) != 1 || recs[0].ID != id {
		t.Errorf("export json: %+v", recs)
	}
	csvPath := filepath.Join(e.dir, "out.csv")
	e.cli("export", "csv", "-o", csvPath)
	if data, err := os.ReadFile(csvPath); err != nil || !strings.Contains(string(data), id+",") {
		t.Errorf("export csv -o: %v %q", err, data)
	}
	backup := filepath.Join(e.dir, "backup.db")
	if out := string(e.cli("backup", "-o", backup, "-v")); !strings.Contains(out, "1 records") {
		t.Errorf("backup -v: %q", out)
	}
	if rep, err := checkDatabase(backup); err != nil || !rep.OK() {
		t.Errorf("the backup does not check: %v %+v", err, rep)
	}

	// The daemon sent the confirmations (its outbox worker was woken).
	waitUntil(t, 60*time.Second, "the confirmations of the CLI's actions", func() bool {
		return kindsTo(t, e.mailpit, "kenji.sato@example.org", id)["command-confirm"] >= 3 // ack, note, close (a delay tells the IAB)
	})
	logData, _ := os.ReadFile(e.logPath)
	for _, cmd := range []string{"list", "show", "ack", "delay", "note", "close", "sweep", "export", "backup"} {
		if !strings.Contains(string(logData), `"msg":"control request"`) || !strings.Contains(string(logData), `"command":"`+cmd+`"`) {
			t.Errorf("the daemon's log shows no control request for %s", cmd)
		}
	}
}

// kindsTo counts the mails in Mailpit to addr about statement id, by
// their X-Liaisond-Kind.
func kindsTo(t *testing.T, mp *testsvc.Mailpit, addr, id string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, m := range mp.Messages(t) {
		if !strings.Contains(strings.ToLower(strings.Join(m.To, ",")), addr) || !strings.Contains(m.Subject, id) {
			continue
		}
		if msg, err := mail.ReadMessage(bytes.NewReader(mp.Raw(t, m.ID))); err == nil {
			n[msg.Header.Get("X-Liaisond-Kind")]++
		}
	}
	return n
}
