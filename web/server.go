// Package web is liaisond's window for people: the statements list,
// statement, relationships and health pages (server-rendered
// html/template, no JavaScript), calendar feeds, the JSON API under
// /api/v1/, Prometheus /metrics and the /healthz and /readyz probes; and,
// for people who sign in with a credential that names them, the actions
// their roles allow, as HTML forms and as the API's POST endpoints (act.go).
//
// Every response carries a strict Content-Security-Policy; every value that
// came from a mail is escaped by html/template or served as an attachment.
// Anonymous reads are allowed from loopback only (http.anonymous), judged on
// the client's address (ClientAddr: X-Forwarded-For counts only from
// http.trusted_proxies); other clients need a bearer token or a basic-auth
// user (bcrypt) from the configured files. Failed sign-ins are limited per
// client (Limiter).
//
// Writing is never anonymous: an action needs a credential with an
// identity (Identity), and goes through the one action layer
// (actions.Layer.Apply), which authorises it by the roles the identity
// plays for the statement. The forms are protected against cross-site
// requests by a token bound to the signed-in person and a same-origin
// check (guard.go); the API by requiring a JSON body, which no
// cross-site form can send.
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
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/metrics"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// CSP is the Content-Security-Policy of every response: no scripts at all,
// styles only from the embedded style sheet.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Options configure a Server.
type Options struct {
	DB *store.DB
	// Config returns the configuration in force (it may change on reload);
	// nil: Settings.Config.
	Config func() *config.Config
	// Settings is the configuration in force with its routing tables, the
	// holder the daemon's parts share (roles are read from it); nil: the
	// routing tables are built once from Config.
	Settings *settings.Holder
	// Actions takes the actions signed-in people ask for (the forms and
	// the API's POST endpoints); nil: the server offers none and answers
	// them 503 (`liaisond serve`, which holds the database read-only).
	// Requires Settings.
	Actions *actions.Layer
	// Secret keys the form tokens and flash messages (nil: 32 random bytes
	// drawn at start, so a form loaded before a restart is refused and
	// must be loaded again).
	Secret []byte
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
	// Lease returns the daemon's claim on the mailbox: active, or a
	// standby while another daemon holds it (nil without IMAP).
	Lease func() imapwatch.LeaseStatus
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
	guard *guard
	// fixed is the routing of a server without Settings.
	fixed *routing.Router

	pingMu   sync.Mutex
	pingAt   time.Time
	pingErr  error
	pingDone bool
}

// New builds a server, reading the token and user files named in the
// configuration.
func New(opt Options) (*Server, error) {
	if opt.Config == nil && opt.Settings != nil {
		opt.Config = opt.Settings.Config
	}
	if opt.DB == nil || opt.Config == nil || opt.Now == nil {
		return nil, errors.New("web: DB, Config (or Settings) and Now are required")
	}
	if opt.Actions != nil && opt.Settings == nil {
		return nil, errors.New("web: Actions need Settings (the roles of who acts are read from them)")
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
	if opt.Settings == nil {
		r, err := routing.New(opt.Config())
		if err != nil {
			return nil, fmt.Errorf("web: routing: %w", err)
		}
		s.fixed = r
	}
	g, err := newGuard(opt.Secret, opt.Now)
	if err != nil {
		return nil, err
	}
	s.guard = g
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
	for _, name := range []string{"list", "statement", "relationships", "health", "error", "draft"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(sub, "layout.html", name+".html")
		if err != nil {
			return fmt.Errorf("web: parse %s page: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// funcs are the pages' template functions: has reports whether a list
// holds a value (a multiple select's chosen options).
var funcs = template.FuncMap{"has": slices.Contains[[]string]}

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
	// The write side (act.go): one method each, others are 405.
	m.HandleFunc("/statements/{id}/actions", only(http.MethodPost, s.handleWebAction))
	m.HandleFunc("/drafts", only(http.MethodPost, s.handleWebDraft))
	m.HandleFunc("GET /drafts/new", s.handleDraftForm)
	m.HandleFunc("GET /statements/{id}/edit", s.handleDraftEdit)
	m.HandleFunc("POST /statements/{id}/edit", s.handleWebEdit)
	m.HandleFunc("GET /signin", s.handleSignIn)
	m.HandleFunc("/api/v1/statements/{id}/actions", only(http.MethodPost, s.handleAPIAction))
	m.HandleFunc("/api/v1/drafts", only(http.MethodPost, s.handleAPIDraft))
	m.HandleFunc("/api/v1/relationships/{org}/actions", only(http.MethodPost, s.handleAPIRelationshipAction))
	m.HandleFunc("/relationships/{org}/actions", only(http.MethodPost, s.handleWebRelationshipAction))
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
	// Same-origin requests carry their origin (the forms' Origin check);
	// other sites are told nothing.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
		s.mux.ServeHTTP(w, r)
		return
	}
	p, ok := s.allow(w, r)
	if !ok {
		return
	}
	s.mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
}

// principalKey keys the request's Principal in its context.
type principalKey struct{}

// principal is who sent r (the zero Principal, anonymous, outside
// ServeHTTP).
func principal(r *http.Request) Principal {
	p, _ := r.Context().Value(principalKey{}).(Principal)
	return p
}

// allow decides whether r may go on, answering it when not, and says who
// sent it. Without credentials: an anonymous read, when http.anonymous
// allows the client's address (writing needs credentials: act.go). With
// credentials: they must be valid (even from loopback), and a client that
// failed too often is refused before they are checked.
func (s *Server) allow(w http.ResponseWriter, r *http.Request) (Principal, bool) {
	h := s.opt.Config().HTTP
	client := ClientAddr(r, h.TrustedNets())
	if r.Header.Get("Authorization") == "" {
		if h.Anonymous == config.AnonymousLoopback && client.IsLoopback() {
			return Principal{}, true
		}
		s.auth.Challenge(w)
		http.Error(w, "authentication required", http.StatusUnauthorized)
		return Principal{}, false
	}
	wait, lockout := s.limit.Begin(client)
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		http.Error(w, "too many failed sign-ins; try again later", http.StatusTooManyRequests)
		return Principal{}, false
	}
	if p, err := s.auth.Identify(r); err == nil {
		s.limit.Succeeded(client)
		return p, true
	}
	if lockout {
		s.opt.Log.Warn("web: client locked out after failed sign-ins", "client", client.String(), "free", s.opt.Limit.Free)
	}
	s.auth.Challenge(w)
	http.Error(w, "authentication required", http.StatusUnauthorized)
	return Principal{}, false
}

// only serves h for one method and answers others 405 with Allow (a
// pattern with a method would leave them to the catch-all's 404).
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			http.Error(w, "method not allowed: use "+method, http.StatusMethodNotAllowed)
			return
		}
		h(w, r)
	}
}

// router is the routing in force (roles are read from it).
func (s *Server) router() *routing.Router {
	if s.opt.Settings != nil {
		return s.opt.Settings.Current().Router
	}
	return s.fixed
}

func (s *Server) handleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write(s.css)
}

// render executes a page into a buffer first, so a template error is a
// clean 500 and not half a page. Every page is told who is signed in (Me)
// for the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, status int, data map[string]any) {
	data["Me"] = principal(r)
	data["SignIn"] = len(s.auth.users) > 0
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
	standby := false
	if s.opt.Lease != nil {
		line, active := leaseLine(s.opt.Lease())
		lines = append(lines, line)
		// A standby is not ready: another daemon works on the mailbox, and
		// its own folders are idle on purpose.
		ok, standby = ok && active, !active
	}
	if s.opt.IMAP != nil && !standby {
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

// leaseLine says, for /readyz and the health page, what the daemon is to
// the mailbox, and whether it is the active daemon.
func leaseLine(st imapwatch.LeaseStatus) (string, bool) {
	switch st.Role {
	case imapwatch.RoleActive:
		return fmt.Sprintf("mailbox: active, this daemon holds it (claim epoch %d, in %s)", st.Claim.Epoch, st.Backend), true
	case imapwatch.RoleStandby:
		return fmt.Sprintf("mailbox: standby, held by %s; taken over at %s unless renewed", st.Claim, st.TakeoverAt.UTC().Format(time.RFC3339)), false
	}
	return "mailbox: " + string(st.Role), false
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
