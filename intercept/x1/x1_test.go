package x1_test

import (
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
)

// Fixed values of the tests: no randomness, no clock.
var (
	testXID   = x1.MustParseUUID("3f8e6c2a-1b7d-4e59-9a02-6c1d2e3f4a5b")
	testDID   = x1.MustParseUUID("8d2c4b6a-0e1f-4a3b-8c5d-7e9f0a1b2c3d")
	testTxn   = x1.MustParseUUID("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5")
	testWhen  = time.Date(2026, 12, 6, 9, 30, 0, 123456000, time.UTC)
	testStart = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	testEnd   = time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC)
)

func testHeader() x1.Header {
	return x1.Header{ADMF: "admf.ccj", NE: "ne-1", Timestamp: testWhen, Version: x1.SchemaVersion, TransactionID: testTxn}
}

func testTask() x1.TaskDetails {
	return x1.TaskDetails{
		XID: testXID,
		Targets: []intercept.Target{
			intercept.AddressTarget(netip.MustParsePrefix("192.0.2.7/32")),
			intercept.AddressTarget(netip.MustParsePrefix("198.51.100.0/24")),
			intercept.AddressTarget(netip.MustParsePrefix("2001:db8::1/128")),
			intercept.AddressTarget(netip.MustParsePrefix("2001:db8:1::/48")),
			intercept.UsernameTarget("alice@isp.example"),
		},
		Delivery: intercept.IRIAndCC,
		DIDs:     []x1.UUID{testDID},
		Mediation: []x1.MediationDetails{{
			LIID: intercept.MustParseLIID("BE-NTSU-2026-0042"), Delivery: intercept.IRIAndCC,
			Start: testStart, End: testEnd,
		}},
	}
}

func testDestination() x1.DestinationDetails {
	return x1.DestinationDetails{
		DID: testDID, FriendlyName: "mediation <main>", Delivery: intercept.IRIAndCC,
		Address: netip.MustParseAddrPort("[2001:db8::10]:4443"),
	}
}

// everyRequest returns one request message of every type ccjkit implements.
func everyRequest() []x1.RequestMessage {
	h := testHeader()
	task := testTask()
	dest := testDestination()
	v4 := testDestination()
	v4.Address = netip.MustParseAddrPort("192.0.2.10:4443")
	v4.FriendlyName = ""
	return []x1.RequestMessage{
		{Header: h, Type: x1.ActivateTask, Task: &task},
		{Header: h, Type: x1.ModifyTask, Task: &task},
		{Header: h, Type: x1.DeactivateTask, XID: testXID},
		{Header: h, Type: x1.GetTaskDetails, XID: testXID},
		{Header: h, Type: x1.ListAllDetails},
		{Header: h, Type: x1.CreateDestination, Destination: &dest},
		{Header: h, Type: x1.ModifyDestination, Destination: &v4},
		{Header: h, Type: x1.RemoveDestination, DID: testDID},
		{Header: h, Type: x1.GetDestinationDetails, DID: testDID},
		{Header: h, Type: x1.Ping},
		{Header: h, Type: x1.Keepalive},
	}
}

// everyResponse returns one response message of every kind.
func everyResponse() []x1.ResponseMessage {
	h := testHeader()
	var out []x1.ResponseMessage
	for _, t := range []x1.MessageType{x1.ActivateTask, x1.ModifyTask, x1.DeactivateTask, x1.CreateDestination, x1.ModifyDestination, x1.RemoveDestination, x1.Ping, x1.Keepalive} {
		out = append(out, x1.ResponseMessage{Header: h, Type: t, OK: x1.AcknowledgedAndCompleted})
	}
	return append(out,
		x1.ResponseMessage{Header: h, Type: x1.GetTaskDetails, Task: &x1.TaskResponseDetails{
			Task: testTask(), Status: x1.TaskStatus{Provisioning: x1.ProvisioningComplete}}},
		x1.ResponseMessage{Header: h, Type: x1.GetTaskDetails, Task: &x1.TaskResponseDetails{
			Task: testTask(), Status: x1.TaskStatus{Provisioning: x1.ProvisioningFailed,
				Faults: []x1.ErrorInformation{{Code: 3000, Description: "capture down"}}}}},
		x1.ResponseMessage{Header: h, Type: x1.GetDestinationDetails, Destination: &x1.DestinationResponseDetails{
			Destination: testDestination(), Status: x1.DestinationStatus{Delivery: x1.ActiveAndWorking}}},
		x1.ResponseMessage{Header: h, Type: x1.ListAllDetails, XIDs: []x1.UUID{testXID}, DIDs: []x1.UUID{testDID}},
		x1.ResponseMessage{Header: h, Type: x1.ListAllDetails},
		x1.ResponseMessage{Header: h, Type: x1.DeactivateTask, Error: &x1.ErrorInformation{Code: int(x1.XIDDoesNotExist), Description: "XID does not exist"}},
		x1.ResponseMessage{Header: h, Type: "GetNEStatus", Error: &x1.ErrorInformation{Code: int(x1.UnsupportedRequest), Description: "unsupported request"}},
	)
}
