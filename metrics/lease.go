package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
)

var (
	descMailboxRole = prometheus.NewDesc("liaisond_mailbox_role",
		"1 for this daemon's role toward the mailbox (active: it holds the mailbox and works; standby: another daemon does; starting, released), 0 for the others.",
		[]string{"role"}, nil)
	descMailboxEpoch = prometheus.NewDesc("liaisond_mailbox_claim_epoch",
		"Epoch of the claim on the mailbox this daemon holds (active) or waits on (standby): each daemon that takes the mailbox adds one.", nil, nil)
	descMailboxExpiry = prometheus.NewDesc("liaisond_mailbox_claim_expiry_timestamp_seconds",
		"When the claim on the mailbox expires unless renewed.", nil, nil)
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
