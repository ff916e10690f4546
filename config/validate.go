package config

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
)

// checker collects validation problems, placing each at its key's line.
type checker struct {
	file  string
	lines map[string]int
	diags Errors
	// decoded is how many of diags came from decoding.
	decoded int
}

func lineFor(lines map[string]int, path string) int {
	for {
		if l, ok := lines[path]; ok {
			return l
		}
		if path == "" {
			return 1
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			path = ""
		} else {
			path = path[:i]
		}
	}
}

// errf records a problem with the key at path, unless decoding already
// reported one there (a value that could not be read is not checked again).
func (v *checker) errf(path, format string, args ...any) {
	if v.decodeFailed(path) {
		return
	}
	v.diags = append(v.diags, Diagnostic{File: v.file, Line: lineFor(v.lines, path), Key: path, Msg: fmt.Sprintf(format, args...)})
}

func (v *checker) decodeFailed(path string) bool {
	for _, d := range v.diags[:v.decoded] {
		if d.Key == path {
			return true
		}
	}
	return false
}

// required reports a missing or empty key.
func (v *checker) required(path, value string) bool {
	if strings.TrimSpace(value) == "" {
		v.errf(path, "required key is missing or empty")
		return false
	}
	return true
}

// address checks a bare e-mail address (no display name).
func (v *checker) address(path, value string) {
	if value == "" {
		return
	}
	a, err := mailaddr.ParseAddrSpec(value)
	if err != nil {
		if m, err2 := mailaddr.ParseMailbox(value); err2 == nil {
			v.errf(path, "%q: want a bare address such as %s, without a display name", value, m.Addr())
			return
		}
		v.errf(path, "%q is not an e-mail address: %s", value, addrReason(err))
		return
	}
	if _, err := a.Writable(); err != nil {
		v.errf(path, "%v: liaisond could not send mail to it", err)
	}
}

// addrReason is why mailaddr refused an address, without repeating it.
func addrReason(err error) string {
	var se *mailaddr.SyntaxError
	if errors.As(err, &se) {
		return se.Reason
	}
	return err.Error()
}

// oneOf checks that value is one of allowed.
func (v *checker) oneOf(path, value string, allowed ...string) {
	if !slices.Contains(allowed, value) {
		v.errf(path, "%q is not one of %s", value, strings.Join(allowed, ", "))
	}
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (c *Config) validate(v *checker) {
	if v.required("liaison_address", c.LiaisonAddress) {
		v.address("liaison_address", c.LiaisonAddress)
	}
	for i, a := range c.LiaisonAliases {
		v.address(fmt.Sprintf("liaison_aliases[%d]", i), a)
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		v.errf("timezone", "unknown time zone %q (want an IANA name such as Europe/Paris)", c.Timezone)
	}
	c.Location = loc
	v.required("iab.name", c.IAB.Name)
	if v.required("iab.email", c.IAB.Email) {
		v.address("iab.email", c.IAB.Email)
	}
	v.oneOf("log.format", c.Log.Format, "text", "json")
	v.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	c.validateOrgs(v)
	c.validateGroups(v)
	c.validateRoutes(v)
	c.validateOutgoing(v)
	c.HTTP.validate(v)
	c.Control.validate(v)
	c.validateSchedule(v)
	c.validateCoordination(v)
	if c.Commands != nil {
		c.Commands.validate(v)
	}
	if c.IMAP != nil {
		c.IMAP.validate(v, c)
	}
	if c.SMTP != nil {
		c.SMTP.validate(v)
	}
}

// nameOwner remembers who first used a normalised name, to report
// ambiguities.
type nameOwner struct {
	owner string // the organization or group id
	path  string
	text  string
}

// id checks the id of the entry at path p: present, well-formed, and not
// used before (seen maps ids to the path of their first use).
func (v *checker) id(seen map[string]string, p, id, what string) {
	if !v.required(p+".id", id) {
		return
	}
	if !idRE.MatchString(id) {
		v.errf(p+".id", "%q: ids are lower-case letters, digits, '.', '_' and '-'", id)
	}
	if first, dup := seen[id]; dup {
		v.errf(p+".id", "duplicate %s id %q (first at line %d)", what, id, lineFor(v.lines, first))
	} else {
		seen[id] = p + ".id"
	}
}

func (c *Config) validateOrgs(v *checker) {
	ids := map[string]string{}      // id -> path of first use
	names := map[string]nameOwner{} // normalised id/name/alias -> first owner
	for i, o := range c.Organizations {
		p := fmt.Sprintf("organizations[%d]", i)
		v.id(ids, p, o.ID, "organization")
		v.required(p+".name", o.Name)
		texts := []struct{ path, text string }{{p + ".id", o.ID}, {p + ".name", o.Name}}
		for j, a := range o.Aliases {
			ap := fmt.Sprintf("%s.aliases[%d]", p, j)
			if NormalizeName(a) == "" {
				v.errf(ap, "empty alias")
				continue
			}
			texts = append(texts, struct{ path, text string }{ap, a})
		}
		for _, t := range texts {
			k := NormalizeName(t.text)
			if k == "" {
				continue
			}
			first, seen := names[k]
			switch {
			case !seen:
				names[k] = nameOwner{owner: o.ID, path: t.path, text: t.text}
			case first.owner != o.ID:
				v.errf(t.path, "%q is ambiguous: %q of organization %q (line %d) reads the same",
					t.text, first.text, first.owner, lineFor(v.lines, first.path))
			}
		}
		for j, d := range o.Domains {
			dp := fmt.Sprintf("%s.domains[%d]", p, j)
			if !validDomain(d) {
				v.errf(dp, "%q is not a mail domain such as itu.int", d)
			}
		}
		c.validateRelationship(v, p, o)
	}
}

func validDomain(d string) bool {
	if d == "" || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || !strings.Contains(d, ".") {
		return false
	}
	for _, r := range d {
		if !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func (c *Config) validateGroups(v *checker) {
	ids := map[string]string{}
	names := map[string]nameOwner{}
	for i, g := range c.Groups {
		p := fmt.Sprintf("groups[%d]", i)
		v.id(ids, p, g.ID, "group")
		v.required(p+".name", g.Name)
		if v.required(p+".list", g.List) {
			v.address(p+".list", g.List)
		}
		for j, ch := range g.Chairs {
			v.address(fmt.Sprintf("%s.chairs[%d]", p, j), ch)
		}
		c.validateGroupKind(v, p, g)
		v.oneOf(p+".deliver", string(g.Deliver), string(DeliverChairs), string(DeliverList), string(DeliverBoth))
		for j, a := range g.Aliases {
			ap := fmt.Sprintf("%s.aliases[%d]", p, j)
			k := NormalizeName(a)
			if k == "" {
				v.errf(ap, "empty alias")
				continue
			}
			if first, seen := names[k]; seen && first.owner != g.ID {
				v.errf(ap, "%q is ambiguous: alias %q of group %q (line %d) reads the same",
					a, first.text, first.owner, lineFor(v.lines, first.path))
			} else if !seen {
				names[k] = nameOwner{owner: g.ID, path: ap, text: a}
			}
		}
	}
}

// validateGroupKind checks the keys that depend on a group's kind: an area
// has directors, a working group's area is an area.
func (c *Config) validateGroupKind(v *checker, p string, g Group) {
	v.oneOf(p+".kind", string(g.Kind), string(KindWG), string(KindArea), string(KindIAB), string(KindIETF))
	for j, d := range g.Directors {
		v.address(fmt.Sprintf("%s.directors[%d]", p, j), d)
	}
	switch {
	case g.Kind == KindArea && len(g.Directors) == 0:
		v.errf(p+".directors", "required key is missing or empty: an area's directors approve its statements")
	case g.Kind != KindArea && len(g.Directors) > 0:
		v.errf(p+".directors", "only an area (kind: area) has directors; this group is kind %s", g.Kind)
	}
	if g.Area == "" {
		return
	}
	if g.Kind != KindWG {
		v.errf(p+".area", "only a working group belongs to an area; this group is kind %s", g.Kind)
		return
	}
	a, ok := c.Group(g.Area)
	switch {
	case !ok:
		v.errf(p+".area", "unknown group %q%s", g.Area, didYouMean(g.Area, c.groupIDs()))
	case a.Kind != KindArea:
		v.errf(p+".area", "group %q is not an area (kind: area)", g.Area)
	}
}

var purposes = []string{string(liaison.PurposeAction), string(liaison.PurposeComment), string(liaison.PurposeInfo), string(liaison.PurposeResponse)}

func (c *Config) validateRoutes(v *checker) {
	for i, r := range c.Routes {
		p := fmt.Sprintf("routes[%d]", i)
		for j, f := range r.From {
			if _, ok := c.Org(f); !ok {
				v.errf(fmt.Sprintf("%s.from[%d]", p, j), "unknown organization %q%s", f, didYouMean(f, c.orgIDs()))
			}
		}
		if len(r.To) == 0 {
			v.errf(p+".to", "required key is missing or empty")
		}
		for j, t := range r.To {
			if _, ok := c.Group(t); !ok {
				v.errf(fmt.Sprintf("%s.to[%d]", p, j), "unknown group %q%s", t, didYouMean(t, c.groupIDs()))
			}
		}
		for _, re := range []struct{ key, expr string }{{"subject", r.Subject}, {"body", r.Body}} {
			if re.expr == "" {
				continue
			}
			if _, err := regexp.Compile(re.expr); err != nil {
				v.errf(p+"."+re.key, "bad regular expression: %v", err)
			}
		}
		if r.Purpose != "" {
			v.oneOf(p+".purpose", string(r.Purpose), purposes...)
		}
	}
}

func didYouMean(s string, candidates []string) string {
	if m := suggest(s, candidates); m != "" {
		return fmt.Sprintf(" (did you mean %q?)", m)
	}
	return ""
}

func (c *Config) orgIDs() []string {
	out := make([]string, len(c.Organizations))
	for i, o := range c.Organizations {
		out[i] = o.ID
	}
	return out
}

func (c *Config) groupIDs() []string {
	out := make([]string, len(c.Groups))
	for i, g := range c.Groups {
		out[i] = g.ID
	}
	return out
}

func (s *Server) validate(v *checker, section string) {
	if v.required(section+".address", s.Address) {
		host, port, err := net.SplitHostPort(s.Address)
		if err != nil || host == "" || port == "" {
			v.errf(section+".address", "%q: want host:port, such as mail.example.org:993", s.Address)
		} else if s.TLS == "none" && !s.AllowInsecure && !isLoopback(host) {
			v.errf(section+".tls", "tls: none sends the password in plain text to %s; set allow_insecure: true to allow it", host)
		}
	}
	v.oneOf(section+".tls", s.TLS, "implicit", "starttls", "none")
	if s.PasswordFile != "" && s.PasswordEnv != "" {
		v.errf(section+".password_env", "set password_file or password_env, not both")
	}
	if s.PasswordEnv != "" && !validEnvName(s.PasswordEnv) {
		v.errf(section+".password_env", "%q is not an environment variable name", s.PasswordEnv)
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validEnvName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r < unicode.MaxASCII && unicode.IsLetter(r) || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

func (m *IMAP) validate(v *checker, c *Config) {
	m.Server.validate(v, "imap")
	seen := map[string]bool{}
	for i, f := range m.Folders {
		p := fmt.Sprintf("imap.folders[%d]", i)
		if !v.required(p+".name", f.Name) {
			continue
		}
		if seen[f.Name] {
			v.errf(p+".name", "folder %q is listed twice", f.Name)
		}
		seen[f.Name] = true
		if f.WGList != "" {
			if _, ok := c.Group(f.WGList); !ok {
				v.errf(p+".wg_list", "unknown group %q%s", f.WGList, didYouMean(f.WGList, c.groupIDs()))
			}
		}
	}
	if m.PollInterval <= 0 {
		v.errf("imap.poll_interval", "must be positive")
	}
	if m.IdleRestart <= 0 {
		v.errf("imap.idle_restart", "must be positive")
	}
	if m.BatchSize < 1 || m.BatchSize > 10000 {
		v.errf("imap.batch_size", "must be between 1 and 10000")
	}
	if m.BatchBytes < 1<<20 {
		v.errf("imap.batch_bytes", "must be at least 1MiB (a larger message forms a batch alone anyway)")
	}
	if m.MaxAttempts < 1 || m.MaxAttempts > 100 {
		v.errf("imap.max_attempts", "must be between 1 and 100")
	}
	if m.LeaseTTL < Duration(5*time.Second) || m.LeaseTTL > Duration(time.Hour) {
		v.errf("imap.lease_ttl", "must be between 5s and 1h")
	}
	// The folders the daemon writes to are its own: none may be watched,
	// and none may be another's destination.
	roles := map[string]string{}
	for _, f := range m.Folders {
		roles[f.Name] = "a watched folder"
	}
	for _, k := range []struct{ key, name string }{
		{"processed_folder", m.ProcessedFolder}, {"failed_folder", m.FailedFolder},
		{"sent_folder", m.SentFolder}, {"lease_folder", m.LeaseFolder},
	} {
		if k.name == "" {
			continue
		}
		if other, ok := roles[k.name]; ok && (k.key == "sent_folder" || k.key == "lease_folder" || other == "a watched folder") {
			v.errf("imap."+k.key, "folder %q is also %s", k.name, other)
			continue
		}
		if _, ok := roles[k.name]; !ok {
			roles[k.name] = "imap." + k.key
		}
	}
}

func (s *SMTP) validate(v *checker) {
	s.Server.validate(v, "smtp")
	if v.required("smtp.from", s.From) {
		if m, err := mailaddr.ParseMailbox(s.From); err != nil {
			v.errf("smtp.from", "%q is not an e-mail address: %s", s.From, addrReason(err))
		} else if _, err := m.Writable(); err != nil {
			v.errf("smtp.from", "%v: liaisond could not send from it", err)
		}
	}
	if s.RetryMaxAge <= 0 {
		v.errf("smtp.retry_max_age", "must be positive")
	}
	if s.RetryInitial <= 0 {
		v.errf("smtp.retry_initial", "must be positive")
	}
	s.validateBreaker(v)
}

// NormalizeName reduces an organization or group name to the form names
// are compared in: lower case, every run of punctuation or white space
// turned into one space, a space between letters and digits ("SG15" and
// "SG 15" both become "sg 15", "802.1Q" becomes "802 1 q"), and no leading
// or trailing space. Two names that normalise alike are the same name.
func NormalizeName(s string) string { return liaison.NormalizeName(s) }
