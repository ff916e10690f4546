package main

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"os/signal"
	"path"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
	"github.com/ietf-tools/liaisond/internal/memservers"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

//go:embed demo/*.eml
var demoMail embed.FS

func init() {
	register(command{name: "demo", usage: "[-v] [--keep DIR] [--serve [--listen ADDR]]", help: "zero-setup demo: in-process IMAP and SMTP servers, sample statements, the real daemon; --serve keeps it and its dashboard running", run: runDemo})
}

const demoPasswordEnv = "LIAISOND_DEMO_IMAP_PASSWORD"

// demoConfig is the shipped example config with a temporary data dir and
// the in-process servers appended.
func demoConfig(dataDir, imapAddr, smtpAddr string) (*config.Config, error) {
	base := regexp.MustCompile(`(?m)^data_dir:.*$`).ReplaceAll(examples.Config, []byte("data_dir: "+dataDir))
	extra := fmt.Sprintf(`
imap:
  address: %s
  tls: none
  username: liaison
  password_env: %s
  folders:
    - INBOX
    - {name: lists/opsawg, wg_list: opsawg}
  processed_folder: Processed
  failed_folder: Failed
  poll_interval: 1s
smtp:
  address: %s
  tls: none
  from: "IETF Liaison Daemon <liaisond@ietf.example>"
`, imapAddr, demoPasswordEnv, smtpAddr)
	return config.Parse("examples/liaisond.yaml (demo)", append(base, extra...))
}

func runDemo(env *cmdEnv, args []string) error {
	fs := newFlags(env, "demo", "[-v] [--keep DIR] [--serve [--listen ADDR]]")
	verbose := fs.Bool("v", false, "show the daemon's log and whole mails")
	keep := fs.String("keep", "", "use DIR as the data dir and keep it (default: a temporary dir, removed)")
	serveUI := fs.Bool("serve", false, "after the tour, keep the daemon and its dashboard running until Ctrl-C")
	listen := fs.String("listen", "127.0.0.1:8080", "with --serve: the dashboard's address (another free port when it is taken)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	dataDir := *keep
	if dataDir == "" {
		tmp, err := os.MkdirTemp("", "liaisond-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dataDir = tmp
	}
	const password = "demo-secret"
	os.Setenv(demoPasswordEnv, password)
	imapSrv, err := memservers.StartIMAP("liaison", password, "lists/opsawg", "Processed", "Failed")
	if err != nil {
		return err
	}
	defer imapSrv.Close()
	smtpSrv, err := memservers.StartSMTP()
	if err != nil {
		return err
	}
	defer smtpSrv.Close()

	cfg, err := demoConfig(dataDir, imapSrv.Addr(), smtpSrv.Addr())
	if err != nil {
		return fmt.Errorf("demo config: %w", err)
	}
	if *serveUI {
		if cfg.HTTP.Listen, err = demoListenAddr(*listen); err != nil {
			return err
		}
	}
	out := env.stdout
	fmt.Fprintf(out, "liaisond demo: IMAP on %s, SMTP on %s, data in %s\n", imapSrv.Addr(), smtpSrv.Addr(), dataDir)
	fmt.Fprintf(out, "routing table: %s\n\n", cfg.Summary())

	names, _ := demoMail.ReadDir("demo")
	var live []byte
	seeded := map[string]int{}
	for _, n := range names {
		raw, _ := demoMail.ReadFile(path.Join("demo", n.Name()))
		raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
		raw = bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))
		folder := "INBOX"
		switch {
		case strings.Contains(n.Name(), "live"):
			live = raw
			continue
		case strings.Contains(n.Name(), "misdirected"):
			folder = "lists/opsawg"
		}
		if err := imapSrv.Append(folder, raw); err != nil {
			return err
		}
		seeded[folder]++
		fmt.Fprintf(out, "seeded %-13s %s\n", folder+":", subjectOf(raw))
	}

	logw := io.Discard
	if *verbose {
		logw = env.stderr
	}
	d := &daemon{cfgPath: "demo", now: env.now, log: newLogger(logw, cfg)}
	if *serveUI {
		d.initWeb() // the dashboard, its metrics and health page
	}
	if err := d.setup(cfg); err != nil {
		d.close()
		return err
	}
	defer d.close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.serve(ctx, cfg, nil) }()
	defer func() {
		cancel()
		<-done
	}()

	total := seeded["INBOX"] + seeded["lists/opsawg"]
	if err := waitFor(20*time.Second, func() bool { return d.settled(seeded) }); err != nil {
		return fmt.Errorf("demo: the daemon did not record the %d seeded messages: %w", total, err)
	}
	fmt.Fprintf(out, "\nall %d seeded messages recorded; the daemon now idles on INBOX.\n", total)
	if live != nil {
		before := len(smtpSrv.Mail())
		start := time.Now()
		if err := imapSrv.Append("INBOX", live); err != nil {
			return err
		}
		seeded["INBOX"]++
		fmt.Fprintf(out, "delivered live  INBOX:        %s\n", subjectOf(live))
		if err := waitFor(20*time.Second, func() bool { return d.settled(seeded) && len(smtpSrv.Mail()) > before }); err != nil {
			return fmt.Errorf("demo: the live statement was not routed: %w", err)
		}
		fmt.Fprintf(out, "  routed notice accepted by SMTP %s after the APPEND\n", time.Since(start).Round(time.Millisecond))
	}
	if !*serveUI {
		cancel()
		if err := <-done; err != nil {
			return err
		}
		done <- nil
	}
	if err := d.report(out, smtpSrv.Mail(), cfg, *verbose); err != nil || !*serveUI {
		return err
	}
	// --serve: the daemon goes on (the deferred cancel stops it).
	stop, unstop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer unstop()
	fmt.Fprintf(out, "\nThe daemon keeps running. Dashboard: http://%s/  (IMAP %s, SMTP %s; Ctrl-C stops it)\n", cfg.HTTP.Listen, imapSrv.Addr(), smtpSrv.Addr())
	select {
	case <-stop.Done():
		return nil
	case err := <-done:
		done <- err
		return err
	}
}

// demoListenAddr is addr, or a free port on its host when addr is taken.
func demoListenAddr(addr string) (string, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		host, _, serr := net.SplitHostPort(addr)
		if serr != nil {
			return "", fmt.Errorf("demo: --listen %s: %w", addr, serr)
		}
		if l, err = net.Listen("tcp", net.JoinHostPort(host, "0")); err != nil {
			return "", fmt.Errorf("demo: --listen %s: %w", addr, err)
		}
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// settled reports whether every seeded message is committed and the outbox
// has nothing left to send.
func (d *daemon) settled(seeded map[string]int) bool {
	ok := true
	_ = d.db.View(func(tx *store.Tx) error {
		for folder, n := range seeded {
			cp, _ := tx.Checkpoint(folder)
			if int(cp.LastUID) < n {
				ok = false
			}
		}
		if q, _ := tx.QueuedOutbox(); q > 0 {
			ok = false
		}
		return nil
	})
	return ok
}

func waitFor(limit time.Duration, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("gave up after %s", limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

func subjectOf(raw []byte) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "?"
	}
	return m.Header.Get("Subject")
}

// report prints what was recorded and every mail that was sent.
func (d *daemon) report(w io.Writer, sent []memservers.Mail, cfg *config.Config, verbose bool) error {
	fmt.Fprintln(w, "\n== Recorded")
	var recs []*liaison.Record
	err := d.db.View(func(tx *store.Tx) error {
		return tx.ForEachRecord(func(r *liaison.Record) error {
			recs = append(recs, r)
			return nil
		})
	})
	if err != nil {
		return err
	}
	sort.Slice(recs, func(i, j int) bool {
		return recs[i].Received.Before(recs[j].Received) || (recs[i].Received.Equal(recs[j].Received) && recs[i].ID < recs[j].ID)
	})
	for _, r := range recs {
		x := &r.Extraction
		var flags []string
		if r.DuplicateOf != "" {
			flags = append(flags, "duplicate of "+r.DuplicateOf)
		}
		if r.Routing.Misdirected {
			flags = append(flags, "misdirected ("+r.Routing.MisdirectionReason+")")
		}
		if r.Routing.NoManager {
			flags = append(flags, "no manager: IAB")
		}
		if r.Routing.EscalationReason == "unknown_org" {
			flags = append(flags, "unknown organization: IAB")
		}
		fmt.Fprintf(w, "%-13s %-9s %s\n", r.ID, x.Kind, trunc(firstNonEmpty(x.Title, x.Subject), 70))
		if x.Kind == liaison.KindStatement && r.DuplicateOf == "" {
			fmt.Fprintf(w, "              from %s (%s) -> %s; %s, deadline %s\n", dash(r.Routing.OrgID), dash(x.FromOrgText),
				dash(strings.Join(r.Routing.Groups, ",")), dash(string(x.Purpose)), dash(x.Deadline.String()))
		}
		if len(flags) > 0 {
			fmt.Fprintf(w, "              %s\n", strings.Join(flags, "; "))
		}
	}
	fmt.Fprintf(w, "\n== Mail sent (%d)\n", len(sent))
	for _, m := range sent {
		subject, body, err := textOf(m.Data)
		if err != nil {
			fmt.Fprintf(w, "(unparsable mail to %v: %v)\n", m.To, err)
			continue
		}
		fmt.Fprintf(w, "-- to %s: %s\n", strings.Join(m.To, ", "), subject)
		sc := bufio.NewScanner(strings.NewReader(body))
		for n := 0; sc.Scan() && (verbose || n < 6); n++ {
			fmt.Fprintf(w, "   | %s\n", sc.Text())
		}
	}
	// What follow-up would bring: one scheduler pass, as a dry run, on the
	// day before the earliest deadline.
	if d.sched != nil {
		var first liaison.Date
		for _, r := range recs {
			if dl := r.Extraction.Deadline; r.State == liaison.StateOpen && !dl.IsZero() && (first.IsZero() || dl.Before(first)) {
				first = dl
			}
		}
		if !first.IsZero() {
			at := time.Date(first.Year, first.Month, first.Day-1, 9, 0, 0, 0, cfg.Location)
			if rep, err := d.sched.Pass(at, true); err == nil {
				fmt.Fprintf(w, "\n== Follow-up: `liaisond sweep --at %s --dry-run` would send %d mails, e.g.\n", at.Format("2006-01-02T15:04"), len(rep.Mails))
				for i, m := range rep.Mails {
					if i == 6 {
						break
					}
					fmt.Fprintf(w, "   %-20s %-13s to %s\n", m.Kind, m.RecordID, m.Recipient)
				}
			}
		}
	}
	fmt.Fprintf(w, "\nTry: liaisond list -c examples/liaisond.yaml (after `liaisond ingest`), `liaisond demo -v` for whole mails,\nor `liaisond demo --serve` to keep the daemon running and browse its dashboard.\n")
	return nil
}

// textOf decodes a mail's subject and its plain-text part.
func textOf(raw []byte) (subject, text string, err error) {
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return "", "", err
	}
	subject, _ = r.Header.Subject()
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		if h, ok := p.Header.(*gomail.InlineHeader); ok {
			if ct, _, _ := h.ContentType(); ct == "text/plain" {
				b, _ := io.ReadAll(p.Body)
				return subject, string(b), nil
			}
		}
	}
	return subject, "", nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
