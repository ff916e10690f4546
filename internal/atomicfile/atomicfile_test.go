package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	write := func(s string) func(*os.File) error {
		return func(f *os.File) error { _, err := f.WriteString(s); return err }
	}
	if err := Write(path, write("one\n"), nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	// A failed write or check keeps the old file and leaves no temporary.
	if err := Write(path, func(f *os.File) error { _, _ = f.WriteString("half"); return boom }, nil); !errors.Is(err, boom) {
		t.Errorf("write error: %v", err)
	}
	var checked string
	if err := Write(path, write("two\n"), func(tmp string) error {
		data, _ := os.ReadFile(tmp)
		checked = string(data)
		return boom
	}); !errors.Is(err, boom) || checked != "two\n" {
		t.Errorf("check error %v, saw %q", err, checked)
	}
	if data, _ := os.ReadFile(path); string(data) != "one\n" {
		t.Errorf("the old file changed: %q", data)
	}
	if err := Write(path, write("three\n"), func(string) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "three\n" {
		t.Errorf("file %q", data)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".out.txt.tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := Write(filepath.Join(dir, "no-such-dir", "x"), write("x"), nil); err == nil {
		t.Error("a file in a missing folder was written")
	}
}
