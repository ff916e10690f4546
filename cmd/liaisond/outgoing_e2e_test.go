package main

// End-to-end test of outgoing statements (issue 12): the real binary,
// Dovecot and Mailpit. A peer's statement arrives over IMAP; the answer is
// drafted, checked, fixed, refused to a non-approver, approved by a chair
// with a consensus reference and sent through SMTP in the peer's format;
// its copy, delivered back to the liaison mailbox, is recognised as the
// same record. Once for ITU-T (PDF), once for 3GPP (Word).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/ietf-tools/liaisond/internal/testsvc"
	"github.com/ietf-tools/liaisond/mailproc/docx"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
	"github.com/ietf-tools/liaisond/store"
)

// run runs a one-shot command and returns its exit code and output,
// without failing the test on a non-zero exit.
func (e *e2eEnv) run(args ...string) (int, string) {
	e.t.Helper()
	cmd := exec.Command(liaisondBinary(e.t), append(args[:1:1], append([]string{"-c", e.cfgPath}, args[1:]...)...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String()
	}
	if err != nil {
		e.t.Fatalf("liaisond %v: %v", args, err)
	}
	return 0, out.String()
}

// must runs a command that must exit with code and say want.
func (e *e2eEnv) must(code int, want string, args ...string) string {
	e.t.Helper()
	got, out := e.run(args...)
	if got != code || !strings.Contains(out, want) {
		e.t.Fatalf("liaisond %v: exit %d (want %d), output:\n%s\nwant %q", args, got, code, out, want)
	}
	return out
}

// settle runs the daemon until the inbox is empty and nothing is left to
// send, then stops it (the CLI below opens the database itself).
func (e *e2eEnv) settle(what string) {
	e.t.Helper()
	e.start()
	waitUntil(e.t, 60*time.Second, what, func() bool { return len(e.dovecot.UIDs(e.t, "INBOX")) == 0 })
	for tries := 0; ; tries++ {
		time.Sleep(500 * time.Millisecond)
		e.stop(syscall.SIGTERM)
		queued := 0
		for _, o := range e.outbox() {
			if o.State == "queued" {
				queued++
			}
		}
		if queued == 0 {
			return
		}
		if tries == 40 {
			e.t.Fatalf("%d mails still queued after %s", queued, what)
		}
		e.start()
	}
}

// history is a record's history as "type detail [by]" lines.
func (e *e2eEnv) history(id string) string {
	e.t.Helper()
	var d store.Detail
	if err := json.Unmarshal([]byte(e.must(0, id, "show", "--json", id)), &d); err != nil {
		e.t.Fatal(err)
	}
	var lines []string
	for _, ev := range d.History {
		lines = append(lines, string(ev.Type)+" "+ev.Detail+" ["+ev.By+"]")
	}
	return strings.Join(lines, "\n")
}

// peerMail is the one mail Mailpit holds to addr, with its attachments.
type peerMail struct {
	raw   []byte
	kind  string
	text  string
	files map[string][]byte
}

func (e *e2eEnv) mailsTo(addr string) []testsvc.MailpitMessage {
	var out []testsvc.MailpitMessage
	for _, m := range e.mailpit.Messages(e.t) {
		if strings.Contains(strings.ToLower(strings.Join(m.To, ",")), strings.ToLower(addr)) {
			out = append(out, m)
		}
	}
	return out
}

func (e *e2eEnv) onlyMailTo(addr string) peerMail {
	e.t.Helper()
	ms := e.mailsTo(addr)
	if len(ms) != 1 {
		e.t.Fatalf("Mailpit holds %d mails to %s, want 1", len(ms), addr)
	}
	pm := peerMail{raw: e.mailpit.Raw(e.t, ms[0].ID), files: map[string][]byte{}}
	r, err := gomail.CreateReader(bytes.NewReader(pm.raw))
	if err != nil {
		e.t.Fatal(err)
	}
	pm.kind = r.Header.Get("X-Liaisond-Kind")
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			e.t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			pm.text += string(b)
		case *gomail.AttachmentHeader:
			name, _ := h.Filename()
			pm.files[name] = b
		}
	}
	return pm
}

// flat collapses white space, for text read back from documents.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestE2EOutgoingStatements(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	day := func(days int) time.Time { return time.Now().AddDate(0, 0, days) }
	iso := func(t time.Time) string { return t.Format("2006-01-02") }
	long := func(t time.Time) string { return t.Format("2 January 2006") }
	year := time.Now().Year()
	ls := func(n int) string { return fmt.Sprintf("LS-%d-%04d", year, n) }
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// 1. ITU-T SG15's statement arrives.
	sg15 := strings.NewReplacer("15 March 2027", long(day(120)), "e2e-statement@itu.int", "e2e-out-sg15@itu.int").Replace(cmdE2EStatement)
	e.dovecot.Append(t, "INBOX", []byte(strings.ReplaceAll(sg15, "\n", "\r\n")))
	e.settle("the SG15 statement")
	in := ls(1)
	if recs := e.records(); len(recs) != 1 || recs[0].ID != in {
		t.Fatalf("records %+v", recs)
	}

	// 2. The answer is drafted; SG15's rules find two problems.
	body := write("answer.txt", "CCAMP thanks SG15 for its LS.\n\nCCAMP prefers alignment option B; the attached draft describes it.\n")
	att := write("draft-ietf-ccamp-otn-topo-align-00.txt", "Internet-Draft: OTN topology YANG model alignment\n")
	out := e.must(0, "2 problems to fix before approval", "draft", "--reply-to", in, "--from", "ccamp", "--purpose", "action",
		"--deadline", iso(day(20)), "--body-file", body, "--attach", att, "--addressee", "Q12/15", "--by", "jane.doe@example.org")
	id := ls(2)
	for _, want := range []string{"- contact: no contact", "- deadline: deadline " + iso(day(20)) + " leaves ITU-T Study Group 15 20 days to reply; it needs at least 60"} {
		if !strings.Contains(out, want) {
			t.Errorf("draft output lacks %q:\n%s", want, out)
		}
	}
	e.must(0, "Check:               2 to fix before approval:", "show", id)
	consensus := "https://mailarchive.example/arch/msg/ccamp/otn-align-consensus"
	e.must(1, "fix them first", "approve", id, "--by", "ccamp-chairs@ietf.example", "--consensus", consensus)

	// 3. Fixed; a liaison manager who is not an approver may not approve.
	e.must(0, "no problems: ready for approval by ccamp", "draft", "--edit", id, "--deadline", iso(day(90)), "--contact", "Daniele Ceccarelli <daniele.ceccarelli@example.org>")
	e.must(1, "jane.doe@example.org (roles: manager) may not approve it: that needs approver", "approve", id, "--by", "jane.doe@example.org", "--consensus", "the manager's own idea")

	// 4. Approved by the CCAMP chairs on a consensus call, and sent.
	e.must(0, "approved by every sending group", "approve", id, "--by", "ccamp-chairs@ietf.example", "--consensus", consensus)
	e.must(0, "queued to ITU-T Study Group 15", "send", id, "--by", "jane.doe@example.org")
	waitUntil(t, 30*time.Second, "the statement in Mailpit", func() bool { return len(e.mailsTo("tsbsg15@itu.int")) > 0 })
	itu := e.onlyMailTo("tsbsg15@itu.int")
	if itu.kind != "outgoing-statement" {
		t.Errorf("kind %q", itu.kind)
	}
	for _, want := range []string{"SOURCE: IETF CCAMP WG", "TITLE: LS/r on alignment of the OTN topology YANG model",
		"FOR ACTION TO: ITU-T Study Group 15 (Q12/15)", "DEADLINE: " + long(day(90)), "APPROVAL: IETF CCAMP WG consensus: " + consensus} {
		if !strings.Contains(flat(itu.text), want) {
			t.Errorf("the mail's sheet lacks %q:\n%s", want, itu.text)
		}
	}
	pdf, ok := itu.files[id+".pdf"]
	if !ok || string(itu.files["draft-ietf-ccamp-otn-topo-align-00.txt"]) != "Internet-Draft: OTN topology YANG model alignment\n" {
		t.Fatalf("attachments %v", keys(itu.files))
	}
	text, err := pdftext.Text(pdf, pdftext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LS/r on alignment of the OTN topology YANG model", "DEADLINE: " + long(day(90)), "FOR ACTION TO: ITU-T Study Group 15 (Q12/15)"} {
		if !strings.Contains(flat(text), want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(itu.raw))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"In-Reply-To": "<e2e-out-sg15@itu.int>", "Cc": "statements@ietf.example", "Reply-To": "statements@ietf.example",
		"Subject": "LS from IETF CCAMP WG to ITU-T Study Group 15: LS/r on alignment of the OTN topology YANG model"} {
		if got := msg.Header.Get(name); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	for _, cc := range []string{"jane.doe@example.org", "kenji.sato@example.org", "ccamp@ietf.example"} {
		if !strings.Contains(msg.Header.Get("Cc"), cc) {
			t.Errorf("Cc %q lacks %s", msg.Header.Get("Cc"), cc)
		}
	}

	// 5. Its copy comes back through the liaison mailbox: the same record.
	e.dovecot.Append(t, "INBOX", itu.raw)
	e.settle("the copy of the sent statement")
	if recs := e.records(); len(recs) != 2 {
		t.Errorf("after the copy came back: %+v, want the statement and its answer only", recs)
	}
	if !strings.Contains(e.history(id), "the copy of the statement as sent came back") {
		t.Errorf("the copy is not recorded on %s", id)
	}
	var d store.Detail
	_ = json.Unmarshal([]byte(e.must(0, in, "show", "--json", in)), &d)
	if d.State != "answered" {
		t.Errorf("%s is %s, want answered", in, d.State)
	}
	checkHistories(t, e, id, in, consensus, "ccamp-chairs@ietf.example", "jane.doe@example.org")

	// 6. 3GPP SA2: the same flow gives the 3GPP sheet, as a Word document.
	sa2, err := os.ReadFile("../../testdata/corpus/12-3gpp-sa2-text-action.eml")
	if err != nil {
		t.Fatal(err)
	}
	e.dovecot.Append(t, "INBOX", sa2)
	e.settle("the SA2 statement")
	in3 := ls(3)
	body3 := write("answer3.txt", "DMM thanks SA WG2 for its questions.\nA1: Yes.\nA2: No issue is seen.\n")
	e.must(0, "1 problem to fix before approval", "draft", "--reply-to", in3, "--from", "dmm", "--release", "Rel-19", "--work-item", "FS_DMM_5G",
		"--body-file", body3, "--addressee", "3GPP TSG SA WG2", "--by", "li.wei@example.org")
	id3 := ls(4)
	e.must(0, "no problems", "draft", "--edit", id3, "--contact", "Sri Gundavelli <sri@example.org>", "--by", "dmm-chairs@ietf.example")
	e.must(1, "may not approve", "approve", id3, "--by", "li.wei@example.org", "--consensus", "x")
	consensus3 := "DMM session minutes, IETF 128"
	e.must(0, "approved by every sending group", "approve", id3, "--by", "dmm-chairs@ietf.example", "--consensus", consensus3)
	e.must(0, "queued to 3GPP TSG SA WG2", "send", id3, "--by", "li.wei@example.org")
	waitUntil(t, 30*time.Second, "the 3GPP statement in Mailpit", func() bool { return len(e.mailsTo("3GPPLiaison@etsi.org")) > 0 })
	gpp := e.onlyMailTo("3GPPLiaison@etsi.org")
	doc, ok := gpp.files[id3+".docx"]
	if !ok {
		t.Fatalf("attachments %v", keys(gpp.files))
	}
	dtext, err := docx.Text(doc, docx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Title: Reply LS on IPv6 multi-homing for PDU Sessions with distributed anchors", "Response to: S2-2701234",
		"Release: Rel-19", "Work Item: FS_DMM_5G", "Source: IETF DMM WG", "To: 3GPP TSG SA WG2", "Contact Person:", "Sri Gundavelli",
		"Send any reply LS to:", "statements@ietf.example", "1. Overall Description:"} {
		if !strings.Contains(flat(dtext), want) || !strings.Contains(flat(gpp.text), want) {
			t.Errorf("the 3GPP sheet lacks %q:\nWord: %s\nmail: %s", want, flat(dtext), gpp.text)
		}
	}
	e.dovecot.Append(t, "INBOX", gpp.raw)
	e.settle("the copy of the 3GPP statement")
	if recs := e.records(); len(recs) != 4 {
		t.Errorf("after the 3GPP copy came back: %d records, want 4", len(recs))
	}
	checkHistories(t, e, id3, in3, consensus3, "dmm-chairs@ietf.example", "li.wei@example.org")
}

// checkHistories checks that both the answer and the statement it answers
// tell of its draft, check, approval (who, consensus) and sending.
func checkHistories(t *testing.T, e *e2eEnv, id, in, consensus, approver, sender string) {
	t.Helper()
	out, answered := e.history(id), e.history(in)
	for _, want := range []string{"drafted drafted to", "checked ", "checked no problems", "approved approved for ", "by " + approver + " (chair); consensus: " + consensus + " (unix user " + localUser(os.Getuid()) + ") [" + approver + "]", "sent-to-peer sent to ", "[" + sender + "]"} {
		if !strings.Contains(out, want) {
			t.Errorf("%s's history lacks %q:\n%s", id, want, out)
		}
	}
	for _, want := range []string{"drafted answer " + id + ": drafted", "checked answer " + id + ": ", "approved answer " + id + ": approved for ", "consensus: " + consensus, "sent-to-peer answer " + id + ": sent to", "answered answered by " + id} {
		if !strings.Contains(answered, want) {
			t.Errorf("%s's history lacks %q:\n%s", in, want, answered)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
