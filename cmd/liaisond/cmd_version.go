package main

import (
	"fmt"

	"github.com/ietf-tools/liaisond/internal/buildinfo"
)

func init() {
	register(command{name: "version", usage: "", help: "print the version and the revision this binary was built from (also --version)", run: runVersion})
}

func runVersion(env *cmdEnv, args []string) error {
	fs := newFlags(env, "version", "")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{"version takes no arguments"}
	}
	fmt.Fprintln(env.stdout, buildinfo.Read())
	return nil
}
