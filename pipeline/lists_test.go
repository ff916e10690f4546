package pipeline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

func listMail(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "lists", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// outboxOf lists the outbox entries of kind as "recipient cc..." lines.
func outboxOf(t *testing.T, db *store.DB, kind string) []string {
	t.Helper()
	var out []string
	_ = db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			if e.Kind == kind {
				out = append(out, strings.Join(e.Rcpts, " "))
			}
			return nil
		})
	})
	slices.Sort(out)
	return out
}

// TestCorrectionReachesTheAuthorOfAListCopy: a statement seen only as a
// mailing list's copy (Mailman 3 headers, in the folder of the CCAMP
// list) gets one correction to its author with the managers in Cc, and
// the wrong group's chairs their heads-up; a reply in the list thread, a
// re-delivery of the same copy and a copy whose From the list rewrote get
// no correction.
func TestCorrectionReachesTheAuthorOfAListCopy(t *testing.T) {
	p, db, _ := newTest(t)
	onList := routing.Context{Folder: "wg-mpls", WGList: "mpls"}
	in := func(name string) Input {
		return Input{Raw: listMail(t, name), Origin: "imap:wg-mpls/1", Context: onList}
	}
	res, err := p.Process(in("statement-on-mpls-list.eml"), false)
	if err != nil {
		t.Fatal(err)
	}
	rt := res.Record.Routing
	if res.Kind != liaison.KindStatement || !rt.Misdirected || !slices.Equal(rt.WrongGroups, []string{"mpls"}) || !slices.Contains(rt.Groups, "teas") {
		t.Fatalf("result %+v, routing %+v", res, rt)
	}
	want := []string{"h.tanaka@example.net jane.doe@example.org kenji.sato@example.org"}
	if got := outboxOf(t, db, "misdirection"); !slices.Equal(got, want) {
		t.Errorf("corrections = %q, want %q (the author, the managers in Cc)", got, want)
	}
	if got := outboxOf(t, db, "misdirection-headsup"); !slices.Equal(got, []string{"mpls-chairs@ietf.example"}) {
		t.Errorf("heads-ups = %q, want the mpls chairs", got)
	}

	// A reply in the list's thread: no correction, and it acknowledges nothing.
	res, err = p.Process(in("reply-on-mpls-list.eml"), false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind == liaison.KindStatement && res.DuplicateOf == "" {
		t.Errorf("the reply was recorded as a new statement: %+v", res)
	}
	// The same copy delivered again.
	if res, err = p.Process(in("statement-on-mpls-list.eml"), false); err != nil || !res.Duplicate {
		t.Fatalf("re-delivery: %+v, %v", res, err)
	}
	// A list that rewrote From to itself: the author cannot be told apart
	// from the list, so nobody is written to.
	res, err = p.Process(in("statement-dmarc-munged.eml"), false)
	if err != nil || res.Kind != liaison.KindStatement || !res.Record.Routing.Misdirected {
		t.Fatalf("munged copy: %+v, %v", res, err)
	}
	if got := outboxOf(t, db, "misdirection"); !slices.Equal(got, want) {
		t.Errorf("corrections after the reply, the re-delivery and the munged copy = %q, want only %q", got, want)
	}
	var stmt *liaison.Record
	_ = db.View(func(tx *store.Tx) (err error) { stmt, err = tx.Record("LS-2026-0001"); return err })
	if stmt.Acked != nil {
		t.Errorf("a list reply acknowledged the statement: %+v", stmt.Acked)
	}
}

// TestCorrectableRules: who gets a correction for a misdirected statement.
func TestCorrectableRules(t *testing.T) {
	p, _, _ := newTest(t)
	s := p.set.Current()
	base := string(listMail(t, "statement-on-mpls-list.eml"))
	tests := []struct {
		name string
		raw  string
		ok   bool
		why  string
	}{
		{"a list copy from a person", base, true, ""},
		{"sent to the list directly, no list headers", stripListHeaders(base), true, ""},
		{"bulk", strings.Replace(base, "Precedence: list", "Precedence: bulk", 1), false, "Precedence: bulk"},
		{"from the list's posting address", strings.Replace(base, "h.tanaka@example.net>", "wg-x@lists.example>", 1) + "", false, ""},
		{"a reply in the list thread", strings.Replace(base, "Subject: [MPLS] LS", "Subject: Re: [MPLS] LS", 1), false, "a thread on the mailing list mpls.ietf.example"},
		{"two authors", strings.Replace(base, "From: Hiroshi Tanaka <h.tanaka@example.net>", "From: Hiroshi Tanaka <h.tanaka@example.net>, Ann <ann@example.net>", 1), false, "no sender address"}, // mailproc reads no author from it
		{"a robot", strings.Replace(base, "h.tanaka@example.net>", "noreply@example.net>", 1), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.raw)
			if tt.name == "from the list's posting address" {
				raw = []byte(strings.Replace(strings.Replace(tt.raw, "List-Post: <mailto:mpls@ietf.example>", "List-Post: <mailto:wg-x@lists.example>", 1), "X-BeenThere: mpls@ietf.example", "X-BeenThere: wg-x@lists.example", 1))
			}
			x := parseForTest(s, raw)
			rec := &liaison.Record{Extraction: *x}
			ok, why := correctable(s, rec, raw)
			if ok != tt.ok || (tt.why != "" && why != tt.why) || (!ok && why == "") {
				t.Errorf("correctable = %v (%q), want %v (%q)", ok, why, tt.ok, tt.why)
			}
		})
	}
}

// stripListHeaders removes what a list adds, as if the author had sent
// the statement to the list's address and a copy came straight to us.
func stripListHeaders(raw string) string {
	var out []string
	for _, l := range strings.Split(raw, "\r\n") {
		k, _, _ := strings.Cut(l, ":")
		switch strings.ToLower(k) {
		case "precedence", "list-id", "list-post", "list-help", "list-owner", "list-subscribe", "list-unsubscribe", "list-archive", "x-beenthere", "sender":
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\r\n")
}

func parseForTest(s *settings.Snapshot, raw []byte) *liaison.Extraction {
	return safeParse(raw, parseOptions(s))
}
