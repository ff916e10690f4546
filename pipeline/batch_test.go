package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// A batch is its messages recorded one at a time: when later messages of
// a batch act on a statement of the same batch (a duplicate, a mail
// command, a refused command, an answer), the outbox holds the same
// mails, byte for byte under the same keys, every history the same
// events in the same order, and each result the same keys. (An action's
// confirmations are numbered by the statement's history, which holds the
// "queued" events of the statement's notices.)
func TestBatchIsOneMessageAtATime(t *testing.T) {
	const jane = "Jane Doe <jane.doe@example.org>"
	alone, db1, _ := newCmdTest(t)
	first := Input{Raw: sg15Statement("in-1@itu.int", sg15Title), Origin: "statement"}
	one := func(in Input) Result {
		t.Helper()
		r, err := alone.Process(in, false)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	want := []Result{one(first)}
	notice := noticeMessageID(t, db1, "LS-2026-0001", "jane.doe@example.org")
	to := replyAddr(t, cmdKey, "LS-2026-0001")
	ins := []Input{
		first,
		{Raw: sg15Statement("fwd-1@itu.int", sg15Title), Origin: "the same statement again"},
		{Raw: sg15Statement("in-2@itu.int", "LS on another topic entirely for the test"), Origin: "another statement"},
		{Raw: commandMail(jane, to, notice, "cmd-1@example.org", "", "ack"), Origin: "ack"},
		{Raw: commandMail(jane, to, notice, "cmd-2@example.org", "", "delay soon"), Origin: "refused command"},
		{Raw: ccampReply("out@ietf.example", "in-1@itu.int", "LS from IETF CCAMP WG to ITU-T SG15 on topology", ""), Origin: "answer"},
	}
	for _, in := range ins[1:] {
		want = append(want, one(in))
	}

	batched, db2, _ := newCmdTest(t)
	got, err := batched.ProcessBatch(ins, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ins {
		if got[i].ID != want[i].ID || !slices.Equal(got[i].Queued, want[i].Queued) {
			t.Errorf("%s: batched %s queued %q, alone %s queued %q", ins[i].Origin, got[i].ID, got[i].Queued, want[i].ID, want[i].Queued)
		}
	}

	byOne, all := contents(t, db1), contents(t, db2)
	kinds := map[string]bool{}
	for _, k := range byOne.kinds {
		kinds[k] = true
	}
	for _, k := range []string{"notice", "command-confirm", "command-rejected", "answered"} {
		if !kinds[k] {
			t.Fatalf("the messages one at a time queued no %s mail (%v): the test does not test what it says", k, byOne.kinds)
		}
	}
	if a, b := byOne.outbox, all.outbox; !slices.Equal(a, b) {
		t.Errorf("outbox one at a time:\n%q\nbatched:\n%q", keysOf(a), keysOf(b))
	}
	if a, b := byOne.events, all.events; !slices.Equal(a, b) {
		t.Errorf("histories one at a time:\n%q\nbatched:\n%q", a, b)
	}
}

// dbContents are a database's outbox entries ("key\nraw", in key order),
// their kinds, and every record's history ("id type detail", in order).
type dbContents struct {
	outbox, kinds, events []string
}

func contents(t *testing.T, db *store.DB) dbContents {
	t.Helper()
	var c dbContents
	if err := db.View(func(tx *store.Tx) error {
		if err := tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			c.outbox = append(c.outbox, e.Key+"\n"+string(e.Raw))
			c.kinds = append(c.kinds, e.Kind)
			return nil
		}); err != nil {
			return err
		}
		return tx.ForEachRecord(func(r *liaison.Record) error {
			evs, err := tx.Events(r.ID)
			for _, ev := range evs {
				c.events = append(c.events, fmt.Sprintf("%s %s %s", r.ID, ev.Type, ev.Detail))
			}
			return err
		})
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(c.outbox)
	return c
}

func keysOf(entries []string) []string {
	var keys []string
	for _, e := range entries {
		k, _, _ := strings.Cut(e, "\n")
		keys = append(keys, k)
	}
	return keys
}
