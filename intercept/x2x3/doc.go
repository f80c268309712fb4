// Package x2x3 writes and reads ETSI TS 103 221-2 X2 and X3 PDUs: the
// binary format a capture node uses to hand intercepted records to a
// delivery (mediation) node, X2 for intercept-related information and X3 for
// content. ccjkit can run capture and delivery in one process, in which case
// X2/X3 is not needed; it is here so that a capture node can sit on another
// machine — next to a router, on a VPN concentrator — and so that ccjkit can
// take records from equipment that speaks X2/X3.
//
// A PDU is a 40-octet header in network byte order (version, PDU type,
// header and payload lengths, payload format, payload direction, the task's
// XID, a correlation ID), conditional attributes as type-length-value
// triples (here above all the sequence number and the timestamp), and the
// payload. Keep-alives and their acknowledgements are headers with a
// sequence number and no payload.
//
// Encoder implements intercept.Encoder: a task's ID is its XID, a record's
// CIN its correlation ID; CC records become X3 PDUs carrying the IP packet,
// IRI records X2 PDUs carrying the TS 102 232-1 PS-PDU of package
// intercept/etsi. Encoding an X3 PDU into a buffer with room allocates
// nothing. Decode reads a PDU strictly, with the field and offset of any
// fault; Framer splits a stream into PDUs under a size limit.
//
// The tests have Wireshark's dissector (tshark's "5gli" protocol in Debian
// 12) read our PDUs and compare every header field, the sequence number,
// the timestamp and the payload with what we encoded.
//
// The version field is 5, as OpenLI and sipgate's li-lib-x1x2x3 send it;
// the TLS connection and certificates of X2/X3 are the pipeline's concern.
package x2x3
