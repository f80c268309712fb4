package journal

import (
	"errors"
	"os"
	"sync"
)

// faultFS is the real file layer with a fault asked for before every
// operation that changes the disk, or takes a lock: the tests make any
// write, sync, truncation, creation, rename or lock of a journal fail (in
// the style of SQLite's I/O error tests) and check what was acknowledged.
//
// The operations, and the op names given to fault: "open" (an existing
// file), "create" (a new file: the temporary file of a journal's creation,
// a quarantine file), "write", "sync" (fdatasync), "truncate", "rename",
// "remove", "syncdir", "lock" (shared or exclusive) and "close". n counts
// the calls of that op, from 1. A fault that returns an error makes the
// operation fail without touching the disk, except a [*ShortWrite], which
// stores a prefix of a write's bytes first. Reads, sizes and unlocks are
// never faulted.
type faultFS struct {
	osFS
	fault func(op string, n int) error

	mu sync.Mutex
	n  map[string]int
}

func newFaultFS(fault func(op string, n int) error) *faultFS {
	return &faultFS{fault: fault, n: map[string]int{}}
}

func (fs *faultFS) check(op string) error {
	fs.mu.Lock()
	fs.n[op]++
	n := fs.n[op]
	fs.mu.Unlock()
	if fs.fault == nil {
		return nil
	}
	return fs.fault(op, n)
}

func (fs *faultFS) OpenFile(name string, flag int, perm os.FileMode) (jfile, error) {
	op := "open"
	if flag&os.O_CREATE != 0 {
		op = "create"
	}
	if err := fs.check(op); err != nil {
		return nil, err
	}
	f, err := fs.osFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{jfile: f, fs: fs}, nil
}

func (fs *faultFS) CreateTemp(dir, pattern string) (jfile, error) {
	if err := fs.check("create"); err != nil {
		return nil, err
	}
	f, err := fs.osFS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{jfile: f, fs: fs}, nil
}

func (fs *faultFS) RenameNoReplace(oldpath, newpath string) error {
	if err := fs.check("rename"); err != nil {
		return err
	}
	return fs.osFS.RenameNoReplace(oldpath, newpath)
}

func (fs *faultFS) Remove(name string) error {
	if err := fs.check("remove"); err != nil {
		return err
	}
	return fs.osFS.Remove(name)
}

func (fs *faultFS) SyncDir(dir string) error {
	if err := fs.check("syncdir"); err != nil {
		return err
	}
	return fs.osFS.SyncDir(dir)
}

type faultFile struct {
	jfile
	fs *faultFS
}

func (f *faultFile) WriteAt(b []byte, off int64) (int, error) {
	if err := f.fs.check("write"); err != nil {
		var sw *ShortWrite
		if !errors.As(err, &sw) {
			return 0, err
		}
		keep := min(max(sw.Keep, 0), len(b)-1)
		if len(b) == 0 {
			keep = 0
		}
		n, werr := f.jfile.WriteAt(b[:keep], off)
		if werr != nil {
			return n, werr
		}
		return n, sw.Err
	}
	return f.jfile.WriteAt(b, off)
}

func (f *faultFile) Datasync() error {
	if err := f.fs.check("sync"); err != nil {
		return err
	}
	return f.jfile.Datasync()
}

func (f *faultFile) Truncate(size int64) error {
	if err := f.fs.check("truncate"); err != nil {
		return err
	}
	return f.jfile.Truncate(size)
}

func (f *faultFile) Lock(exclusive bool) error {
	if err := f.fs.check("lock"); err != nil {
		return err
	}
	return f.jfile.Lock(exclusive)
}

func (f *faultFile) Close() error {
	if err := f.fs.check("close"); err != nil {
		// The descriptor is released all the same, as close(2) does.
		f.jfile.Close()
		return err
	}
	return f.jfile.Close()
}
