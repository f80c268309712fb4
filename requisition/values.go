package requisition

import (
	"slices"

	"github.com/ccjkit/ccjkit/provenance"
)

// Circumstances returns every circumstance, in the order of their
// constants.
func Circumstances() []Circumstance { return circumstances() }

// Addressees returns every addressee, in the order of their constants.
func Addressees() []Addressee { return addressees() }

// CooperationKinds returns the paragraphs of art. 88quater an order may
// use, in the order of their constants.
func CooperationKinds() []CooperationKind { return cooperationKinds() }

// Items returns every kind of data, in the order of their constants;
// [Measure.Items] says which a measure may ask for.
func Items() []Item { return items() }

// TargetKinds returns every kind of target, in the order of their
// constants.
func TargetKinds() []TargetKind { return targetKinds() }

// ResponseKinds returns every response kind, in the order of their
// constants.
func ResponseKinds() []ResponseKind { return responseKinds() }

// MonthRules returns the ways of counting months a caller may choose,
// [FromNextDay] first.
func MonthRules() []MonthRule { return monthRules() }

// OffenceLists returns the lists of offences the law refers to, in the
// order of their constants.
func OffenceLists() []OffenceList { return offenceLists() }

// Vocabulary is every value a requisition's JSON encoding takes from a
// list, as [Decode] reads it: the keys of each enumeration, the measures
// with the article each rests on, the data each may ask for and its
// longest period, and the catalogue of offences. It is what a person
// writing a requisition needs besides its JSON Schema ([Schema]); the
// desk prints it as "desk values".
type Vocabulary struct {
	Measures         []MeasureFacts    `json:"measures"`
	Authorities      []Authority       `json:"authorities"`
	Circumstances    []Circumstance    `json:"circumstances"`
	Items            []Item            `json:"items"`
	TargetKinds      []TargetKind      `json:"target_kinds"`
	ResponseKinds    []ResponseKind    `json:"response_kinds"`
	Addressees       []Addressee       `json:"addressees"`
	CooperationKinds []CooperationKind `json:"cooperation_kinds"`
	// Offences is the catalogue of [Offences]: the IDs the "offences"
	// field accepts, each with the lists it is on and its source.
	Offences []Offence `json:"offences"`
	// MonthRules are not in a requisition: they are the caller's choice
	// of how to count periods in months (desk.json's "month_rule").
	MonthRules []MonthRule `json:"month_rules"`
}

// MeasureFacts is what ccjkit holds about one measure.
type MeasureFacts struct {
	Measure Measure `json:"measure"`
	// Source is the article the measure rests on ([Measure.Source]).
	Source provenance.Source `json:"source"`
	// Items is the data it may ask for ([Measure.Items]).
	Items []Item `json:"items"`
	// MaxMonths is the longest period an order may state, 0 when the law
	// sets none, and MaxMonthsSource its source ([Measure.MaxMonths]).
	MaxMonths       int                `json:"max_months,omitzero"`
	MaxMonthsSource *provenance.Source `json:"max_months_source,omitempty"`
}

// Values returns the [Vocabulary]: new slices on each call.
func Values() Vocabulary {
	v := Vocabulary{
		Authorities:      authorities(),
		Circumstances:    circumstances(),
		Items:            items(),
		TargetKinds:      targetKinds(),
		ResponseKinds:    responseKinds(),
		Addressees:       addressees(),
		CooperationKinds: cooperationKinds(),
		Offences:         Offences(),
		MonthRules:       monthRules(),
	}
	for _, m := range measures() {
		f := MeasureFacts{Measure: m, Source: m.Source(), Items: slices.Clone(m.Items())}
		if n, src := m.MaxMonths(); n > 0 {
			f.MaxMonths, f.MaxMonthsSource = n, &src
		}
		v.Measures = append(v.Measures, f)
	}
	return v
}
