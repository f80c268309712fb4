package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync"
)

// Config is the desk's own file, desk.json in the register's directory.
type Config struct {
	// Operator is who claims the indemnities.
	Operator indemnity.Party `json:"operator"`
	// Billing maps a measure to the tariff service it is claimed under
	// (see indemnity.Billing: the choice is the cell's); the cases of a
	// measure with no entry are listed as not billed.
	Billing indemnity.Billing `json:"billing,omitempty"`
	// MonthRule is how the cell counts periods in months (see
	// requisition.MonthRule: the choice is the cell's).
	MonthRule requisition.MonthRule `json:"month_rule"`
	// NothingHeld says whether a request answered "nothing held" is
	// claimed: "billed", "not-billed", or "undecided" (the default), which
	// lists such cases as not billed until the cell decides (see
	// indemnity.NothingHeldPolicy: no text retrieved settles it [U]).
	NothingHeld indemnity.NothingHeldPolicy `json:"nothing_held,omitzero"`
	// Offices is the cell's directory of the offices it claims from, by
	// key: a claim to an office listed here is addressed as it says,
	// whatever the orders give (see indemnity.Period.Offices).
	Offices map[string]requisition.Office `json:"offices,omitempty"`
	// Intake is how the mail intake (desk intake receive) judges a
	// sender: the cell's mail server's authserv-id and the authorities'
	// domains.
	Intake IntakeConfig `json:"intake,omitzero"`
	// Paging is how the member on call is paged when a requisition
	// arrives (desk intake receive), and through which services.
	Paging *PagingConfig `json:"paging,omitempty"`
	// Watch is which standing duties desk watch checks and pages as
	// alerts; absent, all of them with their defaults.
	Watch *WatchConfig `json:"watch,omitempty"`
	// RegisterDSNFile names the file (mode 0600) that holds the
	// PostgreSQL connection string of a register kept in PostgreSQL
	// (docs/postgres.md); -register-dsn and $CCJKIT_REGISTER_DSN come
	// first. Absent: the register is the journal file in the directory.
	RegisterDSNFile string `json:"register_dsn_file,omitempty"`
	// RetentionDSNFile names the file (mode 0600) that holds the
	// PostgreSQL connection string of a retention store kept in
	// PostgreSQL (package retention/pgretention; docs/postgres.md);
	// desk retention -store-dsn and $CCJKIT_RETENTION_DSN come first.
	// Absent: the embedded store in DIR/retention.
	RetentionDSNFile string `json:"retention_dsn_file,omitempty"`
	// X1 is the cell's ADMF: the NEs it tasks over X1 when a member
	// starts or stops an interception (desk intercept; desk watch at every
	// pass).
	X1 *X1Config `json:"x1,omitempty"`
	// Keyring is read and ignored: the register's members are recorded
	// in the register itself (desk member add). It is kept so that the
	// desk.json of an earlier version still loads.
	Keyring []string `json:"keyring,omitempty"`
}

// errInput marks bad input: the desk exits with status 2 and writes
// nothing.
// Its message is a sentence of the desk's catalogue and its arguments,
// said in the session's language when printed (Text).
type errInput struct {
	format string
	args   []any
}

// Error returns the message in English.
func (e *errInput) Error() string { return fmt.Sprintf(e.format, e.args...) }

// Text returns the message in the language tag asks for, its phrase
// arguments translated too.
func (e *errInput) Text(tag language.Tag) string {
	p := printer(tag)
	args := make([]any, len(e.args))
	for i, a := range e.args {
		args[i] = a
		if ph, ok := a.(phrase); ok {
			args[i] = p.Sprintf(string(ph))
		}
	}
	return p.Sprintf(e.format, args...)
}

// phrase is an argument of a message that is itself a sentence of the
// catalogue, translated with it ("case ID").
type phrase string

func inputErr(format string, args ...any) error { return &errInput{format, args} }

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
// file; with -json, every problem is printed (session.printProblems).
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
	return &fileProblems{errInput: &errInput{"%s: %s", []any{path, strings.Join(problems, "\n  ")}}, file: path, problems: ps}
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
	if err := c.Billing.Check(); err != nil {
		return Config{}, inputErr("%s: %v", path, err)
	}
	for key, o := range c.Offices {
		if o.Key != key {
			return Config{}, inputErr("%s: offices: an office's key must be the key it is listed under", path)
		}
		if err := o.Check(); err != nil {
			return Config{}, inputErr("%s: offices: %v", path, err)
		}
	}
	return c, nil
}

// loadCell reads the cell file, in ccj's form or the desk's earlier one
// ({"cell": ..., "rota": [...]}), and refuses a cell whose rota does not
// hold together at instant now (ccj's Check: members, shifts, patterns).
func loadCell(path string, now time.Time) (ccj.Cell, error) {
	b, err := readFile(path)
	if err != nil {
		return ccj.Cell{}, err
	}
	c, err := ccj.DecodeCell(b)
	if err != nil {
		return ccj.Cell{}, decodeErr(path, err)
	}
	if err := c.Check(now); err != nil {
		return ccj.Cell{}, decodeErr(path, err)
	}
	return c, nil
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
func verdict(ctx context.Context, clock timesync.Clock, tag language.Tag) (timesync.Verdict, string) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	v := timesync.Check(ctx, clock, timesync.Policy{}, timesync.Chrony{Timeout: 2 * time.Second})
	if len(v.Samples) == 0 {
		return timesync.Verdict{}, unchecked(v.Failures, tag)
	}
	return v, ""
}

// unchecked says, in the language tag asks for, why no time source
// answered: which source, and whether it did not answer or answered
// what ccjkit cannot read. The tool's own message (chronyc's "506 Cannot
// talk to daemon") is clockcheck's to show.
func unchecked(failures []*timesync.SourceError, tag language.Tag) string {
	p := printer(tag)
	if len(failures) == 0 {
		return p.Sprintf("no chronyd answered")
	}
	f := failures[0]
	if errors.Is(f, timesync.ErrBadAnswer) {
		return p.Sprintf("%s gave an answer that cannot be read; clockcheck says more", f.Source)
	}
	return p.Sprintf("%s did not answer; clockcheck says why", f.Source)
}

// paths of a register directory.
func journalPath(dir string) string { return filepath.Join(dir, "ccj.journal") }
func configPath(dir string) string  { return filepath.Join(dir, "desk.json") }
