package relations

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/store"
)

// TestHandover: the first Sync only records the appointments; replacing
// a manager moves exactly the open statements to the new one, who gets
// one handover mail listing them, while the old one gets one closing
// mail and keeps the answered statement; a second Sync sends nothing; an
// appointment that ends on its date hands the statements to the IAB; a
// new relationship's manager is welcomed. The statements drafted to the
// peer and not sent yet change hands and are listed as the open ones are;
// a withdrawn one does not.
func TestHandover(t *testing.T) {
	w := newWorld(t, orgsBefore)
	feb := paris("2027-02-10 09:00")
	open1 := w.statement("LS-2027-0001", "sg15", []string{"ccamp"}, feb, liaison.StateOpen)
	open2 := w.statement("LS-2027-0002", "sg15", []string{"teas"}, feb.Add(48*time.Hour), liaison.StateOpen)
	answered := w.statement("LS-2027-0003", "sg15", []string{"ccamp"}, feb.Add(-30*24*time.Hour), liaison.StateAnswered)
	bbf := w.statement("LS-2027-0004", "bbf", []string{"opsawg"}, feb, liaison.StateOpen)
	draft := w.draft("LS-2027-0006", "sg15", []string{"ccamp"}, feb, liaison.OutboundDraft)
	approved := w.draft("LS-2027-0007", "sg15", []string{"teas"}, feb, liaison.OutboundApproved)
	withdrawn := w.draft("LS-2027-0008", "sg15", []string{"teas"}, feb, liaison.OutboundWithdrawn)
	// Recorded just before the change, not yet looked at by the scheduler:
	// not in the open index, due for its first look.
	fresh := w.statement("LS-2027-0005", "sg15", []string{"ccamp"}, paris("2027-03-02 09:59"), liaison.StateOpen)
	if err := w.db.Update(func(tx *store.Tx) error {
		if err := tx.SetOpen(fresh.ID, nil); err != nil {
			return err
		}
		return tx.LookAgain(fresh.ID, fresh.Received)
	}); err != nil {
		t.Fatal(err)
	}

	if ch := w.sync(paris("2027-02-20 09:00")); ch != nil {
		t.Fatalf("the first Sync changed %+v; it should only record the appointments", ch)
	}
	if n := len(w.mails(notify.KindHandover)) + len(w.mails(notify.KindAppointmentEnded)); n != 0 {
		t.Fatalf("the first Sync sent %d mails", n)
	}

	// Nia replaces Olaf on March 1st; MEF becomes a relationship.
	w.reload(orgsAfter)
	at := paris("2027-03-02 10:00")
	changes := w.sync(at)
	if len(changes) != 2 || changes[0].Org != "sg15" || changes[1].Org != "mef" {
		t.Fatalf("changes = %+v", changes)
	}
	if got := changes[0].Moved; !slices.Equal(got, []string{open1.ID, open2.ID, fresh.ID, draft.ID, approved.ID}) {
		t.Errorf("moved %v, want the three open statements and the two not sent", got)
	}
	hand := w.mails(notify.KindHandover)
	if len(hand["nia@example.org"]) != 1 || len(hand["chris@example.org"]) != 1 || len(hand) != 2 {
		t.Fatalf("handover mails = %v", hand)
	}
	nia := text(t, hand["nia@example.org"][0])
	for _, want := range []string{"liaison manager for the\nrelationship with ITU-T SG15", "You take over from Olaf Old <olaf@example.org>",
		"handed over to you (3)", "- " + open1.ID, "- " + open2.ID, "- " + fresh.ID,
		"drafted here and not sent yet (2)", "- " + draft.ID + " [draft]", "from ccamp; awaiting approval by ccamp (ccamp-chairs@ietf.example)",
		"- " + approved.ID + " [approved]", "from teas; approved, to be sent"} {
		if !strings.Contains(nia, want) {
			t.Errorf("handover lacks %q:\n%s", want, nia)
		}
	}
	if strings.Contains(nia, answered.ID) || strings.Contains(nia, bbf.ID) || strings.Contains(nia, withdrawn.ID) {
		t.Errorf("handover lists a statement that is not the relationship's open one:\n%s", nia)
	}
	if !strings.Contains(text(t, hand["chris@example.org"][0]), "The relationship has no open statement.") {
		t.Errorf("MEF's handover:\n%s", text(t, hand["chris@example.org"][0]))
	}
	ended := w.mails(notify.KindAppointmentEnded)
	if len(ended) != 1 || len(ended["olaf@example.org"]) != 1 {
		t.Fatalf("closing mails = %v", ended)
	}
	if e := ended["olaf@example.org"][0]; !strings.Contains(text(t, e), "now go to Nia New <nia@example.org>") || e.RecordID != "" {
		t.Errorf("closing mail (record %q):\n%s", e.RecordID, text(t, e))
	}
	if e := ended["olaf@example.org"][0]; !strings.Contains(text(t, e), "- "+draft.ID+" [draft]") {
		t.Errorf("the closing mail does not list the draft:\n%s", text(t, e))
	}
	for _, id := range []string{open1.ID, open2.ID, draft.ID, approved.ID} {
		r, evs := w.record(id)
		if !slices.Equal(managers(r), []string{"nia@example.org"}) || !hasEvent(evs, liaison.EventResponsibility, "olaf@example.org -> nia@example.org") {
			t.Errorf("%s: managers %v, events %+v", id, managers(r), evs)
		}
	}
	if r, _ := w.record(draft.ID); r.Routing.Escalate || w.set.Current().Router.Roles(r, "olaf@example.org", at).Has(liaison.RoleManager) {
		t.Errorf("the draft after the handover: %+v; Olaf's roles on it: %v", r.Routing, w.set.Current().Router.Roles(r, "olaf@example.org", at))
	}
	if r, _ := w.record(withdrawn.ID); !slices.Equal(managers(r), []string{"olaf@example.org"}) {
		t.Errorf("the withdrawn statement changed hands: %v", managers(r))
	}
	if r, evs := w.record(answered.ID); !slices.Equal(managers(r), []string{"olaf@example.org"}) || hasEvent(evs, liaison.EventResponsibility, "") {
		t.Errorf("the answered statement changed hands: %v", managers(r))
	}
	_ = w.db.View(func(tx *store.Tx) error {
		if _, ok := tx.DueAt(open1.ID, store.DueRecompute); !ok {
			t.Error("a moved statement is not looked at again by the scheduler")
		}
		if _, ok := tx.DueAt(draft.ID, store.DueRecompute); ok {
			t.Error("a moved draft is given to the scheduler, which has nothing to do with it")
		}
		evs, _ := tx.RelationshipEvents("sg15", 0)
		if len(evs) != 2 || evs[0].Type != liaison.EventAppointed || evs[1].Type != liaison.EventAppointmentEnd {
			t.Errorf("sg15 history = %+v", evs)
		}
		return nil
	})

	// A second Sync (another reload, a restart) sends nothing.
	before := len(w.mails(notify.KindHandover)) + len(w.mails(notify.KindAppointmentEnded))
	if ch := w.sync(at.Add(time.Hour)); len(ch) != 0 {
		t.Errorf("a second Sync changed %+v", ch)
	}
	if after := len(w.mails(notify.KindHandover)) + len(w.mails(notify.KindAppointmentEnded)); after != before {
		t.Errorf("a second Sync queued %d mails", after-before)
	}

	// Olu's appointment ends on June 30th: from July 1st the IAB handles BBF.
	if ch := w.sync(paris("2027-06-30 23:00")); len(ch) != 0 {
		t.Errorf("changes on the last day of the appointment: %+v", ch)
	}
	if ch := w.sync(paris("2027-07-01 00:00")); len(ch) != 1 || !slices.Equal(ch[0].Moved, []string{bbf.ID}) {
		t.Fatalf("changes when the appointment ended = %+v", ch)
	}
	r, _ := w.record(bbf.ID)
	if !r.Routing.NoManager || !r.Routing.Escalate || !slices.Equal(managers(r), []string{"iab@iab.example"}) {
		t.Errorf("BBF's statement after the vacancy: %+v", r.Routing)
	}
	if e := w.mails(notify.KindAppointmentEnded)["olu@example.org"]; len(e) != 1 || !strings.Contains(text(t, e[0]), "the IAB liaison coordinators (iab@iab.example) until a manager is appointed") {
		t.Errorf("Olu's closing mail: %v", e)
	}
}

// TestNextChange: the scheduler wakes at the start of the day an
// appointment begins or the day after one ends.
func TestNextChange(t *testing.T) {
	w := newWorld(t, orgsAfter)
	cfg := w.set.Config()
	for _, tt := range []struct{ at, want string }{
		{"2027-02-10 09:00", "2027-03-01 00:00"}, // Olaf's last day is Feb 28th, Nia's first March 1st
		{"2027-02-28 23:59", "2027-03-01 00:00"},
		{"2027-03-01 00:00", "2027-07-01 00:00"}, // Olu's appointment ends June 30th
	} {
		if got := NextChange(cfg, paris(tt.at)); !got.Equal(paris(tt.want)) {
			t.Errorf("NextChange(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
	if got := NextChange(cfg, paris("2027-07-01 00:00")); !got.IsZero() {
		t.Errorf("NextChange after the last change = %s", got)
	}
}
