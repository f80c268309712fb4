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
	b, err := io.ReadAll(io.LimitReader(f, 4097))
	if err != nil {
		return "", inputErr("%s: cannot read it", file)
	}
	if len(b) > 4096 {
		return "", inputErr("%s: larger than %d bytes", file, 4096)
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
	if looksLikeDSN(store) {
		return "", inputErr("a connection string on the command line is visible to every user (ps): give it in a file (-store-dsn FILE, mode 0600) or in $%s", retentionDSNEnv)
	}
	dsn := ""
	var err error
	switch {
	case flagFile != "":
		dsn, err = readDSNFile(flagFile)
	case os.Getenv(retentionDSNEnv) != "":
		dsn = strings.TrimSpace(os.Getenv(retentionDSNEnv))
	case s.cfg.RetentionDSNFile != "":
		dsn, err = readDSNFile(s.cfg.RetentionDSNFile)
	}
	if err == nil && dsn != "" && store != "" {
		// Two stores named: which one is meant cannot be told.
		return "", inputErr("-store names an embedded store, and a PostgreSQL store is given too: give one")
	}
	return dsn, err
}

// looksLikeDSN reports whether a command-line value is a connection
// string: a postgres:// URL, or libpq's key=value form.
func looksLikeDSN(v string) bool {
	l := strings.ToLower(strings.TrimSpace(v))
	if strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://") {
		return true
	}
	for _, k := range []string{"host=", "hostaddr=", "dbname=", "user=", "password=", "port=", "sslmode="} {
		if strings.HasPrefix(l, k) || strings.Contains(l, " "+k) {
			return true
		}
	}
	return false
}
