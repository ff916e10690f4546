package mailproc

import (
	"testing"
)

// TestParseLabelsInDocuments: in a document (strict), a value ends at the
// margin, but an addressee list goes on over paragraphs that name another
// party of the same organization; a numbered heading without a colon opens
// a sheet's section.
func TestParseLabelsInDocuments(t *testing.T) {
	tests := []struct {
		name, text string
		key        key
		want       string
	}{
		{"addressees a paragraph each",
			"To: IETF NETMOD Working Group (chairs)\nIETF Operations and Management Area (ADs)\nIETF Routing Area (ADs)\nSubject: MEF IP services\n",
			keyTo, "IETF NETMOD Working Group (chairs)\nIETF Operations and Management Area (ADs)\nIETF Routing Area (ADs)"},
		{"the next paragraph of another kind ends the list",
			"To: IETF NETMOD Working Group\nDear colleagues,\n",
			keyTo, "IETF NETMOD Working Group"},
		{"another organization's party ends the list",
			"To: IETF NETMOD Working Group\nITU-T SG15\n",
			keyTo, "IETF NETMOD Working Group"},
		{"a title does not go on",
			"Title: IETF YANG module versioning\nIETF NETMOD is asked to comment.\n",
			keyTitle, "IETF YANG module versioning"},
		{"a section heading without a colon",
			"Title: LS on YANG\n\n2. Actions\nNone.\n\n3. Date of next TSG SA WG5 meetings\nSA5#148 17 - 21 April 2023\n",
			keyActions, "None."},
	}
	for _, tt := range tests {
		fs := newFieldSet(parseLabels(tt.text, true))
		if got, _ := fs.get(tt.key); got != tt.want {
			t.Errorf("%s: %s = %q, want %q", tt.name, tt.key, got, tt.want)
		}
	}
}

func TestSectionHeading(t *testing.T) {
	tests := []struct {
		line, want string
		ok         bool
	}{
		{"2. Actions", "Actions", true},
		{"1 Overall description", "Overall description", true},
		{"3. Date of next TSG SA WG5 meetings", "Date of next TSG SA WG5 meetings", true},
		{"2. Title", "", false},                                              // a short field is not a section
		{"Actions", "", false},                                               // not numbered
		{"2. Actions to be taken by the IETF were agreed in May", "", false}, // a sentence
	}
	for _, tt := range tests {
		if got, ok := sectionHeading(tt.line); got != tt.want || ok != tt.ok {
			t.Errorf("sectionHeading(%q) = %q, %v; want %q, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}
