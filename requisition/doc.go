// Package requisition models the judicial requisitions a Belgian operator
// receives: what an authority may order, whether this order is lawful,
// until when it is valid, when the answer is due, and what a refusal costs
// — each answer with the article it rests on.
//
// # The model
//
//   - [Measure]: identification (Code d'instruction criminelle art. 46bis),
//     tracing and localisation (88bis), interception (90ter-90quater),
//     extended search (88ter), ordered cooperation (88quater), each with its
//     [provenance.Source] and the data it may ask for ([Item]) and the
//     longest period it may run ([Measure.MaxMonths]). Each enumeration
//     names itself in four languages: [Measure.Label], [Authority.Label],
//     [Item.Label], [MonthRule.Label], [ResponseKind.Label].
//   - [Authority] and [Circumstance]: juge d'instruction, procureur du Roi,
//     auditeur du travail, judicial police officer; flagrant délit, extreme
//     urgency, delegation, a plaintiff's request. [Offences] is the
//     catalogue of offences the rules refer to (art. 90ter §§2-4, Penal
//     Code arts. 347bis and 470, Telecom Act art. 145 §3 and §3bis).
//   - [Target]: the identifiers a request is about, typed (netip.Addr and
//     netip.Prefix with their time window, E.164 numbers, IMEI with its
//     check digit, ...). Targets and the case reference are secret: no
//     error, finding or log line of ccjkit contains them.
//   - [Requisition] ties these together; [Decode] reads one from JSON
//     strictly, listing every problem with its field's path in a
//     [*provenance.Problems] whose findings wrap [ErrDecode]. It refuses
//     text holding control or bidirectional characters, and times no
//     order carries ([Plausible]: from [PlausibleFrom], 1974, to
//     [PlausibleUntil], 2200, each written with the offset Belgian civil
//     time had at that instant).
//
// # Validation
//
// [Requisition.Validate] returns every [provenance.Finding] — rule,
// severity, field, source — not just the first, in a [*provenance.Problems]
// (the one problem-list error of ccjkit) whose Unwrap lets errors.Is find
// each sentinel ([ErrAuthority], [ErrDuration], ...);
// [Requisition.Findings] returns them all, warnings included, without an
// error. [provenance.Finding.Text] explains a finding in French, Dutch,
// German or English, from this package's own x/text catalogue. Where our
// sources leave a rule open (the texts after the law of 25 December 2016
// were not all retrieved), the finding is a warning that says so rather
// than an error ccjkit cannot justify.
//
// # Time rules
//
//   - [ValidityEnd]: until when a measure ordered for n months stays valid —
//     24:00 Brussels time on the last day of the period. How months are
//     counted is a [MonthRule] the caller picks: [FromNextDay] follows Code
//     judiciaire arts. 52-54 ("de quantième à veille de quantième"),
//     [FromOrderDay] is the stricter reading. The civil-procedure rule's
//     reach over criminal orders is not settled in our sources, so every
//     result names the rule it used.
//   - [ConfirmationDue]: the 24 hours within which the juge d'instruction
//     must confirm a flagrant-délit order of the procureur du Roi (art.
//     88bis §1 al. 5 [V]). Hours are elapsed hours, right across both
//     summer-time changes.
//   - [ResponsePolicy]: when the answer is due. The Code leaves the delay to
//     a royal decree whose figures are not in our sources [U], so ccjkit
//     invents none: the answer is due in "real time" (royal decree of 9
//     January 2003 art. 1 3° [V]), "immediately", or at the moment the
//     requisition states.
//   - [Holidays], [IsWorkingDay], [AddWorkingDays], [NextWorkingDay]: the
//     ten Belgian legal public holidays (law of 4 January 1974, royal
//     decree of 18 April 1974), Easter-based ones computed, for rules that
//     count working days (Code judiciaire art. 53 [V]).
//
// A [Deadline] lists its [Step]s, so that a cell member can show how it was
// reached.
//
// # Penalties
//
// [Penalties] lists what the law threatens — refusing cooperation under
// arts. 46bis, 88bis, 88quater and 90quater, breaking secrecy (Penal Code
// art. 458), destroying or not retaining data — with bounds in whole euros
// and their sources. The "décimes additionnels" multiplier is the caller's
// to supply ([Penalty.FineWithSurcharge]); ccjkit knows no verified value.
//
// # Sources and editions
//
// Every rule carries its [provenance.Source]: instrument, article, edition,
// the days its text is in force, and how sure we are
// ([provenance.Verified], [provenance.Secondary], [provenance.Unverified]).
//
// Rules are chosen by the date the law says applies. Powers and periods:
// the day the order was signed — an order signed before 28 July 2016, when
// the law of 29 May 2016 on data retention came into force and amended the
// Code ([Law2016RetentionInForce]), is judged by the text before 2016,
// which ccjkit holds [V]; a later order by the article as that law, and
// from 17 January 2017 the law of 25 December 2016 ([Law2016Published]),
// left it, which ccjkit has not retrieved ([Edition] gives its source,
// [U]; [EditionChanges] lists the days). A finding's severity never exceeds its source's certainty
// ([provenance.MaxSeverity]): on a text ccjkit has not seen, a rule that
// the earlier text breaks is a warning naming the article and the day to
// check by hand, never an error that could lead a cell to refuse — which
// is itself an offence. Penalties: the day of the facts ([LookupPenalty]).
//
// Instants are UTC inside and shown in Europe/Brussels; calendar rules run
// on Brussels calendar days ([timesync.Day]), as
// github.com/rickb777/date/v2 values. The sub-package requisitiontest draws
// valid and invalid requisitions for property tests.
package requisition
