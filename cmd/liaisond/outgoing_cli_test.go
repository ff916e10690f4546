package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
	"github.com/ietf-tools/liaisond/outgoing"
	"github.com/ietf-tools/liaisond/store"
)

// showOutgoing is `show --json` of a statement drafted here.
type showOutgoing struct {
	store.Detail
	Outgoing *outgoing.Status `json:"outgoing"`
}

func (c *cliEnv) outgoing(id string) showOutgoing {
	c.t.Helper()
	code, out, errs := c.run("show", "--json", id)
	if code != 0 {
		c.t.Fatalf("show --json exit %d: %s", code, errs)
	}
	var s showOutgoing
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		c.t.Fatalf("show --json: %v\n%s", err, out)
	}
	return s
}

// The CLI drafts an answer, shows its problems and sheet, edits it,
// refuses approvals as the action layer does, renders the PDF and sends:
// by itself, and the same through a running daemon's control socket (the
// files it reads and writes stay the client's).
func TestCLIOutgoingStatement(t *testing.T) {
	t.Run("directly", func(t *testing.T) { testCLIOutgoingStatement(t, false) })
	t.Run("through the daemon", func(t *testing.T) { testCLIOutgoingStatement(t, true) })
}

func testCLIOutgoingStatement(t *testing.T, viaDaemon bool) {
	c := newControlCLI(t)
	in := c.ingestOne()
	var td *testDaemon
	if viaDaemon {
		td = c.startDaemon()
	}
	dir := t.TempDir()
	body := filepath.Join(dir, "body.txt")
	if err := os.WriteFile(body, []byte("CCAMP thanks SG15 for its LS.\nNo extension of RFC 7139 is planned.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	attached := filepath.Join(dir, "draft-ietf-ccamp-b400g.txt")
	if err := os.WriteFile(attached, []byte("Internet-Draft\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(wantCode int, want string, args ...string) string {
		t.Helper()
		code, out, errs := c.run(args...)
		if code != wantCode || !strings.Contains(out+errs, want) {
			t.Fatalf("%v: exit %d (want %d), output %q %q; want %q", args, code, wantCode, out, errs, want)
		}
		return out
	}
	out := run(0, "2 problems", "draft", "--reply-to", in, "--from", "ccamp", "--purpose", "action", "--deadline", "2027-01-05",
		"--body-file", body, "--attach", attached, "--addressee", "Q11/15", "--by", "jane.doe@example.org")
	const id = "LS-2026-0002"
	for _, want := range []string{id + ": drafted to ITU-T Study Group 15 from ccamp, answering " + in, "  - contact: no contact", "  - deadline: deadline 2027-01-05 leaves ITU-T Study Group 15 38 days to reply; it needs at least 60"} {
		if !strings.Contains(out, want) {
			t.Errorf("draft output lacks %q:\n%s", want, out)
		}
	}
	out = run(0, "Check:", "show", id)
	for _, want := range []string{"Outgoing statement:", "State:               draft", "2 to fix before approval:", "Awaiting approval:   ccamp: ccamp-chairs@ietf.example (chair)", "Sheet (itu format", "| TITLE:                LS/r on OTN beyond 400G transport and its control plane"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	consensus := "https://mailarchive.example/ccamp/b400g-consensus"
	run(1, "fix them first", "approve", id, "--by", "ccamp-chairs@ietf.example", "--consensus", consensus)
	run(2, "unexpected argument", "draft", "--edit", id, "stray")
	run(0, "no problems", "draft", "--edit", id, "--deadline", "2027-03-01", "--contact", "Daniele Ceccarelli <daniele@example.org>")
	run(1, "jane.doe@example.org (roles: manager) may not approve it: that needs approver", "approve", id, "--by", "jane.doe@example.org", "--consensus", "my own idea")
	run(1, "may not approve", "approve", id, "--consensus", consensus)
	run(2, "say where the IETF consensus is recorded", "approve", id, "--by", "ccamp-chairs@ietf.example")
	run(0, "approved by every sending group", "approve", id, "--by", "ccamp-chairs@ietf.example", "--consensus", consensus)
	run(1, "what was approved cannot change", "draft", "--edit", id, "--title", "Another title")

	pdfPath := filepath.Join(dir, "sheet.pdf")
	run(0, "wrote "+pdfPath+" (pdf,", "render", id, "--pdf", pdfPath)
	data, err := os.ReadFile(pdfPath)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdftext.Text(data, pdftext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LS/r on OTN beyond 400G transport and its control plane", "1 March 2027", consensus} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	run(0, "TITLE:", "render", id)

	run(0, "queued to ITU-T Study Group 15", "send", id, "--by", "jane.doe@example.org")
	s := c.outgoing(id)
	if s.Outgoing == nil || s.Outgoing.State != liaison.OutboundSent || s.State != liaison.StateOpen || len(s.Outgoing.Approvals) != 1 {
		t.Fatalf("after sending: %+v", s.Outgoing)
	}
	if d := c.detail(in); d.State != liaison.StateAnswered {
		t.Errorf("the statement answered is %s", d.State)
	}
	var kinds []string
	for _, o := range s.Outbox {
		kinds = append(kinds, o.Kind+" "+o.Recipient)
	}
	if !strings.Contains(strings.Join(kinds, ","), "outgoing-statement tsbsg15@itu.int") {
		t.Errorf("outbox of %s: %v", id, kinds)
	}
	run(0, id, "list", "--state", "open")
	if out := run(0, "ID", "list", "--state", "draft"); strings.Contains(out, id) {
		t.Errorf("a sent statement is listed as a draft:\n%s", out)
	}
	run(1, "is not a statement drafted here", "render", in)
	run(2, "say who the statement is for", "draft", "--from", "ccamp")
	if td != nil {
		for _, cmd := range []string{"draft", "show", "approve", "render", "send"} {
			if td.served(cmd) == 0 {
				t.Errorf("%s did not go through the daemon", cmd)
			}
		}
	}
}
