package register_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

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
