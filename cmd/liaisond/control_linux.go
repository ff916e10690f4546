package main

import (
	"net"

	"golang.org/x/sys/unix"
)

// peerOf reads the credentials of the process at the other end of conn
// (SO_PEERCRED: as they were when it connected).
func peerOf(conn *net.UnixConn) (peer, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return peer{}, err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return peer{}, err
	}
	if cerr != nil {
		return peer{}, cerr
	}
	return peer{uid: int(cred.Uid), gid: int(cred.Gid), pid: int(cred.Pid), known: true}, nil
}
