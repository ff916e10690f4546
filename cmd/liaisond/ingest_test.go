package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/hostile"
	"github.com/ietf-tools/liaisond/internal/samplemail"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

// TestCLIIngestHostileMaildir ingests generated hostile mail between good
// statements: every message gets a line and a record, none is an error, the
// one the database cannot take as it is (a Message-ID longer than a key may
// be) is kept as failed with the reason, and the good ones are statements.
func TestCLIIngestHostileMaildir(t *testing.T) {
	oldDoc, oldBudget := pdfTimeout, pdfBudget
	pdfTimeout, pdfBudget = time.Second, 3*time.Second
	defer func() { pdfTimeout, pdfBudget = oldDoc, oldBudget }()
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
	msgs := hostile.All(1, hostile.Quick)
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
	statements, giant, skipped := 0, "", 0
	for _, l := range lines {
		if strings.Contains(l, "problem:pdf-skipped") {
			skipped++
		}
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
	if skipped != 1 {
		t.Errorf("%d messages with PDFs skipped for want of time, want the one with the looping PDFs:\n%s", skipped, out)
	}
	if giant == "" {
		t.Fatalf("no message kept as failed:\n%s", out)
	}
	if _, show, _ := c.run("show", giant); !strings.Contains(show, "key too large") || !strings.Contains(show, "giant-message-id") {
		t.Errorf("the failed record does not say what happened:\n%s", show)
	}
}

// A message with fifty PDFs that each make the reader loop forever costs
// one budget, not fifty timeouts: the readers started stop when it is
// spent, and the rest are skipped with one problem.
func TestPDFBudgetBoundsAMessage(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sb := pdftext.Sandbox{Name: exe, Args: []string{"pdftext"}}
	reads := 0
	b := &pdftext.Budget{
		Read:        func(ctx context.Context, pdf []byte) (string, error) { reads++; return sb.Read(ctx, pdf) },
		PerDocument: time.Second, Total: 2500 * time.Millisecond,
	}
	start := time.Now()
	x := mailproc.Parse(hostile.LoopingPDFs(1, 50), mailproc.Options{PDFText: b.Text})
	took := time.Since(start)
	// 1s + 1s + the 0.5s left: three readers. On a loaded machine starting
	// and killing a reader eats into the budget too, so the third may not
	// get a turn; the budget accounting itself is tested with a fake clock.
	if reads < 2 || reads > 3 {
		t.Errorf("%d readers started, want 3 (or 2 when the machine is slow)", reads)
	}
	var gaveUp, skipped int
	for _, p := range x.Problems {
		switch p.Code {
		case "pdf":
			gaveUp++
		case "pdf-skipped":
			skipped++
			if want := fmt.Sprintf("annex-%d.pdf and any PDF after it", reads); !strings.Contains(p.Detail, want) {
				t.Errorf("skipped problem = %q", p.Detail)
			}
		}
	}
	if gaveUp != reads || skipped != 1 {
		t.Errorf("problems %+v: want %d give-ups and one skip", x.Problems, reads)
	}
	if took > 20*time.Second { // the budget is 2.5s; generous for a loaded machine
		t.Errorf("parsing took %v", took)
	}
}
