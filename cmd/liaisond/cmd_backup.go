package main

import (
	"errors"
	"fmt"

	"github.com/ietf-tools/liaisond/store"
)

func init() {
	register(command{name: "backup", usage: "-c FILE -o FILE|- [-v]", help: "write a consistent, checked copy of the database (for cron or a timer)", run: runBackup})
	register(command{name: "restore", usage: "-c FILE -i FILE", help: "check a backup and put it in place of the database (the daemon stopped; the old file is kept)", run: runRestore})
}

func runBackup(env *cmdEnv, args []string) error {
	fs := newFlags(env, "backup", "-c FILE -o FILE|- [-v]")
	cfgPath := fs.String("c", "", "config file")
	out := fs.String("o", "", "the backup file (replaced atomically), or - for stdout")
	verbose := fs.Bool("v", false, "say what was written (silent on success otherwise, for cron)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"-o FILE is required"}
	}
	_, db, err := openStore(*cfgPath, true)
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("%w; backups of a running daemon are not possible yet: stop it, or copy a filesystem snapshot and check it with `liaisond check --db FILE`", err)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if *out == "-" {
		_, err := db.Backup(env.stdout)
		return err
	}
	rep, err := backupDB(db, *out)
	if err != nil {
		return err
	}
	if !rep.OK() {
		printDamage(env.stderr, rep)
		return &store.DamageError{Path: db.Path(), Detail: "its backup " + *out + " does not pass the check"}
	}
	if *verbose {
		fmt.Fprintf(env.stdout, "%s: %d records, %s, checked\n", *out, rep.Counts["records"], sizeText(rep.FileSize))
	}
	return nil
}

// backupDB writes a consistent copy of an open database to path and checks
// the copy (the same check as `check --db`): bbolt copies pages as they
// are, so a damaged database makes a damaged backup, which must not pass
// for a good one. It takes an open database so that a running daemon can
// serve a backup from its own handle.
func backupDB(db *store.DB, path string) (*store.CheckReport, error) {
	if _, err := db.BackupFile(path); err != nil {
		return nil, err
	}
	return checkDatabase(path)
}

func runRestore(env *cmdEnv, args []string) error {
	fs := newFlags(env, "restore", "-c FILE -i FILE")
	cfgPath := fs.String("c", "", "config file")
	in := fs.String("i", "", "the backup file to restore")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return usageError{"-i FILE is required"}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	rep, err := checkDatabase(*in)
	if err != nil {
		return err
	}
	if !rep.OK() {
		printDamage(env.stderr, rep)
		return fmt.Errorf("%s does not pass the check; nothing was changed: %w", *in, store.ErrDamaged)
	}
	res, err := store.Restore(cfg.DataDir, *in, env.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "restored %s (%d records) as %s\n", *in, rep.Counts["records"], res.Path)
	if res.Aside != "" {
		fmt.Fprintf(env.stdout, "the previous database is kept as %s\n", res.Aside)
	}
	return nil
}
