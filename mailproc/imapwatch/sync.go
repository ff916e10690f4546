package imapwatch

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sort"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// syncAll syncs every folder, the first one last so that it stays
// selected for IDLE.
func (w *Watcher) syncAll(ctx context.Context, c *imapclient.Client) error {
	fs := w.opt.Folders
	for _, f := range append(append([]Folder(nil), fs[1:]...), fs[0]) {
		if err := w.syncFolder(ctx, c, f); err != nil {
			return err
		}
	}
	return nil
}

// syncFolder selects f and delivers every message above the checkpoint,
// batch by batch, disposing of each batch only after the sink committed it.
func (w *Watcher) syncFolder(ctx context.Context, c *imapclient.Client, f Folder) (err error) {
	log := w.log.With(slog.String("folder", f.Name))
	defer func() {
		if err != nil {
			w.update(f.Name, func(s *FolderStatus) { s.Errors++; s.LastError = err.Error() })
		}
	}()
	if err := ctx.Err(); err != nil {
		return err
	}
	sel, err := c.Select(f.Name, nil).Wait()
	if err != nil {
		return fmt.Errorf("imapwatch: select %q: %w", f.Name, err)
	}
	cp, err := w.sink.Checkpoint(f.Name)
	if err != nil {
		return fmt.Errorf("imapwatch: read checkpoint of %q: %w", f.Name, err)
	}
	last := cp.LastUID
	if cp.UIDValidity != sel.UIDValidity {
		if cp.UIDValidity != 0 {
			log.Warn("UIDVALIDITY changed; rescanning the folder from UID 1",
				slog.Uint64("old_uidvalidity", uint64(cp.UIDValidity)),
				slog.Uint64("uidvalidity", uint64(sel.UIDValidity)))
		}
		last = 0
	}
	w.update(f.Name, func(s *FolderStatus) { s.UIDValidity, s.LastUID = sel.UIDValidity, last })

	moveMode := w.opt.ProcessedFolder != ""
	var fresh, leftover []imap.UID
	switch {
	case sel.NumMessages == 0:
	case !moveMode && sel.UIDNext != 0 && uint32(sel.UIDNext) <= last+1:
		// Nothing above the checkpoint.
	default:
		crit := &imap.SearchCriteria{}
		if !moveMode {
			crit.UID = []imap.UIDSet{{imap.UIDRange{Start: imap.UID(last + 1), Stop: 0}}}
		}
		var sopt *imap.SearchOptions
		if c.Caps().Has(imap.CapESearch) {
			sopt = &imap.SearchOptions{ReturnAll: true}
		}
		data, err := c.UIDSearch(crit, sopt).Wait()
		if err != nil {
			return fmt.Errorf("imapwatch: search %q above UID %d: %w", f.Name, last, err)
		}
		for _, u := range data.AllUIDs() {
			if uint32(u) > last {
				fresh = append(fresh, u)
			} else {
				leftover = append(leftover, u)
			}
		}
	}
	if len(leftover) > 0 {
		if err := w.gate(); err != nil {
			return err
		}
		// Committed earlier but the MOVE did not happen (connection lost
		// right after the commit): finish the job, do not deliver again.
		log.Warn("moving committed messages left in the folder",
			slog.Int("count", len(leftover)), slog.String("to", w.opt.ProcessedFolder))
		if err := w.move(c, imap.UIDSetNum(leftover...), w.opt.ProcessedFolder); err != nil {
			return err
		}
	}
	sort.Slice(fresh, func(i, j int) bool { return fresh[i] < fresh[j] })
	if len(fresh) > 0 {
		sizes, err := w.sizes(c, f, fresh)
		if err != nil {
			return err
		}
		batches := planBatches(sizes, w.opt.BatchSize, w.opt.BatchBytes)
		var pre *ahead // the batch fetched ahead, if any
		for k, b := range batches {
			if err := ctx.Err(); err != nil {
				w.drop(f, sel.UIDValidity, pre, log)
				return err
			}
			if err := w.gate(); err != nil {
				w.drop(f, sel.UIDValidity, pre, log)
				return err
			}
			var next []sized
			if k+1 < len(batches) {
				next = batches[k+1]
			}
			if pre, err = w.take(ctx, c, f, sel.UIDValidity, b, pre, next, log); err != nil {
				return err
			}
		}
		// None: the last batch has no next, and is disposed of in hand.
		if err := w.settle(f, sel.UIDValidity, pre, log); err != nil {
			return err
		}
	}
	w.update(f.Name, func(s *FolderStatus) { s.LastSync = w.opt.Now() })
	return nil
}

// gate asks Options.Gate, if set.
func (w *Watcher) gate() error {
	if w.opt.Gate == nil {
		return nil
	}
	if err := w.opt.Gate(); err != nil {
		return fmt.Errorf("imapwatch: not processing: %w", err)
	}
	return nil
}

// sizes reads the RFC822.SIZE of uids (in order), to plan batches by
// bytes before fetching any body. A message expunged meanwhile is left out.
func (w *Watcher) sizes(c *imapclient.Client, f Folder, uids []imap.UID) ([]sized, error) {
	bufs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, fmt.Errorf("imapwatch: fetch the sizes of %d messages of %q: %w", len(uids), f.Name, err)
	}
	out := make([]sized, 0, len(bufs))
	for _, b := range bufs {
		if b.UID != 0 {
			out = append(out, sized{uid: b.UID, size: b.RFC822Size})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].uid < out[j].uid })
	return out, nil
}

// deliver fetches uids (unless pre fetched them ahead), has the sink
// commit them and, after the commit, disposes of them. committed says
// whether the sink committed; an error after the commit is one of
// disposing. While the sink commits, next, the batch that follows, may be
// fetched and prepared ahead (lookAhead); deliver then returns it, and
// disposes of the messages in hand in the background, on the connection,
// while the caller delivers that batch (its delivery waits for it: see
// ahead). Otherwise it disposes of them before returning, and drops
// anything fetched ahead when it fails.
func (w *Watcher) deliver(ctx context.Context, c *imapclient.Client, f Folder, uidValidity uint32, uids []imap.UID, pre *ahead, next []sized, log *slog.Logger) (committed bool, a *ahead, err error) {
	var msgs []Message
	if pre != nil {
		msgs = pre.msgs
	} else if msgs, err = w.fetch(c, f, uidValidity, uids); err != nil {
		return false, nil, err
	}
	if len(msgs) == 0 {
		return false, nil, w.settle(f, uidValidity, pre, log) // expunged by someone else meanwhile
	}
	first, lastUID := msgs[0].UID, msgs[len(msgs)-1].UID
	a = w.lookAhead(c, f, uidValidity, msgs, next, pre, log)
	outs, err := w.sink.Deliver(context.WithoutCancel(ctx), f, uidValidity, msgs)
	// The connection is free again once the batch before is disposed of
	// and the next one fetched.
	a.connectionFree()
	disposing := pre.disposal()
	if err != nil {
		w.drop(f, uidValidity, a, log)
		if disposing != nil {
			log.Warn("disposing of the batch before failed too; it is moved at the next sync", slog.Any("err", disposing))
		}
		return false, nil, &sinkError{fmt.Errorf("imapwatch: deliver %d messages (UIDs %d-%d) of %q: %w", len(msgs), first, lastUID, f.Name, err)}
	}
	if disposing != nil {
		w.drop(f, uidValidity, a, log)
		return true, nil, disposing
	}
	if len(outs) != len(msgs) {
		w.drop(f, uidValidity, a, log)
		return true, nil, fmt.Errorf("imapwatch: sink returned %d outcomes for %d messages of %q", len(outs), len(msgs), f.Name)
	}
	w.update(f.Name, func(s *FolderStatus) {
		s.LastUID = max(s.LastUID, lastUID)
		s.Delivered += uint64(len(msgs))
	})
	log.Info("batch committed", slog.Int("count", len(msgs)),
		slog.Uint64("first_uid", uint64(first)), slog.Uint64("uid", uint64(lastUID)))
	if a == nil {
		return true, nil, w.dispose(c, f, msgs, outs, log)
	}
	a.disposed = make(chan struct{})
	go func() {
		defer close(a.disposed)
		a.disposeErr = w.dispose(c, f, msgs, outs, log)
	}()
	return true, a, nil
}

// dispose flags and moves committed messages: understood ones to
// ProcessedFolder, the others to FailedFolder.
func (w *Watcher) dispose(c *imapclient.Client, f Folder, msgs []Message, outs []Outcome, log *slog.Logger) error {
	var all, ok, failed imap.UIDSet
	for i, m := range msgs {
		all.AddNum(imap.UID(m.UID))
		if outs[i].Understood || w.opt.FailedFolder == "" {
			ok.AddNum(imap.UID(m.UID))
		} else {
			failed.AddNum(imap.UID(m.UID))
			log.Warn("message not understood; moving to the failed folder",
				slog.Uint64("uid", uint64(m.UID)), slog.String("to", w.opt.FailedFolder))
		}
	}
	if w.opt.MarkSeen {
		flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}
		if err := c.Store(all, flags, nil).Close(); err != nil {
			return fmt.Errorf("imapwatch: flag %d committed messages \\Seen in %q: %w", len(msgs), f.Name, err)
		}
	}
	if len(failed) > 0 {
		if err := w.move(c, failed, w.opt.FailedFolder); err != nil {
			return err
		}
	}
	if w.opt.ProcessedFolder != "" && len(ok) > 0 {
		if err := w.move(c, ok, w.opt.ProcessedFolder); err != nil {
			return err
		}
	}
	return nil
}

// move moves uids of the selected folder to dest (MOVE, or COPY + STORE
// \Deleted + EXPUNGE when the server lacks MOVE; UID EXPUNGE with UIDPLUS),
// creating dest again if it was deleted since the session began.
func (w *Watcher) move(c *imapclient.Client, uids imap.UIDSet, dest string) error {
	err := withFolder(c, &w.folders, dest, func() error {
		_, err := c.Move(uids, dest).Wait()
		return err
	})
	if err != nil {
		return fmt.Errorf("imapwatch: move UIDs %v to %q: %w", uids, dest, err)
	}
	return nil
}

// fetch reads the raw bytes and internal date of uids in one UID FETCH,
// streaming each message (never collecting the folder).
func (w *Watcher) fetch(c *imapclient.Client, f Folder, uidValidity uint32, uids []imap.UID) ([]Message, error) {
	cmd := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID:          true,
		InternalDate: true,
		BodySection:  []*imap.FetchItemBodySection{{Peek: true}},
	})
	msgs := make([]Message, 0, len(uids))
	for {
		md := cmd.Next()
		if md == nil {
			break
		}
		m := Message{Folder: f, UIDValidity: uidValidity}
		for {
			item := md.Next()
			if item == nil {
				break
			}
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				m.UID = uint32(it.UID)
			case imapclient.FetchItemDataInternalDate:
				m.InternalDate = it.Time
			case imapclient.FetchItemDataBodySection:
				if it.Literal == nil {
					continue
				}
				var buf bytes.Buffer
				buf.Grow(int(it.Literal.Size()))
				if _, err := buf.ReadFrom(it.Literal); err != nil {
					_ = cmd.Close()
					return nil, fmt.Errorf("imapwatch: read body of UID %d in %q: %w", m.UID, f.Name, err)
				}
				m.Raw = buf.Bytes()
			}
		}
		if m.UID == 0 {
			continue
		}
		if m.Raw == nil {
			_ = cmd.Close()
			return nil, &noBodyError{uid: m.UID, folder: f.Name}
		}
		msgs = append(msgs, m)
	}
	if err := cmd.Close(); err != nil {
		return nil, fmt.Errorf("imapwatch: fetch %d messages of %q: %w", len(uids), f.Name, err)
	}
	sort.Slice(msgs, func(i, j int) bool { return msgs[i].UID < msgs[j].UID })
	return msgs, nil
}
