package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/outgoing"
	"github.com/ietf-tools/liaisond/store"
)

func init() {
	register(command{name: "list", usage: "-c FILE [--state open|overdue|answered|closed|failed|misdirected|unrouted|draft|all] [--org ID] [--group ID] [--manager EMAIL] [--kind statement|all] [--json]", help: "list recorded statements", run: runList, remote: true})
	register(command{name: "show", usage: "-c FILE [--json] ID", help: "show one record: every field, where it came from, the history", run: runShow, remote: true})
}

// openOne parses the flags of a command about one record, takes its ID
// and gives the command read access to the data (cmdEnv.open).
func openOne(env *cmdEnv, fs *flag.FlagSet, args []string, cfgPath *string) (string, *session, error) {
	ids, err := parseFlags(fs, args)
	if err != nil {
		return "", nil, err
	}
	if len(ids) != 1 {
		return "", nil, usageError{"exactly one ID is required"}
	}
	s, err := env.open(*cfgPath, readData)
	if err != nil {
		return "", nil, err
	}
	return strings.ToUpper(strings.TrimSpace(ids[0])), s, nil
}

func runList(env *cmdEnv, args []string) error {
	fs := newFlags(env, "list", "-c FILE [--state STATE] [--org ID] [--group ID] [--manager EMAIL] [--json]")
	cfgPath := fs.String("c", "", "config file")
	var q store.Selection
	fs.StringVar(&q.State, "state", "open", strings.Join(store.SelectStates, ", ")+` ("open" includes overdue)`)
	fs.StringVar(&q.Org, "org", "", "organization id (or the organization as written, for unrouted statements)")
	fs.StringVar(&q.Group, "group", "", "target group id")
	fs.StringVar(&q.Manager, "manager", "", "a manager's address (the IAB coordinators' for statements without a manager)")
	kind := fs.String("kind", "statement", "statement (default) or all kinds of mail")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := q.Check(); err != nil {
		return usageError{"--state: " + err.Error()}
	}
	s, err := env.open(*cfgPath, readData)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg, db, now := s.cfg, s.db, env.now()
	// The web list's selection and order (by effective deadline, undated
	// last, then id).
	sums, err := db.Summaries()
	if err != nil {
		return err
	}
	var recs []*liaison.Record
	err = db.View(func(tx *store.Tx) error {
		for _, s := range sums {
			if (*kind == "statement" && !s.IsStatement()) || !q.Matches(s, cfg.Location, now) {
				continue
			}
			r, err := tx.Record(s.ID)
			if err != nil {
				return err
			}
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		for _, r := range recs {
			if err := enc.Encode(r.ViewAt(cfg.Location, now)); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDEADLINE\tSTATUS\tPURPOSE\tFROM\tTO\tTITLE")
	for _, r := range recs {
		org := r.Routing.OrgID
		if org == "" {
			org = r.Extraction.FromOrgText
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, dash(r.EffectiveDeadline().String()), r.StatusAt(cfg.Location, now), dash(string(r.Extraction.Purpose)),
			dash(trunc(org, 24)), dash(strings.Join(r.Routing.Groups, ",")), trunc(r.Extraction.Title, 60))
	}
	return tw.Flush()
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func runShow(env *cmdEnv, args []string) error {
	fs := newFlags(env, "show", "-c FILE [--json] ID")
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "JSON output")
	id, s, err := openOne(env, fs, args, cfgPath)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg, db := s.cfg, s.db
	var out *store.Detail
	var rec *liaison.Record
	err = db.View(func(tx *store.Tx) (err error) {
		out, rec, err = tx.Detail(id)
		return err
	})
	if err != nil {
		return err
	}
	// A statement drafted here also shows where it stands and its sheet.
	var status *outgoing.Status
	if rec.Outbound != nil {
		st, err := outgoing.StatusOf(cfg, rec, env.now())
		if err != nil {
			return err
		}
		status = &st
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		out.Status = rec.StatusAt(cfg.Location, env.now())
		return enc.Encode(struct {
			*store.Detail
			Outgoing *outgoing.Status `json:"outgoing,omitempty"`
		}{out, status})
	}
	printShow(env.stdout, rec, out, cfg, env.now())
	if status != nil {
		printOutbound(env.stdout, cfg, *status, rec.ID)
	}
	return nil
}

func printShow(w io.Writer, rec *liaison.Record, out *store.Detail, cfg *config.Config, now time.Time) {
	x := &rec.Extraction
	loc := cfg.Location
	// src says where a field's value came from: a person's correction, or
	// where extraction found it.
	src := func(field string) string {
		if c, ok := rec.Correction(liaison.Field(field)); ok {
			return fmt.Sprintf("   [corrected by %s (%s) on %s from %q]", c.By, c.Channel, c.At.In(loc).Format("2006-01-02"), c.Original)
		}
		if s, ok := x.Sources[field]; ok {
			return "   [" + s.String() + "]"
		}
		return ""
	}
	contacts := func(cs []liaison.Contact) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.String())
		}
		return strings.Join(s, "; ")
	}
	fmt.Fprintf(w, "%s  %s  %s\n", rec.ID, x.Kind, rec.StatusAt(cfg.Location, now))
	line := func(label, v, field string) {
		if v != "" {
			fmt.Fprintf(w, "  %-20s %s%s\n", label+":", v, src(field))
		}
	}
	line("Title", x.Title, "title")
	line("Purpose", string(x.Purpose), "purpose")
	line("Deadline", x.Deadline.String(), "deadline")
	line("Direction", string(x.Direction), "direction")
	line("From (as written)", x.FromOrgText, "from_org_text")
	orgLabel := "From organization"
	if x.Direction == liaison.Outgoing {
		orgLabel = "Peer organization"
	}
	line(orgLabel, rec.Routing.OrgID, "from_org")
	line("From group", x.FromGroup, "from_group")
	line("To (as written)", strings.Join(x.ToText, "; "), "to_text")
	line("Cc (as written)", strings.Join(x.CcText, "; "), "cc_text")
	line("Routed to", strings.Join(rec.Routing.Groups, ", "), "to_groups")
	line("Managers", contacts(rec.Routing.Managers), "")
	if a := rec.Acked; a != nil {
		line("Acknowledged", fmt.Sprintf("by %s on %s", a.By, a.At.In(loc).Format("2006-01-02 15:04")), "")
	}
	if !rec.InternalDeadline.IsZero() {
		line("Internal deadline", rec.InternalDeadline.String(), "")
	}
	if a := rec.Answered; a != nil {
		line("Answered", strings.TrimSpace(fmt.Sprintf("by %s on %s %s", a.By, a.At.In(loc).Format("2006-01-02"), a.Ref)), "")
	}
	if a := rec.Closed; a != nil {
		line("Closed", fmt.Sprintf("by %s on %s: %s", a.By, a.At.In(loc).Format("2006-01-02"), a.Note), "")
	}
	if rec.Routing.NoManager {
		line("No manager", "the IAB liaison coordinators handle it", "")
	}
	if rec.Routing.Misdirected {
		line("Misdirected", rec.Routing.MisdirectionReason+" "+strings.Join(rec.Routing.WrongGroups, ","), "")
	}
	line("Response contacts", contacts(x.ResponseContacts), "response_contacts")
	line("Technical contacts", contacts(x.TechnicalContacts), "technical_contacts")
	line("In response to", x.InResponseTo, "in_response_to")
	line("Other ids", strings.Join(x.OtherIDs, ", "), "other_ids")
	line("URL", x.URL, "url")
	line("Duplicate of", rec.DuplicateOf, "")
	line("Duplicates", strings.Join(rec.Duplicates, ", "), "")
	line("Links", strings.Join(rec.Links, ", "), "")
	fmt.Fprintf(w, "  %-20s %s\n", "Message-ID:", x.MessageID)
	fmt.Fprintf(w, "  %-20s %s\n", "Subject:", x.Subject)
	fmt.Fprintf(w, "  %-20s %s\n", "Mail from:", x.From.String())
	fmt.Fprintf(w, "  %-20s %s via %s\n", "Received:", rec.Received.In(cfg.Location).Format(time.RFC3339), rec.Origin)
	for _, a := range x.Attachments {
		fmt.Fprintf(w, "  %-20s %s (%s, %d bytes, sha256 %s)\n", "Attachment:", a.Name, a.ContentType, a.Size, short(a.SHA256))
	}
	for _, p := range x.Problems {
		fmt.Fprintf(w, "  %-20s %s: %s\n", "Problem:", p.Code, p.Detail)
	}
	if len(rec.Routing.Reasons) > 0 {
		fmt.Fprintln(w, "Routing:")
		for _, r := range rec.Routing.Reasons {
			fmt.Fprintf(w, "  - %s: %s\n", r.Code, r.Detail)
		}
	}
	fmt.Fprintln(w, "History:")
	for _, ev := range out.History {
		fmt.Fprintf(w, "  %s  %-16s %s\n", ev.At.In(loc).Format("2006-01-02 15:04"), ev.Type, historyDetail(ev))
	}
	if len(out.Outbox) > 0 {
		fmt.Fprintln(w, "Mail:")
		for _, o := range out.Outbox {
			fmt.Fprintf(w, "  %-7s %-22s %s  %s\n", o.State, o.Kind, o.Recipient, o.LastError)
		}
	}
}

// historyDetail is an event's text with who acted, through which channel
// and why, when a person acted.
func historyDetail(ev liaison.Event) string {
	d := ev.Detail
	if ev.By != "" {
		d += fmt.Sprintf("   [by %s via %s]", ev.By, dash(string(ev.Channel)))
	}
	if ev.Reason != "" {
		d += "   why: " + ev.Reason
	}
	return d
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
