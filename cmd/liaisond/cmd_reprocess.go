package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

func init() {
	register(command{name: "reprocess", usage: "-c FILE [--json] [ID...]", help: "re-run extraction and routing from stored raw mail (after a config change)", run: runReprocess, remote: true})
}

func runReprocess(env *cmdEnv, args []string) error {
	fs := newFlags(env, "reprocess", "-c FILE [--json] [ID...]")
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "JSON output")
	ids, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	s, err := env.open(*cfgPath, writeData)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.core(env.now, coreOptions{mute: true})
	if err != nil {
		return err
	}
	p, err := c.pipeline(pdfReader(), nil)
	if err != nil {
		return err
	}
	changes, err := p.Reprocess(ids)
	if err != nil {
		return err
	}
	n := 0
	for _, c := range changes {
		if c.Error != "" {
			env.exit = 1
		}
		if *asJSON {
			data, _ := json.Marshal(c)
			fmt.Fprintln(env.stdout, string(data))
			continue
		}
		switch {
		case c.Error != "":
			fmt.Fprintf(env.stdout, "%s error: %s\n", c.ID, c.Error)
		case len(c.Fields) > 0:
			n++
			fmt.Fprintf(env.stdout, "%s changed: %s\n", c.ID, strings.Join(c.Fields, ", "))
		}
	}
	if !*asJSON {
		fmt.Fprintf(env.stdout, "%d records reprocessed, %d changed\n", len(changes), n)
	}
	return nil
}
