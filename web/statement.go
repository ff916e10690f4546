package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// field is one line of the statement page's fields: its value, where it
// was read, and who corrected it.
type field struct{ Label, Value, Source, Corrected string }

type related struct{ Rel, ID, Title string }

// historyRow is one event of the history: who acted through which
// channel (none for the daemon's own events).
type historyRow struct {
	At, Type, Detail, By string
	Channel              liaison.Channel
}

// detail is everything the statement page and the API detail show.
type detail struct {
	R       *liaison.Record
	History []liaison.Event
	Outbox  []*store.OutboxEntry
	Related []related
}

func (s *Server) loadDetail(id string) (*detail, error) {
	d := &detail{}
	err := s.opt.DB.View(func(tx *store.Tx) error {
		var err error
		if d.R, err = tx.Record(id); err != nil {
			return err
		}
		if d.History, err = tx.Events(id); err != nil {
			return err
		}
		if d.Outbox, err = tx.OutboxFor(id); err != nil {
			return err
		}
		add := func(rel, other string) {
			if other == "" || other == id {
				return
			}
			title := ""
			if o, err := tx.Record(other); err == nil {
				title = o.Extraction.Title
				if title == "" {
					title = o.Extraction.Subject
				}
			}
			d.Related = append(d.Related, related{Rel: rel, ID: other, Title: title})
		}
		add("duplicate-of", d.R.DuplicateOf)
		for _, l := range d.R.Links {
			add("link", l)
		}
		for _, l := range d.R.Duplicates {
			add("duplicate", l)
		}
		if d.R.Answered != nil {
			add("answered-by", d.R.Answered.Ref)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func contacts(cs []liaison.Contact) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.String())
	}
	return strings.Join(out, "; ")
}

func (s *Server) handleStatement(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadDetail(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cfg, now := s.opt.Config(), s.opt.Now()
	rec, x := d.R, &d.R.Extraction
	var fields []field
	add := func(label, v, src string) {
		if v == "" {
			return
		}
		f := field{Label: label, Value: v}
		if so, ok := x.Sources[src]; ok && src != "" {
			f.Source = so.String()
		}
		if c, ok := rec.Correction(liaison.Field(src)); ok && src != "" {
			f.Corrected = fmt.Sprintf("corrected by %s (%s) on %s; read as %q", c.By, c.Channel, c.At.In(cfg.Location).Format("2006-01-02"), c.Original)
		}
		fields = append(fields, f)
	}
	add("Title", x.Title, "title")
	add("Purpose", string(x.Purpose), "purpose")
	add("Deadline", x.Deadline.String(), "deadline")
	add("Internal deadline", rec.InternalDeadline.String(), "")
	add("Direction", string(x.Direction), "direction")
	add("From (as written)", x.FromOrgText, "from_org_text")
	add("From group", x.FromGroup, "from_group")
	add("To (as written)", strings.Join(x.ToText, "; "), "to_text")
	add("Cc (as written)", strings.Join(x.CcText, "; "), "cc_text")
	add("Response contacts", contacts(x.ResponseContacts), "response_contacts")
	add("Technical contacts", contacts(x.TechnicalContacts), "technical_contacts")
	add("In response to", x.InResponseTo, "in_response_to")
	add("Other ids", strings.Join(x.OtherIDs, ", "), "other_ids")
	add("URL", x.URL, "url")
	add("Shape", string(x.Shape), "")
	add("Message-ID", x.MessageID, "")
	add("Subject", x.Subject, "")
	add("Mail from", x.From.String(), "")
	add("Mail to", contacts(x.HeaderTo), "")
	add("Mail cc", contacts(x.HeaderCc), "")
	add("List-Id", x.ListID, "")
	add("Received", rec.Received.In(cfg.Location).Format(time.RFC3339)+" via "+rec.Origin, "")
	if rec.Acked != nil {
		add("Acknowledged", fmt.Sprintf("%s by %s %s", rec.Acked.At.In(cfg.Location).Format(time.RFC3339), rec.Acked.By, rec.Acked.Note), "")
	}
	if rec.Answered != nil {
		add("Answered", fmt.Sprintf("%s by %s %s", rec.Answered.At.In(cfg.Location).Format(time.RFC3339), rec.Answered.By, rec.Answered.Ref), "")
	}
	due, cls := "", ""
	if rec.State == liaison.StateOpen {
		due, cls = Relative(rec.EffectiveDeadline(), cfg.Location, now)
	}
	var hist []historyRow
	for _, ev := range d.History {
		hist = append(hist, historyRow{At: ev.At.In(cfg.Location).Format("2006-01-02 15:04"), Type: string(ev.Type), Detail: ev.Detail, By: ev.By, Channel: ev.Channel})
	}
	rawErr := ""
	if rec.RawKey == "" {
		rawErr = "not stored"
	}
	kinds := map[string]bool{}
	for _, e := range d.Outbox {
		kinds[e.Kind] = true
	}
	data := map[string]any{"R": rec, "X": x, "Fields": fields, "Due": due, "DueClass": cls,
		"Status": rec.StatusAt(cfg.Location, now), "Escalated": escalated(rec.Routing.Escalate, kinds),
		"History": hist, "Outbox": d.Outbox, "Related": d.Related, "RawErr": rawErr, "Act": s.actPanel(r, rec)}
	if f, ok := s.guard.takeFlash(w, r, rec.ID); ok {
		data["Flash"] = f
	}
	s.render(w, r, "statement", http.StatusOK, data)
}

// actPanel is what the statement page offers the signed-in person: the
// forms of the actions their roles allow.
type actPanel struct {
	ID    string // the statement
	Who   Principal
	Roles liaison.Roles
	// Offer holds the actions offered (offered), by name.
	Offer map[string]bool
	// Draft: the person may draft an answer to the statement.
	Draft bool
	CSRF  string
	// Groups and Fields are the choices of reassign and set.
	Groups []string
	Fields []liaison.Field
}

// actPanel builds the panel for the person who sent r; nil when they
// cannot act (anonymous, a read-only credential, a server without
// actions) or the record is not a statement one acts on.
func (s *Server) actPanel(r *http.Request, rec *liaison.Record) *actPanel {
	p := principal(r)
	if s.opt.Actions == nil || !p.CanAct() || rec.Extraction.Kind != liaison.KindStatement || rec.DuplicateOf != "" {
		return nil
	}
	roles := actions.RolesOf(s.opt.Settings.Current(), rec, p.Actor(liaison.ChannelWeb), s.opt.Now())
	return &actPanel{ID: rec.ID, Who: p, Roles: roles, Offer: offered(rec, roles), CSRF: s.guard.token(p), Groups: s.groupIDs(), Fields: liaison.Fields,
		Draft: rec.Outbound == nil && rec.Extraction.Direction != liaison.Outgoing && actions.May(roles, actions.Draft)}
}

// offered lists the actions the statement page offers someone who plays
// roles: those the roles allow (actions.May) that the statement's state
// leaves open. It only keeps the page short; the action layer decides,
// and a form offered in vain gets its refusal.
func offered(rec *liaison.Record, roles liaison.Roles) map[string]bool {
	m := map[string]bool{}
	offer := func(v actions.Verb, when bool) {
		if when && actions.May(roles, v) {
			m[string(v)] = true
		}
	}
	if ob := rec.Outbound; ob != nil && ob.State != liaison.OutboundSent {
		offer(actions.Edit, ob.State == liaison.OutboundDraft)
		offer(actions.Approve, ob.State == liaison.OutboundDraft)
		offer(actions.Withdraw, ob.State == liaison.OutboundDraft || ob.State == liaison.OutboundApproved)
		offer(actions.Send, ob.State == liaison.OutboundApproved)
		offer(actions.Note, true)
		return m
	}
	open := rec.State == liaison.StateOpen
	offer(actions.Ack, open && rec.Acked == nil)
	offer(actions.Answered, open)
	offer(actions.Delay, open)
	offer(actions.Reassign, open)
	offer(actions.NotOurs, open)
	offer(actions.Close, open)
	offer(actions.Reopen, !open)
	offer(actions.Note, true)
	offer(actions.Set, true)
	return m
}

func (s *Server) raw(id string) (*liaison.Record, []byte, error) {
	var rec *liaison.Record
	var raw []byte
	err := s.opt.DB.View(func(tx *store.Tx) error {
		var err error
		if rec, err = tx.Record(id); err != nil {
			return err
		}
		if rec.RawKey == "" {
			return fmt.Errorf("record %s has no raw message: %w", id, store.ErrNotFound)
		}
		raw, err = tx.Raw(rec.RawKey)
		return err
	})
	return rec, raw, err
}

// errNoAttachment: the record has no attachment of that number.
var errNoAttachment = errors.New("no such attachment")

// attachment reads attachment number n of record id: a part of its raw
// message, or, for a statement drafted here, a file kept in the store.
func (s *Server) attachment(id, n string) (*liaison.Record, liaison.Attachment, []byte, error) {
	var rec *liaison.Record
	var data []byte
	var a liaison.Attachment
	err := s.opt.DB.View(func(tx *store.Tx) error {
		var err error
		if rec, err = tx.Record(id); err != nil {
			return err
		}
		i, err := strconv.Atoi(n)
		atts := rec.Extraction.Attachments
		if err != nil || i < 0 || i >= len(atts) {
			return errNoAttachment
		}
		a = atts[i]
		if rec.Outbound != nil {
			data, err = tx.File(rec.ID, a.SHA256)
			return err
		}
		if rec.RawKey == "" {
			return fmt.Errorf("record %s has no raw message: %w", id, store.ErrNotFound)
		}
		raw, err := tx.Raw(rec.RawKey)
		if err != nil {
			return err
		}
		if data, err = ExtractPart(raw, a.Part); err != nil {
			return fmt.Errorf("attachment %s of %s: %w", n, rec.ID, err)
		}
		return nil
	})
	return rec, a, data, err
}

// handleRaw serves the raw message as plain text: never interpreted by the
// browser (nosniff, sandboxed by the CSP).
func (s *Server) handleRaw(w http.ResponseWriter, r *http.Request) {
	rec, raw, err := s.raw(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Security-Policy", CSP+"; sandbox")
	w.Header().Set("Content-Disposition", `inline; filename="`+SafeFilename(rec.ID+".eml")+`"`)
	_, _ = w.Write(raw)
}

// safeTypes are attachment types served as themselves; anything else is
// application/octet-stream. None of them is rendered as active content.
var safeTypes = map[string]bool{
	"application/pdf": true, "application/zip": true, "application/msword": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.ms-excel": true, "application/vnd.ms-powerpoint": true,
	"image/png": true, "image/jpeg": true, "image/gif": true,
}

// SafeType returns the Content-Type to serve an attachment with.
func SafeType(declared string) string {
	t := strings.ToLower(strings.TrimSpace(declared))
	if safeTypes[t] {
		return t
	}
	return "application/octet-stream"
}

// SafeFilename reduces a file name from a mail to a harmless one: no
// directories, no control characters or quotes, at most 120 bytes;
// "attachment" when nothing is left.
func SafeFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || r == '"' || r == ';' || r == '%' || r == '\u2028' || r == '\u2029':
			b.WriteByte('_')
		case r > 0x7e:
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.Trim(b.String(), ". ")
	if len(out) > 120 {
		out = out[len(out)-120:]
	}
	if out == "" {
		return "attachment"
	}
	return out
}

// contentDisposition is "attachment" with an ASCII filename and, for names
// that lost characters, the UTF-8 original percent-encoded (RFC 6266).
func contentDisposition(name string) string {
	safe := SafeFilename(name)
	cd := `attachment; filename="` + safe + `"`
	base := name
	if i := strings.LastIndexAny(base, "/\\"); i >= 0 {
		base = base[i+1:]
	}
	if base != safe && base != "" && !strings.ContainsFunc(base, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		var b strings.Builder
		for _, c := range []byte(base) {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		cd += "; filename*=UTF-8''" + b.String()
	}
	return cd
}

func (s *Server) handleAttachment(w http.ResponseWriter, r *http.Request) {
	rec, a, data, err := s.attachment(r.PathValue("id"), r.PathValue("n"))
	if errors.Is(err, errNoAttachment) {
		s.errorPage(w, r, http.StatusNotFound, "No such attachment.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if sum := sha256.Sum256(data); a.SHA256 != "" && hex.EncodeToString(sum[:]) != a.SHA256 {
		s.fail(w, r, fmt.Errorf("attachment %s of %s: its bytes do not match the recorded SHA-256", a.Name, rec.ID))
		return
	}
	h := w.Header()
	h.Set("Content-Type", SafeType(a.ContentType))
	h.Set("Content-Disposition", contentDisposition(a.Name))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Security-Policy", CSP+"; sandbox")
	_, _ = w.Write(data)
}
