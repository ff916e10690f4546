package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func collect(t *testing.T, path string) (msgs []string, origins []string) {
	t.Helper()
	err := Walk(path, func(raw []byte, origin string) error {
		msgs = append(msgs, string(raw))
		origins = append(origins, origin)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	eml := "Subject: one\r\n\r\nbody\r\n"
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte(eml), 0o644)
	mbox := "From alice@example.org Mon Nov 23 10:00:00 2026\nSubject: two\n\n>From the start\nline\n\nFrom bob@example.org Mon Nov 23 11:00:00 2026\nSubject: three\n\n>>From quoted\n"
	os.WriteFile(filepath.Join(dir, "b.mbox"), []byte(mbox), 0o644)
	md := filepath.Join(dir, "maildir")
	for _, s := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(md, s), 0o755)
	}
	os.WriteFile(filepath.Join(md, "new", "1.host"), []byte("Subject: four\n\nx\n"), 0o644)
	os.WriteFile(filepath.Join(md, "cur", "2.host:2,S"), []byte("Subject: five\n\ny\n"), 0o644)

	tests := []struct {
		path     string
		subjects []string
		origin   string
	}{
		{filepath.Join(dir, "a.eml"), []string{"one"}, "file:"},
		{filepath.Join(dir, "b.mbox"), []string{"two", "three"}, "mbox:"},
		{md, []string{"four", "five"}, "maildir:"},
		{dir, []string{"one", "two", "three", "four", "five"}, ""},
	}
	for _, tc := range tests {
		msgs, origins := collect(t, tc.path)
		if len(msgs) != len(tc.subjects) {
			t.Fatalf("%s: %d messages, want %d: %q", tc.path, len(msgs), len(tc.subjects), msgs)
		}
		for i, s := range tc.subjects {
			if !strings.Contains(msgs[i], "Subject: "+s) {
				t.Errorf("%s: message %d = %q, want subject %s", tc.path, i, msgs[i], s)
			}
			if !strings.HasPrefix(origins[i], tc.origin) {
				t.Errorf("%s: origin %q", tc.path, origins[i])
			}
		}
	}
	msgs, _ := collect(t, filepath.Join(dir, "b.mbox"))
	if !strings.Contains(msgs[0], "\nFrom the start") || !strings.Contains(msgs[1], "\n>From quoted") {
		t.Errorf("mboxrd unescaping wrong: %q", msgs)
	}
}

func TestWalkMissing(t *testing.T) {
	if err := Walk(filepath.Join(t.TempDir(), "nope"), func([]byte, string) error { return nil }); err == nil {
		t.Fatal("no error for a missing path")
	}
}

func TestMboxKeepsTheMessagesOwnLineEnds(t *testing.T) {
	dir := t.TempDir()
	crlf := "Subject: a\r\n\r\nbody\r\n--b--\r\n"
	lf := "Subject: b\n\nbody\n"
	mbox := "From x Mon Nov 23 10:00:00 2026\n" + crlf + "\n" + "From y Mon Nov 23 10:00:00 2026\n" + lf + "\n" + "From z Mon Nov 23 10:00:00 2026\n" + crlf + "\r\n"
	p := filepath.Join(dir, "m.mbox")
	os.WriteFile(p, []byte(mbox), 0o644)
	msgs, _ := collect(t, p)
	want := []string{crlf, lf, crlf}
	if len(msgs) != 3 {
		t.Fatalf("got %d messages: %q", len(msgs), msgs)
	}
	for i := range want {
		if msgs[i] != want[i] {
			t.Errorf("message %d = %q, want %q", i, msgs[i], want[i])
		}
	}
}
