package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/store/storetest"
)

// TestBackupAndRestore walks an operator through the README's recipe:
// back up, lose the database, restore; and the refusals on the way.
func TestBackupAndRestore(t *testing.T) {
	d := newDamagedCLI(t)
	_, before, _ := d.run("list", "--state", "all", "--kind", "all", "--json")
	dir := t.TempDir()
	backup := filepath.Join(dir, "liaisond-backup.db")

	code, out, errs := d.run("backup", "-o", backup)
	if code != 0 || out != "" || errs != "" {
		t.Fatalf("backup: exit %d, output %q %q (want silence on success)", code, out, errs)
	}
	// Every corpus message is a record.
	corpus, _ := filepath.Glob("../../testdata/corpus/*.eml")
	if code, out, _ := runArgs("check", "--db", backup); code != 0 || !strings.Contains(out, fmt.Sprintf("ok: %d records", len(corpus))) {
		t.Fatalf("check --db of the backup: exit %d: %s", code, out)
	}

	// The same bytes through stdout.
	var stdout strings.Builder
	if code := runMain(&cmdEnv{stdout: &stdout, stderr: os.Stderr, now: time.Now}, []string{"backup", "-c", d.cfg, "-o", "-"}); code != 0 {
		t.Fatalf("backup -o -: exit %d", code)
	}
	piped := filepath.Join(dir, "piped.db")
	if err := os.WriteFile(piped, []byte(stdout.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runArgs("check", "--db", piped); code != 0 {
		t.Fatalf("backup -o - is not a sound database: %s", errs)
	}

	// A damaged backup is refused and nothing changes.
	bad := filepath.Join(dir, "bad.db")
	storetest.Copy(t, backup, bad)
	storetest.Overwrite(t, bad, 3)
	code, _, errs = d.run("restore", "-i", bad)
	if code != exitDamaged || !strings.Contains(errs, "nothing was changed") {
		t.Errorf("restore of a damaged backup: exit %d: %s", code, errs)
	}

	// Refused while a daemon holds the data dir.
	held, err := store.Open(filepath.Dir(d.db), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs = d.run("restore", "-i", backup)
	held.Close()
	if code != exitLocked || !strings.Contains(errs, "stop `liaisond run` first") {
		t.Errorf("restore under a running daemon: exit %d: %s", code, errs)
	}

	// The database is lost (cut in half); the backup brings it back and
	// the damaged file is kept aside.
	storetest.Truncate(t, d.db)
	code, out, errs = d.run("restore", "-i", backup)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("restored %s (%d records)", backup, len(corpus))) || !strings.Contains(out, "kept as "+d.db+".before-restore-") {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errs)
	}
	if _, after, _ := d.run("list", "--state", "all", "--kind", "all", "--json"); after != before {
		t.Errorf("the restored database lists differently")
	}
	aside, _ := filepath.Glob(d.db + ".before-restore-*")
	if len(aside) != 1 {
		t.Fatalf("files kept aside: %v", aside)
	}
	if code, _, _ := runArgs("check", "--db", aside[0]); code != exitDamaged {
		t.Errorf("the file kept aside should be the damaged one (check exit %d)", code)
	}

	// A backup of a damaged database does not pass for a good one.
	storetest.Overwrite(t, d.db, 5)
	if code, _, errs := d.run("backup", "-o", filepath.Join(dir, "of-damaged.db")); code != exitDamaged {
		t.Errorf("backup of a damaged database: exit %d: %s", code, errs)
	}
}
