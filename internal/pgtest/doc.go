// Package pgtest starts a real PostgreSQL server for a test: a fresh
// cluster (initdb) in a temporary directory, listening on 127.0.0.1 and a
// free loopback port, its unix socket in its data directory, stopped and
// removed when the test ends. Tests and benchmarks that need PostgreSQL
// (retention's baseline, the PostgreSQL stores) use it; it is not for
// production use.
//
// The binaries (initdb, pg_ctl, postgres) are those of the pg_ctl on PATH,
// else of the highest version under /usr/lib/postgresql/<version>/bin, as
// Debian's postgresql package installs them (not on PATH). Where there are
// none, a test is skipped locally, naming the program and the Debian
// package, and fails under CI (the CI environment variable set), as
// internal/testenv does: .ci/run installs PostgreSQL, and a skip there
// would hide a broken install step.
//
// The server refuses to run as root, so a test running as root runs
// initdb and pg_ctl as the postgres user (the one Debian's package makes),
// by switching user in the child process (setuid, setgid, no
// supplementary groups: what runuser -u postgres does, without a PAM
// session); its directory is then made with os.MkdirTemp under /tmp and
// given to that user, since t.TempDir's parents are root's and closed to
// others. The cluster trusts every local connection (initdb --auth=trust),
// with superuser postgres, encoding UTF8 and locale C.
//
// A test can make the server listen on more addresses and trust their
// clients (Options.Listen, Options.Trust: writers in network namespaces
// reaching it over a veth pair), and put a tablespace on a small tmpfs
// (Server.Tablespace: a full disk under some tables while the WAL goes
// on).
//
// A test can start a streaming standby of a running server
// (Server.StartStandby: pg_basebackup -R through a replication slot into
// a new data directory, a hot standby on a loopback port of its own),
// make it synchronous (Server.SetSynchronousStandbyNames: ALTER SYSTEM
// and a reload on the primary) and promote it (Server.Promote). Every
// server is written ready to be a primary: wal_level replica, WAL senders
// and slots, a pg_hba line trusting replication over loopback.
//
// Waiting is on events, never a fixed sleep: pg_ctl -w returns when the
// server accepts connections (or has failed), with a deadline of two
// minutes, generous for a loaded machine; a standby's streaming, its
// promotion and a setting's reload are polled (internal/itest.WaitFor)
// until pg_stat_replication or pg_is_in_recovery says so. A port another process took
// between its choice and the server's bind is retried with another.
//
// A test whose process dies without running its cleanups (a -timeout
// panic, a kill) leaves its server running, detached by pg_ctl: look for
// /tmp/ccjkit-pgtest-* and stop it with pg_ctl stop -D <dir>/data.
package pgtest
