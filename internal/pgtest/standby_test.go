package pgtest

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestStandby starts a streaming standby of a running server: what the
// primary commits reaches it, it refuses writes while in recovery, the
// primary reports it synchronous once synchronous_standby_names names it,
// and once promoted it takes writes on its own port.
func TestStandby(t *testing.T) {
	p := StartWith(t, Options{Settings: map[string]string{"work_mem": "8MB"}})
	ctx := context.Background()
	p.CreateDatabase(t, "kept")
	if _, err := p.Connect(t, "kept").Exec(ctx, "CREATE TABLE t (x int); INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	sb := p.StartStandby(t, "standby1")
	if sb.Port() == p.Port() || sb.DataDir() == p.DataDir() || sb.Standby() != "standby1" || p.Standby() != "" {
		t.Fatalf("standby on port %d in %s (%q), primary on port %d in %s", sb.Port(), sb.DataDir(), sb.Standby(), p.Port(), sb.DataDir())
	}
	var wm string
	if err := sb.queryRow(ctx, "SELECT current_setting('work_mem')", nil, &wm); err != nil || wm != "8MB" {
		t.Errorf("the standby's work_mem = %q, %v; want the primary's 8MB", wm, err)
	}

	p.SetSynchronousStandbyNames(t, "FIRST 1 (standby1)")
	var state string
	if err := p.queryRow(ctx, "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'", nil, &state); err != nil || state != "sync" {
		t.Fatalf("the standby's sync_state = %q, %v; want sync", state, err)
	}
	// remote_apply: the COMMIT returns once the standby has applied it,
	// so a read there sees it at once.
	pc := p.Connect(t, "kept")
	if _, err := pc.Exec(ctx, "SET synchronous_commit TO remote_apply"); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Exec(ctx, "INSERT INTO t VALUES (2)"); err != nil {
		t.Fatal(err)
	}
	sc := sb.Connect(t, "kept")
	var n int
	if err := sc.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("the standby holds %d rows (%v); want 2", n, err)
	}
	_, err := sc.Exec(ctx, "INSERT INTO t VALUES (3)")
	if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "25006" {
		t.Fatalf("a write on the standby: %v; want SQLSTATE 25006", err)
	}

	p.SetSynchronousStandbyNames(t, "")
	p.Stop(t, "immediate")
	sb.Promote(t)
	if sb.Standby() != "" {
		t.Errorf("a promoted standby is still named %q", sb.Standby())
	}
	if _, err := sb.Connect(t, "kept").Exec(ctx, "INSERT INTO t VALUES (3)"); err != nil {
		t.Fatalf("a write on the promoted standby: %v", err)
	}
}
