package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/scheduler"
	"github.com/ietf-tools/liaisond/store"
)

func init() {
	register(command{name: "sweep", usage: "-c FILE [--at TIME] [--dry-run] [--json]", help: "one scheduler pass: reminders, overdue notices, escalations, digests", run: runSweep})
	register(command{name: "ack", usage: "-c FILE ID [--by EMAIL]", help: "record a manager's acknowledgement of a statement", run: runAck})
}

func runSweep(env *cmdEnv, args []string) error {
	fs := newFlags(env, "sweep", "-c FILE [--at TIME] [--dry-run] [--json]")
	cfgPath := fs.String("c", "", "config file")
	atFlag := fs.String("at", "", `run as if the clock said TIME (RFC 3339, "2027-03-01 09:00" or "2027-03-01" in the config's timezone)`)
	dry := fs.Bool("dry-run", false, "print what would be sent; commit nothing")
	asJSON := fs.Bool("json", false, "print the pass report as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	at := env.now()
	if *atFlag != "" {
		if at, err = scheduler.ParseAt(*atFlag, cfg.Location); err != nil {
			return usageError{err.Error()}
		}
	}
	log := newLogger(env.stderr, cfg)
	db, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := newCore(cfg, db, func() time.Time { return at }, log, coreOptions{})
	if err != nil {
		return err
	}
	s, err := c.scheduler(nil, nil)
	if err != nil {
		return err
	}
	rep, err := s.Pass(at, *dry)
	if err != nil {
		return err
	}
	if *asJSON {
		data, _ := json.Marshal(rep)
		fmt.Fprintln(env.stdout, string(data))
	} else {
		verb := "queued"
		if *dry {
			verb = "would send"
		}
		fmt.Fprintf(env.stdout, "sweep at %s: looked at %d statements, %s %d mails\n", at.In(cfg.Location).Format("2006-01-02 15:04 MST"), rep.Looked, verb, len(rep.Mails))
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		for _, m := range rep.Mails {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Kind, dash(m.RecordID), m.Recipient, m.Period, m.Subject)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if *dry || len(rep.Mails) == 0 || cfg.SMTP == nil {
		return nil
	}
	// Deliver as of the pass's time, so mail queued --at a later time is due.
	denv := *env
	denv.now = func() time.Time {
		if n := env.now(); n.After(at) {
			return n
		}
		return at
	}
	return deliverOutbox(context.Background(), &denv, cfg, db, c.notify, log, "")
}

func runAck(env *cmdEnv, args []string) error {
	fs := newFlags(env, "ack", "-c FILE ID [--by EMAIL]")
	cfgPath := fs.String("c", "", "config file")
	by := fs.String("by", "operator (liaisond ack)", "who acknowledges (a manager's address)")
	ids, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		return usageError{"exactly one statement ID is required"}
	}
	_, db, err := openStore(*cfgPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	now := env.now()
	var already bool
	err = db.Update(func(tx *store.Tx) error {
		r, err := tx.Record(ids[0])
		if err != nil {
			return err
		}
		already = r.Acked != nil
		_, err = pipeline.Ack(tx, ids[0], *by, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("ack %s: %w", ids[0], err)
	}
	if already {
		fmt.Fprintf(env.stdout, "%s was already acknowledged\n", ids[0])
		return nil
	}
	fmt.Fprintf(env.stdout, "%s acknowledged by %s\n", ids[0], *by)
	return nil
}
