-- The retention store on PostgreSQL, version 1 (package pgretention).
--
-- Records: one row each, in a partition per retention period (a
-- Brussels day, 'YYYY-MM-DD') or per preservation hold ('hold-…') of
-- the table of their class, so that a period is destroyed by dropping
-- its partition. What a lookup searches is in clear, as PostgreSQL's
-- own types, for its GiST indexes: the address or prefix, the ports,
-- the interval (and a mapping's inside address, for the chain). The
-- rest of the record — the subscriber reference, the source and its
-- evidence hash, the clock verdict, a mapping's inside port and
-- protocol — is in sealed: AES-256-GCM under a key of the period (kid)
-- kept outside the database, destroyed when the period ends.

CREATE TABLE retention_assignments (
	scope  text      NOT NULL,
	kid    text      NOT NULL,
	prefix inet      NOT NULL,
	ports  int4range NOT NULL, -- every port: [0,65536)
	during tstzrange NOT NULL, -- [from, until), unbounded above while it lasts
	sealed bytea     NOT NULL
) PARTITION BY LIST (scope);

CREATE INDEX retention_assignments_lookup ON retention_assignments USING gist (prefix inet_ops, during, ports);

CREATE TABLE retention_mappings (
	scope  text      NOT NULL,
	kid    text      NOT NULL,
	public inet      NOT NULL,
	ports  int4range NOT NULL,
	inside inet      NOT NULL,
	during tstzrange NOT NULL,
	sealed bytea     NOT NULL
) PARTITION BY LIST (scope);

CREATE INDEX retention_mappings_lookup ON retention_mappings USING gist (public inet_ops, during, ports);

-- Preservation holds: the window in clear (a purge must know which
-- periods a hold may need), the case and targets sealed to the keyring.
CREATE TABLE retention_holds (
	id           text        PRIMARY KEY,
	window_from  timestamptz NOT NULL,
	window_until timestamptz NOT NULL,
	sealed       bytea       NOT NULL,
	placed       timestamptz NOT NULL,
	lifted       timestamptz
);

-- What was destroyed, kept, held, placed and lifted: the period or hold
-- and the counts, never content.
CREATE TABLE retention_events (
	seq     bigserial   PRIMARY KEY,
	at      timestamptz NOT NULL,
	kind    text        NOT NULL,
	scope   text        NOT NULL,
	records int4        NOT NULL DEFAULT 0,
	keys    int4        NOT NULL DEFAULT 0,
	hold    text
);
