package durable

import (
	"errors"
	"fmt"
	"os"
)

// ErrLocked: another open file — of this process or another — holds the
// lock.
var ErrLocked = errors.New("durable: locked by another")

// Lock opens path (creating it, mode 0600) and takes an exclusive
// advisory lock on it (flock(2)) without waiting. The kernel releases the
// lock when the returned file is closed or the process ends, however it
// ends, so a crash leaves nothing to clean up. A lock another holds is
// ErrLocked.
func Lock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := flock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %w", ErrLocked, err)
	}
	return f, nil
}
