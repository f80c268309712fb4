package retention

import "errors"

// The errors of the store, for errors.Is. No error of this package quotes
// an address, a subscriber reference or anything of a case: they name the
// field, the period or the file.
var (
	// ErrConfig: the store was given an incomplete or unsafe
	// configuration (no clock, no keyring, keys inside the data).
	ErrConfig = errors.New("retention: incomplete or unsafe configuration")
	// ErrInput: records that cannot be stored as given; the error is a
	// [*provenance.Problems] naming each field at fault.
	ErrInput = errors.New("retention: invalid record")
	// ErrExpired: a record whose retention period is already over: it is
	// not stored.
	ErrExpired = errors.New("retention: the record's retention period is over")
	// ErrIO: reading, writing or syncing failed. An ingest that fails so
	// was not acknowledged.
	ErrIO = errors.New("retention: I/O failed")
	// ErrNoKey: the key that opens data is not available: destroyed, or
	// the store was opened without an identity that unwraps it.
	ErrNoKey = errors.New("retention: no key opens the data")
	// ErrTampered: the store's files are not what was written: a changed
	// byte, a block moved, a file cut. Verify names each place.
	ErrTampered = errors.New("retention: the store's files were altered")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("retention: closed")
	// ErrLocked: another process holds the store.
	ErrLocked = errors.New("retention: the store is open in another process")
	// ErrNotAuthorised: a lookup outside what its work order allows
	// (another address, another time, a work order unknown, answered or
	// of a case no longer in progress). Nothing is answered.
	ErrNotAuthorised = errors.New("retention: the work order does not allow this lookup")
	// ErrForeignRegister: a lookup under a register other than the one
	// the store is pinned to ([Config.Register]). It wraps
	// [ErrNotAuthorised]'s refusal: nothing is answered.
	ErrForeignRegister = errors.New("retention: not the register this store answers")
	// ErrTargetTooWide: a lookup under a work order whose prefix target
	// is wider than [MinTargetBits4] or [MinTargetBits6] allow. It comes
	// with [ErrNotAuthorised]: nothing is answered.
	ErrTargetTooWide = errors.New("retention: the work order's target is wider than a lookup may cover")
	// ErrHold: a preservation hold that cannot be placed or lifted as
	// asked.
	ErrHold = errors.New("retention: invalid preservation hold")
)
