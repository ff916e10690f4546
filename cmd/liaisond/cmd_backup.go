package main

import (
	"fmt"

	"github.com/ietf-tools/liaisond/store"
)

func init() {
	register(command{name: "backup", usage: "-c FILE -o FILE|- [-v]", help: "write a consistent, checked copy of the database (for cron or a timer; also while the daemon runs)", run: runBackup, remote: true})
	register(command{name: "restore", usage: "-c FILE -i FILE", help: "check a backup and put it in place of the database (the daemon stopped; the old file is kept)", run: runRestore})
}

// runBackup writes a consistent copy of the database: the pages of one
// read transaction (store.DB.Backup), so writers go on meanwhile. With -o
// -, the copy goes to stdout. With -o FILE, it is `backup -o -` into a
// temporary file beside FILE (cmdEnv.toFile: this process writes it, also
// when the copy comes from the daemon through its control socket), which
// must pass the same check as `check --db` before it is renamed over FILE:
// bbolt copies pages as they are, so a damaged database makes a damaged
// backup, which must not pass for a good one nor replace one.
func runBackup(env *cmdEnv, args []string) error {
	fs := newFlags(env, "backup", "-c FILE -o FILE|- [-v]")
	cfgPath := fs.String("c", "", "config file")
	out := fs.String("o", "", "the backup file (replaced atomically), or - for stdout")
	verbose := fs.Bool("v", false, "say what was written (silent on success otherwise, for cron)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *out {
	case "":
		return usageError{"-o FILE is required"}
	case "-":
		s, err := env.open(*cfgPath, readData)
		if err != nil {
			return err
		}
		defer s.Close()
		_, err = s.db.Backup(env.stdout)
		return err
	}
	var rep *store.CheckReport
	err := env.toFile(*out, []string{"backup", "-c", *cfgPath, "-o", "-"}, func(tmp string) error {
		var err error
		if rep, err = checkDatabase(tmp); err != nil {
			return err
		}
		if !rep.OK() {
			rep.Path = *out
			printDamage(env.stderr, rep)
			return &store.DamageError{Path: *out, Detail: "the copy does not pass the check; " + *out + " was not written"}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if *verbose {
		fmt.Fprintf(env.stdout, "%s: %d records, %s, checked\n", *out, rep.Counts["records"], sizeText(rep.FileSize))
	}
	return nil
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
	if err := newIdentity(cfg.DataDir); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "restored %s (%d records) as %s\n", *in, rep.Counts["records"], res.Path)
	if res.Aside != "" {
		fmt.Fprintf(env.stdout, "the previous database is kept as %s\n", res.Aside)
	}
	return nil
}

// newIdentity gives the database in dataDir an identity of its own: a
// restored copy is not the database it was copied from, which may still
// work on the mailbox elsewhere, and it is behind the mailbox, so the
// daemon catches up (rebuilds from the mailbox) when it takes the mailbox
// (see imapwatch.Lease).
func newIdentity(dataDir string) error {
	db, err := store.Open(dataDir, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *store.Tx) error {
		_, err := tx.NewInstance()
		return err
	})
}
