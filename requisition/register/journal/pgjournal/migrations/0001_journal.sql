-- ccjkit journal on PostgreSQL, schema version 1.
--
-- One row per record. frame holds the record exactly as the file journal
-- writes it (magic, length, body, SHA-256): ciphertext payloads, hashes and
-- signatures only. seq, prev and hash repeat what the frame says so that
-- the database itself can enforce the chain; the CHECK below makes them
-- agree with the frame byte for byte.
CREATE TABLE ccjkit_journal_records (
    seq      bigint NOT NULL CHECK (seq >= 0),
    prev     bytea  NOT NULL CHECK (octet_length(prev) = 32),
    hash     bytea  NOT NULL CHECK (octet_length(hash) = 32),
    frame    bytea  NOT NULL,
    -- The record this one follows (none for the header).
    prev_seq bigint GENERATED ALWAYS AS (CASE WHEN seq = 0 THEN NULL ELSE seq - 1 END) STORED,
    CONSTRAINT ccjkit_journal_records_pkey PRIMARY KEY (seq),
    -- No fork: two records never follow the same one.
    CONSTRAINT ccjkit_journal_one_successor UNIQUE (prev),
    CONSTRAINT ccjkit_journal_seq_hash UNIQUE (seq, hash),
    -- No gap, no splice: a record follows the record numbered before it,
    -- by that record's hash.
    CONSTRAINT ccjkit_journal_follows FOREIGN KEY (prev_seq, prev)
        REFERENCES ccjkit_journal_records (seq, hash),
    CONSTRAINT ccjkit_journal_header CHECK (seq > 0 OR prev = decode(repeat('00', 32), 'hex')),
    -- The columns are the frame's: seq at bytes 9-16, prev at 25-56, the
    -- hash last, and the hash is the SHA-256 of the body.
    CONSTRAINT ccjkit_journal_frame CHECK (
        octet_length(frame) >= 8 + 54 + 32
        AND substring(frame FROM 9 FOR 8) = int8send(seq)
        AND substring(frame FROM 25 FOR 32) = prev
        AND substring(frame FROM octet_length(frame) - 31) = hash
        AND sha256(substring(frame FROM 9 FOR octet_length(frame) - 40)) = hash)
);

COMMENT ON TABLE ccjkit_journal_records IS
    'ccjkit journal: append-only, hash-chained records (frames as the file journal writes them: ciphertext and hashes only). UPDATE, DELETE and TRUNCATE are refused by triggers.';

-- History is never rewritten, whoever asks: the application role has no
-- UPDATE or DELETE privilege, and these triggers refuse them to the
-- table's owner too (a superuser can still disable triggers; Verify then
-- names the first record changed).
CREATE FUNCTION ccjkit_journal_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ccjkit journal: % on % refused: the journal is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'CJ001',
              HINT = 'records are never changed or removed; see docs/recovery.md';
END
$$;

CREATE TRIGGER ccjkit_journal_no_update_delete
    BEFORE UPDATE OR DELETE ON ccjkit_journal_records
    FOR EACH ROW EXECUTE FUNCTION ccjkit_journal_refuse();

CREATE TRIGGER ccjkit_journal_no_truncate
    BEFORE TRUNCATE ON ccjkit_journal_records
    FOR EACH STATEMENT EXECUTE FUNCTION ccjkit_journal_refuse();
