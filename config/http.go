package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Anonymous says which clients may read the web view without credentials.
type Anonymous string

// The anonymous-access policies.
const (
	// AnonymousLoopback lets clients on the host itself read without
	// credentials (the default). Behind a reverse proxy on the same host,
	// list it in trusted_proxies, or every client looks local.
	AnonymousLoopback Anonymous = "loopback"
	// AnonymousNone asks every client for a token or a user.
	AnonymousNone Anonymous = "none"
)

// HTTP configures the web view, calendar feeds, JSON API and metrics served
// by `liaisond run` (where signed-in people may act) and `liaisond serve`
// (read-only).
type HTTP struct {
	// Listen is the host:port to listen on (default 127.0.0.1:8080); "off"
	// disables the server in `liaisond run`.
	Listen string `yaml:"listen"`
	// BaseURL is the public address of the web view, used in links inside
	// mails and calendar feeds; no trailing slash after loading.
	BaseURL string `yaml:"base_url"`
	// TokensFile holds bearer tokens, one per line: "sha256:<hex>" (the
	// SHA-256 of the token, preferred) or the token itself, then
	// optionally the address the token acts as and the word "operator"
	// ("sha256:<hex> alex@example.org"). A token without an address reads
	// only. Absolute after loading; empty when unset. Read by the web
	// server at start (web.LoadAuth), checked by `liaisond check`.
	TokensFile string `yaml:"tokens_file"`
	// UsersFile holds basic-auth users, one "name:bcrypt-hash" per line
	// (htpasswd -B format), then optionally ":address" and ":operator"
	// ("alex:$2y$...:alex@example.org"). A user without an address reads
	// only. Absolute after loading; empty when unset.
	UsersFile string `yaml:"users_file"`
	// IMAPStale is how long the IMAP connection may have been down before
	// /readyz fails (default 10m).
	IMAPStale Duration `yaml:"imap_stale"`
	// Anonymous is who may read without credentials (default loopback).
	Anonymous Anonymous `yaml:"anonymous"`
	// TrustedProxies are the reverse proxies (CIDRs or single addresses)
	// whose X-Forwarded-For is believed: the client of a request from one
	// of them is the right-most address in that header that is not itself
	// a trusted proxy. Requests from other peers are judged by their own
	// address, whatever headers they carry.
	TrustedProxies []string `yaml:"trusted_proxies"`

	// trusted is TrustedProxies parsed (by validate).
	trusted []netip.Prefix
}

// TrustedNets returns the trusted proxies as prefixes (a single address is
// a /32 or /128).
func (h *HTTP) TrustedNets() []netip.Prefix { return h.trusted }

// ParsePrefix reads a CIDR ("10.0.0.0/8", "::1/128") or a single address
// ("127.0.0.1") as a prefix in canonical (masked) form.
func ParsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or ::1/128", s)
		}
		if p.Addr().Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q: zones are not allowed", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address or a CIDR such as 10.0.0.0/8", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Off reports whether the server is disabled.
func (h *HTTP) Off() bool { return strings.EqualFold(h.Listen, "off") }

func (h *HTTP) setDefaults(c *Config) {
	if h.Listen == "" {
		h.Listen = "127.0.0.1:8080"
	}
	h.BaseURL = strings.TrimRight(strings.TrimSpace(h.BaseURL), "/")
	if h.TokensFile != "" {
		h.TokensFile = c.resolve(h.TokensFile)
	}
	if h.UsersFile != "" {
		h.UsersFile = c.resolve(h.UsersFile)
	}
	if !c.has("http.imap_stale") {
		h.IMAPStale = Duration(10 * time.Minute)
	}
	if h.Anonymous == "" {
		h.Anonymous = AnonymousLoopback
	}
}

func (h *HTTP) validate(v *checker) {
	if !h.Off() {
		if _, port, err := net.SplitHostPort(h.Listen); err != nil || port == "" {
			v.errf("http.listen", "%q: want host:port such as 127.0.0.1:8080, or off", h.Listen)
		}
	}
	if h.BaseURL != "" {
		u, err := url.Parse(h.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			v.errf("http.base_url", "%q: want an absolute http(s) URL such as https://liaisons.example.org", h.BaseURL)
		}
	}
	if h.IMAPStale <= 0 {
		v.errf("http.imap_stale", "must be positive")
	}
	v.oneOf("http.anonymous", string(h.Anonymous), string(AnonymousLoopback), string(AnonymousNone))
	h.trusted = nil
	for i, t := range h.TrustedProxies {
		p, err := ParsePrefix(t)
		if err != nil {
			v.errf(fmt.Sprintf("http.trusted_proxies[%d]", i), "%v", err)
			continue
		}
		h.trusted = append(h.trusted, p)
	}
}
