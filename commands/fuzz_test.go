package commands

import (
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary reply bodies to the command parser. Whatever the
// body, Parse must not panic; a command it accepts has a known verb, a
// valid date when it has one, no line break in its argument, and reads back
// as itself from its own String form (what a confirmation quotes).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"ack", "Acknowledged.\n\n> quoted notice", "delay 2027-05-01 waiting for the WG's consensus call",
		"delay 2027-02-30 bad date", "answered LS-2027-0012 sent on 3 May", "reassign teas",
		"not ours: this is for the IESG", "\ufeffACK\r\n-- \r\nsig", "On Mon, 1 Mar 2027, x wrote:\n> ack",
		"", "> ack", "-----Original Message-----\nack",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		c, err := Parse(body)
		if err != nil {
			return
		}
		if c.Verb == "" {
			t.Fatalf("accepted %q with no verb", body)
		}
		if !c.Date.IsZero() && !c.Date.Valid() {
			t.Fatalf("accepted %q with invalid date %v", body, c.Date)
		}
		if strings.ContainsAny(c.Arg, "\r\n") {
			t.Fatalf("argument of %q spans lines: %q", body, c.Arg)
		}
		again, err := Parse(c.String())
		if err != nil {
			t.Fatalf("%q parsed as %q, which does not parse again: %v", body, c.String(), err)
		}
		if again.String() != c.String() {
			t.Fatalf("%q -> %q -> %q: not stable", body, c.String(), again.String())
		}
	})
}

// FuzzFindTarget feeds arbitrary recipient addresses to FindTarget: it
// must not panic, and a target it finds names a statement id and a token
// that a reply address built from them would carry.
func FuzzFindTarget(f *testing.F) {
	f.Add("statements+LS-2027-0007.0123456789abcdef0123@ietf.example")
	f.Add("statements+LS-2027-0007.20270131.0123456789abcdef0123@ietf.example")
	f.Add("statements+LS-2027-0007.20271331.0123456789abcdef0123@ietf.example")
	f.Add("Statements+ls-2027-0007.ABC@IETF.EXAMPLE")
	f.Add("statements+@ietf.example")
	f.Add("+LS-2027-0007.a@ietf.example")
	f.Add("statements+LS-2027-0007.a@other.example")
	f.Fuzz(func(t *testing.T, addr string) {
		tgt, ok := FindTarget([]string{addr}, []string{"statements@ietf.example"})
		if !ok {
			return
		}
		if !strings.HasPrefix(tgt.ID, "LS-") || tgt.Token == "" || strings.ToLower(tgt.Token) != tgt.Token {
			t.Fatalf("%q gave target %+v", addr, tgt)
		}
		if !tgt.V1() && (tgt.Issued.Year() < 1 || !tgt.Issued.Equal(tgt.Issued.Truncate(24*time.Hour))) {
			t.Fatalf("%q gave issue day %v", addr, tgt.Issued)
		}
		if tgt.Address != strings.TrimSpace(addr) {
			t.Fatalf("target address %q, want %q", tgt.Address, strings.TrimSpace(addr))
		}
	})
}
