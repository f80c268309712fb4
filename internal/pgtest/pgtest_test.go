package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestServer starts a server with a setting of its own, queries it, keeps
// a committed row across an immediate stop (recovery from the write-ahead
// log at the next start), and moves to a free port when its own was taken
// while it was stopped.
func TestServer(t *testing.T) {
	s := StartWith(t, Options{Settings: map[string]string{"work_mem": "8MB", "application_name": "it's pgtest"}})
	ctx := context.Background()

	conn := s.Connect(t, "postgres")
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	for name, want := range map[string]string{"work_mem": "8MB", "listen_addresses": "127.0.0.1", "port": strconv.Itoa(s.Port()),
		"unix_socket_directories": s.DataDir(), "server_encoding": "UTF8", "lc_collate": "C"} {
		var got string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	if os.Geteuid() == 0 {
		info, err := os.Stat(s.DataDir())
		if err != nil {
			t.Fatal(err)
		}
		if st := info.Sys().(*syscall.Stat_t); st.Uid != s.cred.Uid {
			t.Errorf("data directory owned by uid %d, want the postgres user's %d", st.Uid, s.cred.Uid)
		}
	}
	if _, err := os.Stat(filepath.Join(s.DataDir(), ".s.PGSQL."+strconv.Itoa(s.Port()))); err != nil {
		t.Errorf("the unix socket is not in the data directory: %v", err)
	}

	dsn := s.CreateDatabase(t, "kept")
	if dsn != s.DSN("kept") {
		t.Errorf("CreateDatabase returned %q, want %q", dsn, s.DSN("kept"))
	}
	kept := s.Connect(t, "kept")
	if _, err := kept.Exec(ctx, "CREATE TABLE t (x int); INSERT INTO t VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	kept.Close(ctx)

	s.Stop(t, "immediate")
	if c, err := pgx.Connect(ctx, s.DSN("kept")); err == nil {
		c.Close(ctx)
		t.Fatal("connected to a stopped server")
	}

	// Hold the server's port while it is stopped: Restart moves to another.
	old := s.Port()
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(old)))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s.Restart(t)
	if s.Port() == old {
		t.Errorf("Restart kept port %d, which another listener holds", old)
	}
	var x int
	if err := s.Connect(t, "kept").QueryRow(ctx, "SELECT x FROM t").Scan(&x); err != nil || x != 42 {
		t.Fatalf("after an immediate stop and a restart, SELECT x = %d, %v; want 42", x, err)
	}

	// A running server restarts (stopped fast first) on the same port.
	port := s.Port()
	s.Restart(t)
	if s.Port() != port {
		t.Errorf("Restart moved from free port %d to %d", port, s.Port())
	}
	if err := s.Connect(t, "kept").QueryRow(ctx, "SELECT x FROM t").Scan(&x); err != nil || x != 42 {
		t.Fatalf("after a restart, SELECT x = %d, %v; want 42", x, err)
	}
}

// TestOwnedSettings: the harness's own parameters cannot be overridden
// (the DSN would lie), whatever their case.
func TestOwnedSettings(t *testing.T) {
	if err := (Options{Settings: map[string]string{"Port": "5432"}}).check(); err == nil {
		t.Error("a setting of port was accepted")
	}
	if err := (Options{Settings: map[string]string{"work_mem": "8MB"}}).check(); err != nil {
		t.Error(err)
	}
}

// TestFindBin picks the highest complete version directory, by number.
func TestFindBin(t *testing.T) {
	root := t.TempDir()
	mk := func(version string, programs ...string) {
		dir := filepath.Join(root, version, "bin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, p := range programs {
			if err := os.WriteFile(filepath.Join(dir, p), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	all := []string{"initdb", "pg_ctl", "postgres"}
	mk("9.6", all...)
	mk("15", all...)
	mk("17", "pg_ctl") // incomplete: a client-only install
	mk("notes")
	t.Setenv("PATH", t.TempDir()) // no pg_ctl on PATH
	got, ok := findBin(root)
	if want := filepath.Join(root, "15", "bin"); !ok || got != want {
		t.Errorf("findBin = %q, %v; want %q", got, ok, want)
	}
	if got, ok := findBin(filepath.Join(root, "missing")); ok {
		t.Errorf("findBin of no directory = %q, want none", got)
	}

	// pg_ctl on PATH, a symbolic link to a complete directory, wins.
	onPath := t.TempDir()
	if err := os.Symlink(filepath.Join(root, "9.6", "bin", "pg_ctl"), filepath.Join(onPath, "pg_ctl")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", onPath)
	if got, want := mustFind(t, root), filepath.Join(root, "9.6", "bin"); got != want {
		t.Errorf("with pg_ctl on PATH, findBin = %q; want %q", got, want)
	}
}

func mustFind(t *testing.T, root string) string {
	t.Helper()
	dir, ok := findBin(root)
	if !ok {
		t.Fatal("findBin found nothing")
	}
	return dir
}

func TestParseVersion(t *testing.T) {
	for name, want := range map[string]string{"15": "[15]", "9.6": "[9 6]", "x": "[]", "15beta": "[]", "": "[]", "-1": "[]"} {
		v, _ := parseVersion(name)
		if got := fmt.Sprint(v); got != want {
			t.Errorf("parseVersion(%q) = %s, want %s", name, got, want)
		}
	}
}
