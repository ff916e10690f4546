package mailproc

import "github.com/ietf-tools/liaisond/liaison"

// InThread reports whether the message answers another: it names one in
// In-Reply-To or References, or its subject is a reply's.
func InThread(x *liaison.Extraction) bool {
	return len(x.InReplyTo) > 0 || len(x.References) > 0 || IsReplySubject(x.Subject)
}
