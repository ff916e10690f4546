package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Files are the files people attach to a statement drafted here (package
// actions). They are kept like the raw messages (raw.go), under
// "ID/file/SHA256": the record's id and the file's content hash, so that
// a record lists its files by their attachments' SHA256 and the same file
// attached twice is kept once.

// FileKey is the raw-message key of file sha of record id.
func FileKey(id, sha string) string { return id + "/file/" + sha }

// PutFile keeps data as a file of record id and returns its SHA-256 (hex).
func (t *Tx) PutFile(id string, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	if err := t.PutRaw(FileKey(id, sha), data); err != nil {
		return "", fmt.Errorf("store: file of %s: %w", id, err)
	}
	return sha, nil
}

// File returns a copy of file sha of record id, checked against its hash.
func (t *Tx) File(id, sha string) ([]byte, error) {
	data, err := t.Raw(FileKey(id, sha))
	if err != nil {
		return nil, fmt.Errorf("store: file %s of %s: %w", sha, id, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != sha {
		return nil, fmt.Errorf("store: file %s of %s does not match its SHA-256 (%s)", sha, id, hex.EncodeToString(sum[:]))
	}
	return data, nil
}

// DeleteFile removes file sha of record id (a file taken off a draft).
func (t *Tx) DeleteFile(id, sha string) error {
	if err := t.deleteRaw(FileKey(id, sha)); err != nil {
		return fmt.Errorf("store: delete file %s of %s: %w", sha, id, err)
	}
	return nil
}
