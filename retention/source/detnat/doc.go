// Package detnat computes the mappings of a deterministic CGNAT (RFC
// 7422, "Deterministic Address Mapping to Reduce Logging in Carrier-Grade
// NAT Deployments"): the NAT gives each inside address a fixed block of
// ports on a fixed public address, so that who used a public address and
// port is computed from the configuration, and no log is kept.
//
// # The computation
//
// A configuration names the inside prefix (the subscribers' addresses,
// such as 100.64.0.0/22), the public pool (a prefix, every address of
// which is used, such as 198.51.100.0/28), the ports per subscriber B,
// and the ports the NAT shares out, FirstPort to LastPort (such as 1024
// to 65535). Each public address then carries
//
//	K = ⌊(LastPort − FirstPort + 1) ÷ B⌋
//
// blocks. Inside addresses are numbered from the prefix's first, i = 0,
// 1, 2…, and inside address i gets block j = i mod K of public address
// number ⌊i ÷ K⌋ of the pool: the ports FirstPort + j·B to FirstPort +
// (j+1)·B − 1. The first public address's blocks are filled first, then
// the second's, and so on — the sequential allocation that RFC 7422 §2
// describes and vendors implement (Juniper's deterministic NAPT computes
// the same offsets). In reverse, public address number n and port p
// (FirstPort ≤ p < FirstPort + K·B) give block j = ⌊(p − FirstPort) ÷ B⌋
// and inside address number i = n·K + j. A port below FirstPort or in the
// last, incomplete block belongs to no subscriber. Every inside address
// must get a block: the pool's addresses times K must be at least the
// inside prefix's addresses.
//
// NAT.Explain says this computation in words with the numbers of one
// lookup, for the answer to an authority; NAT.Mapping gives the
// retention.Mapping, valid while the configuration was in force.
//
// A device may compute it otherwise (interleaving the public addresses,
// skipping the network and broadcast addresses of the inside prefix, as
// some do by default): check the device's documentation, and one mapping
// seen in its state against NAT.Public, before relying on it.
//
// # The configuration file
//
// Decode reads it as JSON, strictly (unknown fields, types, every
// problem at once in one *provenance.Problems, nothing quoted):
//
//	{"device": "cgnat-1", "inside": "100.64.0.0/22", "public": "198.51.100.0/28",
//	 "ports_per_subscriber": 2000, "first_port": 1024, "last_port": 65535,
//	 "from": "2026-01-01T00:00:00+01:00"}
//
// from and until (until excluded, left out while in force) bound when the
// configuration was in force, in RFC 3339 with Brussels's offset at that
// instant. The addresses are IPv4 (RFC 7422 is about IPv4). The evidence
// of every mapping is the SHA-256 of the configuration file as read.
package detnat
