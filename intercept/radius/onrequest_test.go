package radius_test

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/ccjkit/ccjkit/internal/itest"

	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/provenance"
)

const tClass = 25 // RFC 2865 §5.25

func TestParseClass(t *testing.T) {
	for _, tc := range []struct {
		name  string
		attrs []attr
		want  [][]byte
	}{
		{"none", base(1), nil},
		{"one", base(1, str(tClass, "C-000042")), [][]byte{[]byte("C-000042")}},
		{"two, in order", base(1, str(tClass, "C-000042"), str(tClass, "\x00\x01")), [][]byte{[]byte("C-000042"), {0, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := radius.Parse(packet(t, secret, 1, tc.attrs...), []byte(secret), at, radius.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Class) != len(tc.want) {
				t.Fatalf("Class = %q, want %q", r.Class, tc.want)
			}
			for i := range r.Class {
				if !bytes.Equal(r.Class[i], tc.want[i]) {
					t.Errorf("Class[%d] = %q, want %q", i, r.Class[i], tc.want[i])
				}
			}
		})
	}
	// An empty Class breaks RFC 2865 §5.25 ("one or more octets").
	_, err := radius.Parse(packet(t, secret, 1, base(1, attr{tClass, nil})...), []byte(secret), at, radius.Options{})
	var ps *provenance.Problems
	if !errors.As(err, &ps) || ps.Findings[0].Field != "Class" || !errors.Is(err, radius.ErrMalformed) {
		t.Errorf("err = %v", err)
	}
}

// Config.OnRequest receives each request read, with its octets, before
// its events; a refusal leaves the request unanswered and undelivered,
// and its retransmission is handled anew.
func TestOnRequest(t *testing.T) {
	var mu sync.Mutex
	var seen []*radius.Request
	var octets [][]byte
	refuse := true
	s := startServer(t, radius.Config{OnRequest: func(r *radius.Request, pkt []byte) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r)
		octets = append(octets, bytes.Clone(pkt))
		if refuse {
			refuse = false
			return errors.New("the store is not ready")
		}
		return nil
	}})
	n := dialNAS(t, s)
	req := packet(t, secret, 7, base(1, str(tClass, "C-000042"))...)
	n.send(req)
	itest.WaitFor(t, "the refusal", func() bool { return s.Stats().Refused > 0 })
	if st := s.Stats(); st.Refused != 1 || st.Answered != 0 || len(s.Events()) != 0 {
		t.Fatalf("after a refusal: %+v, %d events", st, len(s.Events()))
	}
	n.send(req) // the NAS sends it again
	n.answer(req)
	<-s.got
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || !bytes.Equal(octets[1], req) || string(seen[1].Class[0]) != "C-000042" || seen[1].Status != radius.StatusStart {
		t.Errorf("OnRequest saw %d requests", len(seen))
	}
	if len(s.Events()) != 1 {
		t.Errorf("%d events delivered, want 1", len(s.Events()))
	}
}
