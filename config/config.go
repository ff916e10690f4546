// Package config loads, defaults, validates and explains liaisond's single
// YAML configuration file.
//
// Load and Parse report every problem at once, each as "FILE:LINE: key:
// message" (see Errors). Secrets are never read at load time: the file
// records only where they are kept (see Secret). Apart from reading the file
// itself the package does no I/O.
//
// Adding a section: add a field with a `yaml:"key"` tag to Config (a struct
// type for the section, a pointer when the section is optional); the decoder
// then knows its keys, rejects unknown ones and remembers their lines. Put
// its defaults in Config.setDefaults and its checks in a validate method
// called from Config.validate, and document every key in docs/config.md.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"time"
	_ "time/tzdata" // the timezone key must work on machines without zoneinfo

	"github.com/ietf-tools/liaisond/liaison"
)

// Config is the whole configuration file.
type Config struct {
	// LiaisonAddress is the public address peers send statements to.
	LiaisonAddress string `yaml:"liaison_address"`
	// LiaisonAliases are other addresses that count as the liaison address.
	LiaisonAliases []string `yaml:"liaison_aliases"`
	// DataDir holds the database; absolute after loading.
	DataDir string `yaml:"data_dir"`
	// Timezone is the IANA zone in which date-only deadlines end.
	Timezone string `yaml:"timezone"`
	// IAB are the IAB liaison coordinators, who handle statements from
	// organizations without a liaison manager.
	IAB liaison.Contact `yaml:"iab"`
	// Log configures logging.
	Log Log `yaml:"log"`
	// Organizations are the peer organizations.
	Organizations []Organization `yaml:"organizations"`
	// Groups are the IETF groups statements can be routed to.
	Groups []Group `yaml:"groups"`
	// Routes are the routing rules, in order.
	Routes []Route `yaml:"routes"`
	// IMAP is the mailbox to poll; nil when not configured.
	IMAP *IMAP `yaml:"imap"`
	// SMTP is the server to send through; nil when not configured.
	SMTP *SMTP `yaml:"smtp"`
	// TemplatesDir optionally overrides the embedded templates; absolute
	// after loading, empty when unset.
	TemplatesDir string `yaml:"templates_dir"`
	// HTTP configures the web view, feeds, API and metrics.
	HTTP HTTP `yaml:"http"`
	// Deadlines configures reminders, overdue notices and escalations.
	Deadlines Deadlines `yaml:"deadlines"`
	// Digest configures the managers' digests and the IAB overview.
	Digest Digest `yaml:"digest"`
	// Commands enables mail commands; nil (disabled) when absent.
	Commands *Commands `yaml:"commands"`
	// Outgoing configures statements the IETF sends (approval, meetings).
	Outgoing Outgoing `yaml:"outgoing"`
	// Coordination configures the notes to managers whose relationships
	// send statements to the same group.
	Coordination Coordination `yaml:"coordination"`
	// Control configures the daemon's control socket (the CLI while the
	// daemon runs).
	Control Control `yaml:"control"`

	// Path is the file's path as given to Load or Parse.
	Path string `yaml:"-"`
	// Dir is the folder relative paths are resolved against.
	Dir string `yaml:"-"`
	// Location is Timezone loaded.
	Location *time.Location `yaml:"-"`

	lines map[string]int
}

// Log configures logging.
type Log struct {
	Format string `yaml:"format"` // "text" or "json"
	Level  string `yaml:"level"`  // "debug", "info", "warn" or "error"
}

// Organization is a peer organization the IETF has a liaison relationship
// with.
type Organization struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
	// Domains are mail domains the organization's staff write from
	// (subdomains included).
	Domains []string `yaml:"domains"`
	// Relationship is formal (liaison managers appointed) or informal
	// (none: the IAB liaison coordinators handle its statements); by
	// default formal when managers are listed.
	Relationship Relationship `yaml:"relationship"`
	// Scope says what the relationship covers.
	Scope Scope `yaml:"scope"`
	// Peer is the organization's side: its liaison addresses and contacts.
	Peer Peer `yaml:"peer"`
	// Managers are the appointments of the IETF liaison managers for this
	// organization, current and past (see ManagersAt); none in force means
	// the IAB liaison coordinators handle its statements.
	Managers []Manager `yaml:"managers"`
	// Outgoing is what the organization asks of the statements the IETF
	// sends it; nil when statements to it are not drafted here.
	Outgoing *PeerRules `yaml:"outgoing"`
}

// Group is an IETF group (usually a working group).
type Group struct {
	ID      string    `yaml:"id"`
	Name    string    `yaml:"name"`
	Kind    GroupKind `yaml:"kind"`   // wg (default), area, iab or ietf
	List    string    `yaml:"list"`   // the group's mailing list address
	Chairs  []string  `yaml:"chairs"` // chairs' addresses (often an alias)
	Aliases []string  `yaml:"aliases"`
	// Area is the id of the area group a working group belongs to; its
	// directors may approve the group's statements too.
	Area string `yaml:"area"`
	// Directors are an area's directors (kind area only).
	Directors []string `yaml:"directors"`
	// Deliver says how the group receives statements: a notice to its
	// chairs (default), an announcement to its list, or both.
	Deliver Delivery `yaml:"deliver"`
}

// GroupKind is what sort of IETF body a group is; it decides who approves
// the statements the group sends, and which groups are umbrellas in
// routing: an area and the IETF as a whole receive a statement only when
// it names no group below them.
type GroupKind string

// The group kinds.
const (
	KindWG   GroupKind = "wg"   // a working group: its chairs approve (and its area's directors)
	KindArea GroupKind = "area" // an area: its directors approve; above its working groups
	KindIAB  GroupKind = "iab"  // the IAB: the IAB approves
	KindIETF GroupKind = "ietf" // the IETF as a whole: the IAB approves; above every working group and area
)

// Route is a routing rule: statements matching every condition set go to
// the groups in To. Rules are tried in order; the first match ends the
// search unless it has Continue.
type Route struct {
	From     []string        `yaml:"from"`    // organization ids; empty matches any organization
	Subject  string          `yaml:"subject"` // regexp matched against the statement's title and the mail subject
	Body     string          `yaml:"body"`    // regexp matched against the body
	Purpose  liaison.Purpose `yaml:"purpose"` // action, comment, info or response
	To       []string        `yaml:"to"`      // group ids
	Continue bool            `yaml:"continue"`
	// Line is the rule's line in the file, for explanations.
	Line int `yaml:"-"`
}

// Server is what IMAP and SMTP have in common.
type Server struct {
	Address       string `yaml:"address"`        // host:port
	TLS           string `yaml:"tls"`            // "implicit", "starttls" or "none"
	AllowInsecure bool   `yaml:"allow_insecure"` // permit tls: none to a non-loopback host
	Username      string `yaml:"username"`
	PasswordFile  string `yaml:"password_file"`
	PasswordEnv   string `yaml:"password_env"`
	// CAFile is a PEM file of certificate authorities to trust instead of
	// the system roots (a private CA, or a test's self-signed certificate).
	CAFile string `yaml:"ca_file"`
	// Password is where the password is kept (from PasswordFile or
	// PasswordEnv); read it with Password.Read when connecting.
	Password Secret `yaml:"-"`
}

// IMAP is the mailbox liaisond polls.
type IMAP struct {
	Server          `yaml:",inline"`
	Folders         []Folder `yaml:"folders"`
	ProcessedFolder string   `yaml:"processed_folder"`
	FailedFolder    string   `yaml:"failed_folder"`
	MarkSeen        bool     `yaml:"mark_seen"`
	PollInterval    Duration `yaml:"poll_interval"`
	IdleRestart     Duration `yaml:"idle_restart"`
	// BatchSize and BatchBytes cap one batch (one transaction) by count
	// and by bytes; a message above BatchBytes forms a batch alone.
	BatchSize  int      `yaml:"batch_size"`
	BatchBytes ByteSize `yaml:"batch_bytes"`
	// MaxAttempts is how many times a message is processed before it is
	// kept as failed and moved to FailedFolder.
	MaxAttempts int `yaml:"max_attempts"`
	// SentFolder receives a copy of every mail the daemon sends ("": none
	// kept). With ProcessedFolder it makes the mailbox the durable log a
	// lost database is rebuilt from (liaisond rebuild).
	SentFolder string `yaml:"sent_folder"`
	// LeaseTTL is how long the daemon's claim on the mailbox lasts without
	// renewal (one active daemon per mailbox; see imapwatch.Lease).
	LeaseTTL Duration `yaml:"lease_ttl"`
	// LeaseFolder holds the claim on servers without IMAP METADATA.
	LeaseFolder string `yaml:"lease_folder"`
}

// SMTP is the server liaisond sends through.
type SMTP struct {
	Server      `yaml:",inline"`
	From        string   `yaml:"from"` // From: of every mail sent, "Name <addr>"
	RetryMaxAge Duration `yaml:"retry_max_age"`
	// RetryInitial is the first retry delay after a temporary failure; it
	// doubles per attempt up to an hour.
	RetryInitial Duration `yaml:"retry_initial"`
	// The outbox's circuit breaker (see breaker.go).
	RecipientLimit  int      `yaml:"recipient_limit"`
	GlobalLimit     int      `yaml:"global_limit"`
	LimitWindow     Duration `yaml:"limit_window"`
	BreakerCooldown Duration `yaml:"breaker_cooldown"`
}

// Load reads, parses, defaults and validates the file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse parses, defaults and validates data as the file at path (path is
// used for messages and to resolve relative paths). On problems the error
// is Errors.
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{Path: path, Dir: filepath.Dir(path)}
	if path == "" {
		c.Dir = "."
	}
	d := newDecoder(path)
	root := d.parseYAML(data)
	if len(d.diags) > 0 {
		return nil, d.diags
	}
	d.decode(root, reflect.ValueOf(c).Elem(), "")
	c.lines = d.lines
	for i := range c.Routes {
		c.Routes[i].Line = c.Line(fmt.Sprintf("routes[%d]", i))
	}
	c.setDefaults()
	v := &checker{file: path, lines: d.lines, diags: d.diags, decoded: len(d.diags)}
	c.validate(v)
	if len(v.diags) > 0 {
		v.diags.sort()
		return nil, v.diags
	}
	return c, nil
}

// Line returns the line of the key at path ("imap.tls", "routes[3]"), or of
// its nearest parent that appears in the file; 1 when none does.
func (c *Config) Line(path string) int {
	return lineFor(c.lines, path)
}

// Has reports whether the key at path ("organizations[0].outgoing.require")
// was written in the file, rather than defaulted.
func (c *Config) Has(path string) bool { return c.has(path) }

// has reports whether the key at path was written in the file.
func (c *Config) has(path string) bool {
	_, ok := c.lines[path]
	return ok
}

// setDefaults fills in what the file left out and resolves relative paths.
func (c *Config) setDefaults() {
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	c.DataDir = c.resolve(c.DataDir)
	if c.TemplatesDir != "" {
		c.TemplatesDir = c.resolve(c.TemplatesDir)
	}
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if c.Log.Format == "" {
		c.Log.Format = "text"
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	c.HTTP.setDefaults(c)
	c.Control.setDefaults(c)
	if m := c.IMAP; m != nil {
		m.setDefaults(c, "implicit")
		if len(m.Folders) == 0 {
			m.Folders = []Folder{{Name: "INBOX"}}
		}
		if !c.has("imap.mark_seen") {
			m.MarkSeen = true
		}
		if !c.has("imap.poll_interval") {
			m.PollInterval = Duration(60 * time.Second)
		}
		if !c.has("imap.idle_restart") {
			m.IdleRestart = Duration(10 * time.Minute)
		}
		if !c.has("imap.batch_size") {
			m.BatchSize = 100
		}
		if !c.has("imap.batch_bytes") {
			m.BatchBytes = 32 << 20
		}
		if !c.has("imap.max_attempts") {
			m.MaxAttempts = 3
		}
		if !c.has("imap.lease_ttl") {
			m.LeaseTTL = Duration(2 * time.Minute)
		}
		if m.LeaseFolder == "" {
			m.LeaseFolder = "liaisond-lease"
		}
	}
	c.setScheduleDefaults()
	c.setOutgoingDefaults()
	c.setRelationshipDefaults()
	for i := range c.Groups {
		if c.Groups[i].Kind == "" {
			c.Groups[i].Kind = KindWG
		}
	}
	if c.Commands != nil {
		c.Commands.setDefaults(c)
	}
	if s := c.SMTP; s != nil {
		s.setDefaults(c, "starttls")
		if !c.has("smtp.retry_max_age") {
			s.RetryMaxAge = Duration(48 * time.Hour)
		}
		if !c.has("smtp.retry_initial") {
			s.RetryInitial = Duration(30 * time.Second)
		}
		s.breakerDefaults(c)
	}
}

func (s *Server) setDefaults(c *Config, tls string) {
	if s.TLS == "" {
		s.TLS = tls
	}
	if s.CAFile != "" {
		s.CAFile = c.resolve(s.CAFile)
	}
	switch {
	case s.PasswordFile != "":
		s.Password = Secret{File: c.resolve(s.PasswordFile)}
	case s.PasswordEnv != "":
		s.Password = Secret{Env: s.PasswordEnv}
	}
}

// resolve makes a path relative to the config file's folder absolute when
// possible (and at least relative to that folder).
func (c *Config) resolve(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	p = filepath.Join(c.Dir, p)
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// Org returns the organization with the given id.
func (c *Config) Org(id string) (*Organization, bool) {
	for i := range c.Organizations {
		if c.Organizations[i].ID == id {
			return &c.Organizations[i], true
		}
	}
	return nil, false
}

// Group returns the group with the given id.
func (c *Config) Group(id string) (*Group, bool) {
	for i := range c.Groups {
		if c.Groups[i].ID == id {
			return &c.Groups[i], true
		}
	}
	return nil, false
}

// Summary is a one-line description of a valid configuration, e.g.
// "liaisond.yaml: ok: 14 organizations (2 informal), 12 groups, 18 routes".
func (c *Config) Summary() string {
	informal := 0
	for _, o := range c.Organizations {
		if o.Relationship == Informal {
			informal++
		}
	}
	s := fmt.Sprintf("%s: ok: %d organizations (%d informal), %d groups, %d routes",
		c.Path, len(c.Organizations), informal, len(c.Groups), len(c.Routes))
	if c.IMAP != nil {
		s += ", imap " + c.IMAP.Address
	}
	if c.SMTP != nil {
		s += ", smtp " + c.SMTP.Address
	}
	return s
}
