package mailproc

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestForwardedAndContentHash(t *testing.T) {
	pdf := []byte("%PDF-1.4 the statement itself")
	original := multiMsg("Hiroshi Ota <hiroshi.ota@example.com>", "LS on OTN YANG", "", "mixed",
		textPart(proseBody), filePart("LS-from-SG15-to-IETF-CCAMP.pdf", "application/pdf", pdf))
	// Re-sent with a new Message-ID and Date.
	resent := []byte(strings.Replace(strings.Replace(string(original), "Message-ID: <", "Message-ID: <resent-", 1),
		"Tue, 16 Feb 2027", "Wed, 17 Feb 2027", 1))
	// Forwarded as a message/rfc822 attachment by a chair.
	rfc822 := multiMsg("Chair <chair@example.com>", "Fwd: LS on OTN YANG", "", "mixed",
		textPart("FYI, see below.\n"),
		part{"Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n", strings.ReplaceAll(string(original), "BOUNDARY", "INNER-BOUNDARY")})
	// Forwarded inline, Gmail style, with the file re-attached.
	inline := multiMsg("Chair <chair@example.com>", "Fwd: LS on OTN YANG", "", "mixed",
		textPart("Forwarding to the list.\n\n---------- Forwarded message ---------\nFrom: Hiroshi Ota <hiroshi.ota@example.com>\nDate: Tue, 16 Feb 2027 at 07:01\nSubject: LS on OTN YANG\nTo: <statements@ietf.example>\n\n"+proseBody),
		filePart("LS-from-SG15-to-IETF-CCAMP.pdf", "application/pdf", pdf))
	// Outlook style, quoted, body-only statement (no attachment).
	bodyOnly := textMsg("TSB SG15 <tsbsg15@itu.int>", "SG15-LS45: LS on management of OTN network slicing", "", ituBody)
	outlook := textMsg("Chair <chair@example.com>", "FW: SG15-LS45: LS on management of OTN network slicing", "",
		"Please record.\n\n-----Original Message-----\nFrom: TSB SG15 <tsbsg15@itu.int>\nSent: Friday, 12 February 2027 16:25\nTo: statements@ietf.example\nSubject: SG15-LS45: LS on management of OTN network slicing\n\n"+
			quote(ituBody))
	other := multiMsg("Hiroshi Ota <hiroshi.ota@example.com>", "LS on OTN YANG", "", "mixed",
		textPart(proseBody), filePart("LS-from-SG15-to-IETF-CCAMP.pdf", "application/pdf", []byte("%PDF-1.4 a different statement")))
	otherBody := textMsg("TSB SG15 <tsbsg15@itu.int>", "SG15-LS45: LS on management of OTN network slicing", "", strings.Replace(ituBody, "15 March 2027", "15 April 2027", 1))

	parse := func(raw []byte) *liaison.Extraction { return Parse(raw, Options{}) }
	base := parse(original)
	baseBody := parse(bodyOnly)
	tests := []struct {
		name string
		raw  []byte
		ref  *liaison.Extraction
		same bool
	}{
		{"re-sent with new Message-ID", resent, base, true},
		{"forwarded as message/rfc822", rfc822, base, true},
		{"forwarded inline", inline, base, true},
		{"Outlook forward of a body-only statement, quoted", outlook, baseBody, true},
		{"different attachment", other, base, false},
		{"different body", otherBody, baseBody, false},
		{"different statements", bodyOnly, base, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := parse(tt.raw)
			if x.Kind != liaison.KindStatement {
				t.Fatalf("kind = %q, want statement (problems %v)", x.Kind, x.Problems)
			}
			if x.ContentHash == "" || tt.ref.ContentHash == "" {
				t.Fatal("empty content hash")
			}
			if (x.ContentHash == tt.ref.ContentHash) != tt.same {
				t.Errorf("hash %s vs %s: same = %v, want %v", x.ContentHash, tt.ref.ContentHash, !tt.same, tt.same)
			}
			if tt.same && x.Title != tt.ref.Title {
				t.Errorf("title = %q, want the original's %q", x.Title, tt.ref.Title)
			}
			if tt.same && x.Deadline != tt.ref.Deadline {
				t.Errorf("deadline = %v, want the original's %v", x.Deadline, tt.ref.Deadline)
			}
		})
	}
	if ContentHash(&liaison.Extraction{Kind: liaison.KindReply, Title: "x"}) != "" {
		t.Error("non-statement has a content hash")
	}
}

func quote(s string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = "> " + lines[i]
	}
	return strings.Join(lines, "\n")
}
