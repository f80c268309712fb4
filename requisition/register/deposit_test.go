package register_test

import (
	"bytes"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A deposit is recorded once per tag, may span several records written
// together, and reads back whole; a case received from it takes its
// second of receipt and is linked to it once. On both stores.
func TestSubmitOnce(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	onStores(t, k, clock, func(t *testing.T, st onStore) {
		testSubmitOnce(t, k, clock, st)
	})
}

func testSubmitOnce(t *testing.T, k keys, clock *timesynctest.Clock, st onStore) {
	reg := st.reg
	intake, _ := register.NewIdentity("intake", register.RoleService)
	other, _ := register.NewIdentity("intake2", register.RoleService)
	for _, id := range []register.Identity{intake, other} {
		if _, err := reg.AddMember(id.Public(), goodClock); err != nil {
			t.Fatal(err)
		}
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 200_000) // 3.2 MB: four parts
	tag := intake.Tag("email message-id", []byte("<a@example.be>"))
	if tag == intake.Tag("email message-id", []byte("<b@example.be>")) || tag == other.Tag("email message-id", []byte("<a@example.be>")) || tag == intake.Tag("other", []byte("<a@example.be>")) {
		t.Fatal("tags collide across data, identities or purposes")
	}
	if tag != intake.Tag("email message-id", []byte("<a@example.be>")) {
		t.Fatal("a tag is not deterministic")
	}
	first, dup, err := st.submitOnce(intake, "email", tag, big)
	if err != nil || dup {
		t.Fatalf("dup %v, %v", dup, err)
	}
	clock.Advance(time.Minute)
	again, dup, err := st.submitOnce(intake, "email", tag, big)
	if err != nil || !dup || again.Seq != first.Seq {
		t.Fatalf("a redelivery was recorded again: dup %v, seq %d/%d, %v", dup, again.Seq, first.Seq, err)
	}
	// The same tag from another identity is another submission.
	if _, dup, err := st.submitOnce(other, "email", tag, []byte("small")); err != nil || dup {
		t.Fatalf("dup %v, %v", dup, err)
	}
	n := 0
	for _, r := range st.records(t) {
		if r.Kind == register.DepositKind {
			n++
			if bytes.Contains(r.Payload, []byte("0123456789abcdef")) {
				t.Fatal("a deposit is in clear")
			}
			if len(r.Payload) > journal.MaxPayload {
				t.Fatalf("a deposit's part of %d bytes", len(r.Payload))
			}
		}
	}
	if n != 5 {
		t.Fatalf("%d deposit records, want 4 parts and 1", n)
	}
	if err := reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	subs := reg.Submissions()
	if len(subs) != 2 || !bytes.Equal(subs[0].Data, big) || subs[0].Type != "email" || subs[0].Seq != first.Seq || !subs[0].Deposit ||
		subs[0].By != "intake" || string(subs[1].Data) != "small" || subs[1].By != "intake2" {
		t.Fatalf("read back %d submissions", len(subs))
	}

	// A case received from the submission: its receipt is the
	// submission's second when the requisition gives none; never later.
	clock.Advance(3 * time.Hour)
	req := sampleRequisition()
	req.Received = timesync.FromTime(first.Time.Time().Add(time.Second))
	if _, err := reg.ReceiveSubmission(first.Seq, req, "alice", goodClock); !errors.Is(err, register.ErrInput) {
		t.Fatalf("a case received after its submission was recorded: %v", err)
	}
	req.Received = timesync.Timestamp{}
	c, err := reg.ReceiveSubmission(first.Seq, req, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	if c.Submission != first.Seq || c.Requisition.Received != first.Time {
		t.Fatalf("submission %d, received %v, want %d at %v", c.Submission, c.Requisition.Received, first.Seq, first.Time)
	}
	if _, err := reg.ReceiveSubmission(first.Seq, req, "alice", goodClock); !errors.Is(err, register.ErrCaseExists) {
		t.Fatalf("a submission became two cases: %v", err)
	}
	for _, seq := range []uint64{0, first.Seq + 1, 999} {
		if _, err := reg.ReceiveSubmission(seq, req, "alice", goodClock); !errors.Is(err, register.ErrInput) {
			t.Fatalf("submission %d: %v", seq, err)
		}
	}
	reg.Close()
	// Read again from the journal: the link survives, and replay agrees.
	again2 := st.reopen(t, register.Config{Clock: clock, Identity: k.alice})
	if got, _ := again2.Case(c.ID); got.Submission != first.Seq || got.Requisition.Received != first.Time {
		t.Fatal("the link did not survive a reopening")
	}
	if len(again2.Submissions()) != 2 {
		t.Fatal("the submissions did not survive a reopening")
	}
}

// A service that writes a deposit's first part only, or parts out of
// order, shows as an unreadable submission: it does not lock members out.
func TestBrokenDepositIsUnreadable(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	intake, _ := register.NewIdentity("intake", register.RoleService)
	if _, err := reg.AddMember(intake.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	if _, _, err := register.SubmitOnce(path, intake, clock, "email", intake.Tag("p", []byte("x")), bytes.Repeat([]byte{7}, 2<<20)); err != nil {
		t.Fatal(err)
	}
	recs, _ := journal.ReadFile(path)
	var part0 journal.Record
	for _, r := range recs {
		if r.Kind == register.DepositKind {
			part0 = r
			break
		}
	}
	// Append the first part again alone, signed by the service.
	appendAs(t, path, register.SigningKey(intake), register.DepositKind, part0.Payload)
	if _, err := register.Submit(path, intake, clock, "intake", []byte("after")); err != nil {
		t.Fatal(err)
	}
	if err := reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	subs := reg.Submissions()
	if len(subs) != 3 || subs[0].Unreadable || !subs[1].Unreadable || string(subs[2].Data) != "after" {
		t.Fatalf("%d submissions: %+v", len(subs), []bool{subs[0].Unreadable, subs[1].Unreadable})
	}
	if _, err := reg.ReceiveSubmission(subs[1].Seq, sampleRequisition(), "alice", goodClock); !errors.Is(err, register.ErrInput) {
		t.Fatalf("an unreadable submission became a case: %v", err)
	}
}

// After a crash left an incomplete write, SubmitOnce returns the
// deposit's first record, not the repair record written before it.
func TestSubmitOnceAfterTornTail(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	intake, _ := register.NewIdentity("intake", register.RoleService)
	if _, err := reg.AddMember(intake.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	reg.Close()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("CCJS\x00\x00\x01\x2c\x00\x00")) // a frame cut short
	f.Close()
	rec, dup, err := register.SubmitOnce(path, intake, clock, "email", intake.Tag("p", []byte("x")), []byte("data"))
	if err != nil || dup || rec.Kind != register.DepositKind {
		t.Fatalf("returned a %s record, dup %v, %v", rec.Kind, dup, err)
	}
}

// Deliveries of one message at once, by several processes' worth of
// goroutines — each with its own store: on PostgreSQL its own
// connection, as on several machines — record it once: the tag is
// checked and the deposit written under the journal's exclusive lock.
func TestSubmitOnceConcurrent(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	onStores(t, k, clock, func(t *testing.T, st onStore) {
		intake, _ := register.NewIdentity("intake", register.RoleService)
		if _, err := st.reg.AddMember(intake.Public(), goodClock); err != nil {
			t.Fatal(err)
		}
		tag := intake.Tag("p", []byte("<same@x>"))
		msg := bytes.Repeat([]byte("ab"), 1<<20) // two parts
		var wg sync.WaitGroup
		var mu sync.Mutex
		fresh, seqs := 0, map[uint64]bool{}
		for range 8 {
			wg.Go(func() {
				rec, dup, err := st.submitOnce(intake, "email", tag, msg)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if !dup {
					fresh++
				}
				seqs[rec.Seq] = true
			})
		}
		wg.Wait()
		if fresh != 1 || len(seqs) != 1 {
			t.Fatalf("%d recorded, %d distinct records", fresh, len(seqs))
		}
		if err := st.reg.Refresh(); err != nil {
			t.Fatal(err)
		}
		if subs := st.reg.Submissions(); len(subs) != 1 || !bytes.Equal(subs[0].Data, msg) || !subs[0].Deposit {
			t.Fatalf("%d submissions", len(subs))
		}
	})
}
