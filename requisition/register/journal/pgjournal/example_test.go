package pgjournal_test

import (
	"fmt"

	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
)

// The schema's steps, as Migrate applies them: numbered SQL files
// embedded in the package.
func ExampleMigrations() {
	steps, err := pgjournal.Migrations()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range steps {
		fmt.Printf("%04d %s\n", m.Version, m.Name)
	}
	fmt.Println("the code's version:", pgjournal.SchemaVersion)
	// Output:
	// 0001 journal
	// the code's version: 1
}

// A database whose schema is older than the code is refused, and the
// error says what to do.
func ExampleSchemaError() {
	err := &pgjournal.SchemaError{Have: 0, Want: pgjournal.SchemaVersion}
	fmt.Println(err)
	// Output:
	// pgjournal: the schema is not this version's: the database has no journal schema (version 1 needed): run migrate (desk migrate, or pgjournal.Migrate) as the schema's owner
}
