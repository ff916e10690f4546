package main

// End-to-end tests of relationship duties: the real binary, Dovecot and
// Mailpit (see e2e_test.go).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mailsOf returns Mailpit's messages whose X-Liaisond-Kind is kind and
// that are addressed (To) to addr ("" for any), with their raw bytes.
func (e *e2eEnv) mailsOf(kind, addr string) []*mail.Message {
	e.t.Helper()
	var out []*mail.Message
	for _, m := range e.mailpit.Messages(e.t) {
		if addr != "" && !slices.Contains(m.To, addr) {
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(e.mailpit.Raw(e.t, m.ID)))
		if err != nil {
			e.t.Fatal(err)
		}
		if msg.Header.Get("X-Liaisond-Kind") == kind {
			out = append(out, msg)
		}
	}
	return out
}

// editConfig rewrites the daemon's config file with edit.
func (e *e2eEnv) editConfig(edit func(string) string) {
	e.t.Helper()
	data, err := os.ReadFile(e.cfgPath)
	if err != nil {
		e.t.Fatal(err)
	}
	next := edit(string(data))
	if next == string(data) {
		e.t.Fatal("the config edit changed nothing")
	}
	if err := os.WriteFile(e.cfgPath, []byte(next), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// hup sends SIGHUP to the running daemon and waits until it logged the
// n-th successful reload.
func (e *e2eEnv) hup(n int) {
	e.t.Helper()
	if err := e.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		e.t.Fatal(err)
	}
	waitUntil(e.t, 20*time.Second, fmt.Sprintf("reload %d to be logged", n), func() bool {
		data, _ := os.ReadFile(e.logPath)
		return bytes.Count(data, []byte(`"msg":"config reloaded"`)) >= n
	})
}

func textBody(t testing.TB, m *mail.Message) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := b.ReadFrom(m.Body); err != nil {
		t.Fatal(err)
	}
	// Quoted-printable soft breaks and CRLF, for substring checks.
	return strings.NewReplacer("=\r\n", "", "\r\n", "\n", "=3D", "=").Replace(b.String())
}

type shown struct {
	ID       string `json:"id"`
	State    string `json:"state"`
	Managers []struct {
		Email string `json:"email"`
	} `json:"managers"`
}

func (e *e2eEnv) managersOf(id string) []string {
	e.t.Helper()
	var s shown
	if err := json.Unmarshal(e.cli("show", "--json", id), &s); err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, m := range s.Managers {
		out = append(out, m.Email)
	}
	slices.Sort(out)
	return out
}

// TestE2EHandoverOnSIGHUP replaces a liaison manager under a running
// daemon (SIGHUP): the new manager gets one handover mail listing exactly
// the relationship's open statements, the old one one closing mail, the
// answered statement keeps its managers, the open ones move, and a second
// reload sends nothing.
func TestE2EHandoverOnSIGHUP(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	// Three statements from ITU-T SG15 (managers Jane Doe and Kenji Sato).
	for _, n := range []int{5001, 5002, 5003} {
		e.dovecot.Append(t, "INBOX", statement(n, "ITU-T SG15", "CCAMP"))
	}
	e.start()
	waitUntil(t, 60*time.Second, "the three statements' notices", func() bool { return len(e.mailsOf("notice", "jane.doe@example.org")) == 3 })
	e.stop(syscall.SIGTERM)
	ids := map[int]string{}
	for _, r := range e.records() {
		for _, n := range []int{5001, 5002, 5003} {
			if r.MessageID == fmt.Sprintf("e2e-%d@itu.int", n) {
				ids[n] = r.ID
			}
		}
	}
	if len(ids) != 3 {
		t.Fatalf("records: %+v", e.records())
	}
	// One is answered (the CLI, daemon stopped: it opens the database).
	e.cli("answered", ids[5003], "sent by the tracker")

	e.start()
	time.Sleep(time.Second)
	today := time.Now().UTC()
	e.editConfig(func(s string) string {
		return strings.Replace(s, "{name: Jane Doe, email: jane.doe@example.org, since: 2023-04-01}",
			fmt.Sprintf("{name: Jane Doe, email: jane.doe@example.org, since: 2023-04-01, until: %s}\n      - {name: Nia New, email: nia.new@example.org, since: %s}",
				today.AddDate(0, 0, -1).Format("2006-01-02"), today.Format("2006-01-02")), 1)
	})
	e.hup(1)
	waitUntil(t, 30*time.Second, "the handover and closing mails", func() bool {
		return len(e.mailsOf("handover", "nia.new@example.org")) > 0 && len(e.mailsOf("appointment-ended", "jane.doe@example.org")) > 0
	})
	hand := e.mailsOf("handover", "nia.new@example.org")
	body := textBody(t, hand[0])
	listed := regexp.MustCompile(`(?m)^- (LS-\d{4}-\d{4}) `).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range listed {
		got = append(got, m[1])
	}
	if want := []string{ids[5001], ids[5002]}; !slices.Equal(got, want) {
		t.Errorf("handover lists %v, want exactly the open statements %v:\n%s", got, want, body)
	}
	if !strings.Contains(body, "You take over from Jane Doe <jane.doe@example.org>") || !strings.Contains(body, "2027-03-15") {
		t.Errorf("handover:\n%s", body)
	}
	if closing := textBody(t, e.mailsOf("appointment-ended", "jane.doe@example.org")[0]); !strings.Contains(closing, "Its open statements (2) now go to") ||
		!strings.Contains(closing, "Kenji Sato <kenji.sato@example.org>") || !strings.Contains(closing, "Nia New <nia.new@example.org>") {
		t.Errorf("closing mail:\n%s", closing)
	}

	// A second reload (nothing changed since) sends nothing more.
	e.hup(2)
	time.Sleep(3 * time.Second)
	if h, c := len(e.mailsOf("handover", "")), len(e.mailsOf("appointment-ended", "")); h != 1 || c != 1 {
		t.Errorf("after a second reload: %d handover and %d closing mails, want 1 and 1", h, c)
	}
	e.stop(syscall.SIGTERM)
	if got := e.managersOf(ids[5003]); !slices.Equal(got, []string{"jane.doe@example.org", "kenji.sato@example.org"}) {
		t.Errorf("the answered statement's managers became %v", got)
	}
	for _, n := range []int{5001, 5002} {
		if got := e.managersOf(ids[n]); !slices.Equal(got, []string{"kenji.sato@example.org", "nia.new@example.org"}) {
			t.Errorf("%s's managers are %v, want Kenji and Nia", ids[n], got)
		}
	}
	// A restart compares with the appointments recorded: nothing more.
	e.start()
	time.Sleep(3 * time.Second)
	if h, c := len(e.mailsOf("handover", "")), len(e.mailsOf("appointment-ended", "")); h != 1 || c != 1 {
		t.Errorf("after a restart: %d handover and %d closing mails, want 1 and 1", h, c)
	}
}

// TestE2ECorrectionThroughAList delivers a statement only as a WG list's
// copy (Mailman 3 headers, in the folder of the MPLS list): its author gets
// one correction with the managers in Cc and the MPLS chairs a heads-up; a
// reply in the list's thread and a re-delivery of the same copy get none.
func TestE2ECorrectionThroughAList(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	e.editConfig(func(s string) string {
		return strings.Replace(s, "  folders: [INBOX]\n", "  folders: [INBOX, {name: wg-mpls, wg_list: mpls}]\n", 1)
	})
	listCopy, err := os.ReadFile(filepath.Join("..", "..", "pipeline", "testdata", "lists", "statement-on-mpls-list.eml"))
	if err != nil {
		t.Fatal(err)
	}
	reply, err := os.ReadFile(filepath.Join("..", "..", "pipeline", "testdata", "lists", "reply-on-mpls-list.eml"))
	if err != nil {
		t.Fatal(err)
	}
	e.dovecot.Append(t, "wg-mpls", listCopy)
	e.start()
	waitUntil(t, 60*time.Second, "the correction", func() bool { return len(e.mailsOf("misdirection", "h.tanaka@example.net")) > 0 })
	corr := e.mailsOf("misdirection", "h.tanaka@example.net")[0]
	cc, _ := corr.Header.AddressList("Cc")
	var ccs []string
	for _, a := range cc {
		ccs = append(ccs, a.Address)
	}
	slices.Sort(ccs)
	if !slices.Equal(ccs, []string{"jane.doe@example.org", "kenji.sato@example.org"}) || corr.Header.Get("In-Reply-To") != "<a1b2c3d4-sg15-flexgrid@example.net>" {
		t.Errorf("correction Cc %v, In-Reply-To %q", ccs, corr.Header.Get("In-Reply-To"))
	}
	if body := textBody(t, corr); !strings.Contains(body, "statements@ietf.example") {
		t.Errorf("the correction does not name the liaison address:\n%s", body)
	}
	waitUntil(t, 30*time.Second, "the heads-up to the MPLS chairs", func() bool { return len(e.mailsOf("misdirection-headsup", "mpls-chairs@ietf.example")) == 1 })

	// The thread on the list, and the same copy again.
	e.dovecot.Append(t, "wg-mpls", reply)
	e.dovecot.Append(t, "wg-mpls", listCopy)
	waitUntil(t, 60*time.Second, "the list folder to be processed", func() bool {
		return len(e.dovecot.UIDs(t, "wg-mpls")) == 0 && len(e.dovecot.UIDs(t, "Processed")) == 3
	})
	time.Sleep(2 * time.Second) // anything they caused has reached the outbox worker
	e.stop(syscall.SIGTERM)
	if n := len(e.mailsOf("misdirection", "")); n != 1 {
		t.Errorf("%d corrections in all, want 1", n)
	}
	for _, o := range e.outbox() {
		if o.Kind == "misdirection" && o.Recipient != "h.tanaka@example.net" {
			t.Errorf("a correction to %s", o.Recipient)
		}
	}
}

// TestE2ECoordination: statements from ITU-T SG15 and ITU-T SG13 to TEAS:
// each of their managers gets exactly one coordination note.
func TestE2ECoordination(t *testing.T) {
	e := newE2E(t, e2eOptions{})
	e.start()
	e.dovecot.Append(t, "INBOX", statement(6001, "ITU-T SG15", "TEAS"))
	e.dovecot.Append(t, "INBOX", statement(6002, "ITU-T SG13", "TEAS"))
	want := []string{"jane.doe@example.org", "kenji.sato@example.org", "marco.rossi@example.org"}
	waitUntil(t, 60*time.Second, "the coordination notes", func() bool { return len(e.mailsOf("coordination", "")) >= len(want) })
	time.Sleep(2 * time.Second)
	var got []string
	for _, m := range e.mailsOf("coordination", "") {
		to, _ := m.Header.AddressList("To")
		got = append(got, to[0].Address)
		body := textBody(t, m)
		if !strings.Contains(body, "shared: teas") || !strings.Contains(body, "handled by") {
			t.Errorf("note to %s:\n%s", to[0].Address, body)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("coordination notes to %v, want exactly one each to %v", got, want)
	}
}
