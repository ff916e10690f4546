package mailproc

import (
	"slices"
	"testing"
)

// TestSplitParties: addressees split at commas, semicolons and lines,
// but a line of a comma list that wraps goes on.
func TestSplitParties(t *testing.T) {
	tests := []struct {
		name, val string
		want      []string
	}{
		{"commas", "IETF OPSAWG, IETF NETMOD; ITU-T SG15", []string{"IETF OPSAWG", "IETF NETMOD", "ITU-T SG15"}},
		{"one a line", "IETF OPSAWG\nIETF NETMOD", []string{"IETF OPSAWG", "IETF NETMOD"}},
		{"parentheses keep their commas", "IETF CCAMP (Daniele, Fatai), IETF TEAS", []string{"IETF CCAMP (Daniele, Fatai)", "IETF TEAS"}},
		{"a comma list wrapped", "Area Directors of the Applications Area, the Routing Area, the\nSecurity Area, the Temporary Sub-IP\nArea",
			[]string{"Area Directors of the Applications Area", "the Routing Area", "the Security Area", "the Temporary Sub-IP Area"}},
		{"a new line starting with an organization is a new party", "IETF OPSAWG\nIETF NETMOD, IETF TEAS", []string{"IETF OPSAWG", "IETF NETMOD", "IETF TEAS"}},
		{"none", "-", nil},
	}
	for _, tt := range tests {
		if got := splitParties(tt.val); !slices.Equal(got, tt.want) {
			t.Errorf("%s: splitParties(%q) = %q, want %q", tt.name, tt.val, got, tt.want)
		}
	}
}
