//go:build !linux

package pdftext

import (
	"os"
	"syscall"
)

// childAttr: only Linux can tie the reader's life to the daemon's.
func childAttr() *syscall.SysProcAttr { return nil }

// killGroup kills the reader.
func killGroup(p *os.Process) error { return p.Kill() }
