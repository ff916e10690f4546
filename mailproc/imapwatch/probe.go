package imapwatch

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
)

// ProbeReport is what Probe found on the server.
type ProbeReport struct {
	// Capabilities are the server's, after login, sorted.
	Capabilities []string
	// Folders are the watched and destination folders, in the order of
	// the options, and whether each exists.
	Folders []FolderCheck
}

// FolderCheck is one folder the watcher needs.
type FolderCheck struct {
	Name string
	// Role is "watched", "processed_folder" or "failed_folder".
	Role    string
	Present bool
}

// Probe connects and logs in as opt says, lists the capabilities and which
// of the folders the watcher needs exist (it creates none), and logs out:
// `liaisond check --connect`. Failures are explained like Run's first
// start (internal/netdiag).
func Probe(ctx context.Context, opt Options) (ProbeReport, error) {
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
	have := map[string]bool{}
	for _, b := range boxes {
		have[b.Mailbox] = true
		if strings.EqualFold(b.Mailbox, "INBOX") {
			have["INBOX"] = true
		}
	}
	check := func(name, role string) {
		if name == "" {
			return
		}
		present := have[name] || strings.EqualFold(name, "INBOX") && have["INBOX"]
		r.Folders = append(r.Folders, FolderCheck{Name: name, Role: role, Present: present})
	}
	for _, f := range opt.Folders {
		check(f.Name, "watched")
	}
	check(opt.ProcessedFolder, "processed_folder")
	check(opt.FailedFolder, "failed_folder")
	return r, nil
}
