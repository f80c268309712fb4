package pgretention_test

import (
	"errors"
	"fmt"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/pgretention"
)

// A configuration is checked before anything connects: every problem at
// once, each naming its field — never quoting the connection string,
// which may hold a password. Here the key directory, the clock and the
// keyring are missing, and the period of the mappings is the operator's
// own (a warning: no Belgian text sets it).
func ExampleConfig_Validate() {
	cfg := pgretention.Config{
		DSN: "postgres://retention:s3cret@db.cell.example/retention?sslmode=verify-full",
		Policy: retention.Policy{Assignments: retention.Law2022Identification(),
			Mappings: retention.OperatorPeriod(6, "retention policy of 2026-01-15")},
	}
	err := cfg.Validate()
	fmt.Println(errors.Is(err, retention.ErrConfig))
	var p *provenance.Problems
	if errors.As(err, &p) {
		for _, f := range p.Findings {
			fmt.Println(f.Severity, f.Field)
		}
	}
	// Output:
	// true
	// error key_dir
	// error clock
	// error keyring
	// info assignments
	// warning mappings
}
