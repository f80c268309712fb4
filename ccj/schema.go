package ccj

import "embed"

// cellSchemaFile holds cell.schema.json, generated from the Go types by
// TestCellSchema.
//
//go:embed cell.schema.json
var cellSchemaFile embed.FS

// CellSchemaID is the $id of [CellSchema].
const CellSchemaID = "https://github.com/ccjkit/ccjkit/ccj/cell.schema.json"

// CellSchema returns the JSON Schema (draft 2020-12) of the cell file
// [DecodeCell] reads, in either of its forms: a [Cell], its weekly rota
// under "patterns", or the earlier {"cell": {...}, "rota": [...]}. It
// gives every field with its type and description, the keys of the
// channel kinds, roles and advice statuses, and the fields [Cell.Check]
// refuses to go without; whether the cell meets the rules is
// [Cell.Report]'s question. It is generated from the Go types by a test,
// which fails when they disagree. A new slice is returned on each call.
func CellSchema() []byte {
	b, _ := cellSchemaFile.ReadFile("cell.schema.json") // embedded: cannot fail
	return b
}
