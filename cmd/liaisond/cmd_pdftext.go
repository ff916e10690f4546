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

// pdfTimeout bounds one PDF's reading in the sandbox, and pdfBudget all the
// PDFs of one message together (variables for tests).
var (
	pdfTimeout = 10 * time.Second
	pdfBudget  = 30 * time.Second
)

// pdfReader reads attached PDFs in child processes of this executable, so
// a hostile PDF can cost time but never hang or crash the daemon, and a
// message full of them costs at most pdfBudget: it returns, for each
// message, a reader with a fresh budget. Without a known executable, PDFs
// stay unread.
func pdfReader() func() func([]byte) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		slog.Warn("PDF attachments will not be read", "err", err)
		return nil
	}
	sb := pdftext.Sandbox{Name: exe, Args: []string{"pdftext"}}
	perDoc, total := pdfTimeout, pdfBudget
	return func() func([]byte) (string, error) {
		b := &pdftext.Budget{Read: sb.Read, PerDocument: perDoc, Total: total}
		return b.Text
	}
}
