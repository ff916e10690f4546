package web

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
)

// httpConfig parses the example config with its http section's anonymous
// and trusted_proxies lines replaced by the given values ("" keeps one).
func httpConfig(t *testing.T, anonymous, trusted string) *config.Config {
	t.Helper()
	y := string(examples.Config)
	for key, val := range map[string]string{"anonymous": anonymous, "trusted_proxies": trusted} {
		re := regexp.MustCompile(`(?m)^  ` + key + `: .*$`)
		if !re.MatchString(y) {
			t.Fatalf("the example config has no http.%s line", key)
		}
		if val != "" {
			y = re.ReplaceAllLiteralString(y, "  "+key+": "+val)
		}
	}
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "liaisond.yaml"), []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authServer serves the fixture's store with cfg, one token ("tok-123"),
// one user (iab / s3cret) and the given limit policy.
func authServer(t *testing.T, f *fixture, cfg *config.Config, clock *testClock, pol LimitPolicy, log ...*bytes.Buffer) *Server {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	if len(log) > 0 {
		logger = slog.New(slog.NewTextHandler(log[0], nil))
	}
	srv, err := New(Options{DB: f.db, Config: func() *config.Config { return cfg }, Now: clock.Now, Limit: pol, Log: logger,
		Auth: NewAuth([][32]byte{TokenDigest("tok-123")}, map[string][]byte{"iab": hash})})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func basicAuth(u, p string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p))
}

// do sends GET /statements from remote with the given headers (name,
// value pairs; a repeated name adds a second header line).
func do(srv *Server, remote string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/statements", nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	return w
}

func TestClientAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name, remote string
		xff          []string
		want         string // "" is the zero Addr
	}{
		{"direct client", "192.0.2.7:4000", nil, "192.0.2.7"},
		{"direct client's header is ignored", "192.0.2.7:4000", []string{"127.0.0.1"}, "192.0.2.7"},
		{"v4-mapped peer", "[::ffff:192.0.2.7]:4000", nil, "192.0.2.7"},
		{"proxy: the client it saw", "127.0.0.1:4000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"proxy: a forged entry left of the real one", "127.0.0.1:4000", []string{"127.0.0.1, 203.0.113.9"}, "203.0.113.9"},
		{"two proxies", "127.0.0.1:4000", []string{"203.0.113.9, 10.1.1.1"}, "203.0.113.9"},
		{"two header lines read in order", "127.0.0.1:4000", []string{"203.0.113.9", "10.1.1.1"}, "203.0.113.9"},
		{"every hop trusted: the left-most", "127.0.0.1:4000", []string{"127.0.0.1, 10.1.1.1"}, "127.0.0.1"},
		{"proxy without the header: unknown", "127.0.0.1:4000", nil, ""},
		{"proxy with garbage: unknown", "127.0.0.1:4000", []string{"203.0.113.9, not-an-ip"}, ""},
		{"entry with a port", "[::1]:4000", []string{"[2001:db8::5]:1234"}, "2001:db8::5"},
		{"unix socket peer", "@", []string{"127.0.0.1"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = c.remote
			for _, v := range c.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			got := ClientAddr(req, trusted)
			if (c.want == "" && got.IsValid()) || (c.want != "" && got.String() != c.want) {
				t.Errorf("ClientAddr = %v, want %q", got, c.want)
			}
		})
	}
}

// Anonymous reads follow http.anonymous and, behind a proxy on the same
// host, the address the proxy reports.
func TestAnonymousAccessBehindProxy(t *testing.T) {
	f := newFixture(t)
	clock := &testClock{t: testNow}
	direct := authServer(t, f, httpConfig(t, "", ""), clock, DefaultLimitPolicy)
	proxied := authServer(t, f, httpConfig(t, "", `[127.0.0.1, "::1"]`), clock, DefaultLimitPolicy)
	none := authServer(t, f, httpConfig(t, "none", ""), clock, DefaultLimitPolicy)
	cases := []struct {
		name   string
		srv    *Server
		remote string
		hdr    []string
		want   int
	}{
		{"no proxies configured: a local peer is anonymous", direct, "127.0.0.1:4000", []string{"X-Forwarded-For", "203.0.113.9"}, 200},
		{"behind the proxy: a remote client is not", proxied, "127.0.0.1:4000", []string{"X-Forwarded-For", "203.0.113.9"}, 401},
		{"behind the proxy: a remote client with a token", proxied, "127.0.0.1:4000", []string{"X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer tok-123"}, 200},
		{"behind the proxy: a local client", proxied, "[::1]:4000", []string{"X-Forwarded-For", "::1"}, 200},
		{"behind the proxy: forged loopback on the left", proxied, "127.0.0.1:4000", []string{"X-Forwarded-For", "127.0.0.1, 203.0.113.9"}, 401},
		{"behind the proxy: the proxy sent no header", proxied, "127.0.0.1:4000", nil, 401},
		{"a direct remote client claiming loopback", proxied, "192.0.2.7:4000", []string{"X-Forwarded-For", "127.0.0.1"}, 401},
		{"anonymous none: loopback needs credentials", none, "127.0.0.1:4000", nil, 401},
		{"anonymous none: loopback with a token", none, "127.0.0.1:4000", []string{"Authorization", "Bearer tok-123"}, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := do(c.srv, c.remote, c.hdr...)
			if w.Code != c.want {
				t.Errorf("status %d, want %d", w.Code, c.want)
			}
			if w.Code == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

// Failed sign-ins lock a client out with a growing delay; other clients,
// and the client after a success, are not affected.
func TestSignInLimiter(t *testing.T) {
	f := newFixture(t)
	clock := &testClock{t: testNow}
	pol := LimitPolicy{Free: 3, Base: time.Second, Max: 4 * time.Second, Forget: time.Hour, Size: 100}
	var log bytes.Buffer
	srv := authServer(t, f, httpConfig(t, "", "[127.0.0.1]"), clock, pol, &log)
	wrong, right := basicAuth("iab", "guess"), basicAuth("iab", "s3cret")
	attacker := "198.51.100.7:5000"
	type step struct {
		advance   time.Duration
		remote    string
		authz     string
		xff       string
		want      int
		wantRetry string
	}
	steps := []step{
		{0, attacker, wrong, "", 401, ""},
		{0, attacker, basicAuth("nobody", "guess"), "", 401, ""},
		{0, attacker, "Bearer guess", "", 401, ""},
		{0, attacker, wrong, "", 401, ""},  // the 4th failure starts a 1 s lockout
		{0, attacker, right, "", 429, "1"}, // not even checked while locked out
		{0, "198.51.100.8:5000", right, "", 200, ""},
		{0, "127.0.0.1:6000", right, "203.0.113.5", 200, ""}, // behind the proxy: its own count
		{time.Second, attacker, wrong, "", 401, ""},          // 5th: 2 s
		{0, attacker, wrong, "", 429, "2"},
		{2 * time.Second, attacker, wrong, "", 401, ""}, // 6th: 4 s, the maximum
		{2 * time.Second, attacker, wrong, "", 429, "2"},
		{2 * time.Second, attacker, wrong, "", 401, ""}, // 7th: still 4 s
		{0, attacker, wrong, "", 429, "4"},
		{4 * time.Second, attacker, right, "", 200, ""}, // a success forgets the failures
		{0, attacker, wrong, "", 401, ""},
		{0, attacker, wrong, "", 401, ""},
		{0, attacker, wrong, "", 401, ""},
		{0, attacker, wrong, "", 401, ""},
		{0, attacker, wrong, "", 429, "1"},
		{time.Hour, attacker, wrong, "", 401, ""}, // an hour later the count starts afresh
		{0, attacker, wrong, "", 401, ""},
		{0, attacker, wrong, "", 401, ""},
		{0, "[2001:db8:1:2::1]:5000", wrong, "", 401, ""}, // IPv6: counted per /64
		{0, "[2001:db8:1:2::2]:5000", wrong, "", 401, ""},
		{0, "[2001:db8:1:2::3]:5000", wrong, "", 401, ""},
		{0, "[2001:db8:1:2::4]:5000", wrong, "", 401, ""},
		{0, "[2001:db8:1:2::5]:5000", right, "", 429, "1"},
		{0, "[2001:db8:1:3::1]:5000", right, "", 200, ""},
		{0, attacker, "", "", 401, ""}, // no credentials: nothing to limit
	}
	for i, st := range steps {
		clock.Add(st.advance)
		hdr := []string{}
		if st.authz != "" {
			hdr = append(hdr, "Authorization", st.authz)
		}
		if st.xff != "" {
			hdr = append(hdr, "X-Forwarded-For", st.xff)
		}
		w := do(srv, st.remote, hdr...)
		if w.Code != st.want || w.Header().Get("Retry-After") != st.wantRetry {
			t.Errorf("step %d (%s %q): %d Retry-After %q, want %d %q", i, st.remote, st.authz, w.Code, w.Header().Get("Retry-After"), st.want, st.wantRetry)
		}
	}
	// One warning per lockout (5 for the attacker, 1 for the IPv6 net),
	// none per refused request.
	if n := strings.Count(log.String(), "locked out"); n != 6 {
		t.Errorf("%d lockout warnings, want 6:\n%s", n, log.String())
	}
}

// Parallel attempts count as failed while they are checked, so a flood
// from one client is held to the free attempts.
func TestSignInLimiterParallel(t *testing.T) {
	f := newFixture(t)
	clock := &testClock{t: testNow}
	srv := authServer(t, f, httpConfig(t, "", ""), clock, LimitPolicy{Free: 5, Base: time.Minute, Max: time.Hour, Forget: time.Hour, Size: 100})
	var wg sync.WaitGroup
	codes := make([]int, 50)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = do(srv, "198.51.100.7:5000", "Authorization", basicAuth("iab", "guess")).Code
		}()
	}
	wg.Wait()
	checked := 0
	for _, c := range codes {
		if c == 401 {
			checked++
		}
	}
	if checked > 6 {
		t.Errorf("%d of 50 parallel wrong passwords were checked, want at most 6 (5 free + 1)", checked)
	}
}

func TestLimiterTableIsBounded(t *testing.T) {
	clock := &testClock{t: testNow}
	l := NewLimiter(LimitPolicy{Free: 1, Base: time.Minute, Max: time.Hour, Forget: time.Hour, Size: 4}, clock.Now)
	for i := range 10 {
		clock.Add(time.Second)
		l.Begin(netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}))
	}
	if n := len(l.clients); n > 4 {
		t.Errorf("the limiter remembers %d clients, want at most 4", n)
	}
	// The most recent clients are the ones kept.
	if _, ok := l.clients[limitKey(netip.AddrFrom4([4]byte{192, 0, 2, 9}))]; !ok {
		t.Error("the latest client was evicted")
	}
}

// An unknown user's password is checked against a dummy hash as costly as
// the users' own, so both cost the same bcrypt work.
func TestDummyHashMatchesUsersCost(t *testing.T) {
	h6, _ := bcrypt.GenerateFromPassword([]byte("a"), 6)
	h5, _ := bcrypt.GenerateFromPassword([]byte("b"), 5)
	a := NewAuth(nil, map[string][]byte{"x": h6, "y": h5})
	if c, err := bcrypt.Cost(a.dummy()); err != nil || c != 6 {
		t.Errorf("dummy hash cost %d (%v), want 6", c, err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.SetBasicAuth("nobody", "")
	if _, err := a.Identify(req); err == nil {
		t.Error("an unknown user with an empty password was accepted")
	}
}

// http.anonymous and http.trusted_proxies are read per request from the
// config in force, so a reload (SIGHUP) applies them.
func TestAccessFollowsReloadedConfig(t *testing.T) {
	f := newFixture(t)
	cfg := httpConfig(t, "", "")
	srv, err := New(Options{DB: f.db, Config: func() *config.Config { return cfg }, Now: func() time.Time { return testNow }, Log: slog.New(slog.DiscardHandler), Auth: NewAuth(nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	proxied := []string{"X-Forwarded-For", "203.0.113.9"}
	if w := do(srv, "127.0.0.1:4000", proxied...); w.Code != 200 {
		t.Fatalf("before the reload: %d", w.Code)
	}
	cfg = httpConfig(t, "", "[127.0.0.1]")
	if w := do(srv, "127.0.0.1:4000", proxied...); w.Code != 401 {
		t.Errorf("after reloading with trusted_proxies: %d, want 401", w.Code)
	}
	cfg = httpConfig(t, "none", "")
	if w := do(srv, "127.0.0.1:4000"); w.Code != 401 {
		t.Errorf("after reloading with anonymous: none: %d, want 401", w.Code)
	}
}
