package strictjson_test

import (
	"errors"
	"fmt"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/strictjson"
)

// errSettings is the sentinel of a program's own settings file.
var errSettings = errors.New("settings: cannot decode")

// A program reads its own settings file as strictly as ccjkit reads its
// formats: every problem at once, each naming the field, none quoting the
// value found.
func Example() {
	type settings struct {
		Operator string `json:"operator"`
		Days     int    `json:"days"`
	}
	format := strictjson.Format{What: "settings: decode", Name: "settings file", Err: errSettings, Max: 1 << 16}
	var s settings
	err := format.Decode([]byte(`{"operator": "Neutrinet", "Days": 30, "days": "thirty"}`), &s)
	var ps *provenance.Problems
	if errors.As(err, &ps) {
		for _, f := range ps.Findings {
			fmt.Println(f.Field+":", f.Text(language.English))
		}
	}
	fmt.Println(errors.Is(err, errSettings))
	// Output:
	// Days: unknown field
	// days: want an integer in range
	// true
}
