package requisition_test

import (
	"fmt"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
)

// A complete requisition, as a cell writes it from the order it received:
// a juge d'instruction's tracing and localisation order (art. 88bis) for
// an address at a port and a user name, each over a time window, with the
// offence it invokes, the period it states and the moment the answer is
// due. Every field is described by requisition.Schema (desk schema
// requisition); every key is listed by requisition.Values (desk values);
// desk template MEASURE prints a skeleton for any measure. The same
// document is examples/desk/sample/requisition.json.
func ExampleDecode_complete() {
	doc := []byte(`{
  "reference": "NOT.2026/0418 JI Example",
  "measure": "traffic-location",
  "authority": "juge-instruction",
  "circumstance": "ordinary",
  "ordered": "2026-11-23T09:00:00+01:00",
  "received": "2026-11-23T10:00:00+01:00",
  "reasoned": true,
  "valid_until": "2026-12-23T00:00:00+01:00",
  "offences": ["90ter-fraud"],
  "items": ["traffic-records", "location-records"],
  "targets": [
    {"kind": "ip", "addr": "2001:db8::beef", "port": 51234, "from": "2026-11-20T00:00:00+01:00", "until": "2026-11-21T00:00:00+01:00"},
    {"kind": "username", "value": "example-user", "from": "2026-11-01T00:00:00+01:00", "until": "2026-11-23T00:00:00+01:00"}
  ],
  "response": {"kind": "at-stated-moment", "stated": "2026-11-27T17:00:00+01:00"}
}`)
	r, err := requisition.Decode(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Measure, "ordered by", r.Authority, "on", r.Ordered)
	fmt.Println(len(r.Targets), "targets,", len(r.Items), "items, offence", r.Offences[0])
	due, _ := r.Response.Due(r.Received.Time())
	fmt.Println("answer due:", timesync.FromTime(due.At))
	at := r.Received.Time().Add(5 * time.Minute)
	fmt.Println("lawful:", r.Validate(at, requisition.FromNextDay) == nil)
	// Output:
	// traffic-location ordered by juge-instruction on 2026-11-23T09:00:00+01:00
	// 2 targets, 2 items, offence 90ter-fraud
	// answer due: 2026-11-27T17:00:00+01:00
	// lawful: true
}

// A skeleton to edit: the template of a measure is a complete order that
// Validate finds lawful, with a placeholder reference and example targets
// from the documentation ranges. desk template MEASURE prints it.
func ExampleTemplate() {
	at := timesync.MustParseBrussels("2026-11-23 10:05", timesync.Strict).Time()
	r, _ := requisition.Template(requisition.Identification, at)
	b, _ := requisition.Encode(r)
	fmt.Println(string(b))
	fmt.Println("lawful:", r.Validate(at, requisition.FromNextDay) == nil)
	// Output:
	// {"reference":"REPLACE: the authority's reference","measure":"identification","authority":"procureur-du-roi","ordered":"2026-11-23T10:05:00+01:00","received":"2026-11-23T10:05:00+01:00","reasoned":true,"items":["identity","address"],"targets":[{"kind":"ip","addr":"2001:db8::1","from":"2026-11-16T10:05:00+01:00","until":"2026-11-16T10:05:01+01:00"}],"response":{"kind":"at-stated-moment","stated":"2026-11-24T10:05:00+01:00"}}
	// lawful: true
}
