package register_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestSealedRecordsSurviveTheChainAndRotation(t *testing.T) {
	alice, _ := register.NewIdentity("alice", register.RoleMember)
	bob, _ := register.NewIdentity("bob", register.RoleMember)
	ring, err := register.NewKeyring(alice.Public().Seal, bob.Public().Seal)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte(`{"target":"2001:db8::1","reference":"BR.12.34.567890/26"}`)
	sealed, err := ring.Seal(secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("2001:db8::1")) || bytes.Contains(sealed, []byte("BR.12")) {
		t.Fatal("the sealed record shows its contents")
	}
	path := filepath.Join(t.TempDir(), "j")
	j, _, _ := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0)})
	j.Append("case", sealed)

	// Bob leaves the cell: the keyring is rotated.
	ring2, _ := register.NewKeyring(alice.Public().Seal)
	sealed2, _ := ring2.Seal([]byte("after bob left"))
	j.Append("case", sealed2)
	j.Close()

	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("2001:db8::1")) || bytes.Contains(raw, []byte("after bob left")) {
		t.Fatal("the journal file shows plaintext")
	}
	recs, err := journal.ReadFile(path) // no key needed
	if err != nil {
		t.Fatal(err)
	}
	for who, id := range map[string]register.Identity{"alice": alice, "bob": bob} {
		got, err := id.Open(recs[1].Payload)
		if err != nil || !bytes.Equal(got, secret) {
			t.Errorf("%s cannot open a record sealed to them: %v", who, err)
		}
	}
	if got, err := alice.Open(recs[2].Payload); err != nil || string(got) != "after bob left" {
		t.Errorf("alice: %q %v", got, err)
	}
	if _, err := bob.Open(recs[2].Payload); !errors.Is(err, register.ErrSealed) {
		t.Errorf("bob still reads what was written after he left: %v", err)
	}
}

func TestKeyErrorsNameNoKey(t *testing.T) {
	_, err := register.NewKeyring("age1notakey", "")
	if !errors.Is(err, register.ErrKey) || strings.Contains(err.Error(), "age1notakey") {
		t.Errorf("err = %v", err)
	}
	if _, err := register.NewKeyring(); !errors.Is(err, register.ErrKey) {
		t.Errorf("empty keyring: %v", err)
	}
	if _, err := register.ParseIdentity("AGE-SECRET-KEY-1SECRETSECRET"); !errors.Is(err, register.ErrKey) || strings.Contains(err.Error(), "SECRETSECRET") {
		t.Errorf("err = %v", err)
	}
	id, _ := register.NewIdentity("alice", register.RoleMember)
	back, err := register.ParseIdentity(id.Secret())
	if err != nil || !cmp.Equal(back.Public(), id.Public()) {
		t.Errorf("identity round trip: %v", err)
	}
}
