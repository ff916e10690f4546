package notify

import (
	"bytes"
	"net/mail"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/settings"
)

// Answerable says whether the daemon may write to the sender of rec (whose
// raw bytes are raw, nil when not at hand), and why not: never to
// auto-generated mail, a bounce or an auto-reply, a list, a robot address,
// the liaison address or the daemon itself (no mail loops). The same rule
// decides whether a mail is a person's: only such mail can carry a
// command or acknowledge a statement.
func Answerable(s *settings.Snapshot, rec *liaison.Record, raw []byte) (bool, string) {
	x := &rec.Extraction
	from := strings.ToLower(x.From.Email)
	switch {
	case from == "":
		return false, "no sender address"
	case x.AutoSubmit != "" && !strings.EqualFold(x.AutoSubmit, "no"):
		return false, "auto-submitted mail (" + x.AutoSubmit + ")"
	case x.Kind == liaison.KindBounce || x.Kind == liaison.KindAutoreply:
		return false, string(x.Kind)
	case x.OwnMail || from == strings.ToLower(s.From.Email):
		return false, "our own mail"
	case IsRobot(from):
		return false, "sender looks automated: " + from
	}
	for _, a := range s.LiaisonAddresses() {
		if strings.EqualFold(a, from) {
			return false, "sender is the liaison address"
		}
	}
	for _, g := range s.Config.Groups {
		if strings.EqualFold(g.List, from) {
			return false, "sender is the " + g.ID + " list"
		}
	}
	if prec := rawHeader(raw, "Precedence"); prec != "" {
		switch strings.ToLower(strings.TrimSpace(prec)) {
		case "bulk", "junk", "list":
			return false, "Precedence: " + prec
		}
	}
	return true, ""
}

// robotParts are local-part fragments of addresses that belong to
// programs, not people.
var robotParts = []string{"mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply", "bounce", "owner-", "-owner", "-request", "listserv", "majordomo"}

// IsRobot reports whether an address's local part names a program (a
// mailer daemon, a list manager, a no-reply address).
func IsRobot(addr string) bool {
	local := strings.ToLower(addr)
	if i := strings.IndexByte(local, '@'); i >= 0 {
		local = local[:i]
	}
	for _, p := range robotParts {
		if strings.Contains(local, p) {
			return true
		}
	}
	return false
}

func rawHeader(raw []byte, name string) string {
	if raw == nil {
		return ""
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return m.Header.Get(name)
}
