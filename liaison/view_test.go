package liaison

import "testing"

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"ITU-T SG15":                   "itu t sg 15",
		"  ISO/IEC JTC1/SC6 ":          "iso iec jtc 1 sc 6",
		"IEEE 802.1Q":                  "ieee 802 1 q",
		"3GPP TSG-SA WG2":              "3 gpp tsg sa wg 2",
		"":                             "",
		"Étude—Groupe_15":              "étude groupe 15",
		"Operations & Management Area": "operations and management area",
		"R&D":                          "r and d",
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedundantGroup(t *testing.T) {
	cases := []struct {
		group string
		names []string
		want  bool
	}{
		{"SG-15", []string{"ITU-T Study Group 15", "ITU-T-SG-15"}, true},
		{"TC CYBER", []string{"ETSI TC CYBER"}, true},
		{"Q11/15", []string{"ITU-T Study Group 15", "ITU-T SG15"}, false},
		{"SA2", []string{"3GPP TSG SA WG2"}, false},
		{"SG1", []string{"ITU-T SG15"}, false}, // word-bounded
		{"SG13", []string{"ITU-T Study Group 13"}, true},
		{"Study Group 13", []string{"ITU-T SG13"}, true},
		{"WG 2", []string{"3GPP TSG SA Working Group 2"}, true},
		{"TC LI", []string{"ETSI Technical Committee Lawful Interception"}, false},
		{"", []string{"anything"}, false},
	}
	for _, c := range cases {
		if got := RedundantGroup(c.group, c.names...); got != c.want {
			t.Errorf("RedundantGroup(%q, %q) = %v, want %v", c.group, c.names, got, c.want)
		}
	}
}
