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
// targets, response) and the technical rules between fields (what each
// kind of target holds, the moment an answer due at a stated moment
// needs). It states what a file must hold to be read: Decode still checks
// what a schema does not say (a plausible date, no control character), and
// whether the order is lawful — who may order what, in which
// circumstances, which data, for how long, by the text in force on the
// day it was signed — is Validate's question, so the rules of the Code
// d'instruction criminelle are not in the schema.
//
// The schema is generated from the Go types by a test, which fails when
// they disagree. A new slice is returned on each call.
func Schema() []byte {
	b, _ := schemaFile.ReadFile("requisition.schema.json") // embedded: cannot fail
	return b
}
