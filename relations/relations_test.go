package relations

import (
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/internal/testmail"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

const cfgHead = `liaison_address: statements@ietf.example
iab: {name: IAB Liaison Coordinators, email: iab@iab.example}
timezone: Europe/Paris
groups:
  - {id: ccamp, name: CCAMP, list: ccamp@ietf.example, chairs: [ccamp-chairs@ietf.example]}
  - {id: teas, name: TEAS, list: teas@ietf.example, chairs: [teas-chairs@ietf.example]}
  - {id: opsawg, name: OPSAWG, list: opsawg@ietf.example, chairs: [opsawg-chairs@ietf.example]}
`

// orgsBefore: SG15 managed by Olaf, BBF by Olu.
const orgsBefore = `organizations:
  - id: sg15
    name: ITU-T SG15
    scope: {text: Optical transport, documents: [https://www.iab.org/liaisons/sg15]}
    managers:
      - {name: Olaf Old, email: olaf@example.org, since: 2020-01-01}
  - id: bbf
    name: Broadband Forum
    managers:
      - {name: Olu Adeyemi, email: olu@example.org, until: 2027-06-30}
`

// orgsAfter: Nia replaces Olaf; MEF is a new relationship.
const orgsAfter = `organizations:
  - id: sg15
    name: ITU-T SG15
    managers:
      - {name: Olaf Old, email: olaf@example.org, since: 2020-01-01, until: 2027-02-28}
      - {name: Nia New, email: nia@example.org, since: 2027-03-01}
  - id: bbf
    name: Broadband Forum
    managers:
      - {name: Olu Adeyemi, email: olu@example.org, until: 2027-06-30}
  - id: mef
    name: MEF
    managers: [{name: Chris Novak, email: chris@example.org}]
`

type world struct {
	t   *testing.T
	dir string
	db  *store.DB
	set *settings.Holder
	n   *notify.Notifier
}

func newWorld(t *testing.T, orgs string) *world {
	t.Helper()
	w := &world{t: t, dir: t.TempDir()}
	cfg := w.config(orgs)
	var err error
	if w.set, err = settings.New(cfg, nil); err != nil {
		t.Fatal(err)
	}
	if w.db, err = store.Open(filepath.Join(w.dir, "data"), store.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.db.Close() })
	if w.n, err = notify.New(notify.Options{Settings: w.set, Now: time.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) config(orgs string) *config.Config {
	w.t.Helper()
	cfg, err := config.Parse(filepath.Join(w.dir, "l.yaml"), []byte(cfgHead+orgs))
	if err != nil {
		w.t.Fatal(err)
	}
	return cfg
}

func (w *world) reload(orgs string) {
	w.t.Helper()
	if err := w.set.Reload(w.config(orgs), nil); err != nil {
		w.t.Fatal(err)
	}
}

func paris(s string) time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// statement records a statement from org to groups as the pipeline and
// the scheduler would: routed at received, in the group index and, when
// open, in the open index under its managers.
func (w *world) statement(id, org string, groups []string, received time.Time, state liaison.State) *liaison.Record {
	w.t.Helper()
	s := w.set.Current()
	o, _ := s.Config.Org(org)
	x := liaison.Extraction{Kind: liaison.KindStatement, Direction: liaison.Incoming, MessageID: id + "@peer.example",
		Title: "LS " + id + " on topic", Purpose: liaison.PurposeAction, Deadline: liaison.DateOf(received.AddDate(0, 2, 0)),
		FromOrgText: o.Name, From: liaison.Contact{Email: "sec@peer.example"}}
	for _, g := range groups {
		x.ToText = append(x.ToText, "IETF "+strings.ToUpper(g)+" WG")
	}
	r := &liaison.Record{ID: id, Received: received, State: state, Extraction: x}
	r.Routing = s.Router.Route(&r.Extraction, routingAt(received))
	if r.Routing.OrgID != org {
		w.t.Fatalf("%s routed to %q, want %s", id, r.Routing.OrgID, org)
	}
	err := w.db.Update(func(tx *store.Tx) error {
		if err := tx.PutRecord(r); err != nil {
			return err
		}
		if err := Index(tx, r); err != nil {
			return err
		}
		if state != liaison.StateOpen {
			return nil
		}
		var owners []string
		for _, m := range r.Routing.Managers {
			owners = append(owners, m.Email)
		}
		return tx.SetOpen(id, owners)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// draft records a statement drafted here to org from the IETF groups
// from, as the action layer leaves it: routed to org's managers at
// drafted, in outbound state st (withdrawn closes it).
func (w *world) draft(id, org string, from []string, drafted time.Time, st liaison.OutboundState) *liaison.Record {
	w.t.Helper()
	s := w.set.Current()
	o, _ := s.Config.Org(org)
	r := &liaison.Record{ID: id, Received: drafted, State: liaison.StateDraft,
		Outbound: &liaison.Outbound{State: st, Org: org, FromGroups: from},
		Routing:  liaison.Routing{OrgID: org, OrgName: o.Name, Groups: from, Managers: o.ManagersAt(drafted, s.Config.Location)},
		Extraction: liaison.Extraction{Kind: liaison.KindStatement, Direction: liaison.Outgoing, Title: "Reply on " + id,
			Purpose: liaison.PurposeInfo, Deadline: liaison.DateOf(drafted.AddDate(0, 1, 0))}}
	if st == liaison.OutboundWithdrawn {
		r.State = liaison.StateClosed
	}
	if err := w.db.Update(func(tx *store.Tx) error { return tx.PutRecord(r) }); err != nil {
		w.t.Fatal(err)
	}
	return r
}

// sync runs Sync at at in a transaction of its own, queueing through the
// notifier.
func (w *world) sync(at time.Time) []Change {
	w.t.Helper()
	var changes []Change
	err := w.db.Update(func(tx *store.Tx) (err error) {
		changes, err = Sync(tx, w.set.Current(), w.queueIn(tx, at), at)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return changes
}

func (w *world) queueIn(tx *store.Tx, at time.Time) Queue {
	return func(m notify.Mail) error {
		_, err := w.n.Queue(tx, m, at)
		return err
	}
}

// mails returns the outbox entries of kind, by recipient.
func (w *world) mails(kind notify.Kind) map[string][]*store.OutboxEntry {
	w.t.Helper()
	out := map[string][]*store.OutboxEntry{}
	_ = w.db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			if e.Kind == string(kind) {
				out[e.Recipient] = append(out[e.Recipient], e)
			}
			return nil
		})
	})
	return out
}

func (w *world) record(id string) (*liaison.Record, []liaison.Event) {
	w.t.Helper()
	var r *liaison.Record
	var evs []liaison.Event
	err := w.db.View(func(tx *store.Tx) (err error) {
		if r, err = tx.Record(id); err != nil {
			return err
		}
		evs, err = tx.Events(id)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return r, evs
}

// text is the decoded plain text of an outbox entry.
func text(t *testing.T, e *store.OutboxEntry) string {
	t.Helper()
	body, err := testmail.Text(e.Raw)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func managers(r *liaison.Record) []string {
	var out []string
	for _, m := range r.Routing.Managers {
		out = append(out, m.Email)
	}
	return out
}

func hasEvent(evs []liaison.Event, typ liaison.EventType, detail string) bool {
	return slices.ContainsFunc(evs, func(e liaison.Event) bool { return e.Type == typ && strings.Contains(e.Detail, detail) })
}

func routingAt(t time.Time) routing.Context { return routing.Context{At: t} }
