package actions

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/deadlines"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/internal/testmail"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
	"github.com/ietf-tools/liaisond/store"
)

// Approvers of a CCAMP statement in the example configuration: its chairs
// and the Routing Area's directors.
var (
	rtgAD    = Actor{Email: "rtg-ad-one@example.org", Channel: liaison.ChannelCLI}
	ccampCLI = Actor{Email: "ccamp-chairs@ietf.example", Channel: liaison.ChannelCLI}
)

// The outgoing rows of the authorisation table, as a pure function of
// roles: approving is the approvers' alone.
func TestMayOutgoing(t *testing.T) {
	roles := []liaison.Role{liaison.RoleManager, liaison.RoleChair, liaison.RoleIAB, liaison.RoleOperator, liaison.RoleApprover, liaison.RoleSender}
	want := map[Verb][]liaison.Role{
		Draft:    {liaison.RoleManager, liaison.RoleChair, liaison.RoleIAB, liaison.RoleOperator, liaison.RoleApprover},
		Edit:     {liaison.RoleManager, liaison.RoleChair, liaison.RoleIAB, liaison.RoleOperator, liaison.RoleApprover},
		Withdraw: {liaison.RoleManager, liaison.RoleChair, liaison.RoleIAB, liaison.RoleOperator, liaison.RoleApprover},
		Send:     {liaison.RoleManager, liaison.RoleIAB, liaison.RoleOperator, liaison.RoleApprover},
		Approve:  {liaison.RoleApprover},
	}
	if len(want) != len(OutgoingVerbs) {
		t.Fatalf("the test covers %d of %d verbs", len(want), len(OutgoingVerbs))
	}
	for _, v := range OutgoingVerbs {
		for _, r := range roles {
			if got, exp := May(liaison.Roles{r}, v), slices.Contains(want[v], r); got != exp {
				t.Errorf("May(%s, %s) = %v, want %v", r, v, got, exp)
			}
		}
	}
	// Every statement verb is open to approvers where it is to chairs.
	for _, v := range Verbs {
		if May(liaison.Roles{liaison.RoleApprover}, v) != May(liaison.Roles{liaison.RoleChair}, v) {
			t.Errorf("approver and chair differ on %s", v)
		}
	}
}

// draftReq answers the test statement for CCAMP, with two problems for
// SG15's rules: a deadline sooner than 60 days and no contact.
func draftReq() Request {
	return Request{Action: Draft, Draft: &DraftInput{
		Answers: id, From: []string{"CCAMP WG"}, Purpose: "for action", Deadline: "2027-01-10",
		Body:       "CCAMP thanks SG15.\nThe OTN topology model aligns with G.874.1 as described in the attached draft.",
		Addressees: []string{"Q12/15"},
		Attach:     []File{{Name: "draft-ietf-ccamp-otn-topo.txt", Data: []byte("Internet-Draft text\n")}},
	}}
}

func (f *fixture) recordOf(t *testing.T, rid string) *liaison.Record {
	t.Helper()
	var r *liaison.Record
	if err := f.db.View(func(tx *store.Tx) (err error) { r, err = tx.Record(rid); return err }); err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) eventsOf(t *testing.T, rid string) []string {
	t.Helper()
	var out []string
	_ = f.db.View(func(tx *store.Tx) error {
		evs, err := tx.Events(rid)
		for _, ev := range evs {
			out = append(out, fmt.Sprintf("%s %s [%s]", ev.Type, ev.Detail, ev.By))
		}
		return err
	})
	return out
}

// refused checks that err is a refusal with the code and text given and
// that the draft did not change.
func (f *fixture) refused(t *testing.T, err error, code Code, text, rid string, before *liaison.Record) {
	t.Helper()
	if got, ok := CodeOf(err); !ok || got != code || !strings.Contains(err.Error(), text) {
		t.Errorf("got %v, want a %s refusal saying %q", err, code, text)
	}
	a, _ := json.Marshal(f.recordOf(t, rid))
	b, _ := json.Marshal(before)
	if !bytes.Equal(a, b) {
		t.Errorf("a refusal changed %s", rid)
	}
}

// The whole life of an answer: drafted with problems, refused approval,
// fixed, approved by an approver only, sent through the composer, and the
// statement it answers answered; each step in both histories.
func TestOutgoingFlow(t *testing.T) {
	f := newFixture(t)
	out, err := f.l.Apply("", jane, draftReq())
	if err != nil {
		t.Fatal(err)
	}
	const did = "LS-2026-0002"
	if out.ID != did || len(out.Problems) != 2 || !strings.Contains(out.Result, "2 problems") {
		t.Fatalf("draft: %+v", out)
	}
	d := f.recordOf(t, did)
	if d.State != liaison.StateDraft || d.Outbound.Answers != id || d.Extraction.Title != "LS/r on alignment of the OTN topology YANG model" {
		t.Errorf("draft record: state %s, answers %q, title %q", d.State, d.Outbound.Answers, d.Extraction.Title)
	}
	if in := f.recordOf(t, id); !slices.Contains(in.Links, did) {
		t.Errorf("the statement answered is not linked to its draft: %v", in.Links)
	}
	att := d.Extraction.Attachments
	if len(att) != 1 || att[0].ContentType != "text/plain; charset=utf-8" || att[0].Size != 20 {
		t.Fatalf("attachments %+v", att)
	}
	_ = f.db.View(func(tx *store.Tx) error {
		if data, err := tx.File(did, att[0].SHA256); err != nil || string(data) != "Internet-Draft text\n" {
			t.Errorf("stored file: %q, %v", data, err)
		}
		return nil
	})

	// A draft with problems cannot be approved, even by an approver.
	approve := Request{Action: Approve, Consensus: "https://mailarchive.example/ccamp/otn-topo-consensus"}
	_, err = f.l.Apply(did, rtgAD, approve)
	f.refused(t, err, Conflict, "fix them first", did, d)
	// Nor sent.
	_, err = f.l.Apply(did, jane, Request{Action: Send})
	f.refused(t, err, Conflict, "not approved yet: awaiting ccamp (ccamp-chairs@ietf.example, rtg-ad-one@example.org, rtg-ad-two@example.org)", did, d)
	// Statement actions wait until it is sent; a note does not.
	_, err = f.l.Apply(did, jane, Request{Action: Ack})
	f.refused(t, err, Conflict, "was not sent (draft)", did, d)

	out, err = f.l.Apply(did, ccampCLI, Request{Action: Edit, Draft: &DraftInput{Deadline: "2027-03-01", Contacts: []string{"Daniele Ceccarelli <Daniele@Example.org>"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Problems) != 0 || !strings.Contains(out.Result, "no problems") {
		t.Fatalf("edit: %+v", out)
	}
	d = f.recordOf(t, did)
	if c := d.Extraction.TechnicalContacts; len(c) != 1 || c[0].Email != "daniele@example.org" || c[0].Name != "Daniele Ceccarelli" {
		t.Errorf("contacts %+v", c)
	}

	// Only an approver approves: not the manager, the operator, another
	// group's chair; and not without a consensus reference.
	for who, a := range map[string]Actor{"manager": jane, "operator": operator, "other chair": teas, "iab": iab} {
		_, err = f.l.Apply(did, a, approve)
		if code, _ := CodeOf(err); code != Forbidden || !strings.Contains(err.Error(), "that needs approver") {
			t.Errorf("approval by the %s: %v, want forbidden", who, err)
		}
	}
	_, err = f.l.Apply(did, rtgAD, Request{Action: Approve})
	f.refused(t, err, Invalid, "say where the IETF consensus is recorded", did, d)

	out, err = f.l.Apply(did, rtgAD, approve)
	if err != nil {
		t.Fatal(err)
	}
	if d = f.recordOf(t, did); d.Outbound.State != liaison.OutboundApproved || !strings.Contains(out.Result, "send it with `send "+did+"`") {
		t.Fatalf("after approval: %s, %q", d.Outbound.State, out.Result)
	}
	_, err = f.l.Apply(did, ccampCLI, Request{Action: Edit, Draft: &DraftInput{Title: "Something else"}})
	f.refused(t, err, Conflict, "what was approved cannot change", did, d)
	_, err = f.l.Apply(did, stranger, Request{Action: Send})
	f.refused(t, err, Forbidden, "may not send", did, d)

	out, err = f.l.Apply(did, jane, Request{Action: Send})
	if err != nil {
		t.Fatal(err)
	}
	d = f.recordOf(t, did)
	if d.Outbound.State != liaison.OutboundSent || d.State != liaison.StateOpen || d.Outbound.Sent.By != "jane.doe@example.org" {
		t.Errorf("after sending: %s, record %s, %+v", d.Outbound.State, d.State, d.Outbound.Sent)
	}
	in := f.recordOf(t, id)
	if in.State != liaison.StateAnswered || in.Answered == nil || in.Answered.Ref != did {
		t.Errorf("the statement answered: %s, %+v", in.State, in.Answered)
	}

	var e *store.OutboxEntry
	_ = f.db.View(func(tx *store.Tx) error {
		e, _ = tx.Outbox(did + "|outgoing-statement|tsbsg15@itu.int|")
		if due, ok := tx.DueAt(did, store.DueDeadline); !ok || due.Format("2006-01-02") != "2027-03-01" {
			t.Errorf("the peer's answer is not awaited by its deadline: %v %v", due, ok)
		}
		if refs := tx.Refs(store.RefTitle, liaison.NormTitle(d.Extraction.Title)); !slices.Contains(refs, did) {
			t.Errorf("the sent statement's title is not indexed: %v", refs)
		}
		return nil
	})
	if e == nil {
		t.Fatalf("no statement to the peer in the outbox: %v", f.mails(t))
	}
	if e.MessageID != d.Extraction.MessageID || d.Outbound.Sent.Ref != e.MessageID {
		t.Errorf("the record's Message-ID %q is not its mail's %q", d.Extraction.MessageID, e.MessageID)
	}
	want := []string{"tsbsg15@itu.int", "statements@ietf.example", "jane.doe@example.org", "kenji.sato@example.org", "ccamp@ietf.example"}
	if !slices.Equal(e.Rcpts, want) {
		t.Errorf("recipients %v, want %v", e.Rcpts, want)
	}
	raw := string(e.Raw)
	for _, s := range []string{"In-Reply-To: <sg15-1@itu.int>", "Subject: LS from IETF CCAMP WG to ITU-T Study Group 15: LS/r on", "filename=" + did + ".pdf", "filename=draft-ietf-ccamp-otn-topo.txt"} {
		if !strings.Contains(raw, s) {
			t.Errorf("the mail lacks %q", s)
		}
	}
	pdf := attachment(t, e.Raw, did+".pdf")
	text, err := pdftext.Text(pdf, pdftext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"LS/r on alignment of the OTN topology YANG model", "1 March 2027", "rtg-ad-one@example.org", "otn-topo-consensus"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), s) {
			t.Errorf("the PDF lacks %q:\n%s", s, text)
		}
	}

	// The peer's answer is awaited: the reminders about an outgoing
	// statement fall due before its deadline, to its handlers.
	plan := deadlines.FromConfig(f.l.opt.Settings.Config()).Plan(d, time.Date(2027, 2, 26, 9, 0, 0, 0, time.UTC))
	if len(plan.Actions) != 1 || plan.Actions[0].Kind != deadlines.Reminder || !plan.Actions[0].Outgoing {
		t.Errorf("plan three days before the peer's deadline: %+v", plan)
	}

	_, err = f.l.Apply(did, jane, Request{Action: Send})
	f.refused(t, err, Conflict, "is sent", did, d)
	_, err = f.l.Apply(did, jane, Request{Action: Withdraw, Reason: "too late"})
	f.refused(t, err, Conflict, "cannot become withdrawn", did, d)

	// Both histories tell the story, with who and the consensus.
	history := strings.Join(f.eventsOf(t, did), "\n")
	answered := strings.Join(f.eventsOf(t, id), "\n")
	for _, s := range []string{
		"drafted drafted to ITU-T Study Group 15 from ccamp, answering " + id + " [jane.doe@example.org]",
		"checked 2 problems to fix before approval",
		"edited deadline 2027-01-10 -> 2027-03-01; contacts none -> Daniele Ceccarelli <daniele@example.org> [ccamp-chairs@ietf.example]",
		"checked no problems: ready for approval by ccamp (ccamp-chairs@ietf.example, rtg-ad-one@example.org, rtg-ad-two@example.org)",
		"approved approved for ccamp by rtg-ad-one@example.org (area-director); consensus: https://mailarchive.example/ccamp/otn-topo-consensus [rtg-ad-one@example.org]",
		"sent-to-peer sent to ITU-T Study Group 15: to tsbsg15@itu.int; cc statements@ietf.example, jane.doe@example.org, kenji.sato@example.org, ccamp@ietf.example; attached " + did + ".pdf, draft-ietf-ccamp-otn-topo.txt [jane.doe@example.org]",
		"queued outgoing-statement to tsbsg15@itu.int",
	} {
		if !strings.Contains(history, s) {
			t.Errorf("the draft's history lacks %q:\n%s", s, history)
		}
		if s = strings.TrimPrefix(s, "queued outgoing-statement to tsbsg15@itu.int"); s == "" {
			continue
		}
		verb, rest, _ := strings.Cut(s, " ")
		if mirrored := verb + " answer " + did + ": " + rest; !strings.Contains(answered, mirrored) {
			t.Errorf("the answered statement's history lacks %q:\n%s", mirrored, answered)
		}
	}
	if !strings.Contains(answered, "answered answered by "+did) {
		t.Errorf("the answered statement's history lacks its answer:\n%s", answered)
	}
}

// attachment returns the named attachment of a built mail.
func attachment(t *testing.T, raw []byte, name string) []byte {
	t.Helper()
	i := bytes.Index(raw, []byte("filename="+name))
	if i < 0 {
		t.Fatalf("no attachment %s", name)
	}
	part := raw[i:]
	start := bytes.Index(part, []byte("\r\n\r\n")) + 4
	end := bytes.Index(part[start:], []byte("\r\n--"))
	data, err := decodeBase64(part[start : start+end])
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// With send_on_approval, the last approval sends the statement.
func TestSendOnApproval(t *testing.T) {
	f := newFixtureWith(t, bytes.Replace(examples.Config, []byte("send_on_approval: false"), []byte("send_on_approval: true"), 1))
	req := draftReq()
	req.Draft.Deadline, req.Draft.Contacts = "2027-03-01", []string{"ccamp-chairs@ietf.example"}
	out, err := f.l.Apply("", ccampCLI, req)
	if err != nil || len(out.Problems) != 0 {
		t.Fatalf("draft: %+v %v", out, err)
	}
	out, err = f.l.Apply(out.ID, ccampCLI, Request{Action: Approve, Consensus: "CCAMP session minutes, IETF 127"})
	if err != nil {
		t.Fatal(err)
	}
	if d := f.recordOf(t, out.ID); d.Outbound.State != liaison.OutboundSent || !strings.Contains(out.Result, "queued to ITU-T Study Group 15") {
		t.Errorf("after the approval: %s, %q", d.Outbound.State, out.Result)
	}
	if in := f.recordOf(t, id); in.State != liaison.StateAnswered {
		t.Errorf("the statement answered is %s", in.State)
	}
}

// A withdrawn draft is closed and goes nowhere; a draft is written only
// through the action's checks.
func TestWithdrawAndBadDrafts(t *testing.T) {
	f := newFixture(t)
	out, err := f.l.Apply("", ccamp, draftReq())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.Apply(out.ID, jane, Request{Action: Note, Text: "SG15 meets in May"}); err != nil {
		t.Errorf("a note on a draft: %v", err)
	}
	if _, err := f.l.Apply(out.ID, jane, Request{Action: Edit, Draft: &DraftInput{Detach: []string{"draft-ietf-ccamp-otn-topo.txt"}}}); err != nil {
		t.Fatal(err)
	}
	d := f.recordOf(t, out.ID)
	if len(d.Extraction.Attachments) != 0 {
		t.Errorf("attachments after detaching: %+v", d.Extraction.Attachments)
	}
	if _, err := f.l.Apply(out.ID, jane, Request{Action: Withdraw, Reason: "SG15 withdrew its question"}); err != nil {
		t.Fatal(err)
	}
	d = f.recordOf(t, out.ID)
	if d.Outbound.State != liaison.OutboundWithdrawn || d.State != liaison.StateClosed || d.Outbound.Withdrawn.Note != "SG15 withdrew its question" {
		t.Errorf("withdrawn: %s %s %+v", d.Outbound.State, d.State, d.Outbound.Withdrawn)
	}
	_, err = f.l.Apply(out.ID, rtgAD, Request{Action: Approve, Consensus: "x"})
	f.refused(t, err, Conflict, "withdrawn", out.ID, d)
	if in := f.recordOf(t, id); in.State != liaison.StateOpen {
		t.Errorf("withdrawing the answer changed the statement answered: %s", in.State)
	}

	big := make([]byte, MaxFile+1)
	for name, tc := range map[string]struct {
		actor Actor
		id    string
		in    *DraftInput
		code  Code
		text  string
	}{
		"stranger":         {stranger, "", &DraftInput{To: "itu-t-sg15", From: []string{"ccamp"}}, Forbidden, "may not draft a statement to ITU-T Study Group 15 from ccamp"},
		"unknown org":      {jane, "", &DraftInput{To: "nosuch", From: []string{"ccamp"}}, Invalid, `unknown organization "nosuch"`},
		"no outgoing":      {jane, "", &DraftInput{To: "itu-t-sg13", From: []string{"ccamp"}}, Invalid, "has no outgoing section"},
		"unknown group":    {jane, "", &DraftInput{To: "itu-t-sg15", From: []string{"nosuchwg"}}, Invalid, `no group "nosuchwg"`},
		"bad purpose":      {jane, "", &DraftInput{To: "itu-t-sg15", Purpose: "urgent"}, Invalid, "purpose"},
		"bad deadline":     {jane, "", &DraftInput{To: "itu-t-sg15", Deadline: "next week"}, Invalid, "deadline"},
		"bad contact":      {jane, "", &DraftInput{To: "itu-t-sg15", Contacts: []string{"Jane <jane@@x>"}}, Invalid, "contact"},
		"big file":         {jane, "", &DraftInput{To: "itu-t-sg15", Attach: []File{{Name: "big.pdf", Data: big}}}, Invalid, "at most"},
		"file path":        {jane, "", &DraftInput{To: "itu-t-sg15", Attach: []File{{Name: "../x.pdf", Data: []byte("x")}}}, Invalid, "plain file name"},
		"answers an id":    {jane, id, &DraftInput{To: "itu-t-sg15"}, Invalid, "an id of its own"},
		"answers nothing":  {jane, "", &DraftInput{Answers: "LS-2026-0099"}, NotFound, "no statement LS-2026-0099"},
		"wrong org":        {jane, "", &DraftInput{Answers: id, To: "3gpp-sa2"}, Invalid, "an answer goes to the organization that sent the statement"},
		"no fields":        {jane, "", nil, Invalid, "the draft's fields are required"},
		"edit a statement": {jane, id, &DraftInput{Title: "x"}, Invalid, ""},
	} {
		t.Run(name, func(t *testing.T) {
			v := Draft
			if name == "edit a statement" {
				v, tc.code, tc.text = Edit, Conflict, "not a statement drafted here"
			}
			before := f.mails(t)
			_, err := f.l.Apply(tc.id, tc.actor, Request{Action: v, Draft: tc.in})
			if code, ok := CodeOf(err); !ok || code != tc.code || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("got %v, want %s saying %q", err, tc.code, tc.text)
			}
			if !slices.Equal(f.mails(t), before) {
				t.Error("a refused draft queued mail")
			}
		})
	}
	_ = f.db.View(func(tx *store.Tx) error {
		if n := tx.CountRecords(); n != 2 {
			t.Errorf("%d records after refused drafts, want 2", n)
		}
		return nil
	})
}

// The outgoing requests travel as JSON (control socket, API).
func TestOutgoingRequestJSON(t *testing.T) {
	in := `{"action":"draft","draft":{"answers":"LS-2026-0001","from":["ccamp"],"purpose":"action","deadline":"2027-03-01","attach":[{"name":"a.txt","data":"aGVsbG8="}]}}`
	var r Request
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if r.Draft == nil || string(r.Draft.Attach[0].Data) != "hello" || r.String() != "draft answering LS-2026-0001" {
		t.Errorf("decoded %+v (%s)", r, r)
	}
	back, _ := json.Marshal(r)
	if string(back) != in {
		t.Errorf("encodes as %s", back)
	}
	a := Request{Action: Approve, Consensus: "https://example.org/call"}
	if b, _ := json.Marshal(a); string(b) != `{"action":"approve","consensus":"https://example.org/call"}` || a.String() != "approve https://example.org/call" {
		t.Errorf("approve: %s / %s", b, a)
	}
}

func decodeBase64(b []byte) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b)), ""))
}

// A draft that passes its peer's checks asks the approvers still missing
// to approve it, each once per version, never the one who wrote it; a draft
// with problems asks nobody.
func TestApprovalIsRequested(t *testing.T) {
	f := newFixture(t)
	asked := func() []string {
		var out []string
		for _, m := range f.mails(t) {
			if strings.HasPrefix(m, "approval-request ") {
				out = append(out, strings.TrimPrefix(m, "approval-request "))
			}
		}
		return out
	}
	if _, err := f.l.Apply("", jane, draftReq()); err != nil {
		t.Fatal(err)
	}
	const did = "LS-2026-0002"
	if got := asked(); len(got) != 0 {
		t.Fatalf("a draft with problems asked %v", got)
	}
	if _, err := f.l.Apply(did, ccampCLI, Request{Action: Edit, Draft: &DraftInput{Deadline: "2027-03-01", Contacts: []string{"Daniele Ceccarelli <daniele@example.org>"}}}); err != nil {
		t.Fatal(err)
	}
	// The chairs changed it; the area directors are asked.
	if got := asked(); !slices.Equal(got, []string{"rtg-ad-one@example.org", "rtg-ad-two@example.org"}) {
		t.Fatalf("asked %v, want the two routing ADs", got)
	}
	var e *store.OutboxEntry
	_ = f.db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(o *store.OutboxEntry) error {
			if strings.Contains(o.Key, "|approval-request|rtg-ad-one@example.org|") {
				e = o
			}
			return nil
		})
	})
	if e == nil {
		t.Fatal("no request to rtg-ad-one in the outbox")
	}
	if e.Subject != "[LS-2026-0002] Approval requested: LS/r on alignment of the OTN topology YANG model (to ITU-T Study Group 15)" {
		t.Errorf("subject %q", e.Subject)
	}
	body, err := testmail.Text(e.Raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"changed LS-2026-0002", "approve it for ccamp (as area-director)", "--by rtg-ad-one@example.org --consensus",
		"Approvals still missing: ccamp (ccamp-chairs@ietf.example, rtg-ad-one@example.org, rtg-ad-two@example.org)",
		"----- the statement as it would be sent -----", "CCAMP thanks SG15."} {
		if !strings.Contains(body, want) {
			t.Errorf("the request lacks %q:\n%s", want, body)
		}
	}
	// Approved: nothing more to ask.
	before := len(asked())
	if _, err := f.l.Apply(did, rtgAD, Request{Action: Approve, Consensus: "https://mailarchive.example/ccamp/otn"}); err != nil {
		t.Fatal(err)
	}
	if n := len(asked()); n != before {
		t.Errorf("approving asked %d more", n-before)
	}
}
