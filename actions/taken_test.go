package actions

import (
	"encoding/json"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/store"
)

// The confirmation of an action taken outside mail carries the action in
// its trace (for a rebuild to take it again); one taken by mail does not
// (the mail that carried it is in the mailbox).
func TestConfirmationCarriesTheActionTaken(t *testing.T) {
	for _, tc := range []struct {
		name  string
		actor Actor
		want  bool
	}{
		{"cli", operator, true},
		{"web", jane, true},
		{"mail", Actor{Email: "jane.doe@example.org", Channel: liaison.ChannelMail, Via: "mail command MSG-2026-0001"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			req := Request{Action: Delay, Date: "2027-05-01", Reason: "waiting for the WG"}
			out, err := f.l.Apply(id, tc.actor, req)
			if err != nil || len(out.Queued) == 0 {
				t.Fatalf("delay: %+v, %v", out, err)
			}
			marker := outmail.NewMarker(nil)
			_ = f.db.View(func(tx *store.Tx) error {
				for _, k := range out.Queued {
					e, err := tx.Outbox(k)
					if err != nil {
						t.Fatal(err)
					}
					tr, _, err := outmail.ReadTrace(append(append([]byte(nil), e.FileHeader...), e.Raw...), marker)
					if err != nil {
						t.Fatalf("%s: %v", k, err)
					}
					if tr.Key != k || tr.Record != id || tr.RecordMessageID != "sg15-1@itu.int" {
						t.Errorf("%s: trace %+v", k, tr)
					}
					if e.Kind != "command-confirm" {
						continue
					}
					if (len(tr.Action) > 0) != tc.want {
						t.Fatalf("%s: action in the trace %s, want one: %v", k, tr.Action, tc.want)
					}
					if !tc.want {
						continue
					}
					var got Taken
					if err := json.Unmarshal(tr.Action, &got); err != nil {
						t.Fatal(err)
					}
					if got.ID != id || !got.At.Equal(testNow) || got.Actor != tc.actor || got.Request.Action != Delay || got.Request.Date != req.Date || got.Request.Reason != req.Reason {
						t.Errorf("action taken %+v", got)
					}
				}
				return nil
			})
		})
	}
}
