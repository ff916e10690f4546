package imapwatch

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"time"

	"github.com/emersion/go-imap/v2"
)

// ProbeReport is what Probe found on the server.
type ProbeReport struct {
	// Capabilities are the server's, after login, sorted.
	Capabilities []string
	// Folders are the watched and destination folders, in the order of
	// the options, then the sent and lease folders, and whether each
	// exists.
	Folders []FolderCheck
	// Claim says where the daemon's claim on the mailbox lives on this
	// server (see Lease): the METADATA entry, or the lease folder.
	Claim string
}

// ProbeFolders are the folders Probe checks besides the watcher's own.
type ProbeFolders struct {
	// Sent receives copies of sent mail ("": none).
	Sent string
	// Lease holds the claim on servers without METADATA.
	Lease string
}

// FolderCheck is one folder the watcher needs.
type FolderCheck struct {
	Name string
	// Role is "watched" or the folder's configuration key
	// ("processed_folder", "failed_folder", "sent_folder", "lease_folder").
	Role    string
	Present bool
}

// Probe connects and logs in as opt says, lists the capabilities, which
// of the folders the daemon needs exist (it creates none: the daemon
// creates them before it first writes into them) and where its claim on
// the mailbox would live, and logs out: `liaisond check --connect`.
// Failures are explained like Run's first start (internal/netdiag).
func Probe(ctx context.Context, opt Options, more ProbeFolders) (ProbeReport, error) {
	opt.Folders = append([]Folder(nil), opt.Folders...)
	if err := opt.validate(); err != nil {
		return ProbeReport{}, err
	}
	w := &Watcher{opt: opt, log: opt.Logger.With(slog.String("component", "imapwatch")), wake: make(chan struct{}, 1), dialTimeout: 30 * time.Second}
	c, err := w.connect(ctx)
	if err != nil {
		return ProbeReport{}, err
	}
	defer w.disconnect(c)
	var r ProbeReport
	for cp := range c.Caps() {
		r.Capabilities = append(r.Capabilities, string(cp))
	}
	sort.Strings(r.Capabilities)
	boxes, err := c.List("", "*", nil).Collect()
	if err != nil {
		return r, fmt.Errorf("imapwatch: list folders at %s: %w", opt.Address, err)
	}
	check := func(name, role string) {
		if name == "" {
			return
		}
		present := slices.ContainsFunc(boxes, func(b *imap.ListData) bool { return sameFolder(b.Mailbox, name) })
		r.Folders = append(r.Folders, FolderCheck{Name: name, Role: role, Present: present})
	}
	for _, f := range opt.Folders {
		check(f.Name, "watched")
	}
	check(opt.ProcessedFolder, "processed_folder")
	check(opt.FailedFolder, "failed_folder")
	check(more.Sent, "sent_folder")
	if caps := c.Caps(); caps.Has(imap.CapMetadata) || caps.Has(imap.CapMetadataServer) {
		r.Claim = "IMAP METADATA entry " + LeaseEntry
	} else if more.Lease != "" {
		r.Claim = fmt.Sprintf("folder %q (the server lacks METADATA)", more.Lease)
		check(more.Lease, "lease_folder")
	}
	return r, nil
}
