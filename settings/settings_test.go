package settings

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/examples"
)

func example(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "liaisond.yaml"), examples.Config)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// A reload swaps the whole snapshot for every user at once; a reload that
// fails keeps the snapshot in force.
func TestHolderReload(t *testing.T) {
	cfg := example(t)
	h, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := h.Current()
	if first.From.Email != "liaisond@ietf.example" || first.Commands() || first.Domain() != "ietf.example" {
		t.Fatalf("snapshot: from %v, commands %v", first.From, first.Commands())
	}

	next := example(t)
	key := filepath.Join(t.TempDir(), "command.key")
	if err := os.WriteFile(key, []byte("k\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	next.Commands = &config.Commands{SecretFile: key, Secret: config.Secret{File: key}}
	if err := h.Reload(next, nil); err != nil {
		t.Fatal(err)
	}
	cur := h.Current()
	if cur == first || !cur.Commands() || string(cur.CommandKey) != "k" || h.Config() != next {
		t.Errorf("reload did not swap the snapshot: commands %v", cur.Commands())
	}
	if cur.Templates != first.Templates {
		t.Error("a reload without templates dropped the templates in force")
	}

	broken := example(t)
	broken.Commands = &config.Commands{SecretFile: "/nonexistent/key", Secret: config.Secret{File: "/nonexistent/key"}}
	if err := h.Reload(broken, nil); err == nil {
		t.Fatal("a reload with an unreadable command key succeeded")
	}
	if h.Current() != cur {
		t.Error("a failed reload changed the snapshot in force")
	}
}
