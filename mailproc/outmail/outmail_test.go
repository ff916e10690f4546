package outmail

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/ietf-tools/liaisond/liaison"
)

var testDate = time.Date(2027, 3, 1, 9, 30, 0, 0, time.UTC)

func baseMail() Mail {
	return Mail{
		From:       liaison.Contact{Name: "IETF liaison daemon", Email: "liaisond@ietf.example"},
		To:         []liaison.Contact{{Name: "Alice Manager", Email: "alice@example.org"}},
		Cc:         []liaison.Contact{{Email: "ccamp-chairs@ietf.example"}},
		Subject:    "Liaison statement LS-2027-0001 from ITU-T SG15",
		MessageID:  MessageID("LS-2027-0001/notice/alice@example.org", "ietf.example"),
		InReplyTo:  "abc123@itu.int",
		References: []string{"root@itu.int", "abc123@itu.int"},
		Date:       testDate,
		ListID:     "liaisond.ietf.example",
		Kind:       "notice",
		LoopToken:  "ietf.example:4f2a",
		Text:       "Hello\nA statement arrived.\n",
	}
}

// parse reads a built message back with go-message and returns its header
// and the decoded text of every inline part.
func parse(t *testing.T, raw []byte) (gomail.Header, []string) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse built message: %v\n%s", err, raw)
	}
	var bodies []string
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		b, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		bodies = append(bodies, string(b))
	}
	return r.Header, bodies
}

// headerKeys lists the header field names in the top-level header.
func headerKeys(h gomail.Header) map[string]int {
	keys := map[string]int{}
	f := h.Fields()
	for f.Next() {
		keys[strings.ToLower(f.Key())]++
	}
	return keys
}

func TestBuildRequiredHeaders(t *testing.T) {
	raw, err := Build(baseMail())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("bare LF in output")
	}
	h, bodies := parse(t, raw)
	want := map[string]string{
		"Auto-Submitted":           "auto-generated",
		"X-Auto-Response-Suppress": "All",
		"X-Liaisond-Loop":          "ietf.example:4f2a",
		"X-Liaisond-Kind":          "notice",
		"List-Id":                  "<liaisond.ietf.example>",
		"MIME-Version":             "1.0",
		"In-Reply-To":              "<abc123@itu.int>",
		"References":               "<root@itu.int> <abc123@itu.int>",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if LoopHeader != "X-Liaisond-Loop" {
		t.Errorf("LoopHeader = %q", LoopHeader)
	}
	if id, _ := h.MessageID(); id != baseMail().MessageID {
		t.Errorf("Message-ID = %q", id)
	}
	if d, _ := h.Date(); !d.Equal(testDate) {
		t.Errorf("Date = %v", d)
	}
	ct, params, _ := h.ContentType()
	if ct != "text/plain" || params["charset"] != "utf-8" {
		t.Errorf("Content-Type = %s %v", ct, params)
	}
	if h.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Errorf("CTE = %q", h.Get("Content-Transfer-Encoding"))
	}
	if len(bodies) != 1 || bodies[0] != "Hello\r\nA statement arrived.\r\n" {
		t.Errorf("bodies = %q", bodies)
	}
}

func TestBuildHostileHeaders(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Mail)
	}{
		{"subject CRLF Bcc", func(m *Mail) { m.Subject = "Hello\r\nBcc: victim@evil.example\r\n\r\nbody" }},
		{"subject LF only", func(m *Mail) { m.Subject = "Hello\nBcc: victim@evil.example" }},
		{"subject CR only", func(m *Mail) { m.Subject = "Hello\rBcc: victim@evil.example" }},
		{"subject NUL and tab", func(m *Mail) { m.Subject = "Hello\x00\tBcc: victim@evil.example" }},
		{"subject unicode separators", func(m *Mail) { m.Subject = "Hello\u2028Bcc: victim@evil.example\u0085x" }},
		{"display name CRLF", func(m *Mail) {
			m.To[0].Name = "Alice\r\nBcc: victim@evil.example"
		}},
		{"display name quotes and brackets", func(m *Mail) {
			m.To[0].Name = `"Evil" <victim@evil.example>, Bcc: x@evil.example`
		}},
		{"from name CRLF", func(m *Mail) { m.From.Name = "Daemon\n\nBcc: victim@evil.example" }},
		{"kind with newline is refused", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := baseMail()
			if tc.mutate == nil {
				m.Kind = "notice\r\nBcc: victim@evil.example"
				if _, err := Build(m); err == nil {
					t.Fatal("hostile kind accepted")
				}
				return
			}
			tc.mutate(&m)
			raw, err := Build(m)
			if err != nil {
				t.Fatal(err)
			}
			h, _ := parse(t, raw)
			keys := headerKeys(h)
			if keys["bcc"] != 0 {
				t.Errorf("Bcc header injected:\n%s", raw)
			}
			for k, n := range keys {
				if n > 1 {
					t.Errorf("header %s appears %d times", k, n)
				}
			}
			to, err := h.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Address != "alice@example.org" {
				t.Errorf("To = %v (%v)", to, err)
			}
			from, err := h.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Address != "liaisond@ietf.example" {
				t.Errorf("From = %v (%v)", from, err)
			}
			subj, err := h.Subject()
			if err != nil || strings.ContainsAny(subj, "\r\n\x00") {
				t.Errorf("subject %q (%v)", subj, err)
			}
			if strings.Contains(string(raw), "\r\nBcc:") {
				t.Errorf("raw output has a Bcc line:\n%s", raw)
			}
		})
	}
}

func TestBuildRejectsBadAddresses(t *testing.T) {
	bad := []string{
		"alice@example.org\r\nBcc: victim@evil.example",
		"alice@example.org\n",
		"alice @example.org",
		"<alice@example.org>",
		"alice@example.org, victim@evil.example",
		"not-an-address",
		"",
		"álice@example.org",
		"alice@@example.org",
	}
	for _, addr := range bad {
		t.Run(addr, func(t *testing.T) {
			m := baseMail()
			m.To = []liaison.Contact{{Name: "x", Email: addr}}
			if raw, err := Build(m); err == nil {
				t.Fatalf("accepted %q:\n%s", addr, raw)
			} else if !IsComposeError(err) {
				t.Errorf("error %v is not a *ComposeError", err)
			}
			m = baseMail()
			m.ReplyTo = &liaison.Contact{Email: addr}
			if _, err := Build(m); err == nil {
				t.Fatalf("Reply-To accepted %q", addr)
			}
		})
	}
}

func TestBuildRejectsInvalidFields(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Mail)
	}{
		{"no date", func(m *Mail) { m.Date = time.Time{} }},
		{"no loop token", func(m *Mail) { m.LoopToken = "" }},
		{"loop token with space", func(m *Mail) { m.LoopToken = "a b" }},
		{"no text", func(m *Mail) { m.Text = "" }},
		{"no recipients", func(m *Mail) { m.To, m.Cc = nil, nil }},
		{"bad message id", func(m *Mail) { m.MessageID = "x\r\ny@z" }},
		{"message id with brackets", func(m *Mail) { m.MessageID = "<a@b>" }},
		{"bad list id", func(m *Mail) { m.ListID = "list id" }},
		{"empty list id", func(m *Mail) { m.ListID = "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := baseMail()
			tc.mutate(&m)
			if _, err := Build(m); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestBuildDropsHostileThreadIDs(t *testing.T) {
	m := baseMail()
	m.InReplyTo = "x@y>\r\nBcc: victim@evil.example"
	m.References = []string{"good@itu.int", "bad id@x", "a@b\nBcc: c@d"}
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parse(t, raw)
	if h.Has("In-Reply-To") {
		t.Errorf("hostile In-Reply-To emitted: %q", h.Get("In-Reply-To"))
	}
	if got := h.Get("References"); got != "<good@itu.int>" {
		t.Errorf("References = %q", got)
	}
	if headerKeys(h)["bcc"] != 0 {
		t.Error("Bcc injected")
	}
}

func TestBuildNonASCIIRoundTrip(t *testing.T) {
	m := baseMail()
	m.Subject = "Réponse à la déclaration de liaison — 研究组 15 ✓"
	m.To[0].Name = "Zoë Ångström, \"Jr\""
	m.Text = "Grüße aus Genève\nЗдравствуйте\n"
	m.HTML = "<p>Grüße &amp; 研究组</p>"
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range raw {
		if b >= 0x80 {
			t.Fatalf("8-bit byte in output; headers and bodies must be 7-bit encoded")
		}
	}
	h, bodies := parse(t, raw)
	if subj, err := h.Subject(); err != nil || subj != m.Subject {
		t.Errorf("subject %q (%v), want %q", subj, err, m.Subject)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != m.To[0].Name {
		t.Errorf("To = %v (%v)", to, err)
	}
	ct, _, _ := h.ContentType()
	if ct != "multipart/alternative" {
		t.Errorf("Content-Type = %q", ct)
	}
	if len(bodies) != 2 || bodies[0] != "Grüße aus Genève\r\nЗдравствуйте\r\n" || bodies[1] != "<p>Grüße &amp; 研究组</p>\r\n" {
		t.Errorf("bodies = %q", bodies)
	}
}

func TestCleanAndCap(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"  a \r\n\t b  ", 0, "a b"},
		{"x\x00y\x7fz", 0, "x y z"},
		{"abcdef", 4, "abc…"},
		{"ab\xffcd", 0, "ab\uFFFDcd"},
		{"é", 1, "é"},
	}
	for _, tc := range tests {
		if got := Clean(tc.in, tc.max); got != tc.want {
			t.Errorf("Clean(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
	long := strings.Repeat("word ", 100)
	m := baseMail()
	m.Subject = long
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parse(t, raw)
	if subj, _ := h.Subject(); len([]rune(subj)) > MaxSubject {
		t.Errorf("subject not capped: %d runes", len([]rune(subj)))
	}
}

func TestMessageIDStable(t *testing.T) {
	tests := []struct{ key, domain string }{
		{"LS-2027-0001/notice/alice@example.org/0", "ietf.example"},
		{"", "x.example"},
	}
	for _, tc := range tests {
		a, b := MessageID(tc.key, tc.domain), MessageID(tc.key, tc.domain)
		if a != b {
			t.Errorf("unstable: %q vs %q", a, b)
		}
		left, right, _ := strings.Cut(a, "@")
		if len(left) != 32 || right != tc.domain || !validMsgID(a) {
			t.Errorf("MessageID(%q) = %q", tc.key, a)
		}
	}
	if MessageID("a", "d") == MessageID("b", "d") {
		t.Error("different keys gave the same id")
	}
}

func TestDuplicateRecipientsCollapse(t *testing.T) {
	m := baseMail()
	m.To = append(m.To, liaison.Contact{Email: "ALICE@example.org"})
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parse(t, raw)
	to, _ := h.AddressList("To")
	if len(to) != 1 {
		t.Errorf("To = %v", to)
	}
}
