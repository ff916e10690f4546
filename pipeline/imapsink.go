package pipeline

import (
	"context"
	"fmt"

	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
)

// IMAPSink lets the IMAP poller feed the pipeline: each batch of fetched
// messages is recorded, with its notices, in the same transaction as the
// folder's new UID checkpoint.
type IMAPSink struct {
	P  *Pipeline
	DB *store.DB
}

var _ imapwatch.Sink = IMAPSink{}

// Checkpoint returns the folder's stored UIDVALIDITY and last UID.
func (s IMAPSink) Checkpoint(folder string) (imapwatch.Checkpoint, error) {
	var cp store.Checkpoint
	err := s.DB.View(func(tx *store.Tx) (err error) {
		cp, err = tx.Checkpoint(folder)
		return err
	})
	return imapwatch.Checkpoint{UIDValidity: cp.UIDValidity, LastUID: cp.LastUID}, err
}

// Deliver records msgs and advances the checkpoint in one transaction.
func (s IMAPSink) Deliver(ctx context.Context, folder imapwatch.Folder, uidValidity uint32, msgs []imapwatch.Message) ([]imapwatch.Outcome, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ins := make([]Input, len(msgs))
	var last uint32
	for i, m := range msgs {
		ins[i] = Input{Raw: m.Raw, Origin: fmt.Sprintf("imap:%s/%d", folder.Name, m.UID), Context: routing.Context{Folder: folder.Name, WGList: folder.WGList}}
		if m.UID > last {
			last = m.UID
		}
	}
	now := s.P.now()
	res, err := s.P.ProcessBatch(ins, func(tx *store.Tx) error {
		cp, err := tx.Checkpoint(folder.Name)
		if err != nil {
			return err
		}
		if cp.UIDValidity != uidValidity || last > cp.LastUID {
			if cp.UIDValidity != uidValidity {
				cp.LastUID = 0
			}
			if last > cp.LastUID {
				cp.LastUID = last
			}
			cp.UIDValidity = uidValidity
		}
		cp.Synced = now
		return tx.SetCheckpoint(folder.Name, cp)
	}, false)
	if err != nil {
		return nil, err
	}
	out := make([]imapwatch.Outcome, len(res))
	for i, r := range res {
		out[i] = imapwatch.Outcome{Understood: r.Understood}
	}
	return out, nil
}
