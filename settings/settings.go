// Package settings holds the configuration in force, together with what is
// derived from it (routing tables, templates, the sender address and the
// mail-command key), as one immutable Snapshot. The pipeline, the composer
// (notify), the scheduler and the action layer share one Holder, so a
// reload (SIGHUP) swaps the configuration for all of them at once.
//
// A user takes one snapshot per unit of work (a batch, a scheduler pass, an
// action), so a reload never mixes two configurations inside it. A reload
// that fails keeps the snapshot in force.
package settings

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/templates"
)

// Snapshot is one consistent view of the configuration. It is never
// modified once built.
type Snapshot struct {
	Config    *config.Config
	Router    *routing.Router
	Templates *templates.Set
	// From is the address the daemon sends from.
	From liaison.Contact
	// CommandKey is the mail-command HMAC key; nil when mail commands are
	// disabled. It is never logged.
	CommandKey []byte
	// Marker marks every outgoing mail as the daemon's own and recognises
	// it when it comes back (see outmail.Marker). It is keyed with a key
	// derived from CommandKey; without one, with the public key.
	Marker *outmail.Marker
}

// Build derives a snapshot from cfg. When tmpl is nil the templates are
// read from cfg.TemplatesDir (the embedded defaults when it is empty).
func Build(cfg *config.Config, tmpl *templates.Set) (*Snapshot, error) {
	if cfg == nil {
		return nil, errors.New("settings: no configuration")
	}
	r, err := routing.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("settings: routing: %w", err)
	}
	if tmpl == nil {
		if tmpl, err = templates.New(cfg.TemplatesDir); err != nil {
			return nil, fmt.Errorf("settings: templates: %w", err)
		}
	}
	from, err := FromAddress(cfg)
	if err != nil {
		return nil, err
	}
	key, err := commandKey(cfg)
	if err != nil {
		return nil, err
	}
	return &Snapshot{Config: cfg, Router: r, Templates: tmpl, From: from, CommandKey: key, Marker: outmail.NewMarker(key)}, nil
}

// Commands reports whether mail commands are enabled.
func (s *Snapshot) Commands() bool { return len(s.CommandKey) > 0 }

// Domain is the mail domain the daemon sends from (its Message-IDs and
// List-Id use it).
func (s *Snapshot) Domain() string { return DomainOf(s.From.Email) }

// ListID is the List-Id (without brackets) of the daemon's own mail.
func (s *Snapshot) ListID() string { return "liaisond." + s.Domain() }

// LiaisonAddresses are the liaison address and its aliases.
func (s *Snapshot) LiaisonAddresses() []string {
	return append([]string{s.Config.LiaisonAddress}, s.Config.LiaisonAliases...)
}

// FromAddress is the address the daemon sends from: smtp.from, or
// liaisond@<domain of the liaison address>.
func FromAddress(cfg *config.Config) (liaison.Contact, error) {
	if cfg.SMTP != nil && cfg.SMTP.From != "" {
		a, err := mailaddr.ParseMailbox(cfg.SMTP.From)
		if err != nil {
			return liaison.Contact{}, fmt.Errorf("settings: smtp.from %q: %w", cfg.SMTP.From, err)
		}
		return liaison.Contact{Name: a.Name, Email: a.Addr()}, nil
	}
	return liaison.Contact{Name: "IETF Liaison Daemon", Email: "liaisond@" + DomainOf(cfg.LiaisonAddress)}, nil
}

// DomainOf returns the lower-cased domain of an address ("localhost" when
// it has none).
func DomainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return "localhost"
}

// commandKey reads the mail-command key named by the config (nil when
// commands are disabled).
func commandKey(cfg *config.Config) ([]byte, error) {
	if cfg.Commands == nil {
		return nil, nil
	}
	k, err := cfg.Commands.Secret.Read()
	if err != nil {
		return nil, fmt.Errorf("settings: commands key (%s): %w", cfg.Commands.Secret, err)
	}
	return []byte(k), nil
}

// Holder holds the snapshot in force. It is safe for concurrent use.
type Holder struct {
	cur atomic.Pointer[Snapshot]
}

// New builds the first snapshot from cfg (see Build).
func New(cfg *config.Config, tmpl *templates.Set) (*Holder, error) {
	s, err := Build(cfg, tmpl)
	if err != nil {
		return nil, err
	}
	h := &Holder{}
	h.cur.Store(s)
	return h, nil
}

// Current returns the snapshot in force.
func (h *Holder) Current() *Snapshot { return h.cur.Load() }

// Config returns the configuration in force.
func (h *Holder) Config() *config.Config { return h.cur.Load().Config }

// Reload swaps in a snapshot of cfg. When tmpl is nil the templates in
// force are kept. On error the snapshot in force stays.
func (h *Holder) Reload(cfg *config.Config, tmpl *templates.Set) error {
	if tmpl == nil {
		tmpl = h.Current().Templates
	}
	s, err := Build(cfg, tmpl)
	if err != nil {
		return err
	}
	h.cur.Store(s)
	return nil
}
