package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// misdirectedFrom is a statement sent straight to a WG list (so it is
// misdirected and its sender gets a correction) from the given From.
func misdirectedFrom(from, mid string) string {
	return strings.ReplaceAll(`From: `+from+`
To: ccamp@ietf.example
Subject: LS from ITU-T SG15 to IETF CCAMP on OTN YANG (for action)
Date: Mon, 23 Nov 2026 09:12:44 +0100
Message-ID: <`+mid+`>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

LIAISON STATEMENT

Source:         ITU-T Study Group 15
Title:          LS on alignment of the OTN topology YANG model `+mid+`
For action to:  IETF CCAMP WG
Deadline:       15 March 2027
Contact:        Hiroshi Tanaka, E-mail: h.tanaka@example.net

SG15 asks CCAMP to review the OTN topology model alignment options.
`, "\n", "\r\n")
}

// A statement whose sender cannot be written into a reply is recorded all
// the same: the correction is kept in the outbox as failed, with the
// reason, and the IAB is told once.
func TestIngestKeepsAStatementWhoseCorrectionCannotBeComposed(t *testing.T) {
	tests := []struct{ name, from, reason string }{
		// `"TSB" <"tsb sg15"@itu.int>` is written as it is (mailaddr.Writable).
		{"domain literal", `"TSB" <tsb@[192.0.2.1]>`, "domain is not a host name"},
		{"non-ASCII local part", `=?utf-8?q?J=C3=BCrgen?= <jürgen@itu.int>`, "non-ASCII local part"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			eml := filepath.Join(t.TempDir(), "ls.eml")
			if err := os.WriteFile(eml, []byte(misdirectedFrom(tc.from, "unwritable-1@itu.int")), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := c.run("ingest", "--json", eml)
			if code != 0 {
				t.Fatalf("ingest exit %d: %s\n%s", code, out, errs)
			}
			var line struct {
				ID    string   `json:"id"`
				Flags []string `json:"flags"`
				Error string   `json:"error"`
			}
			if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &line); err != nil || !strings.HasPrefix(line.ID, "LS-") || line.Error != "" {
				t.Fatalf("ingest printed %q (%v): the statement was not recorded", out, err)
			}

			code, out, errs = c.run("outbox", "--json")
			if code != 0 {
				t.Fatalf("outbox exit %d: %s", code, errs)
			}
			var failed, reports, notices int
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var e struct {
					Kind, State, Recipient string
					RecordID               string `json:"record_id"`
					LastError              string `json:"last_error"`
				}
				if err := json.Unmarshal([]byte(l), &e); err != nil {
					t.Fatalf("outbox line %q: %v", l, err)
				}
				switch e.Kind {
				case "misdirection":
					failed++
					if e.State != "failed" || !strings.Contains(e.LastError, tc.reason) || e.RecordID != line.ID {
						t.Errorf("correction entry %+v, want failed with %q", e, tc.reason)
					}
				case "delivery-failure":
					reports++
					if e.Recipient != "liaison-coordination@iab.example" || e.State != "queued" {
						t.Errorf("report %+v", e)
					}
				case "notice":
					notices++
				}
			}
			if failed != 1 || reports != 1 || notices == 0 {
				t.Errorf("outbox: %d failed corrections, %d IAB reports, %d notices; want 1, 1 and some:\n%s", failed, reports, notices, out)
			}

			code, out, _ = c.run("show", line.ID)
			if code != 0 || !strings.Contains(out, "compose-failed") {
				t.Errorf("show exit %d lacks the compose-failed event:\n%s", code, out)
			}
		})
	}
}
