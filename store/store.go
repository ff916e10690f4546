// Package store owns liaisond's embedded bbolt database: statements and other
// received messages, their raw bytes, the Message-ID and content-hash indexes
// that make duplicates one record, the deadline index ordered by time, the
// per-record event history, IMAP UID checkpoints, and the outbox of mail to
// send.
//
// Every change goes through Update with a *Tx, so the pipeline can commit a
// message's raw bytes, its record, its notices and the IMAP checkpoint that
// covers it in one transaction.
package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/ietf-tools/liaisond/liaison"
)

// SchemaVersion is the database layout this code writes. Older databases are
// migrated on open; newer ones are refused.
const SchemaVersion = 2

// initialMmap is the address space mapped for the database at open.
const initialMmap = 1 << 30

// FileName is the database file inside the data directory.
const FileName = "liaisond.db"

// Bucket names. They are part of the on-disk schema.
var (
	bMeta        = []byte("meta")        // schema version, id sequences
	bRecords     = []byte("records")     // id -> JSON liaison.Record
	bRaw         = []byte("raw")         // raw key -> message bytes
	bMsgID       = []byte("msgid")       // Message-ID -> record id
	bContent     = []byte("content")     // content hash -> record id (first seen)
	bDue         = []byte("due")         // BE unix seconds | kind | 0 | id -> nothing
	bDueByID     = []byte("due_by_id")   // id | 0 | kind -> due key
	bEvents      = []byte("events")      // id | 0 | BE seq -> JSON liaison.Event
	bCheckpoints = []byte("checkpoints") // folder -> JSON Checkpoint
	bOutbox      = []byte("outbox")      // key -> JSON OutboxEntry
	bOutboxDue   = []byte("outbox_due")  // BE unix nanos | key -> nothing (queued entries only)
	bOutboxMID   = []byte("outbox_mid")  // Message-ID of a sent mail -> outbox key
	allBuckets   = [][]byte{bMeta, bRecords, bRaw, bMsgID, bContent, bDue, bDueByID, bEvents, bCheckpoints, bOutbox, bOutboxDue, bOutboxMID, bSearch}
	keySchema    = []byte("schema_version")
)

// ErrNotFound is returned when a record, raw message or outbox entry does not
// exist.
var ErrNotFound = errors.New("not found")

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("database is locked by another process")

// Options tune Open.
type Options struct {
	// Timeout is how long to wait for another process's lock (default 2s).
	Timeout time.Duration
	// ReadOnly opens the database for reading only (shared lock).
	ReadOnly bool
}

// DB is an open liaisond database.
type DB struct {
	bolt *bolt.DB
	path string
	// summaries is the in-memory list index (summary.go).
	summaries summaryIndex
	// damage is the first damage found (damage.go); damaged is closed then.
	damage     atomic.Pointer[DamageError]
	damaged    chan struct{}
	damageOnce sync.Once
}

// Open opens (creating if needed) the database in dataDir.
func Open(dataDir string, opt Options) (*DB, error) {
	if !opt.ReadOnly {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create data dir: %w", err)
		}
	}
	return OpenFile(filepath.Join(dataDir, FileName), opt)
}

// OpenFile opens (creating if needed, unless read-only) the database file
// at path: a data dir's FileName, or a backup.
func OpenFile(path string, opt Options) (*DB, error) {
	if opt.Timeout == 0 {
		opt.Timeout = 2 * time.Second
	}
	if opt.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	// A large initial mapping (address space, not memory) spares the
	// remaps that grow the file: at each remap bbolt copies every value the
	// open transaction holds onto the heap, twice the size of a large
	// message. The freelist is read at open (bbolt does so anyway when
	// writing), inside the guard, so no later reader meets it first.
	// bbolt leaves its file open, mapped and locked when it panics in
	// Open: the file is kept here to unlock and close it then (the mapping
	// stays until the process ends; it holds no lock).
	var (
		b    *bolt.DB
		file *os.File
	)
	err := guard(path, func() (err error) {
		b, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly, FreelistType: bolt.FreelistMapType,
			InitialMmapSize: initialMmap, PreLoadFreelist: true,
			OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
				file, err = os.OpenFile(name, flag, perm)
				return file, err
			}})
		return err
	})
	if b == nil && file != nil {
		unlock(file)
		file.Close()
	}
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("store: open %s: %w (is `liaisond run` using this data dir? waited %s)", path, ErrLocked, opt.Timeout)
		}
		if errors.Is(err, ErrDamaged) {
			return nil, err
		}
		if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) || errors.Is(err, berrors.ErrVersionMismatch) {
			return nil, &DamageError{Path: path, Detail: "bbolt: " + err.Error()}
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db := &DB{bolt: b, path: path, damaged: make(chan struct{})}
	if opt.ReadOnly {
		err = db.checkSchema()
	} else {
		err = db.migrate()
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes the database. Once the file was found damaged it waits at
// most damagedCloseWait for bbolt: a transaction that faulted while it
// began (reading a meta page the file no longer holds) can leave bbolt's
// locks held, and its Close would wait for them for ever. The file is then
// released when the process ends, which a daemon does on damage.
func (db *DB) Close() error {
	if db.damage.Load() == nil {
		return db.bolt.Close()
	}
	done := make(chan error, 1)
	go func() { done <- db.bolt.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(damagedCloseWait):
		return fmt.Errorf("%w (not closed: a transaction that met the damage still holds the file's locks)", db.damage.Load())
	}
}

// damagedCloseWait is how long Close waits for bbolt on a damaged file.
const damagedCloseWait = 2 * time.Second

// Bolt exposes the underlying handle for statistics (page counts in
// benchmarks). Do not write through it.
func (db *DB) Bolt() *bolt.DB { return db.bolt }

func readSchema(tx *bolt.Tx) int {
	m := tx.Bucket(bMeta)
	if m == nil {
		return 0
	}
	v := m.Get(keySchema)
	if v == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(v))
	return n
}

func (db *DB) checkSchema() error {
	return db.view(func(tx *bolt.Tx) error {
		v := readSchema(tx)
		if v > SchemaVersion {
			return fmt.Errorf("store: %s has schema version %d, newer than this liaisond understands (%d): upgrade liaisond", db.path, v, SchemaVersion)
		}
		if v < SchemaVersion {
			return fmt.Errorf("store: %s has schema version %d; open it once read-write to migrate to %d", db.path, v, SchemaVersion)
		}
		return nil
	})
}

// migrations[i] upgrades a database from schema i to i+1.
var migrations = []func(tx *bolt.Tx) error{
	// 0 -> 1: a new database: create every bucket.
	func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 1 -> 2: raw messages are written in chunks (raw.go). Nothing to
	// convert: Raw still reads the single values of schema 1, and the new
	// bucket is created with the others below. The version keeps older
	// binaries, which would not find the chunks, from opening the file.
	func(tx *bolt.Tx) error { return nil },
}

func (db *DB) migrate() error {
	return db.update(func(tx *bolt.Tx) error {
		v := readSchema(tx)
		if v > SchemaVersion {
			return fmt.Errorf("store: %s has schema version %d, newer than this liaisond understands (%d): upgrade liaisond", db.path, v, SchemaVersion)
		}
		for ; v < SchemaVersion; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("store: migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		// Buckets added without a schema change are created idempotently.
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
}

// Tx is a database transaction. A Tx from View must not be written to.
type Tx struct {
	tx *bolt.Tx
	db *DB
	// pending are summaries to index once tx commits (summary.go).
	pending []*Summary
	// shared are the records RecordShared decoded in this transaction.
	shared map[string]*liaison.Record
}

// Update runs fn in a read-write transaction, committed when fn returns nil.
// A damaged file makes it return a *DamageError (see Damaged).
func (db *DB) Update(fn func(*Tx) error) error {
	return db.update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx, db: db}) })
}

// View runs fn in a read-only transaction. A damaged file makes it return a
// *DamageError (see Damaged).
func (db *DB) View(fn func(*Tx) error) error {
	return db.view(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx, db: db}) })
}

// update and view are the only ways into bbolt's transactions: each runs
// under the damage guard (damage.go).
func (db *DB) update(fn func(*bolt.Tx) error) error {
	return db.guarded(func() error { return db.bolt.Update(fn) })
}

func (db *DB) view(fn func(*bolt.Tx) error) error {
	return db.guarded(func() error { return db.bolt.View(fn) })
}

// guarded runs fn under the damage guard, unless damage was found before:
// then it returns that damage without touching the file.
func (db *DB) guarded(fn func() error) error {
	if d := db.damage.Load(); d != nil {
		return d
	}
	err := guard(db.path, fn)
	var d *DamageError
	if errors.As(err, &d) {
		db.damageOnce.Do(func() {
			db.damage.Store(d)
			close(db.damaged)
		})
		return db.damage.Load()
	}
	return err
}

// Damaged is closed once a transaction found the file damaged; Damage then
// returns what was found. A daemon selects on it to stop rather than carry
// on over a damaged file.
func (db *DB) Damaged() <-chan struct{} { return db.damaged }

// Damage returns the damage found so far, or nil.
func (db *DB) Damage() error {
	if d := db.damage.Load(); d != nil {
		return d
	}
	return nil
}

func (t *Tx) b(name []byte) *bolt.Bucket { return t.tx.Bucket(name) }

// NextID allocates the next id "PREFIX-YEAR-NNNN" (four digits at least) for
// prefix ("LS" for statements, "MSG" for other mail). Ids are never reused:
// it passes over an id that a record holds or that is reserved (a rebuilt
// database keeps the ids the mailbox names, see ReserveID).
func (t *Tx) NextID(prefix string, year int) (string, error) {
	key := []byte("seq/" + prefix + "/" + strconv.Itoa(year))
	m := t.b(bMeta)
	n := uint64(0)
	if v := m.Get(key); v != nil {
		n = binary.BigEndian.Uint64(v)
	}
	var id string
	for {
		n++
		id = fmt.Sprintf("%s-%d-%04d", prefix, year, n)
		if !t.idTaken(id) {
			break
		}
	}
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], n)
	if err := m.Put(key, buf[:]); err != nil {
		return "", fmt.Errorf("store: allocate id: %w", err)
	}
	return id, nil
}

// PutRecord writes a record and keeps the Message-ID and content-hash indexes
// in step (the first record with a hash keeps it).
func (t *Tx) PutRecord(r *liaison.Record) error {
	if r.ID == "" {
		return errors.New("store: record without id")
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("store: encode record %s: %w", r.ID, err)
	}
	if err := t.b(bRecords).Put([]byte(r.ID), data); err != nil {
		return fmt.Errorf("store: put record %s: %w", r.ID, err)
	}
	delete(t.shared, r.ID)
	if err := t.indexRecord(r); err != nil {
		return err
	}
	if mid := r.Extraction.MessageID; mid != "" {
		if t.b(bMsgID).Get([]byte(mid)) == nil {
			if err := t.b(bMsgID).Put([]byte(mid), []byte(r.ID)); err != nil {
				return err
			}
		}
	}
	if h := r.Extraction.ContentHash; h != "" && r.DuplicateOf == "" {
		if t.b(bContent).Get([]byte(h)) == nil {
			if err := t.b(bContent).Put([]byte(h), []byte(r.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Record reads one record by id.
func (t *Tx) Record(id string) (*liaison.Record, error) {
	v := t.b(bRecords).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("store: record %s: %w", id, ErrNotFound)
	}
	var r liaison.Record
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("store: decode record %s: %w", id, err)
	}
	return &r, nil
}

// maxShared bounds the records RecordShared keeps in one transaction.
const maxShared = 256

// RecordShared is Record for a reader that never changes what it gets:
// within one transaction each record is decoded once and the same value
// is returned to every such reader until PutRecord replaces it (a reader
// that keeps it sees it as it was). Decoding a record (its body included)
// is what reading many records costs; a batch that looks at the same
// recent statements for each new one (coordination) decodes each once.
func (t *Tx) RecordShared(id string) (*liaison.Record, error) {
	if r, ok := t.shared[id]; ok {
		return r, nil
	}
	r, err := t.Record(id)
	if err != nil {
		return nil, err
	}
	if t.shared == nil {
		t.shared = map[string]*liaison.Record{}
	}
	if len(t.shared) >= maxShared {
		clear(t.shared)
	}
	t.shared[id] = r
	return r, nil
}

// Share makes r, as PutRecord last wrote it in this transaction, what
// RecordShared returns for r.ID from now on, so that a record written in
// the transaction is not decoded again to be read. The caller must not
// change r afterwards (a changed copy written with PutRecord replaces it).
func (t *Tx) Share(r *liaison.Record) {
	if r == nil || r.ID == "" {
		return
	}
	if t.shared == nil {
		t.shared = map[string]*liaison.Record{}
	}
	if len(t.shared) >= maxShared {
		clear(t.shared)
	}
	t.shared[r.ID] = r
}

// ForEachRecord calls fn for every record in id order; fn returning an error
// stops the walk and returns it.
func (t *Tx) ForEachRecord(fn func(*liaison.Record) error) error {
	return t.b(bRecords).ForEach(func(k, v []byte) error {
		var r liaison.Record
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("store: decode record %s: %w", k, err)
		}
		return fn(&r)
	})
}

// outboundKey is how an encoded record with an outgoing part begins that
// part: encoding/json writes it so, and the same text inside a string
// value would have its quotes escaped.
var outboundKey = []byte(`"outbound":{`)

// ForEachOutbound calls fn for every record drafted here (one with an
// outgoing part, liaison.Record.Outbound), in id order; fn returning an
// error stops the walk and returns it. Such records are in no index: it
// reads every record, but decodes only those whose encoding has the
// outgoing part, so a walk costs a fraction of ForEachRecord's.
func (t *Tx) ForEachOutbound(fn func(*liaison.Record) error) error {
	return t.b(bRecords).ForEach(func(k, v []byte) error {
		if !bytes.Contains(v, outboundKey) {
			return nil
		}
		var r liaison.Record
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("store: decode record %s: %w", k, err)
		}
		if r.Outbound == nil {
			return nil
		}
		return fn(&r)
	})
}

// CountRecords returns the number of records.
func (t *Tx) CountRecords() int { return t.b(bRecords).Stats().KeyN }

// ByMessageID returns the id of the record first seen with Message-ID mid.
func (t *Tx) ByMessageID(mid string) (string, bool) {
	if mid == "" {
		return "", false
	}
	v := t.b(bMsgID).Get([]byte(mid))
	return string(v), v != nil
}

// IndexMessageID points an additional Message-ID (for example that of a mail
// the daemon sent about a record) at a record, for reply threading.
func (t *Tx) IndexMessageID(mid, id string) error {
	if mid == "" {
		return nil
	}
	if t.b(bMsgID).Get([]byte(mid)) != nil {
		return nil
	}
	return t.b(bMsgID).Put([]byte(mid), []byte(id))
}

// ByContentHash returns the id of the first statement with content hash h.
func (t *Tx) ByContentHash(h string) (string, bool) {
	if h == "" {
		return "", false
	}
	v := t.b(bContent).Get([]byte(h))
	return string(v), v != nil
}

// AddEvent appends an event to a record's history.
func (t *Tx) AddEvent(id string, ev liaison.Event) error {
	return t.addEvent(bEvents, id, ev)
}

// Events returns a record's history, oldest first.
func (t *Tx) Events(id string) ([]liaison.Event, error) {
	return t.events(bEvents, id, 0)
}

// addEvent appends ev to the history of id kept in bucket (a record's,
// or a relationship's): the key is id | 0 | BE sequence.
func (t *Tx) addEvent(bucket []byte, id string, ev liaison.Event) error {
	b := t.b(bucket)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	key := make([]byte, 0, len(id)+9)
	key = append(key, id...)
	key = append(key, 0)
	key = binary.BigEndian.AppendUint64(key, seq)
	return b.Put(key, data)
}

// events returns the history of id kept in bucket, oldest first: all of
// it, or only the last n events when n > 0.
func (t *Tx) events(bucket []byte, id string, n int) ([]liaison.Event, error) {
	var out []liaison.Event
	prefix := append([]byte(id), 0)
	c := t.b(bucket).Cursor()
	decode := func(v []byte) error {
		var ev liaison.Event
		if err := json.Unmarshal(v, &ev); err != nil {
			return fmt.Errorf("store: decode event of %s: %w", id, err)
		}
		out = append(out, ev)
		return nil
	}
	if n <= 0 {
		for k, v := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, v = c.Next() {
			if err := decode(v); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	// The last n: from just past the prefix, backwards.
	k, v := c.Seek(append(append([]byte(id), 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && hasPrefix(k, prefix) && len(out) < n; k, v = c.Prev() {
		if err := decode(v); err != nil {
			return nil, err
		}
	}
	slices.Reverse(out)
	return out, nil
}

func hasPrefix(k, p []byte) bool {
	return len(k) >= len(p) && string(k[:len(p)]) == string(p)
}

// Checkpoint is the IMAP sync state of one folder.
type Checkpoint struct {
	UIDValidity uint32    `json:"uidvalidity"`
	LastUID     uint32    `json:"last_uid"`
	Synced      time.Time `json:"synced"`
}

// Checkpoint reads a folder's checkpoint (zero when never synced).
func (t *Tx) Checkpoint(folder string) (Checkpoint, error) {
	var cp Checkpoint
	v := t.b(bCheckpoints).Get([]byte(folder))
	if v == nil {
		return cp, nil
	}
	if err := json.Unmarshal(v, &cp); err != nil {
		return cp, fmt.Errorf("store: decode checkpoint %q: %w", folder, err)
	}
	return cp, nil
}

// SetCheckpoint writes a folder's checkpoint.
func (t *Tx) SetCheckpoint(folder string, cp Checkpoint) error {
	data, _ := json.Marshal(cp)
	return t.b(bCheckpoints).Put([]byte(folder), data)
}

// Checkpoints returns every folder's checkpoint.
func (t *Tx) Checkpoints() (map[string]Checkpoint, error) {
	out := map[string]Checkpoint{}
	err := t.b(bCheckpoints).ForEach(func(k, v []byte) error {
		var cp Checkpoint
		if err := json.Unmarshal(v, &cp); err != nil {
			return err
		}
		out[string(k)] = cp
		return nil
	})
	return out, err
}
