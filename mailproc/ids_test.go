package mailproc

import (
	"slices"
	"testing"
)

func TestPeerIDs(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"itu ls", "In response to SG15-LS45 on OTN slicing", []string{"SG15-LS45"}},
		{"spaced itu ls once", "SG15-LS45 and again SG15 - LS45 and sg15-ls45", []string{"SG15-LS45"}},
		{"3gpp tdoc", "reply to S2-2701234 on IPv6 multi-homing", []string{"S2-2701234"}},
		{"two kinds", "LS (S2-2701234), see also COM15-LS31", []string{"S2-2701234", "COM15-LS31"}},
		{"none", "Reply to LS on MPLS-TP OAM for 5G fronthaul", nil},
		{"bbf liaison number", "Broadband Forum Reference: LIAISE-439", []string{"LIAISE-439"}},
		{"mef liaison numbers, one as a file name", "our liaisons L00259 and L00260; LS00307_001_MEF Liaison on MEF W64", []string{"L00259", "L00260", "LS00307"}},
		{"itu td with its study group and revision", "in reference to SG15-TD29R1/PLEN Annex I, and TD 412 Rev.2 (PLEN/15)", []string{"SG15-TD29R1/PLEN", "TD412REV.2(PLEN/15)"}},
		{"not a mef number", "L0123456 and LS1234 and BL00259", nil},
		{"itu ls typed with en dashes", "liaison statement COM 16 – LS 124 – E, received in November 2009", []string{"COM16-LS124-E"}},
		{"iso/iec jtc 1 document numbers", "your liaison statement SC 29 N 10775, and JTC 1/SC 6 N 8419", []string{"SC29N10775", "JTC1/SC6N8419"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := PeerIDs(tc.text)
			var norm []string
			for _, id := range got {
				norm = append(norm, NormID(id))
			}
			if !slices.Equal(norm, tc.want) {
				t.Errorf("PeerIDs(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

// TestOwnRefs: a letterhead's own reference, whatever its numbering, and
// not what a "Ref" line says in words or a reference to the letter
// answered.
func TestOwnRefs(t *testing.T) {
	tests := []struct {
		name, head string
		want       []string
	}{
		{"at the right of a title line", "O-RAN ALLIANCE - LIAISON STATEMENT                         Ref: S2022004", []string{"S2022004"}},
		{"a line of its own", "Ref.: LS-2027-031\nDate: 3 May 2027", []string{"LS-2027-031"}},
		{"our reference number", "ETSI TC CYBER\t\tOur ref. no: CYBER(27)000123", nil},
		{"our reference with digits", "Our reference: TC-CYBER-0123", []string{"TC-CYBER-0123"}},
		{"in a table row", "| Ref: BBF-LS-2027-004 | Date: 2027-05-03 |", []string{"BBF-LS-2027-004"}},
		{"your reference names the letter answered", "Your ref: S2022003", nil},
		{"words", "Ref: your liaison of 4 May 2027", nil},
		{"a date", "Ref: 2027-05-04", nil},
		{"inside a sentence", "see the ref: S2022004 above", nil},
		{"a document label", "GSMA - LIAISON STATEMENT\n\nDocument:   TSGIoT07_004", []string{"TSGIoT07_004"}},
		{"an LS number", "LS number: OIF-LS-2027.031", []string{"OIF-LS-2027.031"}},
		{"a document label with words", "Document: draft for comment", nil},
	}
	for _, tc := range tests {
		if got := ownRefs(tc.head); !slices.Equal(got, tc.want) {
			t.Errorf("%s: ownRefs(%q) = %q, want %q", tc.name, tc.head, got, tc.want)
		}
	}
}
