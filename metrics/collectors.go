package metrics

import (
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/store"
)

var (
	descMessages     = prometheus.NewDesc("liaisond_messages_recorded_total", "Messages recorded, by origin folder (imap folder, or file) and kind.", []string{"folder", "kind"}, nil)
	descStatements   = prometheus.NewDesc("liaisond_statements", "Statements (duplicates excluded) by state.", []string{"state"}, nil)
	descOverdue      = prometheus.NewDesc("liaisond_statements_overdue", "Open statements whose deadline has passed.", nil, nil)
	descDuplicates   = prometheus.NewDesc("liaisond_duplicates_total", "Records that are duplicates of an earlier statement.", nil, nil)
	descMisdirected  = prometheus.NewDesc("liaisond_misdirections_total", "Statements found misdirected.", nil, nil)
	descEscalations  = prometheus.NewDesc("liaisond_escalations_total", "Statements escalated to the IAB liaison coordinators (no manager or unknown organization).", nil, nil)
	descOutboxDepth  = prometheus.NewDesc("liaisond_outbox_queued", "Mails waiting in the outbox.", nil, nil)
	descOutboxOldest = prometheus.NewDesc("liaisond_outbox_oldest_age_seconds", "Age of the oldest queued mail (0 when the queue is empty).", nil, nil)
	descIMAPUp       = prometheus.NewDesc("liaisond_imap_connected", "1 while the watcher holds a logged-in IMAP connection for the folder.", []string{"folder"}, nil)
	descIMAPRecon    = prometheus.NewDesc("liaisond_imap_reconnects_total", "IMAP connection attempts after the first.", []string{"folder"}, nil)
	descIMAPErrors   = prometheus.NewDesc("liaisond_imap_errors_total", "Failed IMAP syncs or sessions.", []string{"folder"}, nil)
	descIMAPFetched  = prometheus.NewDesc("liaisond_imap_messages_fetched_total", "Messages fetched and committed since start.", []string{"folder"}, nil)
	descIMAPSync     = prometheus.NewDesc("liaisond_imap_last_sync_timestamp_seconds", "When the folder was last synced completely (0: never).", []string{"folder"}, nil)
	descOutboxHeld   = prometheus.NewDesc("liaisond_outbox_held", "1 while the outbox circuit breaker holds outgoing mail (a sending limit was exceeded).", nil, nil)
	descOutboxTrips  = prometheus.NewDesc("liaisond_outbox_breaker_trips_total", "Times the outbox circuit breaker tripped.", nil, nil)
	descScrapeErr    = prometheus.NewDesc("liaisond_store_scrape_error", "1 when the store could not be read for this scrape.", nil, nil)
)

// StoreCollector reports counts read at scrape time from the store's
// summary index (no record is decoded) and the outbox queue.
type StoreCollector struct {
	DB  *store.DB
	Now func() time.Time
	// Location is where date-only deadlines end.
	Location *time.Location
}

// Describe implements prometheus.Collector.
func (c *StoreCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMessages, descStatements, descOverdue, descDuplicates, descMisdirected, descEscalations, descOutboxDepth, descOutboxOldest, descOutboxHeld, descOutboxTrips, descScrapeErr} {
		ch <- d
	}
}

// OriginFolder is the folder part of a record's origin ("imap:INBOX/42" ->
// "INBOX"); other origins give their scheme ("file").
func OriginFolder(origin string) string {
	scheme, rest, ok := strings.Cut(origin, ":")
	if !ok {
		return "unknown"
	}
	if scheme != "imap" {
		return scheme
	}
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		return rest[:i]
	}
	return rest
}

// Collect implements prometheus.Collector.
func (c *StoreCollector) Collect(ch chan<- prometheus.Metric) {
	now := c.Now()
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	sums, err := c.DB.Summaries()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descScrapeErr, prometheus.GaugeValue, 1)
		return
	}
	type fk struct{ folder, kind string }
	msgs := map[fk]int{}
	states := map[liaison.State]int{liaison.StateOpen: 0, liaison.StateAnswered: 0, liaison.StateClosed: 0, liaison.StateFailed: 0}
	var overdue, dups, mis, esc int
	for _, s := range sums {
		msgs[fk{OriginFolder(s.Origin), string(s.Kind)}]++
		if s.DuplicateOf != "" {
			dups++
		}
		if !s.IsStatement() {
			continue
		}
		states[s.State]++
		if s.Misdirected {
			mis++
		}
		if s.Escalate {
			esc++
		}
		if s.StatusAt(loc, now) == liaison.StatusOverdue {
			overdue++
		}
	}
	for k, n := range msgs {
		ch <- prometheus.MustNewConstMetric(descMessages, prometheus.CounterValue, float64(n), label(k.folder), label(k.kind))
	}
	for st, n := range states {
		ch <- prometheus.MustNewConstMetric(descStatements, prometheus.GaugeValue, float64(n), string(st))
	}
	ch <- prometheus.MustNewConstMetric(descOverdue, prometheus.GaugeValue, float64(overdue))
	ch <- prometheus.MustNewConstMetric(descDuplicates, prometheus.CounterValue, float64(dups))
	ch <- prometheus.MustNewConstMetric(descMisdirected, prometheus.CounterValue, float64(mis))
	ch <- prometheus.MustNewConstMetric(descEscalations, prometheus.CounterValue, float64(esc))
	var depth int
	var oldest time.Time
	var brk store.Breaker
	if err := c.DB.View(func(tx *store.Tx) (err error) {
		depth, oldest = tx.QueuedOutbox()
		brk, err = tx.Breaker()
		return err
	}); err != nil {
		ch <- prometheus.MustNewConstMetric(descScrapeErr, prometheus.GaugeValue, 1)
		return
	}
	age := 0.0
	if depth > 0 && !oldest.IsZero() {
		age = now.Sub(oldest).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(descOutboxDepth, prometheus.GaugeValue, float64(depth))
	ch <- prometheus.MustNewConstMetric(descOutboxOldest, prometheus.GaugeValue, age)
	held := 0.0
	if brk.Held(now) {
		held = 1
	}
	ch <- prometheus.MustNewConstMetric(descOutboxHeld, prometheus.GaugeValue, held)
	ch <- prometheus.MustNewConstMetric(descOutboxTrips, prometheus.CounterValue, float64(brk.Trips))
	ch <- prometheus.MustNewConstMetric(descScrapeErr, prometheus.GaugeValue, 0)
}

// IMAPCollector reports the IMAP watcher's per-folder status.
type IMAPCollector struct {
	Status func() []imapwatch.FolderStatus
}

// Describe implements prometheus.Collector.
func (c *IMAPCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descIMAPUp, descIMAPRecon, descIMAPErrors, descIMAPFetched, descIMAPSync} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *IMAPCollector) Collect(ch chan<- prometheus.Metric) {
	for _, f := range c.Status() {
		name := label(f.Name)
		up := 0.0
		if f.Connected {
			up = 1
		}
		sync := 0.0
		if !f.LastSync.IsZero() {
			sync = float64(f.LastSync.Unix())
		}
		ch <- prometheus.MustNewConstMetric(descIMAPUp, prometheus.GaugeValue, up, name)
		ch <- prometheus.MustNewConstMetric(descIMAPRecon, prometheus.CounterValue, float64(f.Reconnects), name)
		ch <- prometheus.MustNewConstMetric(descIMAPErrors, prometheus.CounterValue, float64(f.Errors), name)
		ch <- prometheus.MustNewConstMetric(descIMAPFetched, prometheus.CounterValue, float64(f.Delivered), name)
		ch <- prometheus.MustNewConstMetric(descIMAPSync, prometheus.GaugeValue, sync, name)
	}
}
