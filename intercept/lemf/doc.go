// Package lemf is a test receiver — a stand-in for a law enforcement
// monitoring facility (LEMF), in Belgium the NTSU-CTIF — that an operator
// runs to rehearse before connecting to the police: it accepts HI2 and HI3
// connections, reads ETSI TS 102 232-1 PS-PDUs, answers keep-alives, and
// checks each stream's sequence numbers, reporting every gap and
// duplicate. OpenLI's users rehearse with libtrace's etsilive emulator
// (OpenLI issue #108); Debian's libtrace lacks it, and this package stands
// in.
//
// A Receiver can be told to misbehave — stall, read slowly, answer
// keep-alives late or wrongly, reset its connections, send garbage — so
// that an operator sees, before it happens for real, that their handover
// loses nothing it has not counted.
//
// It is a test tool: it keeps counters, not records, and does not store
// what it receives. Its reports name LIIDs, which its operator needs,
// never targets.
package lemf
