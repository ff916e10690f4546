package outgoing

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// Edit fixes what Check found, says what changed, and refuses what cannot
// be applied without changing anything.
func TestEdit(t *testing.T) {
	cfg := loadConfig(t)
	req := ituReq()
	req.Deadline = liaison.Date{Year: 2027, Month: time.March, Day: 20} // sooner than SG15's 60 days
	req.Contacts = nil
	req.Attachments = []liaison.Attachment{{Name: "draft.pdf", SHA256: "aa"}, {Name: "notes.txt", SHA256: "bb"}}
	rec := draft(t, cfg, req, nil)
	if ps := Check(cfg, rec, now); len(ps) != 2 {
		t.Fatalf("problems %v, want the deadline and the contact", ps)
	}
	before := *rec.Outbound
	// A handover gave the draft to the manager in office since.
	rec.Routing.Managers = []liaison.Contact{{Name: "Nia New", Email: "nia@example.org"}}

	for _, bad := range []Change{
		{Request: Request{FromGroups: []string{"ccamp", "nosuchwg"}}},
		{Request: Request{Purpose: "urgent"}},
		{Detach: []string{"missing.pdf"}},
	} {
		if _, err := Edit(cfg, rec, bad); !errors.Is(err, ErrInput) {
			t.Errorf("Edit(%+v): %v, want ErrInput", bad, err)
		}
	}
	if rec.Extraction.Deadline.Day != 20 || !slices.Equal(rec.Outbound.FromGroups, before.FromGroups) {
		t.Fatal("a refused edit changed the draft")
	}

	changed, err := Edit(cfg, rec, Change{Request: Request{
		Deadline:    liaison.Date{Year: 2027, Month: time.June, Day: 1},
		Contacts:    []liaison.Contact{{Name: "Daniele Ceccarelli", Email: "ccamp-chair@example.org"}},
		FromGroups:  []string{"teas", "ccamp", "teas"},
		Title:       "LS on OTN slicing YANG models", // unchanged
		Attachments: []liaison.Attachment{{Name: "draft.pdf", SHA256: "cc"}, {Name: "slides.pdf", SHA256: "dd"}},
	}, Detach: []string{"notes.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"from ccamp -> ccamp, teas",
		"deadline 2027-03-20 -> 2027-06-01",
		"contacts none -> Daniele Ceccarelli <ccamp-chair@example.org>",
		"detached notes.txt", "replaced draft.pdf", "attached slides.pdf",
	}
	if !slices.Equal(changed, want) {
		t.Errorf("changed:\n%q\nwant\n%q", changed, want)
	}
	if ps := Check(cfg, rec, now); len(ps) != 0 {
		t.Errorf("problems after the edit: %v", ps)
	}
	if rec.Extraction.FromGroup != "IETF CCAMP WG and IETF TEAS WG" || !slices.Equal(rec.Routing.Groups, []string{"ccamp", "teas"}) {
		t.Errorf("sender %q, routing %v", rec.Extraction.FromGroup, rec.Routing.Groups)
	}
	if m := rec.Routing.Managers; len(m) != 1 || m[0].Email != "nia@example.org" {
		t.Errorf("the edit changed the draft's managers to %v", m)
	}
	if !strings.Contains(rec.Extraction.Subject, "IETF CCAMP WG and IETF TEAS WG") {
		t.Errorf("subject not recomputed: %q", rec.Extraction.Subject)
	}
	var names []string
	for _, a := range rec.Extraction.Attachments {
		names = append(names, a.Name+":"+a.SHA256)
	}
	if !slices.Equal(names, []string{"draft.pdf:cc", "slides.pdf:dd"}) {
		t.Errorf("attachments %v", names)
	}
	if changed, err := Edit(cfg, rec, Change{Request: Request{Title: "LS on OTN slicing YANG models"}}); err != nil || len(changed) != 0 {
		t.Errorf("an edit that changes nothing: %v, %v", changed, err)
	}

	// Once approved, the text is what the approvers agreed to.
	if _, err := Approve(cfg, rec, "ccamp-chair@example.org", "consensus call", now); err != nil {
		t.Fatal(err)
	}
	if _, err := Approve(cfg, rec, "teas-chair@example.org", "consensus call", now); err != nil {
		t.Fatal(err)
	}
	if _, err := Edit(cfg, rec, Change{Request: Request{Title: "another title"}}); !errors.Is(err, ErrState) || !strings.Contains(err.Error(), "withdraw it and draft again") {
		t.Errorf("editing an approved statement: %v", err)
	}
}

// A statement goes to the peer's addresses and the response contacts of
// what it answers, copied to the liaison address, the managers and the
// sending groups' lists, each address once.
func TestAddresses(t *testing.T) {
	cfg := loadConfig(t)
	sg15 := incoming(t, cfg, "06-itu-sg15-text-action.eml", "LS-2027-0005")
	req := ituReq()
	req.FromGroups = []string{"ccamp", "teas"}
	rec := draft(t, cfg, req, sg15)
	rec.Outbound.SendTo = append(rec.Outbound.SendTo, liaison.Contact{Email: "TSBSG15@itu.int"}) // already in To
	r, err := Addresses(cfg, rec)
	if err != nil {
		t.Fatal(err)
	}
	emails := func(cs []liaison.Contact) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Email)
		}
		return out
	}
	if got, want := emails(r.To), []string{"tsbsg15@itu.int", "hiroshi.ota@example.com"}; !slices.Equal(got, want) {
		t.Errorf("To %v, want %v", got, want)
	}
	if got, want := emails(r.Cc), []string{"statements@ietf.example", "jane.doe@example.org", "ccamp@ietf.example", "teas@ietf.example"}; !slices.Equal(got, want) {
		t.Errorf("Cc %v, want %v", got, want)
	}
	if r.ReplyTo == nil || r.ReplyTo.Email != "statements@ietf.example" {
		t.Errorf("Reply-To %+v", r.ReplyTo)
	}
}
