package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/deadlines"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// ManagerHash is the feed name of a manager: the hex SHA-256 of the
// lowercased address.
func ManagerHash(email string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(h[:])
}

// ManagerFeed is the path of a manager's calendar feed.
func ManagerFeed(email string) string { return "/calendar/manager/" + ManagerHash(email) + ".ics" }

// GroupFeed is the path of a group's calendar feed.
func GroupFeed(id string) string { return "/calendar/group/" + url.PathEscape(id) + ".ics" }

// CalendarEvent is one VEVENT: an all-day event on Date.
type CalendarEvent struct {
	UID string
	// Sequence is the revision of the event (RFC 5545 SEQUENCE): how many
	// times its statement changed (Revision).
	Sequence    int
	Date        liaison.Date
	Summary     string
	Description string
	URL         string
}

// unchanging are the history event types that record something about a
// statement without changing what its calendar events say (mail queued,
// sent or bounced, a reply linked, a note, a command's log line beside the
// change it made). Every other type counts as a change: an event type added
// later then raises SEQUENCE too often, never too rarely.
var unchanging = map[liaison.EventType]bool{
	liaison.EventReceived: true, liaison.EventRouted: true, liaison.EventMisdirected: true,
	liaison.EventDuplicate: true, liaison.EventDuplicateSeen: true, liaison.EventLinked: true, liaison.EventAnswers: true,
	liaison.EventBounce: true, liaison.EventQueued: true, liaison.EventComposeFailed: true, liaison.EventSent: true,
	liaison.EventDeliveryFailed: true, liaison.EventCommand: true, liaison.EventCommandIgnored: true,
	liaison.EventCommandRejected: true, liaison.EventNote: true,
}

// Revision counts the changes in a statement's history: the SEQUENCE of
// its calendar events. It only grows, and the same history always gives
// the same number, so a feed rebuilt anywhere says the same.
func Revision(history []liaison.Event) int {
	n := 0
	for _, ev := range history {
		if !unchanging[ev.Type] {
			n++
		}
	}
	return n
}

// UIDDomain is the right-hand side of event UIDs: the liaison address's
// domain, which names the installation and, unlike base_url, does not
// change when the web view moves.
func UIDDomain(cfg *config.Config) string {
	if _, dom, ok := strings.Cut(cfg.LiaisonAddress, "@"); ok && dom != "" {
		return strings.ToLower(dom)
	}
	return "liaisond"
}

// Events lists the calendar events of the given summaries: one per
// effective deadline, and one per acknowledgement due (deadlines.AckDue:
// ack_within after receipt) of an open statement nobody acknowledged.
// revisions gives each statement's Revision (0 when absent).
func Events(sums []*store.Summary, cfg *config.Config, revisions map[string]int) []CalendarEvent {
	dom, baseURL, pol := UIDDomain(cfg), cfg.HTTP.BaseURL, deadlines.FromConfig(cfg)
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
		seq := revisions[s.ID]
		if d := s.EffectiveDeadline(); !d.IsZero() {
			state := ""
			if s.State != liaison.StateOpen {
				state = " [" + string(s.State) + "]"
			}
			out = append(out, CalendarEvent{UID: s.ID + "-deadline@" + dom, Sequence: seq, Date: d, Summary: "Reply due: " + s.ID + " " + title + state, Description: desc, URL: link})
		}
		if s.State != liaison.StateOpen || s.Acked || s.Received.IsZero() {
			continue
		}
		if at, ok := pol.AckDue(s.Received, s.Direction == liaison.Outgoing, liaison.IABHandles(len(s.Managers), s.Escalate)); ok {
			out = append(out, CalendarEvent{UID: s.ID + "-ack@" + dom, Sequence: seq, Date: liaison.DateOf(at.In(cfg.Location)), Summary: "Acknowledge: " + s.ID + " " + title, Description: desc, URL: link})
		}
	}
	return out
}

// CalendarEvents builds the events of sums with their revisions read from
// the statements' histories.
func (s *Server) CalendarEvents(sums []*store.Summary) ([]CalendarEvent, error) {
	revs := map[string]int{}
	err := s.opt.DB.View(func(tx *store.Tx) error {
		for _, sm := range sums {
			if !sm.IsStatement() {
				continue
			}
			h, err := tx.Events(sm.ID)
			if err != nil {
				return err
			}
			revs[sm.ID] = Revision(h)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return Events(sums, s.opt.Config(), revs), nil
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
		lw.line("SEQUENCE:" + strconv.Itoa(e.Sequence))
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

// handleCalendar serves /calendar.ics (every statement) and the feeds of
// one manager (/calendar/manager/HASH.ics, ManagerFeed) or one group
// (/calendar/group/ID.ics, GroupFeed). A feed of a manager or group the
// configuration and the records do not know is a 404.
func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	all, err := s.opt.DB.Summaries()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cfg := s.opt.Config()
	name := "IETF liaison statements"
	keep := func(*store.Summary) bool { return true }
	if r.URL.Path != "/calendar.ics" {
		file, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
		if !ok {
			s.errorPage(w, r, http.StatusNotFound, "Feeds end in .ics.")
			return
		}
		if strings.HasPrefix(r.URL.Path, "/calendar/manager/") {
			email, who, known := s.managerByHash(strings.ToLower(file), all)
			if !known {
				s.errorPage(w, r, http.StatusNotFound, "No manager has this calendar feed.")
				return
			}
			name += " (" + who + ")"
			keep = func(sm *store.Summary) bool { return slices.Contains(sm.Managers, email) }
		} else {
			g, known := cfg.Group(file)
			if !known {
				s.errorPage(w, r, http.StatusNotFound, "No group "+file+" is configured.")
				return
			}
			name += " (" + g.ID + ")"
			keep = func(sm *store.Summary) bool { return slices.Contains(sm.Groups, g.ID) }
		}
	}
	var sel []*store.Summary
	for _, sm := range all {
		if keep(sm) {
			sel = append(sel, sm)
		}
	}
	events, err := s.CalendarEvents(sel)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	if err := WriteICS(w, name, events, s.opt.Now()); err != nil {
		s.opt.Log.Warn("write calendar", "path", r.URL.Path, "err", err)
	}
}

// managerByHash finds the manager whose feed name is hash: a configured
// manager, the IAB coordinators, or a former manager some statement still
// names. It returns the address (lowercased) and a name for the feed.
func (s *Server) managerByHash(hash string, all []*store.Summary) (email, name string, ok bool) {
	for m, n := range managerNames(s.opt.Config()) {
		if ManagerHash(m) == hash {
			return m, n, true
		}
	}
	for _, sm := range all {
		for _, m := range sm.Managers {
			if ManagerHash(m) == hash {
				return m, m, true
			}
		}
	}
	return "", "", false
}
