package register_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Any bytes: ReadRecords never panics, names damage with a *CorruptError
// at the end of the valid prefix, returns only records that chain from a
// header, and the valid prefix re-reads to the same records cleanly.
func FuzzReadRecords(f *testing.F) {
	dir := f.TempDir()
	for i, key := range []ed25519.PrivateKey{nil, ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))} {
		path := filepath.Join(dir, fmt.Sprint("j", i))
		j, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0), Signer: key})
		if err != nil {
			f.Fatal(err)
		}
		j.Append("event", []byte("hello"))
		j.Append("answer", []byte("world"))
		j.Close()
		data, _ := os.ReadFile(path)
		f.Add(data)
		f.Add(data[:len(data)-5])
	}
	f.Add([]byte("CCJR"))
	f.Add([]byte("CCJS\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, valid, err := journal.ReadRecords(data)
		if valid < 0 || valid > int64(len(data)) {
			t.Fatalf("valid prefix %d of %d bytes", valid, len(data))
		}
		var ce *journal.CorruptError
		switch {
		case err == nil && valid != int64(len(data)):
			t.Fatalf("no error, but only %d of %d bytes valid", valid, len(data))
		case err != nil && !errors.Is(err, journal.ErrCorrupt):
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		case err != nil && (!errors.As(err, &ce) || ce.Offset != valid || ce.Seq != uint64(len(recs))):
			t.Fatalf("error %v for %d records and %d valid bytes", err, len(recs), valid)
		}
		for i, r := range recs {
			if r.Seq != uint64(i) || (i > 0 && r.Prev != recs[i-1].Hash) || (i == 0) != (r.Kind == "journal") {
				t.Fatalf("record %d: seq %d, kind %q, does not chain", i, r.Seq, r.Kind)
			}
		}
		// The valid prefix re-reads to the same records, cleanly.
		again, v2, err2 := journal.ReadRecords(data[:valid])
		if err2 != nil || v2 != valid || len(again) != len(recs) {
			t.Fatalf("prefix re-read: %d records, %v", len(again), err2)
		}
	})
}

// A technician's result as it arrives: decoding never panics, refuses
// with ErrDecode, never quotes the input, and what it accepts encodes and
// decodes back to itself.
func FuzzDecodeWorkResult(f *testing.F) {
	f.Add([]byte(`{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"tech-1","completed":"2026-11-23T11:00:00+01:00","outcome":"found","data":"x"}`))
	f.Add([]byte(`{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"t","completed":"2026-10-25T02:30:00+02:00","outcome":"nothing-held"}`))
	f.Add([]byte(`{"ref":"wo-","by":"","completed":"","outcome":"","data":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := register.DecodeWorkResult(data)
		if err != nil {
			if !errors.Is(err, register.ErrDecode) {
				t.Fatalf("error %v does not wrap ErrDecode", err)
			}
			return
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		again, err := register.DecodeWorkResult(b)
		if err != nil || again != res {
			t.Fatalf("re-decoding %s: %+v, %v", b, again, err)
		}
	})
}

// A requisition as received: whatever Decode accepts, the register
// records and gives back identical after reopening; nothing it refuses
// changes the journal.
func FuzzReceive(f *testing.F) {
	good, _ := requisition.Encode(sampleRequisition())
	f.Add(good)
	f.Add([]byte(`{"measure":"interception","received":"2026-10-25T02:30:00+01:00","response":{"kind":"immediately"}}`))
	f.Add([]byte(`{"received":"2026-11-23T10:00:00+01:00"}`))
	k := newKeys(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := requisition.Decode(data)
		if err != nil {
			return
		}
		path := filepath.Join(t.TempDir(), "j")
		clock := timesynctest.NewClock(t0)
		reg, _, err := register.Open(path, k.config(clock))
		if err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(path)
		c, err := reg.Receive("c1", req, "alice", goodClock)
		reg.Close()
		after, _ := os.ReadFile(path)
		if err != nil {
			if !errors.Is(err, register.ErrInput) || !bytes.Equal(before, after) {
				t.Fatalf("refused with %v; journal changed: %v", err, !bytes.Equal(before, after))
			}
			return
		}
		reg, _, err = register.Open(path, k.config(clock))
		if err != nil {
			t.Fatal(err)
		}
		defer reg.Close()
		got, _ := reg.Case("c1")
		if diff := cmp.Diff(c, got, cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}, timesync.Timestamp{})); diff != "" {
			t.Fatalf("replayed case differs:\n%s", diff)
		}
	})
}
