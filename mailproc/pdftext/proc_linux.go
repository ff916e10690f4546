package pdftext

import (
	"os"
	"syscall"
)

// childAttr puts the reader in its own process group and has the kernel
// kill it when the daemon dies (PR_SET_PDEATHSIG). The signal is tied to
// the thread that started the child; Go's runtime does not end its threads
// while the process runs, except those of a goroutine that exits while
// locked to its thread, which the daemon never does around a reader.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the reader and anything it started.
func killGroup(p *os.Process) error {
	if err := syscall.Kill(-p.Pid, syscall.SIGKILL); err != nil {
		return p.Kill()
	}
	return nil
}
