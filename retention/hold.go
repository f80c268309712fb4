package retention

// HoldID identifies a preservation hold: "hold-" and 16 hex digits.
type HoldID string

// holdState is what the store knows of a hold.
type holdState struct {
	placed Event
	lifted bool
}

// apply updates the store's state with an event, read back or written.
func (s *Store) apply(e Event) error {
	switch e.Kind {
	case EventHoldPlaced:
		s.holds[e.Hold] = &holdState{placed: e}
	case EventHoldLifted:
		if h := s.holds[e.Hold]; h != nil {
			h.lifted = true
		}
	}
	return nil
}
