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
