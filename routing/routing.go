// Package routing decides, for one liaison statement, which peer
// organization it is from (or to), which IETF groups it concerns, who its
// liaison managers are, whether it must be escalated to the IAB liaison
// coordinators, and whether it was misdirected.
//
// A Router is built once from the configuration; Route is then a pure
// function of the extraction and the delivery context: no I/O, no clock.
// Every step of a decision is explained by a liaison.Reason.
package routing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// Reason codes Route emits.
const (
	CodeAlias           = "alias"            // organization recognised by one of its names
	CodeDomain          = "domain"           // organization recognised by the sender's mail domain
	CodeAmbiguousDomain = "ambiguous_domain" // the domain is shared by several organizations
	CodeDomainConflict  = "domain_conflict"  // the statement names another family of organizations than the domain's
	CodeTo              = "to"               // a group named in the statement's To (or addressed in the headers)
	CodeCc              = "cc"               // a group named in the statement's Cc
	CodeFrom            = "from"             // outgoing: the IETF group that sends the statement
	CodeRoute           = "route"            // a routing rule matched
	CodeNoRoute         = "no_route"         // no routing rule matched
	CodeNoManager       = "no_manager"       // the organization has no liaison manager
	CodeUnknownOrg      = "unknown_org"      // no organization recognised
	CodeMisdirected     = "misdirected"      // misdirection verdict
	CodeUmbrella        = "umbrella"         // an umbrella group named beside a group below it: the narrower wins
	CodeUnknownGroup    = "unknown_group"    // the IETF named beside a group not configured: not the IETF's
)

// Escalation and misdirection reasons set in liaison.Routing.
const (
	EscalateNoManager    = "no_manager"
	EscalateUnknownOrg   = "unknown_org"
	MisdirectedNoLiaison = "not_to_liaison_address"
	MisdirectedWrongWG   = "wrong_group"
)

// Context says how a message was delivered.
type Context struct {
	// Folder is the IMAP folder the message was found in ("" for files).
	Folder string
	// WGList is the id of the group whose list traffic Folder receives, ""
	// for the liaison inbox and for files.
	WGList string
	// At is when the decision is taken (the message's receipt): the
	// appointments in force on that day (in the configured zone) decide
	// the managers. The zero time counts every appointment that has not
	// ended (see config.Manager.On).
	At time.Time
}

// Router routes statements according to one configuration.
type Router struct {
	cfg     *config.Config
	names   []orgName        // every organization name, longest first
	domains map[string][]int // mail domain -> organization indexes
	groups  []groupNames
	lists   map[string]int // lower-case list address -> group index
	chairs  map[string]int // lower-case chairs address -> group index
	routes  []route
	// families maps the first word of every organization name and alias,
	// normalised ("itu", "ieee"; "3" for 3GPP), to the organizations
	// carrying it.
	families map[string][]int
	liaison  map[string]bool // lower-case liaison address and aliases
	iab      liaison.Contact
}

// orgName is one normalised name of an organization.
type orgName struct {
	padded string // " itu t sg 15 "
	text   string // as configured
	org    int
}

type groupNames struct {
	id     string
	padded []string
	kind   config.GroupKind
	area   string // the area's id, for a working group
}

type route struct {
	cfg     config.Route
	index   int
	from    []string
	subject *pattern
	body    *pattern
}

// New builds a Router: it compiles the routes' regular expressions and
// indexes names, domains and addresses once.
func New(cfg *config.Config) (*Router, error) {
	if cfg == nil {
		return nil, fmt.Errorf("routing: nil configuration")
	}
	r := &Router{
		cfg:     cfg,
		domains: map[string][]int{},
		lists:   map[string]int{},
		chairs:  map[string]int{},
		liaison: map[string]bool{},
		iab:     cfg.IAB,
	}
	r.families = map[string][]int{}
	for i, o := range cfg.Organizations {
		seen := map[string]bool{}
		// Aliases first: when an alias and the id read alike, the reason
		// shows the alias as written.
		for _, text := range append(slices.Clone(o.Aliases), o.Name, o.ID) {
			n := config.NormalizeName(text)
			if n == "" || seen[n] {
				continue
			}
			seen[n] = true
			r.names = append(r.names, orgName{padded: " " + n + " ", text: text, org: i})
			if w, _, _ := strings.Cut(n, " "); !slices.Contains(r.families[w], i) {
				r.families[w] = append(r.families[w], i)
			}
		}
		for _, d := range o.Domains {
			d = strings.ToLower(strings.TrimSpace(d))
			if !slices.Contains(r.domains[d], i) {
				r.domains[d] = append(r.domains[d], i)
			}
		}
	}
	// Longest name first; ties keep configuration order.
	slices.SortStableFunc(r.names, func(a, b orgName) int { return len(b.padded) - len(a.padded) })
	for i, g := range cfg.Groups {
		gn := groupNames{id: g.ID, kind: g.Kind, area: g.Area}
		if gn.kind == "" {
			gn.kind = config.KindWG
		}
		for _, text := range append([]string{g.ID, g.Name}, g.Aliases...) {
			if n := config.NormalizeName(text); n != "" && !slices.Contains(gn.padded, " "+n+" ") {
				gn.padded = append(gn.padded, " "+n+" ")
			}
		}
		r.groups = append(r.groups, gn)
		if g.List != "" {
			r.lists[strings.ToLower(g.List)] = i
		}
		for _, c := range g.Chairs {
			r.chairs[strings.ToLower(c)] = i
		}
	}
	for i, rc := range cfg.Routes {
		rt := route{cfg: rc, index: i, from: rc.From}
		var err error
		if rc.Subject != "" {
			if rt.subject, err = compilePattern(rc.Subject); err != nil {
				return nil, fmt.Errorf("routing: routes[%d].subject: %w", i, err)
			}
		}
		if rc.Body != "" {
			if rt.body, err = compilePattern(rc.Body); err != nil {
				return nil, fmt.Errorf("routing: routes[%d].body: %w", i, err)
			}
		}
		r.routes = append(r.routes, rt)
	}
	for _, a := range append([]string{cfg.LiaisonAddress}, cfg.LiaisonAliases...) {
		if a != "" {
			r.liaison[strings.ToLower(strings.TrimSpace(a))] = true
		}
	}
	return r, nil
}

// padded returns the normalised text with a space at both ends, so that
// names can be matched as whole words with strings.Index.
func padded(text string) string {
	return " " + config.NormalizeName(text) + " "
}

// match finds the organization whose longest name occurs in text, as whole
// words. Among equally long names the earliest in the text wins. allowed,
// when non-nil, restricts the organizations considered.
func (r *Router) match(text string, allowed []int) (orgName, bool) {
	if strings.TrimSpace(text) == "" {
		return orgName{}, false
	}
	t := padded(text)
	best, bestPos := orgName{}, -1
	for _, n := range r.names {
		if bestPos >= 0 && len(n.padded) < len(best.padded) {
			break
		}
		if allowed != nil && !slices.Contains(allowed, n.org) {
			continue
		}
		if pos := strings.Index(t, n.padded); pos >= 0 && (bestPos < 0 || pos < bestPos) {
			best, bestPos = n, pos
		}
	}
	return best, bestPos >= 0
}

// ResolveOrg returns the id of the organization named in text (by id, name
// or alias; the longest matching name wins), for example to recognise the
// addressee of a reply.
func (r *Router) ResolveOrg(text string) (id string, ok bool) {
	n, ok := r.match(text, nil)
	if !ok {
		return "", false
	}
	return r.cfg.Organizations[n.org].ID, true
}

// ResolveGroups returns the sorted ids of the IETF groups named in text: by
// id as a word ("CCAMP WG"), by name, by alias, or by list or chairs
// address. A name inside a longer group name also found counts for the
// longer one only ("Transport Area" in "Transport Area Working Group").
// Of the groups named, an umbrella counts only when no group below it is
// named ("IETF CCAMP WG" is CCAMP's).
func (r *Router) ResolveGroups(text string) []string {
	var out []string
	for _, g := range r.mostSpecific(r.groupsIn(text, true)) {
		out = append(out, r.groups[g].id)
	}
	slices.Sort(out)
	return out
}

// emailRE finds mail addresses written in a statement's addressee text.
var emailRE = regexp.MustCompile(`(?i)[a-z0-9._%+'=-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+`)

// nameSpan is one group name found in a normalised text.
type nameSpan struct{ group, start, end int }

// groupsIn returns the indexes of the groups text names, each once, in
// configuration order: by a list or chairs address it contains, and, when
// names is set, by an id, name or alias written as words outside the
// addresses. Names are matched longest first: a name found inside the span
// of a longer one does not count, so an area's name inside a working
// group's name, or an area abbreviation inside a list address, is not the
// area.
func (r *Router) groupsIn(text string, names bool) []int {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	found := map[int]bool{}
	for _, a := range emailRE.FindAllString(text, -1) {
		a = strings.ToLower(a)
		for _, m := range []map[string]int{r.lists, r.chairs} {
			if i, ok := m[a]; ok {
				found[i] = true
			}
		}
	}
	if names {
		// Each entry of a list ("IAB, IESG") is read on its own, so that
		// only words of one entry can qualify one another.
		for _, seg := range listSepRE.Split(emailRE.ReplaceAllString(text, " "), -1) {
			for _, g := range r.namesIn(padded(seg)) {
				found[g] = true
			}
		}
	}
	var out []int
	for i := range r.groups {
		if found[i] {
			out = append(out, i)
		}
	}
	return out
}

// listSepRE separates the entries of a list of addressees.
var listSepRE = regexp.MustCompile(`[,;\n]+`)

// namesIn returns the groups whose names occur in t (a padded, normalised
// entry). A name inside a longer group name does not count; nor does an
// umbrella's name right before another group's name, which only
// qualifies it ("IETF LSR", "IETF IAB").
func (r *Router) namesIn(t string) []int {
	var spans []nameSpan
	for gi, g := range r.groups {
		for _, p := range g.padded {
			for off := 0; ; {
				i := strings.Index(t[off:], p)
				if i < 0 {
					break
				}
				start := off + i + 1 // the name's first letter
				spans = append(spans, nameSpan{gi, start, start + len(p) - 2})
				off = start
			}
		}
	}
	var out []int
	for _, s := range spans {
		if slices.ContainsFunc(spans, func(o nameSpan) bool { return o.group != s.group && s.inside(o) }) {
			continue
		}
		if r.isUmbrella(s.group) && slices.ContainsFunc(spans, func(o nameSpan) bool {
			return o.group != s.group && o.start == s.end+1
		}) {
			continue
		}
		if !slices.Contains(out, s.group) {
			out = append(out, s.group)
		}
	}
	return out
}

// isUmbrella reports whether a group is the IETF as a whole or an area.
func (r *Router) isUmbrella(g int) bool {
	k := r.groups[g].kind
	return k == config.KindIETF || k == config.KindArea
}

// inside reports whether s lies within o and is shorter.
func (s nameSpan) inside(o nameSpan) bool {
	return s.start >= o.start && s.end <= o.end && s.end-s.start < o.end-o.start
}

// mostSpecific drops from named the umbrellas a narrower named group lies
// below.
func (r *Router) mostSpecific(named []int) []int {
	var out []int
	for _, g := range named {
		if r.below(g, named) < 0 {
			out = append(out, g)
		}
	}
	return out
}

// below returns a group in named that lies below the umbrella group u
// (-1 when none): a working group or an area for the IETF as a whole (the
// IAB is not an IETF group: it lies below nothing), a working group of the
// area (or of no declared area) for an area.
func (r *Router) below(u int, named []int) int {
	ug := r.groups[u]
	for _, g := range named {
		ng := r.groups[g]
		switch {
		case g == u:
		case ug.kind == config.KindIETF && (ng.kind == config.KindWG || ng.kind == config.KindArea):
			return g
		case ug.kind == config.KindArea && ng.kind == config.KindWG && (ng.area == ug.id || ng.area == ""):
			return g
		}
	}
	return -1
}

// otherFamily reports whether text (an organization as the statement
// writes it, which matched no configured name) starts with a word that
// begins the names of other configured organizations but of none of
// candidates: "3GPP TSG CT WG1" is a 3GPP group even when the mail comes
// from a domain only ETSI owns. It returns that word as written.
func (r *Router) otherFamily(text string, candidates []int) (string, bool) {
	w, _, _ := strings.Cut(config.NormalizeName(text), " ")
	orgs, ok := r.families[w]
	if !ok {
		return "", false
	}
	for _, o := range orgs {
		if slices.Contains(candidates, o) {
			return "", false
		}
	}
	return strings.Fields(text)[0], true
}

// domainOrgs returns the organizations owning the domain of addr or one of
// its parent domains (the most specific configured domain wins), and that
// domain.
func (r *Router) domainOrgs(addr string) ([]int, string) {
	_, d, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok {
		return nil, ""
	}
	d = strings.TrimSuffix(strings.Trim(d, "<> "), ".")
	for d != "" {
		if orgs, ok := r.domains[d]; ok {
			return orgs, d
		}
		_, parent, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = parent
	}
	return nil, ""
}
