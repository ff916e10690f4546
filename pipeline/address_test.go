package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
)

// TestCorrectionGoesToTheAddrSpec: a misdirected statement's correction
// goes to the sender's angle address, whatever its display name says, and
// a sender whose From cannot be read strictly gets no mail and a flag.
func TestCorrectionGoesToTheAddrSpec(t *testing.T) {
	tests := []struct {
		name     string
		from     string
		wantTo   string // "" when no correction may be queued
		wantFlag string
	}{
		{"CR LF Bcc in the encoded name", "=?utf-8?q?Evil=0D=0ABcc:_bcc@evil.example?= <tsbsg15@itu.int>", "tsbsg15@itu.int", ""},
		{"address-like name", "=?utf-8?q?tsb=40itu.int?= <tsbsg15@itu.int>", "tsbsg15@itu.int", ""},
		{"quoted local part", `"TSB" <"tsb sg15"@itu.int>`, `"tsb sg15"@itu.int`, ""},
		{"name and address without brackets", "TSB SG15 tsbsg15@itu.int", "", "problem:" + mailproc.ProblemBadFrom},
		{"two authors", "tsbsg15@itu.int, bcc@evil.example", "", "problem:" + mailproc.ProblemBadFrom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, db, _ := newTest(t)
			raw := strings.Replace(string(mailWith("mis@itu.int")), "To: statements@ietf.example", "To: ccamp@ietf.example", 1)
			raw = strings.Replace(raw, `"ITU-T SG15 Secretariat" <tsb-sg15@itu.int>`, tc.from, 1)
			res, err := p.Process(Input{Raw: []byte(raw), Origin: "imap:lists/ccamp/3", Context: routing.Context{Folder: "lists/ccamp", WGList: "ccamp"}}, false)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Record.Routing.Misdirected {
				t.Fatalf("not misdirected: %+v", res.Record.Routing)
			}
			if tc.wantFlag != "" && !slices.Contains(res.Flags, tc.wantFlag) {
				t.Errorf("flags %v lack %s", res.Flags, tc.wantFlag)
			}
			var corrections []*store.OutboxEntry
			_ = db.View(func(tx *store.Tx) error {
				return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
					if e.Kind == "misdirection" {
						corrections = append(corrections, e)
					}
					for _, r := range e.Rcpts {
						if strings.Contains(r, "evil.example") {
							t.Errorf("%s mail to %s", e.Kind, r)
						}
					}
					return nil
				})
			})
			if tc.wantTo == "" {
				if len(corrections) != 0 {
					t.Errorf("correction queued to %s", corrections[0].Recipient)
				}
				return
			}
			if len(corrections) != 1 || corrections[0].Recipient != tc.wantTo || corrections[0].Rcpts[0] != tc.wantTo {
				t.Fatalf("corrections = %+v", corrections)
			}
			head, _, _ := strings.Cut(string(corrections[0].Raw), "\r\n\r\n")
			for _, line := range strings.Split(head, "\r\n") {
				if strings.HasPrefix(strings.ToLower(line), "bcc:") {
					t.Errorf("header line %q", line)
				}
				if strings.HasPrefix(line, "To:") {
					to, err := mailaddr.ParseList(strings.TrimPrefix(line, "To:"))
					if err != nil || len(to) != 1 || to[0].Addr() != tc.wantTo {
						t.Errorf("To line %q: %+v, %v", line, to, err)
					}
				}
			}
		})
	}
}
