package config

import (
	"path/filepath"
	"strings"
)

// DefaultSocketName is the control socket's file name in the data dir.
const DefaultSocketName = "liaisond.sock"

// MaxSocketPath is the longest path a unix socket can be bound at (the
// 108 bytes of sun_path on Linux, less the terminating NUL, rounded down to
// what BSDs allow too).
const MaxSocketPath = 103

// Control configures the daemon's control socket: while `liaisond run`
// holds the data dir, the CLI's commands run inside the daemon through it.
type Control struct {
	// Socket is the socket's path; absolute after loading; default
	// <data_dir>/liaisond.sock. "off" serves no socket (the CLI then
	// cannot work while the daemon runs).
	Socket string `yaml:"socket"`
	// Group, when set, names the group whose members may use the socket
	// too: the socket is then made mode 0660 and owned by that group.
	// Unset, only the daemon's own user (and root) may (mode 0600).
	Group string `yaml:"group"`
}

// Off reports whether no control socket is served.
func (m *Control) Off() bool { return strings.EqualFold(m.Socket, "off") }

func (m *Control) setDefaults(c *Config) {
	switch {
	case m.Socket == "":
		m.Socket = filepath.Join(c.DataDir, DefaultSocketName)
	case !m.Off():
		m.Socket = c.resolve(m.Socket)
	}
	m.Group = strings.TrimSpace(m.Group)
}

func (m *Control) validate(v *checker) {
	if !m.Off() && len(m.Socket) > MaxSocketPath {
		v.errf("control.socket", "%s is %d bytes long; a unix socket path may have at most %d: set control.socket to a shorter path", m.Socket, len(m.Socket), MaxSocketPath)
	}
	if m.Group != "" && strings.ContainsAny(m.Group, " \t:/") {
		v.errf("control.group", "%q is not a group name", m.Group)
	}
}
