// Package provenance says where each of ccjkit's legal figures and rules
// comes from, and how sure the library is of it: a [Source] (instrument,
// article, edition, URL) graded by a [Certainty] — verified in the official
// text, from a secondary source, unverified, or a technical rule of ccjkit
// itself.
//
// It also holds the one vocabulary every package uses to report what it
// found: a [Finding] names a rule, its [Severity], the field at fault, the
// rule's source and a sentinel error, with a text in French, Dutch, German
// or English; a [*Problems] is the one error type that lists findings. Every
// decoder and every check of ccjkit that can find several things wrong at
// once returns a *Problems, so a caller writes one errors.As and one loop:
//
//	var ps *provenance.Problems
//	if errors.As(err, &ps) {
//		for _, f := range ps.Findings {
//			fmt.Println(f.Field, f.Text(language.French), f.Source)
//		}
//	}
//
// and errors.Is finds each error-severity finding's sentinel.
//
// provenance is a leaf: it imports nothing of ccjkit, so that the model of
// judicial orders, the cell, the tariff and the interception chain can all
// say where a figure comes from without importing each other.
package provenance
