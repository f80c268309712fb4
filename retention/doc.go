// Package retention keeps who had which address when, for exactly as long
// as the law says, answers "who was behind this address (and port) at
// this second" under need-to-know, and destroys the data when its time is
// up.
//
// The request a small ISP's cell receives most is an identification (Code
// d'instruction criminelle art. 46bis): "who had 198.51.100.7 port 40312 at
// 2026-10-29 21:47:03". The answer is a chain: a public address and port
// at a second, through a NAT [Mapping] when the address is shared, to an
// inside address, to the [Assignment] that gave it to a [Subscriber] — the
// ISP's own opaque customer reference, never a name.
//
// Every period and duty is data with its source and certainty, never a
// constant in code.
package retention
