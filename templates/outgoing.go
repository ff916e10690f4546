package templates

// OutgoingStatement is a statement drafted here and approved, as sent to
// the peer organization: its subject is the peer's subject template
// filled in, its text the cover sheet in the peer's format (the PDF or
// Word form of it goes as an attachment). Extra: "subject" and "sheet".
// An override may add a covering note around the sheet.
const OutgoingStatement = "outgoing-statement"

func init() { moreKinds = append(moreKinds, OutgoingStatement) }

// ApprovalRequest asks the approvers of a statement drafted here, once it
// passes its peer's checks, to approve it for their sending groups. It
// receives NoticeData; Extra: "by" (who drafted or changed it), "what"
// ("drafted" or "changed"), "peer" (the organization it goes to), "from"
// (its sending groups), "groups" (those the recipient approves for),
// "role" (the recipient's part: chair, area-director, iab), "pending"
// (every approval still missing) and "sheet" (the cover sheet as text).
const ApprovalRequest = "approval-request"

func init() { moreKinds = append(moreKinds, ApprovalRequest) }
