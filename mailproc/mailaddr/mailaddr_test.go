package mailaddr

import (
	"errors"
	"strings"
	"testing"
)

// mb is a compact expected mailbox: "Name|addr".
func mb(s string) Mailbox {
	name, addr, _ := strings.Cut(s, "|")
	i := strings.LastIndexByte(addr, '@')
	local := addr[:i]
	if strings.HasPrefix(local, `"`) {
		local = strings.ReplaceAll(strings.Trim(local, `"`), `\"`, `"`)
	}
	return Mailbox{Name: name, Local: local, Domain: addr[i+1:]}
}

func TestParseMailbox(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // "Name|addr"; "" when an error is expected
		reason   string // part of the error
	}{
		// The attacks from issue 8: display-name text never becomes the address.
		{"encoded address-like name", "=?utf-8?q?Li:li.wei=40example.org?= <mallory@attacker.example>", "Li:li.wei@example.org|mallory@attacker.example", ""},
		{"encoded CRLF Bcc in name", "=?utf-8?q?Evil=0D=0ABcc:_bcc@evil.example?= <tsbsg15@itu.int>", "Evil Bcc: bcc@evil.example|tsbsg15@itu.int", ""},
		{"unquoted address as name", "li.wei@example.org <mallory@attacker.example>", "li.wei@example.org|mallory@attacker.example", ""},
		{"raw colon in From name", "Li:li.wei@example.org <mallory@attacker.example>", "Li:li.wei@example.org|mallory@attacker.example", ""},
		{"quoted address as name", `"li.wei@example.org" <mallory@attacker.example>`, "li.wei@example.org|mallory@attacker.example", ""},
		{"base64 encoded name", "=?UTF-8?B?TGkgV2VpIDxsaS53ZWlAZXhhbXBsZS5vcmc+?= <mallory@attacker.example>", "Li Wei <li.wei@example.org>|mallory@attacker.example", ""},
		{"name only, address-like", "Hiroshi Tanaka h.tanaka@example.net", "", "display name without"},
		{"encoded address only", "=?utf-8?q?li.wei=40example.org?=", "", "display name without"},
		{"two mailboxes", "li.wei@example.org, <mallory@attacker.example>", "", "2 addresses"},
		{"address hidden in comment", "(li.wei@example.org) mallory@attacker.example", "|mallory@attacker.example", ""},
		{"CR LF injection raw", "Evil <a@example.org>\r\nBcc: b@evil.example", "", "line break"},
		{"NUL", "a@example.org\x00b@evil.example", "", "control character"},

		// Real-world forms.
		{"plain", "tsbsg15@itu.int", "|tsbsg15@itu.int", ""},
		{"angle only", "<tsbsg15@itu.int>", "|tsbsg15@itu.int", ""},
		{"name-addr", "TSB SG15 <tsbsg15@itu.int>", "TSB SG15|tsbsg15@itu.int", ""},
		{"quoted name with comma", `"Tanaka, Hiroshi" <h.tanaka@example.net>`, "Tanaka, Hiroshi|h.tanaka@example.net", ""},
		{"quoted name with escapes", `"Jane \"JD\" Doe" <jane@example.org>`, `Jane "JD" Doe|jane@example.org`, ""},
		{"obsolete dotted name", "John Q. Public <jqp@example.org>", "John Q. Public|jqp@example.org", ""},
		{"comment name", "tsbsg15@itu.int (TSB SG15)", "TSB SG15|tsbsg15@itu.int", ""},
		{"nested comment", "tsb@itu.int (TSB (Geneva))", "TSB (Geneva)|tsb@itu.int", ""},
		{"comments everywhere", "(x) Jane (y) Doe (z) < (a) jane (b) @ (c) example.org (d) > (e)", "Jane Doe|jane@example.org", ""},
		{"folded", "\"Secretariat\"\r\n <tsbsg15@itu.int>", "Secretariat|tsbsg15@itu.int", ""},
		{"quoted local part", `"tsb sg15"@itu.int`, `|"tsb sg15"@itu.int`, ""},
		{"quoted local part in angle", `TSB <"tsb sg15"@itu.int>`, `TSB|"tsb sg15"@itu.int`, ""},
		{"quoted dot-atom local is a dot-atom", `"john.doe"@example.org`, "|john.doe@example.org", ""},
		{"obsolete local part spaces", "john . doe @ example . org", "|john.doe@example.org", ""},
		{"plus and other atext", "a+tag/x=y!z@example.org", "|a+tag/x=y!z@example.org", ""},
		{"source route", "<@relay.example,@b.example:user@example.org>", "|user@example.org", ""},
		{"domain literal", "user@[192.0.2.1]", "|user@[192.0.2.1]", ""},
		{"IDN domain raw UTF-8", "Müller <m@bücher.example>", "Müller|m@bücher.example", ""},
		{"non-ASCII local part", "李伟 <李伟@example.cn>", "李伟|李伟@example.cn", ""},
		{"encoded name ISO-8859-1", "=?iso-8859-1?q?J=F6rg_M=FCller?= <jm@example.de>", "Jörg Müller|jm@example.de", ""},
		{"adjacent encoded words", "=?utf-8?q?Hiro?= =?utf-8?q?shi?= <h@example.jp>", "Hiroshi|h@example.jp", ""},
		{"encoded word in quotes", `"=?utf-8?q?J=C3=B6rg?=" <j@example.de>`, "Jörg|j@example.de", ""},
		{"unknown charset kept raw", "=?x-nope?q?abc?= <a@example.org>", "=?x-nope?q?abc?=|a@example.org", ""},
		{"name with brackets", "[EXTERNAL] Jane Doe <jane@example.org>", "[EXTERNAL] Jane Doe|jane@example.org", ""},
		{"raw UTF-8 quoted name", `"Jörg Müller" <jm@example.de>`, "Jörg Müller|jm@example.de", ""},
		{"tab separated", "Jane\t<jane@example.org>", "Jane|jane@example.org", ""},

		// Broken forms: an error, never a guess.
		{"missing closing bracket", "Jane <jane@example.org", "", "missing >"},
		{"missing at", "Jane <jane>", "", "missing @"},
		{"empty angle", "Jane <>", "", "empty address"},
		{"empty", "", "", "no address"},
		{"unterminated quote", `"Jane <jane@example.org>`, "", "unterminated quoted string"},
		{"unterminated comment", "jane@example.org (Jane", "", "unterminated comment"},
		{"double at", "a@b@example.org", "", ""},
		{"trailing dot domain", "a@example.org.", "", ""},
		{"leading dot local", ".a@example.org", "", ""},
		{"double dot", "a..b@example.org", "", ""},
		{"garbage after", "<a@example.org> trailing words", "", "unexpected text"},
		{"group in From", "undisclosed-recipients:;", "", ""},
		{"invalid UTF-8 local", "<\xffa@example.org>", "", ""},
		{"unterminated literal", "a@[192.0.2.1", "", "unterminated domain literal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMailbox(tc.in)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("ParseMailbox(%q) = %+v, want an error", tc.in, got)
				}
				if tc.reason != "" && !strings.Contains(err.Error(), tc.reason) {
					t.Errorf("error %q does not say %q", err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMailbox(%q): %v", tc.in, err)
			}
			if want := mb(tc.want); got != want {
				t.Errorf("ParseMailbox(%q) = %+v, want %+v", tc.in, got, want)
			}
		})
	}
}

func TestParseList(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // "Name|addr"
		bad      int      // elements reported unreadable
	}{
		{"two", "a@example.org, B <b@example.org>", []string{"|a@example.org", "B|b@example.org"}, 0},
		{"group", "Chairs: a@example.org, b@example.org;, c@example.org", []string{"|a@example.org", "|b@example.org", "|c@example.org"}, 0},
		{"undisclosed", "undisclosed-recipients:;", nil, 0},
		{"undisclosed without semicolon", "undisclosed-recipients:", nil, 0},
		{"empty elements", ", a@example.org,,  ,b@example.org,", []string{"|a@example.org", "|b@example.org"}, 0},
		{"semicolon separators", "a@example.org; b@example.org", []string{"|a@example.org", "|b@example.org"}, 0},
		{"unquoted comma in name", "Tanaka, Hiroshi <h.tanaka@example.net>", []string{"Hiroshi|h.tanaka@example.net"}, 1},
		{"bad element skipped", "statements@ietf.example, Jane <jane@example.org, c@example.org", []string{"|statements@ietf.example"}, 1},
		{"comma in quotes is no separator", `"Doe, Jane" <jane@example.org>, "x, y@evil.example" <c@example.org>`, []string{"Doe, Jane|jane@example.org", "x, y@evil.example|c@example.org"}, 0},
		{"comma in comment", "a@example.org (x, y@evil.example), b@example.org", []string{"x, y@evil.example|a@example.org", "|b@example.org"}, 0},
		{"encoded name in To", "=?utf-8?q?CCAMP_chairs=2C_all?= <ccamp-chairs@ietf.example>", []string{"CCAMP chairs, all|ccamp-chairs@ietf.example"}, 0},
		{"bad group member", "G: a@example.org, junk;, b@example.org", []string{"|a@example.org", "|b@example.org"}, 1},
		{"colon name in To is a group", "Li:li.wei@example.org <mallory@attacker.example>;", []string{"li.wei@example.org|mallory@attacker.example"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseList(tc.in)
			bad := 0
			var le *ListError
			if errors.As(err, &le) {
				bad = len(le.Errs)
			} else if err != nil {
				t.Fatalf("error %v is not a *ListError", err)
			}
			if bad != tc.bad {
				t.Errorf("%d unreadable elements (%v), want %d", bad, err, tc.bad)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("ParseList(%q) = %+v, want %v", tc.in, got, tc.want)
			}
			for i := range got {
				if want := mb(tc.want[i]); got[i] != want {
					t.Errorf("[%d] = %+v, want %+v", i, got[i], want)
				}
			}
		})
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		in   string
		addr string
		null bool
		err  bool
	}{
		{"<>", "", true, false},
		{" < > ", "", true, false},
		{"<bounce-123@lists.example>", "bounce-123@lists.example", false, false},
		{"<@a.example:u@example.org>", "u@example.org", false, false},
		{"u@example.org", "u@example.org", false, false},
		{"<u@example.org", "", false, true},
		{"Name <u@example.org>", "", false, true},
		{"<>x", "", false, true},
	}
	for _, tc := range tests {
		m, null, err := ParsePath(tc.in)
		if (err != nil) != tc.err || null != tc.null || m.Addr() != tc.addr {
			t.Errorf("ParsePath(%q) = %q, null %v, err %v; want %q, null %v, err %v", tc.in, m.Addr(), null, err, tc.addr, tc.null, tc.err)
		}
	}
}

func TestParseAddrSpec(t *testing.T) {
	ok := map[string]string{
		"jane.doe@example.org":    "jane.doe@example.org",
		`"tsb sg15"@itu.int`:      `"tsb sg15"@itu.int`,
		`"jane"@example.org`:      "jane@example.org",
		"a+b@sub.example.org":     "a+b@sub.example.org",
		"liaisond@localhost":      "liaisond@localhost",
		"user@[IPv6:2001:db8::1]": "user@[IPv6:2001:db8::1]",
	}
	for in, want := range ok {
		m, err := ParseAddrSpec(in)
		if err != nil || m.Addr() != want || m.Name != "" {
			t.Errorf("ParseAddrSpec(%q) = %+v, %v; want %q", in, m, err, want)
		}
	}
	for _, in := range []string{"", "Jane <jane@example.org>", "<jane@example.org>", " jane@example.org", "jane@example.org ", "jane@example.org (Jane)", "jane @example.org", "jane", "jane@", "@example.org", "a@b, c@d"} {
		if m, err := ParseAddrSpec(in); err == nil {
			t.Errorf("ParseAddrSpec(%q) = %+v, want an error", in, m)
		}
	}
}

func TestWritable(t *testing.T) {
	tests := []struct {
		in   string // parsed with ParseAddrSpec
		want string // "" when refused
		err  error
	}{
		{"jane.doe@example.org", "jane.doe@example.org", nil},
		{`"tsb sg15"@itu.int`, `"tsb sg15"@itu.int`, nil},
		{"m@bücher.example", "m@xn--bcher-kva.example", nil},
		{"liaisond@localhost", "liaisond@localhost", nil},
		{"李伟@example.cn", "", ErrNonASCII},
		{"jörg@example.de", "", ErrNonASCII},
		{`"a\"b"@example.org`, "", ErrQuotedSpecial},
		{`"a\\b"@example.org`, "", ErrQuotedSpecial},
		{"user@[192.0.2.1]", "", ErrDomain},
		{"user@exa_mple.org", "", ErrDomain},
		{"user@-example.org", "", ErrDomain},
		{"user@ex%ample.org", "", ErrDomain},
		{strings.Repeat("a", 65) + "@example.org", "", ErrTooLong},
	}
	for _, tc := range tests {
		m, err := ParseAddrSpec(tc.in)
		if err != nil {
			t.Fatalf("ParseAddrSpec(%q): %v", tc.in, err)
		}
		w, err := m.Writable()
		if tc.want == "" {
			var we *WriteError
			if !errors.As(err, &we) || !errors.Is(err, tc.err) {
				t.Errorf("Writable(%q) = %q, %v; want a *WriteError wrapping %v", tc.in, w.Addr(), err, tc.err)
			}
			continue
		}
		if err != nil || w.Addr() != tc.want {
			t.Errorf("Writable(%q) = %q, %v; want %q", tc.in, w.Addr(), err, tc.want)
		}
	}
}

// TestAddrRoundTrip: the canonical form of every parsed address parses
// back to the same mailbox.
func TestAddrRoundTrip(t *testing.T) {
	for _, in := range []string{`"tsb sg15"@itu.int`, `"a\"b"@example.org`, `"a\\b"@example.org`, `".a"@example.org`, "john . doe @ example.org", `"a..b"@x.example`, "李伟@example.cn"} {
		m, err := ParseMailbox(in)
		if err != nil {
			t.Fatalf("ParseMailbox(%q): %v", in, err)
		}
		back, err := ParseAddrSpec(m.Addr())
		if err != nil || back.Local != m.Local || back.Domain != m.Domain {
			t.Errorf("%q -> %q -> %+v, %v", in, m.Addr(), back, err)
		}
	}
}
