package imapwatch

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// TestAppenderFilesSentMail files copies over a Side into a sent folder
// that does not exist yet, then again after the server restarted under the
// Side's connection.
func TestAppenderFilesSentMail(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	side, err := NewSide(baseOptions(t, d))
	if err != nil {
		t.Fatal(err)
	}
	defer side.Close()
	a := &Appender{Side: side, Folder: "Sent"}
	ctx := context.Background()
	sentAt := time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)
	first := []byte("From: d@ietf.example\r\nSubject: one\r\n\r\nfirst\r\n")
	if err := a.File(ctx, first, sentAt); err != nil {
		t.Fatalf("File into a missing folder: %v", err)
	}
	d.Restart(t) // the Side's connection is gone; the next File reconnects
	second := []byte("From: d@ietf.example\r\nSubject: two\r\n\r\nsecond\r\n")
	if err := a.File(ctx, second, sentAt.Add(time.Minute)); err != nil {
		t.Fatalf("File after the server restarted: %v", err)
	}
	got := d.Messages(t, "Sent")
	if len(got) != 2 || !bytes.Equal(got[0], first) || !bytes.Equal(got[1], second) {
		t.Fatalf("Sent holds %q", got)
	}
	c := d.Client(t)
	if _, err := c.Select("Sent", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	bufs, err := c.Fetch(imap.SeqSetNum(1, 2), &imap.FetchOptions{Flags: true, InternalDate: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range bufs {
		if !hasFlag(b.Flags, imap.FlagSeen) {
			t.Errorf("copy %d not \\Seen: %v", i+1, b.Flags)
		}
		if want := sentAt.Add(time.Duration(i) * time.Minute); !b.InternalDate.Equal(want) {
			t.Errorf("copy %d dated %v, want the sending time %v", i+1, b.InternalDate, want)
		}
	}
}

func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}

// TestGateHoldsTheFolders: while the gate refuses (this daemon does not
// hold the mailbox), no message is taken or moved.
func TestGateHoldsTheFolders(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	appendN(t, d, "INBOX", 1, 3, "LS")
	sink := newFakeSink()
	opt := baseOptions(t, d)
	var refuse error = ErrNotHolder
	opt.Gate = func() error { return refuse }
	w := newWatcher(t, opt, sink)
	if err := w.SyncOnce(context.Background()); err == nil || !errors.Is(err, ErrNotHolder) {
		t.Fatalf("SyncOnce without the mailbox = %v, want ErrNotHolder", err)
	}
	if n := sink.count("INBOX"); n != 0 {
		t.Fatalf("%d messages taken without the mailbox", n)
	}
	if got := d.UIDs(t, "INBOX"); len(got) != 3 {
		t.Fatalf("INBOX holds %v, want the 3 messages untouched", got)
	}
	refuse = nil
	if err := w.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := sink.count("INBOX"); n != 3 {
		t.Fatalf("%d messages taken with the mailbox, want 3", n)
	}
}
