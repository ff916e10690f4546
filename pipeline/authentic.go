package pipeline

import (
	"strings"

	"github.com/ietf-tools/liaisond/mailproc/authres"
	"github.com/ietf-tools/liaisond/settings"
)

// authenticated asks whether the MTA in front of the mailbox vouches for
// the sender of a mail-borne action (a command, or a reply that
// acknowledges): from its Authentication-Results in the raw mail, under
// the rules of package authres, for the domain of the From address (which
// the mail parser read strictly). Without commands.authserv_id nothing is
// checked: mail commands then rest on the token and the From address, and
// check and start-up say so.
func authenticated(s *settings.Snapshot, raw []byte, from string) authres.Verdict {
	id := authservID(s)
	if id == "" {
		return authres.Verdict{Pass: true, Why: "not checked: commands.authserv_id is not set"}
	}
	values, err := authres.Values(raw)
	if err != nil {
		return authres.Verdict{Why: err.Error()}
	}
	domain := ""
	if at := strings.LastIndexByte(from, '@'); at >= 0 {
		domain = from[at+1:]
	}
	return authres.Verify(values, id, domain)
}

// authservID is the configured authserv-id ("" when unset or commands are
// off).
func authservID(s *settings.Snapshot) string {
	if s.Config.Commands == nil {
		return ""
	}
	return s.Config.Commands.AuthservID
}
