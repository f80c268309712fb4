package pipeline_test

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// plainEncoder is a second encoder family, knowing nothing of ETSI: each
// record becomes one line of text. It has neither optional capability.
type plainEncoder struct{}

func (plainEncoder) Stream(key intercept.StreamKey) (intercept.StreamEncoder, error) {
	return plainStream{key}, nil
}

type plainStream struct{ key intercept.StreamKey }

func (s plainStream) AppendCC(dst []byte, r *intercept.CCRecord) ([]byte, error) {
	return fmt.Appendf(dst, "CC seq=%d", r.Seq), nil
}

func (s plainStream) AppendIRI(dst []byte, r *intercept.IRIRecord) ([]byte, error) {
	return fmt.Appendf(dst, "IRI seq=%d", r.Seq), nil
}

// ableEncoder is the same family offering both capabilities through the
// seam's own interfaces.
type ableEncoder struct{}

func (ableEncoder) Stream(key intercept.StreamKey) (intercept.StreamEncoder, error) {
	return ableStream{plainStream{key}}, nil
}

func (ableEncoder) AppendHI1(dst []byte, kind intercept.HI1Kind, _ intercept.LIID, seq intercept.Seq, t time.Time) ([]byte, error) {
	return fmt.Appendf(dst, "HI1 %v seq=%d at=%s", kind, seq, t.Format(time.TimeOnly)), nil
}

type ableStream struct{ plainStream }

func (s ableStream) AppendCINReset(dst []byte, _ time.Time) ([]byte, error) {
	return fmt.Appendf(dst, "RESET %v", s.key.Stream), nil
}

var (
	_ intercept.HI1Notifier = ableEncoder{}
	_ intercept.CINResetter = ableStream{}
)

// TestEncoderCapabilitiesThroughTheSeam: a second encoder family gets HI1
// notifications and CIN resets by implementing intercept.HI1Notifier and
// intercept.CINResetter, without knowing intercept/etsi; one that
// implements neither gets neither and still has its records numbered.
func TestEncoderCapabilitiesThroughTheSeam(t *testing.T) {
	for _, tc := range []struct {
		name          string
		enc           intercept.Encoder
		first, second []string
	}{
		{
			name:   "with both capabilities",
			enc:    ableEncoder{},
			first:  []string{"HI1 liActivated seq=0 at=13:00:00", "CC seq=0", "CC seq=1"},
			second: []string{"RESET IRI", "HI1 liActivated seq=0 at=13:00:00", "RESET CC", "CC seq=0"},
		},
		{
			name:  "with neither",
			enc:   plainEncoder{},
			first: []string{"CC seq=0", "CC seq=1"},
			// No CIN reset to announce a new numbering: the numbering is
			// kept instead, from where the clean Close left it.
			second: []string{"CC seq=2"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "seq.json")
			tk := task(9, "LIID-CAP", t0, t0.Add(time.Hour), intercept.AddressTarget(netip.PrefixFrom(alice4, 32)))
			run := func(packets int) []string {
				s := &sink{}
				p, err := pipeline.New(pipeline.Config{
					Agencies:  map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: tc.enc, Handover: s}},
					Clock:     timesynctest.NewClock(t0),
					StatePath: state,
				})
				if err != nil {
					t.Fatal(err)
				}
				if err := p.SetTasks([]intercept.Task{tk}); err != nil {
					t.Fatal(err)
				}
				p.Tick(t0)
				for range packets {
					p.Process([]intercept.Packet{pkt(t0.Add(time.Minute), alice4, peer4)})
				}
				if err := p.Close(); err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, g := range s.got {
					out = append(out, string(g.pdu))
				}
				return out
			}
			if diff := cmp.Diff(tc.first, run(2)); diff != "" {
				t.Errorf("first run (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.second, run(1)); diff != "" {
				t.Errorf("after a restart (-want +got):\n%s", diff)
			}
		})
	}
}
