package register_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// onStore is a register founded by alice on one kind of journal store,
// for the tests of what services write, run on every store.
type onStore struct {
	reg *register.Register
	// open opens the store for a writer (it creates nothing).
	open register.StoreOpener
	// submit and submitOnce write as a service does: on the journal file
	// by its path (Submit, SubmitOnce — the wrappers), on PostgreSQL
	// through the store (SubmitTo, SubmitOnceTo).
	submit     func(id register.Identity, typ string, data []byte) (journal.Record, error)
	submitOnce func(id register.Identity, typ string, tag register.Tag, data []byte) (journal.Record, bool, error)
}

// records reads every record of the store.
func (s onStore) records(t *testing.T) []journal.Record {
	t.Helper()
	j, err := s.open(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	return j.Initial()
}

// reopen opens the register again, as cfg's identity.
func (s onStore) reopen(t *testing.T, cfg register.Config) *register.Register {
	t.Helper()
	reg, err := register.OpenStore(s.open, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return reg
}

// onStores runs fn on a register kept in a journal file and on one kept
// in PostgreSQL (a real server, started for the test).
func onStores(t *testing.T, k keys, clock timesync.Clock, fn func(t *testing.T, s onStore)) {
	t.Run("file", func(t *testing.T) {
		reg, path := openReg(t, k, clock)
		fn(t, onStore{reg: reg, open: register.FileStore(path, clock),
			submit: func(id register.Identity, typ string, data []byte) (journal.Record, error) {
				return register.Submit(path, id, clock, typ, data)
			},
			submitOnce: func(id register.Identity, typ string, tag register.Tag, data []byte) (journal.Record, bool, error) {
				return register.SubmitOnce(path, id, clock, typ, tag, data)
			}})
	})
	t.Run("postgres", func(t *testing.T) {
		open, create := pgOpeners(t, clock)
		reg, err := register.OpenStore(create, k.config(clock))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { reg.Close() })
		fn(t, onStore{reg: reg, open: open,
			submit: func(id register.Identity, typ string, data []byte) (journal.Record, error) {
				return register.SubmitTo(open, id, typ, data)
			},
			submitOnce: func(id register.Identity, typ string, tag register.Tag, data []byte) (journal.Record, bool, error) {
				return register.SubmitOnceTo(open, id, typ, tag, data)
			}})
	})
}

// pgOpeners starts a PostgreSQL server with a migrated, empty database
// and returns its openers: one that creates nothing, one that writes the
// journal's header.
func pgOpeners(t *testing.T, clock timesync.Clock) (open, create register.StoreOpener) {
	t.Helper()
	srv := pgtest.Start(t)
	ctx := context.Background()
	dsn := srv.CreateDatabase(t, "register")
	if _, err := pgjournal.Migrate(ctx, dsn, pgjournal.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	opener := func(c bool) register.StoreOpener {
		return func(signer ed25519.PrivateKey) (journal.Store, error) {
			return pgjournal.Open(ctx, dsn, pgjournal.Options{Clock: clock, Signer: signer, Create: c})
		}
	}
	return opener(false), opener(true)
}

// A store that does not hand over what others appended since it was
// opened — here a file journal without Follow whose records were taken
// before the write — is read again under the hold: the roster is checked
// against every record, and a deposit is still recorded once.
func TestSubmitToReadsWhatTheStoreDoesNotHandOver(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	intake, _ := register.NewIdentity("intake", register.RoleService)
	if _, err := reg.AddMember(intake.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	blind := func(signer ed25519.PrivateKey) (journal.Store, error) {
		j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: signer, NoCreate: true})
		if err == nil {
			j.Initial() // taken: the write must not rely on it
		}
		return j, err
	}
	if _, err := register.SubmitTo(blind, intake, "intake", []byte("seen")); err != nil {
		t.Fatalf("the roster was not read again: %v", err)
	}
	tag := intake.Tag("p", []byte("<once@x>"))
	first, dup, err := register.SubmitOnceTo(blind, intake, "email", tag, []byte("m"))
	if err != nil || dup {
		t.Fatalf("dup %v, %v", dup, err)
	}
	again, dup, err := register.SubmitOnceTo(blind, intake, "email", tag, []byte("m"))
	if err != nil || !dup || again.Seq != first.Seq {
		t.Fatalf("recorded twice: dup %v, seq %d/%d, %v", dup, again.Seq, first.Seq, err)
	}
	if err := reg.RemoveMember("intake", goodClock); err != nil {
		t.Fatal(err)
	}
	if _, err := register.SubmitTo(blind, intake, "intake", []byte("after")); !errors.Is(err, register.ErrActor) {
		t.Fatalf("a removed service wrote: %v", err)
	}
}

// The store variants refuse what they cannot work with, before opening
// anything.
func TestSubmitToConfig(t *testing.T) {
	intake, _ := register.NewIdentity("intake", register.RoleService)
	opened := false
	open := func(ed25519.PrivateKey) (journal.Store, error) { opened = true; return nil, errors.New("unused") }
	tag := intake.Tag("p", []byte("x"))
	for name, err := range map[string]error{
		"no store":          func() error { _, err := register.SubmitTo(nil, intake, "t", nil); return err }(),
		"no identity":       func() error { _, err := register.SubmitTo(open, register.Identity{}, "t", nil); return err }(),
		"once, no store":    func() error { _, _, err := register.SubmitOnceTo(nil, intake, "t", tag, nil); return err }(),
		"once, no identity": func() error { _, _, err := register.SubmitOnceTo(open, register.Identity{}, "t", tag, nil); return err }(),
	} {
		if !errors.Is(err, register.ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, err := range map[string]error{
		"no type":      func() error { _, err := register.SubmitTo(open, intake, "", nil); return err }(),
		"once, no tag": func() error { _, _, err := register.SubmitOnceTo(open, intake, "t", register.Tag{}, nil); return err }(),
		"once, too big": func() error {
			_, _, err := register.SubmitOnceTo(open, intake, "t", tag, make([]byte, register.MaxDeposit+1))
			return err
		}(),
	} {
		if !errors.Is(err, register.ErrInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if opened {
		t.Error("a store was opened for a call refused")
	}
}
