//go:build !linux

package handover

import "net"

// kernelQueueEmpty cannot tell outside Linux; the keep-alive response
// clock then starts when the keep-alive is written.
func kernelQueueEmpty(net.Conn) (empty, known bool) { return false, false }
