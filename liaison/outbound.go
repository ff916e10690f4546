package liaison

import "time"

// OutboundState is where an outgoing statement drafted here stands.
type OutboundState string

// The outbound states. A draft is approved, then sent; a draft or an
// approved statement may be withdrawn instead. Sent and withdrawn are final.
const (
	OutboundDraft     OutboundState = "draft"     // being written and checked
	OutboundApproved  OutboundState = "approved"  // every sending group's approver agreed; not yet sent
	OutboundSent      OutboundState = "sent"      // queued to the peer through the outbox
	OutboundWithdrawn OutboundState = "withdrawn" // abandoned before sending
)

// CanBecome reports whether a statement in state s may move to t.
func (s OutboundState) CanBecome(t OutboundState) bool {
	switch s {
	case OutboundDraft:
		return t == OutboundApproved || t == OutboundWithdrawn
	case OutboundApproved:
		return t == OutboundSent || t == OutboundWithdrawn
	}
	return false
}

// Outbound is what the daemon keeps about an outgoing statement it helped
// write, beyond the statement's own fields (title, purpose, deadline, body,
// contacts and attachments live in the record's Extraction, as for any
// statement).
type Outbound struct {
	State OutboundState `json:"state"`
	// Org is the id of the peer organization the statement is sent to.
	Org string `json:"org"`
	// FromGroups are the ids of the IETF groups sending it.
	FromGroups []string `json:"from_groups"`
	// Addressees are the peer's groups addressed (Questions, working
	// groups), as written in the draft.
	Addressees []string `json:"addressees,omitempty"`
	// Answers is the id of the incoming statement this one replies to.
	Answers string `json:"answers,omitempty"`
	// PeerRefs are the peer's own identifiers of that statement
	// ("SG15-LS45", "S2-2701234").
	PeerRefs []string `json:"peer_refs,omitempty"`
	// SendTo are recipients besides the peer's configured addresses: the
	// answered statement's response contacts.
	SendTo []Contact `json:"send_to,omitempty"`
	// Release and WorkItem are the 3GPP release and work item concerned.
	Release  string `json:"release,omitempty"`
	WorkItem string `json:"work_item,omitempty"`
	// Approvals are the approvals given so far; the statement is approved
	// once they cover every sending group.
	Approvals []Approval `json:"approvals,omitempty"`
	// Sent records when the statement was queued to the peer, by whom,
	// and (Ref) the Message-ID of the mail.
	Sent *Action `json:"sent,omitempty"`
	// Withdrawn records who withdrew it and why (Note).
	Withdrawn *Action `json:"withdrawn,omitempty"`
}

// Approval is one approver's agreement, with the consensus it rests on.
type Approval struct {
	At time.Time `json:"at"`
	By string    `json:"by"`
	// Consensus is the reference of the IETF consensus: a consensus
	// call's URL, a meeting's minutes.
	Consensus string `json:"consensus"`
	// Groups are the sending groups this approval covers.
	Groups []string `json:"groups"`
	// Role is how By may approve for them.
	Role ApproverRole `json:"role"`
}

// ApproverRole is why someone may approve a group's outgoing statements.
type ApproverRole string

// The approver roles.
const (
	ApproverChair        ApproverRole = "chair"         // a chair of the sending working group
	ApproverAreaDirector ApproverRole = "area-director" // a director of the sending area, or of the working group's area
	ApproverIAB          ApproverRole = "iab"           // the IAB, for IAB and IETF-wide statements
)
