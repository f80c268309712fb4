// Package static reads an ISP's static assignments — the contracts that
// give a subscriber a fixed address or prefix — from a CSV file into
// retention.Assignment values.
//
// # The file
//
// The first line is the header, exactly
//
//	subscriber,prefix,from,until
//
// and every other line is one contract (RFC 4180 CSV: commas, fields in
// double quotes when they must be, CRLF or LF line ends):
//
//	C-000042,198.51.100.7,2026-01-01,
//	C-000043,2001:db8:4200::/48,2026-03-01T09:30:00+01:00,2026-09-30
//
// The fields:
//
//   - subscriber is the ISP's opaque customer reference
//     (retention.ValidSubscriber), never a name;
//   - prefix is an address (a /32 or /128) or a prefix with no bits set
//     past its length, IPv4 no wider than /16 and IPv6 no wider than /32
//     (ccjkit's rule: a static contract never covers more, and a typing
//     error such as /3 for /30 would attribute a whole network to one
//     subscriber);
//   - from is the first instant of the contract: an RFC 3339 time to the
//     second with the offset Brussels clocks showed then (+01:00 in
//     winter, +02:00 in summer), or a day YYYY-MM-DD, which starts at
//     00:00 Brussels time (timesync.DayStart);
//   - until is the end, excluded, written the same way — except that a
//     day names the contract's last day, included: the contract ends at
//     the next midnight (timesync.DayEnd); empty while the contract runs.
//
// # Strictness and secrecy
//
// Parse reads the whole file and reports every problem at once in one
// *provenance.Problems (What "static: contracts"), each finding naming
// the line and the column and wrapping ErrInput; it quotes nothing of the
// file, since subscriber references and addresses are secrets. Besides
// each field's form it refuses a contract that ends before it starts,
// and two contracts whose prefixes overlap (one holds the other) during
// an overlapping time: the answer to "who had this address" must be one
// contract.
//
// The evidence of each assignment is the SHA-256 of its line's bytes as
// read (its line end excluded), with the caller's name for the system
// the file came from as the device.
package static
