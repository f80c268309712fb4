package capture

import "errors"

// Sentinel errors of live capture, for errors.Is; ErrFormat (File),
// ErrFilterTooLarge and ErrPrefix (Filter) are beside what returns them.
// Elsewhere than on Linux, Live's methods return errors wrapping
// errors.ErrUnsupported instead.
var (
	// ErrConfig: a LiveConfig that cannot be used (no Interface).
	ErrConfig = errors.New("capture: invalid configuration")
	// ErrSocket: the AF_PACKET socket could not be opened, given its
	// kernel filter, or read; the error wraps the system's too.
	ErrSocket = errors.New("capture: AF_PACKET socket failed")
)
