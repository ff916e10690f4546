package notify

import (
	"bytes"
	"net/mail"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
	"github.com/ietf-tools/liaisond/settings"
)

// Answerable says whether the daemon may write to the author of rec (whose
// raw bytes are raw, nil when not at hand), and why not. Never to
// auto-generated mail, a bounce or an auto-reply, bulk mail, a list, a
// robot address, the liaison address or the daemon itself (no mail
// loops). The author is the From address, read by a strict parser from
// the raw header when it is at hand: a From that is not one clear address
// is not written to.
//
// A copy delivered by a mailing list (Precedence: list, List-Id) may be
// answered: its author is a person who sent a statement to the list. But
// never the list itself: a From that is the list's posting address (a
// list that rewrites From) or a configured group list is refused.
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
	if raw == nil {
		return true, ""
	}
	h := rawHeader(raw)
	if h == nil {
		return false, "the header cannot be read"
	}
	if author, ok := strictFrom(h); !ok || !strings.EqualFold(author, from) {
		return false, "the From header is not one clear address"
	}
	if prec := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); prec == "bulk" || prec == "junk" {
		return false, "Precedence: " + prec
	}
	if l := listOf(h); l.addr != "" && strings.EqualFold(l.addr, from) {
		return false, "sender is the mailing list " + l.addr
	}
	return true, ""
}

// FromPerson says whether rec is a person's own mail to the daemon (not a
// copy a mailing list delivered), and why not: only such mail can carry a
// mail command or acknowledge a statement. It is Answerable, and not
// delivered by a list.
func FromPerson(s *settings.Snapshot, rec *liaison.Record, raw []byte) (bool, string) {
	if ok, why := Answerable(s, rec, raw); !ok {
		return false, why
	}
	if l, ok := ListDelivered(raw); ok {
		return false, "delivered by the mailing list " + l
	}
	return true, ""
}

// ListDelivered reports whether raw is a copy a mailing list delivered
// (Precedence: list, List-Id, List-Post, X-BeenThere, X-Mailing-List or
// Mailing-List), and names the list.
func ListDelivered(raw []byte) (string, bool) {
	h := rawHeader(raw)
	if h == nil {
		return "", false
	}
	l := listOf(h)
	return l.name(), l.listed
}

// list is what a message's headers say about the list that delivered it.
type list struct {
	listed bool
	// id is the List-Id (without brackets); addr the list's posting
	// address (List-Post, X-BeenThere, X-Mailing-List).
	id, addr string
}

func (l list) name() string {
	switch {
	case l.id != "":
		return l.id
	case l.addr != "":
		return l.addr
	}
	return "(unnamed)"
}

// listOf reads the list headers. Mailman 3 writes List-Id, List-Post,
// Precedence: list and X-BeenThere; older managers X-Mailing-List or
// Mailing-List.
func listOf(h mail.Header) list {
	var l list
	if id := strings.TrimSpace(h.Get("List-Id")); id != "" {
		l.listed = true
		if i, j := strings.LastIndexByte(id, '<'), strings.LastIndexByte(id, '>'); i >= 0 && j > i {
			id = id[i+1 : j]
		}
		l.id = strings.ToLower(strings.TrimSpace(id))
	}
	if strings.EqualFold(strings.TrimSpace(h.Get("Precedence")), "list") {
		l.listed = true
	}
	if post := h.Get("List-Post"); post != "" {
		l.listed = true
		if i := strings.Index(strings.ToLower(post), "mailto:"); i >= 0 {
			a := post[i+len("mailto:"):]
			if j := strings.IndexAny(a, ">?, \t"); j >= 0 {
				a = a[:j]
			}
			l.addr = strings.ToLower(strings.TrimSpace(a))
		}
	}
	for _, k := range []string{"X-BeenThere", "X-Mailing-List", "Mailing-List"} {
		v := strings.TrimSpace(h.Get(k))
		if v == "" {
			continue
		}
		l.listed = true
		if l.addr == "" {
			if a, err := mailaddr.ParseMailbox(v); err == nil {
				l.addr = strings.ToLower(a.Addr())
			} else if f := strings.Fields(strings.TrimPrefix(strings.ToLower(v), "list ")); len(f) > 0 && strings.Contains(f[0], "@") {
				l.addr = strings.Trim(f[0], "<>;")
			}
		}
	}
	return l
}

// strictFrom returns the one address of the From header, read by the
// one strict address parser (mailaddr); ok is false when the header is
// missing, malformed or holds several addresses.
func strictFrom(h mail.Header) (string, bool) {
	m, err := mailaddr.ParseMailbox(h.Get("From"))
	if err != nil {
		return "", false
	}
	return m.Addr(), true
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

// rawHeader reads the header of raw (nil when raw is nil or has none).
func rawHeader(raw []byte) mail.Header {
	if raw == nil {
		return nil
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	return m.Header
}
