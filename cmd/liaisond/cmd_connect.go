package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/internal/netdiag"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/mailproc/smtpsend"
)

// connectTimeout bounds each server's check in `check --connect`.
const connectTimeout = 60 * time.Second

// checkConnect logs in to the configured IMAP and SMTP servers and says
// what it found: `liaisond check --connect`. It returns an error when
// either cannot be used as configured: a configError (exit 78) when a
// setting is wrong, a plain one (exit 1) when a server does not answer.
func checkConnect(env *cmdEnv, cfg *config.Config) error {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var failed []string
	misconfigured := false
	note := func(name, addr string, err error) {
		fmt.Fprintf(env.stdout, "%s %s: FAILED: %v\n", name, addr, err)
		failed = append(failed, name)
		misconfigured = misconfigured || netdiag.KindOf(err).Misconfigured()
	}
	if cfg.IMAP == nil {
		fmt.Fprintln(env.stdout, "imap: not configured")
	} else if err := checkIMAP(env.stdout, cfg, quiet); err != nil {
		note("imap", cfg.IMAP.Address, err)
	}
	if cfg.SMTP == nil {
		fmt.Fprintln(env.stdout, "smtp: not configured (nothing will be sent)")
	} else if err := checkSMTP(env.stdout, cfg, quiet); err != nil {
		note("smtp", cfg.SMTP.Address, err)
	}
	if len(failed) == 0 {
		return nil
	}
	err := fmt.Errorf("cannot use %s as configured", strings.Join(failed, " and "))
	if misconfigured {
		return configError{err}
	}
	return err
}

func checkIMAP(w io.Writer, cfg *config.Config, log *slog.Logger) error {
	opt, err := imapOptions(cfg, time.Now, log)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	r, err := imapwatch.Probe(ctx, opt, imapwatch.ProbeFolders{Sent: cfg.IMAP.SentFolder, Lease: cfg.IMAP.LeaseFolder})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "imap %s (tls: %s): logged in as %s\n", cfg.IMAP.Address, cfg.IMAP.TLS, cfg.IMAP.Username)
	fmt.Fprintf(w, "  capabilities: %s\n", strings.Join(r.Capabilities, " "))
	for _, f := range r.Folders {
		state := "present"
		if !f.Present {
			state = "missing (liaisond run creates it)"
		}
		fmt.Fprintf(w, "  folder %q (%s): %s\n", f.Name, f.Role, state)
	}
	if r.Claim != "" {
		fmt.Fprintf(w, "  claim on the mailbox (one active daemon): %s\n", r.Claim)
	}
	return nil
}

func checkSMTP(w io.Writer, cfg *config.Config, log *slog.Logger) error {
	tr, _, err := newTransport(cfg, "", log)
	if err != nil {
		return err
	}
	s, ok := tr.(*smtpsend.Sender)
	if !ok {
		return errors.New("no SMTP sender configured")
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	r, err := s.Probe(ctx)
	if err != nil {
		return err
	}
	login := "no AUTH (no username set)"
	if r.Auth != "" {
		login = fmt.Sprintf("logged in as %s with AUTH %s", cfg.SMTP.Username, r.Auth)
	}
	fmt.Fprintf(w, "smtp %s (tls: %s, %s): %s\n", cfg.SMTP.Address, cfg.SMTP.TLS, r.TLS, login)
	fmt.Fprintf(w, "  extensions: %s\n", strings.Join(r.Extensions, "; "))
	return nil
}

// startFailure classifies a failure to start against a mail server: a
// misconfiguration (TLS mode, certificate, STARTTLS, credentials, an
// unknown host) is a configError, exit 78, so that a supervisor does not
// restart into it again; anything else (nothing listening yet, no answer)
// is an ordinary failure, exit 1, worth a restart.
func startFailure(err error) error {
	if netdiag.KindOf(err).Misconfigured() {
		return configError{err}
	}
	return err
}
