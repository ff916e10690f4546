package config

import (
	"net"
	"net/url"
	"strings"
	"time"
)

// HTTP configures the read-only web view, calendar feeds, JSON API and
// metrics served by `liaisond run` and `liaisond serve`.
type HTTP struct {
	// Listen is the host:port to listen on (default 127.0.0.1:8080); "off"
	// disables the server in `liaisond run`.
	Listen string `yaml:"listen"`
	// BaseURL is the public address of the web view, used in links inside
	// mails and calendar feeds; no trailing slash after loading.
	BaseURL string `yaml:"base_url"`
	// TokensFile holds bearer tokens, one per line: "sha256:<hex>" (the
	// SHA-256 of the token, preferred) or the token itself. Absolute after
	// loading; empty when unset.
	TokensFile string `yaml:"tokens_file"`
	// UsersFile holds basic-auth users, one "name:bcrypt-hash" per line
	// (htpasswd -B format). Absolute after loading; empty when unset.
	UsersFile string `yaml:"users_file"`
	// IMAPStale is how long the IMAP connection may have been down before
	// /readyz fails (default 10m).
	IMAPStale Duration `yaml:"imap_stale"`
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
}
