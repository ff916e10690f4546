package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// Duration is a time.Duration written as in Go ("90s", "10m", "1h30m") or
// with a leading number of days ("7d", "1d12h").
type Duration time.Duration

// ParseDuration parses a Duration. Negative durations are rejected.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty duration")
	}
	var days int64
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.ParseInt(s[:i], 10, 32)
		if err != nil {
			return 0, fmt.Errorf("bad duration %q: want e.g. 60s, 10m, 48h or 7d", s)
		}
		days, s = n, s[i+1:]
	}
	var rest time.Duration
	if s != "" {
		var err error
		rest, err = time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("bad duration %q: want e.g. 60s, 10m, 48h or 7d", s)
		}
	}
	if days < 0 || rest < 0 {
		return 0, errors.New("negative duration")
	}
	return Duration(time.Duration(days)*24*time.Hour + rest), nil
}

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String renders whole days as "7d" and anything else as time.Duration does.
func (d Duration) String() string {
	td := time.Duration(d)
	if td > 0 && td%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", td/(24*time.Hour))
	}
	return td.String()
}

func (d *Duration) decodeNode(dec *decoder, n ast.Node, path string) {
	s, ok := scalarText(n)
	if !ok {
		dec.errf(n, path, "want a duration such as 60s, 10m, 48h or 7d, got %s", describe(n))
		return
	}
	if isNull(n) {
		return
	}
	v, err := ParseDuration(s)
	if err != nil {
		dec.errf(n, path, "%v", err)
		return
	}
	*d = v
}

// Secret says where a password is kept: a file or an environment variable.
// The secret itself is read only when needed, with Read; a Secret holds no
// secret, and neither its String form nor Read's errors ever contain one.
type Secret struct {
	File string // absolute path (relative paths are resolved at load time)
	Env  string // environment variable name
}

// IsZero reports whether no secret is configured.
func (s Secret) IsZero() bool { return s.File == "" && s.Env == "" }

// String tells where the secret is kept, never what it is.
func (s Secret) String() string {
	switch {
	case s.File != "":
		return "file " + s.File
	case s.Env != "":
		return "env $" + s.Env
	default:
		return "(none)"
	}
}

// ErrSecret matches (errors.Is) every error Secret.Read returns: a secret
// that is not configured, cannot be read or is empty. Commands treat it as
// a configuration error.
var ErrSecret = errors.New("secret unavailable")

// secretError is an error of Secret.Read; its text is the message alone.
type secretError struct{ error }

func (e secretError) Is(target error) bool { return target == ErrSecret }
func (e secretError) Unwrap() error        { return e.error }

// Read returns the secret: the file's contents without trailing line
// breaks, or the environment variable's value. It fails (with an error
// matching ErrSecret) when nothing is configured, the file cannot be read,
// or the value is empty.
func (s Secret) Read() (string, error) {
	v, err := s.read()
	if err != nil {
		return "", secretError{err}
	}
	return v, nil
}

func (s Secret) read() (string, error) {
	var v string
	switch {
	case s.File != "":
		b, err := os.ReadFile(s.File)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return "", fmt.Errorf("read secret file %s: %w", s.File, pe.Err)
			}
			return "", fmt.Errorf("read secret file %s: %w", s.File, err)
		}
		v = strings.TrimRight(string(b), "\r\n")
	case s.Env != "":
		var ok bool
		v, ok = os.LookupEnv(s.Env)
		if !ok {
			return "", fmt.Errorf("secret: environment variable %s is not set", s.Env)
		}
	default:
		return "", errors.New("secret: no password_file or password_env configured")
	}
	if v == "" {
		return "", fmt.Errorf("secret from %s is empty", s)
	}
	return v, nil
}

// Folder is an IMAP folder to watch. In YAML it is either a name ("INBOX")
// or a mapping {name: wg-ccamp, wg_list: ccamp} for a folder receiving a
// working group's list traffic, where wg_list is the group's id.
type Folder struct {
	Name   string `yaml:"name"`
	WGList string `yaml:"wg_list"`
}

func (f *Folder) decodeNode(d *decoder, n ast.Node, path string) {
	if _, isMap := pairs(n); isMap {
		type plain Folder // no decodeNode: avoids recursion
		var p plain
		d.decodeStruct(n, reflectValue(&p), path)
		*f = Folder(p)
		return
	}
	s, ok := scalarText(n)
	if !ok {
		d.errf(n, path, "want a folder name or {name: ..., wg_list: ...}, got %s", describe(n))
		return
	}
	f.Name = s
}

// ByteSize is a number of bytes, written as a plain integer or with a unit:
// "32MiB", "512KiB", "1GiB" (powers of 1024) or "30MB", "500kB" (powers of
// 1000).
type ByteSize int64

// byteUnits are the units ParseByteSize accepts, longest first.
var byteUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"kB", 1000}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"B", 1},
}

// ParseByteSize parses a ByteSize. Negative sizes are rejected.
func ParseByteSize(s string) (ByteSize, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("bad size %q: want a number of bytes, or e.g. 32MiB, 500kB", s)
	}
	return ByteSize(n * mult), nil
}

// String renders the size in the largest power-of-1024 unit that divides
// it.
func (b ByteSize) String() string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if b > 0 && int64(b)%u.mult == 0 {
			return fmt.Sprintf("%d%s", int64(b)/u.mult, u.suffix)
		}
	}
	return fmt.Sprintf("%dB", int64(b))
}

func (b *ByteSize) decodeNode(dec *decoder, n ast.Node, path string) {
	s, ok := scalarText(n)
	if !ok {
		dec.errf(n, path, "want a size such as 32MiB or 500kB, got %s", describe(n))
		return
	}
	if isNull(n) {
		return
	}
	v, err := ParseByteSize(s)
	if err != nil {
		dec.errf(n, path, "%v", err)
		return
	}
	*b = v
}
