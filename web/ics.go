package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// AckDays is how long after receipt a statement should be acknowledged:
// the acknowledgement deadline in the calendar feeds.
const AckDays = 7

// ManagerHash is the feed name of a manager: the hex SHA-256 of the
// lowercased address.
func ManagerHash(email string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(h[:])
}

// CalendarEvent is one VEVENT: an all-day event on Date.
type CalendarEvent struct {
	UID         string
	Date        liaison.Date
	Summary     string
	Description string
	URL         string
}

// Events lists the calendar events of the given summaries: one per
// deadline (the effective one) and one per acknowledgement deadline
// (received + AckDays) of statements still open and not acknowledged.
func Events(sums []*store.Summary, baseURL string, loc *time.Location) []CalendarEvent {
	host := "liaisond"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	var out []CalendarEvent
	for _, s := range sums {
		if !s.IsStatement() || s.State == liaison.StateFailed {
			continue
		}
		link := ""
		if baseURL != "" {
			link = baseURL + "/statements/" + url.PathEscape(s.ID)
		}
		title := s.Title
		if title == "" {
			title = s.Subject
		}
		from := s.OrgName
		if from == "" {
			from = s.OrgText
		}
		desc := fmt.Sprintf("%s from %s to %s, for %s; state %s.", s.ID, from, strings.Join(s.Groups, ", "), s.Purpose, s.State)
		if link != "" {
			desc += "\n" + link
		}
		if d := s.EffectiveDeadline(); !d.IsZero() {
			state := ""
			if s.State != liaison.StateOpen {
				state = " [" + string(s.State) + "]"
			}
			out = append(out, CalendarEvent{UID: s.ID + "-deadline@" + host, Date: d, Summary: "Reply due: " + s.ID + " " + title + state, Description: desc, URL: link})
		}
		if s.State == liaison.StateOpen && !s.Acked && !s.Received.IsZero() {
			ack := liaison.DateOf(s.Received.In(loc).AddDate(0, 0, AckDays))
			out = append(out, CalendarEvent{UID: s.ID + "-ack@" + host, Date: ack, Summary: "Acknowledge: " + s.ID + " " + title, Description: desc, URL: link})
		}
	}
	return out
}

// WriteICS writes an RFC 5545 calendar of events (CRLF lines folded at 75
// octets, TEXT values escaped, DTSTAMP set to stamp).
func WriteICS(w io.Writer, name string, events []CalendarEvent, stamp time.Time) error {
	lw := &icsWriter{w: w}
	lw.line("BEGIN:VCALENDAR")
	lw.line("VERSION:2.0")
	lw.line("PRODID:-//IETF//liaisond//EN")
	lw.line("CALSCALE:GREGORIAN")
	lw.line("METHOD:PUBLISH")
	lw.line("X-WR-CALNAME:" + escapeText(name))
	ts := stamp.UTC().Format("20060102T150405Z")
	for _, e := range events {
		lw.line("BEGIN:VEVENT")
		lw.line("UID:" + escapeText(e.UID))
		lw.line("DTSTAMP:" + ts)
		lw.line("DTSTART;VALUE=DATE:" + icsDate(e.Date))
		end := time.Date(e.Date.Year, e.Date.Month, e.Date.Day+1, 0, 0, 0, 0, time.UTC)
		lw.line("DTEND;VALUE=DATE:" + end.Format("20060102"))
		lw.line("SUMMARY:" + escapeText(e.Summary))
		if e.Description != "" {
			lw.line("DESCRIPTION:" + escapeText(e.Description))
		}
		if e.URL != "" {
			lw.line("URL:" + stripControls(e.URL))
		}
		lw.line("TRANSP:TRANSPARENT")
		lw.line("END:VEVENT")
	}
	lw.line("END:VCALENDAR")
	return lw.err
}

func icsDate(d liaison.Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day) }

// escapeText escapes a TEXT value (RFC 5545 3.3.11): backslash, comma,
// semicolon, newlines; other control characters are dropped.
func escapeText(s string) string {
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			// dropped: not allowed in TEXT
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// icsWriter writes content lines folded at 75 octets without splitting a
// UTF-8 sequence.
type icsWriter struct {
	w   io.Writer
	err error
}

func (l *icsWriter) line(s string) {
	if l.err != nil {
		return
	}
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	_, l.err = io.WriteString(l.w, b.String())
}

func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	all, err := s.opt.DB.Summaries()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "IETF liaison statements"
	keep := func(*store.Summary) bool { return true }
	switch {
	case strings.HasPrefix(r.URL.Path, "/calendar/manager/"):
		hash, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
		if !ok {
			s.errorPage(w, r, http.StatusNotFound, "Feeds end in .ics.")
			return
		}
		hash = strings.ToLower(hash)
		name += " (manager)"
		keep = func(sm *store.Summary) bool {
			return slices.ContainsFunc(sm.Managers, func(m string) bool { return ManagerHash(m) == hash })
		}
	case strings.HasPrefix(r.URL.Path, "/calendar/group/"):
		group, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
		if !ok {
			s.errorPage(w, r, http.StatusNotFound, "Feeds end in .ics.")
			return
		}
		name += " (" + group + ")"
		keep = func(sm *store.Summary) bool { return slices.Contains(sm.Groups, group) }
	}
	var sel []*store.Summary
	for _, sm := range all {
		if keep(sm) {
			sel = append(sel, sm)
		}
	}
	cfg := s.opt.Config()
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	if err := WriteICS(w, name, Events(sel, cfg.HTTP.BaseURL, cfg.Location), s.opt.Now()); err != nil {
		s.opt.Log.Warn("write calendar", "path", r.URL.Path, "err", err)
	}
}
