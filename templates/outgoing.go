package templates

// OutgoingStatement is a statement drafted here and approved, as sent to
// the peer organization: its subject is the peer's subject template
// filled in, its text the cover sheet in the peer's format (the PDF or
// Word form of it goes as an attachment). Extra: "subject" and "sheet".
// An override may add a covering note around the sheet.
const OutgoingStatement = "outgoing-statement"

func init() { moreKinds = append(moreKinds, OutgoingStatement) }
