package imapwatch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// TestAppenderFilesSentMail files two copies over one Side into a sent
// folder that does not exist yet, with something happening between them:
// the server restarts under the Side's connection, or somebody deletes the
// folder. Copies larger than 4096 bytes go as synchronizing literals, which
// the server refuses before their bytes when the folder is missing; the
// client then drops the connection, so the folder must exist before the
// APPEND is sent.
func TestAppenderFilesSentMail(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	deleteFolder := func(t *testing.T, folder string) {
		c := d.Client(t)
		defer c.Close()
		if err := c.Delete(folder).Wait(); err != nil {
			t.Fatalf("delete %q: %v", folder, err)
		}
	}
	for _, tc := range []struct {
		name    string
		folder  string
		size    int // of each copy, in bytes
		between func(t *testing.T, folder string)
		// keepsFirst: the first copy is still there after between.
		keepsFirst bool
	}{
		{"small, server restarts", "Sent", 300, func(t *testing.T, _ string) { d.Restart(t) }, true},
		{"64 KB into a missing folder", "Sent-large", 64 << 10, func(*testing.T, string) {}, true},
		{"64 KB, server restarts", "Sent-large-restart", 64 << 10, func(t *testing.T, _ string) { d.Restart(t) }, true},
		{"small, folder deleted meanwhile", "Sent-deleted", 300, deleteFolder, false},
		{"64 KB, folder deleted meanwhile", "Sent-large-deleted", 64 << 10, deleteFolder, false},
		{"64 KB into a missing subfolder", "Archive/Sent", 64 << 10, func(*testing.T, string) {}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			side, err := NewSide(baseOptions(t, d))
			if err != nil {
				t.Fatal(err)
			}
			defer side.Close()
			a := &Appender{Side: side, Folder: tc.folder}
			ctx := context.Background()
			sentAt := time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)
			first := sentMail(t, "one", tc.size)
			if err := a.File(ctx, first, sentAt); err != nil {
				t.Fatalf("File into a missing folder: %v", err)
			}
			tc.between(t, tc.folder)
			second := sentMail(t, "two", tc.size)
			if err := a.File(ctx, second, sentAt.Add(time.Minute)); err != nil {
				t.Fatalf("second File: %v", err)
			}
			want := [][]byte{first, second}
			dates := []time.Time{sentAt, sentAt.Add(time.Minute)}
			if !tc.keepsFirst {
				want, dates = want[1:], dates[1:]
			}
			got := d.Messages(t, tc.folder)
			if len(got) != len(want) {
				t.Fatalf("%s holds %d copies, want %d", tc.folder, len(got), len(want))
			}
			for i := range want {
				if !bytes.Equal(got[i], want[i]) {
					t.Fatalf("copy %d differs from the mail filed (%d bytes, want %d)", i+1, len(got[i]), len(want[i]))
				}
			}
			c := d.Client(t)
			defer c.Close()
			if _, err := c.Select(tc.folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
				t.Fatal(err)
			}
			bufs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{Flags: true, InternalDate: true}).Collect()
			if err != nil {
				t.Fatal(err)
			}
			if len(bufs) != len(dates) {
				t.Fatalf("fetched %d copies, want %d", len(bufs), len(dates))
			}
			for i, b := range bufs {
				if !hasFlag(b.Flags, imap.FlagSeen) {
					t.Errorf("copy %d not \\Seen: %v", i+1, b.Flags)
				}
				if !b.InternalDate.Equal(dates[i]) {
					t.Errorf("copy %d dated %v, want the sending time %v", i+1, b.InternalDate, dates[i])
				}
			}
		})
	}
}

// sentMail is a plain-text mail of exactly size bytes (at least its
// header's), like a notice the daemon sends.
func sentMail(t *testing.T, subject string, size int) []byte {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Liaison Manager <liaisond@ietf.example>\r\nTo: wg-chairs@ietf.example\r\n"+
		"Subject: %s\r\nMessage-ID: <%s@liaisond.ietf.example>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\n", subject, subject)
	line := "A liaison statement was received and routed to your working group.\r\n"
	for b.Len()+len(line) <= size {
		b.WriteString(line)
	}
	if b.Len() > size {
		t.Fatalf("a %d-byte mail cannot hold its header (%d bytes)", size, b.Len())
	}
	b.WriteString(strings.Repeat(".", size-b.Len()))
	return b.Bytes()
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
