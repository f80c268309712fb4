//go:build !unix

package handover

import "os"

// lockFile does nothing where flock(2) is missing: keep one handover per
// spool directory by hand there.
func lockFile(*os.File) error { return nil }
