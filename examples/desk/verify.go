package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
)

// verified is what desk verify found in a journal that verifies.
type verified struct {
	path  string
	audit register.Audit
	sum   journal.Summary
	// torn: the journal ends with an incomplete write.
	torn bool
	// replayed: every record was opened and replayed with the member's
	// identity.
	replayed bool
}

// runVerify checks the register in one streaming pass, in constant
// memory — chain, signatures, roster and this machine's checkpoints —
// then, with an identity, opens and replays it, and says what it found.
// It never writes.
func runVerify(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("verify takes no argument")
	}
	if err := s.language(); err != nil {
		return err
	}
	if c, err := loadConfig(configPath(s.dir)); err == nil {
		s.cfg = c
	}
	if dsn, err := s.registerDSN(); err != nil {
		return err
	} else if dsn != "" {
		return s.verifyPostgres(dsn)
	}
	v, err := s.auditJournal(journalPath(s.dir))
	if err != nil {
		return err
	}
	if v.replayed, err = s.replay(v); err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(v.jsonReport())
	}
	v.report(s)
	return nil
}

// auditJournal streams the journal at path once through
// register.AuditJournal, with this machine's checkpoints and a progress
// line on a terminal, and checks that it is the journal this machine
// kept there.
func (s *session) auditJournal(path string) (verified, error) {
	opts := journal.ScanOptions{}
	if s.anchorDir != "" {
		opts.Checkpoints = s.anchors().Load
	}
	bar := s.progressLine("verifying")
	if bar != nil {
		opts.Progress, opts.ProgressEvery = bar.report, 1<<20
	}
	audit, sum, scanErr := register.AuditJournal(path, opts)
	bar.end()
	var placeErr error
	if s.anchorDir != "" {
		placeErr = s.anchors().CheckLocation(path, sum, scanErr)
	}
	if err := s.verifyProblem(path, audit, sum, scanErr, placeErr); err != nil {
		return verified{}, err
	}
	return verified{path: path, audit: audit, sum: sum, torn: journal.IsTornTail(scanErr)}, nil
}

// verifyProblem turns what the scan found (scanErr) and what the check
// of the journal's place found (placeErr) into the one error desk verify
// reports, or nil when the journal verifies.
func (s *session) verifyProblem(path string, audit register.Audit, sum journal.Summary, scanErr, placeErr error) error {
	var ce *journal.CorruptError
	switch {
	case errors.Is(scanErr, journal.ErrNoHeader):
		return s.notVerified(path, "no-header", noHeader(sum.Size, placeErr))
	case errors.Is(placeErr, journal.ErrCheckpoint):
		return s.notVerified(path, "checkpoint", placeErr)
	case errors.Is(scanErr, journal.ErrCheckpoint):
		return s.notVerified(path, "checkpoint", scanErr)
	case errors.Is(scanErr, fs.ErrNotExist):
		return inputErr("%s: no journal", path)
	case errors.As(scanErr, &ce) && !journal.IsTornTail(scanErr):
		return s.notVerified(path, "corrupt", fmt.Errorf("record %d (byte %d) is the first bad one: %s (docs/recovery.md)", ce.Seq, ce.Offset, ce.Reason))
	case errors.Is(scanErr, register.ErrRoster):
		return s.notVerified(path, "roster", scanErr)
	case len(audit.Violations) > 0:
		// A journal ending with an incomplete write: AuditJournal returns
		// the torn tail, the roster's violations are in the audit.
		return s.notVerified(path, "roster", &register.RosterError{Violations: audit.Violations})
	case scanErr != nil && !journal.IsTornTail(scanErr):
		return scanErr
	case placeErr != nil:
		// Not the scan's error: the anchors could not be read.
		return s.notVerified(path, "checkpoint", placeErr)
	}
	return nil
}

// notVerified is the error of a journal that does not verify, also
// written as JSON with -json.
func (s *session) notVerified(path, problem string, err error) error {
	if s.asJSON {
		s.printJSON(map[string]any{"verified": false, "problem": problem, "error": err.Error()})
	}
	return fmt.Errorf("%s does not verify: %w; the file was not modified", path, err)
}

// noHeader says what a file without a whole journal header is, and what
// to do: size is its length, placeErr what the check of its place found.
func noHeader(size int64, placeErr error) error {
	what := "the file is empty"
	if size > 0 {
		what = fmt.Sprintf("the file holds only part of a journal header (%d bytes)", size)
	}
	if errors.Is(placeErr, journal.ErrCheckpoint) {
		return fmt.Errorf("%s, yet this machine kept a register here (%w): restore it from a backup, or set the file aside with desk repair (docs/recovery.md)", what, placeErr)
	}
	return fmt.Errorf("%s, so there is no record in it: desk repair sets it aside, then desk init creates a journal (docs/recovery.md)", what)
}

// replay opens the register with the member's identity, when one is
// given and the journal has a roster: every sealed record is opened and
// replayed, and each step's actor must be the member who signed it.
func (s *session) replay(v verified) (bool, error) {
	if s.identity == "" || len(v.audit.Members) == 0 {
		return false, nil
	}
	id, err := loadIdentity(s.identity)
	if err != nil {
		return false, err
	}
	reg, _, err := register.Open(v.path, register.Config{Clock: s.clock, Identity: id})
	if err != nil {
		return false, s.notVerified(v.path, "replay", err)
	}
	reg.Close()
	return true, nil
}

// jsonReport is what desk verify -json writes of a journal that
// verifies.
func (v verified) jsonReport() map[string]any {
	return map[string]any{"verified": true, "records": v.sum.Records, "unsigned": v.audit.Unsigned, "members": v.audit.Members, "replayed": v.replayed,
		"checkpoints": v.sum.Checkpoints, "torn_tail": v.torn, "last_seq": v.sum.Records - 1, "last_hash": v.sum.Last.String(), "first": v.sum.Created, "last": v.sum.LastTime}
}

// report writes what desk verify found, for people.
func (v verified) report(s *session) {
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("%s: %d records, hash chain intact, from %s to %s; last hash %s", v.path, v.sum.Records, stamp(v.sum.Created, s.tag), stamp(v.sum.LastTime, s.tag), v.sum.Last))
	if v.audit.Unsigned > 0 {
		fmt.Fprintln(s.out, p.Sprintf("%[1]d {1:record|records} unsigned (earlier format): verified by the chain, attributed only by {1:its|their} sealed content", v.audit.Unsigned))
	}
	for _, m := range v.audit.Members {
		fmt.Fprintln(s.out, p.Sprintf("signatures: %[1]s (%[2]s) signed %[3]d {3:record|records}", m.Name, m.Role.Label(s.tag), m.Records))
	}
	fmt.Fprintln(s.out, p.Sprintf("%[1]d {1:checkpoint|checkpoints} kept on this machine {1:holds|hold}", v.sum.Checkpoints))
	if v.replayed {
		fmt.Fprintln(s.out, p.Sprintf("every record opened and replayed: each step was signed by the member it names"))
	}
	if v.torn {
		fmt.Fprintln(s.out, p.Sprintf("the journal ends with an incomplete write (never acknowledged); the next write sets it aside"))
	}
}

// progress is a one-line progress report on a terminal: "verifying:
// 42 %", updated in place, ended by a newline.
type progress struct {
	w     io.Writer
	what  string
	last  int64
	shown bool
}

// progressLine returns a progress line on the session's standard error
// when it is a terminal and the output is not JSON, nil otherwise (a nil
// *progress reports nothing).
func (s *session) progressLine(what string) *progress {
	if s.asJSON || !isTerminal(s.err) {
		return nil
	}
	return &progress{w: s.err, what: what}
}

// report is a journal.ScanOptions Progress function.
func (p *progress) report(done, total int64) {
	if total <= 0 {
		return
	}
	pct := done * 100 / total
	if p.shown && pct == p.last {
		return
	}
	p.last, p.shown = pct, true
	fmt.Fprintf(p.w, "\r%s: %d %%", p.what, pct)
}

// end ends the line, if one was written.
func (p *progress) end() {
	if p != nil && p.shown {
		fmt.Fprintln(p.w)
	}
}

// runRepair sets aside what a crash can leave: a header-less file, or
// an incomplete last write (recorded by a repair record, signed with
// the member's identity). Damage it refuses.
func runRepair(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("repair takes no argument")
	}
	if err := s.language(); err != nil {
		return err
	}
	path := journalPath(s.dir)
	_, err := journal.Verify(path, journal.ScanOptions{})
	switch {
	case errors.Is(err, journal.ErrNoHeader):
		moved, err := journal.RecoverHeaderless(path, s.clock)
		if err != nil {
			return err
		}
		fmt.Fprintln(s.out, printer(s.tag).Sprintf("the header-less file was set aside as %s; the next desk command creates a new journal (run desk init again)", moved))
		return nil
	case journal.IsTornTail(err):
		return s.repairTornTail(path)
	case err != nil:
		return fmt.Errorf("%w: this is damage, not a crash's incomplete write: desk repair does not cut it; see docs/recovery.md", err)
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("nothing to repair"))
	return nil
}

// repairTornTail sets aside the incomplete last write of the journal at
// path, in a write signed by the member that records the repair.
func (s *session) repairTornTail(path string) error {
	id, err := loadIdentity(s.identity)
	if err != nil {
		return err
	}
	var anchors *journal.Anchors
	if s.anchorDir != "" {
		a := s.anchors()
		anchors = &a
	}
	recs, err := register.RepairJournal(path, id, s.clock, anchors)
	if err != nil {
		return fmt.Errorf("not repaired: %w", err)
	}
	if len(recs) == 0 {
		// Another member's write set it aside since we looked.
		fmt.Fprintln(s.out, printer(s.tag).Sprintf("nothing to repair"))
		return nil
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("the incomplete last write was set aside (record %d records the repair)", recs[0].Seq))
	return nil
}
