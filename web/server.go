// Package web is liaisond's read-only window for operators: the statements
// list, statement, relationships and health pages (server-rendered
// html/template, no JavaScript), calendar feeds, the JSON API under
// /api/v1/, Prometheus /metrics and the /healthz and /readyz probes.
//
// Every response carries a strict Content-Security-Policy; every value that
// came from a mail is escaped by html/template or served as an attachment.
// Anonymous reads are allowed from loopback only (http.anonymous), judged on
// the client's address (ClientAddr: X-Forwarded-For counts only from
// http.trusted_proxies); other clients need a bearer token or a basic-auth
// user (bcrypt) from the configured files. Failed sign-ins are limited per
// client (Limiter).
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/metrics"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// CSP is the Content-Security-Policy of every response: no scripts at all,
// styles only from the embedded style sheet.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Options configure a Server.
type Options struct {
	DB *store.DB
	// Config returns the configuration in force (it may change on reload).
	Config func() *config.Config
	// Now is the clock.
	Now func() time.Time
	Log *slog.Logger
	// Metrics is served at /metrics (nil: a fresh registry with the store
	// collector only).
	Metrics *metrics.Metrics
	// Errors are the recent error log records for the health page (nil:
	// none kept).
	Errors *metrics.ErrorRing
	// IMAP returns the watcher's folder status (nil when this process does
	// not watch IMAP).
	IMAP func() []imapwatch.FolderStatus
	// SMTPPing probes the SMTP relay for /readyz (nil when not configured);
	// its result is cached for PingCache.
	SMTPPing  func(ctx context.Context) error
	PingCache time.Duration
	// ReadOnly says the server shows a data dir no daemon is running on.
	ReadOnly bool
	// Auth overrides the credentials read from the config's files (tests).
	Auth *Auth
	// Limit is the policy for failed sign-ins (zero: DefaultLimitPolicy).
	Limit LimitPolicy
}

// Server serves the web view. It is an http.Handler.
type Server struct {
	opt   Options
	mux   *http.ServeMux
	pages map[string]*template.Template
	css   []byte
	auth  *Auth
	limit *Limiter

	pingMu   sync.Mutex
	pingAt   time.Time
	pingErr  error
	pingDone bool
}

// New builds a server, reading the token and user files named in the
// configuration.
func New(opt Options) (*Server, error) {
	if opt.DB == nil || opt.Config == nil || opt.Now == nil {
		return nil, errors.New("web: DB, Config and Now are required")
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.PingCache == 0 {
		opt.PingCache = time.Minute
	}
	if opt.Metrics == nil {
		opt.Metrics = metrics.New()
		cfg := opt.Config()
		if err := opt.Metrics.Register(&metrics.StoreCollector{DB: opt.DB, Now: opt.Now, Location: cfg.Location}); err != nil {
			return nil, fmt.Errorf("web: metrics: %w", err)
		}
	}
	if opt.Limit == (LimitPolicy{}) {
		opt.Limit = DefaultLimitPolicy
	}
	s := &Server{opt: opt, mux: http.NewServeMux(), pages: map[string]*template.Template{}, limit: NewLimiter(opt.Limit, opt.Now)}
	if opt.Auth != nil {
		s.auth = opt.Auth
	} else {
		h := opt.Config().HTTP
		a, err := LoadAuth(h.TokensFile, h.UsersFile)
		if err != nil {
			return nil, err
		}
		s.auth = a
	}
	if err := s.parsePages(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) parsePages() error {
	sub, err := fs.Sub(templates.WebFS, "web")
	if err != nil {
		return fmt.Errorf("web: templates: %w", err)
	}
	if s.css, err = fs.ReadFile(sub, "style.css"); err != nil {
		return fmt.Errorf("web: style sheet: %w", err)
	}
	for _, name := range []string{"list", "statement", "relationships", "health", "error"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(sub, "layout.html", name+".html")
		if err != nil {
			return fmt.Errorf("web: parse %s page: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

var funcs = template.FuncMap{}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/statements", http.StatusFound) })
	m.HandleFunc("GET /static/style.css", s.handleCSS)
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	m.HandleFunc("GET /statements", s.handleList)
	m.HandleFunc("GET /statements/{id}", s.handleStatement)
	m.HandleFunc("GET /statements/{id}/raw", s.handleRaw)
	m.HandleFunc("GET /statements/{id}/attachments/{n}", s.handleAttachment)
	m.HandleFunc("GET /relationships", s.handleRelationships)
	m.HandleFunc("GET /health", s.handleHealth)
	m.HandleFunc("GET /calendar.ics", s.handleCalendar)
	m.HandleFunc("GET /calendar/manager/{file}", s.handleCalendar)
	m.HandleFunc("GET /calendar/group/{file}", s.handleCalendar)
	m.HandleFunc("GET /api/v1/statements", s.handleAPIList)
	m.HandleFunc("GET /api/v1/statements/{id}", s.handleAPIStatement)
	m.HandleFunc("GET /api/v1/relationships", s.handleAPIRelationships)
	m.HandleFunc("GET /api/v1/outbox", s.handleAPIOutbox)
	m.Handle("GET /metrics", s.opt.Metrics.Handler())
	m.HandleFunc("GET /healthz", s.handleHealthz)
	m.HandleFunc("GET /readyz", s.handleReadyz)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "There is nothing here.")
	})
}

// ServeHTTP sets the security headers, checks access and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	if r.URL.Path != "/healthz" && r.URL.Path != "/readyz" && !s.allow(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// allow decides whether r may go on, answering it when not. Without
// credentials: an anonymous read, when http.anonymous allows the client's
// address. With credentials: they must be valid (even from loopback), and a
// client that failed too often is refused before they are checked.
func (s *Server) allow(w http.ResponseWriter, r *http.Request) bool {
	h := s.opt.Config().HTTP
	client := ClientAddr(r, h.TrustedNets())
	if r.Header.Get("Authorization") == "" {
		if h.Anonymous == config.AnonymousLoopback && client.IsLoopback() {
			return true
		}
		s.auth.Challenge(w)
		http.Error(w, "authentication required", http.StatusUnauthorized)
		return false
	}
	wait, lockout := s.limit.Begin(client)
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		http.Error(w, "too many failed sign-ins; try again later", http.StatusTooManyRequests)
		return false
	}
	if s.auth.Valid(r) {
		s.limit.Succeeded(client)
		return true
	}
	if lockout {
		s.opt.Log.Warn("web: client locked out after failed sign-ins", "client", client.String(), "free", s.opt.Limit.Free)
	}
	s.auth.Challenge(w)
	http.Error(w, "authentication required", http.StatusUnauthorized)
	return false
}

func (s *Server) handleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write(s.css)
}

// render executes a page into a buffer first, so a template error is a
// clean 500 and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, status int, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.opt.Log.Error("render page", "page", page, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.render(w, r, "error", code, map[string]any{"Code": code, "Status": http.StatusText(code), "Message": msg})
}

// fail reports an internal error without leaking details to the client.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "No such record.")
		return
	}
	s.opt.Log.Error("web request failed", "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong; the error is in the daemon's log.")
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// Ready runs the readiness checks: database readable, IMAP connected
// within the configured window (when this process watches IMAP), SMTP
// reachable (cached). It returns one line per check and whether all passed.
func (s *Server) Ready(ctx context.Context) ([]string, bool) {
	ok := true
	var lines []string
	if err := s.opt.DB.View(func(tx *store.Tx) error { tx.CountRecords(); return nil }); err != nil {
		lines, ok = append(lines, "database: "+err.Error()), false
	} else {
		lines = append(lines, "database: ok")
	}
	if s.opt.IMAP != nil {
		now := s.opt.Now()
		stale := s.opt.Config().HTTP.IMAPStale.D()
		for _, f := range s.opt.IMAP() {
			switch {
			case f.Connected:
				lines = append(lines, "imap "+f.Name+": connected")
			case !f.LastSync.IsZero() && now.Sub(f.LastSync) <= stale:
				lines = append(lines, fmt.Sprintf("imap %s: not connected, last sync %s ago", f.Name, now.Sub(f.LastSync).Round(time.Second)))
			default:
				ok = false
				lines = append(lines, fmt.Sprintf("imap %s: not connected within %s", f.Name, stale))
			}
		}
	}
	if s.opt.SMTPPing != nil {
		if err := s.ping(ctx); err != nil {
			lines, ok = append(lines, "smtp: "+err.Error()), false
		} else {
			lines = append(lines, "smtp: ok")
		}
	}
	return lines, ok
}

func (s *Server) ping(ctx context.Context) error {
	s.pingMu.Lock()
	defer s.pingMu.Unlock()
	now := s.opt.Now()
	if s.pingDone && now.Sub(s.pingAt) < s.opt.PingCache && now.Sub(s.pingAt) >= 0 {
		return s.pingErr
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s.pingErr, s.pingAt, s.pingDone = s.opt.SMTPPing(ctx), now, true
	return s.pingErr
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	lines, ok := s.Ready(r.Context())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}
