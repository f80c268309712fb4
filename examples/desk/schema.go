package main

import (
	"embed"
	"flag"
	"slices"
	"strings"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
)

// deskSchemaFile holds desk.schema.json, the JSON Schema of desk.json,
// generated from Config by TestDeskSchema.
//
//go:embed desk.schema.json
var deskSchemaFile embed.FS

// deskSchemaID is the $id of desk.schema.json.
const deskSchemaID = "https://github.com/ccjkit/ccjkit/examples/desk/desk.schema.json"

// schemas are the JSON Schemas (draft 2020-12) of the files a cell
// writes, by the name desk schema takes: each is the library's, except
// desk.json's, which is the desk's own file.
func schemas() []struct {
	name   string
	schema func() []byte
} {
	return []struct {
		name   string
		schema func() []byte
	}{
		{"requisition", requisition.Schema},   // desk receive FILE
		{"result", register.WorkResultSchema}, // desk result FILE
		{"cell", ccj.CellSchema},              // -cell FILE, DIR/cell.json
		{"desk", func() []byte { // DIR/desk.json
			b, _ := deskSchemaFile.ReadFile("desk.schema.json") // embedded: cannot fail
			return b
		}},
	}
}

func schemaCommand() command {
	return command{"schema", "NAME", "print the JSON Schema of a file: requisition, result, cell or desk",
		func(*session, *flag.FlagSet) {}, runSchema}
}

// runSchema prints the JSON Schema of the file called args[0].
func runSchema(s *session, args []string) error {
	var names []string
	for _, sc := range schemas() {
		names = append(names, sc.name)
	}
	if len(args) != 1 || !slices.Contains(names, args[0]) {
		return inputErr("give one of %s (desk schema NAME > NAME.schema.json)", strings.Join(names, ", "))
	}
	for _, sc := range schemas() {
		if sc.name == args[0] {
			_, err := s.out.Write(sc.schema())
			return err
		}
	}
	return nil
}
