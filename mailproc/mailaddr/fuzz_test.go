package mailaddr

import (
	"encoding/base64"
	"net/mail"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParseAddress checks the parser's guarantees on any input: it never
// panics; every address it returns is a well-formed addr-spec that parses
// back to itself; names are one line of valid text; what Writable accepts
// is plain ASCII that survives formatting by net/mail; and text placed in
// a display name never becomes the address.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{
		"=?utf-8?q?Li:li.wei=40example.org?= <mallory@attacker.example>",
		"=?utf-8?q?Evil=0D=0ABcc:_bcc@evil.example?= <tsbsg15@itu.int>",
		`"tsb sg15"@itu.int`, "Chairs: a@example.org, b@example.org;", "John Q. Public <jqp@example.org>",
		"<@relay.example:user@example.org>", "user@[192.0.2.1]", "李伟 <李伟@example.cn>", "m@bücher.example",
		"(x) Jane (y) < jane @ example . org >", "Tanaka, Hiroshi <h@example.net>", "<>", "a@b@c", `"\`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		list, _ := ParseList(in)
		mlist, _ := ParseMailboxList(in)
		one, err := ParseMailbox(in)
		if err == nil {
			mlist = append(mlist, one)
		}
		if m, null, err := ParsePath(in); err == nil && !null {
			mlist = append(mlist, m)
		}
		if m, err := ParseAddrSpec(in); err == nil {
			mlist = append(mlist, m)
		}
		for _, m := range append(list, mlist...) {
			checkMailbox(t, in, m)
		}

		// Whatever the display name says, the address is the angle address.
		const victim = "fixed@victim.example"
		for _, hdr := range []string{
			"=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(in)) + "?= <" + victim + ">",
			`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(in) + `" <` + victim + ">",
		} {
			if m, err := ParseMailbox(hdr); err == nil && m.Addr() != victim {
				t.Fatalf("ParseMailbox(%q) = %q: display-name text became the address", hdr, m.Addr())
			}
		}
	})
}

func checkMailbox(t *testing.T, in string, m Mailbox) {
	t.Helper()
	addr := m.Addr()
	if m.Local == "" || m.Domain == "" {
		t.Fatalf("%q: empty part in %+v", in, m)
	}
	back, err := ParseAddrSpec(addr)
	if err != nil || back.Local != m.Local || back.Domain != m.Domain {
		t.Fatalf("%q: address %q does not parse back: %+v, %v", in, addr, back, err)
	}
	if !utf8.ValidString(m.Name) || strings.IndexFunc(m.Name, unicode.IsControl) >= 0 || strings.ContainsAny(m.Name, "\r\n") {
		t.Fatalf("%q: name %q is not one line of text", in, m.Name)
	}
	w, err := m.Writable()
	if err != nil {
		return
	}
	wa := w.Addr()
	for i := 0; i < len(wa); i++ {
		if wa[i] < ' ' || wa[i] >= 0x7f {
			t.Fatalf("%q: writable address %q has byte %#x", in, wa, wa[i])
		}
	}
	formatted := (&mail.Address{Name: w.Name, Address: w.Local + "@" + w.Domain}).String()
	again, err := ParseMailbox(formatted)
	if err != nil || again.Local != w.Local || !strings.EqualFold(again.Domain, w.Domain) {
		t.Fatalf("%q: written as %q, read back as %+v, %v", in, formatted, again, err)
	}
}
