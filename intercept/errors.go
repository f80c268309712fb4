package intercept

import (
	"errors"
	"fmt"

	"github.com/ccjkit/ccjkit/provenance"
)

// Sentinel errors, for errors.Is. Error texts never contain a target's
// address or identity, nor an LIID's octets.
//
// Task.Validate, Profile.Validate and Belgium return a
// *provenance.Problems (What "intercept: task" or "intercept: profile")
// listing every rule not met, not only the first: each finding's Field is
// the Go-style path of the field at fault ("Targets[1].Prefix"), its Err
// one of these sentinels and its Source the standard or article the rule
// comes from, or ccjkit's own rule.
var (
	// ErrLIID: an LIID is empty, longer than 25 octets, or not in its text form.
	ErrLIID = errors.New("intercept: invalid LIID")
	// ErrStream: a stream is neither IRI nor CC.
	ErrStream = errors.New("intercept: invalid stream")
	// ErrTarget: a target is incomplete or malformed.
	ErrTarget = errors.New("intercept: invalid target")
	// ErrTask: a task breaks one of its rules (see Task.Validate).
	ErrTask = errors.New("intercept: invalid task")
	// ErrProfile: a national profile lacks a choice or holds an impossible one.
	ErrProfile = errors.New("intercept: invalid profile")
)

// What a *provenance.Problems of this package says was judged.
const (
	whatTask    = "intercept: task"
	whatProfile = "intercept: profile"
)

// Sources of the rules a task or profile is checked against. Certainty is
// Verified only where ccjkit cites the text as read (docs/intercept.md);
// the ETSI fields are cited from their ASN.1 modules as ccjkit reads them,
// not re-checked in the standard's text, hence Unverified.

// art90quater1 is CIC art. 90quater §1 in the text before 2016, read [V]:
// the order states the person, means or place and the period.
func art90quater1() provenance.Source {
	return provenance.Source{
		Instrument: "Code d'instruction criminelle",
		Article:    "art. 90quater §1",
		Edition:    "text before 2016",
		Certainty:  provenance.Verified,
		URL:        "https://actualitesdroitbelge.be/legislation/code-penal/code-penal---les-ecoutes-telephoniques-en-procedure-penale/article-90-quater-du-code-d-instruction-criminelle",
	}
}

// etsiField cites a field of an ETSI module, as ccjkit reads it.
func etsiField(standard, field string) provenance.Source {
	return provenance.Source{Instrument: "ETSI " + standard, Article: field}
}

// rfc2865s5 is RFC 2865 §5: attribute values are at most 253 octets.
func rfc2865s5() provenance.Source {
	return provenance.Source{Instrument: "RFC 2865", Article: "§5"}
}

// checker collects the findings of one validation.
type checker struct {
	fs []provenance.Finding
	// note is appended to the text of a finding about a choice the
	// receiver makes ("" for none): Belgium says where it comes from.
	note string
}

// add records one rule not met: its name, source, field, sentinel and a
// text that names the field, never a target's value.
func (c *checker) add(rule string, src provenance.Source, field string, sentinel error, format string, args ...any) {
	c.record(rule, src, field, sentinel, fmt.Sprintf(format, args...))
}

// choice records a choice the receiver makes that is missing or
// impossible, with the checker's note.
func (c *checker) choice(rule string, src provenance.Source, field, format string, args ...any) {
	c.record(rule, src, field, ErrProfile, fmt.Sprintf(format, args...)+c.note)
}

// record appends one error-severity finding.
func (c *checker) record(rule string, src provenance.Source, field string, sentinel error, text string) {
	c.fs = append(c.fs, provenance.Finding{
		Rule:     rule,
		Severity: provenance.Error,
		Field:    field,
		Source:   src,
		Err:      sentinel,
		Message:  provenance.Text(text),
	})
}

// err returns the findings as a *provenance.Problems, or nil for none.
func (c *checker) err(what string) error { return provenance.Check(what, c.fs) }
