package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// bApplied is the replay guard of mail commands: statement id | 0 | guard
// key -> JSON AppliedCommand. The guard key (commands.GuardKey) stands for
// one (reply token, normalised command) pair; a pair found here was
// applied before, and a mail carrying it again is a replay.
var bApplied = []byte("applied_commands")

// The bucket is created like every other bucket: idempotently on open (see
// migrate), without a schema change.
func init() { allBuckets = append(allBuckets, bApplied) }

// AppliedCommand records a mail command that was applied.
type AppliedCommand struct {
	// At is when it was applied.
	At time.Time `json:"at"`
	// Mail is the record id of the mail that carried it.
	Mail string `json:"mail"`
	// Command is the command as applied ("delay 2027-05-01 waiting ...").
	Command string `json:"command"`
}

func appliedKey(stmtID, guard string) []byte {
	k := make([]byte, 0, len(stmtID)+1+len(guard))
	k = append(k, stmtID...)
	k = append(k, 0)
	return append(k, guard...)
}

// CommandApplied returns the record of the command that guard stands for
// on statement stmtID, if it was applied.
func (t *Tx) CommandApplied(stmtID, guard string) (AppliedCommand, bool, error) {
	b := t.b(bApplied)
	if b == nil {
		return AppliedCommand{}, false, nil // a database from before the guard, opened read-only
	}
	v := b.Get(appliedKey(stmtID, guard))
	if v == nil {
		return AppliedCommand{}, false, nil
	}
	var a AppliedCommand
	if err := json.Unmarshal(v, &a); err != nil {
		return AppliedCommand{}, false, fmt.Errorf("store: applied command of %s: %w", stmtID, err)
	}
	return a, true, nil
}

// MarkCommandApplied records that the command guard stands for was applied
// to statement stmtID, in the transaction that applies it.
func (t *Tx) MarkCommandApplied(stmtID, guard string, a AppliedCommand) error {
	if stmtID == "" || guard == "" {
		return fmt.Errorf("store: applied command without statement or key")
	}
	b := t.b(bApplied)
	if b == nil {
		return fmt.Errorf("store: the applied-commands bucket is missing (open the database read-write once)")
	}
	v, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := b.Put(appliedKey(stmtID, guard), v); err != nil {
		return fmt.Errorf("store: record applied command of %s: %w", stmtID, err)
	}
	return nil
}

// checkApplied is the consistency check of the bucket: every entry
// decodes and names a statement that exists.
func (c *checker) checkApplied(k, v []byte) {
	i := bytes.IndexByte(k, 0)
	if i <= 0 || i == len(k)-1 {
		c.problem("applied_commands/%q: malformed key", k)
		return
	}
	var a AppliedCommand
	if err := json.Unmarshal(v, &a); err != nil {
		c.problem("applied_commands/%s: does not decode: %v", k[:i], err)
	}
	c.pointsAtRecord("applied_commands/"+string(k[:i]), string(k[:i]))
}
