package commands

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestTokenValid(t *testing.T) {
	good := Token(testKey, "LS-2026-0007")
	if len(good) != TokenLen {
		t.Fatalf("token %q has %d digits, want %d", good, len(good), TokenLen)
	}
	tests := []struct {
		name  string
		key   []byte
		id    string
		token string
		want  bool
	}{
		{"valid", testKey, "LS-2026-0007", good, true},
		{"valid upper case", testKey, "LS-2026-0007", strings.ToUpper(good), true},
		{"valid lower-case id", testKey, "ls-2026-0007", good, true},
		{"wrong id", testKey, "LS-2026-0008", good, false},
		{"wrong key", []byte("another key"), "LS-2026-0007", good, false},
		{"empty key", nil, "LS-2026-0007", Token(nil, "LS-2026-0007"), false},
		{"truncated", testKey, "LS-2026-0007", good[:TokenLen-1], false},
		{"one digit changed", testKey, "LS-2026-0007", flip(good), false},
		{"empty", testKey, "LS-2026-0007", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Valid(tc.key, tc.id, tc.token); got != tc.want {
				t.Errorf("Valid(%q, %q) = %v, want %v", tc.id, tc.token, got, tc.want)
			}
		})
	}
	if Token(testKey, "LS-2026-0007") == Token(testKey, "LS-2026-0008") {
		t.Error("different ids give the same token")
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[0] == '0' {
		b[0] = '1'
	} else {
		b[0] = '0'
	}
	return string(b)
}

func TestReplyAddressRoundTrip(t *testing.T) {
	liaisonAddrs := []string{"statements@ietf.example", "liaison-statements@ietf.example"}
	addr, err := ReplyAddress("statements@ietf.example", testKey, "LS-2026-0007")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(addr, "statements+LS-2026-0007.") || !strings.HasSuffix(addr, "@ietf.example") {
		t.Fatalf("reply address %q", addr)
	}
	tests := []struct {
		name   string
		addrs  []string
		wantID string
		ok     bool
	}{
		{"as sent", []string{"someone@example.org", addr}, "LS-2026-0007", true},
		{"case changed", []string{strings.ToUpper(addr)}, "LS-2026-0007", true},
		{"alias", []string{strings.Replace(addr, "statements+", "liaison-statements+", 1)}, "LS-2026-0007", true},
		{"plain liaison address", []string{"statements@ietf.example"}, "", false},
		{"other domain", []string{strings.Replace(addr, "ietf.example", "evil.example", 1)}, "", false},
		{"other local part", []string{strings.Replace(addr, "statements+", "chairs+", 1)}, "", false},
		{"not a statement id", []string{"statements+MSG-2026-000001.abc@ietf.example"}, "", false},
		{"no address", nil, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := FindTarget(tc.addrs, liaisonAddrs)
			if ok != tc.ok || got.ID != tc.wantID {
				t.Fatalf("FindTarget(%v) = %+v, %v; want id %q, %v", tc.addrs, got, ok, tc.wantID, tc.ok)
			}
			if ok && !Valid(testKey, got.ID, got.Token) {
				t.Errorf("token from %q does not validate", got.Address)
			}
		})
	}
	if _, err := ReplyAddress("no-at-sign", testKey, "LS-2026-0007"); err == nil {
		t.Error("ReplyAddress accepted an address without domain")
	}
	if _, err := ReplyAddress("statements@ietf.example", nil, "LS-2026-0007"); err == nil {
		t.Error("ReplyAddress accepted an empty key")
	}
}

func TestParse(t *testing.T) {
	quoted := "\n> [LS-2026-0007] For action: LS on OTN\n> delay 2027-01-01 quoted text is not a command\n"
	tests := []struct {
		name    string
		body    string
		want    Command
		wantErr string
	}{
		{"ack", "ack\n", Command{Verb: Ack}, ""},
		{"ack upper case with punctuation", "  ACK.\r\n\r\nThanks, Jane", Command{Verb: Ack}, ""},
		{"acknowledged", "Acknowledged, thanks", Command{Verb: Ack}, ""},
		{"ack after blank lines above quote", "\n\n\nack\n" + quoted, Command{Verb: Ack}, ""},
		{"delay", "delay 2027-04-30 the WG meets on 2027-04-20\n", Command{Verb: Delay, Date: liaison.Date{Year: 2027, Month: 4, Day: 30}, Arg: "the WG meets on 2027-04-20"}, ""},
		{"Delay with colon", "Delay: 2027-04-30 - waiting for the interim", Command{Verb: Delay, Date: liaison.Date{Year: 2027, Month: 4, Day: 30}, Arg: "waiting for the interim"}, ""},
		{"delay without reason", "delay 2027-04-30", Command{}, "reason"},
		{"delay bad date", "delay 2027-02-30 too late", Command{}, "not a date"},
		{"delay no date", "delay soon", Command{}, "YYYY-MM-DD"},
		{"answered", "answered LS-2026-0012 sent by the tracker", Command{Verb: Answered, Arg: "LS-2026-0012 sent by the tracker"}, ""},
		{"answered without reference", "answered", Command{Verb: Answered}, ""},
		{"reassign", "reassign CCAMP", Command{Verb: Reassign, Arg: "CCAMP"}, ""},
		{"reassign without group", "Reassign:", Command{}, "group"},
		{"not-ours", "not-ours this is for the IEEE 802.1 WG", Command{Verb: NotOurs, Arg: "this is for the IEEE 802.1 WG"}, ""},
		{"not ours with a space", "Not ours: wrong SDO", Command{Verb: NotOurs, Arg: "wrong SDO"}, ""},
		{"not-ours without reason", "not-ours", Command{}, "reason"},
		{"report goes on below its line", "report: SG15 plenary agreed the plan.\n\nTwo statements in May.\n\n-- \nJane\n" + quoted,
			Command{Verb: Report, Arg: "SG15 plenary agreed the plan.\n\nTwo statements in May."}, ""},
		{"report starting on the next line", "Report\nAll quiet this quarter.\nOn Mon, 1 Mar 2027, liaisond wrote:\n> x", Command{Verb: Report, Arg: "All quiet this quarter."}, ""},
		{"report without text", "report\n" + quoted, Command{}, "text is required"},
		{"reporter is not report", "Reporter's note", Command{}, "no command"},
		{"only quoted text", quoted, Command{}, "no command"},
		{"signature first", "-- \nJane Doe\nack", Command{}, "no command"},
		{"quotation header first", "On Mon, 1 Mar 2027, liaisond wrote:\n> ack", Command{}, "no command"},
		{"prose first line", "Hi all,\n\nack\n", Command{}, "no command"},
		{"acknowledgement is not ack", "Acknowledgement will follow", Command{}, "no command"},
		{"unknown verb", "shut it", Command{}, "no command"},
		{"closed is not close", "Closed as discussed", Command{}, "no command"},
		{"close", "close: no reply will be sent", Command{Verb: Close, Arg: "no reply will be sent"}, ""},
		{"close without reason", "close", Command{}, "reason"},
		{"reopen", "Reopen", Command{Verb: Reopen}, ""},
		{"reopen with reason", "reopen the peer asked again", Command{Verb: Reopen, Arg: "the peer asked again"}, ""},
		{"note", "note CCAMP discusses it at IETF 130", Command{Verb: Note, Arg: "CCAMP discusses it at IETF 130"}, ""},
		{"note without text", "note:", Command{}, "text"},
		{"set deadline", "set deadline 2027-06-01", Command{Verb: Set, Field: "deadline", Arg: "2027-06-01"}, ""},
		{"set from-org", "Set from-org: ITU-T SG13", Command{Verb: Set, Field: "from_org", Arg: "ITU-T SG13"}, ""},
		{"set title keeps case", "set title LS on OTN YANG", Command{Verb: Set, Field: "title", Arg: "LS on OTN YANG"}, ""},
		{"set unknown field", "set colour blue", Command{}, "field"},
		{"set without value", "set title", Command{}, "value"},
		{"empty", "", Command{}, "no command"},
		{"outlook original message", "-----Original Message-----\nack", Command{}, "no command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.body)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Parse(%q) = %+v, %v; want error containing %q", tc.body, got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.body, err)
			}
			if got != tc.want {
				t.Errorf("Parse(%q) = %+v, want %+v", tc.body, got, tc.want)
			}
		})
	}
}

func TestCommandString(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"ack", "ack"},
		{"delay 2027-04-30 interim meeting", "delay 2027-04-30 interim meeting"},
		{"NOT OURS: wrong SDO", "not-ours wrong SDO"},
	}
	for _, tc := range tests {
		c, err := Parse(tc.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.in, err)
		}
		if c.String() != tc.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.in, c.String(), tc.want)
		}
	}
}
