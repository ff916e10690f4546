package main

import (
	"log/slog"
	"os"
	"time"

	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

func init() {
	register(command{name: "pdftext", usage: "< FILE.pdf", help: "internal: print the text of a PDF read on stdin (the daemon's PDF sandbox)", run: runPDFText, hidden: true})
}

// runPDFText is the child side of the PDF sandbox.
func runPDFText(env *cmdEnv, args []string) error {
	return pdftext.Serve(os.Stdin, env.stdout)
}

// pdfTimeout bounds one PDF's reading in the sandbox (a variable for tests).
var pdfTimeout = 10 * time.Second

// pdfReader reads attached PDFs in a child process of this executable, so
// a hostile PDF can cost ten seconds but never hang or crash the daemon.
// Without a known executable, PDFs stay unread.
func pdfReader() func([]byte) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		slog.Warn("PDF attachments will not be read", "err", err)
		return nil
	}
	return pdftext.Sandbox(exe, []string{"pdftext"}, pdfTimeout)
}
