package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// people are the credentials of the action tests, each naming a person of
// the example configuration (or nobody): a token "tok-NAME" and a user
// NAME with the password "pw-NAME".
var people = map[string]Identity{
	"jane":   {Email: "jane.doe@example.org"},             // a manager of ITU-T SG15
	"chair":  {Email: "ccamp-chairs@ietf.example"},        // the CCAMP chairs (SG15's OTN statement goes to CCAMP)
	"dana":   {Email: "dana.cohen@example.org"},           // a manager of IEEE 802.11: no role on SG15's statements
	"iab":    {Email: "liaison-coordination@iab.example"}, // the IAB coordinators
	"op":     {Email: "ops@ietf.example", Operator: true}, // the operator
	"viewer": {},                                          // reads only
}

// sg15 is the demo's ITU-T SG15 statement (jane manages it, the CCAMP
// chairs chair one of its groups).
const sg15 = "LS-2026-0001"

// actServer serves the fixture with the action layer and the credentials
// of people, on clock.
func actServer(t *testing.T, f *fixture, clock *testClock) *Server {
	t.Helper()
	a := NewAuth(nil, nil)
	for name, id := range people {
		hash, err := bcrypt.GenerateFromPassword([]byte("pw-"+name), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		a.AddToken(TokenDigest("tok-"+name), id)
		a.AddUser(name, hash, id)
	}
	srv, err := New(Options{DB: f.db, Settings: f.set, Actions: f.actions, Now: clock.Now, Log: slog.New(slog.DiscardHandler),
		Auth: a, Secret: []byte("test form key")})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// send serves one request from loopback; hdr are header name, value pairs.
func send(srv *Server, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:40000"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	return w
}

// apiPost posts JSON to the API as the token of name ("" for none).
func apiPost(srv *Server, path, name, body string, hdr ...string) *httptest.ResponseRecorder {
	h := append([]string{"Content-Type", "application/json"}, hdr...)
	if name != "" {
		h = append(h, "Authorization", "Bearer tok-"+name)
	}
	return send(srv, http.MethodPost, path, body, h...)
}

func events(t *testing.T, f *fixture, id string) []liaison.Event {
	t.Helper()
	var evs []liaison.Event
	if err := f.db.View(func(tx *store.Tx) (err error) { evs, err = tx.Events(id); return err }); err != nil {
		t.Fatal(err)
	}
	return evs
}

// apiResult is the part of an action's answer the tests read.
type apiResult struct {
	ID      string          `json:"id"`
	State   liaison.State   `json:"state"`
	Status  liaison.Status  `json:"status"`
	History []liaison.Event `json:"history"`
	Outcome actions.Outcome `json:"outcome"`
	Error   string          `json:"error"`
	Code    string          `json:"code"`
}

func decodeJSON[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("answer is %s, not JSON: %s", ct, w.Body.String())
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("bad JSON %q: %v", w.Body.String(), err)
	}
	return v
}

func TestParseIdentity(t *testing.T) {
	cases := []struct {
		words string
		want  Identity
		err   string
	}{
		{"", Identity{}, ""},
		{"Alex@Example.org", Identity{Email: "alex@example.org"}, ""},
		{"alex@example.org operator", Identity{Email: "alex@example.org", Operator: true}, ""},
		{"operator", Identity{}, "needs an address"},
		{"alex@example.org admin", Identity{}, `the only flag is "operator"`},
		{"alex@example.org operator extra", Identity{}, "got 3 words"},
		{"Alex <alex@example.org>", Identity{}, "the only flag"},
		{"<alex@example.org>", Identity{}, "not an address"},
		{"alex", Identity{}, "not an address"},
	}
	for _, c := range cases {
		got, err := ParseIdentity(strings.Fields(c.words))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: %v, want an error with %q", c.words, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.words, got, err, c.want)
		}
	}
}

// The files name identities; files of before (no identity) still load,
// as read-only credentials; a bad line is an error with its number.
func TestLoadAuthIdentities(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	d := TokenDigest("tok-alex")
	cases := []struct {
		name, tokens, users, err string
		// who maps an Authorization header to the identity it must get.
		who map[string]Identity
	}{
		{name: "old files read only",
			tokens: "# comment\nsha256:" + hexOf(TokenDigest("old")) + "\nplain-token\n", users: "viewer:" + string(hash) + "\n",
			who: map[string]Identity{"Bearer old": {}, "Bearer plain-token": {}, basicAuth("viewer", "pw"): {}}},
		{name: "identities",
			tokens: "sha256:" + hexOf(d) + " Alex@Example.org\nplain-op ops@example.org operator\n",
			users:  "alex:" + string(hash) + ":alex@example.org\nroot:" + string(hash) + ":ops@example.org:operator\n",
			who: map[string]Identity{"Bearer tok-alex": {Email: "alex@example.org"}, "Bearer plain-op": {Email: "ops@example.org", Operator: true},
				basicAuth("alex", "pw"): {Email: "alex@example.org"}, basicAuth("root", "pw"): {Email: "ops@example.org", Operator: true}}},
		{name: "bad token address", tokens: "tok alex\n", err: "tokens file", who: nil},
		{name: "operator without address", tokens: "\n\ntok operator\n", err: "line 3"},
		{name: "same token twice", tokens: "tok a@example.org\nsha256:" + hexOf(TokenDigest("tok")) + " b@example.org\n", err: "the same token as line 1"},
		{name: "bad user address", users: "alex:" + string(hash) + ":Alex <alex@example.org>\n", err: `user "alex"`},
		{name: "user twice", users: "alex:" + string(hash) + "\nalex:" + string(hash) + ":alex@example.org\n", err: "first on line 1"},
		{name: "user flag", users: "alex:" + string(hash) + ":alex@example.org:admin\n", err: "the only flag"},
		{name: "no hash", users: "alex\n", err: "want name:bcrypt-hash"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			tf, uf := filepath.Join(dir, "tokens"), filepath.Join(dir, "users")
			for p, content := range map[string]string{tf: c.tokens, uf: c.users} {
				if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			a, err := LoadAuth(tf, uf)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one with %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for authz, want := range c.who {
				req := httptest.NewRequest("GET", "/", nil)
				req.Header.Set("Authorization", authz)
				p, err := a.Identify(req)
				if err != nil || p.Identity != want {
					t.Errorf("%s: %+v, %v; want %+v", authz, p, err, want)
				}
			}
		})
	}
}

func hexOf(d [32]byte) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for _, c := range d {
		b.WriteByte(digits[c>>4])
		b.WriteByte(digits[c&15])
	}
	return b.String()
}

// Every answer of POST /api/v1/statements/{id}/actions, by who asks:
// refusals before the action layer (credentials, method, body) and the
// layer's own (by role, by state), each with its status.
func TestAPIActionStatuses(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	path := "/api/v1/statements/" + sg15 + "/actions"
	before := len(events(t, f, sg15))
	cases := []struct {
		name, who, body string
		hdr             []string
		want            int
		code            string // the layer's refusal code
	}{
		{name: "anonymous loopback", body: `{"action":"ack"}`, want: 401},
		{name: "read-only token", who: "viewer", body: `{"action":"ack"}`, want: 403},
		{name: "not JSON", who: "jane", body: `action=ack`, hdr: []string{"Content-Type", "application/x-www-form-urlencoded"}, want: 415},
		{name: "bad JSON", who: "jane", body: `{"action":`, want: 400},
		{name: "unknown field", who: "jane", body: `{"action":"close","reasons":"typo"}`, want: 400},
		{name: "two values", who: "jane", body: `{"action":"ack"} {"action":"close"}`, want: 400},
		{name: "sent by another site", who: "jane", body: `{"action":"ack"}`, hdr: []string{"Sec-Fetch-Site", "cross-site"}, want: 403},
		{name: "draft here", who: "jane", body: `{"action":"draft","draft":{"to":"itu-t-sg15"}}`, want: 400},
		{name: "unknown action", who: "jane", body: `{"action":"archive"}`, want: 400, code: "invalid"},
		{name: "delay without reason", who: "jane", body: `{"action":"delay","date":"2027-05-01"}`, want: 400, code: "invalid"},
		{name: "no role", who: "dana", body: `{"action":"ack"}`, want: 403, code: "forbidden"},
		{name: "a chair may not close", who: "chair", body: `{"action":"close","reason":"done"}`, want: 403, code: "forbidden"},
		{name: "reopen an open statement", who: "jane", body: `{"action":"reopen"}`, want: 409, code: "conflict"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := apiPost(srv, path, c.who, c.body, c.hdr...)
			if w.Code != c.want {
				t.Fatalf("status %d, want %d: %s", w.Code, c.want, w.Body.String())
			}
			res := decodeJSON[apiResult](t, w)
			if res.Error == "" || res.Code != c.code {
				t.Errorf("error %q code %q, want code %q", res.Error, res.Code, c.code)
			}
			if c.want == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if n := len(events(t, f, sg15)); n != before {
		t.Fatalf("refused requests wrote %d events", n-before)
	}
	if w := send(srv, http.MethodGet, path, "", "Authorization", "Bearer tok-jane"); w.Code != 405 || w.Header().Get("Allow") != "POST" {
		t.Errorf("GET: %d Allow %q", w.Code, w.Header().Get("Allow"))
	}
	if w := send(srv, http.MethodDelete, "/api/v1/drafts", "", "Authorization", "Bearer tok-jane"); w.Code != 405 || w.Header().Get("Allow") != "POST" {
		t.Errorf("DELETE /api/v1/drafts: %d Allow %q", w.Code, w.Header().Get("Allow"))
	}
	big := `{"action":"note","text":"` + strings.Repeat("x", MaxAPIBody) + `"}`
	if w := apiPost(srv, path, "jane", big); w.Code != 413 {
		t.Errorf("oversized body: %d", w.Code)
	}
	if w := apiPost(srv, "/api/v1/statements/LS-2026-0999/actions", "jane", `{"action":"ack"}`); w.Code != 404 || decodeJSON[apiResult](t, w).Code != "not found" {
		t.Errorf("unknown statement: %d %s", w.Code, w.Body.String())
	}
}

// Each identity acts with its own roles: the chair acknowledges, the
// manager delays and corrects, the operator closes; the answer is the
// statement after the action, as GET shows it, and the history names who
// acted through the API.
func TestAPIActionsByRole(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	path := "/api/v1/statements/" + sg15 + "/actions"
	steps := []struct {
		who, body string
		event     liaison.EventType
	}{
		{"chair", `{"action":"ack","reason":"CCAMP is on it"}`, liaison.EventAcked},
		{"jane", `{"action":"delay","date":"2027-05-01","reason":"waiting for the WG's consensus call"}`, liaison.EventDelayed},
		{"jane", `{"action":"set","field":"deadline","value":"2027-06-01"}`, liaison.EventCorrected},
		{"chair", `{"action":"note","text":"discussed at the interim"}`, liaison.EventNote},
		{"jane", `{"action":"reassign","groups":["teas"]}`, liaison.EventReassigned},
		{"op", `{"action":"close","reason":"no reply will be sent"}`, liaison.EventClosed},
	}
	for _, st := range steps {
		w := apiPost(srv, path, st.who, st.body)
		if w.Code != 200 {
			t.Fatalf("%s %s: %d %s", st.who, st.body, w.Code, w.Body.String())
		}
		res := decodeJSON[apiResult](t, w)
		last := findEvent(res.History, st.event)
		if res.ID != sg15 || res.Outcome.Result == "" || !res.Outcome.Changed {
			t.Errorf("%s: answer %+v", st.body, res.Outcome)
		}
		if last.Type != st.event || last.By != people[st.who].Email || last.Channel != liaison.ChannelAPI {
			t.Errorf("%s: last event %+v, want %s by %s over api", st.body, last, st.event, people[st.who].Email)
		}
		// The answer is the GET view of the statement after the action.
		get := send(srv, http.MethodGet, "/api/v1/statements/"+sg15, "")
		var want map[string]any
		if err := json.Unmarshal(get.Body.Bytes(), &want); err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		delete(got, "outcome")
		if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
			t.Errorf("%s: the answer differs from GET:\n%s\n%s", st.body, g, w)
		}
	}
	rec, err := recordOf(f, sg15)
	if err != nil {
		t.Fatal(err)
	}
	if rec.State != liaison.StateClosed || rec.Extraction.Deadline.String() != "2027-06-01" || rec.InternalDeadline.String() != "2027-05-01" ||
		rec.Acked == nil || rec.Acked.By != people["chair"].Email {
		t.Errorf("record after the actions: state %s deadline %s internal %s acked %+v", rec.State, rec.Extraction.Deadline, rec.InternalDeadline, rec.Acked)
	}
}

func findEvent(evs []liaison.Event, t liaison.EventType) liaison.Event {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Type == t {
			return evs[i]
		}
	}
	return liaison.Event{}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A draft through the API: created (201) by the manager, refused to
// someone without a role, approved by the sending group's chair with a
// consensus reference (not by the manager), sent by the manager.
func TestAPIDraftApproveSend(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	draft := `{"answers":"` + sg15 + `","from":["ccamp"],"purpose":"action","deadline":"2027-01-10",
		"body":"CCAMP thanks SG15 for its statement.","addressees":["Q12/15"],"contacts":["Daniele Ceccarelli <daniele@example.org>"],
		"attach":[{"name":"notes.txt","data":"` + "SW50ZXJuZXQtRHJhZnQgdGV4dAo=" + `"}]}`
	if w := apiPost(srv, "/api/v1/drafts", "dana", draft); w.Code != 403 {
		t.Errorf("a draft by someone without a role: %d %s", w.Code, w.Body.String())
	}
	if w := apiPost(srv, "/api/v1/drafts", "viewer", draft); w.Code != 403 {
		t.Errorf("a draft with a read-only token: %d", w.Code)
	}
	if w := apiPost(srv, "/api/v1/drafts", "jane", `{"from":["ccamp"]}`); w.Code != 400 || decodeJSON[apiResult](t, w).Code != "invalid" {
		t.Errorf("a draft to nobody: %d %s", w.Code, w.Body.String())
	}
	w := apiPost(srv, "/api/v1/drafts", "jane", draft)
	if w.Code != 201 {
		t.Fatalf("draft: %d %s", w.Code, w.Body.String())
	}
	res := decodeJSON[apiResult](t, w)
	if !strings.HasPrefix(res.ID, "LS-") || w.Header().Get("Location") != "/api/v1/statements/"+res.ID || len(res.Outcome.Problems) != 0 {
		t.Fatalf("draft answer: id %q location %q problems %v", res.ID, w.Header().Get("Location"), res.Outcome.Problems)
	}
	rec, err := recordOf(f, res.ID)
	if err != nil || rec.Outbound == nil || rec.Outbound.State != liaison.OutboundDraft || len(rec.Extraction.Attachments) != 1 {
		t.Fatalf("the draft: %+v %v", rec, err)
	}
	path := "/api/v1/statements/" + res.ID + "/actions"
	if w := apiPost(srv, path, "jane", `{"action":"approve","consensus":"https://mailarchive.example/ccamp/123"}`); w.Code != 403 {
		t.Errorf("approval by a manager who is no approver: %d %s", w.Code, w.Body.String())
	}
	if w := apiPost(srv, path, "chair", `{"action":"approve"}`); w.Code != 400 {
		t.Errorf("approval without consensus: %d %s", w.Code, w.Body.String())
	}
	if w := apiPost(srv, path, "chair", `{"action":"approve","consensus":"https://mailarchive.example/ccamp/123"}`); w.Code != 200 {
		t.Fatalf("approval by the CCAMP chairs: %d %s", w.Code, w.Body.String())
	}
	w = apiPost(srv, path, "jane", `{"action":"send"}`)
	if w.Code != 200 {
		t.Fatalf("send: %d %s", w.Code, w.Body.String())
	}
	if q := decodeJSON[apiResult](t, w).Outcome.Queued; len(q) == 0 {
		t.Error("sending queued nothing")
	}
	rec, _ = recordOf(f, res.ID)
	approved := findEvent(events(t, f, res.ID), liaison.EventApproved)
	if rec.Outbound.State != liaison.OutboundSent || approved.By != people["chair"].Email || approved.Channel != liaison.ChannelAPI ||
		!strings.Contains(approved.Detail, "mailarchive.example/ccamp/123") {
		t.Errorf("after sending: state %s, approval event %+v", rec.Outbound.State, approved)
	}
}

// webSession is a signed-in browser in a test: its user, and the form
// token and the flash cookie it holds.
type webSession struct {
	t    *testing.T
	srv  *Server
	user string
	csrf string
	jar  []*http.Cookie
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// page loads a page as the session's user, keeping the form token and
// the cookies it gets.
func (s *webSession) page(path string) *httptest.ResponseRecorder {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	if s.user != "" {
		req.SetBasicAuth(s.user, "pw-"+s.user)
	}
	for _, c := range s.jar {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.srv.ServeHTTP(w, req)
	s.jar = w.Result().Cookies()
	if m := csrfField.FindStringSubmatch(w.Body.String()); m != nil {
		s.csrf = m[1]
	}
	return w
}

// post sends a form as a browser on this site would (Origin and
// Sec-Fetch-Site same-origin, the form token); hdr replace or add headers
// ("" as a value removes one).
func (s *webSession) post(path string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	s.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", s.csrf)
	}
	return s.send(path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), hdr)
}

// upload is a file a multipart form attaches.
type upload struct{ name, contentType, data string }

// postFiles sends a form with files as a browser does (multipart/form-data,
// the files in "attach" fields), otherwise as post.
func (s *webSession) postFiles(path string, form url.Values, files []upload, hdr ...string) *httptest.ResponseRecorder {
	s.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", s.csrf)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				s.t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="attach"; filename=%q`, f.name))
		h.Set("Content-Type", f.contentType)
		part, err := mw.CreatePart(h)
		if err == nil {
			_, err = io.WriteString(part, f.data)
		}
		if err != nil {
			s.t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		s.t.Fatal(err)
	}
	return s.send(path, mw.FormDataContentType(), &body, hdr)
}

func (s *webSession) send(path, contentType string, body io.Reader, hdr []string) *httptest.ResponseRecorder {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", "http://example.com") // httptest's Host
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	if s.user != "" {
		req.SetBasicAuth(s.user, "pw-"+s.user)
	}
	w := httptest.NewRecorder()
	s.srv.ServeHTTP(w, req)
	s.jar = w.Result().Cookies()
	return w
}

// The statement page's forms: shown by role, posted back through the
// action layer over the web channel, answered by a redirect to the page
// with the outcome; refused without the role or from another site.
func TestWebActionForms(t *testing.T) {
	f := newFixture(t)
	clock := &testClock{t: testNow}
	srv := actServer(t, f, clock)
	page := "/statements/" + sg15
	act := page + "/actions"
	jane := &webSession{t: t, srv: srv, user: "jane"}
	chair := &webSession{t: t, srv: srv, user: "chair"}
	dana := &webSession{t: t, srv: srv, user: "dana"}
	viewer := &webSession{t: t, srv: srv, user: "viewer"}
	anon := &webSession{t: t, srv: srv}

	// What each one is offered.
	for _, c := range []struct {
		s          *webSession
		want, none []string
	}{
		{jane, []string{"form-ack", "form-delay", "form-set", "form-close", "form-note", "draft-answer"}, []string{"form-reopen", "form-approve"}},
		{chair, []string{"form-ack", "form-delay", "form-note"}, []string{"form-close", "form-set"}},
		{dana, []string{"no-actions"}, []string{"<form method=\"post\"", "name=\"csrf\""}},
		{viewer, nil, []string{"<form method=\"post\"", "id=\"act\""}},
		{anon, nil, []string{"<form method=\"post\"", "id=\"act\""}},
	} {
		body := c.s.page(page).Body.String()
		for _, id := range c.want {
			if !strings.Contains(body, id) {
				t.Errorf("%s is not offered %s", c.s.user, id)
			}
		}
		for _, id := range c.none {
			if strings.Contains(body, id) {
				t.Errorf("%s is offered %s", c.s.user, id)
			}
		}
	}

	// Refused before the action layer: nothing is written.
	before := len(events(t, f, sg15))
	ack := url.Values{"action": {"ack"}}
	for _, c := range []struct {
		name string
		s    *webSession
		form url.Values
		hdr  []string
		want int
	}{
		{"anonymous", anon, ack, nil, 401},
		{"read-only user", viewer, ack, nil, 403},
		{"no form token", jane, url.Values{"action": {"ack"}, "csrf": {"x"}}, nil, 403},
		{"another person's form token", jane, url.Values{"action": {"ack"}, "csrf": {srv.guard.token(Principal{Identity: people["chair"], By: ByUser, Name: "chair"})}}, nil, 403},
		{"from another site", jane, ack, []string{"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"}, 403},
		{"from a sibling site", jane, ack, []string{"Origin", "http://evil.example.com", "Sec-Fetch-Site", "same-site"}, 403},
		{"origin null", jane, ack, []string{"Origin", "null", "Sec-Fetch-Site", ""}, 403},
		{"no origin at all", jane, ack, []string{"Origin", "", "Sec-Fetch-Site", ""}, 403},
		{"not a form", jane, ack, []string{"Content-Type", "application/json"}, 415},
		{"no role (the layer)", dana, ack, nil, 403},
		{"a chair may not close (the layer)", chair, url.Values{"action": {"close"}, "reason": {"done"}}, nil, 403},
	} {
		if c.s.csrf == "" && c.s.user != "" {
			c.s.csrf = srv.guard.token(Principal{Identity: people[c.s.user], By: ByUser, Name: c.s.user})
		}
		form := url.Values{}
		for k, v := range c.form {
			form[k] = v
		}
		if w := c.s.post(act, form, c.hdr...); w.Code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, w.Code, c.want, w.Body.String())
		}
	}
	if n := len(events(t, f, sg15)); n != before {
		t.Fatalf("refused posts wrote %d events", n-before)
	}

	// Taken: redirect to the page, which shows the outcome once.
	jane.page(page)
	steps := []struct {
		form  url.Values
		event liaison.EventType
		flash string
	}{
		{url.Values{"action": {"ack"}}, liaison.EventAcked, "ack: "},
		{url.Values{"action": {"set"}, "field": {"deadline"}, "value": {"2027-06-01"}}, liaison.EventCorrected, "set: "},
		{url.Values{"action": {"reassign"}, "groups": {"teas", "mpls"}}, liaison.EventReassigned, "reassign: "},
		{url.Values{"action": {"close"}, "reason": {"no reply will be sent"}}, liaison.EventClosed, "close: "},
	}
	for _, st := range steps {
		w := jane.post(act, st.form)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != page {
			t.Fatalf("%v: %d to %q: %s", st.form, w.Code, w.Header().Get("Location"), w.Body.String())
		}
		got := jane.page(page).Body.String()
		if !strings.Contains(got, `id="flash"`) || !strings.Contains(got, st.flash) {
			t.Errorf("%v: no flash %q on the page", st.form, st.flash)
		}
		if again := jane.page(page).Body.String(); strings.Contains(again, `id="flash"`) {
			t.Errorf("%v: the flash shows twice", st.form)
		}
		ev := findEvent(events(t, f, sg15), st.event)
		if ev.By != "jane.doe@example.org" || ev.Channel != liaison.ChannelWeb {
			t.Errorf("%v: event %+v", st.form, ev)
		}
	}
	body := jane.page(page).Body.String()
	for _, want := range []string{"status-closed", "corrected by jane.doe@example.org (web)", `read as &#34;2027-03-15&#34;`, "form-reopen", "no reply will be sent"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page after the actions lacks %q", want)
		}
	}
	rec, _ := recordOf(f, sg15)
	if rec.State != liaison.StateClosed || rec.Extraction.Deadline.String() != "2027-06-01" || !sameSet(rec.Routing.Groups, []string{"teas", "mpls"}) {
		t.Errorf("record: state %s deadline %s groups %v", rec.State, rec.Extraction.Deadline, rec.Routing.Groups)
	}

	// A refusal for what the form says comes back as a flash.
	w := jane.post(act, url.Values{"action": {"close"}, "reason": {"twice"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("closing a closed statement: %d", w.Code)
	}
	if got := jane.page(page).Body.String(); !strings.Contains(got, `class="flash error"`) {
		t.Error("no error flash after a conflict")
	}

	// A form token expires.
	old := jane.csrf
	clock.Add(FormTTL + time.Minute)
	if w := jane.post(act, url.Values{"action": {"reopen"}, "csrf": {old}}); w.Code != 403 {
		t.Errorf("an expired form token: %d", w.Code)
	}
}

// The draft form: prefilled from the statement answered, posted through
// the action layer; a refused draft comes back with what was written.
func TestWebDraftForm(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	jane := &webSession{t: t, srv: srv, user: "jane"}
	form := jane.page("/drafts/new?answers=" + sg15)
	if form.Code != 200 || !strings.Contains(form.Body.String(), `<option value="ccamp" selected>`) || !strings.Contains(form.Body.String(), `name="answers" value="`+sg15+`"`) {
		t.Fatalf("draft form: %d %s", form.Code, form.Body.String())
	}
	// With a deadline that is no date: refused, the body kept.
	w := jane.post("/drafts", url.Values{"answers": {sg15}, "from": {"ccamp"}, "purpose": {"action"}, "deadline": {"next spring"}, "body": {"CCAMP thanks SG15 <b>"}})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "CCAMP thanks SG15 &lt;b&gt;") || !strings.Contains(w.Body.String(), `class="flash error"`) {
		t.Errorf("refused draft: %d %s", w.Code, w.Body.String())
	}
	w = jane.post("/drafts", url.Values{"answers": {sg15}, "from": {"ccamp"}, "purpose": {"action"}, "deadline": {"2027-01-10"},
		"body": {"CCAMP thanks SG15."}, "addressees": {"Q12/15"}, "contacts": {"Daniele Ceccarelli <daniele@example.org>"}})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/statements/LS-2026-") {
		t.Fatalf("draft: %d %q %s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	id := strings.TrimPrefix(w.Header().Get("Location"), "/statements/")
	if ev := findEvent(events(t, f, id), liaison.EventDrafted); ev.By != "jane.doe@example.org" || ev.Channel != liaison.ChannelWeb {
		t.Errorf("drafted event %+v", ev)
	}
	// On the draft's page the CCAMP chairs are offered approval, jane not.
	chair := &webSession{t: t, srv: srv, user: "chair"}
	if body := chair.page("/statements/" + id).Body.String(); !strings.Contains(body, "form-approve") || !strings.Contains(body, "form-withdraw") {
		t.Error("the chairs are not offered approval of the draft")
	}
	if body := jane.page("/statements/" + id).Body.String(); strings.Contains(body, "form-approve") || !strings.Contains(body, "drafted to") {
		t.Error("the manager is offered approval, or the page lacks the history")
	}
	w = chair.post("/statements/"+id+"/actions", url.Values{"action": {"approve"}, "consensus": {"IETF 127 CCAMP minutes"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", w.Code, w.Body.String())
	}
	if rec, _ := recordOf(f, id); rec.Outbound.State != liaison.OutboundApproved {
		t.Errorf("after approval: %s", rec.Outbound.State)
	}
	if body := jane.page("/statements/" + id).Body.String(); !strings.Contains(body, "form-send") {
		t.Error("the manager is not offered to send the approved statement")
	}
	// Anonymous and read-only visitors get no draft form.
	if w := (&webSession{t: t, srv: srv}).page("/drafts/new"); w.Code != 401 {
		t.Errorf("anonymous draft form: %d", w.Code)
	}
	if w := (&webSession{t: t, srv: srv, user: "viewer"}).page("/drafts/new"); w.Code != 403 {
		t.Errorf("read-only draft form: %d", w.Code)
	}
}

// The draft forms attach files (multipart) and edit a draft: the edit form
// shows what the draft says, takes files off and on, removes an emptied
// deadline, and a refused edit comes back as written without changing the
// draft. Only the draft forms take files, and another site's upload is
// refused unread.
func TestWebDraftFiles(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	jane := &webSession{t: t, srv: srv, user: "jane"}
	jane.page("/drafts/new")
	w := jane.postFiles("/drafts", url.Values{"to": {"itu-t-sg15"}, "from": {"ccamp"}, "purpose": {"info"}, "deadline": {"2027-03-10"},
		"title": {"LS on OTN topology"}, "body": {"CCAMP informs SG15 of its OTN topology model."},
		"contacts": {`"Ceccarelli, Daniele" <daniele@example.org>`}},
		[]upload{{"otn-topo.txt", "text/plain", "Internet-Draft text, version 1\n"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("draft with a file: %d %s", w.Code, w.Body.String())
	}
	id := strings.TrimPrefix(w.Header().Get("Location"), "/statements/")
	rec, _ := recordOf(f, id)
	if a := rec.Extraction.Attachments; len(a) != 1 || a[0].Name != "otn-topo.txt" || a[0].ContentType != "text/plain" || a[0].Size != 31 {
		t.Fatalf("attachments %+v", a)
	}
	if body := jane.page("/statements/" + id).Body.String(); !strings.Contains(body, `href="/statements/`+id+`/edit"`) {
		t.Error("the draft's page does not offer its edit form")
	}
	form := jane.page("/statements/" + id + "/edit").Body.String()
	for _, want := range []string{`action="/statements/` + id + `/edit" enctype="multipart/form-data"`, `value="2027-03-10"`, `value="LS on OTN topology"`,
		`<option value="ccamp" selected>`, `&#34;Ceccarelli, Daniele&#34; &lt;daniele@example.org&gt;`, `name="detach" value="otn-topo.txt"`,
		"CCAMP informs SG15 of its OTN topology model."} {
		if !strings.Contains(form, want) {
			t.Errorf("the edit form lacks %s:\n%s", want, form)
		}
	}
	// As the form sends it back: every field as shown, a new deadline,
	// the file replaced by another.
	edit := func(deadline string, detach []string) url.Values {
		return url.Values{"from": {"ccamp"}, "purpose": {"info"}, "deadline": {deadline}, "title": {"LS on OTN topology"},
			"body": {"CCAMP informs SG15 of its OTN topology model."}, "contacts": {`"Ceccarelli, Daniele" <daniele@example.org>`},
			"send_reply_to": {"IETF liaison statements <statements@ietf.example>"}, "detach": detach}
	}
	w = jane.postFiles("/statements/"+id+"/edit", edit("2027-04-01", []string{"otn-topo.txt"}), []upload{{"otn-topo-v2.txt", "text/plain", "version 2"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/statements/"+id {
		t.Fatalf("edit: %d %q %s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	rec, _ = recordOf(f, id)
	if a := rec.Extraction.Attachments; len(a) != 1 || a[0].Name != "otn-topo-v2.txt" || rec.Extraction.Deadline.String() != "2027-04-01" {
		t.Errorf("after the edit: deadline %s, attachments %+v", rec.Extraction.Deadline, a)
	}
	ev := findEvent(events(t, f, id), liaison.EventEdited)
	if ev.By != "jane.doe@example.org" || ev.Channel != liaison.ChannelWeb || !strings.Contains(ev.Detail, "deadline 2027-03-10 -> 2027-04-01") ||
		strings.Contains(ev.Detail, "contact") || strings.Contains(ev.Detail, "title") {
		t.Errorf("edited event %+v", ev)
	}
	if got := jane.page("/statements/" + id + "/attachments/0").Body.String(); got != "version 2" {
		t.Errorf("the new file serves %q", got)
	}
	// A refused edit: the form as written, the draft as it was.
	w = jane.postFiles("/statements/"+id+"/edit", edit("soon", nil), []upload{{"notes.txt", "text/plain", "x"}})
	if body := w.Body.String(); w.Code != 400 || !strings.Contains(body, `value="soon"`) || !strings.Contains(body, "attach the files again") ||
		!strings.Contains(body, `name="detach" value="otn-topo-v2.txt"`) {
		t.Errorf("refused edit: %d %s", w.Code, body)
	}
	if again, _ := recordOf(f, id); again.Extraction.Deadline != rec.Extraction.Deadline || len(again.Extraction.Attachments) != 1 {
		t.Errorf("a refused edit changed the draft: %+v", again.Extraction.Attachments)
	}
	// An emptied deadline is removed.
	if w = jane.postFiles("/statements/"+id+"/edit", edit("", nil), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("edit without deadline: %d %s", w.Code, w.Body.String())
	}
	if rec, _ = recordOf(f, id); !rec.Extraction.Deadline.IsZero() {
		t.Errorf("the emptied deadline is %s", rec.Extraction.Deadline)
	}
	// A received statement has no edit form.
	if w := jane.page("/statements/" + sg15 + "/edit"); w.Code != http.StatusConflict {
		t.Errorf("edit form of a received statement: %d", w.Code)
	}
	// Only the draft forms take files; another site's upload is refused.
	before := len(events(t, f, sg15))
	if w := jane.postFiles("/statements/"+sg15+"/actions", url.Values{"action": {"ack"}}, nil); w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("a multipart action form: %d", w.Code)
	}
	if w := jane.postFiles("/drafts", url.Values{"to": {"itu-t-sg15"}}, []upload{{"x.txt", "text/plain", "x"}},
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); w.Code != http.StatusForbidden {
		t.Errorf("another site's upload: %d", w.Code)
	}
	big := jane.send("/drafts", "multipart/form-data; boundary=x", io.MultiReader(
		strings.NewReader("--x\r\nContent-Disposition: form-data; name=\"attach\"; filename=\"big.bin\"\r\n\r\n"),
		strings.NewReader(strings.Repeat("a", MaxUploadBody))), nil)
	if big.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("an upload over the cap: %d", big.Code)
	}
	if rec, _ := recordOf(f, sg15); len(events(t, f, sg15)) != before || rec.Acked != nil {
		t.Error("the refused posts acted on the received statement")
	}
}

// "mine": the statements the signed-in person manages or chairs a group
// of, on the list and in the API; nothing for who is not signed in.
func TestMineFilter(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	teasChair := Identity{Email: "teas-chairs@ietf.example"}
	srv.auth.AddToken(TokenDigest("tok-teas"), teasChair)
	cases := []struct {
		token string
		want  []string
	}{
		{"jane", []string{sg15}},
		{"chair", []string{sg15}},
		{"teas", []string{sg15, "LS-2026-0005"}},
		{"iab", []string{"LS-2026-0002", "LS-2026-0006"}},
		{"dana", nil},
	}
	for _, c := range cases {
		w := send(srv, http.MethodGet, "/api/v1/statements?state=all&mine=1", "", "Authorization", "Bearer tok-"+c.token)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", c.token, w.Code, w.Body.String())
		}
		var got []string
		for _, s := range decodeJSON[StatementsPage](t, w).Statements {
			got = append(got, s.ID)
		}
		if !sameSet(got, c.want) {
			t.Errorf("%s's statements: %v, want %v", c.token, got, c.want)
		}
	}
	page := send(srv, http.MethodGet, "/statements?state=all&mine=1", "", "Authorization", "Bearer tok-teas").Body.String()
	if !strings.Contains(page, "My statements") || !strings.Contains(page, "LS-2026-0005") || strings.Contains(page, ">LS-2026-0004<") ||
		!strings.Contains(page, `id="mine"`) {
		t.Errorf("teas chairs' list page:\n%s", page)
	}
	for _, authz := range []string{"", "Bearer tok-viewer"} {
		if w := send(srv, http.MethodGet, "/api/v1/statements?mine=1", "", "Authorization", authz); w.Code != 400 {
			t.Errorf("mine for %q: %d", authz, w.Code)
		}
	}
	if page := send(srv, http.MethodGet, "/statements", "").Body.String(); strings.Contains(page, `id="mine"`) {
		t.Error("the anonymous list links to mine")
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// A server without an action layer (liaisond serve) answers writes 503 and
// offers no forms, whoever signs in.
func TestReadOnlyServerTakesNoActions(t *testing.T) {
	f := newFixture(t)
	a := NewAuth(nil, nil)
	a.AddToken(TokenDigest("tok-jane"), people["jane"])
	srv, err := New(Options{DB: f.db, Config: func() *config.Config { return f.cfg }, Now: func() time.Time { return testNow }, Auth: a, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if w := apiPost(srv, "/api/v1/statements/"+sg15+"/actions", "jane", `{"action":"ack"}`); w.Code != 503 {
		t.Errorf("API action: %d", w.Code)
	}
	w := send(srv, http.MethodGet, "/statements/"+sg15, "", "Authorization", "Bearer tok-jane")
	if w.Code != 200 || strings.Contains(w.Body.String(), `method="post"`) {
		t.Errorf("page: %d, forms: %v", w.Code, strings.Contains(w.Body.String(), `method="post"`))
	}
	if _, err := New(Options{DB: f.db, Config: func() *config.Config { return f.cfg }, Now: time.Now, Actions: f.actions}); err == nil {
		t.Error("Actions without Settings accepted")
	}
}

func TestSameOrigin(t *testing.T) {
	cases := []struct {
		name, site, origin, referer, host, base string
		ok                                      bool
	}{
		{"fetch metadata same-origin", "same-origin", "", "", "liaisons.example.org", "", true},
		{"origin matches host", "", "https://liaisons.example.org", "", "liaisons.example.org", "", true},
		{"origin matches base_url", "", "https://liaisons.example.org", "", "127.0.0.1:8080", "https://liaisons.example.org", true},
		{"base_url scheme differs", "", "http://liaisons.example.org", "", "127.0.0.1:8080", "https://liaisons.example.org", false},
		{"referer only", "", "", "https://liaisons.example.org/statements/LS-1", "liaisons.example.org", "", true},
		{"cross-site", "cross-site", "https://liaisons.example.org", "", "liaisons.example.org", "", false},
		{"same-site", "same-site", "", "", "liaisons.example.org", "", false},
		{"user typed (none)", "none", "", "", "liaisons.example.org", "", false},
		{"other origin", "", "https://evil.example", "", "liaisons.example.org", "", false},
		{"origin null", "", "null", "", "liaisons.example.org", "", false},
		{"other port", "", "http://liaisons.example.org:8081", "", "liaisons.example.org:8080", "", false},
		{"nothing", "", "", "", "liaisons.example.org", "", false},
		{"same-origin but a foreign origin", "same-origin", "https://evil.example", "", "liaisons.example.org", "", false},
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodPost, "/statements/x/actions", nil)
		req.Host = c.host
		for k, v := range map[string]string{"Sec-Fetch-Site": c.site, "Origin": c.origin, "Referer": c.referer} {
			if v != "" {
				req.Header.Set(k, v)
			}
		}
		if err := sameOrigin(req, c.base); (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.name, err, c.ok)
		}
	}
}

// Flash cookies are signed: one forged or made for another page is not
// shown.
func TestFlashIsSigned(t *testing.T) {
	clock := &testClock{t: testNow}
	g, _ := newGuard([]byte("k"), clock.Now)
	other, _ := newGuard([]byte("other"), clock.Now)
	set := func(g *guard, f Flash) *http.Cookie {
		w := httptest.NewRecorder()
		g.setFlash(w, httptest.NewRequest("POST", "/", nil), f)
		return w.Result().Cookies()[0]
	}
	take := func(c *http.Cookie, id string) (Flash, bool) {
		req := httptest.NewRequest("GET", "/", nil)
		req.AddCookie(c)
		return g.takeFlash(httptest.NewRecorder(), req, id)
	}
	if f, ok := take(set(g, Flash{ID: "LS-1", Text: "done"}), "LS-1"); !ok || f.Text != "done" {
		t.Errorf("own flash: %+v %v", f, ok)
	}
	if _, ok := take(set(other, Flash{ID: "LS-1", Text: "forged"}), "LS-1"); ok {
		t.Error("a flash signed with another key was shown")
	}
	if _, ok := take(set(g, Flash{ID: "LS-2", Text: "x"}), "LS-1"); ok {
		t.Error("another page's flash was shown")
	}
	c := set(g, Flash{ID: "LS-1", Text: "old"})
	clock.Add(flashTTL + time.Second)
	if _, ok := take(c, "LS-1"); ok {
		t.Error("a stale flash was shown")
	}
}

// /signin asks an anonymous browser for a user, and sends a signed-in one
// to their statements.
func TestSignIn(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	w := send(srv, http.MethodGet, "/signin", "")
	if w.Code != 401 || !strings.Contains(strings.Join(w.Header().Values("WWW-Authenticate"), " "), "Basic") {
		t.Errorf("anonymous: %d %v", w.Code, w.Header().Values("WWW-Authenticate"))
	}
	if page := send(srv, http.MethodGet, "/statements", "").Body.String(); !strings.Contains(page, `id="signin"`) {
		t.Error("the anonymous list has no sign-in link")
	}
	for user, want := range map[string]string{"jane": "/statements?mine=1", "viewer": "/statements"} {
		w := send(srv, http.MethodGet, "/signin", "", "Authorization", basicAuth(user, "pw-"+user))
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
			t.Errorf("%s: %d to %q", user, w.Code, w.Header().Get("Location"))
		}
	}
}
