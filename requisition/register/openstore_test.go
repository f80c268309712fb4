package register_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// OpenStore runs a register on any journal store: here the file journal,
// founded, then opened again; a register never founded is refused
// without Found.
func TestOpenStoreFile(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	path := filepath.Join(t.TempDir(), "ccj.journal")
	open := func(signer ed25519.PrivateKey) (journal.Store, error) {
		j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: signer, Follow: true})
		return j, err
	}
	if _, err := register.OpenStore(open, k.as(clock, k.alice)); !errors.Is(err, register.ErrNotFounded) {
		t.Fatalf("a journal never founded, without Found: %v", err)
	}
	cfg := k.as(clock, k.alice)
	cfg.Found = true
	reg, err := register.OpenStore(open, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Receive("c1", sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	reg.Close()
	again, err := register.OpenStore(open, k.as(clock, k.alice))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if c, ok := again.Case("c1"); !ok || c.Requisition.Reference != secretRef {
		t.Fatalf("the case is not read back: %+v", c)
	}
}

// A register on PostgreSQL, shared by two members on two machines (two
// Registers on one database): alice founds it, receives a case and adds
// bob; bob's register reads the case and works on it; alice sees his step
// after Refresh. A pg_dump of the database holds neither the case's
// reference nor its target: the server keeps ciphertext and hashes.
func TestOpenStorePostgres(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	dsn := srv.CreateDatabase(t, "register")
	if _, err := pgjournal.Migrate(ctx, dsn, pgjournal.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	opener := func(create bool) register.StoreOpener {
		return func(signer ed25519.PrivateKey) (journal.Store, error) {
			return pgjournal.Open(ctx, dsn, pgjournal.Options{Clock: clock, Signer: signer, Create: create})
		}
	}
	if _, err := register.OpenStore(opener(false), k.as(clock, k.alice)); !errors.Is(err, pgjournal.ErrNoJournal) {
		t.Fatalf("an empty database without Create: %v", err)
	}
	cfg := k.as(clock, k.alice)
	cfg.Found = true
	alice, err := register.OpenStore(opener(true), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	if _, err := alice.Receive("c1", sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.AddMember(k.bob.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	bob, err := register.OpenStore(opener(false), k.as(clock, k.bob))
	if err != nil {
		t.Fatalf("bob's machine: %v", err)
	}
	defer bob.Close()
	c, ok := bob.Case("c1")
	if !ok || c.Requisition.Reference != secretRef {
		t.Fatalf("bob does not read the case: %+v", c)
	}
	if _, err := bob.Apply("c1", register.Acknowledge, "bob", goodClock, ""); err != nil {
		t.Fatal(err)
	}
	if err := alice.Refresh(); err != nil {
		t.Fatal(err)
	}
	if a, _ := alice.Case("c1"); a.State != register.Acknowledged {
		t.Errorf("alice does not see bob's step: the case is %v", a.State)
	}
	sum, err := pgjournal.Verify(ctx, dsn, journal.ScanOptions{})
	if err != nil {
		t.Fatalf("Verify: %v (%d records)", err, sum.Records)
	}
	cp, err := alice.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	if cp.Journal != sum.ID || cp.Seq != sum.Records-1 || cp.Hash != sum.Last {
		t.Errorf("alice's checkpoint (journal %x, record %d) is not of the journal verified (%x, %d records)", cp.Journal, cp.Seq, sum.ID, sum.Records)
	}

	dump, err := exec.Command(srv.Bin("pg_dump"), "--data-only", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	if !bytes.Contains(dump, []byte("ccjkit_journal_records")) {
		t.Fatal("the dump holds no journal")
	}
	for _, secret := range []string{secretRef, secretAddr} {
		if bytes.Contains(dump, []byte(secret)) || bytes.Contains(bytes.ToLower(dump), bytes.ToLower(hexOf(secret))) {
			t.Errorf("the dump holds %q", secret)
		}
	}
}

func hexOf(s string) []byte {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(s))
	for i := range len(s) {
		out = append(out, digits[s[i]>>4], digits[s[i]&15])
	}
	return out
}
