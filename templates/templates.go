// Package templates renders the text of every mail liaisond sends.
//
// The defaults are embedded (templates/default/*.tmpl); an operator can
// override any of them by putting a file of the same name in a folder. Each
// mail kind has a subject, a plain-text and optionally an HTML template:
//
//	notice.subject.tmpl  notice.txt.tmpl  notice.html.tmpl
//
// Files whose names start with "_" are partials ({{define}} blocks) shared
// by every template of the same part: "_details.txt.tmpl" is parsed into
// every text template, "_details.html.tmpl" into every HTML template, and
// subjects use the text partials.
//
// Subjects and text bodies use text/template; HTML bodies use html/template,
// so every value that came from a mail is escaped there. Rendered subjects
// are collapsed to one line.
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	texttemplate "text/template"

	"github.com/ietf-tools/liaisond/liaison"
)

//go:embed default/*.tmpl
var defaultFS embed.FS

// The mail kinds with default templates.
const (
	Notice              = "notice"
	Escalation          = "escalation"
	Misdirection        = "misdirection"
	MisdirectionHeadsUp = "misdirection-headsup"
	DeliveryFailure     = "delivery-failure"
)

// MaxSubject caps a rendered subject, in runes.
const MaxSubject = 200

// The parts of a mail kind, as they appear in file names.
const (
	partSubject = "subject"
	partText    = "txt"
	partHTML    = "html"
)

// Names lists the mail kinds that have templates, sorted.
func Names() []string {
	names := append([]string{DeliveryFailure, Escalation, Misdirection, MisdirectionHeadsUp, Notice}, moreKinds...)
	sort.Strings(names)
	return names
}

// moreKinds are kinds declared in other files of this package (their init
// functions append to it), so that features add templates without editing
// the list above.
var moreKinds []string

// NoticeData is what every template receives.
type NoticeData struct {
	// S is the statement the mail is about.
	S StatementView
	// LiaisonAddress is the public address statements should be sent to.
	LiaisonAddress string
	// IAB is the IAB liaison coordinators' address.
	IAB liaison.Contact
	// Recipient is who this copy is for; Role is the part they play
	// ("manager", "chair", "iab" or "sender").
	Recipient liaison.Contact
	Role      liaison.Role
	// Commands is set when mail commands work for the recipient: the mail's
	// Reply-To is the statement's command address.
	Commands bool
	// RightGroups are the groups a misdirected statement belongs to.
	RightGroups []string
	// BaseURL is the daemon's web view ("" when there is none); a
	// statement's page is BaseURL + "/statements/" + ID.
	BaseURL string
	// Extra carries kind-specific values (delivery-failure: "recipient",
	// "kind", "error", "message_id", "subject").
	Extra map[string]string

	// shared keeps the statement-only partials rendered for other mails
	// about the same statement (see Share).
	shared *Shared
}

// Rendered is one rendered mail.
type Rendered struct {
	Subject, Text string
	// HTML is "" when the kind has no HTML template.
	HTML string
}

type kindSet struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template // nil when absent
}

// Set is a parsed set of templates. It is safe for concurrent use.
type Set struct {
	kinds map[string]*kindSet
}

type source struct {
	name    string // file name: "notice.txt.tmpl"
	where   string // path shown in errors
	content string
}

// New parses the embedded defaults, with files in dir overriding defaults
// of the same name (dir "" means defaults only). Only *.tmpl files in dir
// are read; a .tmpl file that does not match a known kind or partial is an
// error (it is most likely a typo). Parse errors name the file and line.
func New(dir string) (*Set, error) {
	files := map[string]source{}
	defaults, err := fs.Glob(defaultFS, "default/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("templates: list defaults: %w", err)
	}
	for _, p := range defaults {
		b, err := defaultFS.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("templates: read %s: %w", p, err)
		}
		name := filepath.Base(p)
		files[name] = source{name: name, where: "embedded " + p, content: string(b)}
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("templates: override folder: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".tmpl") {
				continue
			}
			if !known(name, files) {
				return nil, fmt.Errorf("templates: %s: unknown template name (want KIND.subject.tmpl, KIND.txt.tmpl, KIND.html.tmpl or an existing _partial; kinds: %s)",
					filepath.Join(dir, name), strings.Join(Names(), ", "))
			}
			p := filepath.Join(dir, name)
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("templates: read override: %w", err)
			}
			files[name] = source{name: name, where: p, content: string(b)}
		}
	}

	s := &Set{kinds: map[string]*kindSet{}}
	for _, kind := range Names() {
		ks, err := parseKind(s, kind, files)
		if err != nil {
			return nil, err
		}
		s.kinds[kind] = ks
	}
	return s, nil
}

// known reports whether an override file name matches a kind part or an
// existing partial.
func known(name string, defaults map[string]source) bool {
	if strings.HasPrefix(name, "_") {
		_, ok := defaults[name]
		return ok || strings.HasSuffix(name, ".txt.tmpl") || strings.HasSuffix(name, ".html.tmpl")
	}
	for _, kind := range Names() {
		for _, part := range []string{partSubject, partText, partHTML} {
			if name == kind+"."+part+".tmpl" {
				return true
			}
		}
	}
	return false
}

func partials(files map[string]source, part string) []source {
	var out []source
	for name, src := range files {
		if strings.HasPrefix(name, "_") && strings.HasSuffix(name, "."+part+".tmpl") {
			out = append(out, src)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func parseText(set *Set, kind, part string, files map[string]source) (*texttemplate.Template, error) {
	main, ok := files[kind+"."+part+".tmpl"]
	if !ok {
		return nil, fmt.Errorf("templates: %s has no %s template (%s.%s.tmpl)", kind, part, kind, part)
	}
	var shared func(string, any) (string, error) // set by shareText
	t := texttemplate.New(main.name).Funcs(textFuncs).Funcs(texttemplate.FuncMap{
		sharedFunc: func(name string, data any) (string, error) { return shared(name, data) }})
	for _, src := range partials(files, partText) {
		if _, err := t.New(src.name).Parse(src.content); err != nil {
			return nil, fmt.Errorf("templates: %s: %w", src.where, err)
		}
	}
	if _, err := t.Parse(main.content); err != nil {
		return nil, fmt.Errorf("templates: %s: %w", main.where, err)
	}
	if err := shareText(set, t, main.name, &shared); err != nil {
		return nil, err
	}
	return t, nil
}

func parseKind(set *Set, kind string, files map[string]source) (*kindSet, error) {
	var ks kindSet
	var err error
	if ks.subject, err = parseText(set, kind, partSubject, files); err != nil {
		return nil, err
	}
	if ks.text, err = parseText(set, kind, partText, files); err != nil {
		return nil, err
	}
	main, ok := files[kind+"."+partHTML+".tmpl"]
	if !ok {
		return &ks, nil
	}
	var shared func(string, any) (htmltemplate.HTML, error) // set by shareHTML
	h := htmltemplate.New(main.name).Funcs(htmlFuncs).Funcs(htmltemplate.FuncMap{
		sharedFunc: func(name string, data any) (htmltemplate.HTML, error) { return shared(name, data) }})
	srcs := append(partials(files, partHTML), main)
	for _, src := range srcs[:len(srcs)-1] {
		if _, err := h.New(src.name).Parse(src.content); err != nil {
			return nil, fmt.Errorf("templates: %s: %w", src.where, err)
		}
	}
	if _, err := h.Parse(main.content); err != nil {
		return nil, fmt.Errorf("templates: %s: %w", main.where, err)
	}
	if err := shareHTML(set, h, embeddedDefines(srcs), &shared); err != nil {
		return nil, err
	}
	ks.html = h
	return &ks, nil
}

// embeddedDefines names the templates whose last definition in srcs (in
// parse order) is an embedded default's.
func embeddedDefines(srcs []source) map[string]bool {
	names := map[string]bool{}
	for _, src := range srcs {
		t, err := texttemplate.New(src.name).Funcs(textFuncs).Funcs(texttemplate.FuncMap{sharedFunc: func() string { return "" }}).Parse(src.content)
		if err != nil {
			continue // reported by the real parse
		}
		for _, d := range t.Templates() {
			names[d.Name()] = strings.HasPrefix(src.where, "embedded ")
		}
	}
	return names
}

// Render renders the named kind with data (normally a NoticeData).
func (s *Set) Render(name string, data any) (Rendered, error) {
	ks, ok := s.kinds[name]
	if !ok {
		return Rendered{}, fmt.Errorf("templates: unknown template %q (have %s)", name, strings.Join(Names(), ", "))
	}
	var out Rendered
	var buf bytes.Buffer
	if err := ks.subject.Execute(&buf, data); err != nil {
		return Rendered{}, fmt.Errorf("templates: render %s subject: %w", name, err)
	}
	out.Subject = subjectLine(buf.String())
	if out.Subject == "" {
		return Rendered{}, fmt.Errorf("templates: render %s subject: empty", name)
	}
	buf.Reset()
	if err := ks.text.Execute(&buf, data); err != nil {
		return Rendered{}, fmt.Errorf("templates: render %s text: %w", name, err)
	}
	out.Text = tidyText(buf.String())
	if strings.TrimSpace(out.Text) == "" {
		return Rendered{}, errors.New("templates: render " + name + " text: empty")
	}
	if ks.html != nil {
		buf.Reset()
		if err := ks.html.Execute(&buf, data); err != nil {
			return Rendered{}, fmt.Errorf("templates: render %s html: %w", name, err)
		}
		out.HTML = buf.String()
	}
	return out, nil
}

// subjectLine collapses white space and control characters to single
// spaces and caps the length.
func subjectLine(s string) string {
	s = line(s)
	if r := []rune(s); len(r) > MaxSubject {
		s = strings.TrimSpace(string(r[:MaxSubject-1])) + "…"
	}
	return s
}

// tidyText removes trailing spaces, collapses runs of more than one blank
// line (left by template conditionals) and ends the text with one newline.
func tidyText(s string) string {
	ls := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	blank := 0
	for _, l := range ls {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

func joinContacts(cs []liaison.Contact) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, ", ")
}

func indent(n int, s string) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

func orDefault(def, s string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func greeting(c liaison.Contact) string {
	if c.Name != "" {
		return c.Name
	}
	return "colleague"
}

var funcs = map[string]any{
	"join":     strings.Join,
	"contacts": joinContacts,
	"indent":   indent,
	"default":  orDefault,
	"greeting": greeting,
	"upper":    strings.ToUpper,
	"lower":    strings.ToLower,
}

var (
	textFuncs = texttemplate.FuncMap(funcs)
	htmlFuncs = htmltemplate.FuncMap(funcs)
)
