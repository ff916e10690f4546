package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/source"
	"github.com/ietf-tools/liaisond/pipeline"
)

func init() {
	register(command{name: "ingest", usage: "-c FILE [--dry-run] [--json] [--no-mail] PATH...", help: "record .eml files, mbox files or Maildirs (same path as IMAP mail)", run: runIngest})
}

// ingestBatch is how many messages share one transaction.
const ingestBatch = 100

// ingestLine is the --json output for one input message: the record as
// `list --json` prints it (every field, message_id included) and what
// ingesting it did. A message that could not be recorded has only its
// origin and the error.
type ingestLine struct {
	*liaison.RecordView
	// Origin is where this input came from (a duplicate's record keeps the
	// first copy's origin).
	Origin    string   `json:"origin,omitempty"`
	Duplicate bool     `json:"duplicate,omitempty"`
	Linked    string   `json:"linked_to,omitempty"`
	Queued    []string `json:"queued,omitempty"`
	Flags     []string `json:"flags,omitempty"`
	Error     string   `json:"error,omitempty"`
}

func runIngest(env *cmdEnv, args []string) error {
	fs := newFlags(env, "ingest", "-c FILE [--dry-run] [--json] [--no-mail] PATH...")
	cfgPath := fs.String("c", "", "config file")
	dry := fs.Bool("dry-run", false, "parse and route but record nothing")
	asJSON := fs.Bool("json", false, "one JSON object per input message")
	noMail := fs.Bool("no-mail", false, "record only: queue no notices (backfills)")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usageError{"at least one PATH is required"}
	}
	s, err := env.open(*cfgPath, writeData)
	if err != nil {
		return err
	}
	defer s.Close()
	log := s.log
	c, err := s.core(env.now, coreOptions{mute: *noMail})
	if err != nil {
		return err
	}
	p, err := c.pipeline(pdfReader(), nil)
	if err != nil {
		return err
	}
	out := &ingestPrinter{w: env.stdout, json: *asJSON, loc: s.cfg.Location, now: env.now}
	var batch []pipeline.Input
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ingestInputs(p, batch, *dry, out, log)
		batch = batch[:0]
		return nil
	}
	for _, path := range paths {
		err := source.Walk(path, func(raw []byte, origin string) error {
			batch = append(batch, pipeline.Input{Raw: raw, Origin: origin})
			if len(batch) >= ingestBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			// An unreadable path is reported like any failed message.
			log.Error("cannot read input", "path", path, "err", err)
			out.print(ingestLine{Origin: path, Error: err.Error()})
			out.failed++
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if dmg := s.db.Damage(); dmg != nil {
		return dmg // the messages' errors said so too; the exit code says it once
	}
	if !*dry && !*noMail {
		if err := s.deliver(context.Background(), c.notify, env.now); err != nil {
			return err
		}
	}
	if out.failed > 0 {
		env.exit = 1
	}
	return nil
}

// ingestInputs records a batch; one bad message is kept as failed and
// never holds back the others (pipeline.ProcessEach).
func ingestInputs(p *pipeline.Pipeline, batch []pipeline.Input, dry bool, out *ingestPrinter, log *slog.Logger) {
	res, errs := p.ProcessEach(batch, dry)
	for i, r := range res {
		if errs[i] != nil {
			log.Error("message not recorded", "origin", batch[i].Origin, "err", errs[i])
			out.print(ingestLine{Origin: batch[i].Origin, Error: errs[i].Error()})
			out.failed++
			continue
		}
		out.result(r)
	}
}

type ingestPrinter struct {
	w      io.Writer
	json   bool
	failed int
	// loc and now give the view its status, as list --json does.
	loc *time.Location
	now func() time.Time
}

func (o *ingestPrinter) result(r pipeline.Result) {
	l := ingestLine{Origin: r.Origin, Duplicate: r.Duplicate, Linked: r.Linked, Queued: r.Queued, Flags: r.Flags}
	if r.Record != nil {
		v := r.Record.ViewAt(o.loc, o.now())
		if v.DuplicateOf == "" {
			v.DuplicateOf = r.DuplicateOf // the same Message-ID again: this input is that record
		}
		l.RecordView = &v
	} else {
		// A dry run of a message not recorded still says what it was.
		l.RecordView = &liaison.RecordView{ID: r.ID, Kind: r.Kind, DuplicateOf: r.DuplicateOf}
	}
	o.print(l)
}

func (o *ingestPrinter) print(l ingestLine) {
	if o.json {
		data, _ := json.Marshal(l)
		fmt.Fprintln(o.w, string(data))
		return
	}
	v := l.RecordView
	if v == nil {
		v = &liaison.RecordView{}
	}
	if l.Error != "" {
		fmt.Fprintf(o.w, "%s error %s: %s\n", dash(v.ID), l.Origin, l.Error)
		return
	}
	flags := strings.Join(l.Flags, ",")
	switch {
	case v.DuplicateOf == v.ID && v.ID != "":
		// The same message again (same Message-ID): it is that record.
		flags = strings.Replace(flags, "duplicate", "already-recorded", 1)
	case v.DuplicateOf != "":
		flags = strings.TrimPrefix(flags+",duplicate-of:"+v.DuplicateOf, ",")
	}
	if l.Linked != "" {
		flags = strings.TrimPrefix(flags+",linked:"+l.Linked, ",")
	}
	fmt.Fprintf(o.w, "%s %s %s -> %s %s\n", v.ID, v.Kind, dash(v.FromOrg), dash(strings.Join(v.ToGroups, ",")), dash(flags))
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
