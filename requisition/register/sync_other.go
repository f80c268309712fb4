//go:build !linux

package register

import "os"

func fdatasync(f *os.File) error { return f.Sync() }
