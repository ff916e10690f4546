package mailproc

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

// TestHeaderAddresses: every header address is what the strict parser
// returns; a From that does not parse leaves no sender and a problem.
func TestHeaderAddresses(t *testing.T) {
	tests := []struct {
		name      string
		from      string // From line value ("" omits the From header)
		extra     string // more header lines
		wantFrom  string
		wantName  string
		wantTo    []string
		wantSend  string
		problems  []string
		noProblem []string
	}{
		{name: "address-like encoded name (mail command attack)",
			from: "=?utf-8?q?Li:li.wei=40example.org?= <mallory@attacker.example>", wantFrom: "mallory@attacker.example", wantName: "Li:li.wei@example.org",
			noProblem: []string{ProblemBadFrom}},
		{name: "CR LF Bcc in encoded name (correction attack)",
			from: "=?utf-8?q?Evil=0D=0ABcc:_bcc@evil.example?= <tsbsg15@itu.int>", wantFrom: "tsbsg15@itu.int", wantName: "Evil Bcc: bcc@evil.example"},
		{name: "name without address", from: "Hiroshi Tanaka h.tanaka@example.net", problems: []string{ProblemBadFrom}},
		{name: "no From", from: "", problems: []string{ProblemBadFrom}},
		{name: "two From fields", from: "a@example.org", extra: "From: b@example.org\r\n", problems: []string{ProblemBadFrom}},
		{name: "two authors, Sender picks", from: "a@example.org, b@example.org", extra: "Sender: <b@example.org>\r\n", wantFrom: "b@example.org", wantSend: "b@example.org"},
		{name: "two authors, no Sender", from: "a@example.org, b@example.org", problems: []string{ProblemBadFrom}},
		{name: "quoted local part", from: `"TSB" <"tsb sg15"@itu.int>`, wantFrom: `"tsb sg15"@itu.int`, wantName: "TSB"},
		{name: "Return-Path wins for Sender", from: "a@example.org", extra: "Return-Path: <bounces+x@lists.example>\r\nSender: owner@lists.example\r\n", wantFrom: "a@example.org", wantSend: "bounces+x@lists.example"},
		{name: "null Return-Path", from: "a@example.org", extra: "Return-Path: <>\r\n", wantFrom: "a@example.org"},
		{name: "bad Cc element skipped", from: "a@example.org", extra: "Cc: ok@example.org, Broken <x@example.org\r\n", wantFrom: "a@example.org", problems: []string{ProblemBadAddress}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := hdr(tc.from, "hello", tc.extra)
			if tc.from == "" {
				h = strings.Replace(h, "From: \r\n", "", 1)
			}
			x := Parse([]byte(h+"Content-Type: text/plain\r\n\r\nHello.\r\n"), Options{})
			if x.From.Email != tc.wantFrom {
				t.Errorf("From = %q, want %q", x.From.Email, tc.wantFrom)
			}
			if tc.wantName != "" && x.From.Name != tc.wantName {
				t.Errorf("From name = %q, want %q", x.From.Name, tc.wantName)
			}
			if x.Sender != tc.wantSend {
				t.Errorf("Sender = %q, want %q", x.Sender, tc.wantSend)
			}
			if len(x.HeaderTo) != 1 || x.HeaderTo[0].Email != "statements@ietf.example" {
				t.Errorf("To = %+v", x.HeaderTo)
			}
			codes := problemCodes(x)
			for _, c := range tc.problems {
				if !hasProblem(codes, c) {
					t.Errorf("no %q problem in %v", c, x.Problems)
				}
			}
			for _, c := range tc.noProblem {
				if hasProblem(codes, c) {
					t.Errorf("unexpected %q problem in %v", c, x.Problems)
				}
			}
		})
	}
}

func problemCodes(x *liaison.Extraction) []string {
	var out []string
	for _, p := range x.Problems {
		out = append(out, p.Code)
	}
	return out
}
