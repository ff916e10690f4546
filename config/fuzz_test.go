package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary YAML to the config decoder. Whatever the
// input, Parse must either return a configuration or an Errors value in
// which every diagnostic names the file and a real line, never panic, and
// give the same answer twice (it is a pure function of the bytes).
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "examples", "liaisond.yaml")); err == nil {
		f.Add(string(b))
	}
	f.Add(head)
	f.Add(head + "organizations:\n  - id: [unclosed\n")
	f.Add(head + "organizations:\n  - id: bbf\n    name: Broadband Forum\n    managers: [{name: A, email: a@example.org}]\n")
	f.Add(head + "groups:\n  - id: ccamp\n    chairs: [c@example.org]\n    aliases: &a [CCAMP]\n  - id: teas\n    aliases: *a\n")
	f.Add(head + "deadlines:\n  reminders: [14d, 7d, -1d]\n  ack_within: 7d\n")
	f.Add(head + "imap:\n  address: 127.0.0.1:143\n  tls: none\n  folders: [INBOX, {name: wg, wg_list: ccamp}]\n")
	f.Add("- a\n- b\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, yaml string) {
		// YAML's line breaks are CRLF, LF and a lone CR (YAML 1.2 §5.4).
		lf := strings.ReplaceAll(yaml, "\r\n", "\n")
		lines := strings.Count(lf, "\n") + strings.Count(lf, "\r") + 1
		c, err := Parse("f.yaml", []byte(yaml))
		if err == nil {
			if c == nil {
				t.Fatal("no error and no config")
			}
			if c.Location == nil {
				t.Fatal("valid config without a time zone")
			}
		} else {
			var diags Errors
			if !errors.As(err, &diags) || len(diags) == 0 {
				t.Fatalf("error is not a non-empty Errors: %T %v", err, err)
			}
			for _, d := range diags {
				if d.File != "f.yaml" || d.Line < 1 || d.Line > lines+1 || d.Msg == "" {
					t.Fatalf("diagnostic %+v: want file f.yaml, a line in 1..%d and a message", d, lines+1)
				}
			}
		}
		_, err2 := Parse("f.yaml", []byte(yaml))
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("Parse is not deterministic: %v / %v", err, err2)
		}
	})
}
