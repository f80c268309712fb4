//go:build !unix

package handover

import (
	"os"
	"sync/atomic"
)

// mapFile maps nothing where mmap(2) is missing: links run without a
// ledger and report no bound after a crash.
func mapFile(*os.File, int) ([]byte, error) { return nil, nil }

func wordAt([]byte, int) *atomic.Uint64 { return new(atomic.Uint64) }

func syncMapping([]byte) error { return nil }

func unmap([]byte) error { return nil }
