package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The forms' protection against cross-site request forgery. A browser
// that signed in with basic auth sends the credentials with every request
// to the site, including those another site makes it send; so a form post
// counts only when
//
//  1. it comes from this site: Sec-Fetch-Site, when the browser sends it,
//     is "same-origin"; Origin, when sent, is this site's (the request's
//     Host, or http.base_url's origin); without either, Referer is; a
//     request that shows none of the three is refused (every browser sends
//     at least one with a form post; the pages' Referrer-Policy
//     "same-origin" keeps Origin and Referer on same-origin posts);
//  2. it carries a form token made for the same principal (credential and
//     identity) by this server, not expired: "<expiry unix>.<HMAC-SHA256
//     of the principal and the expiry under the server's secret>". Tokens
//     need no storage; they last FormTTL, and a restart without a
//     configured secret makes them all stale.
//
// The JSON API needs neither: it requires Content-Type application/json,
// which a cross-site page can only send after a CORS preflight this server
// never grants, and it refuses requests a browser marks cross-site.

// FormTTL is how long a form token stays good: a page left open longer
// must be reloaded before its form is sent.
const FormTTL = 12 * time.Hour

// flashTTL is how long a flash message waits for the page it is for.
const flashTTL = 2 * time.Minute

// flashCookie carries the outcome of a form post to the page it redirects
// to.
const flashCookie = "liaisond-flash"

// errForgery is a form post that cannot be shown to come from this site
// and the signed-in person.
var errForgery = errors.New("the form was not sent from this site's page for you, or it expired: load the page again and send it from there")

// guard makes and checks form tokens and flash messages with a server
// secret.
type guard struct {
	key []byte
	now func() time.Time
}

// newGuard keys a guard with secret, or with 32 random bytes when none is
// given.
func newGuard(secret []byte, now func() time.Time) (*guard, error) {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("web: form key: %w", err)
		}
	}
	return &guard{key: secret, now: now}, nil
}

// mac is the HMAC-SHA256 of the parts under the guard's key, for purpose.
func (g *guard) mac(purpose string, parts ...string) []byte {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte(purpose))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

// token makes a form token for p, good for FormTTL.
func (g *guard) token(p Principal) string {
	exp := strconv.FormatInt(g.now().Add(FormTTL).Unix(), 10)
	return exp + "." + base64.RawURLEncoding.EncodeToString(g.mac("form", p.key(), exp))
}

// checkToken checks that tok was made for p and has not expired.
func (g *guard) checkToken(p Principal, tok string) error {
	exp, sig, ok := strings.Cut(tok, ".")
	if !ok {
		return errForgery
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return errForgery
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, g.mac("form", p.key(), exp)) {
		return errForgery
	}
	now := g.now()
	if at := time.Unix(unix, 0); !now.Before(at) || at.Sub(now) > FormTTL+time.Minute {
		return errForgery
	}
	return nil
}

// sameOrigin checks that a form post comes from this site (rule 1 above).
// baseURL is http.base_url ("" when unset).
func sameOrigin(r *http.Request, baseURL string) error {
	site := r.Header.Get("Sec-Fetch-Site")
	if site != "" && site != "same-origin" {
		return fmt.Errorf("a %s request: %w", site, errForgery)
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		if ref := r.Header.Get("Referer"); ref != "" {
			if u, err := url.Parse(ref); err == nil {
				origin = u.Scheme + "://" + u.Host
			}
		}
	}
	switch {
	case origin == "" && site == "":
		return fmt.Errorf("neither Sec-Fetch-Site, Origin nor Referer: %w", errForgery)
	case origin == "":
		return nil // Sec-Fetch-Site said same-origin
	case ours(origin, r.Host, baseURL):
		return nil
	}
	return fmt.Errorf("from %q: %w", origin, errForgery)
}

// ours reports whether origin ("scheme://host[:port]") is this site: the
// host the request was sent to (over http or https: a proxy in front may
// end TLS), or base_url's origin.
func ours(origin, host, baseURL string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Path != "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if strings.EqualFold(u.Host, host) {
		return true
	}
	if b, err := url.Parse(baseURL); err == nil && baseURL != "" {
		return strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Host, b.Host)
	}
	return false
}

// Flash is the outcome of a form post, shown once on the page the post
// redirects to.
type Flash struct {
	// ID is the statement the page is about (a flash shows on that page
	// only).
	ID string `json:"id"`
	// Error is true for a refusal, false for an action taken.
	Error bool `json:"error,omitempty"`
	// Text says what happened; Lines add details (a draft's problems).
	Text  string   `json:"text"`
	Lines []string `json:"lines,omitempty"`
	// Until is when the flash goes stale (unix seconds).
	Until int64 `json:"until"`
}

// setFlash sends f in a signed cookie, for the next page of the statement.
func (g *guard) setFlash(w http.ResponseWriter, r *http.Request, f Flash) {
	f.Until = g.now().Add(flashTTL).Unix()
	data, err := json.Marshal(f)
	if err != nil {
		return
	}
	v := base64.RawURLEncoding.EncodeToString(data)
	v += "." + base64.RawURLEncoding.EncodeToString(g.mac("flash", v))
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: v, Path: "/", MaxAge: int(flashTTL / time.Second),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// takeFlash returns the flash for statement id, if one came with r, and
// clears it. A flash this server did not sign, a stale one, or one for
// another page is ignored (and left for its page when it is only that).
func (g *guard) takeFlash(w http.ResponseWriter, r *http.Request, id string) (Flash, bool) {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return Flash{}, false
	}
	v, sig, _ := strings.Cut(c.Value, ".")
	got, err := base64.RawURLEncoding.DecodeString(sig)
	var f Flash
	ok := err == nil && subtle.ConstantTimeCompare(got, g.mac("flash", v)) == 1
	if ok {
		data, err := base64.RawURLEncoding.DecodeString(v)
		ok = err == nil && json.Unmarshal(data, &f) == nil && g.now().Unix() <= f.Until
	}
	if ok && f.ID != id {
		return Flash{}, false
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	return f, ok
}
