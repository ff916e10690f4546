package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/ietf-tools/liaisond/liaison"
)

// bSearch holds, per record id, the lowercased title and body the web
// view's text search scans (written by PutRecord; records written before the
// bucket existed fall back to decoding the record).
var bSearch = []byte("search")

// Summary is the compact view of a record that list pages, calendar feeds
// and counters need: everything but the body, sources and history. A
// Summary returned by DB.Summaries is shared and must not be modified.
type Summary struct {
	ID               string
	Received         time.Time
	Kind             liaison.Kind
	Direction        liaison.Direction
	State            liaison.State
	DuplicateOf      string
	OrgID            string
	OrgName          string
	OrgText          string
	FromGroup        string
	Groups           []string
	Purpose          liaison.Purpose
	Deadline         liaison.Date
	InternalDeadline liaison.Date
	Misdirected      bool
	NoManager        bool
	Escalate         bool
	Title            string
	Subject          string
	// Managers are the routed managers' addresses, lowercased.
	Managers     []string
	Links        []string
	Duplicates   []string
	InResponseTo string
	Origin       string
	Attachments  int
	Problems     int
	Acked        bool
	Answered     bool
	// Outbound is the state of a statement drafted here (draft, approved,
	// sent, withdrawn), "" for any other.
	Outbound liaison.OutboundState

	txid int // the write transaction that produced it (orders updates)
}

// EffectiveDeadline is the internal deadline when a manager moved it, else
// the statement's own (as liaison.Record.EffectiveDeadline).
func (s *Summary) EffectiveDeadline() liaison.Date {
	if !s.InternalDeadline.IsZero() {
		return s.InternalDeadline
	}
	return s.Deadline
}

// IsStatement reports whether the record is a statement that is not a
// duplicate of another (what the list pages show).
func (s *Summary) IsStatement() bool {
	return s.Kind == liaison.KindStatement && s.DuplicateOf == ""
}

// Summarize builds the summary of r.
func Summarize(r *liaison.Record) *Summary {
	x := &r.Extraction
	s := &Summary{
		ID: r.ID, Received: r.Received, Kind: x.Kind, Direction: x.Direction, State: r.State, DuplicateOf: r.DuplicateOf,
		OrgID: r.Routing.OrgID, OrgName: r.Routing.OrgName, OrgText: x.FromOrgText, FromGroup: x.FromGroup,
		Groups: slices.Clone(r.Routing.Groups), Purpose: x.Purpose, Deadline: x.Deadline, InternalDeadline: r.InternalDeadline,
		Misdirected: r.Routing.Misdirected, NoManager: r.Routing.NoManager, Escalate: r.Routing.Escalate,
		Title: x.Title, Subject: x.Subject, Links: slices.Clone(r.Links), Duplicates: slices.Clone(r.Duplicates),
		InResponseTo: x.InResponseTo, Origin: r.Origin, Attachments: len(x.Attachments), Problems: len(x.Problems),
		Acked: r.Acked != nil, Answered: r.Answered != nil,
	}
	for _, m := range r.Routing.Managers {
		if m.Email != "" {
			s.Managers = append(s.Managers, strings.ToLower(m.Email))
		}
	}
	if r.Outbound != nil {
		s.Outbound = r.Outbound.State
	}
	return s
}

// searchText is what text search matches against: title and body,
// lowercased.
func searchText(r *liaison.Record) []byte {
	x := &r.Extraction
	out := make([]byte, 0, len(x.Title)+len(x.Subject)+len(x.Body)+2)
	out = appendLower(out, x.Title)
	out = appendLower(append(out, '\n'), x.Subject)
	return appendLower(append(out, '\n'), x.Body)
}

// appendLower appends strings.ToLower(s) to dst, without the copies of a
// body that converting it takes: ASCII is lowered in one pass by table,
// and only the part from the first non-ASCII byte on goes through
// strings.ToLower (which lowers rune by rune, so the two parts join).
func appendLower(dst []byte, s string) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(s))[:n+len(s)]
	out := dst[n:]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return append(dst[:n+i], strings.ToLower(s[i:])...)
		}
		out[i] = asciiLower[c]
	}
	return dst
}

// asciiLower maps each ASCII byte to its lower case.
var asciiLower = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// CompareSummaries orders summaries by effective deadline (soonest first,
// undated last), then by id: the order of DB.Summaries.
func CompareSummaries(a, b *Summary) int {
	return cmp.Or(liaison.CompareDeadlines(a.EffectiveDeadline(), b.EffectiveDeadline()), cmp.Compare(a.ID, b.ID))
}

// summaryIndex is the in-memory summary of every record, built from the
// records bucket on first use and kept in step by PutRecord's commits.
// Every write goes through this process (bbolt's file lock keeps other
// writers out while it is open), so the index cannot go stale.
type summaryIndex struct {
	mu     sync.Mutex
	built  bool
	byID   map[string]*Summary
	sorted atomic.Pointer[[]*Summary]
}

// Summaries returns the summary of every record ordered by effective
// deadline (see CompareSummaries). The first call builds the index by
// reading every record once; later calls cost nothing. The slice and its
// summaries are shared: do not modify them.
func (db *DB) Summaries() ([]*Summary, error) {
	if p := db.summaries.sorted.Load(); p != nil {
		return *p, nil
	}
	ix := &db.summaries
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.built {
		return *ix.sorted.Load(), nil
	}
	byID := map[string]*Summary{}
	var list []*Summary
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bRecords).ForEach(func(k, v []byte) error {
			var r liaison.Record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("store: decode record %s: %w", k, err)
			}
			s := Summarize(&r)
			byID[s.ID] = s
			list = append(list, s)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: build summary index: %w", err)
	}
	slices.SortFunc(list, CompareSummaries)
	ix.byID, ix.built = byID, true
	ix.sorted.Store(&list)
	return list, nil
}

// apply installs summaries committed by write transaction txid.
func (ix *summaryIndex) apply(sums []*Summary) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.built {
		return // the build, when it comes, reads the committed records
	}
	list := slices.Clone(*ix.sorted.Load())
	for _, s := range sums {
		if old, ok := ix.byID[s.ID]; ok {
			if old.txid > s.txid {
				continue
			}
			i, _ := slices.BinarySearchFunc(list, old, CompareSummaries)
			if i < len(list) && list[i] == old {
				list = slices.Delete(list, i, i+1)
			}
		}
		i, _ := slices.BinarySearchFunc(list, s, CompareSummaries)
		list = slices.Insert(list, i, s)
		ix.byID[s.ID] = s
	}
	ix.sorted.Store(&list)
}

// indexRecord keeps the search text and, once the transaction commits, the
// in-memory summary of r up to date.
func (t *Tx) indexRecord(r *liaison.Record) error {
	if b := t.b(bSearch); b != nil {
		if err := b.Put([]byte(r.ID), searchText(r)); err != nil {
			return fmt.Errorf("store: index text of %s: %w", r.ID, err)
		}
	}
	if t.db == nil {
		return nil
	}
	s := Summarize(r)
	s.txid = t.tx.ID()
	if len(t.pending) == 0 {
		db := t.db
		t.tx.OnCommit(func() { db.summaries.apply(t.pending) })
	}
	t.pending = append(t.pending, s)
	return nil
}

// TextMatches reports whether the record's title, subject or body contains
// needle, compared case-insensitively (needle must already be lowercase).
func (t *Tx) TextMatches(id, needle string) (bool, error) {
	if b := t.b(bSearch); b != nil {
		if v := b.Get([]byte(id)); v != nil {
			return bytes.Contains(v, []byte(needle)), nil
		}
	}
	r, err := t.Record(id)
	if err != nil {
		return false, err
	}
	return bytes.Contains(searchText(r), []byte(needle)), nil
}
