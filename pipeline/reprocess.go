package pipeline

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
)

// Change is what reprocessing changed on one record.
type Change struct {
	ID     string   `json:"id"`
	Fields []string `json:"changed"`
	Error  string   `json:"error,omitempty"`
}

// Reprocess re-runs extraction and routing from the stored raw message of
// each record in ids (all statements received when ids is empty; a
// statement drafted here has no mail to read again), records what
// changed in the history, and keeps ids, state and links. No mail is sent.
func (p *Pipeline) Reprocess(ids []string) ([]Change, error) {
	s := p.set.Current()
	opts := parseOptions(s)
	now := p.now()
	if len(ids) == 0 {
		if err := p.db.View(func(tx *store.Tx) error {
			return tx.ForEachRecord(func(r *liaison.Record) error {
				if strings.HasPrefix(r.ID, "LS-") && r.Outbound == nil {
					ids = append(ids, r.ID)
				}
				return nil
			})
		}); err != nil {
			return nil, err
		}
	}
	var out []Change
	for _, id := range ids {
		ch := Change{ID: id}
		err := p.db.Update(func(tx *store.Tx) error {
			rec, err := tx.Record(id)
			if err != nil {
				return err
			}
			if rec.Outbound != nil {
				return fmt.Errorf("%s was drafted here: there is no received mail to read again", id)
			}
			raw, err := tx.Raw(rec.RawKey)
			if err != nil {
				return err
			}
			o := opts
			if p.pdf != nil {
				o.PDFText = p.pdf()
			}
			x := safeParse(raw, o)
			next := *rec
			next.Extraction = *x
			routed := strings.HasPrefix(id, "LS-") && rec.DuplicateOf == ""
			if routed {
				// A statement in hand goes to the managers in office; one
				// that is done is judged as at its receipt.
				at := now
				if rec.State != liaison.StateOpen {
					at = rec.Received
				}
				ctx := deliveryOf(s.Config, rec)
				ctx.At = at
				next.Routing = s.Router.Route(x, ctx)
			}
			// What people corrected wins over the fresh extraction.
			if err := actions.Reapply(s, rec, &next); err != nil {
				p.log.Warn("correction not reapplied", "id", id, "err", err)
			}
			if routed {
				keepResponsible(rec, &next)
			}
			ch.Fields = diffFields(rec, &next)
			if err := reindexRefs(tx, rec, &next); err != nil {
				return err
			}
			if len(ch.Fields) == 0 {
				return nil
			}
			if err := tx.PutRecord(&next); err != nil {
				return err
			}
			if err := relations.Index(tx, &next); err != nil { // new groups, or a new organization
				return err
			}
			if next.State == liaison.StateOpen {
				if dl := next.Extraction.Deadline; dl.IsZero() {
					err = tx.ClearDue(id, store.DueDeadline)
				} else {
					err = tx.SetDue(id, store.DueDeadline, dl.EndOf(s.Config.Location))
				}
				if err != nil {
					return err
				}
			}
			// The deadline or routing may have changed: the scheduler looks again.
			if err := tx.LookAgain(id, now); err != nil {
				return err
			}
			return tx.AddEvent(id, liaison.Event{At: now, Type: liaison.EventReprocessed, Detail: "changed: " + strings.Join(ch.Fields, ", ")})
		})
		if err != nil {
			ch.Error = err.Error()
		}
		out = append(out, ch)
	}
	return out, nil
}

// deliveryOf is the routing context a record was delivered in: the one
// recorded with it, else (records made before it was kept) the folder of
// its origin and the WG list the configuration gives that folder.
func deliveryOf(cfg *config.Config, rec *liaison.Record) routing.Context {
	if d := rec.Delivery; d != nil {
		return routing.Context{Folder: d.Folder, WGList: d.WGList}
	}
	ctx := routing.Context{Folder: folderOf(rec.Origin)}
	if cfg.IMAP != nil && ctx.Folder != "" {
		for _, f := range cfg.IMAP.Folders {
			if f.Name == ctx.Folder {
				ctx.WGList = f.WGList
			}
		}
	}
	return ctx
}

// keepResponsible keeps, on a statement that is answered or closed, the
// managers who were responsible for it (reprocessing must not rewrite who
// handled it), unless reprocessing found another organization. The
// history of who was responsible when is in its events.
func keepResponsible(prev, next *liaison.Record) {
	if prev.State == liaison.StateOpen || prev.Routing.OrgID != next.Routing.OrgID {
		return
	}
	p, n := &prev.Routing, &next.Routing
	n.Managers, n.NoManager, n.Escalate, n.EscalationReason = p.Managers, p.NoManager, p.Escalate, p.EscalationReason
}

// folderOf recovers the IMAP folder from an origin "imap:FOLDER/UID".
func folderOf(origin string) string {
	if !strings.HasPrefix(origin, "imap:") {
		return ""
	}
	o := strings.TrimPrefix(origin, "imap:")
	if i := strings.LastIndexByte(o, '/'); i >= 0 {
		return o[:i]
	}
	return o
}

// diffFields lists the JSON view fields (plus routing reasons) that differ.
func diffFields(a, b *liaison.Record) []string {
	toMap := func(r *liaison.Record) map[string]any {
		m := map[string]any{}
		data, _ := json.Marshal(r.View())
		_ = json.Unmarshal(data, &m)
		return m
	}
	ma, mb := toMap(a), toMap(b)
	var out []string
	for k := range mb {
		if !reflect.DeepEqual(ma[k], mb[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	if len(out) == 0 && !reflect.DeepEqual(a.Routing.Reasons, b.Routing.Reasons) {
		out = append(out, "routing_reasons")
	}
	if len(out) == 0 && fmt.Sprint(a.Extraction.Sources) != fmt.Sprint(b.Extraction.Sources) {
		out = append(out, "sources")
	}
	return out
}
