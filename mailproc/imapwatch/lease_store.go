package imapwatch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/textproto"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// leaseStore is where the claim lives on the server (see lease.go).
type leaseStore interface {
	// read returns the current claim (nil: none) and a token naming it
	// for write.
	read(c *imapclient.Client) (*Claim, string, error)
	// write replaces the claim named tok by next, as atomically as the
	// server allows, and reports whether next is now the claim.
	write(c *imapclient.Client, next Claim, tok string) (bool, error)
	// casFree reports that write cannot compare and swap: the writer must
	// read its write back after a settle time (METADATA).
	casFree() bool
	name() string
}

// metadataStore keeps the claim in a private METADATA server entry.
type metadataStore struct{}

func (metadataStore) name() string  { return "metadata" }
func (metadataStore) casFree() bool { return true }

func (metadataStore) read(c *imapclient.Client) (*Claim, string, error) {
	data, err := c.GetMetadata("", []string{LeaseEntry}, nil).Wait()
	if err != nil {
		return nil, "", fmt.Errorf("imapwatch: lease: GETMETADATA %s: %w", LeaseEntry, err)
	}
	v := data.Entries[LeaseEntry]
	if v == nil || len(*v) == 0 {
		return nil, "", nil
	}
	var cl Claim
	if err := json.Unmarshal(*v, &cl); err != nil {
		// A value nobody can read is no claim: it is overwritten.
		return nil, string(*v), nil
	}
	return &cl, string(*v), nil
}

func (metadataStore) write(c *imapclient.Client, next Claim, _ string) (bool, error) {
	v, err := json.Marshal(next)
	if err != nil {
		return false, err
	}
	if err := c.SetMetadata("", map[string]*[]byte{LeaseEntry: &v}).Wait(); err != nil {
		return false, fmt.Errorf("imapwatch: lease: SETMETADATA %s: %w", LeaseEntry, err)
	}
	return true, nil
}

// folderStore keeps the claim as a chain of messages in a private folder
// (see lease.go): each names, in leaseBaseHeader, the UID of the claim it
// replaces.
type folderStore struct {
	folder string
	log    *slog.Logger
	// folders are the folders known to exist on the connection (the
	// Side's): the lease folder is created when missing.
	folders *folderSet
}

// leaseBaseHeader names the UID of the claim a lease message replaces.
const leaseBaseHeader = "X-Liaisond-Lease-Base"

func (s *folderStore) name() string  { return "folder " + s.folder }
func (s *folderStore) casFree() bool { return false }

// leaseMsg is one message of the lease folder.
type leaseMsg struct {
	uid   uint32
	base  uint32
	claim *Claim // nil: not a readable claim
}

// currentClaim walks the chain (msgs in UID order): the first readable
// claim is current, and a later one replaces the current one only if it
// names it as its base.
func currentClaim(msgs []leaseMsg) *leaseMsg {
	var cur *leaseMsg
	for i := range msgs {
		m := &msgs[i]
		if m.claim == nil {
			continue
		}
		if cur == nil || m.base == cur.uid {
			cur = m
		}
	}
	return cur
}

// messages reads every message of the folder, in UID order.
func (s *folderStore) messages(c *imapclient.Client) ([]leaseMsg, error) {
	if err := s.folders.ensure(c, s.folder); err != nil {
		return nil, fmt.Errorf("imapwatch: lease: %w", err)
	}
	sel, err := c.Select(s.folder, nil).Wait()
	if err != nil {
		s.folders.forget(s.folder) // deleted meanwhile? look it up again next time
		return nil, fmt.Errorf("imapwatch: lease: select %q: %w", s.folder, err)
	}
	if sel.NumMessages == 0 {
		return nil, nil
	}
	section := &imap.FetchItemBodySection{Peek: true}
	bufs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}},
		&imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return nil, fmt.Errorf("imapwatch: lease: fetch %q: %w", s.folder, err)
	}
	out := make([]leaseMsg, 0, len(bufs))
	for _, b := range bufs {
		if b.UID == 0 {
			continue
		}
		out = append(out, parseLeaseMsg(uint32(b.UID), b.FindBodySection(section)))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].uid < out[j].uid })
	return out, nil
}

// parseLeaseMsg reads a lease message: the base header and a JSON body.
func parseLeaseMsg(uid uint32, raw []byte) leaseMsg {
	m := leaseMsg{uid: uid}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	h, err := r.ReadMIMEHeader()
	if err != nil {
		return m
	}
	if b, err := strconv.ParseUint(strings.TrimSpace(h.Get(leaseBaseHeader)), 10, 32); err == nil {
		m.base = uint32(b)
	}
	var cl Claim
	if err := json.NewDecoder(r.R).Decode(&cl); err == nil && cl.Session != "" {
		m.claim = &cl
	}
	return m
}

// leaseMessage renders a claim replacing the claim with UID base.
func leaseMessage(next Claim, base uint32) ([]byte, error) {
	body, err := json.Marshal(next)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: liaisond <liaisond@localhost>\r\n")
	fmt.Fprintf(&b, "Subject: liaisond lease: %s\r\n", strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return '?'
		}
		return r
	}, next.String()))
	fmt.Fprintf(&b, "Date: %s\r\n", next.Renewed.UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "%s: %d\r\n", leaseBaseHeader, base)
	b.WriteString("Content-Type: application/json\r\n\r\n")
	b.Write(body)
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

func (s *folderStore) read(c *imapclient.Client) (*Claim, string, error) {
	msgs, err := s.messages(c)
	if err != nil {
		return nil, "", err
	}
	cur := currentClaim(msgs)
	if cur == nil {
		return nil, "0", nil
	}
	return cur.claim, strconv.FormatUint(uint64(cur.uid), 10), nil
}

func (s *folderStore) write(c *imapclient.Client, next Claim, tok string) (bool, error) {
	base, _ := strconv.ParseUint(tok, 10, 32)
	raw, err := leaseMessage(next, uint32(base))
	if err != nil {
		return false, err
	}
	if err := appendMessage(c, s.folders, s.folder, raw, &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}}); err != nil {
		return false, fmt.Errorf("imapwatch: lease: %w", err)
	}
	msgs, err := s.messages(c)
	if err != nil {
		return false, err
	}
	cur := currentClaim(msgs)
	if cur == nil || cur.claim.Nonce != next.Nonce {
		return false, nil
	}
	// The claim is ours: the messages below it are history.
	var old imap.UIDSet
	for _, m := range msgs {
		if m.uid < cur.uid {
			old.AddNum(imap.UID(m.uid))
		}
	}
	if len(old) > 0 {
		if err := s.expunge(c, old); err != nil {
			// The chain reads the same with them: only log it.
			s.log.Warn("cannot expunge old lease messages", "folder", s.folder, "err", err)
		}
	}
	return true, nil
}

func (s *folderStore) expunge(c *imapclient.Client, uids imap.UIDSet) error {
	flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
	if err := c.Store(uids, flags, nil).Close(); err != nil {
		return err
	}
	if c.Caps().Has(imap.CapUIDPlus) {
		return c.UIDExpunge(uids).Close()
	}
	return c.Expunge().Close()
}
