package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
)

func runVerify(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("verify takes no argument")
	}
	if err := s.language(); err != nil {
		return err
	}
	path := journalPath(s.dir)
	fail := func(what string, err error) error {
		if s.asJSON {
			s.printJSON(map[string]any{"verified": false, "problem": what, "error": err.Error()})
		}
		return fmt.Errorf("%s does not verify: %w; the file was not modified", path, err)
	}
	if s.anchorDir != "" {
		// A register this machine kept must still be there, the same
		// journal.
		if err := s.anchors().CheckPath(path); err != nil && !errors.Is(err, journal.ErrNoHeader) {
			var ce *journal.CorruptError
			if !errors.As(err, &ce) {
				return fail("checkpoint", err)
			}
		}
	}
	if _, err := os.Stat(path); err != nil {
		return inputErr("%s: no journal", path)
	}
	recs, err := journal.ReadFile(path)
	torn := journal.IsTornTail(err)
	var ce *journal.CorruptError
	switch {
	case errors.Is(err, journal.ErrNoHeader):
		return fail("no-header", fmt.Errorf("%w: if the file is empty or holds only part of a header, run desk repair (docs/recovery.md)", err))
	case errors.As(err, &ce) && !torn:
		return fail("corrupt", fmt.Errorf("record %d (byte %d) is the first bad one: %s (docs/recovery.md)", ce.Seq, ce.Offset, ce.Reason))
	case err != nil && !torn:
		return err
	}
	audit, aerr := register.AuditRecords(recs)
	if aerr != nil {
		return fail("roster", aerr)
	}
	cps, cerr := s.anchors().CheckAnchors(recs)
	if cerr != nil {
		return fail("checkpoint", cerr)
	}
	// With an identity, the sealed records are opened and replayed too:
	// each step's actor must be the member who signed it.
	replayed := false
	if s.identity != "" && len(audit.Members) > 0 {
		id, err := loadIdentity(s.identity)
		if err != nil {
			return err
		}
		reg, _, err := register.Open(path, register.Config{Clock: s.clock, Identity: id})
		if err != nil {
			return fail("replay", err)
		}
		reg.Close()
		replayed = true
	}
	last := recs[len(recs)-1]
	if s.asJSON {
		return s.printJSON(map[string]any{"verified": true, "records": len(recs), "unsigned": audit.Unsigned, "members": audit.Members, "replayed": replayed,
			"checkpoints": len(cps), "torn_tail": torn, "last_seq": last.Seq, "last_hash": last.Hash.String(), "first": recs[0].Time, "last": last.Time})
	}
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("%s: %d records, hash chain intact, from %s to %s; last hash %s", path, len(recs), stamp(recs[0].Time), stamp(last.Time), last.Hash))
	if audit.Unsigned > 0 {
		fmt.Fprintln(s.out, p.Sprintf("%d record(s) unsigned (earlier format): verified by the chain, attributed only by their sealed content", audit.Unsigned))
	}
	for _, m := range audit.Members {
		fmt.Fprintln(s.out, p.Sprintf("signatures: %s (%s) signed %d record(s)", m.Name, m.Role, m.Records))
	}
	fmt.Fprintln(s.out, p.Sprintf("%d checkpoint(s) kept on this machine hold", len(cps)))
	if replayed {
		fmt.Fprintln(s.out, p.Sprintf("every record opened and replayed: each step was signed by the member it names"))
	}
	if torn {
		fmt.Fprintln(s.out, p.Sprintf("the journal ends with an incomplete write (never acknowledged); the next write sets it aside"))
	}
	return nil
}

func runRepair(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("repair takes no argument")
	}
	path := journalPath(s.dir)
	_, err := journal.ReadFile(path)
	switch {
	case errors.Is(err, journal.ErrNoHeader):
		moved, err := journal.RecoverHeaderless(path, s.clock)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "the header-less file was set aside as %s; the next desk command creates a new journal (run desk init again)\n", moved)
		return nil
	case journal.IsTornTail(err):
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
			fmt.Fprintln(s.out, "nothing to repair")
			return nil
		}
		fmt.Fprintf(s.out, "the incomplete last write was set aside (record %d records the repair)\n", recs[0].Seq)
		return nil
	case err != nil:
		return fmt.Errorf("%w: this is damage, not a crash's incomplete write: desk repair does not cut it; see docs/recovery.md", err)
	}
	fmt.Fprintln(s.out, "nothing to repair")
	return nil
}
