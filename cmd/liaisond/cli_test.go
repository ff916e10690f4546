package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

// cliEnv runs subcommands in-process against a config whose data dir is a
// temporary folder, on a fixed clock.
type cliEnv struct {
	t   *testing.T
	cfg string
}

func newCLI(t *testing.T) *cliEnv {
	t.Helper()
	dir := t.TempDir()
	cfg := regexp.MustCompile(`(?m)^data_dir:.*$`).ReplaceAll(examples.Config, []byte("data_dir: "+filepath.Join(dir, "data")))
	p := filepath.Join(dir, "liaisond.yaml")
	if err := os.WriteFile(p, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	return &cliEnv{t: t, cfg: p}
}

func (c *cliEnv) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	env := &cmdEnv{stdout: &out, stderr: &errb, now: func() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC) }}
	full := append([]string{args[0], "-c", c.cfg}, args[1:]...)
	code = runMain(env, full)
	return code, out.String(), errb.String()
}

func TestCLIIngestListShowReprocess(t *testing.T) {
	c := newCLI(t)
	code, out, errs := c.run("ingest", "--json", "--no-mail", "../../testdata/corpus")
	if code != 0 {
		t.Fatalf("ingest exit %d: %s", code, errs)
	}
	files, _ := filepath.Glob("../../testdata/corpus/*.eml")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(files) {
		t.Fatalf("ingest printed %d lines for %d messages", len(lines), len(files))
	}
	kinds := map[string]int{}
	var firstLS string
	for _, l := range lines {
		var r struct {
			ID, Kind, Error string
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
		if r.ID == "" || r.Error != "" {
			t.Errorf("line without id or with an error: %s", l)
		}
		// The same object as list --json, plus what ingesting did.
		for _, f := range []string{"id", "message_id", "received", "kind", "title", "from_org", "to_groups", "state", "origin"} {
			if !strings.Contains(l, `"`+f+`":`) {
				t.Errorf("ingest --json line lacks %q: %s", f, l)
			}
		}
		kinds[r.Kind]++
		if firstLS == "" && strings.HasPrefix(r.ID, "LS-") {
			firstLS = r.ID
		}
	}
	for _, k := range []string{"statement", "reply", "autoreply", "bounce"} {
		if kinds[k] == 0 {
			t.Errorf("no %s among %v", k, kinds)
		}
	}

	// list --json carries the documented field names.
	code, out, errs = c.run("list", "--state", "all", "--json")
	if code != 0 {
		t.Fatalf("list exit %d: %s", code, errs)
	}
	first := strings.SplitN(out, "\n", 2)[0]
	for _, f := range []string{"id", "message_id", "received", "kind", "direction", "title", "purpose", "deadline", "from_org", "from_org_text", "from_group", "to_groups", "response_contacts", "technical_contacts", "in_response_to", "other_ids", "attachments", "state", "misdirected", "misdirection_reason", "managers", "no_manager", "duplicate_of"} {
		if !strings.Contains(first, `"`+f+`":`) {
			t.Errorf("list --json lacks %q: %s", f, first)
		}
	}

	code, out, _ = c.run("show", firstLS)
	if code != 0 || !strings.Contains(out, "History:") || !strings.Contains(out, "received") || !strings.Contains(out, "[") {
		t.Errorf("show %s (exit %d):\n%s", firstLS, code, out)
	}
	code, out, _ = c.run("show", "--json", "LS-1999-0001")
	if code == 0 {
		t.Errorf("show of an unknown id succeeded: %s", out)
	}

	// Reprocess with an unchanged config changes nothing.
	code, out, errs = c.run("reprocess")
	if code != 0 || !strings.Contains(out, " 0 changed") {
		t.Errorf("reprocess (exit %d): %s %s", code, out, errs)
	}
	// Ingesting the same files again records nothing new.
	_, out, _ = c.run("ingest", "--no-mail", "../../testdata/corpus/01-tracker-sg15-otn-action.eml")
	if !strings.Contains(out, " already-recorded") || strings.Contains(out, "duplicate-of:") {
		t.Errorf("second ingest: %s", out)
	}
	_, out, _ = c.run("ingest", "--json", "--no-mail", "../../testdata/corpus/01-tracker-sg15-otn-action.eml")
	var again struct {
		ID          string `json:"id"`
		MessageID   string `json:"message_id"`
		Duplicate   bool   `json:"duplicate"`
		DuplicateOf string `json:"duplicate_of"`
	}
	if err := json.Unmarshal([]byte(out), &again); err != nil || !again.Duplicate || again.DuplicateOf != again.ID || again.MessageID == "" {
		t.Errorf("second ingest --json: %v %+v from %s", err, again, out)
	}
}

func TestCLICheck(t *testing.T) {
	c := newCLI(t)
	code, out, _ := c.run("check")
	if code != 0 || !strings.Contains(out, "ok: 13 organizations") {
		t.Errorf("check exit %d: %s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("liaison_address: statements@ietf.example\nliason_typo: 1\n"), 0o600)
	var o, e bytes.Buffer
	code = runMain(&cmdEnv{stdout: &o, stderr: &e, now: time.Now}, []string{"check", "-c", bad})
	if code != exitConfig || !strings.Contains(e.String(), bad+":2:") {
		t.Errorf("bad config: exit %d, stderr %q", code, e.String())
	}
}

// TestCLIHostilePDFCannotHangIngest feeds ingest a statement whose PDF
// makes the PDF library loop forever: the sandboxed reader gives up, the
// statement is recorded with a "pdf" problem, and ingest carries on.
func TestCLIHostilePDFCannotHangIngest(t *testing.T) {
	old := pdfTimeout
	pdfTimeout = 2 * time.Second
	defer func() { pdfTimeout = old }()
	c := newCLI(t)
	// A valid PDF, then its page tree's Kids pointed back at the tree
	// itself (same length, so the cross-reference table stays right).
	pdf := strings.Replace(string(pdftext.Minimal([]pdftext.Line{{X: 72, Y: 700, S: "Source: ITU-T SG15"}})), "/Kids [3 0 R]", "/Kids [2 0 R]", 1)
	var b strings.Builder
	b.WriteString("From: ITU-T SG15 <tsb@itu.int>\r\nTo: statements@ietf.example\r\nSubject: LS from ITU-T SG15 to IETF CCAMP on OTN, for action\r\n")
	b.WriteString("Message-ID: <hostile-pdf@itu.int>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"p\"\r\n\r\n")
	b.WriteString("--p\r\nContent-Type: text/plain\r\n\r\nPlease find attached an LS from ITU-T SG15 to IETF CCAMP, for action.\r\n")
	b.WriteString("--p\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"loop.pdf\"\r\n\r\n" + pdf + "\r\n--p--\r\n")
	path := filepath.Join(t.TempDir(), "hostile.eml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, out, errs := c.run("ingest", "--no-mail", path)
	if code != 0 || !strings.Contains(out, "statement itu-t-sg15") || !strings.Contains(out, "problem:pdf") {
		t.Fatalf("ingest exit %d: %s %s", code, out, errs)
	}
	if _, show, _ := c.run("show", strings.Fields(out)[0]); !strings.Contains(show, "gave up after 2s") {
		t.Errorf("the problem does not say the reader gave up:\n%s", show)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("ingest took %v", d)
	}
}
