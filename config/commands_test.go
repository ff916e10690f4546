package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCommandsSection(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(filepath.Join(dir, "command.key"), []byte("k3y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		yaml    string
		enabled bool
		file    string
		wantErr string
	}{
		{"absent: disabled", head, false, "", ""},
		{"relative file resolved", head + "commands:\n  secret_file: command.key\n", true, filepath.Join(dir, "command.key"), ""},
		{"absolute file kept", head + "commands:\n  secret_file: /etc/liaisond/command.key\n", true, "/etc/liaisond/command.key", ""},
		{"missing file name", head + "commands:\n  secret_file: \"\"\n", false, "", "t.yaml:4: commands.secret_file: required key is missing or empty"},
		{"unknown key", head + "commands:\n  secret: x\n", false, "", "t.yaml:4: commands.secret: unknown key"},
		{"token age too short", head + "commands:\n  secret_file: command.key\n  token_max_age: 2h\n", false, "", "commands.token_max_age: must be at least 1d"},
		{"bad authserv-id", head + "commands:\n  secret_file: command.key\n  authserv_id: \"mx.ietf.org; dkim=pass\"\n", false, "", "commands.authserv_id: \"mx.ietf.org; dkim=pass\" is not an authserv-id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(cfgPath, []byte(tc.yaml))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (c.Commands != nil) != tc.enabled {
				t.Fatalf("commands enabled = %v, want %v", c.Commands != nil, tc.enabled)
			}
			if !tc.enabled {
				return
			}
			if c.Commands.Secret.File != tc.file {
				t.Errorf("secret file %q, want %q", c.Commands.Secret.File, tc.file)
			}
			if s := c.Commands.Secret.String(); s != "file "+tc.file {
				t.Errorf("Secret.String() = %q: must name the file, never the key", s)
			}
		})
	}
	c, err := Parse(cfgPath, []byte(head+"commands:\n  secret_file: command.key\n"))
	if err != nil {
		t.Fatal(err)
	}
	if key, err := c.Commands.Secret.Read(); err != nil || key != "k3y" {
		t.Errorf("Read() = %q, %v; want the file's key without its line break", key, err)
	}
	if c.Commands.TokenMaxAge.D() != DefaultTokenMaxAge || c.Commands.AuthservID != "" {
		t.Errorf("defaults: token_max_age %v, authserv_id %q", c.Commands.TokenMaxAge, c.Commands.AuthservID)
	}
	c, err = Parse(cfgPath, []byte(head+"commands:\n  secret_file: command.key\n  token_max_age: 30d\n  authserv_id: mx.ietf.org\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Commands.TokenMaxAge.D() != 30*24*time.Hour || c.Commands.AuthservID != "mx.ietf.org" {
		t.Errorf("set: token_max_age %v, authserv_id %q", c.Commands.TokenMaxAge, c.Commands.AuthservID)
	}
}
