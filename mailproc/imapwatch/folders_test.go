package imapwatch

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// TestEnsureFolder: a folder is found by LIST or created, once per
// connection; a racing creator's folder is as good as one's own; a name the
// server refuses is an error naming the folder.
func TestEnsureFolder(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	c := d.Client(t)
	if err := c.Create("Archive/2026", nil).Wait(); err != nil { // Archive: \Noselect
		t.Fatal(err)
	}
	if err := c.Create("Existing", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		folder      string
		wantCreated bool
		wantErr     string // "": no error
	}{
		{"Sent", true, ""},
		{"Existing", false, ""},
		{"INBOX", false, ""},
		{"inbox", false, ""},
		{"Archive", true, ""}, // a parent that holds no messages
		{"Archive/2026", false, ""},
		{"Liaisons/Envoyés", true, ""},
		{"Sent*", true, ""}, // LIST's wildcard matches Sent too: only the exact name counts
		{"~Sent", false, `create folder "~Sent"`},
	} {
		t.Run(tc.folder, func(t *testing.T) {
			created, err := ensureFolder(c, tc.folder)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ensureFolder = %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || created != tc.wantCreated {
				t.Fatalf("ensureFolder = %v, %v; want created %v", created, err, tc.wantCreated)
			}
			if ok, err := folderExists(c, tc.folder); !ok || err != nil {
				t.Fatalf("after ensureFolder the folder exists: %v, %v", ok, err)
			}
			if created, err := ensureFolder(c, tc.folder); created || err != nil {
				t.Fatalf("second ensureFolder = %v, %v; want found", created, err)
			}
		})
	}

	t.Run("racing creator", func(t *testing.T) {
		// Another client creates the folder between our LIST and CREATE.
		if ok, err := folderExists(c, "Raced"); ok || err != nil {
			t.Fatalf("Raced exists before the race: %v, %v", ok, err)
		}
		other := d.Client(t)
		if err := other.Create("Raced", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		if err := createFolder(c, "Raced"); err != nil {
			t.Fatalf("createFolder after a racing creator: %v", err)
		}
	})

	t.Run("once per connection", func(t *testing.T) {
		var fs folderSet
		if err := fs.ensure(c, "Once"); err != nil {
			t.Fatal(err)
		}
		if err := c.Delete("Once").Wait(); err != nil {
			t.Fatal(err)
		}
		// Known on this connection: not looked up again.
		if err := fs.ensure(c, "Once"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := folderExists(c, "Once"); ok {
			t.Fatal("ensure looked the folder up again on the same connection")
		}
		// Forgotten (found missing): looked up and created again.
		fs.forget("Once")
		if err := fs.ensure(c, "Once"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := folderExists(c, "Once"); !ok {
			t.Fatal("ensure after forget did not create the folder")
		}
		// A new connection starts afresh.
		if err := c.Delete("Once").Wait(); err != nil {
			t.Fatal(err)
		}
		if err := fs.ensure(d.Client(t), "Once"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := folderExists(c, "Once"); !ok {
			t.Fatal("ensure on a new connection did not create the folder")
		}
	})
}
