// Package metrics holds liaisond's Prometheus registry: counters the
// daemon's parts increment through small hooks (mail send outcomes, sweeps,
// error log records), and collectors that read the current state at scrape
// time from the store's summary index, the outbox queue and the IMAP
// watcher, so nothing has to be kept in step by hand.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ietf-tools/liaisond/internal/buildinfo"
)

// Metrics is the registry and the hooks that feed it. The zero value is not
// usable; use New. A nil *Metrics accepts every hook and records nothing.
type Metrics struct {
	// Registry holds every liaisond metric plus the Go and process
	// collectors.
	Registry *prometheus.Registry

	mailSends     *prometheus.CounterVec
	sweepDuration prometheus.Histogram
	logErrors     prometheus.Counter
	lastSweep     atomic.Int64 // unix nanos; 0 = never
}

// New makes a registry with liaisond's counters.
func New() *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.mailSends = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "liaisond_mail_send_attempts_total",
		Help: "SMTP delivery attempts by result: sent, retry (temporary failure, will be retried) or failed (permanent failure).",
	}, []string{"result"})
	m.sweepDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "liaisond_sweep_duration_seconds",
		Help:    "Duration of deadline sweeps (reminders, escalations, digests).",
		Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
	})
	m.logErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "liaisond_log_errors_total",
		Help: "Log records at level ERROR.",
	})
	bi := buildinfo.Read()
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "liaisond_build_info",
		Help: "Always 1; the labels say which liaisond is running (module version, VCS revision, uncommitted changes, Go version).",
		ConstLabels: prometheus.Labels{"version": bi.Version, "revision": bi.Revision, "modified": strconv.FormatBool(bi.Modified),
			"goversion": bi.GoVersion},
	})
	build.Set(1)
	m.Registry.MustRegister(m.mailSends, m.sweepDuration, m.logErrors, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{"sent", "retry", "failed"} {
		m.mailSends.WithLabelValues(r) // export zeros
	}
	return m
}

// Register adds collectors (see StoreCollector and IMAPCollector).
func (m *Metrics) Register(cs ...prometheus.Collector) error {
	if m == nil {
		return nil
	}
	for _, c := range cs {
		if err := m.Registry.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveSweep records one deadline sweep that started at start and took
// d. The scheduler calls it; LastSweep reports the latest.
func (m *Metrics) ObserveSweep(start time.Time, d time.Duration) {
	if m == nil {
		return
	}
	m.sweepDuration.Observe(d.Seconds())
	m.lastSweep.Store(start.UnixNano())
}

// LastSweep returns when the last sweep started, and false when no sweep
// was recorded since the process started.
func (m *Metrics) LastSweep() (time.Time, bool) {
	if m == nil {
		return time.Time{}, false
	}
	n := m.lastSweep.Load()
	if n == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, n), true
}

// MailAttempt records one delivery attempt's outcome; isTemporary
// classifies a failure (nil treats every failure as temporary).
func (m *Metrics) MailAttempt(err error, isTemporary func(error) bool) {
	if m == nil {
		return
	}
	switch {
	case err == nil:
		m.mailSends.WithLabelValues("sent").Inc()
	case isTemporary == nil || isTemporary(err):
		m.mailSends.WithLabelValues("retry").Inc()
	default:
		m.mailSends.WithLabelValues("failed").Inc()
	}
}

// Transport is what the outbox worker sends through (outbox.Transport).
type Transport interface {
	Send(ctx context.Context, envelopeFrom string, rcpts []string, msg []byte) error
}

// CountingTransport wraps next so that every Send is recorded with
// MailAttempt.
func (m *Metrics) CountingTransport(next Transport, isTemporary func(error) bool) Transport {
	return &countingTransport{m: m, next: next, isTemp: isTemporary}
}

type countingTransport struct {
	m      *Metrics
	next   Transport
	isTemp func(error) bool
}

func (c *countingTransport) Send(ctx context.Context, from string, rcpts []string, msg []byte) error {
	err := c.next.Send(ctx, from, rcpts, msg)
	if !errors.Is(err, context.Canceled) {
		c.m.MailAttempt(err, c.isTemp)
	}
	return err
}

// label cleans a label value taken from data (folder names).
func label(s string) string {
	if len(s) > 100 {
		s = s[:100]
	}
	return strings.ToValidUTF8(s, "?")
}
