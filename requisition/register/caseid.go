package register

import "fmt"

// CheckCaseID returns nil when id is a case ID [Register.Receive]
// accepts — 1 to [MaxCaseID] bytes of printable ASCII, no space — and
// otherwise an error that wraps [ErrInput] and states the rule without
// quoting id. A program checks an ID its user typed with it before it
// opens the register.
func CheckCaseID(id string) error {
	if !validCaseID(id) {
		return fmt.Errorf("%w: case ID: 1 to %d printable ASCII characters, no space", ErrInput, MaxCaseID)
	}
	return nil
}
