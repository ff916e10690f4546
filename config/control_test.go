package config

import (
	"strings"
	"testing"
)

func TestControlSection(t *testing.T) {
	long := "/srv/" + strings.Repeat("x", MaxSocketPath) + "/c.sock"
	tests := []struct {
		name, yaml    string
		socket, group string
		off           bool
		wantErr       string
	}{
		{"default: in the data dir", head + "data_dir: /var/lib/liaisond\n", "/var/lib/liaisond/liaisond.sock", "", false, ""},
		{"relative path resolved", head + "control: {socket: run/l.sock}\n", "/etc/liaisond/run/l.sock", "", false, ""},
		{"group", head + "control: {socket: /run/liaisond/l.sock, group: liaisond-ops}\n", "/run/liaisond/l.sock", "liaisond-ops", false, ""},
		{"off", head + "control: {socket: \"off\"}\n", "off", "", true, ""},
		{"too long", head + "control: {socket: " + long + "}\n", "", "", false, "control.socket: " + long + " is"},
		{"too long by default", head + "data_dir: " + long + "\n", "", "", false, "set control.socket to a shorter path"},
		{"bad group", head + "control: {group: \"a b\"}\n", "", "", false, "control.group: \"a b\" is not a group name"},
		{"unknown key", head + "control: {mode: 0660}\n", "", "", false, "control.mode: unknown key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("/etc/liaisond/t.yaml", []byte(tc.yaml))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Control.Socket != tc.socket || c.Control.Group != tc.group || c.Control.Off() != tc.off {
				t.Errorf("control %+v off=%v, want socket %s group %q off=%v", c.Control, c.Control.Off(), tc.socket, tc.group, tc.off)
			}
		})
	}
}
