package journal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"

	"github.com/ccjkit/ccjkit/internal/durable"
)

// fsys is the file layer under a journal: every write, sync, truncation,
// rename and lock goes through it, so that the tests can inject the I/O
// faults of a failing disk at each step (in the style of SQLite's I/O
// error tests) and check that nothing unacknowledged is reported as stored
// and nothing acknowledged is lost.
type fsys interface {
	// OpenFile opens an existing file (flag is os.O_RDONLY or os.O_RDWR),
	// or creates one exclusively (with os.O_CREATE|os.O_EXCL).
	OpenFile(name string, flag int, perm os.FileMode) (jfile, error)
	// CreateTemp creates a new temporary file in dir, mode 0600.
	CreateTemp(dir, pattern string) (jfile, error)
	// RenameNoReplace renames oldpath to newpath, failing with an error
	// wrapping os.ErrExist if newpath exists.
	RenameNoReplace(oldpath, newpath string) error
	Remove(name string) error
	// SyncDir makes the entries of dir durable.
	SyncDir(dir string) error
	// CheckLocks refuses a directory on a filesystem whose advisory locks
	// cannot be trusted between processes.
	CheckLocks(dir string) error
}

type jfile interface {
	io.ReaderAt
	io.WriterAt
	Truncate(size int64) error
	// Datasync makes the file's data durable (fdatasync).
	Datasync() error
	Size() (int64, error)
	// Lock takes the file's advisory lock, shared or exclusive, waiting
	// for it; Unlock releases it. The kernel releases it when the
	// process dies, so a crash never wedges the journal.
	Lock(exclusive bool) error
	Unlock() error
	Close() error
	Name() string
}

// osFS is the real file layer.
type osFS struct{}

type osFile struct{ *os.File }

func (osFS) OpenFile(name string, flag int, perm os.FileMode) (jfile, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

func (osFS) CreateTemp(dir, pattern string) (jfile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

func (osFS) RenameNoReplace(oldpath, newpath string) error {
	err := renameNoReplace(oldpath, newpath)
	if errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("%w: %s", os.ErrExist, filepath.Base(newpath))
	}
	return err
}

func (osFS) Remove(name string) error { return os.Remove(name) }

func (osFS) SyncDir(dir string) error { return durable.SyncDir(dir) }

func (osFS) CheckLocks(dir string) error { return checkLocks(dir) }

func (f osFile) Datasync() error { return fdatasync(f.File) }

func (f osFile) Size() (int64, error) {
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

func (f osFile) Lock(exclusive bool) error {
	how := unix.LOCK_SH
	if exclusive {
		how = unix.LOCK_EX
	}
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			runtime.KeepAlive(f.File)
			return err
		}
	}
}

func (f osFile) Unlock() error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_UN)
	runtime.KeepAlive(f.File)
	return err
}

// ErrFilesystem is returned by [Open] for a journal on a filesystem whose
// advisory locks do not coordinate processes reliably — NFS, SMB/CIFS,
// FUSE such as sshfs, 9p, Lustre, AFS: two members writing at once could each
// believe they hold the lock, and fork or cut the chain. Keep the journal
// on a local filesystem and reach it over SSH. (Checked on Linux, by the
// journal directory's filesystem.)
var ErrFilesystem = errors.New("journal: the filesystem cannot coordinate writers")
