package requisition

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/text/language"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// The errors findings wrap, for [errors.Is]. The [*provenance.Problems]
// that [Requisition.Validate] returns unwraps to the sentinels of all its
// error-severity findings.
var (
	// ErrUnknownValue: a text form names no value of its enumeration.
	ErrUnknownValue = errors.New("requisition: unknown value")
	// ErrMissing: a required field is empty.
	ErrMissing = errors.New("requisition: required field missing")
	// ErrNotReasoned: the order is not a reasoned written decision.
	ErrNotReasoned = errors.New("requisition: no reasoned order")
	// ErrAuthority: this authority may not order this measure in these
	// circumstances.
	ErrAuthority = errors.New("requisition: authority may not order this measure")
	// ErrConfirmation: a flagrant-délit order was not confirmed in time.
	ErrConfirmation = errors.New("requisition: confirmation missing or late")
	// ErrDuration: the order states no period, or a longer one than the law
	// allows.
	ErrDuration = errors.New("requisition: period missing or too long")
	// ErrProtectedPerson: the order targets a person the law protects.
	ErrProtectedPerson = errors.New("requisition: order against a protected person")
	// ErrOutsideValidity: the order is not in force at the moment judged.
	ErrOutsideValidity = errors.New("requisition: outside the order's validity")
	// ErrItem: data the measure does not cover.
	ErrItem = errors.New("requisition: data not covered by the measure")
	// ErrTarget: a malformed target.
	ErrTarget = errors.New("requisition: malformed target")
	// ErrOffence: an unknown offence, or none of the offences the measure
	// requires.
	ErrOffence = errors.New("requisition: offence missing or unknown")
	// ErrTooLong: a field is longer than its bound.
	ErrTooLong = errors.New("requisition: field too long")
)

// findingText is the text of one of requisition's findings: an English
// message, which is also its key in the package's catalogue, and its
// arguments, enumerations among them translated too. It implements
// [provenance.Message]; a pointer, so that findings stay comparable.
type findingText struct {
	msg  string
	args []any
	// unverified is set when the rule's text in force was not retrieved:
	// the text then says what to check by hand, and on which day.
	unverified *provenance.Source
	day        date.Date
	// undated: the order states no date, so day is the day of the check.
	undated bool
	// capped: the rule would be an error on the earlier text.
	capped bool
}

// Text returns the message in the language tag asks for (French, Dutch,
// German; English otherwise).
func (m *findingText) Text(tag language.Tag) string {
	t := localize(tag, m.msg, m.args...)
	if m.unverified == nil {
		return t
	}
	// The rule is the earlier text's: say so, then what to check.
	t = localize(tag, "under the text before the laws of 2016: %s", t)
	if m.undated {
		t += localize(tag, " — the order states no date, so ccjkit took the day of the check, %s; it has not seen the text in force then (%s): find the order's date and check the text in force on it by hand before acting on this finding",
			m.day, m.unverified.Article)
	} else {
		t += localize(tag, " — ccjkit has not seen the text in force on %s (%s): check it by hand before acting on this finding",
			m.day, m.unverified.Article)
	}
	if m.capped {
		t += localize(tag, "; refusing a lawful order is itself an offence")
	}
	return t
}

// Validate checks the requisition at instant at — normally the moment the
// cell examines it — and returns a [*provenance.Problems] (What
// "requisition") holding every finding when at least one is an error, nil
// otherwise. Periods in months are counted with rule.
func (r Requisition) Validate(at time.Time, rule MonthRule) error {
	return provenance.Check("requisition", r.Findings(at, rule))
}

// Findings returns every finding about the requisition at instant at —
// errors, warnings and information — in a stable order. See
// [Requisition.Validate]. Each finding's text never contains a target's
// value or the case reference.
func (r Requisition) Findings(at time.Time, rule MonthRule) []provenance.Finding {
	v := validator{r: r, at: at, rule: rule}
	v.required()
	v.reasoned()
	v.authority()
	v.period()
	v.protected()
	v.items()
	v.targets()
	v.response()
	return v.out
}

type validator struct {
	r    Requisition
	at   time.Time
	rule MonthRule
	out  []provenance.Finding
}

// add records a finding. Its severity never exceeds what its source's
// certainty allows (provenance.MaxSeverity): a rule whose text in force
// was not retrieved is a warning that says what to check, and wraps no
// sentinel of an error.
func (v *validator) add(rule string, sev provenance.Severity, field string, src provenance.Source, err error, msg string, args ...any) {
	if src.Instrument == codeInstructionCriminelle {
		src = v.text(src) // the article as in force on the order's day
	}
	text := &findingText{msg: msg, args: args}
	if max := provenance.MaxSeverity(src.Certainty); sev > max {
		sev, err, text.capped = max, nil, true
	}
	if src.Certainty == provenance.Unverified && src.From != 0 && sev >= provenance.Warning {
		text.unverified, text.day, text.undated = &src, v.day(), v.r.Ordered.IsZero()
	}
	v.out = append(v.out, provenance.Finding{Rule: rule, Severity: sev, Field: field, Source: src, Err: err, Message: text})
}

// text returns the source of a rule of the Code d'instruction criminelle
// as in force on the day the order was signed (the day of the check when
// the order states none): see [Edition].
func (v *validator) text(pre provenance.Source) provenance.Source { return Edition(pre, v.day()) }

// day is the day the order was signed, in Brussels; the day of the check
// when the order states none.
func (v *validator) day() date.Date {
	if !v.r.Ordered.IsZero() {
		return v.r.Ordered.Day()
	}
	return timesync.Day(v.at)
}

// The provisions the rules cite.
func src88bis(article string) provenance.Source {
	return provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88bis " + article, Edition: pre2016, Certainty: provenance.Verified, URL: seedURL,
		Until: Law2016RetentionInForce()}
}

func src88quater(article string) provenance.Source {
	return provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88quater " + article, Edition: pre2016, Certainty: provenance.Verified, URL: seedURL,
		Until: Law2016RetentionInForce()}
}

func (v *validator) required() {
	r := v.r
	src := technical("a requisition record needs these fields")
	missing := func(field string) {
		v.add("required", provenance.Error, field, src, ErrMissing, "%s is missing", field)
	}
	if r.Reference == "" {
		missing("reference")
	}
	if len(r.Reference) > MaxReference {
		v.add("required", provenance.Error, "reference", src, ErrTooLong, "reference is longer than %d bytes", MaxReference)
	}
	if !slices.Contains(measures(), r.Measure) {
		missing("measure")
	}
	if !slices.Contains(authorities(), r.Authority) {
		missing("authority")
	}
	if !slices.Contains(circumstances(), r.Circumstance) {
		v.add("required", provenance.Error, "circumstance", src, ErrUnknownValue, "circumstance is not one ccjkit knows")
	}
	if !slices.Contains(addressees(), r.Addressee) {
		v.add("required", provenance.Error, "addressee", src, ErrUnknownValue, "addressee is not one ccjkit knows")
	}
	if r.Measure == Cooperation && !slices.Contains(cooperationKinds(), r.Cooperation) {
		v.add("required", provenance.Error, "cooperation", src88quater("§§1-2"), ErrMissing,
			"an 88quater order must say whether it asks for information (§1) or for operating the system or its data (§2)")
	}
	if r.Ordered.IsZero() {
		missing("ordered")
	}
	if r.Received.IsZero() {
		missing("received")
	}
	if len(r.Items) == 0 {
		missing("items")
	}
	if len(r.Targets) == 0 {
		missing("targets")
	}
	if !slices.Contains(monthRules(), v.rule) {
		v.add("month-rule", provenance.Error, "", technical("the month rule the caller chose"), ErrInvalidPeriod, "the month rule is not one ccjkit knows")
	}
	if !r.Ordered.IsZero() && !r.Received.IsZero() && r.Received.Before(r.Ordered) {
		v.add("dates", provenance.Error, "received", technical("dates"), ErrOutsideValidity, "the request was received before the order is dated")
	}
	if !r.Ordered.IsZero() && v.at.Before(r.Ordered.Time()) {
		v.add("dates", provenance.Error, "ordered", technical("dates"), ErrOutsideValidity, "the order is dated after the moment of the check")
	}
	for i, id := range r.Offences {
		if _, ok := LookupOffence(id); !ok {
			v.add("offences", provenance.Error, fmt.Sprintf("offences[%d]", i), technical("the offence catalogue"), ErrOffence, "this offence is not in the catalogue: requisition.Offences lists the IDs (desk values prints them)")
		}
	}
	seen := map[Item]bool{}
	for i, it := range r.Items {
		if seen[it] {
			v.add("items", provenance.Warning, fmt.Sprintf("items[%d]", i), technical("no duplicates"), nil, "this item is listed twice")
		}
		seen[it] = true
	}
	for i := range r.Targets {
		for j := range i {
			if r.Targets[j] == r.Targets[i] {
				v.add("targets", provenance.Warning, fmt.Sprintf("targets[%d]", i), technical("no duplicates"), nil, "this target is listed twice")
				break
			}
		}
	}
}

func (v *validator) reasoned() {
	r := v.r
	if r.Reasoned {
		return
	}
	switch r.Measure {
	case Identification:
		src := r.Measure.Source()
		src.Article = "art. 46bis §1"
		if r.Authority == OfficierPoliceJudiciaire && r.Circumstance == ExtremeUrgency {
			v.add("46bis-reasoned", provenance.Warning, "reasoned", src, ErrNotReasoned,
				"in extreme urgency an officer may act on the procureur's prior oral agreement; record that agreement and expect the written confirmation")
			return
		}
		v.add("46bis-reasoned", provenance.Error, "reasoned", src, ErrNotReasoned, "identification needs a reasoned written decision of the procureur du Roi")
	case TrafficLocation:
		v.add("88bis-reasoned", provenance.Error, "reasoned", src88bis("§1 al. 3"), ErrNotReasoned, "the measure needs a reasoned order")
	case Interception:
		v.add("90quater-reasoned", provenance.Error, "reasoned", Interception.Source(), ErrNotReasoned, "the measure needs a reasoned order")
	case Cooperation:
		// §1 asks for an "ordonnance motivée"; §2, in the text retrieved,
		// does not say so.
		if r.Cooperation == CooperationInformation {
			v.add("88quater-reasoned", provenance.Error, "reasoned", src88quater("§1"), ErrNotReasoned, "the measure needs a reasoned order")
		}
	}
	// Art. 88ter, in the text retrieved, asks for no reasoned order of its
	// own: the search it extends was ordered by the juge d'instruction.
}

// invokes reports whether the order invokes an offence on list l.
func (v *validator) invokes(l OffenceList) bool {
	for _, id := range v.r.Offences {
		if o, ok := LookupOffence(id); ok && o.In(l) {
			return true
		}
	}
	return false
}

// onlyInvokes reports whether the order invokes at least one offence and
// every one of them is on list l.
func (v *validator) onlyInvokes(l OffenceList) bool {
	if len(v.r.Offences) == 0 {
		return false
	}
	for _, id := range v.r.Offences {
		if o, ok := LookupOffence(id); !ok || !o.In(l) {
			return false
		}
	}
	return true
}

func (v *validator) authority() {
	r := v.r
	a, m := r.Authority, r.Measure
	if !slices.Contains(authorities(), a) || !slices.Contains(measures(), m) {
		return // reported as missing
	}
	prosecutor := a == ProcureurDuRoi || a == AuditeurDuTravail
	notAllowed := func(rule string, src provenance.Source, why phrase) {
		v.add(rule, provenance.Error, "authority", src, ErrAuthority, "the authority (%s) may not order %s here: %s", a, m, why)
	}
	if a == AuditeurDuTravail && (m == Identification || m == TrafficLocation) {
		v.add("auditeur", provenance.Info, "authority", m.Source(), nil,
			"the article names the procureur du Roi; the auditeur du travail is taken to hold the same power in social criminal law (not verified)")
	}
	switch m {
	case Identification:
		switch {
		case prosecutor:
		case a == JugeInstruction:
			v.add("46bis-juge", provenance.Info, "authority", m.Source(), nil,
				"the article names the procureur du Roi; a juge d'instruction orders it under the powers of the investigation (not verified)")
		case a == OfficierPoliceJudiciaire && r.Circumstance == ExtremeUrgency:
			v.add("46bis-urgency", provenance.Warning, "circumstance", m.Source(), nil,
				"an officer acting in extreme urgency needs the procureur's prior oral agreement: check it is recorded")
		default:
			notAllowed("46bis-authority", m.Source(), "only the procureur du Roi, or an officer in extreme urgency with his oral agreement")
		}
	case TrafficLocation:
		switch {
		case a == JugeInstruction:
		case prosecutor && r.Circumstance == FlagrantDelit && (v.invokes(List90ter) || v.invokes(ListNoConfirmation)):
			v.confirmation()
		case prosecutor && r.Circumstance == PlaintiffRequest && v.invokes(ListPlaintiff):
		case prosecutor:
			notAllowed("88bis-authority", src88bis("§1 al. 5-6"),
				"the procureur du Roi may order it only in flagrant délit for an offence of art. 90ter §§2-4, or at a plaintiff's request for Telecom Act art. 145 §3 or §3bis")
		default:
			notAllowed("88bis-authority", src88bis("§1 al. 1"), "only the juge d'instruction")
		}
	case Interception:
		if a != JugeInstruction {
			notAllowed("90ter-authority", m.Source(), "only the juge d'instruction")
		}
		if !v.invokes(List90ter) {
			v.add("90ter-offence", provenance.Error, "offences", m.Source(), ErrOffence, "interception needs an offence of art. 90ter §§2-4")
		}
	case ExtendedSearch:
		switch {
		case a == JugeInstruction:
		case prosecutor:
			v.add("88ter-authority", provenance.Warning, "authority", m.Source(), nil,
				"under the text before 2016 only the juge d'instruction extends a search; since the law of 25 December 2016 art. 39bis lets the procureur extend one to a system reachable without codes: check which applies")
		default:
			notAllowed("88ter-authority", m.Source(), "only the juge d'instruction (or, since 2016, the procureur du Roi under art. 39bis)")
		}
	case Cooperation:
		if !(a == JugeInstruction || a == OfficierPoliceJudiciaire && r.Circumstance == Delegation) {
			notAllowed("88quater-authority", src88quater("§§1-2"), "only the juge d'instruction, or a judicial police officer he delegated")
		}
	}
}

// confirmation checks the juge's confirmation of a procureur's
// flagrant-délit 88bis order.
func (v *validator) confirmation() {
	r := v.r
	src := ConfirmationSource()
	if v.onlyInvokes(ListNoConfirmation) {
		v.add("88bis-confirmation", provenance.Warning, "confirmed", src, nil,
			"for hostage-taking or extortion no confirmation is needed, but only while the flagrant délit lasts: check that it still does")
		return
	}
	if r.Ordered.IsZero() {
		return
	}
	due := ConfirmationDue(r.Ordered.Time())
	c := r.Confirmed
	switch {
	case !c.IsZero() && c.Before(r.Ordered):
		v.add("88bis-confirmation", provenance.Error, "confirmed", src, ErrConfirmation, "the confirmation is dated before the order")
	case !c.IsZero() && c.Time().After(v.at):
		v.add("88bis-confirmation", provenance.Error, "confirmed", src, ErrConfirmation, "the confirmation is dated after the moment of the check")
	case !c.IsZero() && !due.Before(c.Time()):
		v.add("88bis-confirmation", provenance.Error, "confirmed", src, ErrConfirmation,
			"confirmed at %s, not within the 24 hours that ran out at %s", c, timesync.FromTime(due.At))
	case !c.IsZero():
	case !due.Before(v.at):
		v.add("88bis-confirmation", provenance.Error, "confirmed", src, ErrConfirmation,
			"not confirmed by the juge d'instruction within 24 hours (by %s): the measure may not be carried out", timesync.FromTime(due.At))
	default:
		v.add("88bis-confirmation", provenance.Warning, "confirmed", src, nil,
			"the juge d'instruction must confirm the order by %s", timesync.FromTime(due.At))
	}
}

func (v *validator) period() {
	r := v.r
	if !r.ValidUntil.IsZero() && !r.Ordered.IsZero() && !r.ValidUntil.After(r.Ordered) {
		v.add("period", provenance.Error, "valid_until", technical("dates"), ErrDuration, "the stated period ends before it starts")
		return
	}
	if !r.ValidUntil.IsZero() && !r.ValidUntil.After(timesync.FromTime(v.at)) {
		v.add("validity", provenance.Error, "valid_until", technical("the period the order states"),
			ErrOutsideValidity, "the period the order states ended at %s", r.ValidUntil)
	}
	months, src := r.Measure.MaxMonths()
	if months == 0 || r.Ordered.IsZero() || !slices.Contains(monthRules(), v.rule) {
		return
	}
	if r.ValidUntil.IsZero() {
		v.add("period", provenance.Error, "valid_until", src, ErrDuration, "the order must state how long the measure applies (at most %[1]d {1:month|months})", months)
	}
	limit, err := ValidityEnd(r.Ordered.Time(), months, v.rule)
	if err != nil {
		v.add("period", provenance.Error, "ordered", src, ErrInvalidPeriod, "the maximum period cannot be computed for this date")
		return
	}
	// How months are counted is itself not settled: between the end the
	// caller's rule gives and the latest end any rule gives, a finding is
	// a warning; beyond every rule's end, an error.
	lenient := limit
	for _, mr := range monthRules() {
		if d, err := ValidityEnd(r.Ordered.Time(), months, mr); err == nil && d.At.After(lenient.At) {
			lenient = d
		}
	}
	sev := func(past time.Time) provenance.Severity {
		if past.After(lenient.At) {
			return provenance.Error
		}
		return provenance.Warning
	}
	if !r.ValidUntil.IsZero() && r.ValidUntil.Time().After(limit.At) {
		v.add("period", sev(r.ValidUntil.Time()), "valid_until", src, ErrDuration,
			"the order states a period to %[1]s, beyond the %[2]d {2:month|months} the law allows (to %[3]s, %[4]s)", r.ValidUntil, months, timesync.FromTime(limit.At), v.rule)
	}
	if !limit.Before(v.at) {
		v.add("validity", sev(v.at), "ordered", src, ErrOutsideValidity,
			"the %d-month period from the order ran out at %s (%s); a renewal is a new order", months, timesync.FromTime(limit.At), v.rule)
	}
}

func (v *validator) protected() {
	r := v.r
	if r.Measure == Cooperation && r.Cooperation == CooperationOperation && (r.Addressee == Inculpe || r.Addressee == Article156Person) {
		v.add("88quater-protected", provenance.Error, "addressee", src88quater("§2 al. 2"), ErrProtectedPerson,
			"an 88quater §2 order may not be made against the inculpé or a person of art. 156")
	}
}

func (v *validator) items() {
	if !slices.Contains(measures(), v.r.Measure) {
		return // reported as missing
	}
	allowed := v.r.Measure.Items()
	for i, it := range v.r.Items {
		if !slices.Contains(allowed, it) {
			v.add("items", provenance.Error, fmt.Sprintf("items[%d]", i), v.r.Measure.Source(), ErrItem, "data not covered by the measure (%s): %s", v.r.Measure, it)
		}
	}
}

func (v *validator) targets() {
	src := technical("target syntax (E.164, IMEI check digit, IP with its time window)")
	for i, t := range v.r.Targets {
		for _, p := range t.problems() {
			v.add("targets", provenance.Error, fmt.Sprintf("targets[%d]", i), src, ErrTarget, p.msg, p.args...)
		}
	}
}

func (v *validator) response() {
	p := v.r.Response
	src := p.Kind.Source()
	switch {
	case p.Kind == 0:
		v.add("response", provenance.Error, "response.kind", src, ErrMissing,
			"the requisition's response policy is not recorded: real time, immediately or a stated moment")
	case !slices.Contains(responseKinds(), p.Kind):
		v.add("response", provenance.Error, "response.kind", src, ErrResponsePolicy, "unknown response kind")
	case p.Kind == AtStatedMoment && p.Stated.IsZero():
		v.add("response", provenance.Error, "response.stated", src, ErrResponsePolicy, "the answer is due at a stated moment, but none is given")
	case p.Kind == AtStatedMoment && !v.r.Received.IsZero() && p.Stated.Before(v.r.Received):
		v.add("response", provenance.Error, "response.stated", src, ErrResponsePolicy, "the stated moment %s is before receipt: ask the authority", p.Stated)
	case p.Kind != AtStatedMoment && !p.Stated.IsZero():
		v.add("response", provenance.Warning, "response.stated", src, nil, "a stated moment is given but the answer is due %s", p.Kind)
	}
}
