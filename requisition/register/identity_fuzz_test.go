package register_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// An identity file as a member gives it: parsing never panics, refuses
// with ErrKey without quoting the file, and what it accepts writes back
// to an identity that parses to itself.
func FuzzParseIdentity(f *testing.F) {
	for _, role := range register.Roles() {
		id, _ := register.NewIdentity("alice", role)
		f.Add(id.Secret())
	}
	f.Add("AGE-SECRET-KEY-1QQQQ")
	f.Add("# ccjkit identity v1: keep this file secret\nname: x\nrole: member\nsign: AAAA\n")
	f.Fuzz(func(t *testing.T, text string) {
		id, err := register.ParseIdentity(text)
		if err != nil {
			if !errors.Is(err, register.ErrKey) {
				t.Fatalf("error %v does not wrap ErrKey", err)
			}
			for _, line := range strings.Split(text, "\n") {
				if v, ok := strings.CutPrefix(line, "sign: "); ok && len(v) > 8 && strings.Contains(err.Error(), v) {
					t.Fatalf("the error quotes a key: %v", err)
				}
			}
			return
		}
		back, err := register.ParseIdentity(id.Secret())
		if err != nil || !cmp.Equal(back.Public(), id.Public()) || back.Secret() != id.Secret() {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// A public identity line as a newcomer sends it.
func FuzzParsePublicIdentity(f *testing.F) {
	for _, role := range register.Roles() {
		id, _ := register.NewIdentity("bob", role)
		f.Add(id.Public().String())
	}
	f.Add("ccjkit-identity x member AAAA age1")
	f.Fuzz(func(t *testing.T, line string) {
		p, err := register.ParsePublicIdentity(line)
		if err != nil {
			if !errors.Is(err, register.ErrKey) {
				t.Fatalf("error %v does not wrap ErrKey", err)
			}
			return
		}
		back, err := register.ParsePublicIdentity(p.String())
		if err != nil || !cmp.Equal(back, p) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// The roster's payloads (member, epoch and grant records, in clear) as
// anyone who can write the file could set them: the audit never panics,
// and names each violation by a record that exists.
func FuzzAuditRecords(f *testing.F) {
	k := newKeys(f)
	reg, path := openReg(f, k, timesynctest.NewClock(t0.Add(2*time.Hour)))
	reg.AddMember(k.bob.Public(), goodClock)
	reg.RemoveMember("bob", goodClock)
	reg.Close()
	recs, err := journal.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	for i, r := range recs {
		f.Add(uint8(i), r.Kind, r.Payload)
	}
	f.Fuzz(func(t *testing.T, at uint8, kind string, payload []byte) {
		rs := append([]journal.Record(nil), recs...)
		i := int(at) % len(rs)
		rs[i].Kind, rs[i].Payload = kind, payload
		a, err := register.AuditRecords(rs)
		if (err != nil) != (len(a.Violations) > 0) {
			t.Fatalf("error %v with %d violations", err, len(a.Violations))
		}
		for _, v := range a.Violations {
			if v.Seq >= uint64(len(rs)) {
				t.Fatalf("violation of record %d, of %d", v.Seq, len(rs))
			}
		}
		if err != nil && !errors.Is(err, register.ErrRoster) {
			t.Fatalf("error %v does not wrap ErrRoster", err)
		}
	})
}

// A register's journal with one record's kind and payload replaced by
// what a member's key could sign — the chain and signatures whole, the
// content hostile: opening it never panics, and refuses with one of the
// register's errors.
func FuzzReplay(f *testing.F) {
	k := newKeys(f)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(f, k, clock)
	reg.Receive("c1", sampleRequisition(), "alice", goodClock)
	reg.Apply("c1", register.Acknowledge, "alice", goodClock, "")
	reg.AddMember(k.bob.Public(), goodClock)
	reg.Close()
	recs, err := journal.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	for i, r := range recs[1:] {
		f.Add(uint8(i), r.Kind, r.Payload)
	}
	f.Add(uint8(4), "grant", []byte(`{"grants":[{"epoch":9,"to":"alice","wrapped":"AAAA"}]}`))
	f.Fuzz(func(t *testing.T, at uint8, kind string, payload []byte) {
		if kind == "" || len(kind) > journal.MaxKind || kind == "journal" || kind == journal.RepairKind || len(payload) > journal.MaxPayload {
			return
		}
		path := filepath.Join(t.TempDir(), "ccj.journal")
		j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: register.SigningKey(k.alice)})
		if err != nil {
			t.Fatal(err)
		}
		i := int(at) % (len(recs) - 1)
		if _, err := j.Update(func(tx *journal.Tx) error {
			for n, r := range recs[1:] {
				if n == i {
					r.Kind, r.Payload = kind, payload
				}
				if _, err := tx.Append(r.Kind, r.Payload); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		j.Close()
		r, _, err := register.Open(path, k.config(clock))
		if err == nil {
			r.Close()
			return
		}
		for _, known := range []error{journal.ErrCorrupt, register.ErrRoster, register.ErrSealed, register.ErrActor, register.ErrMember, register.ErrConfig} {
			if errors.Is(err, known) {
				return
			}
		}
		t.Fatalf("an error of no known kind: %v", err)
	})
}
