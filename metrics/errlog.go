package metrics

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// LogEntry is one remembered error log record.
type LogEntry struct {
	Time    time.Time
	Message string
	// Attrs are the record's attributes rendered as "key=value".
	Attrs []string
}

// ErrorRing remembers the most recent error log records (a fixed number)
// for the health page, and counts them in the registry.
type ErrorRing struct {
	mu   sync.Mutex
	buf  []LogEntry
	next int
	full bool
	m    *Metrics
}

// NewErrorRing keeps the last size error records; m (may be nil) counts
// them.
func NewErrorRing(size int, m *Metrics) *ErrorRing {
	if size < 1 {
		size = 1
	}
	return &ErrorRing{buf: make([]LogEntry, size), m: m}
}

func (r *ErrorRing) add(e LogEntry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf[r.next] = e
	r.next = (r.next + 1) % len(r.buf)
	if r.next == 0 {
		r.full = true
	}
	if r.m != nil {
		r.m.logErrors.Inc()
	}
}

// Since returns the remembered records at or after t, newest first.
func (r *ErrorRing) Since(t time.Time) []LogEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.next
	if r.full {
		n = len(r.buf)
	}
	var out []LogEntry
	for i := 1; i <= n; i++ {
		e := r.buf[(r.next-i+len(r.buf))%len(r.buf)]
		if e.Time.Before(t) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Handler wraps next so that every record at level ERROR is also kept in
// the ring.
func (r *ErrorRing) Handler(next slog.Handler) slog.Handler {
	return &ringHandler{next: next, ring: r}
}

type ringHandler struct {
	next  slog.Handler
	ring  *ErrorRing
	attrs []string
}

func (h *ringHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError || h.next.Enabled(ctx, l)
}

func (h *ringHandler) Handle(ctx context.Context, rec slog.Record) error {
	if rec.Level >= slog.LevelError {
		e := LogEntry{Time: rec.Time, Message: rec.Message, Attrs: append([]string(nil), h.attrs...)}
		rec.Attrs(func(a slog.Attr) bool {
			e.Attrs = append(e.Attrs, a.String())
			return true
		})
		h.ring.add(e)
	}
	if h.next.Enabled(ctx, rec.Level) {
		return h.next.Handle(ctx, rec)
	}
	return nil
}

func (h *ringHandler) WithAttrs(as []slog.Attr) slog.Handler {
	n := &ringHandler{next: h.next.WithAttrs(as), ring: h.ring, attrs: append([]string(nil), h.attrs...)}
	for _, a := range as {
		n.attrs = append(n.attrs, a.String())
	}
	return n
}

func (h *ringHandler) WithGroup(name string) slog.Handler {
	return &ringHandler{next: h.next.WithGroup(name), ring: h.ring, attrs: h.attrs}
}
