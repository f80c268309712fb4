package pipeline_test

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
)

// genAddr draws from a small space so that prefixes and packets overlap.
func genAddr(t *rapid.T, v6 bool, label string) netip.Addr {
	if v6 {
		var b [16]byte
		copy(b[:], netip.MustParseAddr("2001:db8::").AsSlice())
		b[14] = byte(rapid.IntRange(0, 3).Draw(t, label+"14"))
		b[15] = byte(rapid.IntRange(0, 7).Draw(t, label+"15"))
		return netip.AddrFrom16(b)
	}
	return netip.AddrFrom4([4]byte{10, 0, byte(rapid.IntRange(0, 3).Draw(t, label+"2")), byte(rapid.IntRange(0, 7).Draw(t, label+"3"))})
}

func genPrefix(t *rapid.T, label string) netip.Prefix {
	v6 := rapid.Bool().Draw(t, label+"v6")
	a := genAddr(t, v6, label)
	bits := rapid.IntRange(a.BitLen()-12, a.BitLen()).Draw(t, label+"bits")
	return netip.PrefixFrom(a, bits).Masked()
}

// cinOfPrefix is the documented rule for static targets: FNV-1a of the
// prefix's text form.
func cinOfPrefix(p netip.Prefix) intercept.CIN {
	h := fnv.New32a()
	h.Write([]byte(p.Masked().String()))
	return intercept.CIN(h.Sum32())
}

type rec struct {
	Packet int
	LIID   string
	CIN    intercept.CIN
	Dir    intercept.Direction
}

// TestMatcherAgreesWithNaiveScan: for random tasks with overlapping static
// prefixes and random windows, and random packets, the records the
// pipeline makes are exactly those a scan of every task and target gives.
func TestMatcherAgreesWithNaiveScan(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := newFixture(t, "")
		nTasks := rapid.IntRange(1, 8).Draw(rt, "tasks") // up to 24 prefixes: both the scanned small table and the map
		var tasks []intercept.Task
		for i := range nTasks {
			var targets []intercept.Target
			for _, p := range rapid.SliceOfNDistinct(rapid.Custom(func(t *rapid.T) netip.Prefix { return genPrefix(t, "p") }), 1, 3, netip.Prefix.String).Draw(rt, "prefixes") {
				targets = append(targets, intercept.AddressTarget(p))
			}
			nb := t0.Add(time.Duration(rapid.IntRange(-3, 3).Draw(rt, "nb")) * time.Minute)
			na := nb.Add(time.Duration(rapid.IntRange(1, 6).Draw(rt, "len")) * time.Minute)
			tk := task(byte(i+1), fmt.Sprintf("L%d", i), nb, na, targets...)
			tk.Delivery = rapid.SampledFrom([]intercept.Delivery{intercept.CCOnly, intercept.IRIAndCC, intercept.IRIOnly}).Draw(rt, "delivery")
			tasks = append(tasks, tk)
		}
		if err := f.p.SetTasks(tasks); err != nil {
			rt.Fatal(err)
		}
		nPkts := rapid.IntRange(1, 30).Draw(rt, "packets")
		var batch []intercept.Packet
		var want []rec
		outside := map[string]uint64{}
		for i := range nPkts {
			v6 := rapid.Bool().Draw(rt, "pv6")
			src, dst := genAddr(rt, v6, "src"), genAddr(rt, v6, "dst")
			at := t0.Add(time.Duration(rapid.IntRange(-5, 10).Draw(rt, "at")) * time.Minute)
			if rapid.Bool().Draw(rt, "edge") {
				at = tasks[rapid.IntRange(0, nTasks-1).Draw(rt, "edgeTask")].NotAfter.Add(time.Duration(rapid.IntRange(-1, 0).Draw(rt, "us")) * time.Microsecond)
			}
			batch = append(batch, pkt(at, src, dst))
			for _, tk := range tasks {
				if !tk.Delivery.Includes(intercept.CC) {
					continue
				}
				for _, tg := range tk.Targets {
					from, to := tg.Prefix.Contains(src), tg.Prefix.Contains(dst)
					if !from && !to {
						continue
					}
					if !tk.Active(at) {
						outside[tk.LIID.String()]++
						continue
					}
					d := intercept.FromTarget
					switch {
					case from && to:
						d = intercept.Indeterminate
					case to:
						d = intercept.ToTarget
					}
					want = append(want, rec{i, tk.LIID.String(), cinOfPrefix(tg.Prefix), d})
				}
			}
		}
		f.p.Process(batch)
		var got []rec
		for _, p := range f.sink.pdus(t) {
			if p.Payload.Kind != etsi.CCSequence {
				continue
			}
			idx := slices.IndexFunc(batch, func(b intercept.Packet) bool {
				return string(b.Data) == string(p.Payload.CC[0].Packet) && b.Time.Equal(p.Header.Time)
			})
			got = append(got, rec{idx, p.Header.LIID.String(), p.Header.CIN, p.Payload.CC[0].Direction})
		}
		// Identical packets at one instant are indistinguishable: compare
		// as multisets keyed on the first such packet.
		norm := func(rs []rec) []rec {
			out := slices.Clone(rs)
			for i := range out {
				out[i].Packet = slices.IndexFunc(batch, func(b intercept.Packet) bool {
					return string(b.Data) == string(batch[out[i].Packet].Data) && b.Time.Equal(batch[out[i].Packet].Time)
				})
			}
			slices.SortFunc(out, func(a, b rec) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
			return out
		}
		if diff := cmp.Diff(norm(want), norm(got)); diff != "" {
			rt.Fatalf("records (-naive +pipeline):\n%s", diff)
		}
		gotOutside := map[string]uint64{}
		for _, l := range f.p.Stats().LIIDs {
			if l.OutsideWindow > 0 {
				gotOutside[l.LIID.String()] = l.OutsideWindow
			}
		}
		if diff := cmp.Diff(outside, gotOutside); diff != "" {
			rt.Fatalf("outside-window counts (-naive +pipeline):\n%s", diff)
		}
	})
}
