// Package retentiontest is the conformance suite every retention store
// passes: the embedded [retention.Store] and the PostgreSQL store of
// package retention/pgretention run the same checks, written once, so
// that a cell may move from one to the other and keep every promise of
// package retention.
//
// [Run] opens a fresh, empty store for each check with the [Setup] it
// draws — a fake clock the check moves, a member's identity and the
// keyring it opens, a register founded for the check and the store pinned
// to it, a retention policy, a logger — and runs, as subtests named by
// [Checks]:
//
//   - ingest: a batch with one bad record stores none of it ([retention.ErrInput]),
//     a record past its period is refused ([retention.ErrExpired]);
//   - edges: lookups under a work order at the edges of intervals and port
//     ranges — the first second, the last, the excluded end within and
//     beyond the clocks' tolerance, the first and last port of a block, no
//     port, IPv6 prefixes, an unbounded clock, a lasting session — answer
//     the same candidates, exactness, ambiguities and gaps, with every
//     record given back as ingested and evidence that verifies;
//   - superseded: a session reported lasting and then ended answers as ended;
//   - need-to-know: a caller who looks past the work order (another address,
//     port, no port, second, an inside address, a made-up order, no
//     register, another register, a target too wide, an answered order) is
//     refused with [retention.ErrNotAuthorised] and nothing is recorded; the
//     lookup allowed is recorded with its count;
//   - purge: a purge destroys exactly the periods whose end has come, each
//     with its count of records; a lookup about a destroyed period — or an
//     ended one not yet purged — says [retention.PeriodOver], never an empty
//     "nothing found"; the periods in force still answer;
//   - holds: a hold keeps what it matches (the whole chain) past its period,
//     for its own case only, until it is lifted by its case; the next purge
//     destroys it;
//   - holds-by-subscriber: a hold on a subscriber keeps their sessions
//     and the mappings from their inside address, nothing of anyone else;
//   - verify: a store just written verifies, opened with the identity;
//   - closed: every method of a closed store fails with [retention.ErrClosed];
//
// and in every check, no log line quotes an address, a subscriber
// reference or a case.
//
// The suite drives a store only through [retention.Backend] and the
// register: what it checks is what a cell sees.
package retentiontest
