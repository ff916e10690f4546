package routing

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

func exampleRouter(tb testing.TB) *Router {
	tb.Helper()
	cfg, err := config.Load(filepath.Join("..", "examples", "liaisond.yaml"))
	if err != nil {
		tb.Fatalf("load example: %v", err)
	}
	r, err := New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return r
}

func to(addrs ...string) []liaison.Contact {
	out := make([]liaison.Contact, len(addrs))
	for i, a := range addrs {
		out[i] = liaison.Contact{Email: a}
	}
	return out
}

const (
	liaisonAddr = "statements@ietf.example"
	iab         = "liaison-coordination@iab.example"
)

func TestRoute(t *testing.T) {
	r := exampleRouter(t)
	type want struct {
		org        string
		groups     []string
		managers   []string
		noManager  bool
		escalation string // "" = no escalation
		misdir     string // "" = not misdirected
		wrong      []string
		codes      []string
		detail     string // a substring of some reason's detail
	}
	tests := []struct {
		name string
		x    liaison.Extraction
		in   Context
		want want
	}{
		{
			name: "ITU-T SG15 optical statement to CCAMP",
			x: liaison.Extraction{FromOrgText: "ITU-T Study Group 15", Title: "LS on OTN beyond 100G",
				ToText: []string{"IETF CCAMP WG"}, From: liaison.Contact{Email: "tsbsg15@itu.int"}, HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"alias", "to", "route"}, detail: `"ITU-T Study Group 15" in from "ITU-T Study Group 15" → itu-t-sg15`},
		},
		{
			name: "ITU-T SG15 is not SG13 even when SG13 is mentioned",
			x: liaison.Extraction{FromOrgText: "ITU-T SG15", FromGroup: "Q12/15", Title: "Reply to ITU-T SG13 on network slicing",
				HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp", "teas"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"alias", "route"}, detail: ": from itu-t-sg15) → ccamp, teas"},
		},
		{
			name: "longest name wins: SG13 text naming SG15 in a shorter form",
			x: liaison.Extraction{FromOrgText: "ITU-T Study Group 13 (copy to SG15)", Title: "LS on IMT-2020 transport",
				HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg13", groups: []string{"teas"}, managers: []string{"marco.rossi@example.org"},
				codes: []string{"alias", "route"}},
		},
		{
			name: "SG150 is not SG15",
			x:    liaison.Extraction{FromOrgText: "SG150", From: liaison.Contact{Email: "someone@example.com"}, HeaderTo: to(liaisonAddr)},
			want: want{managers: []string{iab}, escalation: "unknown_org", codes: []string{"no_route", "unknown_org"}},
		},
		{
			name: "3GPP TSG SA WG2 is SA2, not SA3",
			x: liaison.Extraction{FromOrgText: "3GPP TSG SA WG2", Title: "LS on QoS for XR traffic", From: liaison.Contact{Email: "mcc@3gpp.org"},
				HeaderTo: to(liaisonAddr)},
			want: want{org: "3gpp-sa2", groups: []string{"dmm", "tsvwg"}, managers: []string{"li.wei@example.org"},
				codes: []string{"alias", "route", "route"}},
		},
		{
			name: "3GPP split over organization and group",
			x:    liaison.Extraction{FromOrgText: "3GPP", FromGroup: "SA3", Title: "LS on certificate profiles", HeaderTo: to(liaisonAddr)},
			want: want{org: "3gpp-sa3", groups: []string{"lamps"}, managers: []string{"sofia.lindqvist@example.org"},
				codes: []string{"alias", "route"}, detail: `"3GPP SA3" in from "3GPP SA3" → 3gpp-sa3`},
		},
		{
			name: "CT4 routes to DMM through a multi-organization rule",
			x:    liaison.Extraction{FromOrgText: "CT WG4", HeaderTo: to(liaisonAddr)},
			want: want{org: "3gpp-ct4", groups: []string{"dmm"}, managers: []string{"li.wei@example.org"}, codes: []string{"alias", "route"}},
		},
		{
			name: "unique domain, subdomain included",
			x: liaison.Extraction{Title: "Liaison on SD-WAN service attributes", From: liaison.Contact{Email: "liaison@lists.mef.net"},
				HeaderTo: to(liaisonAddr)},
			want: want{org: "mef", groups: []string{"opsawg"}, managers: []string{"chris.novak@example.org"},
				codes: []string{"domain", "route"}, detail: "mail domain mef.net → mef"},
		},
		{
			name: "shared domain resolved by the subject within its owners",
			x: liaison.Extraction{Title: "LS on MPLS-TP OAM", Subject: "LS from SG15", From: liaison.Contact{Email: "tsbsg15@itu.int"},
				HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg15", groups: []string{"mpls"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"ambiguous_domain", "alias", "route"}, detail: "(one of the organizations sharing itu.int)"},
		},
		{
			name: "shared domain alone is not enough",
			x:    liaison.Extraction{Title: "New work item", From: liaison.Contact{Email: "tsb@itu.int"}, HeaderTo: to(liaisonAddr)},
			want: want{managers: []string{iab}, escalation: "unknown_org", codes: []string{"ambiguous_domain", "no_route", "unknown_org"},
				detail: "mail domain itu.int is shared by itu-t-sg15, itu-t-sg13, itu-t-sg17: the domain alone cannot tell which"},
		},
		{
			name: "a title naming another domain's organization is ignored",
			x:    liaison.Extraction{Title: "Reply to 3GPP SA2 LS", From: liaison.Contact{Email: "tsb@itu.int"}, HeaderTo: to(liaisonAddr)},
			want: want{managers: []string{iab}, escalation: "unknown_org", codes: []string{"ambiguous_domain", "no_route", "unknown_org"}},
		},
		{
			name: "IEEE 802.1 TSN is not 802.11",
			x:    liaison.Extraction{FromOrgText: "IEEE 802.1 Working Group", Title: "TSN profiles for service provider networks", HeaderTo: to(liaisonAddr)},
			want: want{org: "ieee-802-1", groups: []string{"detnet"}, managers: []string{"pat.murphy@example.org"}, codes: []string{"alias", "route"}},
		},
		{
			name: "IEEE 802.11 IPv6",
			x:    liaison.Extraction{FromOrgText: "IEEE 802.11 WG", Title: "MAC address randomization and IPv6", HeaderTo: to(liaisonAddr)},
			want: want{org: "ieee-802-11", groups: []string{"6man"}, managers: []string{"dana.cohen@example.org"}, codes: []string{"alias", "route"}},
		},
		{
			name: "continue: BBF YANG goes to NETMOD and OPSAWG",
			x:    liaison.Extraction{FromOrgText: "Broadband Forum", Title: "LS on YANG modules for access networks", HeaderTo: to(liaisonAddr)},
			want: want{org: "bbf", groups: []string{"netmod", "opsawg"}, managers: []string{"olu.adeyemi@example.org"},
				codes: []string{"alias", "route", "route"}, detail: `: subject /(?i)\bYANG\b/ matches the title) → netmod`},
		},
		{
			name: "purpose and body conditions",
			x: liaison.Extraction{FromOrgText: "ITU-T SG15", Title: "LS on flexigrid", Purpose: liaison.PurposeAction,
				Body: "We ask the IETF about PCEP extensions.", HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp", "pce"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"alias", "route", "route"}, detail: `purpose action, body /(?i)\bPCE(P)?\b|path computation/ matches`},
		},
		{
			name: "purpose mismatch skips the rule",
			x: liaison.Extraction{FromOrgText: "ITU-T SG15", Title: "LS on flexigrid", Purpose: liaison.PurposeInfo,
				Body: "PCEP", HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"alias", "route"}},
		},
		{
			name: "no manager: the IAB handles ETSI TC CYBER",
			x:    liaison.Extraction{FromOrgText: "ETSI TC Cyber", Title: "Quantum-safe cryptography", HeaderTo: to(liaisonAddr)},
			want: want{org: "etsi-tc-cyber", groups: []string{"lamps"}, managers: []string{iab}, noManager: true, escalation: "no_manager",
				codes: []string{"alias", "route", "no_manager"}},
		},
		{
			name: "no manager: JTC 1/SC 6 written without spaces",
			x:    liaison.Extraction{FromOrgText: "ISO/IEC JTC1/SC6", HeaderCc: to(liaisonAddr), HeaderTo: to("someone@example.org")},
			want: want{org: "iso-iec-jtc1-sc6", groups: []string{"6man"}, managers: []string{iab}, noManager: true, escalation: "no_manager",
				codes: []string{"alias", "route", "no_manager"}},
		},
		{
			name: "unknown organization",
			x: liaison.Extraction{FromOrgText: "W3C", Title: "Web payments", From: liaison.Contact{Email: "team@w3.org"},
				ToText: []string{"IETF OPSAWG"}, HeaderTo: to(liaisonAddr)},
			want: want{groups: []string{"opsawg"}, managers: []string{iab}, escalation: "unknown_org",
				codes: []string{"to", "no_route", "unknown_org"}},
		},
		{
			name: "outgoing: the peer is the addressee, the group the sender",
			x: liaison.Extraction{Direction: liaison.Outgoing, FromOrgText: "IETF", FromGroup: "CCAMP WG",
				ToText: []string{"ITU-T SG15"}, Title: "Reply to LS on OTN", HeaderTo: to("tsbsg15@itu.int")},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"alias", "from"}},
		},
		{
			name: "outgoing from a chairs address to a domain-only peer",
			x: liaison.Extraction{Direction: liaison.Outgoing, From: liaison.Contact{Email: "opsawg-chairs@ietf.example"},
				HeaderTo: to("liaison@mef.net")},
			want: want{org: "mef", groups: []string{"opsawg"}, managers: []string{"chris.novak@example.org"}, codes: []string{"domain", "from"}},
		},
		{
			name: "misdirected: sent straight to a WG list",
			x:    liaison.Extraction{FromOrgText: "ITU-T SG15", Title: "LS on OTN", HeaderTo: to("ccamp@ietf.example")},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				misdir: "not_to_liaison_address", codes: []string{"alias", "route", "misdirected"},
				detail: "neither To nor Cc contains statements@ietf.example (sent to ccamp@ietf.example)"},
		},
		{
			name: "misdirected: arrived on a WG list folder, wrong list too",
			x:    liaison.Extraction{FromOrgText: "ITU-T SG15", Title: "LS on OTN", HeaderTo: to("teas@ietf.example")},
			in:   Context{Folder: "wg-teas", WGList: "teas"},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				misdir: "not_to_liaison_address", wrong: []string{"teas"}, codes: []string{"alias", "route", "misdirected"},
				detail: `arrived on the teas list (folder "wg-teas") without statements@ietf.example in To or Cc`},
		},
		{
			name: "misdirected: wrong group",
			x: liaison.Extraction{FromOrgText: "ITU-T SG15", Title: "LS on OTN", HeaderTo: to(liaisonAddr),
				HeaderCc: to("MPLS@ietf.example", "ccamp@ietf.example")},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				misdir: "wrong_group", wrong: []string{"mpls"}, codes: []string{"alias", "route", "misdirected"},
				detail: "sent to the list of mpls, but routed to ccamp"},
		},
		{
			name: "a liaison alias counts as the liaison address",
			x:    liaison.Extraction{FromOrgText: "MEF Forum", HeaderCc: to("Liaison-Statements@ietf.example"), HeaderTo: to("opsawg@ietf.example")},
			want: want{org: "mef", groups: []string{"opsawg"}, managers: []string{"chris.novak@example.org"}, codes: []string{"alias", "route"}},
		},
		{
			name: "tracker notices are never misdirected",
			x: liaison.Extraction{Shape: "tracker", FromOrgText: "ITU-T SG15", Title: "LS on OTN",
				HeaderTo: to("ccamp@ietf.example", "mpls@ietf.example")},
			in: Context{Folder: "wg-ccamp", WGList: "ccamp"},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"alias", "route"}},
		},
		{
			name: "no To or Cc (Bcc): cannot tell, not misdirected",
			x:    liaison.Extraction{FromOrgText: "MEF"},
			want: want{org: "mef", groups: []string{"opsawg"}, managers: []string{"chris.novak@example.org"}, codes: []string{"alias", "route"}},
		},
		{
			name: "groups from the addressed lists when nothing else names one",
			x:    liaison.Extraction{Title: "Hello", From: liaison.Contact{Email: "x@example.com"}, HeaderTo: to(liaisonAddr, "ippm@ietf.example")},
			want: want{groups: []string{"ippm"}, managers: []string{iab}, escalation: "unknown_org",
				codes: []string{"no_route", "to", "unknown_org"}},
		},
		{
			name: "To and Cc name groups in several ways",
			x: liaison.Extraction{FromOrgText: "Broadband Forum", Title: "Access node management",
				ToText: []string{"IETF OPS Area, Operations and Management Area Working Group"}, CcText: []string{"IETF 6MAN WG", "netmod@ietf.example"},
				HeaderTo: to(liaisonAddr)},
			want: want{org: "bbf", groups: []string{"6man", "netmod", "opsawg"}, managers: []string{"olu.adeyemi@example.org"},
				codes: []string{"alias", "to", "umbrella", "cc", "cc", "no_route"}, detail: `names ops-area, but opsawg is named too`},
		},
		{
			name: "display names in Cc are not addressees; the IETF is an umbrella",
			x: liaison.Extraction{FromOrgText: "MEF Forum", Title: "LS on Carrier Ethernet OAM",
				ToText: []string{"IETF MPLS WG"}, CcText: []string{"IETF Secretariat <ietf-secretariat@example.org>", "IESG members <iesg@ietf.example>", "Transport Area Directors <tsv-chairs@example.org>"},
				HeaderTo: to(liaisonAddr)},
			want: want{org: "mef", groups: []string{"mpls", "opsawg"}, managers: []string{"chris.novak@example.org"},
				codes: []string{"alias", "to", "umbrella", "route"}, detail: `"IESG members <iesg@ietf.example>" names ietf, but mpls is named too`},
		},
		{
			name: "a 3GPP group not configured is not ETSI's although the mail comes from etsi.org",
			x: liaison.Extraction{FromOrgText: "3GPP TSG CT WG1", Title: "Reply LS on DNS discovery", ToText: []string{"IETF ADD WG"},
				From: liaison.Contact{Email: "3GPPLiaison@etsi.org"}, HeaderTo: to(liaisonAddr)},
			want: want{groups: []string{}, managers: []string{iab}, escalation: "unknown_org",
				codes: []string{"domain_conflict", "unknown_group", "no_route", "unknown_org"}, detail: `a 3GPP group not configured`},
		},
		{
			name: "a person's name does not contradict the mail domain",
			x:    liaison.Extraction{FromOrgText: "Hannah Becker", Title: "Hybrid certificates", From: liaison.Contact{Email: "hannah@etsi.org"}, HeaderTo: to(liaisonAddr)},
			want: want{org: "etsi-tc-cyber", groups: []string{"lamps"}, managers: []string{iab}, noManager: true, escalation: "no_manager",
				codes: []string{"domain", "route", "no_manager"}},
		},
		{
			name: "the IETF named beside a group not configured is not the IETF's",
			x:    liaison.Extraction{FromOrgText: "ITU-T SG13", Title: "LS on X", ToText: []string{"IETF <i>Nowhere</i> WG", "IETF MASQUE"}, HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg13", groups: []string{"opsawg"}, managers: []string{"marco.rossi@example.org"},
				codes: []string{"alias", "unknown_group", "route"}, detail: `names "Nowhere  WG", a group not configured`},
		},
		{
			name: "a letter to the IETF participants is to the IETF as a whole",
			x:    liaison.Extraction{FromOrgText: "O-RAN ALLIANCE", Title: "O-RAN security update", ToText: []string{"IETF"}, HeaderTo: to(liaisonAddr)},
			want: want{org: "o-ran", groups: []string{"ietf"}, managers: []string{iab}, noManager: true, escalation: "no_manager",
				codes: []string{"alias", "to", "no_route", "no_manager"}},
		},
		{
			name: "an area named alone, an area named with its working group",
			x: liaison.Extraction{FromOrgText: "ITU-T SG13", Title: "LS on routing", ToText: []string{"IETF Routing Area", "IETF Internet Area, IETF DMM WG"},
				HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg13", groups: []string{"dmm", "opsawg", "rtg-area"}, managers: []string{"marco.rossi@example.org"},
				codes: []string{"alias", "to", "to", "umbrella", "route"}, detail: `names internet-area, but dmm is named too`},
		},
		{
			// The IAB is not an IETF group: naming it leaves the IESG an
			// addressee. "IETF IAB" only qualifies the IAB.
			name: "the IAB and the IESG are both addressees; IETF before a group qualifies it",
			x: liaison.Extraction{FromOrgText: "ITU-T SG17", Title: "LS on AI security", ToText: []string{"IETF IAB and IESG"},
				CcText: []string{"IETF IAB"}, HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg17", groups: []string{"iab", "ietf", "lamps"}, managers: []string{"amina.diallo@example.org"},
				codes: []string{"alias", "to", "to", "route"}},
		},
		{
			name: "IETF IAB alone is the IAB",
			x:    liaison.Extraction{FromOrgText: "ITU-T SG15", Title: "LS on OTN", ToText: []string{"IETF IAB"}, HeaderTo: to(liaisonAddr)},
			want: want{org: "itu-t-sg15", groups: []string{"ccamp", "iab"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"alias", "to", "route"}},
		},
		{
			name: "outgoing from several groups: each sender listed counts, areas too",
			x: liaison.Extraction{Direction: liaison.Outgoing, FromOrgText: "IPv6 Maintenance, Internet Area, Operations and Management Area Working Group, Operations and Management Area, Routing Area, SRv6 Operations",
				ToText: []string{"ITU-T SG15"}, HeaderTo: to("tsbsg15@itu.int")},
			want: want{org: "itu-t-sg15", groups: []string{"6man", "internet-area", "ops-area", "opsawg", "rtg-area"}, managers: []string{"jane.doe@example.org", "kenji.sato@example.org"},
				codes: []string{"alias", "from", "from", "from", "from", "from"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Route(&tt.x, tt.in)
			w := tt.want
			if got.OrgID != w.org {
				t.Errorf("OrgID = %q, want %q", got.OrgID, w.org)
			}
			if w.groups == nil {
				w.groups = []string{}
			}
			if !reflect.DeepEqual(got.Groups, w.groups) {
				t.Errorf("Groups = %v, want %v", got.Groups, w.groups)
			}
			var mgrs []string
			for _, m := range got.Managers {
				mgrs = append(mgrs, m.Email)
			}
			if !reflect.DeepEqual(mgrs, w.managers) {
				t.Errorf("Managers = %v, want %v", mgrs, w.managers)
			}
			if got.NoManager != w.noManager || got.Escalate != (w.escalation != "") || got.EscalationReason != w.escalation {
				t.Errorf("NoManager/Escalate/Reason = %v/%v/%q, want %v/%v/%q", got.NoManager, got.Escalate, got.EscalationReason,
					w.noManager, w.escalation != "", w.escalation)
			}
			if got.Misdirected != (w.misdir != "") || got.MisdirectionReason != w.misdir || !slices.Equal(got.WrongGroups, w.wrong) {
				t.Errorf("misdirection = %v %q %v, want %q %v", got.Misdirected, got.MisdirectionReason, got.WrongGroups, w.misdir, w.wrong)
			}
			var codes, details []string
			for _, rs := range got.Reasons {
				codes = append(codes, rs.Code)
				details = append(details, rs.Detail)
			}
			if !slices.Equal(codes, w.codes) {
				t.Errorf("reason codes = %v, want %v\n%s", codes, w.codes, strings.Join(details, "\n"))
			}
			if w.detail != "" && !slices.ContainsFunc(details, func(d string) bool { return strings.Contains(d, w.detail) }) {
				t.Errorf("no reason contains %q:\n%s", w.detail, strings.Join(details, "\n"))
			}
			if again := r.Route(&tt.x, tt.in); !reflect.DeepEqual(again, got) {
				t.Errorf("Route is not deterministic:\n%+v\n%+v", got, again)
			}
		})
	}
}

func TestRouteReasonNamesRuleLine(t *testing.T) {
	r := exampleRouter(t)
	got := r.Route(&liaison.Extraction{FromOrgText: "MEF", HeaderTo: to(liaisonAddr)}, Context{})
	i := slices.IndexFunc(r.cfg.Routes, func(rt config.Route) bool { return slices.Contains(rt.From, "mef") })
	want := fmt.Sprintf("routes[%d] (line %d: from mef) → opsawg", i, r.cfg.Routes[i].Line)
	if i < 0 || r.cfg.Routes[i].Line < 2 || !slices.Contains(got.Reasons, liaison.Reason{Code: "route", Detail: want}) {
		t.Errorf("reasons %+v lack route reason %q", got.Reasons, want)
	}
}

func TestResolveOrg(t *testing.T) {
	r := exampleRouter(t)
	tests := []struct{ text, want string }{
		{"ITU-T SG15", "itu-t-sg15"},
		{"itu-t sg 15", "itu-t-sg15"},
		{"Study Group 15 (Q11/15)", "itu-t-sg15"},
		{"ITU-T SG13, copy to SG15", "itu-t-sg13"},
		{"SG150", ""},
		{"3GPP TSG SA WG2", "3gpp-sa2"},
		{"3GPP TSG SA WG3", "3gpp-sa3"},
		{"3GPP TSG CT WG4", "3gpp-ct4"},
		{"IEEE 802.1Q maintenance", "ieee-802-1"},
		{"IEEE 802.11ax", "ieee-802-11"},
		{"ISO/IEC JTC 1/SC 6", "iso-iec-jtc1-sc6"},
		{"bbf", "bbf"},
		{"The Broadband Forum's TR-181", "bbf"},
		{"IETF", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := r.ResolveOrg(tt.text)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ResolveOrg(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
		}
	}
}

func TestResolveGroups(t *testing.T) {
	r := exampleRouter(t)
	tests := []struct {
		text string
		want []string
	}{
		{"IETF CCAMP WG", []string{"ccamp"}},
		{"IETF MPLS and CCAMP working groups", []string{"ccamp", "mpls"}},
		{"Common Control and Measurement Plane", []string{"ccamp"}},
		{"teas@ietf.example", []string{"teas"}},
		{"IETF 6man", []string{"6man"}},
		{"PKIX", []string{"lamps"}},
		{"CCAMPS", nil},
		{"IETF", []string{"ietf"}},
		{"Dear IETF participants", []string{"ietf"}},
		{"IETF Routing Area", []string{"rtg-area"}},
		{"IETF Routing Area and the IETF CCAMP WG", []string{"ccamp"}},
		{"Transport Area Working Group Discussion List <tsvwg@ietf.example>", []string{"tsvwg"}},
		{"Transport Area", []string{"tsv-area"}},
		{"int-area@ietf.example", []string{"intarea"}},
		{"INT Area", []string{"internet-area"}},
		{"Internet Area Working Group", []string{"intarea"}},
		{"IETF Routing Area, IETF 6MAN WG", []string{"6man", "rtg-area"}},
		{"jane.rtg@example.com", nil},
	}
	for _, tt := range tests {
		if got := r.ResolveGroups(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("ResolveGroups(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestNewRejects(t *testing.T) {
	if _, err := New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	cfg := &config.Config{Routes: []config.Route{{Subject: "(", To: []string{"x"}}}}
	_, err := New(cfg)
	if err == nil || !strings.Contains(err.Error(), "routes[0].subject") {
		t.Errorf("New with a bad regexp: %v", err)
	}
}

func BenchmarkRoute(b *testing.B) {
	r := exampleRouter(b)
	x := &liaison.Extraction{
		FromOrgText: "ITU-T Study Group 15", FromGroup: "Q12/15", Title: "LS on OTN beyond 100G and MPLS-TP",
		Subject: "New Liaison Statement, \"LS on OTN beyond 100G\"", Purpose: liaison.PurposeAction,
		ToText: []string{"IETF CCAMP WG", "IETF TEAS WG"}, CcText: []string{"IETF Routing Area Directors"},
		From: liaison.Contact{Email: "tsbsg15@itu.int"}, HeaderTo: to(liaisonAddr), HeaderCc: to("ccamp@ietf.example"),
		Body: strings.Repeat("The ITU-T Study Group 15 thanks the IETF for its liaison on path computation. ", 40),
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Route(x, Context{Folder: "INBOX"})
	}
}
