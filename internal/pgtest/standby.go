package pgtest

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/internal/itest"
)

// standbyName is what a standby's name may be: it is its replication
// slot's name (lower case letters, digits, underscores) and the
// application_name synchronous_standby_names lists.
var standbyName = regexp.MustCompile(`^[a-z0-9_]{1,63}$`)

// StartStandby starts a streaming standby of s, a running server: a base
// backup of s (pg_basebackup -R, its WAL streamed, through a physical
// replication slot named name that keeps on s the WAL the standby has not
// received while it is stopped) in a new data directory of the postgres
// user, started as a hot standby on a loopback port of its own, with
// s's settings. It returns once s's pg_stat_replication shows the
// standby streaming under name (its application_name, what
// synchronous_standby_names lists) and the standby is in recovery. The
// standby is stopped (immediate) and removed when the test ends; it is
// a [Server] like s ([Server.DSN] reads from it, [Server.Promote] makes
// it a primary).
//
// The backup copies s's postgresql.auto.conf: a setting ALTER SYSTEM
// made on s before (as [Server.SetSynchronousStandbyNames] does) is the
// standby's too. The standby connects to s's port of the moment: after a
// [Server.Restart] of s that moved it, restart the standby's test anew.
func (s *Server) StartStandby(t testing.TB, name string) *Server {
	t.Helper()
	if !standbyName.MatchString(name) {
		t.Fatalf("pgtest: standby name %q: want lower case letters, digits and underscores (a replication slot's name)", name)
	}
	settings := maps.Clone(s.settings)
	if settings == nil {
		settings = map[string]string{}
	}
	settings["cluster_name"] = name
	sb := &Server{bin: s.bin, settings: settings, cred: s.cred, standby: name}
	sb.makeBase(t)
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	conninfo := fmt.Sprintf("host=127.0.0.1 port=%d user=postgres application_name=%s sslmode=disable", s.port, name)
	if out, err := sb.command(ctx, "pg_basebackup", "-D", sb.data, "-d", conninfo, "-R", "-X", "stream",
		"-C", "-S", name, "-c", "fast", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("pgtest: pg_basebackup of the server on port %d: %v\n%s", s.port, err, out)
	}
	t.Cleanup(func() { sb.cleanup(t) })
	sb.port = freePort(t)
	sb.start(t)
	itest.WaitFor(t, "standby "+name+" streaming from its primary", func() bool {
		var state string
		err := s.queryRow(ctx, "SELECT state FROM pg_stat_replication WHERE application_name = $1", []any{name}, &state)
		return err == nil && state == "streaming"
	})
	var recovery bool
	if err := sb.queryRow(ctx, "SELECT pg_is_in_recovery()", nil, &recovery); err != nil || !recovery {
		t.Fatalf("pgtest: standby %s: in recovery = %v, %v; want true", name, recovery, err)
	}
	return sb
}

// Promote makes a standby a primary (pg_ctl promote) and returns once it
// is out of recovery and accepts writes. Connections made before keep
// working.
func (s *Server) Promote(t testing.TB) {
	t.Helper()
	if s.standby == "" {
		t.Fatal("pgtest: Promote: the server is not a standby")
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout+time.Minute)
	defer cancel()
	if out, err := s.command(ctx, "pg_ctl", "promote", "-D", s.data, "-w", "-t", strconv.Itoa(int(Timeout/time.Second))).CombinedOutput(); err != nil {
		t.Fatalf("pgtest: pg_ctl promote: %v\n%s", err, out)
	}
	itest.WaitFor(t, "standby "+s.standby+" out of recovery", func() bool {
		var recovery bool
		err := s.queryRow(ctx, "SELECT pg_is_in_recovery()", nil, &recovery)
		return err == nil && !recovery
	})
	s.standby = ""
}

// Standby returns the standby's name, or "" for a primary (a promoted
// standby included).
func (s *Server) Standby() string { return s.standby }

// SetSynchronousStandbyNames sets synchronous_standby_names on the
// server (ALTER SYSTEM, then a reload): with synchronous_commit on (the
// default) or remote_apply, a COMMIT returns only once a standby it names
// has the transaction — or never, while none has. It returns once a new
// session sees the value and, when it names a standby that is streaming,
// once pg_stat_replication shows a synchronous one (sync_state sync or
// quorum); "" makes commits asynchronous again. (The checkpointer applies
// the reload for the server's commits an instant later than a session
// sees it.)
func (s *Server) SetSynchronousStandbyNames(t testing.TB, names string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	c, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, "ALTER SYSTEM SET synchronous_standby_names = "+quoteLiteral(names)); err != nil {
		t.Fatalf("pgtest: setting synchronous_standby_names: %v", err)
	}
	if _, err := c.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		t.Fatalf("pgtest: reloading the configuration: %v", err)
	}
	itest.WaitFor(t, fmt.Sprintf("synchronous_standby_names = %q in effect", names), func() bool {
		var got string
		if err := s.queryRow(ctx, "SELECT current_setting('synchronous_standby_names')", nil, &got); err != nil || got != names {
			return false
		}
		// named: the streaming standbys whose name the setting holds.
		var sync, named int
		err := s.queryRow(ctx, "SELECT count(*) FILTER (WHERE sync_state IN ('sync', 'quorum')), "+
			"count(*) FILTER (WHERE state = 'streaming' AND application_name <> '' AND strpos($1, application_name) > 0) FROM pg_stat_replication",
			[]any{names}, &sync, &named)
		switch {
		case err != nil:
			return false
		case strings.TrimSpace(names) == "":
			return sync == 0
		default:
			return sync > 0 || named == 0
		}
	})
}

// queryRow runs one query on a connection of its own to database
// postgres, and scans its row.
func (s *Server) queryRow(ctx context.Context, sql string, args []any, dest ...any) error {
	c, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	return c.QueryRow(ctx, sql, args...).Scan(dest...)
}
