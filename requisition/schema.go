package requisition

import "embed"

// schemaFile holds requisition.schema.json, generated from the Go types
// by TestSchema.
//
//go:embed requisition.schema.json
var schemaFile embed.FS

// SchemaID is the $id of [Schema].
const SchemaID = "https://github.com/ccjkit/ccjkit/requisition/requisition.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of a requisition's JSON
// encoding, the form [Decode] reads and [Encode] writes: every field with
// its type and description, the keys of every enumeration, the IDs of the
// offence catalogue, the fields [Requisition.Validate] refuses to go
// without (reference, measure, authority, ordered, received, items,
// targets, response) and the rules between fields a schema can state (the
// items each measure may ask for, the period a measure with a longest
// period must state, the paragraph of an art. 88quater order, the offence
// an interception needs, what each kind of target holds, the moment an
// answer due at a stated moment needs). A document the schema accepts
// decodes; whether the order is lawful is still Validate's question (who
// may order what, in which circumstances, on which day).
//
// The schema is generated from the Go types by a test, which fails when
// they disagree. A new slice is returned on each call.
func Schema() []byte {
	b, _ := schemaFile.ReadFile("requisition.schema.json") // embedded: cannot fail
	return b
}
