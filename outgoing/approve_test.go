package outgoing

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestApprovers(t *testing.T) {
	cfg := loadConfig(t)
	tests := []struct {
		name   string
		groups []string
		want   string // group: email/role ...; groups separated by " | "
	}{
		{"working group: chairs and its area's directors", []string{"ccamp"},
			"ccamp: ccamp-chair@example.org/chair ccamp-cochair@example.org/chair rtg-ad@example.org/area-director rtg-ad2@example.org/area-director"},
		{"working group without an area", []string{"dmm"}, "dmm: dmm-chair@example.org/chair"},
		{"area: its directors", []string{"rtg"}, "rtg: rtg-ad@example.org/area-director rtg-ad2@example.org/area-director"},
		{"IAB: its chair and the IAB address", []string{"iab"}, "iab: iab-chair@iab.example/iab liaison-coordination@iab.example/iab"},
		{"IETF-wide: the IAB", []string{"ietf"}, "ietf: ietf-chair@ietf.example/iab liaison-coordination@iab.example/iab"},
		{"no sending group is IETF-wide", nil, ": liaison-coordination@iab.example/iab"},
		{"several groups, in order", []string{"dmm", "teas"},
			"dmm: dmm-chair@example.org/chair | teas: teas-chair@example.org/chair rtg-ad@example.org/area-director rtg-ad2@example.org/area-director"},
		{"unknown group has nobody", []string{"nope"}, "nope:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var parts []string
			for _, ga := range Approvers(cfg, tc.groups) {
				s := ga.Group + ":"
				for _, a := range ga.Approvers {
					s += fmt.Sprintf(" %s/%s", a.Email, a.Role)
				}
				parts = append(parts, s)
			}
			if got := strings.Join(parts, " | "); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestApproveFlow walks a draft from two groups through refusals, a
// partial approval and the full one, then sending.
func TestApproveFlow(t *testing.T) {
	cfg := loadConfig(t)
	req := ituReq()
	req.FromGroups = []string{"ccamp", "dmm"}
	req.Title = ""
	rec := draft(t, cfg, req, nil)
	at := now.Add(time.Hour)

	// A draft with problems cannot be approved, even by an approver.
	_, err := Approve(cfg, rec, "ccamp-chair@example.org", "https://mailarchive.example/ccamp/abc", at)
	var pe *ProblemsError
	if !errors.Is(err, ErrProblems) || !errors.As(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0].Field != "title" {
		t.Fatalf("approve with problems: %v", err)
	}
	if !strings.Contains(err.Error(), "fix them first:\n  - title: no title") {
		t.Errorf("message does not list the problems: %v", err)
	}
	rec.Extraction.Title = "LS on OTN slicing YANG models"

	for _, tc := range []struct {
		by, consensus string
		want          error
	}{
		{"ccamp-chair@example.org", "  ", ErrNoConsensus},
		{"jane.doe@example.org", "manager's own idea", ErrNotApprover}, // a liaison manager speaks only with consensus
		{"liaison-coordination@iab.example", "IAB call", ErrNotApprover},
		{"teas-chair@example.org", "TEAS minutes", ErrNotApprover},
	} {
		if _, err := Approve(cfg, rec, tc.by, tc.consensus, at); !errors.Is(err, tc.want) {
			t.Errorf("approve by %s: %v, want %v", tc.by, err, tc.want)
		}
	}
	_, err = Approve(cfg, rec, "jane.doe@example.org", "x", at)
	if !strings.Contains(err.Error(), "jane.doe@example.org may not approve for ccamp, dmm; approvers are ccamp: ccamp-chair@example.org (chair)") {
		t.Errorf("refusal does not name the approvers: %v", err)
	}
	if len(rec.Outbound.Approvals) != 0 || rec.Outbound.State != liaison.OutboundDraft {
		t.Fatalf("refusals changed the record: %+v", rec.Outbound)
	}

	// The routing AD covers CCAMP (case of the address ignored), not DMM.
	ap, err := Approve(cfg, rec, "RTG-AD@example.org", "https://mailarchive.example/ccamp/call-42", at)
	if err != nil {
		t.Fatal(err)
	}
	if ap.By != "rtg-ad@example.org" || ap.Role != liaison.ApproverAreaDirector || strings.Join(ap.Groups, ",") != "ccamp" || !ap.At.Equal(at) {
		t.Errorf("approval %+v", ap)
	}
	if rec.Outbound.State != liaison.OutboundDraft {
		t.Errorf("state %s after a partial approval, want draft", rec.Outbound.State)
	}
	if p := Pending(cfg, rec); len(p) != 1 || p[0].Group != "dmm" {
		t.Errorf("pending %+v, want dmm", p)
	}
	// CCAMP's chair has nothing left to approve.
	if _, err := Approve(cfg, rec, "ccamp-chair@example.org", "again", at); !errors.Is(err, ErrNotApprover) {
		t.Errorf("second approval for a covered group: %v", err)
	}
	if err := MarkSent(rec, "ops@example.org", "<x@example>", at); !errors.Is(err, ErrState) {
		t.Errorf("sending a draft: %v, want ErrState", err)
	}
	if _, err := Approve(cfg, rec, "dmm-chair@example.org", "IETF 128 DMM minutes", at); err != nil {
		t.Fatal(err)
	}
	if rec.Outbound.State != liaison.OutboundApproved || len(rec.Outbound.Approvals) != 2 || rec.State != liaison.StateDraft {
		t.Fatalf("after both approvals: %s, %d approvals, record %s", rec.Outbound.State, len(rec.Outbound.Approvals), rec.State)
	}
	if _, err := Approve(cfg, rec, "dmm-chair@example.org", "again", at); !errors.Is(err, ErrState) {
		t.Errorf("approving an approved statement: %v, want ErrState", err)
	}

	if err := MarkSent(rec, "jane.doe@example.org", "<LS-2027-0012@ietf.example>", at); err != nil {
		t.Fatal(err)
	}
	if rec.Outbound.State != liaison.OutboundSent || rec.State != liaison.StateOpen || rec.Extraction.MessageID != "<LS-2027-0012@ietf.example>" {
		t.Errorf("after sending: %s, record %s, message id %q", rec.Outbound.State, rec.State, rec.Extraction.MessageID)
	}
	if err := Withdraw(rec, "jane.doe@example.org", "too late", at); !errors.Is(err, ErrState) {
		t.Errorf("withdrawing a sent statement: %v, want ErrState", err)
	}
}

func TestWithdrawAndSentState(t *testing.T) {
	cfg := loadConfig(t)
	rec := draft(t, cfg, ituReq(), nil)
	if err := Withdraw(rec, "ccamp-chair@example.org", "superseded by LS-2027-0013", now); err != nil {
		t.Fatal(err)
	}
	if rec.Outbound.State != liaison.OutboundWithdrawn || rec.State != liaison.StateClosed || rec.Outbound.Withdrawn.Note != "superseded by LS-2027-0013" {
		t.Errorf("after withdrawal: %+v, record %s", rec.Outbound, rec.State)
	}
	if _, err := Approve(cfg, rec, "ccamp-chair@example.org", "call", now); !errors.Is(err, ErrState) {
		t.Errorf("approving a withdrawn statement: %v", err)
	}
	// A statement received from mail has no outbound part.
	if err := Withdraw(&liaison.Record{ID: "LS-2027-0001"}, "x@example.org", "", now); !errors.Is(err, ErrState) {
		t.Errorf("withdrawing a received statement: %v", err)
	}
	// Sent for information without a deadline needs nothing more: closed.
	info := ituReq()
	info.Purpose, info.Deadline = liaison.PurposeInfo, liaison.Date{}
	rec = draft(t, cfg, info, nil)
	if _, err := Approve(cfg, rec, "ccamp-chair@example.org", "call", now); err != nil {
		t.Fatal(err)
	}
	if err := MarkSent(rec, "ccamp-chair@example.org", "<m@x>", now); err != nil || rec.State != liaison.StateClosed {
		t.Errorf("sent for information: %v, state %s, want closed", err, rec.State)
	}
}

func TestOutboundStates(t *testing.T) {
	all := []liaison.OutboundState{liaison.OutboundDraft, liaison.OutboundApproved, liaison.OutboundSent, liaison.OutboundWithdrawn}
	allowed := map[string]bool{"draft>approved": true, "draft>withdrawn": true, "approved>sent": true, "approved>withdrawn": true}
	for _, from := range all {
		for _, to := range all {
			if got := from.CanBecome(to); got != allowed[string(from)+">"+string(to)] {
				t.Errorf("%s -> %s allowed = %v", from, to, got)
			}
		}
	}
}
