package register

import "embed"

// resultSchemaFile holds workresult.schema.json, generated from the Go
// types by TestWorkResultSchema.
//
//go:embed workresult.schema.json
var resultSchemaFile embed.FS

// WorkResultSchemaID is the $id of [WorkResultSchema].
const WorkResultSchemaID = "https://github.com/ccjkit/ccjkit/requisition/register/workresult.schema.json"

// WorkResultSchema returns the JSON Schema (draft 2020-12) of a
// technician's result, the JSON [DecodeWorkResult] reads: the work order's
// reference, who did the work, when it was completed (RFC 3339 to the
// second with its offset), the outcome ([Outcomes]) and the data or why
// there is none. It is generated from the Go types by a test, which fails
// when they disagree. A new slice is returned on each call.
func WorkResultSchema() []byte {
	b, _ := resultSchemaFile.ReadFile("workresult.schema.json") // embedded: cannot fail
	return b
}

// Outcomes returns the outcomes a work result may have, in order: found,
// nothing-held, not-possible.
func Outcomes() []Outcome { return outcomes() }
