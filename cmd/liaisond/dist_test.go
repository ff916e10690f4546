package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/store"
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

// TestContainerBuildStep runs the Containerfile's build command as written
// (paths aside) and checks what the image would hold: a static binary that
// knows the version and revision given as build arguments.
func TestContainerBuildStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	data, err := os.ReadFile("../../Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	var build string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "RUN CGO_ENABLED=0 go build ") {
			build = strings.TrimPrefix(l, "RUN ")
		}
	}
	if build == "" {
		t.Fatal("no `RUN CGO_ENABLED=0 go build` step in the Containerfile")
	}
	out := filepath.Join(t.TempDir(), "liaisond")
	build = strings.NewReplacer("${VERSION}", "v9.8.7", "${REVISION}", "0123456789abcdef0123", "/out/liaisond", out).Replace(build)
	cmd := exec.Command("sh", "-c", build)
	cmd.Dir = "../.."
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", build, err, msg)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary needs a dynamic loader; the distroless/static base has none")
		}
	}
	v, err := exec.Command(out, "version").Output()
	if err != nil || !strings.HasPrefix(string(v), "liaisond v9.8.7 (revision 0123456789ab)") {
		t.Errorf("version: %q %v", v, err)
	}
}

// TestComposeSandbox checks that dist/compose.yaml, its files and the
// config it mounts fit together: every mounted file exists, the config is
// valid, and the paths it names are where the compose file puts things.
func TestComposeSandbox(t *testing.T) {
	data, err := os.ReadFile("../../dist/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image   string
			Build   struct{ Context, Dockerfile string }
			Volumes []string
			Secrets []string
		}
		Secrets map[string]struct{ File string }
		Volumes map[string]any
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"dovecot", "mailpit", "liaisond"} {
		if _, ok := compose.Services[name]; !ok {
			t.Errorf("no %s service", name)
		}
	}
	d := compose.Services["liaisond"]
	if _, err := os.Stat(filepath.Join("../../dist", d.Build.Context, d.Build.Dockerfile)); err != nil {
		t.Errorf("build: %v", err)
	}
	mounts := map[string]string{} // target -> source
	for _, svc := range compose.Services {
		for _, v := range svc.Volumes {
			parts := strings.Split(v, ":")
			if strings.HasPrefix(parts[0], "./") {
				if _, err := os.Stat(filepath.Join("../../dist", parts[0])); err != nil {
					t.Errorf("volume %s: %v", v, err)
				}
			} else if _, ok := compose.Volumes[parts[0]]; !ok {
				t.Errorf("volume %s is not declared", parts[0])
			}
			mounts[parts[1]] = parts[0]
		}
	}
	for _, s := range d.Secrets {
		sec, ok := compose.Secrets[s]
		if !ok {
			t.Errorf("secret %s is not declared", s)
			continue
		}
		if _, err := os.Stat(filepath.Join("../../dist", sec.File)); err != nil {
			t.Errorf("secret %s: %v", s, err)
		}
		mounts["/run/secrets/"+s] = sec.File
	}
	src, ok := mounts["/etc/liaisond/liaisond.yaml"]
	if !ok {
		t.Fatal("the config is not mounted at /etc/liaisond/liaisond.yaml (the image's CMD)")
	}
	cfg, err := config.Load(filepath.Join("../../dist", src))
	if err != nil {
		t.Fatalf("the compose config is invalid: %v", err)
	}
	for what, path := range map[string]string{"data_dir": cfg.DataDir, "imap.password_file": cfg.IMAP.Password.File, "http.users_file": cfg.HTTP.UsersFile} {
		if _, ok := mounts[path]; !ok {
			t.Errorf("%s %s is not mounted by the compose file", what, path)
		}
	}
	if cf, _ := os.ReadFile("../../Containerfile"); !strings.Contains(string(cf), `VOLUME ["`+cfg.DataDir+`"]`) {
		t.Errorf("the Containerfile does not declare %s a volume", cfg.DataDir)
	}
}

// TestExampleDataDirIsIgnored: the README's examples run against
// examples/liaisond.yaml, whose data dir is inside the repository; git
// must ignore the database they create.
func TestExampleDataDirIsIgnored(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	cfg, err := config.Load("../../examples/liaisond.yaml")
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(root, filepath.Join(cfg.DataDir, store.FileName))
	if err != nil || strings.HasPrefix(rel, "..") {
		t.Skipf("the example's data dir %s is outside the repository", cfg.DataDir)
	}
	cmd := exec.Command(git, "check-ignore", "-q", "--no-index", rel)
	cmd.Dir = root
	if err := cmd.Run(); err != nil {
		t.Errorf("git does not ignore %s, which the README's examples create (%v)", rel, err)
	}
}
