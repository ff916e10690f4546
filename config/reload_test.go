package config

import (
	"strings"
	"testing"
)

func TestRestartNeeded(t *testing.T) {
	const base = "liaison_address: statements@ietf.example\niab: {name: IAB, email: iab@iab.example}\n"
	const imap = "imap:\n  address: imap.example.org:993\n  username: liaison\n  password_file: imap.secret\n"
	const smtp = "smtp:\n  address: smtp.example.org:587\n  from: \"D <d@ietf.example>\"\n"
	tests := []struct {
		name, started, reloaded, want string
	}{
		{"nothing changed", base + imap + smtp, base + imap + smtp, ""},
		{"routing only: applies at once", base + imap, base + imap + "groups:\n  - {id: ccamp, name: CCAMP, list: ccamp@ietf.example, chairs: [c@ietf.example]}\n", ""},
		{"smtp.from applies at once", base + smtp, base + strings.Replace(smtp, "d@ietf", "e@ietf", 1), ""},
		{"imap server and folder", base + imap, base + strings.Replace(imap, "993", "143", 1) + "  folders: [INBOX, wg-ccamp]\n", "imap.address imap.folders"},
		{"imap password file", base + imap, base + strings.Replace(imap, "imap.secret", "other.secret", 1), "imap.password_file"},
		{"smtp added", base, base + smtp, "smtp"},
		{"data dir, log and listener", base, base + "data_dir: /srv/liaisond\nlog: {level: debug}\nhttp: {listen: 127.0.0.1:9090}\n", "data_dir log.level http.listen control.socket"},
		{"control socket group", base, base + "control: {group: liaisond-ops}\n", "control.group"},
		{"control socket off", base, base + "control: {socket: \"off\"}\n", "control.socket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("/etc/liaisond/a.yaml", []byte(tt.started))
			if err != nil {
				t.Fatal(err)
			}
			b, err := Parse("/etc/liaisond/a.yaml", []byte(tt.reloaded))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(RestartNeeded(a, b), " "); got != tt.want {
				t.Errorf("RestartNeeded = %q, want %q", got, tt.want)
			}
		})
	}
}
