// Package pgretention keeps the retention store on PostgreSQL: the same
// promises as the embedded [retention.Store] — the conformance suite of
// package retention/retentiontest runs against both — for a cell that
// runs PostgreSQL already, wants several machines to ingest and look up
// at once, and backs up and replicates with PostgreSQL's own tools.
// [Store] is a [retention.Backend].
//
// # What the database sees
//
// A lookup is a search by address (or prefix), port and instant: so that
// PostgreSQL's GiST indexes serve it, each record's address or prefix
// (inet), ports (int4range) and interval (tstzrange), and a NAT
// mapping's inside address (for the chain to the subscriber, joined in
// the same statement), are in clear. Everything else — the subscriber
// reference, the source's kind, device and evidence hash, the clock
// verdict, a mapping's inside port and protocol — is sealed, row by row,
// with AES-256-GCM under a key of the row's retention period, bound to
// its class, period and key; the keys are drawn by the client and kept
// outside the database, in a key directory ([Config.KeyDir],
// [retention.KeyDir]: each key wrapped with age to the cell's keyring),
// never in the database, its dumps or its replicas. A hold's case and
// targets are sealed to the keyring; its window is in clear. Keyed
// tokens computed by the client instead of clear addresses were weighed
// and not chosen: docs/security.md, "Retention on PostgreSQL", says what
// a database administrator, a dump or a stolen replica learns, and why.
//
// # Periods as partitions
//
// Each class of records has a table (retention_assignments,
// retention_mappings), partitioned by list on the period: one partition
// per Brussels day (retention_mappings_p20261029) and one per
// preservation hold (retention_mappings_hold_…), created at the first
// ingest into it. [Store.Purge] destroys a period whose end has come as
// the embedded store does — what holds in force match copied first,
// sealed under the hold's key, into the hold's partition; then the
// period's keys destroyed (from then on its rows open nowhere: not in
// the database, not in a dump taken before, not on a replica); then the
// partition dropped and the destruction recorded in retention_events, in
// one transaction. Dropping a partition is a catalogue change, as fast
// for a day of two million mappings as for ten rows.
//
// # Lookups
//
// [Store.Lookup] enforces need-to-know as the embedded store does —
// [retention.Authorize] before anything is read, [retention.RecordLookup]
// before the answer is returned — and answers from one prepared
// statement (prepared on each connection when it opens): the mappings of
// the public address and port, the assignments of the address itself,
// and those of the mappings' inside addresses, each through its
// partitions' GiST index on (address, interval, ports); the periods
// past their retention, and the holds of other cases, are pruned by the
// partition key before any index is read. Which rows are candidates, and
// how exactly, is decided once they are opened, as the clocks' error
// bounds are sealed. A lasting session's end and the gap around an
// instant no record covers are two more prepared statements, run only
// when needed. Evidence: each row is sealed and authenticated on its
// own, so each record is its own block of one — its Merkle root is its
// leaf ([retention.LeafOfAssignment], [retention.LeafOfMapping]) and its
// proof is empty; a record changed in clear by whoever can write to the
// database no longer says what its sealed form says, and the lookup
// refuses it ([retention.ErrTampered]), as [Store.Verify] names it.
//
// # Schema and migrations
//
// The schema is embedded SQL (migrations/NNNN_name.sql), applied by
// [Migrate] in order, each migration in one transaction with its row in
// retention_schema_version, under an advisory lock so that programs
// started together migrate once. A few numbered files and a version
// table are all this schema needs: a migration tool (goose) would bring
// a dependency and its own conventions for what twenty lines do here.
// [Open] refuses a database whose schema is not [SchemaVersion]
// ([ErrSchema]): it never migrates by itself.
//
// # Concurrency
//
// Several processes, on several machines, may open one database: ingest,
// lookups and holds run side by side (each ingest draws its own keys per
// period; each key seals a row with a random 96-bit nonce, and a day's
// records are far below the 2^32 one key may seal so); a purge holds an
// advisory lock, which placing a hold waits for, so that no purge
// misses a hold placed while it runs. Each ingest is one
// transaction, committed — and so durable, with PostgreSQL's default
// synchronous commit — before it returns.
package pgretention
