package mailproc

import (
	"strings"
	"testing"
)

func TestSplitForward(t *testing.T) {
	tests := []struct {
		name, text    string
		allowOriginal bool
		ok            bool
		subject, body string
	}{
		{"gmail", "FYI\n\n---------- Forwarded message ---------\nFrom: A <a@example.com>\nDate: Mon, 1 Mar 2027\nSubject: LS on X\nTo: b@example.com\n\nThe statement.\n", false, true, "LS on X", "The statement."},
		{"apple mail", "Begin forwarded message:\n\nFrom: A <a@example.com>\nSubject: LS on Y\nDate: 1 March 2027\n\nBody Y\n", false, true, "LS on Y", "Body Y"},
		{"outlook original message, allowed", "-----Original Message-----\nFrom: A\nSent: Monday\nSubject: LS on Z\n\nBody Z\n", true, true, "LS on Z", "Body Z"},
		{"outlook original message in a reply", "Thanks.\n-----Original Message-----\nFrom: A\nSubject: LS on Z\n\nBody Z\n", false, false, "", ""},
		{"german", "-------- Weitergeleitete Nachricht --------\nVon: A <a@example.de>\nBetreff: LS zu X\nAn: b@example.com\n\nText\n", false, true, "LS zu X", "Text"},
		{"quoted forward", "See below.\n\n---------- Forwarded message ---------\n> From: A\n> Subject: LS on Q\n>\n> Line one\n> Line two\n", false, true, "LS on Q", "Line one\nLine two"},
		{"no forward", "Just a letter.\n", true, false, "", ""},
	}
	for _, tt := range tests {
		f, ok := splitForward(tt.text, tt.allowOriginal)
		if ok != tt.ok {
			t.Errorf("%s: ok = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if f.headers["subject"] != tt.subject {
			t.Errorf("%s: subject = %q, want %q", tt.name, f.headers["subject"], tt.subject)
		}
		if strings.TrimSpace(f.body) != tt.body {
			t.Errorf("%s: body = %q, want %q", tt.name, strings.TrimSpace(f.body), tt.body)
		}
	}
}

func TestReadForwardedRFC822(t *testing.T) {
	inner := "From: TSB SG15 <tsbsg15@itu.int>\r\nSubject: LS on OTN YANG\r\nDate: Tue, 16 Feb 2027 07:01:11 +0000\r\nContent-Type: text/plain\r\n\r\n" + strings.ReplaceAll(proseBody, "\n", "\r\n")
	raw := multiMsg("Chair <chair@example.com>", "Fwd: LS on OTN YANG", "", "mixed",
		textPart("FYI, see below.\n"), part{"Content-Type: message/rfc822\r\n", inner})
	w := &walker{}
	top := w.readMessage(strings.NewReader(string(raw)), "", 0)
	v := readForwarded(top, "Fwd: LS on OTN YANG")
	if !v.forwarded || v.subject != "LS on OTN YANG" || !strings.Contains(v.text, "Please find attached an LS from ITU-T SG15") {
		t.Errorf("view = %+v", v)
	}
}
