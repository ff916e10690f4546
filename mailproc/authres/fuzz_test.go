package authres

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary field values to the parser and the verdict.
// Neither may panic; a field that parses names a non-empty authserv-id and
// results with a method and a value; Verify passes only on a field whose
// authserv-id is the one asked for and that holds a dmarc or dkim pass.
func FuzzParse(f *testing.F) {
	for _, s := range []string{gmailPass, gmailFail, gmailQuotedMailfrom, rspamdOne, openDKIM, openDKIMFail, openDMARC, openDMARCNone, postfixSPF, m365,
		"mx.ietf.example; none", "mx.ietf.example 1; dkim/1=pass header.d=itu.int", `"a\"b"; x=y`, "a; b=c (((", "a; b=c d.e=\"\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h, err := Parse(v)
		if err == nil {
			if h.AuthservID == "" {
				t.Fatalf("%q parsed with no authserv-id", v)
			}
			for _, r := range h.Results {
				if r.Method == "" || r.Value == "" || r.Method != strings.ToLower(r.Method) || r.Value != strings.ToLower(r.Value) {
					t.Fatalf("%q parsed with result %+v", v, r)
				}
			}
		}
		verdict := Verify([]string{v}, "mx.ietf.example", "itu.int")
		if !verdict.Pass {
			return
		}
		if err != nil || !strings.EqualFold(h.AuthservID, "mx.ietf.example") {
			t.Fatalf("%q passed without being a parsed field of mx.ietf.example (%v)", v, err)
		}
		ok := false
		for _, r := range h.Results {
			if (r.Method == "dmarc" || r.Method == "dkim") && r.Value == "pass" {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("%q passed without a dmarc or dkim pass: %+v", v, h)
		}
	})
}
