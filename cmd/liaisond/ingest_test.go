package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/hostile"
	"github.com/ietf-tools/liaisond/internal/samplemail"
)

// TestCLIIngestHostileMaildir ingests generated hostile mail between good
// statements: every message gets a line and a record, none is an error, the
// one the database cannot take as it is (a Message-ID longer than a key may
// be) is kept as failed with the reason, and the good ones are statements.
func TestCLIIngestHostileMaildir(t *testing.T) {
	old := pdfTimeout
	pdfTimeout = time.Second
	defer func() { pdfTimeout = old }()
	c := newCLI(t)
	dir := filepath.Join(t.TempDir(), "Maildir")
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name string, raw []byte) {
		if err := os.WriteFile(filepath.Join(dir, "new", name), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	msgs := hostile.All(1)
	for i, m := range msgs {
		write(fmt.Sprintf("%02d-hostile-%s", 2*i, m.Kind), m.Raw)
		write(fmt.Sprintf("%02d-good", 2*i+1), samplemail.Statement(i, 3000, true))
	}
	code, out, errs := c.run("ingest", "--no-mail", dir)
	if code != 0 {
		t.Fatalf("ingest exit %d:\n%s\n%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2*len(msgs) {
		t.Fatalf("%d lines for %d messages:\n%s", len(lines), 2*len(msgs), out)
	}
	statements, giant := 0, ""
	for _, l := range lines {
		if strings.Contains(l, " error ") {
			t.Errorf("not recorded: %s", l)
		}
		if strings.HasPrefix(l, "LS-") {
			statements++
		}
		if strings.Contains(l, "problem:unprocessed") {
			giant = strings.Fields(l)[0]
		}
	}
	if statements != len(msgs) {
		t.Errorf("%d statements recorded, want %d:\n%s", statements, len(msgs), out)
	}
	if giant == "" {
		t.Fatalf("no message kept as failed:\n%s", out)
	}
	if _, show, _ := c.run("show", giant); !strings.Contains(show, "key too large") || !strings.Contains(show, "giant-message-id") {
		t.Errorf("the failed record does not say what happened:\n%s", show)
	}
}
