package rebuild

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// memSource is a mailbox in memory: folder -> messages in UID order. The
// real IMAP source (imapwatch.Side) is exercised over Dovecot by the
// end-to-end test in cmd/liaisond; here the point is what Run makes of
// a mailbox.
type memSource map[string][]imapwatch.Message

func (m memSource) add(folder string, raw []byte, at time.Time) {
	m[folder] = append(m[folder], imapwatch.Message{Folder: imapwatch.Folder{Name: folder}, UIDValidity: 7,
		UID: uint32(len(m[folder]) + 1), Raw: raw, InternalDate: at})
}

func (m memSource) List(_ context.Context, folder string) ([]imapwatch.Envelope, uint32, error) {
	var out []imapwatch.Envelope
	for _, msg := range m[folder] {
		out = append(out, imapwatch.Envelope{UID: msg.UID, InternalDate: msg.InternalDate, Size: int64(len(msg.Raw))})
	}
	if len(out) == 0 {
		return nil, 0, nil
	}
	return out, 7, nil
}

func (m memSource) Fetch(_ context.Context, f imapwatch.Folder, uids []uint32) ([]imapwatch.Message, error) {
	var out []imapwatch.Message
	for _, msg := range m[f.Name] {
		if slices.Contains(uids, msg.UID) {
			msg.Folder = f
			out = append(out, msg)
		}
	}
	return out, nil
}

// world is a database with the parts that work on it, at a settable time.
type world struct {
	db       *store.DB
	set      *settings.Holder
	pipeline *pipeline.Pipeline
	actions  *actions.Layer
	now      time.Time
}

func newWorld(t *testing.T, cfg *config.Config, mute bool) *world {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tmpl, err := templates.New("")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db}
	now := func() time.Time { return w.now }
	if w.set, err = settings.New(cfg, tmpl); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	n, err := notify.New(notify.Options{Settings: w.set, Now: now, Log: log, Mute: mute})
	if err != nil {
		t.Fatal(err)
	}
	if w.actions, err = actions.New(actions.Options{Settings: w.set, Notify: n, DB: db, Now: now, Log: log}); err != nil {
		t.Fatal(err)
	}
	if w.pipeline, err = pipeline.New(pipeline.Options{Settings: w.set, Notify: n, Actions: w.actions, DB: db, Now: now, Log: log}); err != nil {
		t.Fatal(err)
	}
	return w
}

func testConfig(t *testing.T, secret string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "command.key"), []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(filepath.Join(dir, "liaisond.yaml"), append(append([]byte(nil), examples.Config...), "\ncommands:\n  secret_file: command.key\n"...))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func corpus(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// file puts the copy the outbox would file of every mail sent so far in
// the sent folder (and marks them sent).
func (w *world) file(t *testing.T, box memSource) {
	t.Helper()
	err := w.db.Update(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			if e.State != store.OutboxQueued {
				return nil
			}
			box.add("Sent", append(append([]byte(nil), e.FileHeader...), e.Raw...), w.now)
			e.State, e.Sent = store.OutboxSent, w.now
			return tx.PutOutbox(e)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func outboxKeys(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	_ = db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			out[e.Key] = string(e.State) + " " + e.MessageID + " " + e.RecordID
			return nil
		})
	})
	return out
}

// TestRunRebuildsFromTheMailbox lives a daemon's life on a database, keeps
// what it received and sent in a mailbox as the daemon would, and rebuilds
// a fresh database from the mailbox: the mail sent is known under the
// same keys, the records keep the ids the mail names, the action taken
// outside mail is taken again, and what the mailbox never held is said so.
func TestRunRebuildsFromTheMailbox(t *testing.T) {
	cfg := testConfig(t, "rebuild unit key")
	orig := newWorld(t, cfg, false)
	box := memSource{}
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

	// 1. A statement recorded from a file: not in the mailbox, but mail
	//    was sent about it (it keeps LS-2026-0001 in the original).
	orig.now = t0
	fromFile, err := orig.pipeline.Process(pipeline.Input{Raw: corpus(t, "04-tracker-bbf-comment-opsawg.eml"), Origin: "file:x"}, false)
	if err != nil {
		t.Fatal(err)
	}
	orig.file(t, box)
	// 2. A statement from the mailbox: LS-2026-0002.
	orig.now = t0.Add(time.Hour)
	sg15Raw := corpus(t, "01-tracker-sg15-otn-action.eml")
	box.add("Processed", sg15Raw, orig.now)
	sg15, err := orig.pipeline.Process(pipeline.Input{Raw: sg15Raw, Origin: "imap:INBOX/1", At: orig.now}, false)
	if err != nil {
		t.Fatal(err)
	}
	orig.file(t, box)
	// 3. Actions through the CLI on both, confirmed by mail.
	orig.now = t0.Add(2 * time.Hour)
	for _, id := range []string{sg15.ID, fromFile.ID} {
		if _, err := orig.actions.Apply(id, actions.Operator(liaison.ChannelCLI), actions.Request{Action: actions.Note, Text: "asked the WG chairs"}); err != nil {
			t.Fatal(err)
		}
	}
	orig.file(t, box)
	// 4. Noise in the sent folder: a copy filed twice (a retried append),
	//    another instance's copy, and a mail filed by a person.
	box.add("Sent", box["Sent"][0].Raw, orig.now)
	other := newWorld(t, testConfig(t, "another instance"), false)
	other.now = t0
	if _, err := other.pipeline.Process(pipeline.Input{Raw: corpus(t, "04-tracker-bbf-comment-opsawg.eml"), Origin: "file:y"}, false); err != nil {
		t.Fatal(err)
	}
	other.file(t, box)
	box.add("Sent", []byte("From: someone@ietf.example\r\nSubject: hello\r\n\r\nhi\r\n"), orig.now)
	// 5. A message in the failed folder.
	box.add("Failed", []byte("From: x@example.org\r\nMessage-ID: <bad@example.org>\r\nSubject: ???\r\n\r\n\x00\x01"), orig.now)

	// The database is lost; a fresh one is rebuilt with mail muted.
	re := newWorld(t, cfg, true)
	re.now = t0.Add(30 * 24 * time.Hour)
	rep, err := Run(context.Background(), Options{DB: re.db, Pipeline: re.pipeline, Actions: re.actions, Marker: re.set.Current().Marker,
		Source: box, Received: []Folder{{Folder: imapwatch.Folder{Name: "Processed"}}}, Failed: "Failed", Sent: "Sent",
		Now: func() time.Time { return re.now }, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}

	origKeys, reKeys := outboxKeys(t, orig.db), outboxKeys(t, re.db)
	for k, v := range origKeys {
		got, ok := reKeys[k]
		if !ok {
			t.Errorf("mail %s not restored", k)
			continue
		}
		// The mail about the statement from a file points at no record.
		if strings.HasPrefix(k, fromFile.ID+"|") {
			v = strings.TrimSuffix(v, fromFile.ID)
		}
		if got != v {
			t.Errorf("mail %s restored as %q, want %q", k, got, v)
		}
	}
	if len(reKeys) != len(origKeys) {
		t.Errorf("%d mails restored, %d sent", len(reKeys), len(origKeys))
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"sent", rep.Sent, len(origKeys)},
		{"copies", rep.Copies, 1},
		{"refused (another instance's seal)", rep.Refused, len(outboxKeys(t, other.db))},
		{"foreign", rep.Foreign, 1},
		{"received", rep.Received, 1},
		{"failed", rep.Failed, 1},
		{"actions replayed", rep.Actions, 1},
		{"actions refused (statement not in the mailbox)", rep.ActionsRefused, 1},
		{"ids kept", rep.IDsKept, 1},
		{"ids lost", rep.IDsLost, 1},
		{"statements", rep.Statements, 1},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("report: %s = %d, want %d (%+v)", c.name, c.got, c.want, rep)
		}
	}

	err = re.db.Update(func(tx *store.Tx) error {
		rec, err := tx.Record(sg15.ID)
		if err != nil || rec.Extraction.MessageID != sg15.Record.Extraction.MessageID {
			t.Fatalf("the statement from the mailbox is not %s again: %v", sg15.ID, err)
		}
		if !rec.Received.Equal(t0.Add(time.Hour)) {
			t.Errorf("received %v, want its arrival %v", rec.Received, t0.Add(time.Hour))
		}
		evs, _ := tx.Events(sg15.ID)
		var noted bool
		for _, ev := range evs {
			if ev.Type == liaison.EventNote && ev.Channel == liaison.ChannelCLI && ev.At.Equal(t0.Add(2*time.Hour)) {
				noted = true
			}
		}
		if !noted {
			t.Errorf("the CLI note was not taken again: %+v", evs)
		}
		var failed []string
		_ = tx.ForEachRecord(func(r *liaison.Record) error {
			if r.State == liaison.StateFailed {
				failed = append(failed, r.Origin)
			}
			return nil
		})
		if !slices.Equal(failed, []string{"imap:Failed/1 (rebuild)"}) {
			t.Errorf("failed records %v, want the failed folder's message kept", failed)
		}
		// New ids pass every id the mail sent names.
		id, err := tx.NextID("LS", 2026)
		if id != "LS-2026-0003" {
			t.Errorf("the next id after the rebuild is %s, want LS-2026-0003 (0001 and 0002 are named by mail sent)", id)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep2, err := Run(context.Background(), Options{DB: re.db, Pipeline: re.pipeline, Actions: re.actions, Marker: re.set.Current().Marker,
		Source: box, Now: time.Now}); err == nil {
		t.Errorf("a rebuild into a database that is not empty: %+v", rep2)
	}
}

// TestReplayOrder: received messages and actions are replayed by time,
// a folder's messages by UID, a message before an action of the same
// second.
func TestReplayOrder(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f := &Folder{Folder: imapwatch.Folder{Name: "Processed"}}
	evs := []event{
		{at: t0.Add(2 * time.Second), action: &pendingAction{}},
		{at: t0.Add(time.Second), folder: f, env: imapwatch.Envelope{UID: 9}},
		{at: t0.Add(time.Second), action: &pendingAction{}},
		{at: t0.Add(time.Second), folder: f, env: imapwatch.Envelope{UID: 3}},
		{at: t0, folder: f, env: imapwatch.Envelope{UID: 12}},
	}
	sortEvents(evs)
	var got []string
	for _, e := range evs {
		if e.action != nil {
			got = append(got, fmt.Sprintf("action@%d", e.at.Sub(t0)/time.Second))
		} else {
			got = append(got, fmt.Sprintf("uid%d@%d", e.env.UID, e.at.Sub(t0)/time.Second))
		}
	}
	want := []string{"uid12@0", "uid3@1", "uid9@1", "action@1", "action@2"}
	if !slices.Equal(got, want) {
		t.Errorf("replay order %v, want %v", got, want)
	}
}
