package main

import (
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/templates"
)

// rebuildConfig is what a daemon needs for its mailbox to be its durable
// log: a sent folder, and a command key (which also keys the marks, so the
// rebuilt daemon makes the same Message-IDs).
var rebuildConfig = e2eOptions{imap: "  sent_folder: Sent\n", config: "commands:\n  secret_file: command.key\n"}

func writeCommandKey(t *testing.T, e *e2eEnv) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(e.dir, "command.key"), []byte("e2e rebuild key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// recordState is what must survive a rebuild of a record: everything but
// its id (compared separately), its receipt time and its history.
type recordState struct {
	Kind, Status, Title, Deadline, InternalDeadline, FromOrg string
	ToGroups, Managers, Corrections                          []string
	AckedBy, AnsweredBy                                      string
	Misdirected                                              bool
	Links                                                    int
}

func stateOf(v liaison.RecordView) recordState {
	s := recordState{Kind: string(v.Kind), Status: string(v.Status), Title: v.Title, Deadline: v.Deadline,
		InternalDeadline: v.InternalDeadline, FromOrg: v.FromOrg, ToGroups: v.ToGroups, Misdirected: v.Misdirected, Links: len(v.Links)}
	for _, m := range v.Managers {
		s.Managers = append(s.Managers, m.Email)
	}
	for _, c := range v.Corrections {
		s.Corrections = append(s.Corrections, fmt.Sprintf("%s=%s", c.Field, c.Value))
	}
	if v.Acked != nil {
		s.AckedBy = v.Acked.By
	}
	if v.Answered != nil {
		s.AnsweredBy = v.Answered.By
	}
	return s
}

// views lists every record by Message-ID.
func (e *e2eEnv) views() map[string]liaison.RecordView {
	out := map[string]liaison.RecordView{}
	for _, v := range jsonLines[liaison.RecordView](e.t, e.cli("list", "--state", "all", "--kind", "all", "--json")) {
		out[v.MessageID] = v
	}
	return out
}

// sentKeys lists the outbox's sent mail: key -> Message-ID.
func (e *e2eEnv) sentKeys() map[string]string {
	out := map[string]string{}
	for _, o := range e.outbox() {
		if o.State == "sent" {
			out[o.Key] = o.MessageID
		}
	}
	return out
}

// mailpitIDs counts the mails Mailpit holds by Message-ID.
func (e *e2eEnv) mailpitIDs() map[string]int {
	out := map[string]int{}
	for _, m := range e.mailpit.Messages(e.t) {
		out[m.MessageID]++
	}
	return out
}

// sendCommand replies to the notice Mailpit holds for to about the
// statement whose title contains about, from to, with body as its first
// line: a mail command.
func (e *e2eEnv) sendCommand(to, about, mid, body string) {
	e.t.Helper()
	for _, m := range e.mailpit.Messages(e.t) {
		if !strings.Contains(strings.Join(m.To, ","), to) || !strings.Contains(m.Subject, about) {
			continue
		}
		msg, err := mail.ReadMessage(strings.NewReader(string(e.mailpit.Raw(e.t, m.ID))))
		if err != nil {
			e.t.Fatal(err)
		}
		replyTo := msg.Header.Get("Reply-To")
		if replyTo == "" {
			continue
		}
		raw := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: Re: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nIn-Reply-To: %s\r\nReferences: %s\r\n\r\n%s\r\n",
			to, replyTo, m.Subject, time.Now().Format(time.RFC1123Z), mid, msg.Header.Get("Message-ID"), msg.Header.Get("Message-ID"), body)
		e.dovecot.Append(e.t, "INBOX", []byte(raw))
		return
	}
	e.t.Fatalf("no notice to %s about %q with a Reply-To", to, about)
}

// waitQuiet waits until Mailpit holds at least n mails and then for its
// count to stay put for a while (the outbox drained).
func (e *e2eEnv) waitQuiet(n int) int {
	e.t.Helper()
	waitUntil(e.t, 90*time.Second, fmt.Sprintf("%d mails in Mailpit", n), func() bool { return len(e.mailpit.Messages(e.t)) >= n })
	last := -1
	for {
		got := len(e.mailpit.Messages(e.t))
		if got == last {
			return got
		}
		last = got
		time.Sleep(3 * time.Second)
	}
}

// TestE2ERebuildFromTheMailbox runs the daemon over Dovecot and Mailpit
// with a sent folder: statements arrive and their notices go out, a
// manager sends a mail command, the operator acts through the CLI, a sweep
// sends reminders and escalations. Then the database is lost: `rebuild`
// makes it again from the processed and sent folders, and `run --once`
// and the same sweep send nothing (zero mails re-sent) while the records
// and their states are the same. What is due after that (a new statement,
// the next reminder) still goes out, once.
func TestE2ERebuildFromTheMailbox(t *testing.T) {
	e := newE2E(t, rebuildConfig)
	writeCommandKey(t, e)
	for i := range 3 {
		e.dovecot.Append(t, "INBOX", statement(6000+i, "ITU-T SG15", "CCAMP"))
	}
	e.start()
	// Each statement: its two managers and the chairs of ccamp and teas.
	n := e.waitQuiet(12)
	// A mail command from a manager, answering her notice.
	e.sendCommand("jane.doe@example.org", "part 6000", "cmd-6000@example.org", "delay 2027-05-01 waiting for the WG's consensus call")
	n = e.waitQuiet(n + 1)
	e.stop(syscall.SIGTERM)

	ids := map[string]string{}
	for mid, v := range e.views() {
		ids[mid] = v.ID
	}
	// The operator acts through the CLI (confirmed to the managers, the
	// action kept in the sent copies' traces).
	e.cli("set", ids["e2e-6001@itu.int"], "deadline", "2027-04-01")
	e.cli("close", ids["e2e-6002@itu.int"], "handled in the WG")
	e.cli("note", ids["e2e-6000@itu.int"], "asked the WG chairs")
	// Follow-up: reminders, escalations, digests as of that day.
	const day = "2027-03-18 09:00"
	e.cli("sweep", "--at", day)
	beforeViews, beforeSent, beforeMail := e.views(), e.sentKeys(), e.mailpitIDs()
	if len(beforeMail) <= n {
		t.Fatalf("the CLI actions and the sweep sent nothing (%d mails before, %d after)", n, len(beforeMail))
	}
	for mid, c := range beforeMail {
		if c != 1 {
			t.Fatalf("before the rebuild, %s reached Mailpit %d times", mid, c)
		}
	}
	// Every mail sent is in the sent folder, with a trace only there.
	filed := e.dovecot.Messages(t, "Sent")
	if len(filed) != len(beforeSent) {
		t.Fatalf("the sent folder holds %d copies for %d mails sent", len(filed), len(beforeSent))
	}
	for _, raw := range filed {
		if !strings.HasPrefix(string(raw), outmail.TraceHeader+":") {
			t.Fatalf("a filed copy without its trace: %.200s", raw)
		}
	}
	for _, m := range e.mailpit.Messages(t)[:1] {
		if strings.Contains(string(e.mailpit.Raw(t, m.ID)), outmail.TraceHeader) {
			t.Fatal("a mail went out with its trace")
		}
	}
	var actionsFiled int
	for _, raw := range filed {
		if strings.Contains(string(raw), "X-Liaisond-Kind: "+templates.CommandConfirm) {
			actionsFiled++
		}
	}

	// The database is lost.
	if err := os.RemoveAll(filepath.Join(e.dir, "data")); err != nil {
		t.Fatal(err)
	}
	report := string(e.cli("rebuild"))
	t.Logf("rebuild:\n%s", report)
	for _, want := range []string{"3 statements", "replayed: 3 (0 refused)", "0 with another instance's seal", "ids named by the sent folder: 3 kept, 0 changed"} {
		if !strings.Contains(report, want) {
			t.Errorf("the rebuild's report lacks %q", want)
		}
	}
	e.cli("run", "--once")
	e.cli("sweep", "--at", day)
	afterViews, afterSent, afterMail := e.views(), e.sentKeys(), e.mailpitIDs()

	// Zero mails re-sent.
	if !reflect.DeepEqual(afterMail, beforeMail) {
		var extra []string
		for mid, c := range afterMail {
			if c != beforeMail[mid] {
				extra = append(extra, fmt.Sprintf("%s x%d", mid, c-beforeMail[mid]))
			}
		}
		t.Errorf("after the rebuild, run --once and the sweep sent %d mails again: %v", len(afterMail)-len(beforeMail), extra)
	}
	// The same mail is known as sent, under the same keys and Message-IDs.
	for k, mid := range beforeSent {
		if afterSent[k] != mid {
			t.Errorf("sent mail %s: after the rebuild %q, want %q", k, afterSent[k], mid)
		}
	}
	// The same records, compared by Message-ID; ids compared apart.
	sameIDs := 0
	for mid, b := range beforeViews {
		a, ok := afterViews[mid]
		if !ok {
			t.Errorf("record %s (%s) not rebuilt", b.ID, mid)
			continue
		}
		if a.ID == b.ID {
			sameIDs++
		} else if strings.HasPrefix(b.ID, "LS-") {
			t.Errorf("statement %s came back as %s: the sent folder named its id", b.ID, a.ID)
		}
		if sb, sa := stateOf(b), stateOf(a); !reflect.DeepEqual(sb, sa) {
			t.Errorf("record %s (%s) differs after the rebuild:\n before %+v\n after  %+v", b.ID, mid, sb, sa)
		}
	}
	if len(afterViews) != len(beforeViews) {
		t.Errorf("%d records after the rebuild, %d before", len(afterViews), len(beforeViews))
	}
	t.Logf("records compared by Message-ID: %d (%d statements); same ids: %d; mails sent before: %d (%d confirmations of actions filed); re-sent: %d",
		len(beforeViews), countPrefix(beforeViews, "LS-"), sameIDs, len(beforeMail), actionsFiled, len(afterMail)-len(beforeMail))
	if want := []string{"closed"}; !slices.Contains(want, string(afterViews["e2e-6002@itu.int"].Status)) {
		t.Errorf("the statement closed through the CLI is %s after the rebuild", afterViews["e2e-6002@itu.int"].Status)
	}
	if got := afterViews["e2e-6001@itu.int"].Deadline; got != "2027-04-01" {
		t.Errorf("the deadline set through the CLI is %q after the rebuild", got)
	}
	if got := afterViews["e2e-6000@itu.int"].InternalDeadline; got != "2027-05-01" {
		t.Errorf("the delay by mail command is %q after the rebuild", got)
	}

	// What is due still goes out, once: a new statement's notices, and the
	// next reminder of the corrected deadline a week later.
	e.dovecot.Append(t, "INBOX", statement(6003, "ITU-T SG15", "CCAMP"))
	e.cli("run", "--once")
	e.cli("sweep", "--at", "2027-03-25 09:00")
	final := e.mailpitIDs()
	var fresh int
	for mid, c := range final {
		if c != 1 {
			t.Errorf("%s reached Mailpit %d times", mid, c)
		}
		if beforeMail[mid] == 0 {
			fresh++
		}
	}
	if fresh < 4 {
		t.Errorf("after the rebuild, %d new mails for a new statement and a later sweep, want its 4 notices and more", fresh)
	}
	t.Logf("after the rebuild: %d new mails (a new statement's notices, the next reminders), none twice", fresh)
}

func countPrefix(vs map[string]liaison.RecordView, p string) int {
	n := 0
	for _, v := range vs {
		if strings.HasPrefix(v.ID, p) {
			n++
		}
	}
	return n
}
