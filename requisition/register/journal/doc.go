// Package journal is the store under ccjkit's register: an append-only
// log of numbered records, each committing to the hash of the one before
// and signed by the identity that wrote it. It knows nothing of cases,
// sealing or members — its records' payloads are opaque bytes (in a
// register, ciphertext) — so that any other sealed log (the retention
// store's, an intake's) can use it too.
//
// # Records and the chain
//
// A [Journal] is an append-only file of numbered records, each committing
// to the hash of the one before (SHA-256) and, in the current format,
// signed (ed25519), so that a changed, dropped, reordered or spliced
// record is detected by [Verify], which names the first bad one.
// [Journal.Append] returns only once the record is durable (written in one
// write and fdatasync'ed); concurrent appends share one sync (group
// commit).
//
// Several processes may write one journal: each append takes the file's
// advisory lock (flock), reads what the others appended, and writes after
// it; [Journal.Update] holds the journal while its user (a register) decides a step
// against everything written before. Readers take the shared lock and
// never change the file. A crash releases the lock with the process, so
// it never wedges the register; filesystems whose locks cannot be trusted
// between processes (NFS, SMB, FUSE, 9p) are refused ([ErrFilesystem]).
//
// Only what was provably never acknowledged is ever repaired: the bytes
// after the last whole record that can be nothing but the start of the
// next record's write (a crash mid-write) are moved to a quarantine file
// beside the journal and the repair recorded ([RepairKind]) by the next
// write — never deleted. Anything else — a whole frame that does not
// verify, a length field that disagrees with what follows, damage before
// the end — is corruption, refused and named by every operation. A
// journal is created atomically (a temporary file with its header, synced,
// renamed without replacing, the directory synced). A failed write or
// sync is never retried as if nothing happened: the append is not
// acknowledged and the journal is read back from disk before the next
// one. docs/recovery.md says what to do in each case; docs/security.md
// what each mechanism defends against.
//
// Signed checkpoints ([Sign], [Checkpoint.Check])
// let an auditor check a copy of the journal without any key that opens
// its records. Kept outside the register's directory ([Anchors], one file
// per journal on each member's machine), they make a journal cut short or
// replaced by an older copy detectable: a register opened with anchors refuses it. [Backup] copies a journal consistently.
//
// Files are created with mode 0600. Record times come from the injected
// [timesync.Clock] and are kept to the second, in UTC.
//
// # Reading a journal
//
// [Open] reads and checks the whole journal and keeps its records for the
// caller ([Journal.Initial]). [Verify] checks a journal file in constant
// memory, streaming it, and reports progress for long runs; [Scan] walks
// the records of any reader the same way, handing each to a function
// without keeping it. [ReadRecords] decodes bytes already in memory. All
// agree on the one case with no record: a file without a whole header —
// empty, or cut inside its header — is an error wrapping [ErrNoHeader]
// ([RecoverHeaderless] sets it aside).
//
// # A second store
//
// [Store] is what a register needs of a journal. [*Journal] (a file) is
// the implementation here; package pgjournal keeps the same records in a
// PostgreSQL database shared by several machines. Both pass the same
// conformance tests, those of package journaltest. A store kept in
// another package builds on [NewTx], [Seal], [SealHeader] and
// [ReadFrames], so that its records are the file journal's frames byte
// for byte: [Scan] reads them concatenated, and checkpoints
// ([SignHash]) are interchangeable.
package journal
