package templates

// The mail kinds of reply tracking and mail commands.
const (
	// Answered tells the managers that a reply was recognised and the
	// statement is answered. Extra: "reply" (record id), "reply_title",
	// "reply_from", "how" (how the reply was matched).
	Answered = "answered"
	// CommandConfirm confirms an applied mail command to its sender.
	// Extra: "command", "result", "internal_deadline".
	CommandConfirm = "command-confirm"
	// CommandRejected is the one-line "not accepted: why" reply to a known
	// manager. Extra: "id" (statement id, may be empty), "why".
	CommandRejected = "command-rejected"
	// CommandIAB tells the IAB coordinators about a delay or a not-ours.
	// Extra: "verb" ("delay" or "not-ours"), "by", "reason", "date".
	CommandIAB = "command-iab"
	// InterimReply is the draft interim reply for the manager who delayed
	// a reply, to forward to the response contacts. Extra: "date",
	// "reason".
	InterimReply = "interim-reply"
)

func init() {
	moreKinds = append(moreKinds, Answered, CommandConfirm, CommandRejected, CommandIAB, InterimReply)
}
