package routing

import (
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestRequiredLits(t *testing.T) {
	tests := []struct {
		expr string
		want []string // nil: no prefilter
	}{
		{`(?i)\bPCE(P)?\b|path computation`, []string{"PCE", "PATH COMPUTATION"}},
		{`(?i)optical|\bOTN\b|\bWDM\b|wavelength|flexi?-?grid`, []string{"OPTICAL", "OTN", "WDM", "WAVELENGTH", "FLEX"}},
		{`(?i)\bYANG\b`, []string{"YANG"}},
		{`(?i)MPLS-TP|MPLS transport profile`, []string{"MPLS"}},
		{`(?i)slic(e|ing)`, []string{"SLIC"}},
		{`(?i)\bQoS\b|DSCP`, []string{"QOS", "DSCP"}},
		{`.*`, nil},
		{`a|bc`, nil}, // a one-letter branch helps nothing
		{`(foo)+bar`, []string{"FOO"}},
	}
	for _, tt := range tests {
		p, err := compilePattern(tt.expr)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		if !slices.Equal(p.lits, tt.want) {
			t.Errorf("requiredLits(%s) = %q, want %q", tt.expr, p.lits, tt.want)
		}
	}
}

// TestPrefilterKeepsMatches checks that the prefilter never rules out a
// text the expression matches, on texts in several cases and scripts.
func TestPrefilterKeepsMatches(t *testing.T) {
	exprs := []string{`(?i)\bPCE(P)?\b|path computation`, `(?i)optical|\bOTN\b|\bWDM\b|wavelength|flexi?-?grid`,
		`(?i)\bQoS\b|DSCP`, `(?i)MPLS-TP|MPLS transport profile`, `PCE`, `(?i)ſtate|k`}
	texts := []string{"The PCE computes paths", "pcep extensions", "PATH COMPUTATION", "Flex-Grid spectrum",
		"an Optical network", "QOS", "qoſ", "ſtate", "STATE", "\u212a", "nothing here", ""}
	for _, e := range exprs {
		p, _ := compilePattern(e)
		for _, s := range texts {
			if got, want := p.match(s, nil), p.re.MatchString(s); got != want {
				t.Errorf("%s on %q: prefiltered match %v, regexp %v", e, s, got, want)
			}
			if got, want := p.match(s, foldBytes(s)), p.re.MatchString(s); got != want {
				t.Errorf("%s on %q (fold given): prefiltered match %v, regexp %v", e, s, got, want)
			}
		}
	}
}

// BenchmarkRouteLongBody routes an ITU-T SG15 action statement whose 16 KB
// body names neither PCE nor path computation: the body rule's prefilter
// rules its pattern out without running it.
func BenchmarkRouteLongBody(b *testing.B) {
	r := exampleRouter(b)
	para := "The study group reviewed the contributions on the alignment of the information models and agreed that further coordination is needed. "
	x := &liaison.Extraction{
		FromOrgText: "ITU-T Study Group 15", Title: "LS on information model alignment", Purpose: liaison.PurposeAction,
		ToText: []string{"IETF CCAMP WG"}, HeaderTo: to(liaisonAddr), Body: strings.Repeat(para, 16<<10/len(para)),
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Route(x, Context{Folder: "INBOX"})
	}
}
