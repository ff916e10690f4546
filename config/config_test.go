package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const head = "liaison_address: statements@ietf.example\niab: {name: IAB, email: iab@iab.example}\n"

// TestBrokenConfigs checks one rule per case; want is the exact list of
// diagnostics, one per line.
func TestBrokenConfigs(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"syntax error", head + "organizations:\n  - id: [unclosed\n",
			"t.yaml:4: YAML syntax error: sequence end token ']' not found"},
		{"empty file", "",
			"t.yaml:1: iab.email: required key is missing or empty\n" +
				"t.yaml:1: iab.name: required key is missing or empty\n" +
				"t.yaml:1: liaison_address: required key is missing or empty"},
		{"root is a list", "- a\n- b\n",
			"t.yaml:1: want a mapping, got a list\n" +
				"t.yaml:1: iab.email: required key is missing or empty\n" +
				"t.yaml:1: iab.name: required key is missing or empty\n" +
				"t.yaml:1: liaison_address: required key is missing or empty"},
		{"duplicate key is a syntax error", head + "timezone: UTC\ntimezone: UTC\n",
			`t.yaml:4: YAML syntax error: mapping key "timezone" already defined at [3:1]`},
		{"unknown top-level key with suggestion", head + "organisations: []\n",
			`t.yaml:3: organisations: unknown key (did you mean "organizations"?)`},
		{"unknown key without suggestion", head + "colour: blue\n",
			`t.yaml:3: colour: unknown key`},
		{"unknown nested key", head + "organizations:\n  - id: bbf\n    name: Broadband Forum\n    managres: []\n",
			`t.yaml:6: organizations[0].managres: unknown key (did you mean "managers"?)`},
		{"unknown key inside inline section", head + "smtp:\n  address: smtp.example.org:587\n  from: a@b.example\n  pasword_file: x\n",
			`t.yaml:6: smtp.pasword_file: unknown key (did you mean "password_file"?)`},
		{"missing required keys", "log: {level: info}\n",
			"t.yaml:1: iab.email: required key is missing or empty\n" +
				"t.yaml:1: iab.name: required key is missing or empty\n" +
				"t.yaml:1: liaison_address: required key is missing or empty"},
		{"missing org name", head + "organizations:\n  - id: bbf\n",
			"t.yaml:4: organizations[0].name: required key is missing or empty"},
		{"wrong type", head + "organizations: bbf\n",
			"t.yaml:3: organizations: want a list, got a string"},
		{"bool expected", head + "imap: {address: localhost:143, tls: none, mark_seen: yes please}\n",
			"t.yaml:3: imap.mark_seen: want true or false, got a string"},
		{"duplicate org id", head + "organizations:\n  - {id: bbf, name: Broadband Forum}\n  - {id: bbf, name: BBF Two}\n",
			`t.yaml:5: organizations[1].id: duplicate organization id "bbf" (first at line 4)`},
		{"duplicate group id", head + "groups:\n  - {id: ccamp, name: A, list: a@ietf.example}\n  - {id: ccamp, name: B, list: b@ietf.example}\n",
			`t.yaml:5: groups[1].id: duplicate group id "ccamp" (first at line 4)`},
		{"ambiguous alias between orgs", head + "organizations:\n  - {id: itu-t-sg15, name: ITU-T SG15, aliases: [SG15]}\n  - {id: other, name: Other, aliases: [\"SG 15\"]}\n",
			`t.yaml:5: organizations[1].aliases[0]: "SG 15" is ambiguous: "SG15" of organization "itu-t-sg15" (line 4) reads the same`},
		{"unknown org and group in route", head + "organizations: [{id: bbf, name: BBF}]\ngroups: [{id: opsawg, name: OPSAWG, list: opsawg@ietf.example}]\nroutes:\n  - from: bff\n    to: [opsawg, netmod]\n",
			"t.yaml:6: routes[0].from[0]: unknown organization \"bff\" (did you mean \"bbf\"?)\n" +
				"t.yaml:7: routes[0].to[1]: unknown group \"netmod\""},
		{"route without groups", head + "routes:\n  - {subject: x}\n",
			"t.yaml:4: routes[0].to: required key is missing or empty"},
		{"bad regexp", head + "groups: [{id: ccamp, name: CCAMP, list: ccamp@ietf.example}]\nroutes:\n  - {subject: \"(?i)OTN(\", to: [ccamp]}\n",
			"t.yaml:5: routes[0].subject: bad regular expression: error parsing regexp: missing closing ): `(?i)OTN(`"},
		{"bad purpose", head + "groups: [{id: ccamp, name: CCAMP, list: ccamp@ietf.example}]\nroutes:\n  - {purpose: urgent, to: [ccamp]}\n",
			`t.yaml:5: routes[0].purpose: "urgent" is not one of action, comment, info, response`},
		{"bad e-mail addresses", "liaison_address: statements\niab: {name: IAB, email: \"IAB <iab@iab.example>\"}\n",
			"t.yaml:1: liaison_address: \"statements\" is not an e-mail address: missing @domain\n" +
				"t.yaml:2: iab.email: \"IAB <iab@iab.example>\": want a bare address such as iab@iab.example, without a display name"},
		{"bad manager e-mail", head + "organizations:\n  - id: bbf\n    name: BBF\n    managers: [{name: Jane, email: jane@}]\n",
			"t.yaml:6: organizations[0].managers[0].email: \"jane@\" is not an e-mail address: missing domain"},
		{"unwritable manager e-mail", head + "organizations:\n  - id: bbf\n    name: BBF\n    managers: [{name: Jane, email: \"jörg@example.de\"}]\n",
			"t.yaml:6: organizations[0].managers[0].email: cannot write address \"jörg@example.de\": non-ASCII local part (needs SMTPUTF8, which liaisond does not use): liaisond could not send mail to it"},
		{"bad domain", head + "organizations: [{id: bbf, name: BBF, domains: [\"@broadband-forum.org\"]}]\n",
			`t.yaml:3: organizations[0].domains[0]: "@broadband-forum.org" is not a mail domain such as itu.int`},
		{"bad durations", head + "imap:\n  address: localhost:143\n  tls: none\n  poll_interval: 5 minutes\n  idle_restart: -1m\nsmtp: {address: localhost:25, from: d@ietf.example, retry_max_age: 0s}\n",
			"t.yaml:6: imap.poll_interval: bad duration \"5 minutes\": want e.g. 60s, 10m, 48h or 7d\n" +
				"t.yaml:7: imap.idle_restart: negative duration\n" +
				"t.yaml:8: smtp.retry_max_age: must be positive"},
		{"bad batch limits", head + "imap:\n  address: localhost:143\n  tls: none\n  batch_size: 0\n  batch_bytes: 32 MB please\n  max_attempts: 0\n",
			"t.yaml:6: imap.batch_size: must be between 1 and 10000\n" +
				"t.yaml:7: imap.batch_bytes: bad size \"32 MB please\": want a number of bytes, or e.g. 32MiB, 500kB\n" +
				"t.yaml:8: imap.max_attempts: must be between 1 and 100"},
		{"lease ttl out of range", head + "imap: {address: localhost:143, tls: none, lease_ttl: 2s}\n",
			"t.yaml:3: imap.lease_ttl: must be between 5s and 1h"},
		{"own folders collide", head + "imap:\n  address: localhost:143\n  tls: none\n  folders: [INBOX, Lists]\n  processed_folder: Lists\n  failed_folder: Done\n  sent_folder: Done\n  lease_folder: INBOX\n",
			"t.yaml:7: imap.processed_folder: folder \"Lists\" is also a watched folder\n" +
				"t.yaml:9: imap.sent_folder: folder \"Done\" is also imap.failed_folder\n" +
				"t.yaml:10: imap.lease_folder: folder \"INBOX\" is also a watched folder"},
		{"batch bytes too small", head + "imap: {address: localhost:143, tls: none, batch_bytes: 64KiB}\n",
			"t.yaml:3: imap.batch_bytes: must be at least 1MiB (a larger message forms a batch alone anyway)"},
		{"bad tls", head + "imap: {address: imap.example.org:993, tls: ssl}\n",
			`t.yaml:3: imap.tls: "ssl" is not one of implicit, starttls, none`},
		{"plain text to a remote host", head + "imap:\n  address: imap.example.org:143\n  tls: none\n",
			"t.yaml:5: imap.tls: tls: none sends the password in plain text to imap.example.org; set allow_insecure: true to allow it"},
		{"bad address", head + "smtp: {address: smtp.example.org, from: d@ietf.example}\n",
			`t.yaml:3: smtp.address: "smtp.example.org": want host:port, such as mail.example.org:993`},
		{"smtp from required", head + "smtp:\n  address: smtp.example.org:587\n",
			"t.yaml:3: smtp.from: required key is missing or empty"},
		{"unknown timezone", head + "timezone: Europe/Atlantis\n",
			`t.yaml:3: timezone: unknown time zone "Europe/Atlantis" (want an IANA name such as Europe/Paris)`},
		{"both password sources", head + "imap:\n  address: imap.example.org:993\n  password_file: /etc/x\n  password_env: X\n",
			"t.yaml:6: imap.password_env: set password_file or password_env, not both"},
		{"folder for unknown group", head + "imap:\n  address: imap.example.org:993\n  folders: [INBOX, {name: wg-ccamp, wg_list: ccamp}]\n",
			`t.yaml:5: imap.folders[1].wg_list: unknown group "ccamp"`},
		{"bad log values", head + "log: {format: xml, level: verbose}\n",
			"t.yaml:3: log.format: \"xml\" is not one of text, json\n" +
				"t.yaml:3: log.level: \"verbose\" is not one of debug, info, warn, error"},
		{"all problems reported, in line order", "liaison_adress: statements@ietf.example\niab: {name: IAB, email: iab@iab.example}\ntimezone: Mars/Olympus\nroutes: [{from: nobody, to: [nothing]}]\n",
			"t.yaml:1: liaison_address: required key is missing or empty\n" +
				"t.yaml:1: liaison_adress: unknown key (did you mean \"liaison_address\"?)\n" +
				"t.yaml:3: timezone: unknown time zone \"Mars/Olympus\" (want an IANA name such as Europe/Paris)\n" +
				"t.yaml:4: routes[0].from[0]: unknown organization \"nobody\"\n" +
				"t.yaml:4: routes[0].to[0]: unknown group \"nothing\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse succeeded (%s), want:\n%s", c.Summary(), tt.want)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error is %T, want Errors: %v", err, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tt.want)
			}
			for _, d := range errs {
				if d.File != "t.yaml" || d.Line < 1 {
					t.Errorf("diagnostic %+v: bad file or line", d)
				}
			}
		})
	}
}

func TestExampleLoads(t *testing.T) {
	c, err := Load(filepath.Join("..", "examples", "liaisond.yaml"))
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	want := "../examples/liaisond.yaml: ok: 13 organizations (3 informal), 21 groups, 19 routes"
	if got := c.Summary(); got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	if c.Location == nil || c.Location.String() != "UTC" {
		t.Errorf("Location = %v, want UTC", c.Location)
	}
	if c.IMAP != nil || c.SMTP != nil {
		t.Errorf("imap/smtp are commented out in the example but loaded: %+v %+v", c.IMAP, c.SMTP)
	}
	for i, r := range c.Routes {
		if r.Line < 1 || c.Line("routes") >= r.Line {
			t.Errorf("routes[%d].Line = %d, want after routes: at line %d", i, r.Line, c.Line("routes"))
		}
	}
	wantIDs := []string{"itu-t-sg15", "itu-t-sg13", "itu-t-sg17", "3gpp-sa2", "3gpp-ct4", "3gpp-sa3",
		"ieee-802-1", "ieee-802-11", "bbf", "mef", "etsi-tc-cyber", "iso-iec-jtc1-sc6", "o-ran"}
	if got := strings.Join(c.orgIDs(), " "); got != strings.Join(wantIDs, " ") {
		t.Errorf("organization ids = %s", got)
	}
}

func TestDefaultsAndPaths(t *testing.T) {
	dir := t.TempDir()
	src := head + "imap:\n  address: imap.example.org:993\n  password_file: secrets/imap\nsmtp:\n  address: smtp.example.org:587\n  password_env: SMTP_PW\n  from: \"Daemon <d@ietf.example>\"\ntemplates_dir: tpl\n"
	c, err := Parse(filepath.Join(dir, "conf", "l.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"data_dir", c.DataDir, filepath.Join(dir, "conf", "data")},
		{"templates_dir", c.TemplatesDir, filepath.Join(dir, "conf", "tpl")},
		{"timezone", c.Timezone, "UTC"},
		{"log", c.Log.Format + "/" + c.Log.Level, "text/info"},
		{"imap.tls", c.IMAP.TLS, "implicit"},
		{"imap.folders", c.IMAP.Folders[0].Name, "INBOX"},
		{"imap.poll_interval", c.IMAP.PollInterval.String(), "1m0s"},
		{"imap.idle_restart", c.IMAP.IdleRestart.String(), "10m0s"},
		{"imap.batch_size", fmt.Sprint(c.IMAP.BatchSize), "100"},
		{"imap.batch_bytes", c.IMAP.BatchBytes.String(), "32MiB"},
		{"imap.max_attempts", fmt.Sprint(c.IMAP.MaxAttempts), "3"},
		{"imap.sent_folder", c.IMAP.SentFolder, ""},
		{"imap.lease_ttl", c.IMAP.LeaseTTL.String(), "2m0s"},
		{"imap.lease_folder", c.IMAP.LeaseFolder, "liaisond-lease"},
		{"imap password", c.IMAP.Password.String(), "file " + filepath.Join(dir, "conf", "secrets", "imap")},
		{"smtp.tls", c.SMTP.TLS, "starttls"},
		{"smtp.retry_max_age", c.SMTP.RetryMaxAge.String(), "2d"},
		{"smtp password", c.SMTP.Password.String(), "env $SMTP_PW"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.name, ch.got, ch.want)
		}
	}
	if !c.IMAP.MarkSeen {
		t.Error("imap.mark_seen default should be true")
	}
	c2, err := Parse("x.yaml", []byte(head+"imap: {address: \"[::1]:143\", tls: none, mark_seen: false, folders: [{name: wg-x}]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c2.IMAP.MarkSeen {
		t.Error("explicit mark_seen: false was overridden")
	}
	if c2.IMAP.Folders[0].Name != "wg-x" {
		t.Errorf("folder = %+v", c2.IMAP.Folders)
	}
}

func TestAnchorsAndAliases(t *testing.T) {
	src := head + "organizations:\n  - id: a\n    name: A\n    managers: &m [{name: Jane, email: jane@example.org}]\n  - id: b\n    name: B\n    managers: *m\n"
	c, err := Parse("a.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Organizations[1].Managers; len(got) != 1 || got[0].Email != "jane@example.org" {
		t.Errorf("aliased managers = %+v", got)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"60s", time.Minute, false},
		{"10m", 10 * time.Minute, false},
		{"48h", 48 * time.Hour, false},
		{"7d", 7 * 24 * time.Hour, false},
		{"1d12h", 36 * time.Hour, false},
		{"", 0, true},
		{"7 days", 0, true},
		{"d", 0, true},
		{"-5m", 0, true},
		{"xd", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err != nil) != tt.err || got.D() != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"1048576", 1 << 20, false},
		{"32MiB", 32 << 20, false},
		{"512 KiB", 512 << 10, false},
		{"1GiB", 1 << 30, false},
		{"30MB", 30e6, false},
		{"500kB", 500e3, false},
		{"10B", 10, false},
		{"", 0, true},
		{"-1MiB", 0, true},
		{"1.5MiB", 0, true},
		{"32 megabytes", 0, true},
		{"99999999999GiB", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if (err != nil) != tt.err || int64(got) != tt.want {
			t.Errorf("ParseByteSize(%q) = %v, %v; want %v, error %v", tt.in, int64(got), err, tt.want, tt.err)
		}
	}
}

func TestSecret(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte("hunter2\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LIAISOND_TEST_PW", "s3cret")
	t.Setenv("LIAISOND_TEST_EMPTY", "")
	tests := []struct {
		name    string
		s       Secret
		want    string
		wantErr string
	}{
		{"file, trailing newline trimmed", Secret{File: file}, "hunter2", ""},
		{"env", Secret{Env: "LIAISOND_TEST_PW"}, "s3cret", ""},
		{"missing file", Secret{File: filepath.Join(dir, "nope")}, "", "read secret file " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{"unset env", Secret{Env: "LIAISOND_TEST_UNSET_XYZ"}, "", "secret: environment variable LIAISOND_TEST_UNSET_XYZ is not set"},
		{"empty env", Secret{Env: "LIAISOND_TEST_EMPTY"}, "", "secret from env $LIAISOND_TEST_EMPTY is empty"},
		{"empty file", Secret{File: empty}, "", "secret from file " + empty + " is empty"},
		{"nothing configured", Secret{}, "", "secret: no password_file or password_env configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.s.Read()
			if got != tt.want {
				t.Errorf("Read() = %q, want %q", got, tt.want)
			}
			errText := ""
			if err != nil {
				errText = err.Error()
			}
			if errText != tt.wantErr {
				t.Errorf("error = %q, want %q", errText, tt.wantErr)
			}
			for _, secret := range []string{"hunter2", "s3cret"} {
				if strings.Contains(errText, secret) || strings.Contains(tt.s.String(), secret) {
					t.Errorf("secret leaked: %q / %q", errText, tt.s.String())
				}
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ITU-T SG15", "itu t sg 15"},
		{"ITU-T SG 15", "itu t sg 15"},
		{"  ISO/IEC JTC1/SC6 ", "iso iec jtc 1 sc 6"},
		{"ISO/IEC JTC 1/SC 6", "iso iec jtc 1 sc 6"},
		{"IEEE 802.1Q", "ieee 802 1 q"},
		{"3GPP TSG SA WG2", "3 gpp tsg sa wg 2"},
		{"--", ""},
		{"Télécom", "télécom"},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"organizations", "groups", "routes", "imap", "smtp"}
	tests := []struct{ in, want string }{
		{"organisations", "organizations"},
		{"group", "groups"},
		{"rootes", "routes"},
		{"smpt", "smtp"},
		{"colour", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, keys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSecretErrorsMatchErrSecret: every failure to read a secret is
// recognisable as one, so commands can exit with EX_CONFIG.
func TestSecretErrorsMatchErrSecret(t *testing.T) {
	for _, s := range []Secret{{}, {File: filepath.Join(t.TempDir(), "missing")}, {Env: "LIAISOND_TEST_UNSET_XYZ"}} {
		if _, err := s.Read(); !errors.Is(err, ErrSecret) {
			t.Errorf("%v: error %v does not match ErrSecret", s, err)
		}
	}
}
