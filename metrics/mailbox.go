package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/store"
)

var (
	descMailboxRole = prometheus.NewDesc("liaisond_mailbox_role",
		"1 for this daemon's role toward the mailbox (active: it holds the mailbox and works; standby: another daemon does; starting, released), 0 for the others.",
		[]string{"role"}, nil)
	descMailboxEpoch = prometheus.NewDesc("liaisond_mailbox_claim_epoch",
		"Epoch of the claim on the mailbox this daemon holds (active) or waits on (standby): each daemon that takes the mailbox adds one.", nil, nil)
	descMailboxExpiry = prometheus.NewDesc("liaisond_mailbox_claim_expiry_timestamp_seconds",
		"When the claim on the mailbox expires unless renewed.", nil, nil)
	descUnfiled = prometheus.NewDesc("liaisond_sent_unfiled",
		"Mails sent whose copy is not in the sent folder yet (appends to retry).", nil, nil)
)

// LeaseCollector reports the daemon's claim on the mailbox
// (imapwatch.Lease): whether it is the active daemon or a standby.
type LeaseCollector struct {
	Status func() imapwatch.LeaseStatus
}

// Describe implements prometheus.Collector.
func (c *LeaseCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descMailboxRole
	ch <- descMailboxEpoch
	ch <- descMailboxExpiry
}

// Collect implements prometheus.Collector.
func (c *LeaseCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.Status()
	for _, r := range []imapwatch.LeaseRole{imapwatch.RoleStarting, imapwatch.RoleStandby, imapwatch.RoleActive, imapwatch.RoleReleased} {
		v := 0.0
		if st.Role == r {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(descMailboxRole, prometheus.GaugeValue, v, string(r))
	}
	if st.Claim != nil {
		ch <- prometheus.MustNewConstMetric(descMailboxEpoch, prometheus.GaugeValue, float64(st.Claim.Epoch))
		ch <- prometheus.MustNewConstMetric(descMailboxExpiry, prometheus.GaugeValue, float64(st.Claim.Expires.Unix()))
	}
}

// FilingCollector reports the copies of sent mail that wait to be filed in
// the sent folder (package outbox, Filer).
type FilingCollector struct {
	DB *store.DB
}

// Describe implements prometheus.Collector.
func (c *FilingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- descUnfiled }

// Collect implements prometheus.Collector.
func (c *FilingCollector) Collect(ch chan<- prometheus.Metric) {
	var n int
	if err := c.DB.View(func(tx *store.Tx) error { n = tx.PendingFiling(); return nil }); err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(descUnfiled, prometheus.GaugeValue, float64(n))
}
