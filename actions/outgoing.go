package actions

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/outgoing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// The actions on statements the IETF sends, drafted here (package
// outgoing holds their rules). A draft is checked against its peer's
// requirements each time it is written, approved by the approvers of its
// sending groups with a consensus reference, and sent through the outbox;
// or withdrawn. Each of these actions is recorded on the outgoing
// statement and, prefixed "answer ID:", on the incoming statement it
// answers.
const (
	Draft    Verb = "draft"    // start a statement to a peer (draft: its fields); takes no statement id
	Edit     Verb = "edit"     // change a draft (draft: the fields to change)
	Approve  Verb = "approve"  // approve a draft for one's sending groups (consensus)
	Withdraw Verb = "withdraw" // abandon a draft or an approved statement (reason, optional)
	Send     Verb = "send"     // queue an approved statement to its peer
)

// OutgoingVerbs lists the actions on outgoing statements, in the order
// they happen.
var OutgoingVerbs = []Verb{Draft, Edit, Approve, Withdraw, Send}

// Caps on what a draft holds, so that its mail stays within what relays
// accept (attachments grow by a third in base64).
const (
	MaxBody      = 256 << 10 // bytes of body text
	MaxFile      = 10 << 20  // bytes of one attached file
	MaxFiles     = 15 << 20  // bytes of all files attached to one draft
	maxListItems = 50        // groups, addressees, contacts
)

// DraftInput is what a draft says (draft) or what an edit changes (edit:
// the fields left empty are kept). Lists replace the draft's lists.
type DraftInput struct {
	// To is the peer organization's id; a draft that answers a statement
	// may leave it out (it goes to the statement's organization).
	To string `json:"to,omitempty"`
	// Answers is the id of the incoming statement the draft answers
	// (draft only): its title, addressees, references and response
	// contacts fill what the draft leaves out.
	Answers string `json:"answers,omitempty"`
	// From are the sending IETF groups: ids, names or aliases.
	From []string `json:"from,omitempty"`
	// Purpose is action, comment, info or response.
	Purpose string `json:"purpose,omitempty"`
	// Deadline is YYYY-MM-DD; "none" removes it (edit).
	Deadline string `json:"deadline,omitempty"`
	Title    string `json:"title,omitempty"`
	Body     string `json:"body,omitempty"`
	// Addressees are the peer's groups addressed ("Q12/15", "CT WG4").
	Addressees []string `json:"addressees,omitempty"`
	// Cc are other parties the sheet names in copy ("IEEE 802.1").
	Cc []string `json:"cc,omitempty"`
	// Contacts are the technical contacts: "Name <address>" or an address.
	Contacts []string `json:"contacts,omitempty"`
	// SendReplyTo are where the peer should send its answer (the liaison
	// address when empty, so that the answer is recorded and linked).
	SendReplyTo []string `json:"send_reply_to,omitempty"`
	// Release and WorkItem are the 3GPP release and work item.
	Release  string `json:"release,omitempty"`
	WorkItem string `json:"work_item,omitempty"`
	// Attach are files to attach, each replacing an attached file of the
	// same name.
	Attach []File `json:"attach,omitempty"`
	// Detach names attached files to take off (edit).
	Detach []string `json:"detach,omitempty"`
}

// File is one file attached to a draft. In JSON its data is base64.
type File struct {
	Name        string `json:"name"`
	ContentType string `json:"type,omitempty"`
	Data        []byte `json:"data"`
}

// draftArgs are a draft input's arguments, checked and typed.
type draftArgs struct {
	in         DraftInput
	purpose    liaison.Purpose
	deadline   liaison.Date
	noDeadline bool
	contacts   []liaison.Contact
	replyTo    []liaison.Contact
}

// readDraft checks what can be judged of a draft input without the
// configuration.
func readDraft(v Verb, in *DraftInput) (*draftArgs, string) {
	if in == nil {
		return nil, fmt.Sprintf("the draft's fields are required (%s: {\"draft\": {...}})", v)
	}
	d := &draftArgs{in: *in}
	d.in.Title, d.in.To, d.in.Answers = oneLine(in.Title), strings.ToLower(strings.TrimSpace(in.To)), strings.ToUpper(strings.TrimSpace(in.Answers))
	d.in.Body = strings.TrimRight(strings.ReplaceAll(in.Body, "\r\n", "\n"), " \t\n")
	switch {
	case v == Edit && (d.in.To != "" || d.in.Answers != ""):
		return nil, "the organization and the statement answered are set when drafting; withdraw and draft again to change them"
	case v == Draft && len(in.Detach) > 0:
		return nil, "a new draft has nothing to detach"
	case len([]rune(d.in.Title)) > maxTitle:
		return nil, fmt.Sprintf("a title is at most %d characters", maxTitle)
	case len(d.in.Body) > MaxBody:
		return nil, fmt.Sprintf("the body is %d bytes; at most %d (attach a document instead)", len(d.in.Body), MaxBody)
	case len(in.From) > maxListItems || len(in.Addressees) > maxListItems || len(in.Contacts) > maxListItems || len(in.Cc) > maxListItems:
		return nil, fmt.Sprintf("at most %d groups, addressees, copies or contacts", maxListItems)
	}
	if in.Purpose != "" {
		p, ok := parsePurpose(in.Purpose)
		if !ok {
			return nil, fmt.Sprintf("purpose %q: want action, comment, info or response", in.Purpose)
		}
		d.purpose = p
	}
	switch dl := strings.TrimSpace(in.Deadline); {
	case strings.EqualFold(dl, "none"):
		d.noDeadline = true
	case dl != "":
		date, err := liaison.ParseISODate(dl)
		if err != nil || !date.Valid() {
			return nil, fmt.Sprintf("deadline %q: want YYYY-MM-DD", in.Deadline)
		}
		d.deadline = date
	}
	var err error
	if d.contacts, err = contacts(in.Contacts); err != nil {
		return nil, "contact: " + err.Error()
	}
	if d.replyTo, err = contacts(in.SendReplyTo); err != nil {
		return nil, "send reply to: " + err.Error()
	}
	total := 0
	for _, f := range in.Attach {
		name := strings.TrimSpace(f.Name)
		switch {
		case name == "" || strings.ContainsAny(name, "/\\") || name != outmail.Clean(name, outmail.MaxFileName):
			return nil, fmt.Sprintf("attachment name %q: want a plain file name (no folder, no control characters, at most %d characters)", f.Name, outmail.MaxFileName)
		case len(f.Data) == 0:
			return nil, fmt.Sprintf("attachment %q is empty", name)
		case len(f.Data) > MaxFile:
			return nil, fmt.Sprintf("attachment %q is %d bytes; at most %d", name, len(f.Data), MaxFile)
		}
		total += len(f.Data)
	}
	if total > MaxFiles {
		return nil, fmt.Sprintf("the attachments are %d bytes together; at most %d", total, MaxFiles)
	}
	return d, ""
}

// contacts reads "Name <address>" or bare addresses with the one strict
// parser, each one a mail header can carry (the sheet's contacts may be
// written to).
func contacts(texts []string) ([]liaison.Contact, error) {
	var out []liaison.Contact
	for _, t := range texts {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		m, err := mailaddr.ParseMailbox(t)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address: %v", t, err)
		}
		if _, err := m.Writable(); err != nil {
			return nil, fmt.Errorf("%q: %v", t, err)
		}
		out = append(out, liaison.Contact{Name: m.Name, Email: strings.ToLower(m.Addr())})
	}
	return out, nil
}

// request is what the draft input says, for the outgoing package: a new
// draft (NewDraft), or what an edit changes (Edit). The files attached
// are described; keepFiles stores them.
func (d *draftArgs) request(groups []string) outgoing.Request {
	return outgoing.Request{Org: d.in.To, FromGroups: groups, Purpose: d.purpose, Deadline: d.deadline,
		Title: d.in.Title, Body: d.in.Body, Addressees: d.in.Addressees, Cc: d.in.Cc,
		Contacts: d.contacts, ReplyTo: d.replyTo, Release: strings.TrimSpace(d.in.Release), WorkItem: strings.TrimSpace(d.in.WorkItem),
		Attachments: describe(d.in.Attach)}
}

// subject reads what an action is about: the statement id names, or, for
// draft, the new draft the request describes (without an id until it is
// authorised, see doDraft).
func subject(tx *store.Tx, s *settings.Snapshot, id string, v Verb, a args, now time.Time) (*liaison.Record, error) {
	if v != Draft {
		return statement(tx, id, v)
	}
	d := a.draft
	var answered *liaison.Record
	if d.in.Answers != "" {
		r, err := statement(tx, d.in.Answers, Draft)
		if err != nil {
			return nil, err
		}
		answered = r
	}
	groups, err := resolveGroups(s, d.in.From)
	if err != nil {
		return nil, refuse(Invalid, "", Draft, "%v", err)
	}
	rec, err := outgoing.NewDraft(s.Config, "", d.request(groups), answered, now)
	if errors.Is(err, outgoing.ErrInput) {
		return nil, refuse(Invalid, "", Draft, "%v", err)
	}
	return rec, err
}

// applicable refuses an action the kind of record does not have: the
// outgoing actions on a statement not drafted here, and the actions on
// statements (but a note) on a draft not sent yet.
func applicable(rec *liaison.Record, v Verb) error {
	ob := rec.Outbound
	switch {
	case slices.Contains(OutgoingVerbs, v) && ob == nil:
		return refuse(Conflict, rec.ID, v, "%s is not a statement drafted here", rec.ID)
	case !slices.Contains(OutgoingVerbs, v) && v != Note && ob != nil && ob.State != liaison.OutboundSent:
		return refuse(Conflict, rec.ID, v, "%s is a statement to %s that was not sent (%s): edit it (draft --edit), approve, withdraw or send it", rec.ID, rec.Routing.OrgName, ob.State)
	}
	return nil
}

// followUp is an action that follows another in its transaction (the
// statement answered becomes answered once its answer is sent; an
// approval sends the statement when send_on_approval is set).
type followUp struct {
	id    string
	actor Actor
	req   Request
}

// describe describes files to attach, as the record lists them.
func describe(files []File) []liaison.Attachment {
	out := make([]liaison.Attachment, len(files))
	for i, f := range files {
		sum := sha256.Sum256(f.Data)
		ct := f.ContentType
		if _, _, err := mime.ParseMediaType(ct); ct == "" || err != nil {
			ct = mime.TypeByExtension(strings.ToLower(path.Ext(f.Name)))
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		out[i] = liaison.Attachment{Name: strings.TrimSpace(f.Name), ContentType: ct, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:])}
	}
	return out
}

// keepFiles stores the files attached to the draft, and drops the files
// of before that no attachment uses any more. It runs once nothing can
// refuse the action.
func (c *call) keepFiles(files []File, before []liaison.Attachment) error {
	for _, f := range files {
		if _, err := c.tx.PutFile(c.rec.ID, f.Data); err != nil {
			return err
		}
	}
	for _, a := range before {
		used := slices.ContainsFunc(c.rec.Extraction.Attachments, func(b liaison.Attachment) bool { return b.SHA256 == a.SHA256 })
		if !used {
			if err := c.tx.DeleteFile(c.rec.ID, a.SHA256); err != nil {
				return err
			}
		}
	}
	return nil
}

// checked adds the check of the draft against its peer's rules to ch:
// its history event, its problems and what it means for approval.
func (c *call) checked(ch *change) {
	ps := outgoing.Check(c.s.Config, c.rec, c.now)
	ch.problems = ps
	var detail string
	if len(ps) == 0 {
		detail = "no problems: ready for approval by " + outgoing.PendingLine(outgoing.Pending(c.s.Config, c.rec))
	} else {
		lines := make([]string, len(ps))
		for i, p := range ps {
			lines[i] = p.String()
		}
		detail = fmt.Sprintf("%d %s to fix before approval: %s", len(ps), plural(len(ps), "problem"), strings.Join(lines, " | "))
	}
	ch.also = append(ch.also, c.event(liaison.EventChecked, detail))
	if len(ps) == 0 {
		ch.mails = append(ch.mails, c.approvalRequests()...)
	}
	if len(ps) > 0 {
		detail, _, _ = strings.Cut(detail, ":") // the problems are listed apart (Outcome.Problems)
	}
	ch.result += "; " + detail
}

// approvalRequests are the mails asking the approvers still missing to
// approve the draft, as it is now: one to each approver (whatever the
// number of groups they approve for), none to whoever is acting. A new
// version of the draft (each edit that passes the checks) asks again.
func (c *call) approvalRequests() []notify.Mail {
	r := c.rec
	pending := outgoing.Pending(c.s.Config, r)
	var sheet string
	if sh, err := outgoing.Render(c.s.Config, r, c.now); err == nil {
		sheet = sh.Text()
	}
	what := "drafted"
	if c.req.Action == Edit {
		what = "changed"
	}
	type ask struct {
		groups []string
		role   liaison.ApproverRole
	}
	asks := map[string]*ask{}
	var order []string
	for _, ga := range pending {
		for _, a := range ga.Approvers {
			key := strings.ToLower(a.Email)
			if key == strings.ToLower(c.actor.Email) {
				continue
			}
			if asks[key] == nil {
				asks[key] = &ask{role: a.Role}
				order = append(order, a.Email)
			}
			asks[key].groups = append(asks[key].groups, groupNames([]string{ga.Group})...)
		}
	}
	period := "v" + c.now.UTC().Format("20060102T150405Z")
	var ms []notify.Mail
	for _, email := range order {
		a := asks[strings.ToLower(email)]
		ms = append(ms, notify.Mail{Kind: notify.KindApprovalRequest, Record: r, To: liaison.Contact{Email: email}, Role: liaison.RoleApprover, Period: period,
			Extra: map[string]string{"by": c.actor.String(), "what": what, "peer": r.Routing.OrgName,
				"from": strings.Join(groupNames(r.Outbound.FromGroups), ", "), "groups": strings.Join(a.groups, ", "),
				"role": string(a.role), "pending": outgoing.PendingLine(pending), "sheet": sheet}})
	}
	return ms
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func doDraft(c *call) (change, error) {
	r, d := c.rec, c.args.draft
	id, err := freshID(c.tx, c.now.In(c.s.Config.Location).Year())
	if err != nil {
		return change{}, err
	}
	r.ID = id
	r.Extraction.Subject = outgoing.Subject(c.s.Config, r)
	if err := c.keepFiles(d.in.Attach, nil); err != nil {
		return change{}, err
	}
	detail := fmt.Sprintf("drafted to %s from %s", r.Routing.OrgName, orNone(strings.Join(r.Outbound.FromGroups, ", ")))
	if a := r.Outbound.Answers; a != "" {
		detail += ", answering " + a
	}
	ch := change{event: liaison.EventDrafted, detail: detail, save: true, result: detail}
	c.checked(&ch)
	return ch, nil
}

// freshID allocates the id of a new statement, passing over ids a record
// already has (one restored or imported without its id sequence): a draft
// never overwrites a statement.
func freshID(tx *store.Tx, year int) (string, error) {
	for range 1000 {
		id, err := tx.NextID("LS", year)
		if err != nil {
			return "", err
		}
		if _, err := tx.Record(id); errors.Is(err, store.ErrNotFound) {
			return id, nil
		}
	}
	return "", fmt.Errorf("no free statement id for %d after 1000 tries: the id sequence is behind the records", year)
}

func doEdit(c *call) (change, error) {
	r, d := c.rec, c.args.draft
	var groups []string
	if len(d.in.From) > 0 {
		var err error
		if groups, err = resolveGroups(c.s, d.in.From); err != nil {
			return change{}, c.invalid("%v", err)
		}
	}
	before := slices.Clone(r.Extraction.Attachments)
	changed, err := outgoing.Edit(c.s.Config, r, outgoing.Change{Request: d.request(groups), NoDeadline: d.noDeadline, Detach: d.in.Detach})
	if err != nil {
		return change{}, c.outgoingErr(err)
	}
	if len(changed) == 0 {
		return change{result: "nothing changed"}, nil
	}
	if err := c.keepFiles(d.in.Attach, before); err != nil {
		return change{}, err
	}
	ch := change{event: liaison.EventEdited, detail: strings.Join(changed, "; "), save: true, result: "changed " + strings.Join(changed, "; ")}
	c.checked(&ch)
	return ch, nil
}

// outgoingErr turns the outgoing package's refusals into the action
// layer's: a bad request is Invalid, the rest (state, problems, approval
// already given) Conflict. Other errors pass.
func (c *call) outgoingErr(err error) error {
	switch {
	case errors.Is(err, outgoing.ErrInput), errors.Is(err, outgoing.ErrNoConsensus):
		return c.invalid("%v", err)
	case errors.Is(err, outgoing.ErrState), errors.Is(err, outgoing.ErrProblems), errors.Is(err, outgoing.ErrNotApprover):
		return c.conflict("%v", err)
	}
	return err
}

func doApprove(c *call) (change, error) {
	r := c.rec
	ap, err := outgoing.Approve(c.s.Config, r, c.actor.Email, c.args.consensus, c.now)
	if err != nil {
		return change{}, c.outgoingErr(err)
	}
	detail := fmt.Sprintf("approved for %s by %s (%s); consensus: %s", strings.Join(groupNames(ap.Groups), ", "), ap.By, ap.Role, ap.Consensus)
	ch := change{event: liaison.EventApproved, detail: detail, save: true}
	if r.Outbound.State == liaison.OutboundApproved {
		ch.result = "approved by every sending group"
		if c.s.Config.Outgoing.SendOnApproval {
			ch.then = append(ch.then, followUp{id: r.ID, actor: c.actor, req: Request{Action: Send}})
		} else {
			ch.result += "; send it with `send " + r.ID + "`"
		}
	} else {
		ch.result = "approval recorded; still awaiting " + outgoing.PendingLine(outgoing.Pending(c.s.Config, r))
	}
	return ch, nil
}

func groupNames(groups []string) []string {
	out := slices.Clone(groups)
	for i, g := range out {
		if g == "" {
			out[i] = "the IETF"
		}
	}
	return out
}

func doWithdraw(c *call) (change, error) {
	was := c.rec.Outbound.State
	if err := outgoing.Withdraw(c.rec, c.actor.String(), c.args.reason, c.now); err != nil {
		return change{}, c.outgoingErr(err)
	}
	return change{event: liaison.EventWithdrawn, detail: fmt.Sprintf("withdrawn (was %s)", was), save: true, deadline: true,
		result: "withdrawn; it will not be sent"}, nil
}

func doSend(c *call) (change, error) {
	r, cfg := c.rec, c.s.Config
	switch ob := r.Outbound; {
	case ob.State == liaison.OutboundDraft:
		return change{}, c.conflict("%s is not approved yet: awaiting %s", r.ID, outgoing.PendingLine(outgoing.Pending(cfg, r)))
	case ob.State != liaison.OutboundApproved:
		return change{}, c.conflict("%s is %s", r.ID, ob.State)
	}
	if dl := r.Extraction.Deadline; !dl.IsZero() && dl.Before(c.today()) {
		return change{}, c.conflict("its deadline %s is past: withdraw it and draft it again with a later one", dl)
	}
	org, err := outgoing.Peer(cfg, r.Outbound.Org)
	if err != nil {
		return change{}, c.outgoingErr(err)
	}
	to, err := outgoing.Addresses(cfg, r)
	if err != nil {
		return change{}, c.outgoingErr(err)
	}
	m := notify.Mail{Kind: notify.KindStatement, Record: r, To: to.To[0], Also: to.To[1:], Cc: to.Cc, ReplyTo: to.ReplyTo}
	if a := r.Outbound.Answers; a != "" {
		if in, err := c.tx.Record(a); err == nil {
			m.InReplyTo = in.Extraction.MessageID
		}
	}
	mid := notify.MessageID(c.s, m.Key())
	if err := outgoing.MarkSent(r, c.actor.String(), mid, c.now); err != nil {
		return change{}, c.outgoingErr(err)
	}
	sheet, err := outgoing.Render(cfg, r, c.now)
	if err != nil {
		return change{}, fmt.Errorf("render %s: %w", r.ID, err)
	}
	m.Extra = map[string]string{"subject": r.Extraction.Subject, "sheet": sheet.Text()}
	var files []string
	doc, ok, err := sheet.Document(org.Outgoing.Attachment)
	if err != nil {
		return change{}, fmt.Errorf("render %s as %s: %w", r.ID, org.Outgoing.Attachment, err)
	}
	if ok {
		m.Attachments = append(m.Attachments, outmail.Attachment{Name: doc.Name, ContentType: doc.ContentType, Data: doc.Data})
		files = append(files, doc.Name)
	}
	for _, a := range r.Extraction.Attachments {
		data, err := c.tx.File(r.ID, a.SHA256)
		if err != nil {
			return change{}, err
		}
		m.Attachments = append(m.Attachments, outmail.Attachment{Name: a.Name, ContentType: a.ContentType, Data: data})
		files = append(files, a.Name)
	}
	// The peer's answer is recognised by its title too (pipeline/replies.go).
	if err := c.tx.AddRef(store.RefTitle, liaison.NormTitle(r.Extraction.Title), r.ID); err != nil {
		return change{}, err
	}
	detail := fmt.Sprintf("sent to %s: to %s; cc %s", r.Routing.OrgName, addressList(to.To), addressList(m.Cc))
	if len(files) > 0 {
		detail += "; attached " + strings.Join(files, ", ")
	}
	ch := change{event: liaison.EventSentToPeer, detail: detail, save: true, deadline: true, mails: []notify.Mail{m},
		// The managers are in Cc of the statement itself.
		noConfirm: true,
		result:    fmt.Sprintf("queued to %s (%s)", r.Routing.OrgName, addressList(to.To))}
	if a := r.Outbound.Answers; a != "" {
		// The daemon records the answer on the evidence of the sending,
		// with the operator's authority, for whoever sent it.
		by := Actor{Email: c.actor.Email, Channel: c.actor.Channel, Operator: true, Via: "sending " + r.ID}
		ch.then = append(ch.then, followUp{id: a, actor: by, req: Request{Action: Answered, Ref: r.ID, Reason: "its answer " + r.ID + " was sent"}})
	}
	if r.State == liaison.StateOpen && !r.Extraction.Deadline.IsZero() {
		ch.result += fmt.Sprintf("; its answer is awaited by %s", r.Extraction.Deadline)
	}
	return ch, nil
}

// addressList writes the contacts' addresses, comma-separated.
func addressList(lists ...[]liaison.Contact) string {
	var out []string
	for _, l := range lists {
		for _, c := range l {
			out = append(out, c.Email)
		}
	}
	return strings.Join(out, ", ")
}

// isApprover reports whether addr may approve rec for one of its sending
// groups (outgoing.Approvers).
func isApprover(s *settings.Snapshot, rec *liaison.Record, addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if rec.Outbound == nil || addr == "" {
		return false
	}
	for _, ga := range outgoing.Approvers(s.Config, rec.Outbound.FromGroups) {
		if slices.ContainsFunc(ga.Approvers, func(a outgoing.Approver) bool { return a.Email == addr }) {
			return true
		}
	}
	return false
}
