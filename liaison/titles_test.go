package liaison

import "testing"

func TestNormTitle(t *testing.T) {
	want := "alignment of the otn topology yang model"
	tests := []struct {
		in, want string
	}{
		{"LS on alignment of the OTN topology YANG model", want},
		{"Reply to LS on Alignment of the OTN Topology YANG-model", want},
		{"Re: SG15-LS123: LS on alignment of the OTN topology YANG model (for action)", want},
		{"Reply to ITU-T SG15 LS on \"alignment of the OTN topology YANG model\" (SG15-LS123)", want},
		{"RE: [LS-2026-0001] Reply LS to: LS on alignment of the OTN topology YANG model", want},
		{`New Liaison Statement, "Reply to LS on alignment of the OTN topology YANG model"`, want},
		{"Response to alignment of the OTN topology YANG model", want},
		{"LS from ITU-T SG15 to IETF CCAMP: alignment of the OTN topology YANG model", want},
		{"LS from IETF CCAMP WG to ITU-T SG15 on alignment of the OTN topology YANG model", want},
		{"Management of OTN network slicing", "management of otn network slicing"},
		{"Reply to LS", ""},
		{"LS on OTN", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := NormTitle(tc.in); got != tc.want {
			t.Errorf("NormTitle(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
