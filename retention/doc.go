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
// constant in code: a [Policy] gives each [Class] of data its [Period],
// the law's ([Law2022Identification]: 12 months [S]) or the operator's own
// ([OperatorPeriod], [U], which [Policy.Findings] reports as a warning —
// the period of CGNAT port mappings is one, no Belgian text requiring
// ports having been found).
//
// # The store
//
// A [Store] keeps records in periods: a period is a Brussels day and a
// class, and a record belongs to the day of its last second (of its
// report, while it lasts). Each period's data are sealed under keys of
// their own (AES-256-GCM), drawn at random and kept in a key directory
// apart from the data ([Config.KeyDir]), each wrapped with age to the
// cell's keyring ([register.Keyring]: the register's readers). When a
// period ends ([Period.End]), [Store.Purge] destroys its keys first — from
// then on nothing of it can be read, from the store or from any backup of
// the data, since the backups hold no key — then removes its files, and
// records the destruction in the store's events journal (the period and
// the count of records, never content).
//
// Ingest ([Store.IngestAssignments], [Store.IngestMappings]) returns only
// once its records are written and synced: each period has a write-ahead
// log, a journal of package journal (append-only, hash-chained, each
// write synced before it is acknowledged), whose records are sealed
// blocks of records. A crash can only leave the last write incomplete;
// the next [Open] moves those bytes to a quarantine file beside the log
// (sealed under the period's key like the rest, and destroyed with it)
// and records the repair; nothing else is ever cut. A store writes under
// keys it draws itself and needs only the keyring's public keys: a
// program that ingests holds no key that opens what was written before.
// Reading — lookups, compaction, verifying the records themselves —
// needs an [Opener], a member's identity.
//
// A log's blocks are encoded and sealed as a segment's (below), of up
// to 4,096 records each, and compressed with DEFLATE's Huffman coding
// alone — the cheapest to write, some 15% larger than a segment's.
// Ingest's time goes mostly to the evidence, each record's Merkle leaf
// and its share of the tree's nodes (two SHA-256, about 0.3 µs), then to
// the compression; each batch is sorted by radix on packed keys, in
// memory the Store keeps from call to call (BenchmarkIngest: some 0.7 µs
// of CPU a CGNAT mapping, 1.1 to 1.4 million a second a core, in batches
// of 10,000 each synced). What the Store keeps — rows, sort keys, the
// Merkle leaves, the encoding and compression buffers — is zeroed when
// each call ends, failed or not, and so are the row and key arrays it
// outgrows; the encoding and compression buffers grow by append within a
// call (the first calls, a larger period), and the arrays they outgrow go
// to the collector unzeroed. Holds' logs keep DEFLATE's fastest level.
//
// [Store.Compact] rewrites each past day's logs as one immutable segment:
// the records sorted by address, port and start, in blocks of up to 256,
// each block encoded column by column with deltas, compressed (DEFLATE)
// and sealed; the segment's sealed index gives each block's key range,
// time range and Merkle root. A lookup opens the one or two blocks whose
// range holds the address, in the periods whose time range holds the
// instant. [Store.Verify] checks every byte: chains, a clear table of
// the blocks' hashes (a changed byte is named by file and block with no
// key), and with an [Opener] every block's authentication, records and
// Merkle root.
//
// # Lookups from memory
//
// While it is open with an [Opener], a Store keeps in its own memory
// what makes a lookup take microseconds instead of a disk read, a
// decryption and a decompression: the keys it unwrapped, its files open
// with their segments' indexes, and the decoded records of the blocks
// lookups read last — packed without pointers, with the Merkle trees of
// the proofs given from them — up to [Config.CacheBytes]
// ([DefaultCacheBytes], 64 MiB, when zero; none when negative), the
// least recently used dropped first. A block is cached only as read from
// the disk and authenticated; within a block, the records of the address
// are found by binary search. What is cached of a period is zeroed and
// dropped when [Store.Purge] destroys it (before its keys), when
// compaction replaces its files, when its retention ends (at the next
// lookup) or its hold is lifted, and at [Store.Close]; a file found
// altered or replaced by [Store.Verify], which always reads the disk, is
// read from the disk again (cache.go, docs/security.md).
//
// # Why a purpose-built format
//
// The well-kept embedded engines at hand — go.etcd.io/bbolt v1.5.0,
// github.com/cockroachdb/pebble/v2 v2.1.7, modernc.org/sqlite v1.62.0 —
// were weighed and not chosen:
//
//   - Crypto-shredding needs each period's data sealed under its own key,
//     indexes included (an index of addresses in clear is the data). None
//     of the three encrypts; sealing values ourselves leaves keys (the
//     addresses) in clear, and sealing keys breaks their range scans.
//   - A deleted bbolt bucket or SQLite row leaves its bytes in free pages
//     and in every backup; only a destroyed key makes them unreadable,
//     and then a whole file per period is the natural unit — which the
//     engines do not give (one file holds everything).
//   - ≤ 32 bytes per CGNAT mapping on disk: a B-tree row with its index
//     entry, or an SQLite row, costs more than that before any encryption
//     (a nonce and a tag alone are 28 bytes a value). Sorted blocks with
//     deltas and compression, sealed as a whole, cost a fraction of it,
//     and a Merkle root per block (32 bytes for up to 256 records) is
//     the evidence a mapping's record cannot afford one by one.
//   - Pebble compresses blocks and could be given an encrypting file
//     system, but brings a large dependency and its own compaction,
//     which would copy sealed data between periods.
//
// The data are immutable once a day is over, written once, read by key
// and time, and destroyed a whole period at a time: the segment format is
// small (segment.go), its durability is the register's journal's, and
// its integrity is checked end to end.
//
// # Other stores
//
// [Backend] is what a cell's programs need of a retention store: the
// [Store] is one, and package retention/pgretention keeps the same
// records on PostgreSQL. Both pass the conformance suite of package
// retention/retentiontest, and share what decides: [FileAssignments]
// and [FileMappings] (the checks, and the period of each record),
// [Authorize] and [RecordLookup] (need-to-know, and the register's record
// of each lookup), [CheckHold], [ToleranceOf], and [KeyDir] (per-period
// keys kept apart from the data, destroyed when the period ends).
//
// # Evidence
//
// A block's Merkle root covers its records' canonical encodings
// ([LeafOfAssignment], [LeafOfMapping]); an answer gives each record with
// its block's root and inclusion [Proof] ([VerifyProof]). Assignments keep
// the SHA-256 of their source record ([Evidence.Hash]); mappings, too
// many for 32 bytes each, are proved by their block's root instead.
package retention
