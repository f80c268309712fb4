package main

import (
	"flag"

	"github.com/ccjkit/ccjkit/requisition"
)

func templateCommand() command {
	return command{"template", "MEASURE", "print a complete requisition for a measure, lawful now, to edit (desk values lists the keys)",
		func(*session, *flag.FlagSet) {}, runTemplate}
}

// runTemplate prints requisition.Template of the measure args[0], ordered
// and received now: a file desk receive accepts once its reference,
// targets and times are those of the order received.
func runTemplate(s *session, args []string) error {
	var m requisition.Measure
	if len(args) != 1 || args[0] == "" || m.UnmarshalText([]byte(args[0])) != nil {
		return inputErr("give one measure: %s", m.Hint())
	}
	r, err := requisition.Template(m, s.now())
	if err != nil {
		return err
	}
	return s.printJSON(r)
}
