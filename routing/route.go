package routing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// decision accumulates one routing decision.
type decision struct {
	out     liaison.Routing
	groups  map[string]bool
	dropped map[string]bool // umbrella groups left out for a narrower one
	orgIdx  int
	matched bool
	// at is when the decision is taken (see Context.At).
	at time.Time
}

func (d *decision) reason(code, format string, args ...any) {
	d.out.Reasons = append(d.out.Reasons, liaison.Reason{Code: code, Detail: fmt.Sprintf(format, args...)})
}

func (d *decision) addGroup(id string) bool {
	if d.groups[id] {
		return false
	}
	d.groups[id] = true
	return true
}

// Route decides how the statement x, delivered as described by in, is
// routed. It is a pure function of x, in and the configuration; its output
// is deterministic (groups sorted and without duplicates).
//
// The organization is the sender for incoming statements and the addressee
// for outgoing ones. Groups are those named in the statement's To and Cc
// plus those of matching routes (incoming), or the IETF group sending it
// (outgoing). Statements from an organization without managers, or from no
// recognisable organization, are escalated to the IAB liaison coordinators.
// The managers are those appointed on the day of in.At.
// Incoming statements other than tracker notices get a misdirection verdict.
func (r *Router) Route(x *liaison.Extraction, in Context) liaison.Routing {
	if x == nil {
		x = &liaison.Extraction{}
	}
	d := &decision{groups: map[string]bool{}, dropped: map[string]bool{}, orgIdx: -1, at: in.At}
	d.out.Groups = []string{}
	outgoing := x.Direction == liaison.Outgoing

	r.resolveOrg(d, x, outgoing)
	if outgoing {
		r.senderGroups(d, x)
	} else {
		r.namedGroups(d, x)
		r.applyRoutes(d, x)
		r.headerGroups(d, x, in)
	}
	for id := range d.groups {
		d.out.Groups = append(d.out.Groups, id)
	}
	slices.Sort(d.out.Groups)
	r.managers(d)
	if !outgoing && x.Shape != liaison.ShapeTracker {
		r.misdirection(d, x, in)
	}
	return d.out
}

// resolveOrg finds the peer organization: names in the strong sources
// first, then a domain owned by exactly one organization, then names in the
// weak sources (restricted to the domain's owners when it is shared).
func (r *Router) resolveOrg(d *decision, x *liaison.Extraction, outgoing bool) {
	type source struct{ field, text string }
	var strong []source
	var addrs []string
	if outgoing {
		for _, t := range x.ToText {
			strong = append(strong, source{"to_text", t})
		}
		for _, c := range x.HeaderTo {
			addrs = append(addrs, c.Email)
		}
	} else {
		strong = append(strong, source{"from", strings.TrimSpace(x.FromOrgText + " " + x.FromGroup)})
		addrs = append(addrs, x.From.Email)
	}
	weak := []source{{"title", x.Title}, {"subject", x.Subject}}

	set := func(code string, org int, detail string) {
		o := r.cfg.Organizations[org]
		d.orgIdx, d.matched = org, true
		d.out.OrgID, d.out.OrgName = o.ID, o.Name
		d.reason(code, "%s → %s", detail, o.ID)
	}
	// Strong sources: the best (longest) name over all of them.
	var best orgName
	var bestSrc source
	found := false
	for _, s := range strong {
		if n, ok := r.match(s.text, nil); ok && (!found || len(n.padded) > len(best.padded)) {
			best, bestSrc, found = n, s, true
		}
	}
	if found {
		set(CodeAlias, best.org, fmt.Sprintf("%q in %s %q", best.text, bestSrc.field, bestSrc.text))
		return
	}

	var candidates []int
	var domain string
	for _, a := range addrs {
		orgs, dom := r.domainOrgs(a)
		if dom == "" {
			continue
		}
		if domain == "" {
			domain = dom
		} else if dom != domain {
			domain += ", " + dom
		}
		for _, o := range orgs {
			if !slices.Contains(candidates, o) {
				candidates = append(candidates, o)
			}
		}
	}
	if len(candidates) > 0 && !outgoing {
		if fam, ok := r.otherFamily(x.FromOrgText, candidates); ok {
			d.reason(CodeDomainConflict, "mail domain %s, but the statement is from %q, a %s group not configured: the domain cannot tell", domain, x.FromOrgText, fam)
			candidates = nil
		}
	}
	switch {
	case len(candidates) == 1:
		set(CodeDomain, candidates[0], fmt.Sprintf("mail domain %s", domain))
		return
	case len(candidates) > 1:
		ids := make([]string, len(candidates))
		for i, o := range candidates {
			ids[i] = r.cfg.Organizations[o].ID
		}
		d.reason(CodeAmbiguousDomain, "mail domain %s is shared by %s: the domain alone cannot tell which", domain, strings.Join(ids, ", "))
	}

	for _, s := range weak {
		if n, ok := r.match(s.text, candidates); ok {
			detail := fmt.Sprintf("%q in %s %q", n.text, s.field, s.text)
			if candidates != nil {
				detail += " (one of the organizations sharing " + domain + ")"
			}
			set(CodeAlias, n.org, detail)
			return
		}
	}
}

// unknownGroupRE finds what names a group in an addressee: "<name> WG",
// "<name> working group", or an acronym.
var unknownGroupRE = regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9-]{1,15}\s+(?:WG|working\s+group|RG|research\s+group)\b|\b[A-Z][A-Z0-9-]*[A-Z0-9]\b`)

// markupRE finds tags pasted into an addressee ("IETF <i>Nowhere</i> WG").
var markupRE = regexp.MustCompile(`</?[A-Za-z][^<>]{0,40}>`)

// unknownGroup returns a group an addressee names that is neither
// configured nor the IETF itself ("IETF MASQUE WG", "IETF <i>Nowhere</i>
// WG"), or "" when there is none. Such a statement is for that group, not
// for the IETF as a whole: it stays unrouted for a person to place.
func (r *Router) unknownGroup(text string) string {
	text = markupRE.ReplaceAllString(emailRE.ReplaceAllString(text, " "), " ")
	for _, m := range unknownGroupRE.FindAllString(text, -1) {
		w := strings.Fields(m)[0]
		switch strings.ToUpper(w) {
		case "IETF", "IAB", "IESG", "IRTF", "IRSG", "WG", "RG", "THE":
			continue
		}
		if len(r.groupsIn(m, true)) > 0 {
			continue
		}
		if _, ok := r.match(m, nil); ok {
			continue // another organization ("IETF and IEEE")
		}
		return m
	}
	return ""
}

// namedGroups adds the groups named in the statement's To and Cc. A Cc
// entry that carries an address ("IETF Secretariat <...>", "IESG members
// <...>") names a group only by that address: the display names of the
// people and lists copied are not addressees. Of the groups named, an
// umbrella (the IETF as a whole, an area) counts only when no group below
// it is named: the most specific group wins.
func (r *Router) namedGroups(d *decision, x *liaison.Extraction) {
	type hit struct {
		code, text string
		group      int
	}
	var hits []hit
	var named []int
	for _, f := range []struct {
		code  string
		texts []string
	}{{CodeTo, x.ToText}, {CodeCc, x.CcText}} {
		for _, t := range f.texts {
			names := f.code == CodeTo || !emailRE.MatchString(t)
			for _, g := range r.groupsIn(t, names) {
				hits = append(hits, hit{f.code, t, g})
				named = append(named, g)
			}
		}
	}
	for _, h := range hits {
		id := r.groups[h.group].id
		if r.groups[h.group].kind == config.KindIETF {
			if unk := r.unknownGroup(h.text); unk != "" {
				if !d.dropped[id] {
					d.dropped[id] = true
					d.reason(CodeUnknownGroup, "%q names %q, a group not configured: the statement is not for the IETF as a whole", h.text, unk)
				}
				continue
			}
		}
		if b := r.below(h.group, named); b >= 0 {
			if !d.dropped[id] {
				d.dropped[id] = true
				d.reason(CodeUmbrella, "%q names %s, but %s is named too and lies below it: the most specific group wins", h.text, id, r.groups[b].id)
			}
			continue
		}
		if d.addGroup(id) {
			d.reason(h.code, "%q names %s", h.text, id)
		}
	}
}

// applyRoutes adds the groups of the matching routing rules.
func (r *Router) applyRoutes(d *decision, x *liaison.Extraction) {
	orgID := d.out.OrgID
	matchedAny := false
	body := &folded{s: bodyScope(x.Body)}
	for _, rt := range r.routes {
		why, ok := rt.matches(orgID, x, body)
		if !ok {
			continue
		}
		matchedAny = true
		for _, g := range rt.cfg.To {
			d.addGroup(g)
		}
		d.reason(CodeRoute, "routes[%d] (line %d: %s) → %s", rt.index, rt.cfg.Line, why, strings.Join(rt.cfg.To, ", "))
		if !rt.cfg.Continue {
			break
		}
	}
	if !matchedAny {
		d.reason(CodeNoRoute, "no routing rule matched")
	}
}

// BodyScope is how much of a statement's body a route's body pattern is
// matched against.
const BodyScope = 16 << 10

func bodyScope(b string) string {
	if len(b) <= BodyScope {
		return b
	}
	b = b[:BodyScope]
	for len(b) > 0 && !utf8.RuneStart(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	if len(b) > 0 && b[len(b)-1] >= utf8.RuneSelf {
		b = b[:len(b)-1] // drop a rune that may be cut
	}
	return b
}

// folded is a text and, once asked for, its fold form (made once for all
// the routes' prefilters).
type folded struct {
	s string
	f []byte
}

func (t *folded) folded() []byte {
	if t.f == nil {
		t.f = foldBytes(t.s)
	}
	return t.f
}

// matches reports whether the rule applies, and why. body is the
// statement's body in BodyScope.
func (rt *route) matches(orgID string, x *liaison.Extraction, body *folded) (string, bool) {
	var why []string
	if len(rt.from) > 0 {
		if orgID == "" || !slices.Contains(rt.from, orgID) {
			return "", false
		}
		why = append(why, "from "+orgID)
	}
	if rt.subject != nil {
		switch {
		case rt.subject.match(x.Title, nil):
			why = append(why, "subject /"+rt.cfg.Subject+"/ matches the title")
		case rt.subject.match(x.Subject, nil):
			why = append(why, "subject /"+rt.cfg.Subject+"/ matches the subject")
		default:
			return "", false
		}
	}
	if rt.cfg.Purpose != "" {
		if x.Purpose != rt.cfg.Purpose {
			return "", false
		}
		why = append(why, "purpose "+string(x.Purpose))
	}
	// The body test is the costly one: it runs last, on the first
	// BodyScope bytes (a statement says what it is about up front).
	if rt.body != nil {
		if !rt.body.match(body.s, body.folded()) {
			return "", false
		}
		why = append(why, "body /"+rt.cfg.Body+"/ matches")
	}
	if len(why) == 0 {
		why = append(why, "matches everything")
	}
	return strings.Join(why, ", "), true
}

// headerGroups is the last resort: when nothing named a group, the WG
// lists the mail was addressed to (or the list whose traffic the folder
// receives) are taken as the target groups.
func (r *Router) headerGroups(d *decision, x *liaison.Extraction, in Context) {
	if len(d.groups) > 0 {
		return
	}
	for _, g := range r.addressedGroups(x) {
		if d.addGroup(g.id) {
			d.reason(CodeTo, "nothing else names a group; the mail was addressed to the %s list %s", g.id, g.addr)
		}
	}
	if in.WGList != "" && d.addGroup(in.WGList) {
		d.reason(CodeTo, "nothing else names a group; the mail arrived on the %s list (folder %q)", in.WGList, in.Folder)
	}
}

type addressed struct{ id, addr string }

// addressedGroups lists the groups whose list address is in To or Cc.
func (r *Router) addressedGroups(x *liaison.Extraction) []addressed {
	var out []addressed
	for _, c := range slices.Concat(x.HeaderTo, x.HeaderCc) {
		a := strings.ToLower(strings.TrimSpace(c.Email))
		if i, ok := r.lists[a]; ok {
			id := r.cfg.Groups[i].ID
			if !slices.ContainsFunc(out, func(e addressed) bool { return e.id == id }) {
				out = append(out, addressed{id, a})
			}
		}
	}
	return out
}

// senderGroups adds, for an outgoing statement, the IETF groups sending
// it: for each sender listed, the most specific group it names ("IETF
// CCAMP WG" is CCAMP's; "6MAN, Internet Area" are both).
func (r *Router) senderGroups(d *decision, x *liaison.Extraction) {
	from := strings.TrimSpace(x.FromOrgText + " " + x.FromGroup)
	parties := listSepRE.Split(x.FromOrgText, -1)
	if len(parties) < 2 {
		parties = []string{from}
	}
	for _, party := range parties {
		for _, g := range r.mostSpecific(r.groupsIn(party, true)) {
			if id := r.groups[g].id; d.addGroup(id) {
				d.reason(CodeFrom, "outgoing statement sent by %s (%q)", id, from)
			}
		}
	}
	a := strings.ToLower(strings.TrimSpace(x.From.Email))
	for _, m := range []map[string]int{r.lists, r.chairs} {
		if i, ok := m[a]; ok {
			if g := r.cfg.Groups[i].ID; d.addGroup(g) {
				d.reason(CodeFrom, "outgoing statement sent from %s, an address of %s", a, g)
			}
		}
	}
}

// managers sets the managers and the escalation.
func (r *Router) managers(d *decision) {
	if !d.matched {
		d.out.Managers = []liaison.Contact{r.iab}
		d.out.Escalate, d.out.EscalationReason = true, EscalateUnknownOrg
		d.reason(CodeUnknownOrg, "no organization recognised: the IAB liaison coordinators (%s) handle it", r.iab.Email)
		return
	}
	o := &r.cfg.Organizations[d.orgIdx]
	ms := o.ManagersAt(d.at, r.cfg.Location)
	if len(ms) == 0 {
		d.out.Managers = []liaison.Contact{r.iab}
		d.out.NoManager = true
		d.out.Escalate, d.out.EscalationReason = true, EscalateNoManager
		why := "has no liaison manager"
		if len(o.Managers) > 0 {
			why = "has no liaison manager appointed on " + config.DayOf(d.at, r.cfg.Location).String()
		}
		d.reason(CodeNoManager, "%s %s: the IAB liaison coordinators (%s) handle it", o.ID, why, r.iab.Email)
		return
	}
	d.out.Managers = ms
}

// misdirection gives the verdict for an incoming statement.
func (r *Router) misdirection(d *decision, x *liaison.Extraction, in Context) {
	toLiaison := false
	for _, c := range slices.Concat(x.HeaderTo, x.HeaderCc) {
		if r.liaison[strings.ToLower(strings.TrimSpace(c.Email))] {
			toLiaison = true
			break
		}
	}
	addr := r.cfg.LiaisonAddress
	lists := r.addressedGroups(x)
	var wrong []string
	if len(d.out.Groups) > 0 {
		for _, g := range lists {
			if !slices.Contains(d.out.Groups, g.id) {
				wrong = append(wrong, g.id)
			}
		}
		if in.WGList != "" && !slices.Contains(d.out.Groups, in.WGList) && !slices.Contains(wrong, in.WGList) {
			wrong = append(wrong, in.WGList)
		}
		slices.Sort(wrong)
	}
	noHeaders := len(x.HeaderTo) == 0 && len(x.HeaderCc) == 0
	switch {
	case !toLiaison && in.WGList != "":
		d.out.Misdirected, d.out.MisdirectionReason = true, MisdirectedNoLiaison
		d.reason(CodeMisdirected, "arrived on the %s list (folder %q) without %s in To or Cc", in.WGList, in.Folder, addr)
	case !toLiaison && !noHeaders:
		d.out.Misdirected, d.out.MisdirectionReason = true, MisdirectedNoLiaison
		d.reason(CodeMisdirected, "neither To nor Cc contains %s (sent to %s)", addr, recipients(x))
	case len(wrong) > 0:
		d.out.Misdirected, d.out.MisdirectionReason = true, MisdirectedWrongWG
		d.reason(CodeMisdirected, "sent to the list of %s, but routed to %s", strings.Join(wrong, ", "), strings.Join(d.out.Groups, ", "))
	}
	if len(wrong) > 0 {
		d.out.WrongGroups = wrong
	}
}

func recipients(x *liaison.Extraction) string {
	var out []string
	for _, c := range slices.Concat(x.HeaderTo, x.HeaderCc) {
		if c.Email != "" {
			out = append(out, c.Email)
		}
	}
	return strings.Join(out, ", ")
}
