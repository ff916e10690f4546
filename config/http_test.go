package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHTTPSection(t *testing.T) {
	cases := []struct {
		name, yaml string
		wantErr    string // substring of the error; "" for a valid file
		check      func(t *testing.T, h HTTP)
	}{
		{"defaults", "", "", func(t *testing.T, h HTTP) {
			if h.Listen != "127.0.0.1:8080" || h.BaseURL != "" || h.IMAPStale.D() != 10*time.Minute {
				t.Errorf("defaults = %+v", h)
			}
		}},
		{"full", "http:\n  listen: 0.0.0.0:9000\n  base_url: https://liaisons.example.org/\n  tokens_file: tokens\n  users_file: /etc/liaisond/users\n  imap_stale: 30m\n", "", func(t *testing.T, h HTTP) {
			if h.BaseURL != "https://liaisons.example.org" || !filepath.IsAbs(h.TokensFile) || h.UsersFile != "/etc/liaisond/users" || h.IMAPStale.D() != 30*time.Minute {
				t.Errorf("parsed = %+v", h)
			}
		}},
		{"off", "http: {listen: off}\n", "", func(t *testing.T, h HTTP) {
			if !h.Off() {
				t.Errorf("listen off not recognised: %+v", h)
			}
		}},
		{"bad listen", "http:\n  listen: localhost\n", "cfg.yaml:5: http.listen", nil},
		{"bad base_url", "http:\n  base_url: liaisons.example.org\n", "cfg.yaml:5: http.base_url", nil},
		{"zero imap_stale", "http:\n  imap_stale: 0s\n", "http.imap_stale: must be positive", nil},
		{"unknown key", "http:\n  listne: 1.2.3.4:80\n", "http.listne", nil},
		{"anonymous defaults to loopback, no proxies", "", "", func(t *testing.T, h HTTP) {
			if h.Anonymous != AnonymousLoopback || len(h.TrustedNets()) != 0 {
				t.Errorf("anonymous %q, trusted %v", h.Anonymous, h.TrustedNets())
			}
		}},
		{"anonymous none and trusted proxies", "http:\n  anonymous: none\n  trusted_proxies: [127.0.0.1, \"::1\", 10.1.2.3/8, \"fd00::/8\"]\n", "", func(t *testing.T, h HTTP) {
			var got []string
			for _, p := range h.TrustedNets() {
				got = append(got, p.String())
			}
			if h.Anonymous != AnonymousNone || strings.Join(got, " ") != "127.0.0.1/32 ::1/128 10.0.0.0/8 fd00::/8" {
				t.Errorf("anonymous %q, trusted %v", h.Anonymous, got)
			}
		}},
		{"bad anonymous", "http:\n  anonymous: everyone\n", `cfg.yaml:5: http.anonymous: "everyone" is not one of loopback, none`, nil},
		{"bad trusted proxy, with its line", "http:\n  trusted_proxies:\n    - 127.0.0.1\n    - nginx.local\n", `cfg.yaml:7: http.trusted_proxies[1]: "nginx.local" is not an IP address`, nil},
		{"bad trusted CIDR", "http:\n  trusted_proxies: [10.0.0.0/33]\n", `cfg.yaml:5: http.trusted_proxies[0]: "10.0.0.0/33" is not a CIDR`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse("cfg.yaml", []byte(head+"\n"+c.yaml))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, cfg.HTTP)
		})
	}
}
