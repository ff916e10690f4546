package config

import (
	"strings"
	"time"
)

// Commands configures mail commands: managers answer a notice with a
// command ("ack", "delay 2027-05-01 <reason>", ...) on its first line.
// Without this section commands are disabled and notices carry no reply
// token.
type Commands struct {
	// SecretFile holds the HMAC key that signs the per-statement reply
	// tokens; absolute after loading. It is read once at startup (and on
	// reload), never logged.
	SecretFile string `yaml:"secret_file"`
	// Secret is where the key is kept (SecretFile); read it with
	// Secret.Read.
	Secret Secret `yaml:"-"`
	// TokenMaxAge is how long a reply token works after the day it was
	// issued (default 90 days).
	TokenMaxAge Duration `yaml:"token_max_age"`
	// AuthservID is the authserv-id (RFC 8601) of the MTA in front of the
	// mailbox. When set, a mail command (or a reply that acknowledges) is
	// applied only when that MTA's topmost Authentication-Results header
	// says the sender's domain passed DMARC, or DKIM aligned with it.
	// Empty: commands rest on the token and the From address alone.
	AuthservID string `yaml:"authserv_id"`
}

// DefaultTokenMaxAge is how long a reply token works by default.
const DefaultTokenMaxAge = 90 * 24 * time.Hour

func (m *Commands) setDefaults(c *Config) {
	if m.SecretFile != "" {
		m.SecretFile = c.resolve(m.SecretFile)
		m.Secret = Secret{File: m.SecretFile}
	}
	if !c.has("commands.token_max_age") {
		m.TokenMaxAge = Duration(DefaultTokenMaxAge)
	}
	m.AuthservID = strings.TrimSpace(m.AuthservID)
}

func (m *Commands) validate(v *checker) {
	v.required("commands.secret_file", m.SecretFile)
	if m.TokenMaxAge.D() < 24*time.Hour {
		v.errf("commands.token_max_age", "must be at least 1d (tokens carry their issue day)")
	}
	if m.AuthservID != "" && strings.ContainsAny(m.AuthservID, " \t;()\"\\") {
		v.errf("commands.authserv_id", "%q is not an authserv-id: want the name the MTA writes first in its Authentication-Results headers, such as mx.ietf.org", m.AuthservID)
	}
}
