package radiusacct_test

import (
	"testing"

	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/radiusacct"
)

// fuzzPacket is an Accounting-Request of the given status with a session
// id, a User-Name, a NAS and a Framed-IP-Address.
func fuzzPacket(status uint32, id string) []byte {
	p := &rad.Packet{Code: rad.CodeAccountingRequest, Identifier: 1, Secret: []byte("s")}
	p.Add(40, rad.NewInteger(status))
	p.Add(44, rad.Attribute(id))
	p.Add(1, rad.Attribute("C-000042"))
	p.Add(4, rad.Attribute{192, 0, 2, 1})
	p.Add(8, rad.Attribute{198, 51, 100, 7})
	p.Add(25, rad.Attribute("C-000042"))
	b, _ := p.Encode()
	return b
}

// Any sequence of requests Parse accepts gives only valid assignments,
// and never a closed one that ends before it starts.
func FuzzRequest(f *testing.F) {
	f.Add(fuzzPacket(1, "a"), fuzzPacket(2, "a"), uint8(0))
	f.Add(fuzzPacket(3, "b"), fuzzPacket(7, ""), uint8(1))
	f.Fuzz(func(t *testing.T, p1, p2 []byte, identity uint8) {
		s, err := radiusacct.New(radiusacct.Config{Device: "radius-1", Clock: func() retention.Clock { return synced },
			Identity: radiusacct.Identity(identity % 2), Emit: func(a retention.Assignment) error {
				if !retention.ValidSubscriber(a.Subscriber) || !a.Prefix.IsValid() || a.From.IsZero() || (!a.Open() && !a.From.Before(a.Until)) ||
					a.Source.Kind != retention.RADIUS {
					t.Fatalf("an invalid assignment %+v", a)
				}
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range [][]byte{p1, p2} {
			r, err := radius.Parse(p, nil, t0, radius.Options{SkipVerify: true})
			if err != nil {
				continue
			}
			if err := s.Request(r, p); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
	})
}
