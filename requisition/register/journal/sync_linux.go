//go:build linux

package journal

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

// untrustedLocks names a filesystem whose flock(2) does not coordinate
// processes on different machines, or not at all, by its statfs(2) magic
// number (linux/magic.h), or returns "". Cluster filesystems whose locks
// are cluster-wide (CephFS, GFS2, OCFS2, GPFS) are not refused; Lustre's
// are local to a client unless mounted with "flock", and AFS's are.
func untrustedLocks(magic int64) string {
	switch magic {
	case 0x6969:
		return "NFS"
	case 0x517b:
		return "SMB"
	case 0xff534d42:
		return "CIFS"
	case 0xfe534d42:
		return "SMB2"
	case 0x65735546:
		return "FUSE"
	case 0x01021997:
		return "9p"
	case 0x0bd00bd0:
		return "Lustre"
	case 0x5346414f:
		return "AFS"
	}
	return ""
}

// checkLocks refuses a directory on a filesystem whose advisory locks
// cannot be trusted.
func checkLocks(dir string) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return err
	}
	if name := untrustedLocks(int64(st.Type)); name != "" {
		return fmt.Errorf("%w: %s", ErrFilesystem, name)
	}
	return nil
}
