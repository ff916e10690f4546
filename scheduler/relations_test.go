package scheduler

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/internal/testmail"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/store"
)

// itu is an ITU-style statement from org to group n, received at, due on
// deadline.
func itu(n int, org, group string, at time.Time, deadline string) []byte {
	s := fmt.Sprintf("From: \"%[2]s\" <tsb@itu.int>\r\nTo: statements@ietf.example\r\nSubject: LS %[1]d from %[2]s to %[3]s\r\n"+
		"Date: %[4]s\r\nMessage-ID: <rel-%[1]d@itu.int>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"LIAISON STATEMENT\r\n\r\nSource:         %[2]s\r\nTitle:          LS %[1]d on shared work\r\nFor action to:  IETF %[3]s WG\r\n"+
		"Deadline:       %[5]s\r\nContact:        Rapporteur, E-mail: rapporteur%[1]d@example.net\r\n\r\nPlease review.\r\n",
		n, org, group, at.Format(time.RFC1123Z), deadline)
	return []byte(s)
}

func bodyOf(t *testing.T, e *store.OutboxEntry) string {
	t.Helper()
	body, err := testmail.Text(e.Raw)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// TestPassActsOnRelationships: statements from SG13 and BBF to OPSAWG are
// coordinated; the weekly digest of SG13's manager shows BBF's statement
// under other relationships, and the IAB overview the one given at short
// notice; a reload replacing SG13's manager makes the next pass hand its
// open statement over (one mail each way), and the pass after sends
// nothing.
func TestPassActsOnRelationships(t *testing.T) {
	cfg := simConfig(t)
	db, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := time.Date(2027, 3, 1, 9, 0, 0, 0, cfg.Location) // a Monday
	now := func() time.Time { return clock }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, set, n := newTestScheduler(t, cfg, db, now, log)
	a, err := actions.New(actions.Options{Settings: set, Notify: n, DB: db, Now: now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Options{Settings: set, Notify: n, Actions: a, DB: db, Now: now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pass(clock, false); err != nil { // records the appointments
		t.Fatal(err)
	}
	for i, in := range []struct{ org, deadline string }{{"ITU-T SG13", "30 June 2027"}, {"Broadband Forum", "15 March 2027"}} {
		clock = clock.Add(time.Hour)
		if _, err := p.Process(pipeline.Input{Raw: itu(i+1, in.org, "OPSAWG", clock, in.deadline), Origin: "test"}, false); err != nil {
			t.Fatal(err)
		}
	}
	kinds := func() map[string][]*store.OutboxEntry {
		out := map[string][]*store.OutboxEntry{}
		_ = db.View(func(tx *store.Tx) error {
			return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
				out[e.Kind+" "+e.Recipient] = append(out[e.Kind+" "+e.Recipient], e)
				return nil
			})
		})
		return out
	}
	mails := kinds()
	if len(mails["coordination marco.rossi@example.org"]) != 1 || len(mails["coordination olu.adeyemi@example.org"]) != 1 {
		t.Errorf("coordination notes: %v", mails)
	}

	// Next Monday 07:00: digests and the overview.
	clock = time.Date(2027, 3, 8, 7, 0, 0, 0, cfg.Location)
	if _, err := s.Pass(clock, false); err != nil {
		t.Fatal(err)
	}
	mails = kinds()
	digest := mails["digest marco.rossi@example.org"]
	if len(digest) != 1 {
		t.Fatalf("digests of SG13's manager: %d", len(digest))
	}
	if body := bodyOf(t, digest[0]); !strings.Contains(body, "Other relationships' statements to your groups") ||
		!strings.Contains(body, "LS-2027-0002 LS 2 on shared work (Broadband Forum) to opsawg") || !strings.Contains(body, "handled by Olu Adeyemi <olu.adeyemi@example.org>") {
		t.Errorf("digest:\n%s", body)
	}
	ov := mails["iab-overview liaison-coordination@iab.example"]
	if len(ov) != 1 || !strings.Contains(bodyOf(t, ov[0]), "Short notice (deadline less than 30 days after receipt)") ||
		!strings.Contains(bodyOf(t, ov[0]), "LS-2027-0002 received 2027-03-01, reply by 2027-03-15 (14 days)") {
		t.Errorf("overview: %v", ov)
	}

	// SG13's manager is replaced.
	y := strings.Replace(strings.Replace(string(examples.Config), "timezone: UTC", "timezone: Europe/Paris", 1), "{name: Marco Rossi, email: marco.rossi@example.org}", "{name: Marco Rossi, email: marco.rossi@example.org, until: 2027-03-08}\n      - {name: Ana Silva, email: ana.silva@example.org, since: 2027-03-09}", 1)
	next, err := config.Parse(cfg.Path, []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Reload(next, nil); err != nil {
		t.Fatal(err)
	}
	clock = time.Date(2027, 3, 9, 8, 0, 0, 0, cfg.Location)
	rep, err := s.Pass(clock, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range rep.Mails {
		if m.Kind == "handover" || m.Kind == "appointment-ended" {
			got = append(got, m.Kind+" "+m.Recipient)
		}
	}
	if strings.Join(got, ", ") != "handover ana.silva@example.org, appointment-ended marco.rossi@example.org" {
		t.Errorf("pass after the reload sent %v", got)
	}
	if !strings.Contains(bodyOf(t, kinds()["handover ana.silva@example.org"][0]), "- LS-2027-0001 2027-06-30") {
		t.Error("the handover does not list SG13's open statement")
	}
	// The moved statement's reminders now go to the new manager: the open
	// index lists it under her.
	_ = db.View(func(tx *store.Tx) error {
		var ids []string
		_ = tx.OpenFor("ana.silva@example.org", func(id string) error { ids = append(ids, id); return nil })
		if strings.Join(ids, ",") != "LS-2027-0001" {
			t.Errorf("open under the new manager: %v", ids)
		}
		return nil
	})
	rep, err = s.Pass(clock.Add(time.Minute), false)
	if err != nil || len(rep.Mails) != 0 {
		t.Errorf("the pass after sent %v (%v)", rep.Mails, err)
	}
}
