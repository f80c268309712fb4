package requisition

import (
	"github.com/ccjkit/ccjkit/timesync"
)

// Requisition is a judicial request received by the operator, as the cell
// records it. It holds the case's sensitive details (the authority's
// reference, the targets): it is for members of the Justice Coordination
// Cell only, never for logs or for technicians, who get a work order.
type Requisition struct {
	// Reference is the authority's reference for the request (notice or
	// file number), as written on it.
	Reference string `json:"reference"`
	// Measure is what is ordered.
	Measure Measure `json:"measure"`
	// Authority is who signed the order.
	Authority Authority `json:"authority"`
	// Office is the judicial office that issued it, when the cell records
	// it: cost statements are addressed to it.
	Office Office `json:"office,omitzero"`
	// Circumstance is the situation the order invokes; Ordinary when none.
	Circumstance Circumstance `json:"circumstance,omitzero"`
	// Ordered is the date and time of the order (the magistrate's
	// decision), Received when it reached the cell.
	Ordered  timesync.Timestamp `json:"ordered"`
	Received timesync.Timestamp `json:"received"`
	// Reasoned says the order comes as a reasoned written decision
	// (ordonnance motivée / décision écrite et motivée).
	Reasoned bool `json:"reasoned"`
	// ValidUntil is the end of the period the order states; zero when it
	// states none.
	ValidUntil timesync.Timestamp `json:"valid_until,omitzero"`
	// Confirmed is when the juge d'instruction confirmed a flagrant-délit
	// order of the procureur (art. 88bis §1 al. 5); zero when not (yet).
	Confirmed timesync.Timestamp `json:"confirmed,omitzero"`
	// Offences lists the offences the order invokes, as IDs of
	// [Offences]' catalogue.
	Offences []string `json:"offences,omitempty"`
	// Items is the data asked for.
	Items []Item `json:"items,omitempty"`
	// Targets are the identifiers the request is about.
	Targets []Target `json:"targets,omitempty"`
	// Cooperation says, for an art. 88quater order, which paragraph it
	// uses; it must be set for that measure.
	Cooperation CooperationKind `json:"cooperation,omitzero"`
	// Addressee is who must cooperate, where the law protects some persons
	// (art. 88quater §2).
	Addressee Addressee `json:"addressee,omitzero"`
	// Response says when the answer is due.
	Response ResponsePolicy `json:"response"`
}

// Limits on a decoded requisition, so that hostile or broken input cannot
// exhaust memory.
const (
	MaxTargets   = 1000
	MaxItems     = 64
	MaxOffences  = 64
	MaxReference = 256
	// MaxEncoded is the largest JSON encoding [Decode] reads.
	MaxEncoded = 1 << 20
)
