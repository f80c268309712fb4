package register_test

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// t0 is the instant the tests of this package start their clocks at.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// appendAs appends a raw record to the journal at path, signed with key
// (nil: unsigned), as a program holding that key could — bypassing every
// check of the Register.
func appendAs(t *testing.T, path string, key ed25519.PrivateKey, kind string, payload []byte) journal.Record {
	t.Helper()
	j, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0.Add(3 * time.Hour)), Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	r, err := j.Append(kind, payload)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Records a member, a departed member, a service or an outsider could
// sign but the Register would never write are each named: by the
// key-free audit (what desk verify runs) when the roster rule shows in
// clear, and by the Register's replay, which opens the records, when the
// rule is in the sealed content (the actor of a step).
func TestForgeriesAreNamed(t *testing.T) {
	eve, _ := register.NewIdentity("eve", register.RoleMember)
	intake, _ := register.NewIdentity("intake", register.RoleService)
	for _, tc := range []struct {
		name string
		// forge appends the forged record and returns the reason the
		// audit or the replay must give.
		forge   func(t *testing.T, k keys, path string) string
		inAudit bool
	}{
		{"a record signed by an outsider", func(t *testing.T, k keys, path string) string {
			sealed, _ := register.SealForEpoch(path, []byte(`{}`))
			appendAs(t, path, register.SigningKey(eve), "case", sealed)
			return "signed by a key that is no identity of the register"
		}, true},
		{"a record signed by a member who left", func(t *testing.T, k keys, path string) string {
			sealed, _ := register.SealForEpoch(path, []byte(`{}`))
			appendAs(t, path, register.SigningKey(k.bob), "case", sealed)
			return "signed by bob, who was not an identity of the register at that point"
		}, true},
		{"a service adding an identity", func(t *testing.T, k keys, path string) string {
			appendAs(t, path, register.SigningKey(intake), register.MemberKind, mustJSON(register.MemberChange{Op: "add", Identity: eve.Public()}))
			return "a service (intake) changed the roster"
		}, true},
		{"a grant by a service, which never held the key", func(t *testing.T, k keys, path string) string {
			appendAs(t, path, register.SigningKey(intake), register.GrantKind, []byte(`{"grants":[{"epoch":0,"to":"alice","wrapped":"AAAA"}]}`))
			return "intake grants epoch 0, which they were never granted"
		}, true},
		{"a grant to an outsider", func(t *testing.T, k keys, path string) string {
			appendAs(t, path, register.SigningKey(k.alice), register.GrantKind, []byte(`{"grants":[{"epoch":0,"to":"eve","wrapped":"AAAA"}]}`))
			return "a grant to eve, who is not a reading identity"
		}, true},
		{"an epoch that leaves a reader out", func(t *testing.T, k keys, path string) string {
			id, _ := age.GenerateX25519Identity()
			appendAs(t, path, register.SigningKey(k.alice), register.EpochKind, mustJSON(map[string]any{"epoch": 2, "recipient": id.Recipient().String(), "grants": []any{}}))
			return "epoch 2 is not granted to exactly the identities that read"
		}, true},
		{"a service setting the work-order key", func(t *testing.T, k keys, path string) string {
			sealed, _ := register.SealForEpoch(path, make([]byte, 32))
			appendAs(t, path, register.SigningKey(intake), "work-order-key", sealed)
			return "a work-order-key record by intake, a service"
		}, true},
		{"a service recording a step", func(t *testing.T, k keys, path string) string {
			sealed, _ := register.SealForEpoch(path, []byte(`{}`))
			appendAs(t, path, register.SigningKey(intake), "case", sealed)
			return "a step on a case by intake, a service"
		}, true},
		{"an epoch reusing an earlier key", func(t *testing.T, k keys, path string) string {
			recs, _ := journal.ReadFile(path)
			var first map[string]any
			for _, r := range recs {
				if r.Kind == register.EpochKind {
					json.Unmarshal(r.Payload, &first)
					break
				}
			}
			appendAs(t, path, register.SigningKey(k.alice), register.EpochKind, mustJSON(map[string]any{"epoch": 2, "recipient": first["recipient"], "grants": []any{}}))
			return "epoch 2 reuses the key of an earlier epoch"
		}, true},
		{"a step recorded as another member's (-as misuse)", func(t *testing.T, k keys, path string) string {
			// carol, a member, signs a step claiming alice did it.
			carol, _ := register.NewIdentity("carol", register.RoleMember)
			reg, _, err := register.Open(path, k.config(timesynctest.NewClock(t0.Add(3*time.Hour))))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := reg.AddMember(carol.Public(), goodClock); err != nil {
				t.Fatal(err)
			}
			c, _ := reg.Case("c1")
			reg.Close()
			forged := register.Transition{Case: "c1", Event: register.Acknowledge, From: register.Received, To: register.Acknowledged, Actor: "alice", At: c.History[0].At}
			sealed, _ := register.SealForEpoch(path, mustJSON(forged))
			appendAs(t, path, register.SigningKey(carol), "case", sealed)
			return "a step recorded as done by alice but signed by carol"
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKeys(t)
			clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
			reg, path := openReg(t, k, clock)
			if _, err := reg.Receive("c1", sampleRequisition(), "alice", goodClock); err != nil {
				t.Fatal(err)
			}
			if _, err := reg.AddMember(k.bob.Public(), goodClock); err != nil {
				t.Fatal(err)
			}
			if _, err := reg.AddMember(intake.Public(), goodClock); err != nil {
				t.Fatal(err)
			}
			if err := reg.RemoveMember("bob", goodClock); err != nil {
				t.Fatal(err)
			}
			reg.Close()
			recs, _ := journal.ReadFile(path)
			if _, err := register.AuditRecords(recs); err != nil {
				t.Fatalf("before the forgery: %v", err)
			}
			want := tc.forge(t, k, path)
			recs, err := journal.ReadFile(path)
			if err != nil {
				t.Fatalf("the chain itself is sound, only the roster is broken: %v", err)
			}
			forged := recs[len(recs)-1].Seq
			a, err := register.AuditRecords(recs)
			// The streaming audit, what desk verify runs, says the same.
			sa, sum, serr := register.AuditJournal(path, journal.ScanOptions{})
			if diff := cmp.Diff(a, sa, cmpopts.EquateComparable(timesync.Timestamp{})); diff != "" || fmt.Sprint(err) != fmt.Sprint(serr) || sum.Records != uint64(len(recs)) {
				t.Fatalf("AuditJournal differs from AuditRecords: %s, %v vs %v, %d records", diff, serr, err, sum.Records)
			}
			if tc.inAudit {
				var re *register.RosterError
				if !errors.As(err, &re) || len(a.Violations) != 1 || a.Violations[0].Seq != forged || !strings.Contains(a.Violations[0].Reason, want) {
					t.Fatalf("audit: %+v, %v; want record %d: %s", a.Violations, err, forged, want)
				}
			} else if err != nil {
				t.Fatalf("the audit cannot see this rule without a key, yet: %v", err)
			}
			_, _, err = register.Open(path, k.config(clock))
			if !errors.Is(err, register.ErrRoster) || !strings.Contains(err.Error(), want) {
				t.Fatalf("replay: %v; want %q", err, want)
			}
		})
	}
}

// A step's actor is the identity that signs it: a member cannot record a
// step as done by another (the desk's former -as).
func TestActorIsTheSigner(t *testing.T) {
	k := newKeys(t)
	reg, path := openReg(t, k, timesynctest.NewClock(t0.Add(2*time.Hour)))
	before, _ := os.ReadFile(path)
	for _, actor := range []string{"bob", "mallory", ""} {
		if _, err := reg.Receive("c1", sampleRequisition(), actor, goodClock); !errors.Is(err, register.ErrActor) {
			t.Errorf("received as %q by alice's identity: %v", actor, err)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a refused step changed the journal")
	}
}

// A journal written before records were signed (CCJR frames, records
// sealed to each member's age key) stays verifiable as it is: reported
// unsigned, never forged. A member of its keyring upgrades their key to
// an identity and goes on with signed records; the old ones stay as they
// were.
func TestEarlierFormatJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ccj.journal")
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	oldKey, _ := age.GenerateX25519Identity()
	ring, _ := register.NewKeyring(oldKey.Recipient().String())
	seal := func(b []byte) []byte {
		s, err := ring.Seal(b)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	req := sampleRequisition()
	receipt := register.Transition{Case: "c1", To: register.Received, Actor: "alice", At: timesync.Now(clock), Requisition: &req}
	ack := register.Transition{Case: "c1", Event: register.Acknowledge, From: register.Received, To: register.Acknowledged, Actor: "bob", At: timesync.Now(clock)}
	j, _, err := journal.Open(path, journal.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		kind    string
		payload []byte
	}{{"work-order-key", seal(make([]byte, 32))}, {"case", seal(mustJSON(receipt))}, {"case", seal(mustJSON(ack))}} {
		if _, err := j.Append(r.kind, r.payload); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()

	recs, err := journal.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := register.AuditRecords(recs)
	if err != nil || a.Unsigned != 3 || len(a.Members) != 0 {
		t.Fatalf("audit of the earlier format: %+v %v", a, err)
	}

	// Someone outside its keyring cannot take it over.
	if _, _, err := register.Open(path, k0(t, "mallory")); !errors.Is(err, register.ErrSealed) {
		t.Fatalf("an outsider founded the upgraded register: %v", err)
	}
	alice, err := register.UpgradeIdentity(oldKey.String(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	reg, _, err := register.Open(path, register.Config{Clock: clock, Identity: alice, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	c, ok := reg.Case("c1")
	if !ok || c.State != register.Acknowledged || c.History[1].Actor != "bob" {
		t.Fatalf("the earlier records: %+v", c)
	}
	if _, err := reg.Apply("c1", register.CheckLawful, "alice", goodClock, ""); err != nil {
		t.Fatal(err)
	}
	recs, _ = journal.ReadFile(path)
	a, err = register.AuditRecords(recs)
	// member, epoch, three bridges, work-order key, the check
	if err != nil || a.Unsigned != 3 || len(a.Members) != 1 || a.Members[0].Records != 7 || !recs[len(recs)-1].Signed() {
		t.Fatalf("after the upgrade: %+v %v", a, err)
	}

	// A member added after the upgrade never held the earlier key: they
	// read the earlier records through the bridges.
	carol, _ := register.NewIdentity("carol", register.RoleMember)
	if _, err := reg.AddMember(carol.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	cr, _, err := register.Open(path, register.Config{Clock: clock, Identity: carol})
	if err != nil {
		t.Fatalf("a member added after the upgrade: %v", err)
	}
	defer cr.Close()
	if c, ok := cr.Case("c1"); !ok || c.State != register.Lawful || c.History[1].Actor != "bob" || c.Requisition.Reference != secretRef {
		t.Fatalf("carol reads: %+v", c)
	}
}

func k0(t *testing.T, name string) register.Config {
	id, err := register.NewIdentity(name, register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	return register.Config{Clock: timesynctest.NewClock(t0.Add(2 * time.Hour)), Identity: id, Found: true}
}

// A cell that loses every member's key gets back in with its recovery
// identity, kept on paper: it reads the register (every epoch was
// granted to it), adds a new member, who reads the whole history and
// carries on. The recovery identity itself does not act on cases.
func TestRecoveryIdentity(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	paper, _ := register.NewIdentity("recovery", register.RoleRecovery)
	if _, err := reg.AddMember(paper.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AddMember(k.bob.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	lawfulCase(t, reg, "c1", sampleRequisition())
	if err := reg.RemoveMember("bob", goodClock); err != nil { // epoch 1: alice and the paper key
		t.Fatal(err)
	}
	if _, err := reg.Receive("c2", sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	reg.Close()

	// Alice's key is lost. The paper identity is typed back in.
	typed, err := register.ParseIdentity(paper.Secret())
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := register.Open(path, register.Config{Clock: clock, Identity: typed})
	if err != nil {
		t.Fatalf("the recovery identity: %v", err)
	}
	if _, err := rec.Receive("c3", sampleRequisition(), "recovery", goodClock); !errors.Is(err, register.ErrActor) {
		t.Errorf("the recovery identity acted on a case: %v", err)
	}
	dave, _ := register.NewIdentity("dave", register.RoleMember)
	if _, err := rec.AddMember(dave.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	rec.Close()
	d, _, err := register.Open(path, register.Config{Clock: clock, Identity: dave})
	if err != nil {
		t.Fatalf("the member added by the recovery identity: %v", err)
	}
	defer d.Close()
	for _, id := range []string{"c1", "c2"} {
		if c, ok := d.Case(id); !ok || c.Requisition.Reference != secretRef {
			t.Fatalf("dave does not read %s", id)
		}
	}
	if _, err := d.Apply("c2", register.Acknowledge, "dave", goodClock, ""); err != nil {
		t.Fatal(err)
	}
	recs, _ := journal.ReadFile(path)
	if _, err := register.AuditRecords(recs); err != nil {
		t.Fatal(err)
	}
}

// A backup copied consistently restores to a register that verifies
// against the checkpoints kept on the members' machines; a copy older
// than a checkpoint is caught, naming what it lacks.
func TestBackupAndRestore(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	anchors := journal.Anchors{Dir: filepath.Join(t.TempDir(), "alice-machine")}
	lawfulCase(t, reg, "c1", sampleRequisition())
	keep := func() {
		cp, err := reg.Checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		if err := anchors.Save(cp); err != nil {
			t.Fatal(err)
		}
	}
	keep()
	stale := filepath.Join(t.TempDir(), "stale.journal")
	if _, err := journal.Backup(path, stale); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Receive("c2", sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	keep()
	fresh := filepath.Join(t.TempDir(), "fresh.journal")
	if _, err := journal.Backup(path, fresh); err != nil {
		t.Fatal(err)
	}
	if _, err := journal.Backup(path, fresh); !errors.Is(err, os.ErrExist) {
		t.Errorf("a backup replaced an existing file: %v", err)
	}
	reg.Close()

	// The disk is lost; the backups are restored.
	for _, tc := range []struct {
		name, from string
		ok         bool
	}{{"the latest backup", fresh, true}, {"an older backup", stale, false}} {
		t.Run(tc.name, func(t *testing.T) {
			restored := filepath.Join(t.TempDir(), "ccj.journal")
			data, _ := os.ReadFile(tc.from)
			os.WriteFile(restored, data, 0o600)
			recs, err := journal.ReadFile(restored)
			if err != nil {
				t.Fatal(err)
			}
			cps, err := anchors.CheckAnchors(recs)
			if len(cps) != 2 {
				t.Fatalf("%d checkpoints kept", len(cps))
			}
			if tc.ok != (err == nil) || (!tc.ok && !strings.Contains(err.Error(), "cut short, or an older copy")) {
				t.Fatalf("restored %s: %v", tc.name, err)
			}
			if tc.ok {
				r, _, err := register.Open(restored, k.config(clock))
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				if _, ok := r.Case("c2"); !ok {
					t.Fatal("the restored register lacks c2")
				}
			}
		})
	}
}

// A checkpoint that contradicts one kept before — the same record with
// another hash — is refused: a fork or a rollback.
func TestAnchorsRefuseAFork(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	anchors := journal.Anchors{Dir: t.TempDir()}
	reg, path := openReg(t, k, clock)
	cp, _ := reg.Checkpoint()
	if err := anchors.Save(cp); err != nil {
		t.Fatal(err)
	}
	reg.Close()
	recs, _ := journal.ReadFile(path)
	other := append([]journal.Record(nil), recs...)
	other[len(other)-1].Hash[0] ^= 1 // another journal's last record, same place
	forked, err := journal.Sign(other, cp.At, register.SigningKey(k.alice))
	if err != nil {
		t.Fatal(err)
	}
	if err := anchors.Save(forked); !errors.Is(err, journal.ErrCheckpoint) || !strings.Contains(err.Error(), "fork") {
		t.Fatalf("a contradicting checkpoint was kept: %v", err)
	}
	unsigned := cp
	unsigned.Signature = nil
	if err := anchors.Save(unsigned); !errors.Is(err, journal.ErrCheckpoint) {
		t.Fatalf("an unsigned checkpoint was kept: %v", err)
	}
}

// Submit lets a service write a sealed record it cannot read back; the
// members read it. A key outside the roster, or the roster's name with
// another key, writes nothing. On both stores.
func TestServiceSubmits(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	onStores(t, k, clock, func(t *testing.T, st onStore) {
		reg := st.reg
		intake, _ := register.NewIdentity("intake", register.RoleService)
		impostor, _ := register.NewIdentity("intake", register.RoleService)
		if _, err := st.submit(intake, "intake", []byte("From: parquet")); !errors.Is(err, register.ErrActor) {
			t.Fatalf("an identity outside the roster submitted: %v", err)
		}
		if _, err := reg.AddMember(intake.Public(), goodClock); err != nil {
			t.Fatal(err)
		}
		if _, err := st.submit(impostor, "intake", []byte("From: parquet")); !errors.Is(err, register.ErrActor) {
			t.Fatalf("the roster's name with another key submitted: %v", err)
		}
		r, err := st.submit(intake, "intake", []byte("From: parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(r.Payload), "parquet") {
			t.Fatal("the submission is in clear")
		}
		if _, err := register.OpenStore(st.open, register.Config{Clock: clock, Identity: intake}); !errors.Is(err, register.ErrConfig) {
			t.Fatalf("a service opened the register: %v", err)
		}
		if err := reg.Refresh(); err != nil {
			t.Fatal(err)
		}
		subs := reg.Submissions()
		if len(subs) != 1 || subs[0].By != "intake" || subs[0].Type != "intake" || string(subs[0].Data) != "From: parquet" || subs[0].Seq != r.Seq {
			t.Fatalf("%+v", subs)
		}
	})
	// Open by path refuses a service too.
	_, path := openReg(t, k, clock)
	intake, _ := register.NewIdentity("intake", register.RoleService)
	if _, _, err := register.Open(path, register.Config{Clock: clock, Identity: intake}); !errors.Is(err, register.ErrConfig) {
		t.Fatalf("a service opened the register: %v", err)
	}
}

// RepairJournal signs the repair with a member's key; it refuses an
// identity outside the roster, and repairs a journal of the earlier
// format with an unsigned record, so that its roster can still be
// founded.
func TestRepairJournal(t *testing.T) {
	torn := func(t *testing.T, path string) {
		recs, _ := journal.ReadFile(path)
		last := recs[len(recs)-1]
		magic := "CCJR"
		if last.Signed() {
			magic = "CCJS"
		}
		b := append([]byte(magic), 0, 0, 1, 0x2c)
		b = append(b, make([]byte, 7)...)
		b = append(b, byte(last.Seq+1))
		f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		f.Write(b)
		f.Close()
		if _, err := journal.ReadFile(path); !journal.IsTornTail(err) {
			t.Fatalf("not a torn tail: %v", err)
		}
	}
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	t.Run("a founded register", func(t *testing.T) {
		k := newKeys(t)
		reg, path := openReg(t, k, clock)
		reg.Close()
		torn(t, path)
		if _, err := register.RepairJournal(path, k.bob, clock, nil); !errors.Is(err, register.ErrActor) {
			t.Fatalf("an outsider repaired: %v", err)
		}
		recs, err := register.RepairJournal(path, k.alice, clock, nil)
		if err != nil || len(recs) != 1 || recs[0].Kind != journal.RepairKind || !recs[0].Signed() {
			t.Fatalf("%+v %v", recs, err)
		}
		all, _ := journal.ReadFile(path)
		if _, err := register.AuditRecords(all); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the earlier format", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ccj.journal")
		oldKey, _ := age.GenerateX25519Identity()
		ring, _ := register.NewKeyring(oldKey.Recipient().String())
		sealed, _ := ring.Seal(make([]byte, 32))
		j, _, _ := journal.Open(path, journal.Options{Clock: clock})
		j.Append("work-order-key", sealed)
		j.Close()
		torn(t, path)
		alice, _ := register.UpgradeIdentity(oldKey.String(), "alice")
		recs, err := register.RepairJournal(path, alice, clock, nil)
		if err != nil || len(recs) != 1 || recs[0].Signed() {
			t.Fatalf("%+v %v", recs, err)
		}
		reg, _, err := register.Open(path, register.Config{Clock: clock, Identity: alice, Found: true})
		if err != nil {
			t.Fatalf("founding after the repair: %v", err)
		}
		reg.Close()
	})
}

// A write of several records — a member removed, the new epoch, the new
// work-order key — is kept whole or not at all: a crash that leaves its
// first records whole and a later one torn leaves a torn tail from its
// first record, set aside as a whole by the next write, and the register
// goes on as if the removal had not been made.
func TestWriteOfSeveralIsWholeOrNothing(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	if _, err := reg.AddMember(k.bob.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	n, _ := journal.ReadFile(path)
	if err := reg.RemoveMember("bob", goodClock); err != nil {
		t.Fatal(err)
	}
	reg.Close()
	whole, _ := os.ReadFile(path)
	recs, _ := journal.ReadFile(path)
	if len(recs) != len(n)+3 || recs[len(n)].Follows != 2 || recs[len(n)+2].Follows != 0 {
		t.Fatalf("the removal is not one write of three records: %d records", len(recs)-len(n))
	}
	// Cut inside every record of the write but the first byte of the first.
	for cut := len(before) + 1; cut < len(whole); cut += 97 {
		os.WriteFile(path, whole[:cut], 0o600)
		got, err := journal.ReadFile(path)
		var ce *journal.CorruptError
		if !journal.IsTornTail(err) || !errors.As(err, &ce) || ce.Seq != uint64(len(n)) || len(got) != len(n) {
			t.Fatalf("cut at %d: %d records, %v", cut, len(got), err)
		}
	}
	// The next write sets the whole write aside; bob is still a member.
	r2, _, err := register.Open(path, k.config(clock))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r2.Receive("c1", sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	r2.Close()
	recs, _ = journal.ReadFile(path)
	a, err := register.AuditRecords(recs)
	if err != nil || !a.Members[1].Active || a.Epoch != 0 || recs[len(n)].Kind != journal.RepairKind {
		t.Fatalf("after the repair: %+v %v", a, err)
	}
	b, _, err := register.Open(path, k.as(clock, k.bob))
	if err != nil {
		t.Fatalf("bob, whose removal never completed, is shut out: %v", err)
	}
	b.Close()
}

// An identity does not remove itself (its next records would be signed by
// one the roster no longer knows); any write that would break a roster
// rule is refused before it is durable.
func TestSelfRemovalRefused(t *testing.T) {
	k := newKeys(t)
	reg, path := openReg(t, k, timesynctest.NewClock(t0.Add(2*time.Hour)))
	reg.AddMember(k.bob.Public(), goodClock)
	before, _ := os.ReadFile(path)
	if err := reg.RemoveMember("alice", goodClock); !errors.Is(err, register.ErrMember) {
		t.Fatalf("self-removal: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("a refused removal changed the journal")
	}
}

// A submission no member can open — a faulty or hostile service — is
// listed as unreadable, with its signer; it does not lock the members
// out.
func TestUnreadableSubmission(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	intake, _ := register.NewIdentity("intake", register.RoleService)
	reg.AddMember(intake.Public(), goodClock)
	reg.Close()
	appendAs(t, path, register.SigningKey(intake), register.SubmissionKind, append([]byte{0, 0, 0, 0}, "not an age file"...))
	r, _, err := register.Open(path, k.config(clock))
	if err != nil {
		t.Fatalf("an unreadable submission locked alice out: %v", err)
	}
	defer r.Close()
	if s := r.Submissions(); len(s) != 1 || !s[0].Unreadable || s[0].By != "intake" {
		t.Fatalf("%+v", s)
	}
}

// Grant and epoch records in a journal of the earlier format are not
// signed: the roster ignores them, and so does the register — a hostile
// file cannot make it panic or take a key from them.
func TestUnsignedGrantsIgnored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ccj.journal")
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	oldKey, _ := age.GenerateX25519Identity()
	ring, _ := register.NewKeyring(oldKey.Recipient().String())
	wrapped, _ := ring.Seal([]byte(oldKey.String()))
	j, _, _ := journal.Open(path, journal.Options{Clock: clock})
	sealed, _ := ring.Seal(make([]byte, 32))
	j.Append("work-order-key", sealed)
	j.Append(register.GrantKind, mustJSON(map[string]any{"grants": []any{map[string]any{"epoch": 7, "to": "alice", "wrapped": wrapped}}}))
	j.Append(register.EpochKind, mustJSON(map[string]any{"epoch": 0, "recipient": oldKey.Recipient().String(), "grants": []any{map[string]any{"epoch": 0, "to": "alice", "wrapped": wrapped}}}))
	j.Close()
	alice, _ := register.UpgradeIdentity(oldKey.String(), "alice")
	reg, _, err := register.Open(path, register.Config{Clock: clock, Identity: alice, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	recs, _ := journal.ReadFile(path)
	if a, err := register.AuditRecords(recs); err != nil || a.Epoch != 0 {
		t.Fatalf("%+v %v", a, err)
	}
}

// A name removed and added again with a new key keeps both admissions in
// the roster's history, each with the records its key signed.
func TestReaddKeepsHistory(t *testing.T) {
	k := newKeys(t)
	reg, _ := openReg(t, k, timesynctest.NewClock(t0.Add(2*time.Hour)))
	reg.AddMember(k.bob.Public(), goodClock)
	reg.RemoveMember("bob", goodClock)
	bob2, _ := register.NewIdentity("bob", register.RoleMember)
	if _, err := reg.AddMember(bob2.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	ms := reg.Members()
	if len(ms) != 3 || ms[1].Name != "bob" || ms[1].Active || ms[2].Name != "bob" || !ms[2].Active {
		t.Fatalf("%+v", ms)
	}
}
