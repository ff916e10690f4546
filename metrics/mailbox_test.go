package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/store"
)

func TestLeaseAndFilingCollectors(t *testing.T) {
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Unix(1_800_000_000, 0)
	err = db.Update(func(tx *store.Tx) error {
		for i, f := range []*store.Filing{{State: store.FilingPending, Next: now}, {State: store.FilingDone}, nil} {
			e := &store.OutboxEntry{Key: string(rune('a' + i)), State: store.OutboxSent, Raw: []byte("x"), Created: now, Filing: f}
			if _, err := tx.Enqueue(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := imapwatch.LeaseStatus{Role: imapwatch.RoleStandby, Claim: &imapwatch.Claim{Epoch: 3, Expires: now}}
	m := New()
	if err := m.Register(&LeaseCollector{Status: func() imapwatch.LeaseStatus { return st }}); err != nil {
		t.Fatal(err)
	}
	if err := m.Register(&FilingCollector{DB: db}); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP liaisond_mailbox_claim_epoch Epoch of the claim on the mailbox this daemon holds (active) or waits on (standby): each daemon that takes the mailbox adds one.
# TYPE liaisond_mailbox_claim_epoch gauge
liaisond_mailbox_claim_epoch 3
# HELP liaisond_mailbox_role 1 for this daemon's role toward the mailbox (active: it holds the mailbox and works; standby: another daemon does; starting, released), 0 for the others.
# TYPE liaisond_mailbox_role gauge
liaisond_mailbox_role{role="active"} 0
liaisond_mailbox_role{role="released"} 0
liaisond_mailbox_role{role="standby"} 1
liaisond_mailbox_role{role="starting"} 0
# HELP liaisond_sent_unfiled Mails sent whose copy is not in the sent folder yet (appends to retry).
# TYPE liaisond_sent_unfiled gauge
liaisond_sent_unfiled 1
`
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want), "liaisond_mailbox_role", "liaisond_mailbox_claim_epoch", "liaisond_sent_unfiled"); err != nil {
		t.Error(err)
	}
}
