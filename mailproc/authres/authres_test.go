package authres

import (
	"errors"
	"strings"
	"testing"
)

// Field values in the shapes real MTAs write (values made up): Gmail,
// rspamd, Postfix with OpenDKIM and OpenDMARC as separate milters, and
// Microsoft 365 (which writes no authserv-id).
const (
	gmailPass = "mx.google.com;\r\n       dkim=pass header.i=@itu.int header.s=sel2026 header.b=Xq3/ab+Z;\r\n" +
		"       spf=pass (google.com: domain of tsb@itu.int designates 192.0.2.10 as permitted sender) smtp.mailfrom=tsb@itu.int;\r\n" +
		"       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=itu.int"
	gmailFail = "mx.google.com;\r\n       dkim=pass header.i=@itu-int.20230601.gappssmtp.com header.s=20230601 header.b=zwQ1aB9c;\r\n" +
		"       spf=softfail (google.com: domain of transitioning tsb@itu.int does not designate 198.51.100.7 as permitted sender) smtp.mailfrom=tsb@itu.int;\r\n" +
		"       dmarc=fail (p=NONE sp=NONE dis=NONE) header.from=itu.int"
	gmailQuotedMailfrom = "mx.google.com;\r\n       dkim=pass header.i=@3gpp.org header.s=s1 header.b=N5uvdv1C;\r\n" +
		"       spf=pass (google.com: domain of prvs=10=a@3gpp.org designates 192.0.2.5 as permitted sender) smtp.mailfrom=\"prvs=10=a@3gpp.org\";\r\n" +
		"       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=3gpp.org"
	rspamdOne = "mx.ietf.example;\r\n\tdkim=pass header.d=mail.itu.int header.s=k2026 header.b=\"cVmp/729\";\r\n" +
		"\tspf=pass (mx.ietf.example: domain of \"bounce+x=y@itu.int\" designates 2001:db8::25 as permitted sender) smtp.mailfrom=\"bounce+x=y@itu.int\";\r\n" +
		"\tdmarc=none;\r\n\tarc=pass (\"relay.example:s=arc-2024:i=1\")"
	openDKIM      = "mx.ietf.example;\r\n\tdkim=pass (2048-bit key; unprotected) header.d=itu.int header.i=@itu.int header.a=rsa-sha256 header.s=selector1 header.b=FL1O/DD+;\r\n\tdkim-atps=neutral"
	openDKIMFail  = "mx.ietf.example;\r\n\tdkim=fail reason=\"signature verification failed\" (2048-bit key; unprotected) header.d=itu.int header.i=@itu.int header.b=FL1ODDD/;\r\n\tdkim-atps=neutral"
	openDMARC     = "mx.ietf.example; dmarc=pass (p=reject dis=none) header.from=itu.int"
	openDMARCNone = "mx.ietf.example; dmarc=none (p=none dis=none) header.from=itu.int"
	postfixSPF    = "mx.ietf.example; spf=pass (sender SPF authorized) smtp.mailfrom=itu.int (client-ip=192.0.2.10; helo=mail.itu.int; envelope-from=tsb@itu.int; receiver=<UNKNOWN>)"
	m365          = "spf=pass (sender IP is 192.0.2.44)\r\n smtp.mailfrom=itu.int; ietf.example; dkim=pass (signature was verified)\r\n header.d=itu.int;ietf.example; dmarc=pass action=none\r\n header.from=itu.int;compauth=pass reason=100"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		id      string
		results []string // "method=value" in order
		props   map[string]string
		err     error
	}{
		{"gmail", gmailPass, "mx.google.com", []string{"dkim=pass", "spf=pass", "dmarc=pass"},
			map[string]string{"header.i": "@itu.int", "header.b": "Xq3/ab+Z"}, nil},
		{"gmail quoted mailfrom", gmailQuotedMailfrom, "mx.google.com", []string{"dkim=pass", "spf=pass", "dmarc=pass"}, nil, nil},
		{"rspamd, one field", rspamdOne, "mx.ietf.example", []string{"dkim=pass", "spf=pass", "dmarc=none", "arc=pass"},
			map[string]string{"header.d": "mail.itu.int", "header.b": "cVmp/729"}, nil},
		{"opendkim", openDKIM, "mx.ietf.example", []string{"dkim=pass", "dkim-atps=neutral"},
			map[string]string{"header.d": "itu.int", "header.a": "rsa-sha256"}, nil},
		{"opendkim failure with a reason", openDKIMFail, "mx.ietf.example", []string{"dkim=fail", "dkim-atps=neutral"}, nil, nil},
		{"opendmarc", openDMARC, "mx.ietf.example", []string{"dmarc=pass"}, nil, nil},
		{"postfix spf with a comment holding ';'", postfixSPF, "mx.ietf.example", []string{"spf=pass"}, nil, nil},
		{"none", "mx.ietf.example; none", "mx.ietf.example", nil, nil, nil},
		{"version 1", "mx.ietf.example 1; dkim=pass header.d=itu.int", "mx.ietf.example", []string{"dkim=pass"}, nil, nil},
		{"quoted authserv-id", `"mx.ietf.example"; dkim=pass header.d=itu.int`, "mx.ietf.example", []string{"dkim=pass"}, nil, nil},
		{"method version", "mx.ietf.example; dkim/1 = pass header . d = itu.int", "mx.ietf.example", []string{"dkim=pass"}, map[string]string{"header.d": "itu.int"}, nil},
		{"a trailing ';'", "mx.ietf.example; dmarc=pass header.from=itu.int;", "mx.ietf.example", []string{"dmarc=pass"}, nil, nil},
		{"comment in odd places", "mx.ietf.example (our MX); (x) dmarc (y) = (z) pass (p=none (nested)) header.from=itu.int", "mx.ietf.example", []string{"dmarc=pass"}, nil, nil},
		{"microsoft 365: no authserv-id", m365, "", nil, nil, ErrNoAuthservID},
		{"empty", "", "", nil, nil, ErrNoAuthservID},
		{"only an id", "mx.ietf.example", "mx.ietf.example", nil, nil, ErrSyntax},
		{"version 2", "mx.ietf.example 2; dkim=pass", "mx.ietf.example", nil, nil, ErrSyntax},
		{"no result", "mx.ietf.example; dkim= header.d=itu.int", "mx.ietf.example", nil, nil, ErrSyntax},
		{"property without ptype", "mx.ietf.example; dmarc=pass action=none header.from=itu.int", "mx.ietf.example", nil, nil, ErrSyntax},
		{"property twice", "mx.ietf.example; dkim=pass header.d=evil.example header.d=itu.int", "mx.ietf.example", nil, nil, ErrSyntax},
		{"unterminated comment", "mx.ietf.example; dkim=pass (2048-bit key header.d=itu.int", "mx.ietf.example", nil, nil, ErrSyntax},
		{"unterminated quote", `mx.ietf.example; dkim=pass header.b="abc`, "mx.ietf.example", nil, nil, ErrSyntax},
		{"two ';'", "mx.ietf.example;; dkim=pass", "mx.ietf.example", nil, nil, ErrSyntax},
		{"keyword ending in '-'", "mx.ietf.example; dkim-=pass", "mx.ietf.example", nil, nil, ErrSyntax},
		{"results glued without ';'", "mx.ietf.example; dkim=pass dmarc=pass", "mx.ietf.example", nil, nil, ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Parse(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("Parse = %+v, %v; want %v", h, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if h.AuthservID != tc.id {
				t.Errorf("authserv-id %q, want %q", h.AuthservID, tc.id)
			}
			var got []string
			for _, r := range h.Results {
				got = append(got, r.Method+"="+r.Value)
			}
			if strings.Join(got, " ") != strings.Join(tc.results, " ") {
				t.Errorf("results %v, want %v", got, tc.results)
			}
			for k, want := range tc.props {
				found := false
				for _, r := range h.Results {
					if r.Props[k] == want {
						found = true
					}
				}
				if !found {
					t.Errorf("no result has %s=%s: %+v", k, want, h.Results)
				}
			}
		})
	}
}

func TestVerify(t *testing.T) {
	const id = "mx.ietf.example"
	forged := "mx.ietf.example; dmarc=pass header.from=itu.int" // what an attacker writes into the mail
	tests := []struct {
		name   string
		values []string // topmost first
		from   string
		pass   bool
		why    string
	}{
		{"dmarc pass", []string{openDMARC, openDKIM, postfixSPF}, "itu.int", true, "dmarc=pass for itu.int"},
		{"dkim aligned, one field", []string{rspamdOne}, "itu.int", true, "dkim=pass header.d=mail.itu.int aligned with itu.int"},
		{"dkim exact", []string{openDKIM}, "itu.int", true, "aligned with itu.int"},
		{"dkim aligned with a subdomain sender", []string{openDKIM}, "tsb.itu.int", true, "aligned with tsb.itu.int"},
		{"case and trailing dot", []string{"MX.IETF.EXAMPLE; DKIM=Pass header.d=ITU.INT."}, "Itu.Int", true, "aligned"},
		{"gmail with our id", []string{strings.Replace(gmailPass, "mx.google.com", id, 1)}, "itu.int", true, "dmarc=pass"},
		{"another host's field is ignored", []string{gmailPass}, "itu.int", false, "no Authentication-Results header from mx.ietf.example"},
		{"dkim fail", []string{openDKIMFail}, "itu.int", false, "dkim=fail"},
		{"dkim of another domain", []string{"mx.ietf.example; dkim=pass header.d=evil.example"}, "itu.int", false, "no dmarc=pass and no dkim=pass aligned"},
		{"dkim of the same public suffix only", []string{"mx.ietf.example; dkim=pass header.d=other.co.uk"}, "itu.co.uk", false, "no dkim=pass aligned"},
		{"dmarc fail wins over dkim pass", []string{strings.Replace(gmailFail, "mx.google.com", id, 1)}, "itu.int", false, "dmarc=fail for itu.int"},
		{"dmarc none, dkim aligned", []string{"mx.ietf.example; dmarc=none header.from=itu.int; dkim=pass header.d=itu.int"}, "itu.int", true, "dkim=pass"},
		{"dmarc pass for another From", []string{"mx.ietf.example; dmarc=pass header.from=evil.example"}, "itu.int", false, "is for header.from=evil.example"},
		{"spf alone", []string{postfixSPF}, "itu.int", false, "reports spf=pass"},
		{"none", []string{"mx.ietf.example; none"}, "itu.int", false, "reports no results"},
		{"separate milters: dmarc=none on top", []string{openDMARCNone, openDKIM}, "itu.int", false, "dmarc=none"},
		{"a forged field below ours is ignored", []string{openDKIMFail, forged}, "itu.int", false, "dkim=fail"},
		{"an MTA that adds no field must remove forged ones (RFC 8601 section 5): else one counts", []string{gmailPass, forged}, "itu.int", true, "dmarc=pass"},
		{"ours does not parse: the forged one below is not used", []string{"mx.ietf.example; dkim=pass header.d=itu.int header.d=itu.int", forged}, "itu.int", false, "does not parse"},
		{"microsoft 365 field above ours", []string{m365, openDMARC}, "itu.int", true, "dmarc=pass"},
		{"no From domain", []string{openDMARC}, "", false, "no domain"},
		{"no fields", nil, "itu.int", false, "no Authentication-Results header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Verify(tc.values, id, tc.from)
			if v.Pass != tc.pass || !strings.Contains(v.Why, tc.why) {
				t.Errorf("Verify = %+v, want pass=%v and %q", v, tc.pass, tc.why)
			}
		})
	}
}

// A forged field lower in a real message is not the MTA's: the topmost
// field with the id decides, read from the raw header in order.
func TestValuesFromRawMessage(t *testing.T) {
	raw := "Authentication-Results: mx.ietf.example;\r\n\tdkim=fail header.d=itu.int\r\n" +
		"Received: from mail.itu.int by mx.ietf.example; Mon, 23 Nov 2026 09:12:44 +0100\r\n" +
		"Authentication-Results: mx.ietf.example; dmarc=pass header.from=itu.int\r\n" +
		"From: TSB <tsb@itu.int>\r\nSubject: x\r\n\r\nbody\r\nAuthentication-Results: mx.ietf.example; dmarc=pass\r\n"
	vs, err := Values([]byte(raw))
	if err != nil || len(vs) != 2 || !strings.Contains(vs[0], "dkim=fail") {
		t.Fatalf("Values = %q, %v", vs, err)
	}
	if v := Verify(vs, "mx.ietf.example", "itu.int"); v.Pass {
		t.Errorf("the forged field below decided: %+v", v)
	}
	if _, err := Values([]byte(" bad first line\r\n\r\n")); err == nil {
		t.Error("a malformed header parsed")
	}
}
