package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/ietf-tools/liaisond/liaison"
)

// CheckReport is what Check found in a database file.
type CheckReport struct {
	// Path is the database file; FileSize its size in bytes.
	Path     string
	FileSize int64
	// Counts is the number of keys per bucket that could be read.
	Counts map[string]int
	// Problems are the inconsistencies found, at most the limit given to
	// Check; Omitted counts those left out beyond it.
	Problems []string
	Omitted  int
	// PagesChecked is false when bbolt's page-level check was skipped
	// because reading the file faulted (it would run where faults cannot
	// be caught).
	PagesChecked bool
}

// OK reports whether nothing was found.
func (r *CheckReport) OK() bool { return len(r.Problems) == 0 && r.Omitted == 0 }

// Check reads the whole database and reports every inconsistency it finds,
// up to limit (0: no limit): the schema (every record, event, checkpoint,
// outbox entry and digest state decodes; every index entry points at a
// record or outbox entry that exists, and the paired indexes agree), then
// bbolt's own page-level check (Tx.Check: every page reachable once, the
// freelist, key order). A damaged region is a problem of its bucket; the
// walk goes on with the next bucket. It returns an error only when the
// check could not run at all. Open the database read-only to check it: the
// page check must not race with a writer.
func (db *DB) Check(limit int) (*CheckReport, error) {
	st, err := os.Stat(db.path)
	if err != nil {
		return nil, fmt.Errorf("store: check %s: %w", db.path, err)
	}
	c := &checker{db: db, limit: limit, ids: map[string]bool{}, outbox: map[string]OutboxState{},
		rep: &CheckReport{Path: db.path, FileSize: st.Size(), Counts: map[string]int{}}}
	c.schema()
	c.records()
	for _, step := range c.indexChecks() {
		c.walk(step.bucket, step.fn)
	}
	c.pairs()
	if c.faulted {
		c.problem("bbolt's page check skipped: reading the file faulted")
	} else {
		c.pages()
	}
	return c.rep, nil
}

// checker carries one Check's state.
type checker struct {
	db    *DB
	limit int
	rep   *CheckReport
	// ids are the record ids, outbox the outbox entries' states; each is
	// complete unless its bucket could not be read to the end (then what
	// points into it is not checked: everything would seem dangling).
	ids                    map[string]bool
	outbox                 map[string]OutboxState
	idsPartial, outPartial bool
	// faulted is set when a read faulted (not just a bbolt assertion).
	faulted bool
}

func (c *checker) problem(format string, args ...any) {
	if c.limit > 0 && len(c.rep.Problems) >= c.limit {
		c.rep.Omitted++
		return
	}
	c.rep.Problems = append(c.rep.Problems, fmt.Sprintf(format, args...))
}

// view runs fn in a read transaction under the damage guard, without
// making the damage sticky (the check goes on with the next part). It
// reports whether fn ran to the end.
func (c *checker) view(what string, fn func(tx *bolt.Tx) error) bool {
	err := guard(c.db.path, func() error { return c.db.bolt.View(fn) })
	var d *DamageError
	switch {
	case errors.As(err, &d):
		if strings.HasPrefix(d.Detail, faultDetail) {
			c.faulted = true
		}
		c.problem("%s: %s", what, d.Detail)
	case err != nil:
		c.problem("%s: %v", what, err)
	}
	return err == nil
}

// walk calls fn for every key of a bucket, counting them; it reports
// whether the whole bucket could be read.
func (c *checker) walk(name []byte, fn func(k, v []byte)) bool {
	return c.view("bucket "+string(name), func(tx *bolt.Tx) error {
		b := tx.Bucket(name)
		if b == nil {
			return nil // reported by schema
		}
		return b.ForEach(func(k, v []byte) error {
			c.rep.Counts[string(name)]++
			fn(k, v)
			return nil
		})
	})
}

// schema checks the schema version and that every bucket exists.
func (c *checker) schema() {
	c.view("schema", func(tx *bolt.Tx) error {
		if v := readSchema(tx); v != SchemaVersion {
			c.problem("meta: schema version %d, this liaisond writes %d", v, SchemaVersion)
		}
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				c.problem("bucket %s is missing", b)
			}
		}
		return nil
	})
}

// records decodes every record and checks what it names directly; it
// collects the ids the index checks resolve against.
func (c *checker) records() {
	var raws [][2]string // record id, raw key
	var dups [][2]string // record id, duplicate-of id
	c.idsPartial = !c.walk(bRecords, func(k, v []byte) {
		var r liaison.Record
		if err := json.Unmarshal(v, &r); err != nil {
			c.problem("records/%s: does not decode: %v", k, err)
			return
		}
		if r.ID != string(k) {
			c.problem("records/%s: holds record %q", k, r.ID)
		}
		c.ids[string(k)] = true
		if r.RawKey != "" {
			raws = append(raws, [2]string{r.ID, r.RawKey})
		}
		if r.DuplicateOf != "" {
			dups = append(dups, [2]string{r.ID, r.DuplicateOf})
		}
	})
	c.outPartial = !c.walk(bOutbox, func(k, v []byte) {
		var e OutboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			c.problem("outbox/%s: does not decode: %v", k, err)
			return
		}
		if e.Key != string(k) {
			c.problem("outbox/%s: holds entry %q", k, e.Key)
		}
		c.outbox[string(k)] = e.State
		c.pointsAtRecord("outbox/"+string(k), e.RecordID)
	})
	if c.idsPartial {
		c.problem("records could not all be read: index entries pointing at records are not checked")
	}
	if c.outPartial {
		c.problem("the outbox could not all be read: index entries pointing at outbox entries are not checked")
	}
	for _, d := range dups {
		c.pointsAtRecord("records/"+d[0]+" duplicate_of", d[1])
	}
	if len(raws) == 0 {
		return
	}
	c.view("bucket raw", func(tx *bolt.Tx) error {
		for _, r := range raws {
			if !rawExists(tx, r[1]) {
				c.problem("records/%s: its raw message %q is missing", r[0], r[1])
			}
		}
		return nil
	})
}

// pointsAtRecord reports an index entry whose record does not exist; an
// empty id points nowhere and passes.
func (c *checker) pointsAtRecord(where, id string) {
	if id != "" && !c.idsPartial && !c.ids[id] {
		c.problem("%s: points at record %q, which does not exist", where, id)
	}
}

// indexStep is one bucket's check.
type indexStep struct {
	bucket []byte
	fn     func(k, v []byte)
}

// indexChecks lists the checks of the index buckets: every entry decodes
// and points at something that exists.
func (c *checker) indexChecks() []indexStep {
	at := func(bucket string) func(k, v []byte) {
		return func(k, v []byte) { c.pointsAtRecord(bucket+"/"+string(k), string(v)) }
	}
	keyIsID := func(bucket string) func(k, v []byte) {
		return func(k, _ []byte) { c.pointsAtRecord(bucket+"/"+string(k), string(k)) }
	}
	return []indexStep{
		{bRaw, func(k, v []byte) {}},
		{bRawChunks, c.rawChunk()},
		{bMsgID, at("msgid")},
		{bContent, at("content")},
		{bSearch, keyIsID("search")},
		{bOpenByID, keyIsID("open_by_id")},
		{bDue, func(k, _ []byte) {
			d, err := decodeDueKey(k)
			if err != nil {
				c.problem("due/%x: %v", k, err)
				return
			}
			c.pointsAtRecord(fmt.Sprintf("due/%s %s", d.Kind, d.At.Format("2006-01-02T15:04Z")), d.RecordID)
		}},
		{bEvents, c.eventEntry("events", func(id string) { c.pointsAtRecord("events/"+id, id) })},
		{bRelEvents, c.eventEntry("rel_events", nil)},
		{bGroupIdx, func(k, _ []byte) {
			i := bytes.IndexByte(k, 0)
			if i < 0 || len(k)-i-1 < 9 {
				c.problem("group_idx/%q: malformed key", k)
				return
			}
			c.pointsAtRecord("group_idx/"+string(k[:i]), string(k[i+9:]))
		}},
		{bRelState, func(k, v []byte) {
			var a Appointments
			if err := json.Unmarshal(v, &a); err != nil {
				c.problem("rel_state/%s: does not decode: %v", k, err)
			}
		}},
		{bCheckpoints, func(k, v []byte) {
			var cp Checkpoint
			if err := json.Unmarshal(v, &cp); err != nil {
				c.problem("checkpoints/%s: does not decode: %v", k, err)
			}
		}},
		{bOutboxDue, func(k, _ []byte) {
			if len(k) < 8 {
				c.problem("outbox_due/%x: malformed key", k)
				return
			}
			key := string(k[8:])
			if c.outPartial {
				return
			}
			if st, ok := c.outbox[key]; !ok {
				c.problem("outbox_due/%s: no such outbox entry", key)
			} else if st != OutboxQueued {
				c.problem("outbox_due/%s: the entry is %s, not queued", key, st)
			}
		}},
		{bOutboxFiling, func(k, _ []byte) {
			if len(k) < 8 {
				c.problem("outbox_filing/%x: malformed key", k)
				return
			}
			if _, ok := c.outbox[string(k[8:])]; !ok && !c.outPartial {
				c.problem("outbox_filing/%s: no such outbox entry", k[8:])
			}
		}},
		{bOutboxMID, func(k, v []byte) {
			if _, ok := c.outbox[string(v)]; !ok && !c.outPartial {
				c.problem("outbox_mid/%s: points at outbox entry %q, which does not exist", k, v)
			}
		}},
		{bSchedState, func(k, v []byte) {
			if rcpt, ok := bytes.CutPrefix(k, []byte("digest\x00")); ok {
				var st DigestState
				if err := json.Unmarshal(v, &st); err != nil {
					c.problem("sched_state/digest %s: does not decode: %v", rcpt, err)
				}
			}
		}},
		{bOpenIdx, func(k, _ []byte) {
			i := bytes.LastIndexByte(k, 0)
			if i < 0 {
				c.problem("open_idx/%q: malformed key", k)
				return
			}
			c.pointsAtRecord("open_idx/"+string(k[:i]), string(k[i+1:]))
		}},
		{bRecvIdx, func(k, _ []byte) {
			if len(k) < 9 {
				c.problem("recv_idx/%x: malformed key", k)
				return
			}
			c.pointsAtRecord("recv_idx", string(k[8:]))
		}},
		{bApplied, c.checkApplied},
		{bRefs, func(k, _ []byte) {
			i := bytes.LastIndexByte(k, 0)
			if i < 0 {
				c.problem("refs/%q: malformed key", k)
				return
			}
			c.pointsAtRecord("refs/"+strconv.Quote(string(k[:i])), string(k[i+1:]))
		}},
	}
}

// eventEntry checks one entry of a history bucket (id | 0 | BE sequence
// -> JSON event); owner, when set, checks the id the history belongs to.
func (c *checker) eventEntry(bucket string, owner func(id string)) func(k, v []byte) {
	return func(k, v []byte) {
		i := bytes.IndexByte(k, 0)
		if i < 0 || len(k)-i-1 != 8 {
			c.problem("%s/%x: malformed key", bucket, k)
			return
		}
		var ev liaison.Event
		if err := json.Unmarshal(v, &ev); err != nil {
			c.problem("%s/%s: does not decode: %v", bucket, k[:i], err)
		}
		if owner != nil {
			owner(string(k[:i]))
		}
	}
}

// pairs checks the indexes kept in pairs: due and due_by_id, the queued
// outbox entries and outbox_due.
func (c *checker) pairs() {
	c.view("due index pairs", func(tx *bolt.Tx) error {
		due, byID := tx.Bucket(bDue), tx.Bucket(bDueByID)
		if due == nil || byID == nil {
			return nil
		}
		return byID.ForEach(func(k, v []byte) error {
			c.rep.Counts[string(bDueByID)]++
			if due.Get(v) == nil {
				c.problem("due_by_id/%q: its due entry %x is missing", k, v)
			}
			return nil
		})
	})
	c.view("outbox due pairs", func(tx *bolt.Tx) error {
		if tx.Bucket(bOutbox) == nil || c.outPartial {
			return nil
		}
		queued := map[string]bool{}
		if d := tx.Bucket(bOutboxDue); d != nil {
			_ = d.ForEach(func(k, _ []byte) error {
				if len(k) >= 8 {
					queued[string(k[8:])] = true
				}
				return nil
			})
		}
		for key, st := range c.outbox {
			if st == OutboxQueued && !queued[key] {
				c.problem("outbox/%s: queued but not in outbox_due (it would never be sent)", key)
			}
		}
		return nil
	})
}

// pages runs bbolt's page-level check.
func (c *checker) pages() {
	c.view("pages", func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			c.problem("bbolt: %v", err)
		}
		return nil
	})
	c.rep.PagesChecked = true
}
