package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/web"
)

func init() {
	register(command{name: "check", usage: "-c FILE [--db] [--connect] | check --db DBFILE",
		help: "validate a config file and what it names (secrets, data dir); --db checks the database file too, --connect logs in to IMAP and SMTP", run: runCheck})
}

// maxDBProblems bounds the problems `check --db` lists.
const maxDBProblems = 50

func runCheck(env *cmdEnv, args []string) error {
	fs := newFlags(env, "check", "-c FILE [--db] [--connect] | check --db DBFILE")
	cfgPath := fs.String("c", "", "config file")
	checkDB := fs.Bool("db", false, "also check the database file: every page (bbolt's check) and the schema (every record decodes, every index points at what exists)")
	connect := fs.Bool("connect", false, "also log in to IMAP and SMTP and say what they offer (cmd_connect.go)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 1, len(pos) == 1 && (!*checkDB || *cfgPath != ""):
		return usageError{"a DBFILE goes with --db and without -c"}
	case len(pos) == 1:
		return checkDBFile(env, pos[0])
	case *cfgPath == "":
		return usageError{"-c FILE is required"}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		// The diagnostics are the output: one FILE:LINE: message per line.
		fmt.Fprintln(env.stderr, err)
		env.exit = exitConfig
		return nil
	}
	problems, warnings := checkEnvironment(cfg)
	for _, w := range warnings {
		fmt.Fprintln(env.stderr, w)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(env.stderr, p)
		}
		env.exit = exitConfig
		return nil
	}
	fmt.Fprintln(env.stdout, cfg.Summary())
	if *checkDB {
		if err := checkDBFile(env, filepath.Join(cfg.DataDir, store.FileName)); err != nil || env.exit != 0 {
			return err
		}
	}
	if *connect {
		return checkConnect(env, cfg)
	}
	return nil
}

// checkEnvironment checks what the config names outside itself: secrets
// that must be readable, and the data dir. Problems stop the daemon;
// warnings may be fine where the daemon runs (an environment variable set
// by its service manager). Both are "FILE:LINE: key: message" lines.
func checkEnvironment(cfg *config.Config) (problems, warnings []string) {
	at := func(key, format string, args ...any) string {
		return fmt.Sprintf("%s:%d: %s: %s", cfg.Path, cfg.Line(key), key, fmt.Sprintf(format, args...))
	}
	secret := func(key string, s config.Secret) {
		if s.IsZero() {
			return
		}
		if _, err := s.Read(); err != nil {
			if s.File != "" {
				problems = append(problems, at(key+"_file", "%v", err))
			} else {
				warnings = append(warnings, at(key+"_env", "warning: %v here (the daemon's environment must set it)", err))
			}
		}
	}
	if cfg.IMAP != nil {
		secret("imap.password", cfg.IMAP.Password)
	}
	if cfg.SMTP != nil {
		secret("smtp.password", cfg.SMTP.Password)
	}
	if cfg.Commands != nil {
		if _, err := cfg.Commands.Secret.Read(); err != nil {
			problems = append(problems, at("commands.secret_file", "%v", err))
		}
	}
	if w := commandTrustWarning(cfg); w != "" {
		warnings = append(warnings, at("commands", "warning: %s", w))
	}
	if g := cfg.Control.Group; g != "" && !cfg.Control.Off() {
		if _, err := user.LookupGroup(g); err != nil {
			problems = append(problems, at("control.group", "%v", err))
		}
	}
	if err := writableDir(cfg.DataDir); err != nil {
		problems = append(problems, at("data_dir", "%v", err))
	}
	p, w := checkCredentials(cfg, at)
	return append(problems, p...), append(warnings, w...)
}

// checkCredentials reads the web view's tokens and users files as the
// daemon will (a bad line is a problem), and warns of an identity that
// plays no role anywhere in the configuration: it can act on nothing.
func checkCredentials(cfg *config.Config, at func(key, format string, args ...any) string) (problems, warnings []string) {
	rt, err := routing.New(cfg)
	if err != nil {
		return nil, nil // a config error, reported by loading it
	}
	for key, files := range map[string][2]string{"http.tokens_file": {cfg.HTTP.TokensFile, ""}, "http.users_file": {"", cfg.HTTP.UsersFile}} {
		auth, err := web.LoadAuth(files[0], files[1])
		if err != nil {
			problems = append(problems, at(key, "%v", err))
			continue
		}
		for _, id := range auth.Identities() {
			if !id.Operator && !rt.Known(id.Email) && !directs(cfg, id.Email) {
				warnings = append(warnings, at(key, "warning: %s is no manager, chair, director or IAB address here: signed in as them, one can act on nothing", id.Email))
			}
		}
	}
	slices.Sort(problems)
	slices.Sort(warnings)
	return problems, warnings
}

// directs reports whether addr is a director of some area.
func directs(cfg *config.Config, addr string) bool {
	for _, g := range cfg.Groups {
		if slices.ContainsFunc(g.Directors, func(d string) bool { return strings.EqualFold(d, addr) }) {
			return true
		}
	}
	return false
}

// commandTrustWarning says what mail commands rest on when no MTA is
// named to vouch for senders ("" when one is, or commands are off): check
// and the daemon's start say it.
func commandTrustWarning(cfg *config.Config) string {
	if cfg.Commands == nil || cfg.Commands.AuthservID != "" {
		return ""
	}
	return "commands.authserv_id is not set: mail commands (and replies that acknowledge) rest on the reply token and the From address alone, which anyone can write; set it to the authserv-id of the MTA in front of the mailbox"
}

// writableDir checks that dir is a directory this process can create files
// in, or that it can be created (the daemon creates it).
func writableDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		parent := filepath.Dir(dir)
		if parent == dir {
			return fmt.Errorf("%s does not exist", dir)
		}
		if err := writableDir(parent); err != nil {
			return fmt.Errorf("%s does not exist and cannot be created: %w", dir, err)
		}
		return nil
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".liaisond-check-*")
	if err != nil {
		return fmt.Errorf("%s is not writable: %w", dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// checkDBFile runs the full database check on the file at path and prints
// the report: one summary line on stdout when it is sound, else every
// problem and the advice on stderr (exit 65).
func checkDBFile(env *cmdEnv, path string) error {
	rep, err := checkDatabase(path)
	if err != nil {
		return err
	}
	if rep.OK() {
		fmt.Fprintf(env.stdout, "%s: ok: %d records, %d raw messages, %d outbox entries, %d events; %s\n", path,
			rep.Counts["records"], rep.Counts["raw"], rep.Counts["outbox"], rep.Counts["events"], sizeText(rep.FileSize))
		return nil
	}
	printDamage(env.stderr, rep)
	fmt.Fprintf(env.stderr, "liaisond check: %s\n", store.Advice)
	env.exit = exitDamaged
	return nil
}

// checkDatabase opens the file read-only and checks it. Damage found at
// open (a truncated file) is a report with that one problem.
func checkDatabase(path string) (*store.CheckReport, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	db, err := store.OpenFile(path, store.Options{ReadOnly: true})
	var d *store.DamageError
	if errors.As(err, &d) {
		return &store.CheckReport{Path: path, Problems: []string{d.Detail}}, nil
	}
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Check(maxDBProblems)
}

// printDamage lists a failed check's problems.
func printDamage(w io.Writer, rep *store.CheckReport) {
	n := len(rep.Problems) + rep.Omitted
	fmt.Fprintf(w, "%s: DAMAGED: %d %s\n", rep.Path, n, plural(n, "problem", "problems"))
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "  %s\n", p)
	}
	if rep.Omitted > 0 {
		fmt.Fprintf(w, "  ... and %d more\n", rep.Omitted)
	}
}

// sizeText renders a byte count for people.
func sizeText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
