package etsi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/internal/testenv"
)

// asn1Decode runs libtasn1's asn1Decoding over b with the definitions in
// testdata/ps-pdu-subset.asn and returns every decoded value by its path
// ("pSHeader.sequenceNumber"; the items of a SEQUENCE OF are "?1", "?2").
func asn1Decode(t *testing.T, b []byte) map[string]string {
	t.Helper()
	prog := testenv.LookPath(t, "asn1Decoding", "libtasn1-bin")
	file := filepath.Join(t.TempDir(), "pdu.ber")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(prog, "testdata/ps-pdu-subset.asn", file, "LI-PS-PDU-Subset.PS-PDU").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Decoding: SUCCESS") {
		t.Fatalf("asn1Decoding: %v\n%s", err, out)
	}
	values := map[string]string{}
	var stack []string
	for _, line := range strings.Split(string(out), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if !strings.HasPrefix(trimmed, "name:") {
			continue
		}
		depth := (len(line) - len(trimmed)) / 2
		fields := strings.Fields(trimmed)
		name := strings.TrimPrefix(fields[0], "name:")
		stack = append(stack[:min(depth, len(stack))], name)
		if i := strings.Index(trimmed, "value:"); i >= 0 && depth > 0 {
			v := strings.TrimSuffix(trimmed[i+len("value:"):], "Parse: done.")
			values[strings.Join(stack[1:], ".")] = v
		} else if len(fields) > 1 && strings.HasPrefix(fields[1], "type:NULL") && depth > 0 {
			values[strings.Join(stack[1:], ".")] = "" // a NULL has no value to show
		}
	}
	return values
}

// An independent BER decoder, driven by an ASN.1 definition written from
// the ETSI modules' tags, reads every kind of PDU we write and finds the
// values we put in.
func TestLibtasn1ReadsOurPDUs(t *testing.T) {
	seeds := seedPDUs(t)
	header := func(seq, cin, qual string) map[string]string {
		return map[string]string{
			"pSHeader.li-psDomainId":                                                      "0.4.0.2.2.5.1.17",
			"pSHeader.lawfulInterceptionIdentifier":                                       "42452d323032362d30303432", // BE-2026-0042
			"pSHeader.authorizationCountryCode":                                           "BE",
			"pSHeader.communicationIdentifier.networkIdentifier.operatorIdentifier":       "4e45555452494e4554", // NEUTRINET
			"pSHeader.communicationIdentifier.networkIdentifier.networkElementIdentifier": "76706e2d31",         // vpn-1
			"pSHeader.communicationIdentifier.communicationIdentityNumber":                cin,
			"pSHeader.communicationIdentifier.deliveryCountryCode":                        "BE",
			"pSHeader.sequenceNumber":                                                     seq,
			"pSHeader.microSecondTimeStamp.seconds":                                       "0x6b040ea0", // 2026-11-23T10:00:00Z
			"pSHeader.microSecondTimeStamp.microSeconds":                                  "0x7b",       // 123 µs
			"pSHeader.timeStampQualifier":                                                 qual,
		}
	}
	merge := func(a, b map[string]string) map[string]string {
		for k, v := range b {
			a[k] = v
		}
		return a
	}
	packet := strings.Repeat("45", 200)
	const iri = "payload.iRIPayloadSequence.?1."
	const ipiri = iri + "iRIContents.iPIRI.iPIRIContents."
	keepAlive := header("0x05", "0x00", "0x02")
	keepAlive["pSHeader.lawfulInterceptionIdentifier"] = "63636a6b6974" // ccjkit
	tests := []struct {
		name string
		pdu  []byte
		want map[string]string
	}{
		{"IPCC", seeds[0], merge(header("0x01", "0x03", "0x01"), map[string]string{
			"payload.cCPayloadSequence.?1.payloadDirection":                       "0x01",
			"payload.cCPayloadSequence.?1.cCContents.iPCC.iPCCObjId":              "05030a02",
			"payload.cCPayloadSequence.?1.cCContents.iPCC.iPCCContents.iPPackets": packet,
		})},
		{"IPIRI", seeds[1], merge(header("0x02", "0x03", "0x01"), map[string]string{
			iri + "iRIType":                                        "0x02",
			iri + "iRIContents.iPIRI.iPIRIObjId":                   "05030a01",
			ipiri + "accessEventType":                              "0x08",
			ipiri + "targetUsername":                               "6d656d626572",
			ipiri + "internetAccessType":                           "0x06",
			ipiri + "iPVersion":                                    "0x03",
			ipiri + "targetIPAddress.iP-type":                      "0x00",
			ipiri + "targetIPAddress.iP-value.iPBinaryAddress":     "c0000201",
			ipiri + "targetIPAddress.iP-assignment":                "0x01",
			ipiri + "startTime":                                    "20261123090000.000123Z",
			ipiri + "endTime":                                      "20261123100000.000123Z",
			ipiri + "endReason":                                    "0x01",
			ipiri + "octetsReceived":                               "0x010000000000",
			ipiri + "octetsTransmitted":                            "0x010000000000",
			ipiri + "additionalIPAddress.iP-type":                  "0x01",
			ipiri + "additionalIPAddress.iP-value.iPBinaryAddress": "20010db8000000000000000000000000",
			ipiri + "additionalIPAddress.iP-assignment":            "0x01",
			ipiri + "additionalIPAddress.iPv6PrefixLength":         "0x38",
		})},
		{"keep-alive", seeds[2], merge(keepAlive, map[string]string{"payload.tRIPayload.keep-alive": ""})},
		{"CIN reset", seeds[3], merge(header("0x00", "0x03", "0x02"), map[string]string{"payload.tRIPayload.cINReset": ""})},
		{"HI1 liActivated", seeds[4], merge(header("0x00", "0x00", "0x02"), map[string]string{
			"payload.hI1-Operation.liActivated.domainID":                                                       "0.4.0.2.2.0.1.6",
			"payload.hI1-Operation.liActivated.lawfulInterceptionIdentifier":                                   "42452d323032362d30303432",
			"payload.hI1-Operation.liActivated.communicationIdentifier.network-Identifier.operator-Identifier": "4e544e4554",
			"payload.hI1-Operation.liActivated.timeStamp.utcTime":                                              "261123100000Z",
		})},
	}
	generalized := merge(header("0x05", "0x00", "0x02"), map[string]string{
		"pSHeader.lawfulInterceptionIdentifier": "63636a6b6974",
		"pSHeader.timeStamp":                    "20261123100000.000123Z",
		"payload.tRIPayload.keep-aliveResponse": "",
	})
	delete(generalized, "pSHeader.microSecondTimeStamp.seconds")
	delete(generalized, "pSHeader.microSecondTimeStamp.microSeconds")
	tests = append(tests, struct {
		name string
		pdu  []byte
		want map[string]string
	}{"keep-alive response, GeneralizedTime", seeds[5], generalized})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := asn1Decode(t, tt.pdu)
			for k := range got {
				if strings.Contains(k, "NULL.") { // libtasn1 prints the SEQUENCE OF template without values
					delete(got, k)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("asn1Decoding's values (-want +got):\n%s", diff)
			}
		})
	}
}
