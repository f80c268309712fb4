package ccj

import (
	"encoding/json"
	"fmt"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/strictjson"
)

// MaxEncodedCell bounds the cell file [DecodeCell] reads: 4 MiB, room for
// hundreds of members and years of one-off shifts.
const MaxEncodedCell = 4 << 20

// DecodeCell reads a cell file, strictly: at most [MaxEncodedCell] bytes of
// UTF-8 JSON, one value, no duplicate key, no null, no field the form does
// not declare (names compared exactly), every value of the right type
// (dates as "2026-01-15", instants in RFC 3339), no control or
// bidirectional character in any text ([strictjson.IsControl]: a name
// holding an escape sequence or a line break would repaint or forge every
// output that prints it), at most [MaxPatterns] patterns.
//
// It reads two forms. The first is a [Cell] as encoding/json writes it,
// its weekly patterns under "patterns". The second is the form the desk
// example wrote before a Cell carried its patterns, kept so that those
// files still load:
//
//	{"cell": {...}, "rota": [patterns...]}
//
// whose "rota" becomes the cell's Patterns (a file that also has
// "cell.patterns" is refused: the patterns would be in two places). To
// migrate such a file, move the "rota" array into the cell as "patterns"
// and the cell object to the top; encoding the Cell DecodeCell returns
// does that.
//
// Every problem, not only the first, is listed in a *provenance.Problems
// (What "ccj: cell file") whose findings wrap [ErrDecode], each with the
// path of the field at fault ("cell.members[1].advice.granted"), never
// quoting a value. DecodeCell checks the encoding only: whether the rota
// holds together is [Cell.Check]'s question, and whether the cell meets
// the rules [Cell.Report]'s.
func DecodeCell(data []byte) (Cell, error) {
	var probe map[string]json.RawMessage
	if len(data) <= MaxEncodedCell && json.Unmarshal(data, &probe) == nil {
		if _, wrapped := probe["cell"]; wrapped {
			return decodeWrapped(data)
		}
	}
	var c Cell
	if err := cellFormat().Decode(data, &c); err != nil {
		return Cell{}, err
	}
	if len(c.Patterns) > MaxPatterns {
		return Cell{}, cellFormat().Check([]provenance.Finding{cellFormat().Problem("patterns", tooMany())})
	}
	if len(c.Patterns) == 0 {
		c.Patterns = nil
	}
	return c, nil
}

// cellFormat is the cell file's format, for strict decoding.
func cellFormat() strictjson.Format {
	return strictjson.Format{What: whatFile, Name: "cell file", Err: ErrDecode, Max: MaxEncodedCell, PlainText: true}
}

// cellFile is the desk example's earlier cell file.
type cellFile struct {
	Cell Cell      `json:"cell"`
	Rota []Pattern `json:"rota,omitempty"`
}

func decodeWrapped(data []byte) (Cell, error) {
	var f cellFile
	format := cellFormat()
	if err := format.Decode(data, &f); err != nil {
		return Cell{}, err
	}
	var fs []provenance.Finding
	if len(f.Rota) > 0 && len(f.Cell.Patterns) > 0 {
		fs = append(fs, format.Problem("rota", "the patterns are given twice, here and in cell.patterns: keep one list"))
	}
	if len(f.Rota) > MaxPatterns {
		fs = append(fs, format.Problem("rota", tooMany()))
	}
	if len(f.Cell.Patterns) > MaxPatterns {
		fs = append(fs, format.Problem("cell.patterns", tooMany()))
	}
	if err := format.Check(fs); err != nil {
		return Cell{}, err
	}
	c := f.Cell
	if len(f.Rota) > 0 {
		c.Patterns = f.Rota
	}
	if len(c.Patterns) == 0 {
		c.Patterns = nil
	}
	return c, nil
}

func tooMany() string { return fmt.Sprintf("more than %d patterns", MaxPatterns) }
