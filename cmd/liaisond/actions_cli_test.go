package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// ingestOne records the corpus's SG15 statement (to CCAMP and TEAS; its
// managers are Jane Doe and Kenji Sato) and returns its id.
func (c *cliEnv) ingestOne() string {
	c.t.Helper()
	code, out, errs := c.run("ingest", "../../testdata/corpus/01-tracker-sg15-otn-action.eml")
	if code != 0 || !strings.HasPrefix(out, "LS-") {
		c.t.Fatalf("ingest exit %d: %s %s", code, out, errs)
	}
	return strings.Fields(out)[0]
}

func (c *cliEnv) detail(id string) store.Detail {
	c.t.Helper()
	code, out, errs := c.run("show", "--json", id)
	if code != 0 {
		c.t.Fatalf("show --json exit %d: %s", code, errs)
	}
	var d store.Detail
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		c.t.Fatalf("show --json: %v\n%s", err, out)
	}
	return d
}

// lastEvent returns the last history event of type t.
func lastEvent(d store.Detail, t liaison.EventType) (liaison.Event, bool) {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Type == t {
			return d.History[i], true
		}
	}
	return liaison.Event{}, false
}

// Every action verb, run as a person would, changes the statement through
// the action layer: the history says who, through which channel and why,
// and show displays it.
func TestCLIActions(t *testing.T) {
	c := newCLI(t)
	id := c.ingestOne()
	steps := []struct {
		args  []string
		out   string            // in stdout
		event liaison.EventType // recorded
		by    string
		check func(d store.Detail) string
	}{
		{[]string{"delay", id, "2027-05-01", "waiting for the WG's consensus call"}, "internal deadline moved to 2027-05-01", liaison.EventDelayed, "operator",
			func(d store.Detail) string {
				if ev, ok := lastEvent(d, liaison.EventAcked); !ok || !strings.Contains(ev.Detail, "with delay") {
					return "a delay did not acknowledge"
				}
				if ev, _ := lastEvent(d, liaison.EventDelayed); ev.Reason != "waiting for the WG's consensus call" {
					return "reason " + ev.Reason
				}
				return ""
			}},
		{[]string{"note", id, "CCAMP", "discusses", "it", "at", "IETF", "130"}, "note added", liaison.EventNote, "operator", func(d store.Detail) string {
			if ev, _ := lastEvent(d, liaison.EventNote); ev.Detail != "CCAMP discusses it at IETF 130 (unix user "+localUser(os.Getuid())+")" {
				return "note " + ev.Detail
			}
			return ""
		}},
		{[]string{"set", id, "deadline", "2027-06-01", "--by", "jane.doe@example.org"}, `deadline corrected to "2027-06-01" (was "2027-03-15")`, liaison.EventCorrected, "jane.doe@example.org",
			func(d store.Detail) string {
				if d.Deadline != "2027-06-01" || len(d.Corrections) != 1 || d.Corrections[0].Original != "2027-03-15" || d.Corrections[0].Channel != liaison.ChannelCLI {
					return "deadline " + d.Deadline
				}
				return ""
			}},
		{[]string{"set", id, "title", "LS on OTN beyond 400G"}, "title corrected", liaison.EventCorrected, "operator", func(d store.Detail) string {
			if d.Title != "LS on OTN beyond 400G" {
				return "title " + d.Title
			}
			return ""
		}},
		{[]string{"reassign", id, "teas"}, "routed to teas", liaison.EventReassigned, "operator", func(d store.Detail) string {
			if strings.Join(d.ToGroups, ",") != "teas" {
				return "groups " + strings.Join(d.ToGroups, ",")
			}
			return ""
		}},
		{[]string{"answered", id, "sent by the tracker"}, "marked answered", liaison.EventAnswered, "operator", func(d store.Detail) string {
			if d.State != liaison.StateAnswered {
				return "state " + string(d.State)
			}
			return ""
		}},
		{[]string{"reopen", id}, "reopened", liaison.EventReopened, "operator", func(d store.Detail) string {
			if d.State != liaison.StateOpen {
				return "state " + string(d.State)
			}
			return ""
		}},
		{[]string{"not-ours", id, "this", "is", "for", "IEEE", "802.1"}, "handed back", liaison.EventNotOurs, "operator", nil},
		{[]string{"close", id, "--by", "liaison-coordination@iab.example", "no", "reply", "will", "be", "sent"}, "closed: no reply will be sent", liaison.EventClosed, "liaison-coordination@iab.example",
			func(d store.Detail) string {
				if d.State != liaison.StateClosed {
					return "state " + string(d.State)
				}
				return ""
			}},
	}
	for _, st := range steps {
		code, out, errs := c.run(st.args...)
		if code != 0 || !strings.Contains(out, st.out) {
			t.Fatalf("%v: exit %d, %q (want %q) %s", st.args, code, out, st.out, errs)
		}
		d := c.detail(id)
		ev, ok := lastEvent(d, st.event)
		if !ok || ev.By != st.by || ev.Channel != liaison.ChannelCLI {
			t.Errorf("%v: history event %+v, want %s by %s via cli", st.args, ev, st.event, st.by)
		}
		if st.check != nil {
			if why := st.check(d); why != "" {
				t.Errorf("%v: %s", st.args, why)
			}
		}
	}

	// Reprocessing re-reads the mail but keeps what people corrected.
	if code, out, errs := c.run("reprocess", id); code != 0 {
		t.Fatalf("reprocess: %d %s %s", code, out, errs)
	}
	if d := c.detail(id); d.Title != "LS on OTN beyond 400G" || d.Deadline != "2027-06-01" || strings.Join(d.ToGroups, ",") != "teas" {
		t.Errorf("after reprocess: title %q deadline %s groups %v", d.Title, d.Deadline, d.ToGroups)
	}

	// show prints who did what through which channel, and the corrections.
	_, out, _ := c.run("show", id)
	for _, want := range []string{
		`[corrected by jane.doe@example.org (cli) on 2026-11-28 from "2027-03-15"]`,
		"[by operator via cli]   why: waiting for the WG's consensus call",
		"[by liaison-coordination@iab.example via cli]   why: no reply will be sent",
		"Closed:", "Acknowledged:", "Internal deadline:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}

// Refusals name why, and exit non-zero; nothing changes.
func TestCLIActionRefusals(t *testing.T) {
	c := newCLI(t)
	id := c.ingestOne()
	before := c.detail(id)
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"close", id, "done", "--by", "ccamp-chairs@ietf.example"}, 1, "may not close it: that needs manager,iab,operator"},
		{[]string{"ack", id, "--by", "mallory@evil.example"}, 1, "mallory@evil.example (roles: none) may not ack"},
		{[]string{"reopen", id}, 1, "is already open"},
		{[]string{"ack", "LS-1999-0001"}, 1, "there is no statement LS-1999-0001"},
		{[]string{"delay", id, "2026-11-01", "too", "late"}, 2, "is not after today"},
		{[]string{"delay", id, "tomorrow", "soon"}, 2, "want YYYY-MM-DD"},
		{[]string{"delay", id}, 2, "delay needs ID DATE REASON"},
		{[]string{"set", id, "colour", "blue"}, 2, "field \"colour\""},
		{[]string{"reassign", id, "nosuchwg"}, 2, `no group "nosuchwg"`},
		{[]string{"set", id, "from_org", "Nowhere Org"}, 2, "no organization"},
	}
	for _, tc := range tests {
		code, out, errs := c.run(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q (stdout %q)", tc.args, code, errs, tc.code, tc.err, out)
		}
	}
	after := c.detail(id)
	if len(after.History) != len(before.History) || after.State != before.State {
		t.Errorf("refused actions changed the statement: %d -> %d events", len(before.History), len(after.History))
	}
	// ack twice: the second changes nothing.
	if code, out, _ := c.run("ack", id, "--by", "jane.doe@example.org"); code != 0 || !strings.Contains(out, "acknowledged") {
		t.Fatalf("ack: %d %s", code, out)
	}
	if code, out, _ := c.run("ack", id); code != 0 || !strings.Contains(out, "already acknowledged by jane.doe@example.org") {
		t.Errorf("second ack: %d %s", code, out)
	}
}

// report is about a relationship: its managers in office (and the
// operator) send it to the IAB; others are refused.
func TestCLIReport(t *testing.T) {
	c := newCLI(t)
	c.ingestOne()
	tests := []struct {
		args []string
		code int
		out  string // in stdout (exit 0) or stderr
	}{
		{[]string{"report", "ITU-T SG15", "SG15 plenary agreed the OTN work plan;", "two", "LS", "expected", "in", "May", "--by", "jane.doe@example.org"}, 0,
			"itu-t-sg15: report on itu-t-sg15 recorded and sent to the IAB liaison coordinators (liaison-coordination@iab.example) (report by jane.doe@example.org)"},
		{[]string{"report", "itu-t-sg15", "from the operator"}, 0, "itu-t-sg15: report on itu-t-sg15 recorded"},
		{[]string{"report", "itu-t-sg15", "not mine", "--by", "marco.rossi@example.org"}, 1, "marco.rossi@example.org (roles: none) may not report on itu-t-sg15: that needs manager,operator"},
		{[]string{"report", "itu-t-sg15", "chairs", "--by", "ccamp-chairs@ietf.example"}, 1, "may not report"},
		{[]string{"report", "nowhere", "text"}, 2, `no organization "nowhere"`},
		{[]string{"report", "itu-t-sg15"}, 2, "report needs ORG TEXT"},
		{[]string{"report"}, 2, "an organization (ORG) is required"},
	}
	for _, tc := range tests {
		code, out, errs := c.run(tc.args...)
		got := out
		if tc.code != 0 {
			got = errs
		}
		if code != tc.code || !strings.Contains(got, tc.out) {
			t.Errorf("%v: exit %d, out %q, err %q; want %d and %q", tc.args, code, out, errs, tc.code, tc.out)
		}
	}
	code, out, errs := c.run("outbox", "--json")
	if code != 0 {
		t.Fatalf("outbox: %d %s", code, errs)
	}
	reports := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e struct{ Kind, Recipient, Subject string }
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		if e.Kind == "report" {
			reports++
			if e.Recipient != "liaison-coordination@iab.example" || !strings.HasPrefix(e.Subject, "[liaisond] Report on the relationship with ITU-T Study Group 15 from ") {
				t.Errorf("report entry %+v", e)
			}
		}
	}
	if reports != 2 {
		t.Errorf("%d reports in the outbox, want 2", reports)
	}
}
