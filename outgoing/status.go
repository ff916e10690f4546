package outgoing

import (
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// Status is where an outgoing statement drafted here stands, for people
// (`liaisond show`) and programs (`show --json`, the API): its state, its
// approvals, who may still approve it, what keeps a draft from approval,
// and its sheet.
type Status struct {
	State      liaison.OutboundState `json:"state"`
	Org        string                `json:"org"`
	OrgName    string                `json:"org_name"`
	FromGroups []string              `json:"from_groups"`
	Answers    string                `json:"answers,omitempty"`
	Approvals  []liaison.Approval    `json:"approvals"`
	// Pending are the sending groups still awaiting approval, with their
	// approvers.
	Pending []GroupApprovers `json:"pending"`
	// Problems are what keeps a draft from approval (Check at the time
	// asked); none for a statement that is no longer a draft.
	Problems []Problem `json:"problems"`
	// Format and Attachment are the peer's sheet format and the file form
	// the statement is attached in.
	Format     config.SheetFormat    `json:"format"`
	Attachment config.AttachmentForm `json:"attachment"`
	// Sheet is the statement as text, as it was sent or would be sent at
	// the time asked.
	Sheet string `json:"sheet"`
}

// StatusOf describes rec, an outgoing statement drafted here, at now.
func StatusOf(cfg *config.Config, rec *liaison.Record, now time.Time) (Status, error) {
	sheet, err := Render(cfg, rec, SheetDate(rec, now))
	if err != nil {
		return Status{}, err
	}
	ob := rec.Outbound
	st := Status{State: ob.State, Org: ob.Org, OrgName: rec.Routing.OrgName, FromGroups: ob.FromGroups, Answers: ob.Answers,
		Approvals: nonNil(ob.Approvals), Pending: nonNil(Pending(cfg, rec)), Problems: []Problem{},
		Format: sheet.Format, Sheet: sheet.Text()}
	if org, err := Peer(cfg, ob.Org); err == nil {
		st.Attachment = org.Outgoing.Attachment
	}
	if ob.State == liaison.OutboundDraft {
		st.Problems = nonNil(Check(cfg, rec, now))
	}
	return st, nil
}

// SheetDate is the date a statement's sheet bears: when it was sent, or
// now for one not sent yet.
func SheetDate(rec *liaison.Record, now time.Time) time.Time {
	if ob := rec.Outbound; ob != nil && ob.Sent != nil {
		return ob.Sent.At
	}
	return now
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
