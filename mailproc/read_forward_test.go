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
		{"french thunderbird", "Bonjour,\n\n-------- Message transféré --------\nSujet : LS on F\nDate : Mon, 26 Apr 2027 14:02:11 +0000\nDe : TSB <tsb@itu.int>\n\nBody F\n", false, true, "LS on F", "Body F"},
		{"italian thunderbird with tabs", "-------- Messaggio Inoltrato --------\nOggetto: \tLS on I\nMittente: \tTSB <tsb@itu.int>\n\nBody I\n", false, true, "LS on I", "Body I"},
		{"spanish gmail", "---------- Mensaje reenviado ---------\nDe: A <a@example.com>\nSubject: LS on S\n\nBody S\n", false, true, "LS on S", "Body S"},
		{"chinese outlook", "转发\n\n________________________________\n发件人: TSB <tsb@itu.int>\n发送时间: 2027年5月4日 16:20\n主题: LS on C\n\nBody C\n", true, true, "LS on C", "Body C"},
		{"german outlook", "Hallo\n\n________________________________\nVon: 3GPP <3GPPLiaison@etsi.org>\nGesendet: Dienstag, 27. April 2027 15:30\nBetreff: LS on G\n\nBody G\n", true, true, "LS on G", "Body G"},
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

func TestForwardedSenderAndDate(t *testing.T) {
	tests := []struct {
		name, text, from, date string
	}{
		{"gmail", "FYI\n\n---------- Forwarded message ---------\nFrom: TSB SG15 <tsbsg15@itu.int>\nDate: Mon, 26 Apr 2027 14:02:11 +0000\nSubject: LS\n\nBody\n", "tsbsg15@itu.int", "2027-04-26"},
		{"apple mail date", "Begin forwarded message:\n\n> From: BBF <liaisons@broadband-forum.org>\n> Subject: LS\n> Date: 30 April 2027 at 17:41:20 EDT\n>\n> Body\n", "liaisons@broadband-forum.org", "2027-04-30"},
		{"chinese date", "________________________________\n发件人: TSB SG13 <tsbsg13@itu.int>\n发送时间: 2027年5月4日 16:20\n主题: LS\n\nBody\n", "tsbsg13@itu.int", "2027-05-04"},
	}
	for _, tt := range tests {
		raw := textMsg("Fwd Person <fwd@example.com>", "Fwd: LS", "", tt.text)
		w := &walker{}
		top := w.readMessage(strings.NewReader(string(raw)), "", 0)
		v := readForwarded(top, "Fwd: LS")
		date := ""
		if !v.origDate.IsZero() {
			date = v.origDate.Format("2006-01-02")
		}
		if !v.forwarded || v.origFrom.Email != tt.from || date != tt.date {
			t.Errorf("%s: forwarded %v from %q date %q, want %q %q", tt.name, v.forwarded, v.origFrom.Email, date, tt.from, tt.date)
		}
	}
}

func TestAcknowledgementIsNoStatement(t *testing.T) {
	tests := []struct {
		name, subject, body string
		want                bool
	}{
		{"acknowledge receipt", "Acknowledgement of receipt: IETF DMM LS", "We acknowledge receipt of your LS on X, for action.", true},
		{"has been received", "Your LS", "Your liaison statement has been received and will be forwarded to SG15 for information.", true},
		{"a statement", "LS on X", "Please find attached an LS from ITU-T SG15 to IETF CCAMP, for action.", false},
		{"a long statement that mentions a receipt", "LS on X", "Your liaison has been received with interest. " + strings.Repeat("SG15 has studied the topic at length. ", 60), false},
	}
	for _, tt := range tests {
		if got := isAcknowledgement(view{subject: tt.subject, text: tt.body}); got != tt.want {
			t.Errorf("%s: isAcknowledgement = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTrackerReminderIsNoStatement(t *testing.T) {
	tests := []struct {
		name, subject, body string
		want                bool
	}{
		{"deadline soon", "[Liaison deadline in one week] LS on X", "The following liaison expires in one week. Plase take actions.\n\nTitle: LS on X\n", true},
		{"out of date", "[Liaison OUT OF DATE] LS on X", "The following liaison is out of date for 3 days. Plase take actions.\n", true},
		{"forwarded without its subject", "Fwd: LS on X", "The following liaison expires tomorrow. Plase take actions.\n\nTitle: LS on X\n", true},
		{"a notice", `New Liaison Statement, "LS on X"`, "Title: LS on X\nSubmission Date: 2026-01-01\n", false},
		{"a statement about a deadline", "LS on the liaison deadline", "The following liaisons were received.", false},
	}
	for _, tt := range tests {
		if got := isTrackerReminder(view{subject: tt.subject, text: tt.body}); got != tt.want {
			t.Errorf("%s: isTrackerReminder = %v, want %v", tt.name, got, tt.want)
		}
	}
}
