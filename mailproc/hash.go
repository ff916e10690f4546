package mailproc

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// ContentHash identifies a statement's content independently of who sent or
// forwarded it and under which Message-ID: sha256 over the normalised title
// and the sorted sha256 of its attachments, plus its normalised body when it
// has no attachments (forward header blocks, quote markers, whitespace and
// case removed). It is "" for messages that are not statements.
func ContentHash(x *liaison.Extraction) string {
	if x == nil || x.Kind != liaison.KindStatement {
		return ""
	}
	h := sha256.New()
	h.Write([]byte("liaisond-content-v1\n"))
	h.Write([]byte(normForHash(x.Title)))
	h.Write([]byte{'\n'})
	var sums []string
	for _, a := range x.Attachments {
		if strings.HasPrefix(a.ContentType, "image/") && a.Size < 64<<10 {
			continue // signature logos differ between forwarders
		}
		sums = append(sums, a.SHA256)
	}
	sort.Strings(sums)
	for _, s := range sums {
		h.Write([]byte(s))
		h.Write([]byte{'\n'})
	}
	if len(sums) == 0 {
		h.Write([]byte(normForHash(x.Body)))
	}
	return hex.EncodeToString(h.Sum(nil))
}
