// Package etsi writes and reads the records delivered to a law
// enforcement monitoring facility (LEMF) — in Belgium the police's
// NTSU-CTIF — in the ETSI format for packet-switched networks: TS 102 232-1
// PS-PDUs, BER-encoded, carrying TS 102 232-3 IP access payloads.
//
// # What a PS-PDU holds
//
// A header (PSHeader): the module's object identifier, the LIID, the
// country codes, the operator's and network element's identifiers, the CIN,
// the sequence number, the time (microSecondTimeStamp or GeneralizedTime,
// as the receiver's profile says) and what the time measures. Then one
// payload:
//
//   - cCPayloadSequence: content of communication; here IPCC, an
//     intercepted IP packet and its direction (on HI3);
//   - iRIPayloadSequence: intercept-related information; here IPIRI, the
//     events of the target's access sessions (on HI2);
//   - tRIPayload: keep-alive, keep-alive response, CIN reset, segment flags;
//   - hI1-Operation: the notifications that an interception was activated,
//     deactivated or modified (TS 101 671 HI1NotificationOperations).
//
// # Encoding
//
// Encoder takes an intercept.Profile (for Belgium, intercept.Belgium) and
// implements intercept.Encoder. Its StreamEncoders encode once what every
// record of a stream shares — the header up to the communication identifier,
// the payload's object identifier — and then write each record's sequence
// number, time and packet around it: encoding a CC record into a buffer with
// room allocates nothing. Append and Marshal encode any PDU from its fields.
// Lengths are definite and minimal, integers minimal (X.690 BER). It is not
// DER: GeneralizedTime keeps trailing zeros in its fraction, so that every
// timestamp has the same length.
//
// The bytes are those OpenLI writes for the same input: the tests compare
// our keep-alive and IPCC records with libwandder's output byte for byte,
// and have libtasn1 (asn1Decoding) decode every kind of PDU from an ASN.1
// definition written from the ETSI modules' tags (testdata/ps-pdu-subset.asn).
//
// # Decoding
//
// Decode reads one PDU strictly — each field with the tag the ASN.1 gives
// it, in order, with its value in range, no octet left over — and returns an
// *Error with the field's path and offset otherwise. It reads what this
// package writes, which covers what OpenLI's IP access encoders send
// (including its long-form lengths with a leading zero octet and its
// /32 subnet masks), and reports other valid fields as ErrUnsupported.
// Framer splits a TCP stream into PDUs, with a size limit (it allocates a
// PDU's buffer from the length in its header, so keep the limit modest). Neither panics on
// any input (fuzzed).
//
// # Choices the Belgian receiver has not published
//
// The module versions (li-psDomainId 0.4.0.2.2.5.1.<v>, IPAccessPDU 5.3.<v>),
// the timestamp form, the identifiers and the keep-alive contents are the
// profile's; intercept.Belgium makes the caller supply them. docs/intercept.md
// lists the questions to ask the NTSU-CTIF.
//
// Not supported: integrity checks and payload encryption (TS 102 232-1
// Annex G), which a Belgian order delivered "in clear" does not call for;
// IRI and CC of other services (e-mail, multimedia, mobile).
package etsi
