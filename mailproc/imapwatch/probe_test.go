package imapwatch

import (
	"context"
	"slices"
	"testing"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// TestProbeReportsFoldersAndClaim: Probe names every folder the daemon
// writes into, whether it exists, and where the claim on the mailbox lives
// (METADATA when the server has it, the lease folder otherwise), and
// creates nothing.
func TestProbeReportsFoldersAndClaim(t *testing.T) {
	for _, tc := range []struct {
		name      string
		opt       testsvc.DovecotOptions
		claim     string
		leaseRole bool
	}{
		{"metadata", testsvc.DovecotOptions{}, "IMAP METADATA entry " + LeaseEntry, false},
		{"no metadata", testsvc.DovecotOptions{NoMetadata: true}, `folder "liaisond-lease" (the server lacks METADATA)`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := testsvc.StartDovecot(t, tc.opt)
			d.Append(t, "Sent", []byte("From: d@ietf.example\r\nSubject: s\r\n\r\nsent\r\n"))
			opt := baseOptions(t, d)
			opt.ProcessedFolder, opt.FailedFolder = "Processed", "Failed"
			r, err := Probe(context.Background(), opt, ProbeFolders{Sent: "Sent", Lease: "liaisond-lease"})
			if err != nil {
				t.Fatal(err)
			}
			want := []FolderCheck{
				{Name: "INBOX", Role: "watched", Present: true},
				{Name: "Processed", Role: "processed_folder"},
				{Name: "Failed", Role: "failed_folder"},
				{Name: "Sent", Role: "sent_folder", Present: true},
			}
			if tc.leaseRole {
				want = append(want, FolderCheck{Name: "liaisond-lease", Role: "lease_folder"})
			}
			if !slices.Equal(r.Folders, want) {
				t.Errorf("folders %+v, want %+v", r.Folders, want)
			}
			if r.Claim != tc.claim {
				t.Errorf("claim %q, want %q", r.Claim, tc.claim)
			}
			if n := len(d.Messages(t, "Processed")); n != 0 {
				t.Errorf("Probe wrote into Processed (%d messages)", n)
			}
		})
	}
}
