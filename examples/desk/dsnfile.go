package main

import (
	"errors"
	"io"
	"os"
	"strings"
	"syscall"
)

// retentionDSNEnv names the environment variable that holds the retention
// store's PostgreSQL connection string itself (docs/postgres.md).
const retentionDSNEnv = "CCJKIT_RETENTION_DSN"

// readDSNFile reads a connection string from file: one line, in a
// regular file of ours readable by its owner only — checked and read on
// one open file, so that nothing can be swapped in between.
func readDSNFile(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", inputErr("%s: %v", file, errors.Unwrap(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", inputErr("%s: %v", file, errors.Unwrap(err))
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 != 0 || (ok && int(st.Uid) != os.Geteuid()) {
		return "", inputErr("%s: a connection string's file must be readable by its owner only (chmod 600)", file)
	}
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return "", inputErr("%s: cannot read it", file)
	}
	dsn := strings.TrimSpace(string(b))
	if dsn == "" || strings.ContainsAny(dsn, "\n") {
		return "", inputErr("%s: one line, the connection string (postgres://…)", file)
	}
	return dsn, nil
}

// retentionDSN returns the PostgreSQL connection string of the retention
// store, "" when it is the embedded store: from the file flag (desk
// retention -store-dsn), else $CCJKIT_RETENTION_DSN, else desk.json's
// retention_dsn_file. A -store given as postgres://… is refused: the
// command line is visible to every user.
func (s *session) retentionDSN(flagFile, store string) (string, error) {
	if strings.HasPrefix(store, "postgres://") || strings.HasPrefix(store, "postgresql://") {
		return "", inputErr("a connection string on the command line is visible to every user (ps): give it in a file (-store-dsn FILE, mode 0600) or in $%s", retentionDSNEnv)
	}
	if flagFile != "" {
		return readDSNFile(flagFile)
	}
	if v := os.Getenv(retentionDSNEnv); v != "" {
		return strings.TrimSpace(v), nil
	}
	if s.cfg.RetentionDSNFile != "" {
		return readDSNFile(s.cfg.RetentionDSNFile)
	}
	return "", nil
}
