//go:build !unix

package durable

import "os"

// flock does nothing where flock(2) is missing: keep one process per
// locked file by hand there.
func flock(*os.File) error { return nil }
