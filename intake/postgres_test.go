package intake_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// An intake on a register kept in PostgreSQL (a real server): the mail
// pipe writes through the store, once however often the message is
// delivered — three deliveries at once, each on its own connection, as
// on three machines, make one intake; a member on another connection
// reads it, records a call-back through the store and accepts it as a
// case received at the intake's second.
func TestReceiveOnPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	dsn := srv.CreateDatabase(t, "register")
	if _, err := pgjournal.Migrate(ctx, dsn, pgjournal.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	clock := timesynctest.NewClock(t0)
	opener := func(create bool) register.StoreOpener {
		return func(signer ed25519.PrivateKey) (journal.Store, error) {
			return pgjournal.Open(ctx, dsn, pgjournal.Options{Clock: clock, Signer: signer, Create: create})
		}
	}
	alice, _ := register.NewIdentity("alice", register.RoleMember)
	service, _ := register.NewIdentity("intake", register.RoleService)
	reg, err := register.OpenStore(opener(true), register.Config{Clock: clock, Identity: alice, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	if _, err := reg.AddMember(service.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	cfg := intake.Config{Store: opener(false), Identity: service, Clock: clock, Verdict: func() timesync.Verdict { return goodClock }}

	raw := message(genuine, [2]string{"requisition.json", string(sampleJSON(t))})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var results []intake.Result
	for range 3 {
		wg.Go(func() {
			res, err := intake.Receive(cfg, reader(), bytes.NewReader(raw))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			results = append(results, res)
			mu.Unlock()
		})
	}
	wg.Wait()
	fresh := 0
	for _, r := range results {
		if !r.Duplicate {
			fresh++
		}
		if r.Seq != results[0].Seq {
			t.Fatalf("deliveries recorded as submissions %d and %d", r.Seq, results[0].Seq)
		}
	}
	if len(results) != 3 || fresh != 1 {
		t.Fatalf("%d deliveries, %d recorded", len(results), fresh)
	}

	if err := reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	pending := intake.Pending(reg)
	if len(pending) != 1 || pending[0].Err != nil || !bytes.Equal(pending[0].Record.Raw, raw) || pending[0].At != timesync.FromTime(t0) {
		t.Fatalf("%d pending intakes", len(pending))
	}
	cb := intake.CallBack{Intake: pending[0].Seq, Number: "+3225080000", Published: "annuaire du SPF Justice, https://justice.belgium.be", Outcome: intake.Confirmed}
	clock.Advance(time.Minute)
	got, err := intake.RecordCallBackTo(opener(false), alice, cb)
	if err != nil {
		t.Fatal(err)
	}
	if got.At != timesync.Now(clock) {
		t.Fatalf("the call-back is timed %v, not at the store's second", got.At)
	}
	if err := reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	in := intake.List(reg)[0]
	if !in.Verified() || len(in.CallBacks) != 1 || in.CallBacks[0].By != "alice" {
		t.Fatalf("the call-back is not read back: verified %v, %d call-backs", in.Verified(), len(in.CallBacks))
	}
	cs, err := intake.Accept(reg, in.Seq, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Submission != in.Seq || cs.Requisition.Received != timesync.FromTime(t0) {
		t.Fatalf("case received %v from submission %d", cs.Requisition.Received, cs.Submission)
	}
}

// A Config names its register once: by its journal's path or by its
// store, never both, never neither.
func TestConfigOneRegister(t *testing.T) {
	c := newCell(t)
	both := c.config()
	both.Store = register.FileStore(c.path, c.clock)
	if _, err := intake.Receive(both, reader(), bytes.NewReader(message(genuine))); !errors.Is(err, intake.ErrConfig) {
		t.Fatalf("a path and a store: %v", err)
	}
	neither := c.config()
	neither.Register = ""
	if _, err := intake.Receive(neither, reader(), bytes.NewReader(message(genuine))); !errors.Is(err, intake.ErrConfig) {
		t.Fatalf("no register: %v", err)
	}
	store := c.config()
	store.Register, store.Store = "", register.FileStore(c.path, c.clock)
	res, err := intake.Receive(store, reader(), bytes.NewReader(message(genuine)))
	if err != nil || res.Duplicate {
		t.Fatalf("the file's store: %+v, %v", res, err)
	}
	if again, err := intake.Receive(c.config(), reader(), bytes.NewReader(message(genuine))); err != nil || !again.Duplicate || again.Seq != res.Seq {
		t.Fatalf("by path after by store: %+v, %v", again, err)
	}
}
