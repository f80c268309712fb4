// Package pgjournal keeps a journal — the register's append-only,
// numbered, hash-chained, signed log — in a PostgreSQL database, so that
// the members of a cell working from several machines append to one
// chain, and the database's own replication and backups keep it. It
// implements [journal.Store] and passes the conformance tests of package
// journaltest, as the file journal does.
//
// # What the server sees
//
// Records are framed, chained and signed on the client exactly as the file
// journal writes them ([journal.Seal]): a row holds a record's frame —
// its kind, its payload (in a register, ciphertext sealed to the members),
// its signature and hash — and repeats the number, the previous hash and
// the hash in columns so that the database can enforce the chain. No key
// that opens a record ever reaches the server: its administrator, a
// pg_dump or a stolen replica read ciphertext and hashes only. The rows'
// frames, concatenated in order, are a journal file: [journal.Scan] reads
// them, and checkpoints are interchangeable between the two stores.
//
// # Schema, roles and migrations
//
// The schema ([Migrations], applied by [Migrate]) is one table,
// ccjkit_journal_records (seq primary key, prev, hash, frame), and a
// version table, ccjkit_journal_schema. Its constraints make the chain
// the database's own invariant, whoever writes: seq is unique (no two
// records numbered alike), prev is unique (no fork: two records never
// follow the same one), a foreign key ties (seq-1, prev) to the record
// before's (seq, hash) (no gap, no splice), and a CHECK makes the columns
// agree with the frame byte for byte, the hash being the SHA-256 of the
// frame's body. Triggers refuse UPDATE, DELETE and TRUNCATE on the table
// to everyone, its owner included (SQLSTATE CJ001, [ErrAppendOnly]), so
// that not even a bug can rewrite history. The desks connect as an
// application role granted SELECT and INSERT on the records and SELECT on
// the version table — nothing else ([MigrateOptions.AppRole]); the schema
// belongs to another role, which runs the migrations.
//
// There is no head row: locking one with SELECT ... FOR UPDATE would need
// the UPDATE privilege the application role must not have. The head is
// the record with the highest seq, read through the primary key's index.
//
// Migrations are SQL files embedded in the package and a version table
// rather than a migration tool (goose): each step runs in one
// transaction together with its version row, under an advisory lock, so
// that two desks migrating at once apply it once and a failed step leaves
// nothing; that is all one append-only table needs, and no program that
// embeds ccjkit gains a dependency. A store refuses a database whose
// schema is older or newer than the code ([SchemaError]: run migrate, or
// upgrade ccjkit).
//
// # One chain from many writers
//
// A write is one transaction, under READ COMMITTED (the default):
//
//	BEGIN;
//	SELECT pg_advisory_xact_lock(k);               -- k: the journal's lock
//	SELECT frame FROM ... WHERE seq >= next ORDER BY seq; -- others' records
//	INSERT ... (the records staged, numbered and chained after them);
//	COMMIT;
//
// It is correct because: the advisory lock is held until the transaction
// ends, so writers take turns; a writer that waited for it gets it only
// once the previous holder's transaction has ended, and PostgreSQL makes
// a commit visible before it releases the transaction's locks; under READ
// COMMITTED each statement takes a new snapshot when it begins, so the
// read — a statement after the one that took the lock, never the same one,
// whose snapshot would predate the wait — sees every record committed by
// the writers before it. Its records are numbered and chained after
// those, and no other writer can insert until it commits or rolls back.
// The constraints are the second line: a writer that skipped the lock
// (a bug, another program) could not commit a fork or a gap — the unique
// seq, the unique prev and the foreign key refuse it — it would only get
// an error. SERIALIZABLE is not needed and would only add retries.
//
// The first three statements are sent in one round trip, and the INSERT
// with the COMMIT in another. A Store whose last write found other
// writers' records under the lock reads and checks what they committed
// before it takes the lock the next time (a plain read of committed rows,
// outside the transaction), so that the signatures it checks while the
// others wait are only those of what was appended meanwhile. In one Store, concurrent [Store.Append]s
// share one transaction (group commit), as the file journal's share one
// write and sync. [Store.Update] holds the lock while the caller's
// function decides what to write against the records others appended
// ([journal.Tx.Foreign]), and writes what it staged in the same
// transaction.
//
// # Durability and faults
//
// A record is acknowledged only once COMMIT has returned, on a connection
// whose synchronous_commit is not off (the store turns it on if the
// server's is off; with a synchronous standby, the administrator's
// remote_apply or on makes an acknowledged record be on two machines).
// A write the server refused is rolled back whole: nothing of it is
// written. When the connection breaks while COMMIT is under way, the
// outcome is unknown: the store connects again, waits for the journal's
// lock — which the old session holds until the server has ended its
// transaction, committed or not — and looks for the write's first record
// by number and hash. There, the write is acknowledged once a small
// transaction committed after it has returned too — its commit waits for
// a synchronous standby as the write's did, so that a write the server
// committed alone (PostgreSQL does when a client cancels a commit waiting
// for the standby) is not acknowledged while it is on one machine; if
// that confirmation does not return within [Options.Timeout], the append
// fails with [ErrInDoubt] (a synchronous standby may be down). Absent, the
// append fails with [ErrNotCommitted]; when the server cannot be reached
// within [Options.Timeout], with [ErrInDoubt]. A write is never sent twice: an
// in-doubt write that did commit is handed over by the next Update or
// Refresh as a record of the journal.
//
// A server that keeps a dead client's session open keeps the journal's
// lock with it until it notices: set idle_in_transaction_session_timeout
// and tcp_keepalives_idle on servers whose clients cross a network.
//
// [Store.Verify] and [Verify] check the stored chain as [journal.Verify]
// checks a file — every hash, link and signature, and that each row's
// columns are its frame's — streaming the rows in order in one read-only
// snapshot, in constant memory, and name the first bad record. Errors
// wrap sentinels that say what to do: [ErrUnreachable], [ErrReadOnly] (a
// standby; writes go to the primary), [ErrSchema], [ErrJournalID],
// [ErrNoJournal], [ErrAppendOnly], and [journal.ErrIO] for every write
// not acknowledged.
package pgjournal
