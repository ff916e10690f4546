package main

import "fmt"

func init() {
	register(command{name: "check", usage: "-c FILE", help: "validate a config file (FILE:LINE: message per problem)", run: runCheck})
}

func runCheck(env *cmdEnv, args []string) error {
	fs := newFlags(env, "check", "-c FILE")
	cfgPath := fs.String("c", "", "config file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cfgPath == "" {
		return usageError{"-c FILE is required"}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		// The diagnostics are the output: one FILE:LINE: message per line.
		fmt.Fprintln(env.stderr, err)
		env.exit = 1
		return nil
	}
	fmt.Fprintln(env.stdout, cfg.Summary())
	return nil
}
