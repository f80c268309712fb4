//go:build unix

package handover

import (
	"encoding/binary"
	"errors"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapFile maps f's first size bytes, shared with the file. It maps
// nothing (nil, nil) where the machine is not little-endian: the ledger's
// words are read back in that order.
func mapFile(f *os.File, size int) ([]byte, error) {
	var probe [2]byte
	binary.NativeEndian.PutUint16(probe[:], 1)
	if probe[0] != 1 {
		return nil, nil
	}
	return unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
}

// wordAt returns the aligned 8-byte word of mem at off as an atomic.
func wordAt(mem []byte, off int) *atomic.Uint64 {
	if off%8 != 0 || off+8 > len(mem) {
		return new(atomic.Uint64) // never: the offsets are the ledger's constants
	}
	return (*atomic.Uint64)(unsafe.Pointer(&mem[off]))
}

func syncMapping(mem []byte) error {
	if mem == nil {
		return errors.New("ledger not mapped")
	}
	return unix.Msync(mem, unix.MS_SYNC)
}

func unmap(mem []byte) error { return unix.Munmap(mem) }
