// Command liaisond records, routes and follows up the IETF's liaison
// statements. See README.md for the subcommands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/store"
)

// command is one subcommand.
type command struct {
	name, usage, help string
	run               func(env *cmdEnv, args []string) error
	// hidden leaves the command out of the usage (internal commands).
	hidden bool
	// remote commands run inside the daemon, through its control socket,
	// while one holds the data dir (see session.go, control.go): they
	// reach the data only through cmdEnv.open, and files only through
	// cmdEnv.toFile. Other commands that open the data dir refuse to run
	// while a daemon holds it.
	remote bool
}

// cmdEnv is what every subcommand gets: streams and the clock.
type cmdEnv struct {
	stdout, stderr io.Writer
	now            func() time.Time
	// exit is the process exit code a command asks for (besides errors).
	exit int
	// user names the local account the command runs for (the control
	// socket's peer inside the daemon); "" for this process's own.
	user string
	// daemon is set when the command runs inside a daemon, for a client of
	// its control socket: cmdEnv.open then lends the daemon's data.
	daemon *daemon
	// cmd is the command running (set by run).
	cmd *command
	// files are the input files the command read (readFile): in a client,
	// what it read before it found the daemon, sent with the request; in
	// the daemon, what the client sent.
	files map[string][]byte
}

// who names the local account the command runs for, for the history.
func (env *cmdEnv) who() string {
	if env.user != "" {
		return env.user
	}
	return localUser(os.Getuid())
}

var commands []command

func register(c command) { commands = append(commands, c) }

// lookup finds a registered command by name (nil when none).
func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// exitStatus is the exit code of a command whose failure was already
// explained on stderr (by the daemon that ran it).
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError is a bad invocation (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Exit codes, for supervisors and scripts (README, "Exit codes"). Where one
// fits, they are those of sysexits.h.
const (
	exitOK      = 0
	exitFailure = 1  // the command failed (or `check` found problems)
	exitUsage   = 2  // bad invocation: unknown command or flag, missing argument
	exitDamaged = 65 // EX_DATAERR: the database file is damaged
	exitLocked  = 75 // EX_TEMPFAIL: another process holds the data dir, or another daemon the mailbox; try again later
	exitNoPerm  = 77 // EX_NOPERM: the daemon's control socket refuses this user
	exitConfig  = 78 // EX_CONFIG: the config file, or a secret it names, is wrong
)

// configError is a config file that cannot be loaded or is invalid.
type configError struct{ err error }

func (e configError) Error() string { return e.err.Error() }
func (e configError) Unwrap() error { return e.err }

// exitCode maps a command's error to the process exit code.
func exitCode(err error) int {
	var ce configError
	switch {
	case errors.As(err, &ce), errors.Is(err, config.ErrSecret):
		return exitConfig
	case errors.Is(err, store.ErrDamaged):
		return exitDamaged
	case errors.Is(err, store.ErrLocked), errors.Is(err, errMailboxHeld):
		return exitLocked
	}
	return exitFailure
}

func main() {
	env := &cmdEnv{stdout: os.Stdout, stderr: os.Stderr, now: time.Now}
	// LIAISOND_CPUPROFILE=FILE writes a CPU profile of the command (for
	// performance work: `go tool pprof FILE`).
	if path := os.Getenv("LIAISOND_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if err := pprof.StartCPUProfile(f); err == nil {
				code := runMain(env, os.Args[1:])
				pprof.StopCPUProfile()
				f.Close()
				os.Exit(code)
			}
		}
	}
	os.Exit(runMain(env, os.Args[1:]))
}

func runMain(env *cmdEnv, args []string) int {
	switch {
	case len(args) == 0:
		printUsage(env.stderr)
		return exitUsage
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		printUsage(env.stdout)
		return exitOK
	case args[0] == "--version":
		args = []string{"version"}
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(env.stderr, "liaisond: unknown command %q\n\n", args[0])
		printUsage(env.stderr)
		return exitUsage
	}
	err := env.run(c, args)
	var ue usageError
	var done exitStatus
	switch {
	case errors.As(err, &done):
		return int(done)
	case errors.As(err, &ue):
		fmt.Fprintf(env.stderr, "liaisond %s: %s\nusage: liaisond %s %s\n", c.name, ue.msg, c.name, c.usage)
		return exitUsage
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		fmt.Fprintf(env.stderr, "liaisond %s: %v\n", c.name, err)
		if errors.Is(err, store.ErrDamaged) {
			fmt.Fprintf(env.stderr, "liaisond %s: %s\n", c.name, store.Advice)
		}
		return exitCode(err)
	}
	return env.exit
}

// run runs command c with args (args[0] is its name) in this process or,
// when it opens a data dir a daemon holds, inside that daemon: cmdEnv.open
// then returns a *viaDaemon, and the whole command is sent there. Inside
// the daemon, only remote commands run.
func (env *cmdEnv) run(c *command, args []string) error {
	if env.daemon != nil && !c.remote {
		return usageError{"does not run through the daemon's control socket"}
	}
	env.cmd = c
	err := c.run(env, args[1:])
	var via *viaDaemon
	if errors.As(err, &via) {
		return via.run(env, args)
	}
	return err
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "liaisond: records, routes and follows up IETF liaison statements.")
	fmt.Fprintln(w, "\nCommands:")
	sorted := slices.Clone(commands)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, c := range sorted {
		if !c.hidden {
			fmt.Fprintf(w, "  %-10s %s\n", c.name, c.help)
		}
	}
	fmt.Fprintln(w, "\nRun 'liaisond COMMAND -h' for a command's flags, 'liaisond --version' for the build.")
}

// newFlags makes a flag set whose -h prints the command's usage.
func newFlags(env *cmdEnv, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: liaisond %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses flags and positional arguments in any order
// (`show ID --json` as well as `show --json ID`).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// loadConfig loads and validates the config file named by -c; its errors
// are configError (exit 78).
func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return nil, usageError{"-c FILE is required"}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, configError{err}
	}
	return cfg, nil
}

// newLogger builds the process logger from the config's log section.
func newLogger(w io.Writer, cfg *config.Config) *slog.Logger {
	return newLoggerAt(w, cfg, logLevel(cfg))
}

// logLevel is the config's log.level.
func logLevel(cfg *config.Config) slog.Level {
	switch strings.ToLower(cfg.Log.Level) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// quietLevel is the level of commands that cron runs: nothing on success
// (cron mails whatever a job prints), warnings and errors always, and
// everything when the config asks for debug.
func quietLevel(cfg *config.Config) slog.Level {
	if l := logLevel(cfg); l < slog.LevelInfo {
		return l
	}
	return max(logLevel(cfg), slog.LevelWarn)
}

// newLoggerAt builds the process logger at the given level.
func newLoggerAt(w io.Writer, cfg *config.Config, lvl slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: lvl}
	if strings.ToLower(cfg.Log.Format) == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
