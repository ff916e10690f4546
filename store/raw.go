package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Raw messages are stored in chunks of rawChunk bytes, one key per chunk
// (raw key | 0 | BE chunk number), in bRawChunks.
//
// Why: bbolt keeps a value inside its leaf page, and a commit rewrites
// every leaf it touches whole, values included, through a heap buffer. With
// one value per message, a leaf holds up to four messages, so recording a
// 30 MB message also re-read and re-wrote up to three earlier ones (90 MB
// of heap and of mapped file per commit). With chunks, a commit rewrites at
// most a few chunks of the previous message.
//
// Databases written before schema 2 keep their raw messages as single
// values in bRaw; Raw reads either.
const rawChunk = 256 << 10

var bRawChunks = []byte("raw_chunks") // raw key | 0 | BE uint32 chunk -> bytes

func init() {
	allBuckets = append(allBuckets, bRawChunks)
}

func rawChunkKey(key string, n uint32) []byte {
	k := make([]byte, 0, len(key)+5)
	k = append(k, key...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, n)
}

// PutRaw stores raw message bytes under key, replacing any earlier ones.
// raw must not change until the transaction ends (bbolt keeps slices of it
// until the commit).
func (t *Tx) PutRaw(key string, raw []byte) error {
	if err := t.deleteRaw(key); err != nil {
		return err
	}
	b := t.b(bRawChunks)
	for n := uint32(0); ; n++ {
		chunk := raw[:min(len(raw), rawChunk)]
		if err := b.Put(rawChunkKey(key, n), chunk); err != nil {
			return fmt.Errorf("store: put raw %s: %w", key, err)
		}
		raw = raw[len(chunk):]
		if len(raw) == 0 {
			return nil
		}
	}
}

// deleteRaw removes the raw message stored under key, in either layout.
func (t *Tx) deleteRaw(key string) error {
	if err := t.b(bRaw).Delete([]byte(key)); err != nil {
		return fmt.Errorf("store: delete raw %s: %w", key, err)
	}
	prefix := append([]byte(key), 0)
	b := t.b(bRawChunks)
	var stale [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		stale = append(stale, bytes.Clone(k))
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("store: delete raw %s: %w", key, err)
		}
	}
	return nil
}

// Raw returns a copy of the raw message stored under key.
func (t *Tx) Raw(key string) ([]byte, error) {
	if v := t.b(bRaw).Get([]byte(key)); v != nil {
		return bytes.Clone(v), nil
	}
	prefix := append([]byte(key), 0)
	var parts [][]byte
	size := 0
	c := t.b(bRawChunks).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		parts = append(parts, v)
		size += len(v)
	}
	if parts == nil {
		return nil, fmt.Errorf("store: raw message %s: %w", key, ErrNotFound)
	}
	out := make([]byte, 0, size)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}

// rawExists reports whether a raw message is stored under key, in either
// layout (for Check).
func rawExists(tx *bolt.Tx, key string) bool {
	if b := tx.Bucket(bRaw); b != nil && b.Get([]byte(key)) != nil {
		return true
	}
	b := tx.Bucket(bRawChunks)
	return b != nil && b.Get(rawChunkKey(key, 0)) != nil
}

// rawChunk returns Check's step for the chunk bucket: keys are well formed
// and each message's chunks are numbered from 0 without a gap. Each
// message counts once under "raw" (with the schema-1 single values).
func (c *checker) rawChunk() func(k, v []byte) {
	var prev []byte
	var prevN uint32
	return func(k, _ []byte) {
		i := bytes.IndexByte(k, 0)
		if i < 0 || len(k)-i-1 != 4 {
			c.problem("raw_chunks/%x: malformed key", k)
			return
		}
		key, n := k[:i], binary.BigEndian.Uint32(k[i+1:])
		switch {
		case n == 0:
			c.rep.Counts["raw"]++
		case !bytes.Equal(key, prev) || n != prevN+1:
			c.problem("raw_chunks/%s: chunk %d follows no chunk %d: part of the message is missing", key, n, n-1)
		}
		prev, prevN = append(prev[:0], key...), n
	}
}
