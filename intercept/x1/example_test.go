package x1_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
)

// An ADMF's ActivateTask for one address, delivering IRI and CC to one
// destination, as it goes on the wire; and the NE's reading of it.
func Example() {
	task := x1.TaskDetails{
		XID:      x1.MustParseUUID("3f8e6c2a-1b7d-4e59-9a02-6c1d2e3f4a5b"),
		Targets:  []intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("192.0.2.7/32"))},
		Delivery: intercept.IRIAndCC,
		DIDs:     []x1.UUID{x1.MustParseUUID("8d2c4b6a-0e1f-4a3b-8c5d-7e9f0a1b2c3d")},
	}
	doc, err := x1.EncodeRequest(&x1.Request{Messages: []x1.RequestMessage{{
		Header: x1.Header{
			ADMF: "admf.ccj", NE: "ne-1", Version: x1.SchemaVersion,
			Timestamp:     time.Date(2026, 12, 6, 9, 30, 0, 0, time.UTC),
			TransactionID: x1.MustParseUUID("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"),
		},
		Type: x1.ActivateTask,
		Task: &task,
	}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(doc))

	req, err := x1.DecodeRequest(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := req.Messages[0]
	fmt.Println(m.Type, m.Task.XID, len(m.Task.Targets), "target,", m.Task.Delivery)
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <X1Request xmlns="http://uri.etsi.org/03221/X1/2017/10" xmlns:etsi="http://uri.etsi.org/03280/common/2017/07" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
	//   <x1RequestMessage xsi:type="ActivateTaskRequest">
	//     <admfIdentifier>admf.ccj</admfIdentifier>
	//     <neIdentifier>ne-1</neIdentifier>
	//     <messageTimestamp>2026-12-06T09:30:00.000000Z</messageTimestamp>
	//     <version>v1.22.1</version>
	//     <x1TransactionId>0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5</x1TransactionId>
	//     <taskDetails>
	//       <xId>3f8e6c2a-1b7d-4e59-9a02-6c1d2e3f4a5b</xId>
	//       <targetIdentifiers>
	//         <targetIdentifier>
	//           <ipv4Address>192.0.2.7</ipv4Address>
	//         </targetIdentifier>
	//       </targetIdentifiers>
	//       <deliveryType>X2andX3</deliveryType>
	//       <listOfDIDs>
	//         <dId>8d2c4b6a-0e1f-4a3b-8c5d-7e9f0a1b2c3d</dId>
	//       </listOfDIDs>
	//     </taskDetails>
	//   </x1RequestMessage>
	// </X1Request>
	// ActivateTask 3f8e6c2a-1b7d-4e59-9a02-6c1d2e3f4a5b 1 target, IRIAndCC
}
