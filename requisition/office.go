package requisition

import (
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/ccjkit/ccjkit/provenance"
)

// Office is the judicial office that issued an order: the parquet, the
// cabinet of a juge d'instruction, the auditorat, or a police service. A
// cell claims its indemnity from the office that requested the work, so
// cost statements are grouped by office (see indemnity.PeriodClaims); the
// office is also where an answer or a question goes back to. It is
// optional: an order without one is claimed from its [Authority] alone.
//
// The office is not a secret in the way a target is, but its name can
// name a magistrate; like the whole requisition it is for the cell's
// members only: its name and address appear only on the cost statement
// addressed to it, never in logs or errors. Its key does appear in claim
// numbers and file names.
type Office struct {
	// Key is the cell's short name for the office, 1 to 40 characters
	// from a-z, 0-9 and "-" (not starting or ending with "-"), such as
	// "parquet-liege": it numbers the office's cost statements and names
	// their files, so it must be stable from one order to the next — and
	// it must not name a person (a magistrate's cabinet is "ji-bxl-3", not
	// the judge's name), since claim numbers and file names are not
	// secret.
	Key string `json:"key"`
	// Name is the office's name as a claim is addressed to it, such as
	// "Parquet du procureur du Roi de Liège".
	Name string `json:"name"`
	// Address is its postal address, on one line or several.
	Address string `json:"address,omitempty" strictjson:"lines"`
	// Language is the language the office works in, "fr", "nl" or "de"
	// (Belgium's official languages), when known: a cost statement to it
	// is written in that language.
	Language string `json:"language,omitempty"`
}

// IsZero reports whether no office is given.
func (o Office) IsZero() bool { return o == Office{} }

// OfficeLanguages returns the languages an [Office] may work in: Belgium's
// official languages, "fr", "nl" and "de".
func OfficeLanguages() []string { return []string{"fr", "nl", "de"} }

// MaxOfficeText bounds an office's name and address, in bytes.
const MaxOfficeText = 512

// ValidOfficeKey reports whether key is a valid [Office.Key].
func ValidOfficeKey(key string) bool {
	if len(key) < 1 || len(key) > 40 || key[0] == '-' || key[len(key)-1] == '-' {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ErrOffice is wrapped by the errors of [Office.Check].
var ErrOffice = errors.New("requisition: invalid office")

// Check returns nil for the zero Office or a valid one, and otherwise a
// [*provenance.Problems] (What "requisition office") listing every
// problem, each wrapping [ErrOffice], quoting no value. Decode checks the
// office of what it reads; a program that builds a Requisition itself
// calls Check, as the register does on receipt.
func (o Office) Check() error {
	return provenance.Check("requisition office", o.problems(func(path, msg string) provenance.Finding {
		return provenance.Finding{Rule: "office", Severity: provenance.Error, Field: path, Source: provenance.Rule("office"),
			Err: ErrOffice, Message: provenance.Text(msg)}
	}))
}

// problems lists what is wrong with the office, with field paths under
// "office"; none for the zero Office. No value is quoted.
func (o Office) problems(problem func(path, msg string) provenance.Finding) []provenance.Finding {
	if o.IsZero() {
		return nil
	}
	var out []provenance.Finding
	if !ValidOfficeKey(o.Key) {
		out = append(out, problem("office.key", "want 1 to 40 characters from a-z, 0-9 and -, not starting or ending with -"))
	}
	if o.Name == "" {
		out = append(out, problem("office.name", "an office needs its name"))
	}
	for path, s := range map[string]string{"office.name": o.Name, "office.address": o.Address} {
		if !utf8.ValidString(s) {
			out = append(out, problem(path, "not valid UTF-8"))
		}
	}
	for path, s := range map[string]string{"office.name": o.Name, "office.address": o.Address} {
		if len(s) > MaxOfficeText {
			out = append(out, problem(path, fmt.Sprintf("longer than %d bytes", MaxOfficeText)))
		}
	}
	if o.Language != "" && !slices.Contains(OfficeLanguages(), o.Language) {
		out = append(out, problem("office.language", "want fr, nl or de"))
	}
	slices.SortFunc(out, func(a, b provenance.Finding) int {
		switch {
		case a.Field < b.Field:
			return -1
		case a.Field > b.Field:
			return 1
		}
		return 0
	})
	return out
}
