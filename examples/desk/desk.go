package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/internal/strictjson"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
)

// Config is the desk's own file, desk.json in the register's directory.
type Config struct {
	// Operator is who claims the indemnities.
	Operator indemnity.Party `json:"operator"`
	// Billing maps a measure to the tariff service it is claimed under.
	// The law does not say which line of the tariff a measure falls
	// under (see package indemnity), so the cell writes it here; a
	// measure with no entry is listed as not billable.
	Billing map[string]indemnity.Service `json:"billing,omitempty"`
	// MonthRule is how the cell counts periods in months (see
	// requisition.MonthRule: the choice is the cell's).
	MonthRule requisition.MonthRule `json:"month_rule"`
	// Keyring is read and ignored: the register's members are recorded
	// in the register itself (desk member add). It is kept so that the
	// desk.json of an earlier version still loads.
	Keyring []string `json:"keyring,omitempty"`
}

// CellFile is the cell file: the cell, and its rota as weekly patterns
// expanded into shifts over the period a command needs.
type CellFile struct {
	Cell ccj.Cell      `json:"cell"`
	Rota []ccj.Pattern `json:"rota,omitempty"`
}

// errInput marks bad input: the desk exits with status 2 and writes
// nothing.
type errInput struct{ msg string }

func (e *errInput) Error() string { return e.msg }

func inputErr(format string, args ...any) error { return &errInput{fmt.Sprintf(format, args...)} }

// maxFile bounds the files the desk reads.
const maxFile = 4 << 20

// readFile reads a file the desk was given, bounded.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, inputErr("%s: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, inputErr("%s: cannot read it", path)
	}
	if len(b) > maxFile {
		return nil, inputErr("%s: larger than %d bytes", path, maxFile)
	}
	return b, nil
}

// errDecodeFile is wrapped by the problems of the desk's own files.
var errDecodeFile = errors.New("desk: cannot decode the file")

// fileFormat is the strict JSON of the desk's own files: desk.json, the
// cell file, the samples.
func fileFormat() strictjson.Format {
	return strictjson.Format{What: "desk: decode", Name: "desk file", Err: errDecodeFile, Max: maxFile}
}

// decodeErr shortens a decoding error to at most three lines, naming the
// file.
func decodeErr(path string, err error) error {
	var problems []string
	var ps *provenance.Problems
	if errors.As(err, &ps) {
		for _, f := range ps.Errors() {
			problems = append(problems, strings.TrimPrefix(f.Field+": "+f.Text(language.English), ": "))
		}
	} else {
		problems = []string{err.Error()}
	}
	if len(problems) > 2 {
		problems = append(problems[:2], fmt.Sprintf("(%d more problems)", len(problems)-2))
	}
	return inputErr("%s: %s", path, strings.Join(problems, "\n  "))
}

func loadConfig(path string) (Config, error) {
	b, err := readFile(path)
	if err != nil {
		return Config{}, err
	}
	var c Config
	if err := fileFormat().Decode(b, &c); err != nil {
		return Config{}, decodeErr(path, err)
	}
	for m, s := range c.Billing {
		var meas requisition.Measure
		if err := meas.UnmarshalText([]byte(m)); err != nil {
			return Config{}, inputErr("%s: billing: %s", path, meas.Hint())
		}
		if !slices.ContainsFunc(indemnity.Tariff(), func(l indemnity.Line) bool { return l.Service == s }) {
			return Config{}, inputErr("%s: billing.%s: not a service of the tariff", path, m)
		}
	}
	return c, nil
}

func loadCell(path string) (CellFile, error) {
	b, err := readFile(path)
	if err != nil {
		return CellFile{}, err
	}
	var cf CellFile
	if err := fileFormat().Decode(b, &cf); err != nil {
		return CellFile{}, decodeErr(path, err)
	}
	if len(cf.Cell.Members) == 0 {
		return CellFile{}, inputErr("%s: cell.members: a cell needs at least one member", path)
	}
	// A year's expansion meets both clock changes: a shift starting in
	// the spring gap is refused here rather than on that night.
	if _, err := ccj.Expand(cf.Rota, date.New(2026, 1, 1), date.New(2026, 12, 31)); err != nil && len(cf.Rota) > 0 {
		return CellFile{}, inputErr("%s: rota: %v", path, err)
	}
	for i, sh := range cf.Cell.Shifts {
		if !sh.End.After(sh.Start) {
			return CellFile{}, inputErr("%s: cell.shifts[%d]: ends before it starts", path, i)
		}
	}
	return cf, nil
}

// withShifts returns the cell with its rota expanded over [from, to].
func (cf CellFile) withShifts(from, to time.Time) (ccj.Cell, error) {
	c := cf.Cell
	c.Shifts = slices.Clone(c.Shifts)
	if len(cf.Rota) > 0 {
		sh, err := ccj.Expand(cf.Rota, requisition.BrusselsDate(from).AddDate(0, 0, -1), requisition.BrusselsDate(to))
		if err != nil {
			return ccj.Cell{}, err
		}
		c.Shifts = append(c.Shifts, sh...)
		slices.SortStableFunc(c.Shifts, func(a, b ccj.Shift) int { return a.Start.Compare(b.Start) })
	}
	return c, nil
}

func (cf CellFile) memberIDs() []string {
	ids := make([]string, len(cf.Cell.Members))
	for i, m := range cf.Cell.Members {
		ids[i] = m.ID
	}
	return ids
}

// loadIdentity reads a member's identity file.
func loadIdentity(path string) (register.Identity, error) {
	if path == "" {
		return register.Identity{}, inputErr("no identity: give -identity FILE or set CCJKIT_IDENTITY to your identity file (desk member keygen makes one)")
	}
	b, err := readFile(path)
	if err != nil {
		return register.Identity{}, err
	}
	id, err := register.ParseIdentity(string(b))
	if err != nil {
		return register.Identity{}, inputErr("%s: %v", path, err)
	}
	return id, nil
}

// verdict asks the local chronyd how good the clock is. With no chronyd,
// it returns the zero Verdict: the evidence then says "not checked".
func verdict(ctx context.Context, clock timesync.Clock) (timesync.Verdict, string) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	v := timesync.Check(ctx, clock, timesync.Policy{}, timesync.Chrony{Timeout: 2 * time.Second})
	if len(v.Samples) == 0 {
		why := "no chronyd answered"
		if len(v.Failures) > 0 {
			why = v.Failures[0].Error()
		}
		return timesync.Verdict{}, why
	}
	return v, ""
}

// paths of a register directory.
func journalPath(dir string) string { return filepath.Join(dir, "ccj.journal") }
func configPath(dir string) string  { return filepath.Join(dir, "desk.json") }
