package main

import (
	"os"
	"testing"
	"time"
)

// TestMain lets this test binary stand in for liaisond as the PDF sandbox's
// child (pdfReader runs os.Executable() pdftext): without it, a test that
// meets a PDF would start the whole test suite again as the "child".
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "pdftext" {
		os.Exit(runMain(&cmdEnv{stdout: os.Stdout, stderr: os.Stderr, now: time.Now}, os.Args[1:]))
	}
	os.Exit(m.Run())
}
