// Package requisition models judicial requisitions addressed to Belgian
// operators: what an authority may order, until when the order is valid,
// when the answer is due — each result with the steps and the articles that
// produced it.
//
// This first part holds the time rules every requisition needs:
//
//   - [ValidityEnd]: until when a measure ordered for n months stays valid —
//     24:00 Brussels time on the last day of the period. Art. 88bis §1 of
//     the Code d'instruction criminelle limits a tracing or localisation
//     order to two months from the order, renewable (text before 2016 [V]).
//     How months are counted is a [MonthRule] the caller picks:
//     [FromNextDay] follows Code judiciaire arts. 52-54 ("de quantième à
//     veille de quantième"), [FromOrderDay] is the stricter reading. The
//     civil-procedure rule's reach over criminal orders is not settled in
//     our sources, so every result names the rule it used.
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
// Every rule carries its [Source]: instrument, article, edition and how
// sure we are ([Verified], [Secondary], [Unverified]). A [Deadline] lists
// its [Step]s, so that a cell member can show how it was reached.
//
// Instants are UTC inside and shown in Europe/Brussels; calendar rules run
// on Brussels calendar days ([BrusselsDate]). Calendar days are
// github.com/rickb777/date/v2 values (days since year 1, comparable, + and -
// count days).
//
// Still to come in this package (issue 3): the measures and the data they
// ask for, authorities and circumstances, validation with findings,
// penalties, JSON encoding and the four languages.
package requisition
