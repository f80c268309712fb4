//go:build linux

package handover

import (
	"crypto/tls"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// kernelQueueEmpty reports whether the kernel has sent everything written
// to conn (TCP_INFO tcpi_notsent_bytes is 0), and whether it could tell.
// A keep-alive's response clock starts only then: before, the keep-alive
// is still waiting behind the backlog (OpenLI issue #39).
func kernelQueueEmpty(conn net.Conn) (empty, known bool) {
	if tc, ok := conn.(*tls.Conn); ok {
		conn = tc.NetConn()
	}
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false, false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false, false
	}
	var info *unix.TCPInfo
	var gerr error
	if err := raw.Control(func(fd uintptr) {
		info, gerr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); err != nil || gerr != nil {
		return false, false
	}
	return info.Notsent_bytes == 0, true
}
