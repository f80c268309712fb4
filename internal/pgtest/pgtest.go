package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/internal/testenv"
)

// Timeout bounds each wait on the server: initdb, start until it accepts
// connections, stop until it has exited, a connection. Generous, for a
// loaded CI machine; the waits end as soon as the event happens.
const Timeout = 120 * time.Second

// debianRoot is where Debian's postgresql packages put each major
// version's programs: /usr/lib/postgresql/<version>/bin.
const debianRoot = "/usr/lib/postgresql"

// Server is a PostgreSQL server a test started. Its methods are for the
// test's goroutine; they are not safe for concurrent use (DSN and Port
// change only in Restart).
type Server struct {
	bin      string // the directory of initdb, pg_ctl and postgres
	base     string // the temporary directory: data/, postgres.log
	data     string
	log      string
	port     int
	settings map[string]string
	listen   []string
	cred     *syscall.Credential // the postgres user's, when running as root
	standby  string              // a standby's name (application_name, slot); "" for a primary
}

// Options are the settings of a server to start.
type Options struct {
	// Settings are postgresql.conf parameters, name to value (written
	// quoted: "work_mem": "8MB", "synchronous_commit": "off"). Those the
	// harness owns (listen_addresses, port, unix_socket_directories) are
	// refused.
	Settings map[string]string
	// Listen are addresses the server listens on besides 127.0.0.1 — a
	// veth's address in this network namespace, for clients in another
	// one. They must exist when the server starts.
	Listen []string
	// Trust are networks (CIDR) whose TCP connections the server trusts,
	// as it trusts local ones: the clients behind Listen.
	Trust []string
}

// owned are the parameters the harness sets itself.
var owned = []string{"listen_addresses", "port", "unix_socket_directories"}

func (o Options) check() error {
	for name := range o.Settings {
		if slices.Contains(owned, strings.ToLower(name)) {
			return fmt.Errorf("pgtest: the harness sets %s itself", name)
		}
	}
	return nil
}

// Start starts a fresh server with the default settings, stopped
// (immediate) and removed when the test ends. Without PostgreSQL it skips
// the test, or fails it under CI.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith is [Start] with options.
func StartWith(t testing.TB, opts Options) *Server {
	t.Helper()
	if err := opts.check(); err != nil {
		t.Fatal(err)
	}
	bin, ok := findBin(debianRoot)
	if !ok {
		testenv.LookPath(t, "pg_ctl", "postgresql") // skips, or fails under CI
		t.Fatal("pgtest: pg_ctl is on PATH but initdb or postgres is not beside it")
	}
	s := &Server{bin: bin, settings: opts.Settings, listen: opts.Listen}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			unavailable(t, "PostgreSQL refuses to run as root and there is no postgres user to run it as (Debian package postgresql creates it): "+err.Error())
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatalf("pgtest: the postgres user's ids: %v", err)
		}
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	}
	s.makeBase(t)
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if out, err := s.command(ctx, "initdb", "-D", s.data, "--auth=trust", "-U", "postgres",
		"--encoding=UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	f, err := os.OpenFile(filepath.Join(s.data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("\n# the test harness's settings (internal/pgtest)\ninclude 'pgtest.conf'\n")
		err = errors.Join(err, f.Close())
	}
	if err == nil {
		err = s.trust(opts.Trust)
	}
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { s.cleanup(t) })
	s.port = freePort(t)
	s.start(t)
	return s
}

// makeBase makes the server's temporary directory, given to the postgres
// user when the test runs as root, and removed when the test ends.
func (s *Server) makeBase(t testing.TB) {
	t.Helper()
	root := os.TempDir()
	if s.cred != nil {
		root = "/tmp" // open to the postgres user, as t.TempDir's parents are not
	}
	base, err := os.MkdirTemp(root, "ccjkit-pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(base); err != nil {
			t.Errorf("pgtest: removing the server's directory: %v", err)
		}
	})
	s.base, s.data, s.log = base, filepath.Join(base, "data"), filepath.Join(base, "postgres.log")
	if err := s.chown(base); err != nil {
		t.Fatal(err)
	}
}

// trust adds lines to pg_hba.conf: one trusting replication connections
// over loopback (what [Server.StartStandby]'s pg_basebackup and standby
// make; initdb --auth=trust writes it too, but not every version or
// package does), and one per network, trusting its TCP connections.
func (s *Server) trust(nets []string) error {
	var b strings.Builder
	b.WriteString("\n# replication over loopback (internal/pgtest StartStandby)\nhost replication all 127.0.0.1/32 trust\n")
	if len(nets) > 0 {
		b.WriteString("\n# the test's networks (internal/pgtest Options.Trust)\n")
	}
	for _, n := range nets {
		p, err := netip.ParsePrefix(n)
		if err != nil {
			return fmt.Errorf("pgtest: Options.Trust: %v", err)
		}
		fmt.Fprintf(&b, "host all all %s trust\n", p.Masked())
	}
	f, err := os.OpenFile(filepath.Join(s.data, "pg_hba.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(b.String())
	return errors.Join(err, f.Close())
}

// unavailable skips the test, or fails it under CI, where .ci/run must
// have made PostgreSQL available (the internal/testenv convention).
func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but %s", why)
	}
	t.Skip("skipping: " + why)
}

// DSN returns the URL of database on the server, as user postgres over
// TCP on 127.0.0.1, without TLS.
func (s *Server) DSN(database string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path: "/" + database, RawQuery: "sslmode=disable"}
	return u.String()
}

// Port returns the loopback TCP port the server listens on.
func (s *Server) Port() int { return s.port }

// DataDir returns the server's data directory (PGDATA), where its unix
// socket is too.
func (s *Server) DataDir() string { return s.data }

// LogFile returns the file the server logs to. When the test fails, the
// end of it is printed at cleanup.
func (s *Server) LogFile() string { return s.log }

// Bin returns the path of one of the server's programs (psql, pg_dump,
// pg_waldump...): the directory of the initdb and pg_ctl it runs.
func (s *Server) Bin(program string) string { return filepath.Join(s.bin, program) }

// Connect opens a connection to database, closed when the test ends.
func (s *Server) Connect(t testing.TB, database string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN(database))
	if err != nil {
		t.Fatalf("pgtest: connecting to %s: %v", database, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// CreateDatabase creates database name (owned by postgres, from
// template1) and returns its DSN.
func (s *Server) CreateDatabase(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("pgtest: creating database %s: %v", name, err)
	}
	return s.DSN(name)
}

// Tablespace mounts a tmpfs of the given size (as mount's size= option
// takes it: "2M") in the server's directory, gives it to the server's
// user, and creates tablespace name on it, so that a test can fill a disk
// under some tables while the write-ahead log, on the server's own disk,
// goes on. It returns the mount point (mount -o remount,size=... grows
// it). When the test ends the server is stopped (immediate) before the
// tmpfs is unmounted. It needs root; without it the test is skipped, or
// fails under CI.
func (s *Server) Tablespace(t testing.TB, name, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		unavailable(t, "a tmpfs tablespace needs root (mount)")
	}
	dir := filepath.Join(s.base, "tablespace-"+name)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "pgtest-"+name, dir).CombinedOutput(); err != nil {
		unavailable(t, fmt.Sprintf("mounting a tmpfs: %v: %s", err, out))
	}
	t.Cleanup(func() {
		if s.running() {
			if err := s.stop("immediate"); err != nil {
				t.Error(err)
			}
		}
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("pgtest: unmounting %s: %v: %s", dir, err, out)
		}
	})
	if err := s.chown(dir); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE TABLESPACE "+pgx.Identifier{name}.Sanitize()+" LOCATION "+quoteLiteral(dir)); err != nil {
		t.Fatalf("pgtest: creating tablespace %s: %v", name, err)
	}
	return dir
}

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Stop stops the server in mode "smart" (after the clients have
// disconnected), "fast" (clients disconnected, a clean shutdown) or
// "immediate" (every process quits at once, no checkpoint: the next start
// recovers from the write-ahead log, as after a crash), and returns when
// it has exited.
func (s *Server) Stop(t testing.TB, mode string) {
	t.Helper()
	switch mode {
	case "smart", "fast", "immediate":
	default:
		t.Fatalf("pgtest: stop mode %q: want smart, fast or immediate", mode)
	}
	if err := s.stop(mode); err != nil {
		t.Fatal(err)
	}
}

// Restart starts the server again on its data directory, after
// [Server.Stop] or not (a running server is stopped fast first), and
// returns when it accepts connections. It keeps the port, unless another
// process has taken it meanwhile: then it moves to a free one (logged), and
// [Server.DSN] and [Server.Port] say which.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if s.running() {
		s.Stop(t, "fast")
	}
	s.start(t)
}

// start starts the server and waits until it accepts connections, moving
// to another port while the one chosen turns out taken.
func (s *Server) start(t testing.TB) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		if err := s.writeConf(); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		before := fileSize(s.log)
		ctx, cancel := context.WithTimeout(context.Background(), Timeout+time.Minute)
		out, err := s.command(ctx, "pg_ctl", "start", "-D", s.data, "-l", s.log, "-w", "-t", strconv.Itoa(int(Timeout/time.Second))).CombinedOutput()
		cancel()
		if err == nil {
			return
		}
		log := readFrom(s.log, before)
		if attempt < 10 && strings.Contains(log, "Address already in use") {
			old := s.port
			s.port = freePort(t)
			t.Logf("pgtest: port %d was taken; moving to %d", old, s.port)
			continue
		}
		t.Fatalf("pgtest: pg_ctl start: %v\n%s\nserver log:\n%s", err, out, log)
	}
}

func (s *Server) stop(mode string) error {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout+time.Minute)
	defer cancel()
	out, err := s.command(ctx, "pg_ctl", "stop", "-D", s.data, "-m", mode, "-w", "-t", strconv.Itoa(int(Timeout/time.Second))).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgtest: pg_ctl stop -m %s: %v\n%s", mode, err, out)
	}
	return nil
}

// running reports whether a postmaster holds the data directory (its
// lock file is there; a crashed one's too, which pg_ctl stop then says).
func (s *Server) running() bool {
	_, err := os.Stat(filepath.Join(s.data, "postmaster.pid"))
	return err == nil
}

// cleanup stops the server at once, and prints the end of its log when
// the test failed.
func (s *Server) cleanup(t testing.TB) {
	if s.running() {
		if err := s.stop("immediate"); err != nil {
			t.Error(err)
		}
	}
	if t.Failed() {
		log := readFrom(s.log, max(0, fileSize(s.log)-8192))
		t.Logf("pgtest: the end of the server's log (%s):\n%s", s.log, log)
	}
}

// writeConf writes the harness's settings, which postgresql.conf
// includes: the current port, loopback only, the socket in the data
// directory, and the test's own settings.
func (s *Server) writeConf() error {
	var b strings.Builder
	quote := func(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }
	listen := strings.Join(append([]string{"127.0.0.1"}, s.listen...), ",")
	fmt.Fprintf(&b, "listen_addresses = %s\nport = %d\nunix_socket_directories = %s\n", quote(listen), s.port, quote(s.data))
	// Replication, as PostgreSQL 10 and later default to, written so that
	// a standby can start from any server (Settings may override them).
	b.WriteString("wal_level = 'replica'\nmax_wal_senders = 10\nmax_replication_slots = 10\nhot_standby = on\n")
	names := make([]string, 0, len(s.settings))
	for name := range s.settings {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "%s = %s\n", name, quote(s.settings[name]))
	}
	path := filepath.Join(s.data, "pgtest.conf")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return err
	}
	return s.chown(path)
}

// command prepares one of the server's programs, run as the postgres user
// when the test runs as root, in the server's directory, with no PG*
// variable of the test's environment and messages in English.
func (s *Server) command(ctx context.Context, program string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, s.Bin(program), args...)
	cmd.Dir = s.base
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "LC_ALL=C")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

func (s *Server) chown(path string) error {
	if s.cred == nil {
		return nil
	}
	return os.Chown(path, int(s.cred.Uid), int(s.cred.Gid))
}

// findBin returns the directory of pg_ctl (its symbolic links followed)
// when it is on PATH with initdb and postgres beside it, else that of the
// highest major version under root (root/<version>/bin).
func findBin(root string) (string, bool) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if dir := filepath.Dir(p); complete(dir) {
			return dir, true
		}
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return "", false
	}
	best, bestV := "", []int(nil)
	for _, e := range entries {
		v, ok := parseVersion(e.Name())
		dir := filepath.Join(root, e.Name(), "bin")
		if ok && complete(dir) && (bestV == nil || slices.Compare(v, bestV) > 0) {
			best, bestV = dir, v
		}
	}
	return best, best != ""
}

// parseVersion reads a major version directory's name: "15", "9.6".
func parseVersion(name string) ([]int, bool) {
	var v []int
	for part := range strings.SplitSeq(name, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

// complete reports whether dir holds the programs the harness runs.
func complete(dir string) bool {
	for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
		info, err := os.Stat(filepath.Join(dir, p))
		if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// freePort returns a loopback TCP port nobody listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("pgtest: finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func fileSize(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Size()
}

// readFrom returns a file's content from offset off (what is readable).
func readFrom(path string, off int64) string {
	f, err := os.Open(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	defer f.Close()
	b, _ := io.ReadAll(io.NewSectionReader(f, off, 1<<20))
	return string(b)
}
