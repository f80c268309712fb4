package requisition

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
)

// Penalty is what the law threatens for failing a duty around requisitions.
// Fines are whole euros as the texts state them, before the "décimes
// additionnels" multiplier applied to criminal fines (see
// [Penalty.FineWithSurcharge]). A zero fine or prison bound means the text
// sets none or that it is unknown: Known says which.
type Penalty struct {
	// ID is a stable key, such as "88bis-refusal".
	ID string `json:"id"`
	// Conduct describes what is punished, in English.
	Conduct string `json:"conduct"`
	// FineMin and FineMax are in euros; PrisonMinMonths and PrisonMaxMonths
	// in months.
	FineMin         int64 `json:"fine_min_eur"`
	FineMax         int64 `json:"fine_max_eur"`
	PrisonMinMonths int   `json:"prison_min_months"`
	PrisonMaxMonths int   `json:"prison_max_months"`
	// Either says fine and prison may be imposed together or one alone
	// ("ou d'une de ces peines seulement").
	Either bool `json:"either"`
	// Known is false when not every bound was retrieved: a zero bound is
	// then unknown and must not be read as "no penalty"; a non-zero bound
	// is what the source gives, as surely as its certainty says. When
	// Known is true, a zero bound means the text sets none.
	Known  bool              `json:"known"`
	Source provenance.Source `json:"source"`
}

// Penalties returns the penalties ccjkit knows, each edition of each with
// its source and the days its text is in force (Source.From and
// Source.Until): an ID may appear once per edition, never twice on one
// day. The texts before the law of 25 December 2016 are the ones
// retrieved; where the 2016 law changed a penalty and the new figures are
// only partly known, the entry says so. A new slice is returned on each
// call. Use [LookupPenalty] to find the one that applies.
func Penalties() []Penalty {
	neutrinet := provenance.Source{Instrument: "Neutrinet asbl, blog post « CCJ ou on dissout Neutrinet ? » of 10 February 2021, summarising the IBPT brochure",
		Edition: "the brochure as it stood on 10 February 2021; since when its figures apply is not known, so they are given from that day only", Certainty: provenance.Secondary,
		From: date.New(2021, 2, 10)}
	return []Penalty{
		{ID: "88bis-refusal", Conduct: "refusing the technical cooperation an art. 88bis requisition asks for",
			FineMin: 26, FineMax: 10_000, Known: true, Source: before2016(src88bis("§2 al. 3"))},
		{ID: "90quater-refusal", Conduct: "refusing the technical assistance an interception order asks for",
			FineMin: 26, FineMax: 10_000, Known: true,
			Source: before2016(provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 90quater §2", Edition: pre2016 + "; the old text says francs, read as euros [U for the current wording]",
				Certainty: provenance.Verified, URL: Interception.Source().URL})},
		{ID: "46bis-refusal", Conduct: "refusing to communicate identification data (art. 46bis); a maximum of 10,000 EUR is reported, the minimum is not known",
			FineMax: 10_000, Known: false,
			Source: provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 46bis §2", Edition: "maximum of 10,000 from a secondary source; the minimum (26 in the neighbouring articles) is not verified for this one",
				Certainty: provenance.Secondary, URL: "https://backup.lexgo.be/en/news-and-articles/197-le-fournisseur-d-un-webmail-peut-il-etre-considere-comme-un-fournisseur-de-services-de-communication-electronique"}},
		{ID: "88quater-refusal", Conduct: "refusing the cooperation ordered under art. 88quater §§1-2, or obstructing the search",
			FineMin: 26, FineMax: 20_000, PrisonMinMonths: 6, PrisonMaxMonths: 12, Either: true, Known: true,
			Source: func() provenance.Source {
				s := before2016(src88quater("§3"))
				s.Edition += "; the text says francs, read as euros as in art. 88bis [U for the current wording]"
				return s
			}()},
		{ID: "88quater-refusal", Conduct: "the same, after the law of 25 December 2016: the maximum prison term was raised to three years; the other bounds were not retrieved",
			PrisonMaxMonths: 36, Known: false, // whether fine and prison go together was not retrieved either
			Source: provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88quater §3", Edition: "as amended by the law of 25 December 2016 (a legal publisher's summary)",
				Certainty: provenance.Secondary, URL: "https://legalworld.wolterskluwer.be/nl/nieuws/in-het-staatsblad/wetgeving-bijzondere-opsporingsmethoden-herzien/",
				From: Law2016InForce()}},
		{ID: "secrecy-breach", Conduct: "breaking the secrecy of a measure one knows of or helps with (arts. 88bis §2, 88quater §4, 90quater §2)",
			Known: false, Source: provenance.Source{Instrument: "Code pénal", Article: "art. 458", Edition: "the amounts of art. 458 were not retrieved", Certainty: provenance.Verified, URL: seedURL}},
		{ID: "late-or-refused-cooperation", Conduct: "refusing to cooperate or not cooperating within the required time, as the IBPT brochure summarises it; its figures are those of art. 88quater §3 before 2016, and whether they still apply is not known",
			FineMin: 26, FineMax: 20_000, PrisonMinMonths: 6, PrisonMaxMonths: 12, Either: true, Known: false, Source: neutrinet},
		{ID: "destroying-retained-data", Conduct: "making disappear, destroying or altering data whose retention was requested",
			FineMin: 26, FineMax: 20_000, PrisonMinMonths: 6, PrisonMaxMonths: 12, Either: true, Known: true, Source: neutrinet},
		{ID: "not-retaining", Conduct: "not meeting the duty to retain data; the brochure gives only the maximum",
			FineMax: 50_000, Known: false, Source: neutrinet},
	}
}

// LookupPenalty returns the penalty with the given ID as its text stood
// on the day of the facts, facts: a penalty is the one in force when the
// offence was committed, never a heavier one enacted later; when a later
// text is milder, the milder applies — compare with the edition in force
// on the day of judgment (Code pénal art. 2; European Convention on Human
// Rights art. 7) [U: recalled, not verified in the official text]. The facts of a
// refusal to cooperate are the day the cell refused or let the deadline
// pass — not the day of the order, which chooses the powers and periods
// (see [Edition]). It reports false when no edition of that ID is known
// for that day.
func LookupPenalty(id string, facts date.Date) (Penalty, bool) {
	for _, p := range Penalties() {
		if p.ID == id && p.Source.InForce(facts) {
			return p, true
		}
	}
	return Penalty{}, false
}

// before2016 bounds a source of the text before 2016 to the day before the
// law of 29 May 2016 came into force, the first later law that may have
// changed it (see [Edition]); from then until the law of 25 December 2016
// the penalty's text is not known and [LookupPenalty] reports false.
func before2016(s provenance.Source) provenance.Source {
	s.Until = Law2016RetentionInForce()
	return s
}

// ErrUnknownAmount is returned when a penalty's amounts are not known.
var ErrUnknownAmount = errors.New("requisition: penalty amount not known")

// ErrSurcharge is returned for a missing multiplier or one below 1.
var ErrSurcharge = errors.New("requisition: invalid décimes additionnels factor")

// FineWithSurcharge returns the fine range multiplied by factor, the
// "décimes additionnels" multiplier Belgian courts apply to criminal fines.
// ccjkit does not know the factor in force: the court fines reported for
// Yahoo (55,000 = 10,000 × 5.5) and Skype (30,000) suggest the factor of
// their time, and a factor of 8 is recalled for today, but none of this is
// verified [U] (fact sheet §7, item 5). The caller supplies the factor and
// the source it relies on; ccjkit never assumes one.
//
// The factor is an exact rational so that 5.5 is 5.5
// (new(big.Rat).SetString("5.5")), never a float. The results are exact
// too: whole euros times the factor, with no rounding — 10,000 × 5.5 is
// 55,000 and 26 × 5.5 is 143; a factor with more decimals may give cents
// or a fraction of a cent, which the caller rounds by its court's rule
// (big.Rat.FloatString). The factor is not modified.
func (p Penalty) FineWithSurcharge(factor *big.Rat) (min, max *big.Rat, err error) {
	if !p.Known || p.FineMax == 0 {
		return nil, nil, fmt.Errorf("%w: %s (%v)", ErrUnknownAmount, p.ID, p.Source)
	}
	if factor == nil || factor.Cmp(big.NewRat(1, 1)) < 0 {
		return nil, nil, fmt.Errorf("%w: the factor must be at least 1", ErrSurcharge)
	}
	min = new(big.Rat).Mul(new(big.Rat).SetInt64(p.FineMin), factor)
	max = new(big.Rat).Mul(new(big.Rat).SetInt64(p.FineMax), factor)
	return min, max, nil
}
