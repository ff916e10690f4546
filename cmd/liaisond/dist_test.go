package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSystemdUnits checks the units in dist/ with systemd's own tools:
// `systemd-analyze verify` (any complaint fails, an unknown key included)
// and `systemd-analyze security` (the daemon's exposure must stay at 2.0 or
// below: "OK"). The units name /usr/local/bin/liaisond; the copies checked
// name the test's binary so verify finds an executable.
func TestSystemdUnits(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	bin := liaisondBinary(t)
	dir := t.TempDir()
	units := []string{"liaisond.service", "liaisond-backup.service", "liaisond-backup.timer"}
	var paths []string
	for _, u := range units {
		data, err := os.ReadFile(filepath.Join("../../dist", u))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, u)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(data), "/usr/local/bin/liaisond", bin)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, paths...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(analyze, "security", "--offline=yes", "--threshold=20", paths[0]).CombinedOutput()
	if err != nil {
		t.Errorf("systemd-analyze security: exposure above 2.0 (%v)\n%s", err, out)
	}
}
