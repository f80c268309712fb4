package itest

import (
	"encoding/binary"
	"os"
	"testing"
)

// WriteTCPPcap writes each payload as one TCP segment from 127.0.0.1:40000 to
// 127.0.0.1:port, in a classic pcap file of raw IPv4 (LINKTYPE_RAW, 101),
// so that a dissector that does not reassemble (tshark's 5gli) finds each
// PDU whole.
func WriteTCPPcap(t *testing.T, path string, port uint16, payloads [][]byte) {
	t.Helper()
	be, le := binary.BigEndian, binary.LittleEndian
	var f []byte
	f = le.AppendUint32(f, 0xa1b2c3d4)
	f = le.AppendUint16(f, 2)
	f = le.AppendUint16(f, 4)
	f = le.AppendUint32(f, 0)
	f = le.AppendUint32(f, 0)
	f = le.AppendUint32(f, 262144)
	f = le.AppendUint32(f, 101)
	seq := uint32(1)
	for i, p := range payloads {
		ip := make([]byte, 20, 40+len(p))
		ip[0], ip[8], ip[9] = 0x45, 64, 6
		be.PutUint16(ip[2:], uint16(40+len(p)))
		be.PutUint16(ip[4:], uint16(i+1))
		copy(ip[12:], []byte{127, 0, 0, 1, 127, 0, 0, 1})
		var sum uint32
		for j := 0; j < 20; j += 2 {
			sum += uint32(be.Uint16(ip[j:]))
		}
		for sum > 0xffff {
			sum = sum&0xffff + sum>>16
		}
		be.PutUint16(ip[10:], ^uint16(sum))
		tcp := make([]byte, 20)
		be.PutUint16(tcp[0:], 40000)
		be.PutUint16(tcp[2:], port)
		be.PutUint32(tcp[4:], seq)
		tcp[12], tcp[13] = 5<<4, 0x18 // PSH, ACK
		be.PutUint16(tcp[14:], 65535)
		seq += uint32(len(p))
		pkt := append(append(ip, tcp...), p...)
		f = le.AppendUint32(f, uint32(1795422600+i))
		f = le.AppendUint32(f, 0)
		f = le.AppendUint32(f, uint32(len(pkt)))
		f = le.AppendUint32(f, uint32(len(pkt)))
		f = append(f, pkt...)
	}
	if err := os.WriteFile(path, f, 0o600); err != nil {
		t.Fatal(err)
	}
}
