package mailproc

import (
	"regexp"
	"strings"
)

// peerIDREs are the identifier patterns collectIDs uses.
var peerIDREs = []*regexp.Regexp{tdocRE, ituIDRE, ieeeIDRE}

// PeerIDs returns the document identifiers of peer organizations found in
// text (3GPP tdoc numbers such as S2-2701234, ITU-T LS and TD numbers such
// as SG15-LS45 or TD 123 (PLEN/15), IEEE document numbers such as
// 1-27/0012r1), each once, in order of appearance. They are the same
// identifiers Parse puts in Extraction.OtherIDs, so a reply that cites a
// statement's identifier can be matched to it; compare them with NormID.
func PeerIDs(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, re := range peerIDREs {
		for _, id := range re.FindAllString(text, -1) {
			n := NormID(id)
			if !seen[n] {
				seen[n] = true
				out = append(out, oneLine(id))
			}
		}
	}
	return out
}

// NormID is the form identifiers are compared in: upper case, no white
// space ("SG15 - LS 45" and "sg15-LS45" are the same identifier).
func NormID(id string) string { return strings.ToUpper(strings.Join(strings.Fields(id), "")) }
