package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/ietf-tools/liaisond/scheduler"
)

func init() {
	register(command{name: "sweep", usage: "-c FILE [--at TIME] [--dry-run] [--json]", help: "one scheduler pass: reminders, overdue notices, escalations, digests", run: runSweep, remote: true})
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
	ses, err := env.open(*cfgPath, writeData)
	if err != nil {
		return err
	}
	defer ses.Close()
	cfg := ses.cfg
	at := env.now()
	if *atFlag != "" {
		if at, err = scheduler.ParseAt(*atFlag, cfg.Location); err != nil {
			return usageError{err.Error()}
		}
	}
	c, err := ses.core(func() time.Time { return at }, coreOptions{})
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
	if *dry || len(rep.Mails) == 0 {
		return nil
	}
	// Deliver as of the pass's time, so mail queued --at a later time is due.
	return ses.deliver(context.Background(), c.notify, func() time.Time {
		if n := env.now(); n.After(at) {
			return n
		}
		return at
	})
}
