package register

// Exported for the tests of package register_test.
var (
	Suppress    = suppress
	NearestRank = nearestRank
)
