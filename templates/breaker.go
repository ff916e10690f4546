package templates

// BreakerTripped is the mail that tells the IAB the outbox's circuit
// breaker tripped (sent once per trip; it is the only mail that goes out
// while the breaker holds the queue). Its Extra: "reason", "since",
// "until" ("" when only an operator can release it), "queued" (mails held).
const BreakerTripped = "breaker-tripped"

func init() { moreKinds = append(moreKinds, BreakerTripped) }
