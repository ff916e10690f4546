package commands

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

var issued = time.Date(2026, 11, 28, 15, 4, 0, 0, time.UTC)

func TestTokenCheck(t *testing.T) {
	good := Token(testKey, "LS-2026-0007", issued)
	if len(good) != TokenLen {
		t.Fatalf("token %q has %d digits, want %d", good, len(good), TokenLen)
	}
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	v2 := func(tok string, on time.Time) Target { return Target{ID: "LS-2026-0007", Token: tok, Issued: on} }
	v1 := func(tok string) Target { return Target{ID: "LS-2026-0007", Token: tok} }
	received := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	const maxAge = 90 * 24 * time.Hour
	now := issued.Add(time.Hour)
	tests := []struct {
		name string
		key  []byte
		id   string
		tgt  Target
		now  time.Time
		want error
	}{
		{"valid", testKey, "LS-2026-0007", v2(good, day), now, nil},
		{"valid upper case", testKey, "LS-2026-0007", v2(strings.ToUpper(good), day), now, nil},
		{"valid lower-case id", testKey, "ls-2026-0007", v2(good, day), now, nil},
		{"same day, other hour", testKey, "LS-2026-0007", v2(Token(testKey, "LS-2026-0007", day), day), now, nil},
		{"wrong id", testKey, "LS-2026-0008", v2(good, day), now, ErrBadToken},
		{"date moved", testKey, "LS-2026-0007", v2(good, day.AddDate(0, 3, 0)), now, ErrBadToken},
		{"wrong key", []byte("another key"), "LS-2026-0007", v2(good, day), now, ErrBadToken},
		{"empty key", nil, "LS-2026-0007", v2(Token(nil, "LS-2026-0007", day), day), now, ErrBadToken},
		{"truncated", testKey, "LS-2026-0007", v2(good[:TokenLen-1], day), now, ErrBadToken},
		{"one digit changed", testKey, "LS-2026-0007", v2(flip(good), day), now, ErrBadToken},
		{"empty", testKey, "LS-2026-0007", v2("", day), now, ErrBadToken},
		{"v1 token as v2", testKey, "LS-2026-0007", v2(TokenV1(testKey, "LS-2026-0007"), day), now, ErrBadToken},
		{"last day of its age", testKey, "LS-2026-0007", v2(good, day), day.Add(24*time.Hour + maxAge - time.Second), nil},
		{"expired", testKey, "LS-2026-0007", v2(good, day), day.Add(24*time.Hour + maxAge + time.Second), ErrExpired},
		{"v1 within its age from reception", testKey, "LS-2026-0007", v1(TokenV1(testKey, "LS-2026-0007")), received.Add(maxAge - time.Hour), nil},
		{"v1 expired from reception", testKey, "LS-2026-0007", v1(TokenV1(testKey, "LS-2026-0007")), received.Add(maxAge + time.Hour), ErrExpired},
		{"v2 token as v1", testKey, "LS-2026-0007", v1(good), now, ErrBadToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.key, tc.id, tc.tgt, received, tc.now, maxAge)
			if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("Check = %v, want %v", err, tc.want)
			}
		})
	}
	if err := Check(testKey, "LS-2026-0007", v2(good, day), received, day.AddDate(5, 0, 0), 0); err != nil {
		t.Errorf("no maximum age: %v", err)
	}
	err := Check(testKey, "LS-2026-0007", v2(good, day), received, day.AddDate(1, 0, 0), maxAge)
	if err == nil || !strings.Contains(err.Error(), "issued on 2026-11-28 and tokens last 90 days") {
		t.Errorf("expiry says %v", err)
	}
	if Token(testKey, "LS-2026-0007", day) == Token(testKey, "LS-2026-0008", day) || Token(testKey, "LS-2026-0007", day) == Token(testKey, "LS-2026-0007", day.AddDate(0, 0, 1)) {
		t.Error("different ids or days give the same token")
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
	addr, err := ReplyAddress("statements@ietf.example", testKey, "LS-2026-0007", issued)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(addr, "statements+LS-2026-0007.20261128.") || !strings.HasSuffix(addr, "@ietf.example") {
		t.Fatalf("reply address %q", addr)
	}
	v1 := "statements+LS-2026-0007." + TokenV1(testKey, "LS-2026-0007") + "@ietf.example"
	tests := []struct {
		name   string
		addrs  []string
		wantID string
		ok     bool
		v1     bool
	}{
		{"as sent", []string{"someone@example.org", addr}, "LS-2026-0007", true, false},
		{"case changed", []string{strings.ToUpper(addr)}, "LS-2026-0007", true, false},
		{"alias", []string{strings.Replace(addr, "statements+", "liaison-statements+", 1)}, "LS-2026-0007", true, false},
		{"a v1 address", []string{v1}, "LS-2026-0007", true, true},
		{"not a date", []string{strings.Replace(addr, ".20261128.", ".20261328.", 1)}, "", false, false},
		{"plain liaison address", []string{"statements@ietf.example"}, "", false, false},
		{"other domain", []string{strings.Replace(addr, "ietf.example", "evil.example", 1)}, "", false, false},
		{"other local part", []string{strings.Replace(addr, "statements+", "chairs+", 1)}, "", false, false},
		{"not a statement id", []string{"statements+MSG-2026-000001.abc@ietf.example"}, "", false, false},
		{"no address", nil, "", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := FindTarget(tc.addrs, liaisonAddrs)
			if ok != tc.ok || got.ID != tc.wantID || (ok && got.V1() != tc.v1) {
				t.Fatalf("FindTarget(%v) = %+v, %v; want id %q, %v, v1 %v", tc.addrs, got, ok, tc.wantID, tc.ok, tc.v1)
			}
			if ok {
				if err := Check(testKey, got.ID, got, issued, issued, 90*24*time.Hour); err != nil {
					t.Errorf("token from %q does not check: %v", got.Address, err)
				}
			}
		})
	}
	if _, err := ReplyAddress("no-at-sign", testKey, "LS-2026-0007", issued); err == nil {
		t.Error("ReplyAddress accepted an address without domain")
	}
	if _, err := ReplyAddress("statements@ietf.example", nil, "LS-2026-0007", issued); err == nil {
		t.Error("ReplyAddress accepted an empty key")
	}
}

// The replay guard's key is the same for the same command with the same
// token however it is written, and differs for another command or token.
func TestGuardKey(t *testing.T) {
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	tgt := Target{ID: "LS-2026-0007", Token: Token(testKey, "LS-2026-0007", day), Issued: day}
	parse := func(s string) Command {
		c, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		return c
	}
	base := GuardKey(tgt, parse("delay 2027-05-01 waiting for the WG"))
	same := []string{"Delay 2027-05-01   waiting for the WG", "DELAY: 2027-05-01 Waiting for the WG\n\n-- \nJane"}
	for _, s := range same {
		if k := GuardKey(tgt, parse(s)); k != base {
			t.Errorf("%q has another key than the same command", s)
		}
	}
	upper := tgt
	upper.Token = strings.ToUpper(tgt.Token)
	if GuardKey(upper, parse("delay 2027-05-01 waiting for the WG")) != base {
		t.Error("the token's case changes the key")
	}
	other := []struct {
		tgt Target
		cmd string
	}{
		{tgt, "delay 2027-05-02 waiting for the WG"},
		{tgt, "ack"},
		{Target{ID: tgt.ID, Token: Token(testKey, tgt.ID, day.AddDate(0, 0, 1)), Issued: day.AddDate(0, 0, 1)}, "delay 2027-05-01 waiting for the WG"},
		{Target{ID: tgt.ID, Token: TokenV1(testKey, tgt.ID)}, "delay 2027-05-01 waiting for the WG"},
	}
	for _, o := range other {
		if GuardKey(o.tgt, parse(o.cmd)) == base {
			t.Errorf("%q with %+v has the same key", o.cmd, o.tgt)
		}
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
		{"separators after odd white space are not the argument", "Answered \v!", Command{Verb: Answered}, ""},
		{"delay reason after odd white space and a dash", "delay 2027-04-30 \u00a0- waiting", Command{Verb: Delay, Date: liaison.Date{Year: 2027, Month: 4, Day: 30}, Arg: "waiting"}, ""},
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
