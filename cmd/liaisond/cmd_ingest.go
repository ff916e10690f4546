package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/ietf-tools/liaisond/mailproc/source"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/store"
)

func init() {
	register(command{name: "ingest", usage: "-c FILE [--dry-run] [--json] [--no-mail] PATH...", help: "record .eml files, mbox files or Maildirs (same path as IMAP mail)", run: runIngest})
}

// ingestBatch is how many messages share one transaction.
const ingestBatch = 100

// ingestLine is the --json output for one input message.
type ingestLine struct {
	pipeline.Result
	Org    string   `json:"from_org,omitempty"`
	Groups []string `json:"to_groups,omitempty"`
	Title  string   `json:"title,omitempty"`
	Error  string   `json:"error,omitempty"`
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
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	log := newLogger(env.stderr, cfg)
	db, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := newCore(cfg, db, env.now, log, coreOptions{mute: *noMail})
	if err != nil {
		return err
	}
	p, err := c.pipeline(pdfReader(), nil)
	if err != nil {
		return err
	}
	out := &ingestPrinter{w: env.stdout, json: *asJSON}
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
			out.print(ingestLine{Result: pipeline.Result{Origin: path}, Error: err.Error()})
			out.failed++
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if !*dry && !*noMail && cfg.SMTP != nil {
		if err := deliverOutbox(context.Background(), env, cfg, db, c.notify, log, ""); err != nil {
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
			out.print(ingestLine{Result: pipeline.Result{Origin: batch[i].Origin}, Error: errs[i].Error()})
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
}

func (o *ingestPrinter) result(r pipeline.Result) {
	l := ingestLine{Result: r}
	if r.Record != nil {
		l.Org, l.Groups, l.Title = r.Record.Routing.OrgID, r.Record.Routing.Groups, r.Record.Extraction.Title
	}
	o.print(l)
}

func (o *ingestPrinter) print(l ingestLine) {
	if o.json {
		data, _ := json.Marshal(l)
		fmt.Fprintln(o.w, string(data))
		return
	}
	if l.Error != "" {
		fmt.Fprintf(o.w, "%s error %s: %s\n", dash(l.ID), l.Origin, l.Error)
		return
	}
	org := dash(l.Org)
	flags := strings.Join(l.Flags, ",")
	switch {
	case l.DuplicateOf == l.ID && l.ID != "":
		// The same message again (same Message-ID): it is that record.
		flags = strings.Replace(flags, "duplicate", "already-recorded", 1)
	case l.DuplicateOf != "":
		flags = strings.TrimPrefix(flags+",duplicate-of:"+l.DuplicateOf, ",")
	}
	if l.Linked != "" {
		flags = strings.TrimPrefix(flags+",linked:"+l.Linked, ",")
	}
	fmt.Fprintf(o.w, "%s %s %s -> %s %s\n", l.ID, l.Kind, org, dash(strings.Join(l.Groups, ",")), dash(flags))
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
