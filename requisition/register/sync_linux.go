//go:build linux

package register

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// fdatasync makes the file's data durable without forcing a sync of
// metadata that does not matter for reading it back (its access time).
func fdatasync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }

// renameNoReplace renames atomically and refuses to replace newpath
// (renameat2 RENAME_NOREPLACE); where the filesystem does not support the
// flag, a hard link does the same: it fails if newpath exists.
func renameNoReplace(oldpath, newpath string) error {
	err := unix.Renameat2(unix.AT_FDCWD, oldpath, unix.AT_FDCWD, newpath, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		if err := os.Link(oldpath, newpath); err != nil {
			if errors.Is(err, os.ErrExist) {
				return unix.EEXIST
			}
			return err
		}
		return os.Remove(oldpath)
	}
	return err
}

// Filesystems whose flock(2) does not coordinate processes on different
// machines, or not at all (statfs(2) magic numbers, linux/magic.h).
var untrustedLocks = map[int64]string{
	0x6969:     "NFS",
	0x517b:     "SMB",
	0xff534d42: "CIFS",
	0xfe534d42: "SMB2",
	0x65735546: "FUSE",
	0x01021997: "9p",
}

// checkLocks refuses a directory on a filesystem whose advisory locks
// cannot be trusted.
func checkLocks(dir string) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return err
	}
	if name, ok := untrustedLocks[int64(st.Type)]; ok {
		return fmt.Errorf("%w: %s", ErrFilesystem, name)
	}
	return nil
}
