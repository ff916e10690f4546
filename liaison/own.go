package liaison

// OwnSign is how a received message was recognised as mail a liaisond
// sent (Extraction.OwnMail): its own, come back through a relay or a
// mailing list, or another instance's. Such mail is recorded but is never
// a statement, never answered and never a command.
type OwnSign string

// Own-mail signs, from the headers relays tend to strip to the marks that
// survive them (see package mailproc for the rules).
const (
	OwnLoopHeader  OwnSign = "loop-header"      // carries X-Liaisond-Loop
	OwnKindHeader  OwnSign = "kind-header"      // carries X-Liaisond-Kind
	OwnListID      OwnSign = "list-id"          // List-Id is the daemon's own
	OwnFrom        OwnSign = "from"             // From is the daemon's own address
	OwnMessageID   OwnSign = "message-id"       // Message-ID verifies with the daemon's mark key
	OwnBodyMark    OwnSign = "body-mark"        // unquoted body mark of ours over an unchanged body
	OwnBodyEdited  OwnSign = "body-mark-edited" // our body mark below changed text, and no sign of a reply
	OwnForeignMark OwnSign = "foreign-mark"     // another instance's body mark, and no sign of a reply
	OwnOutboxID    OwnSign = "outbox-id"        // Message-ID of a mail in the outbox (pipeline)
	OwnSubjectTag  OwnSign = "subject-tag"      // "[LS-…]" of a known statement with its title, not a reply (pipeline)
)
