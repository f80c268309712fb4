package ccj

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// NTSU-CTIF's duty desk for interceptions, as the IBPT brochure §3.14 gives
// it — known from its quotation in Neutrinet's post of 10 February 2021,
// the project's seed [S]; the brochure itself was not found. Check them
// before relying on them.
const (
	NTSUDutyEmail = "DSU.NTSU.CTIF.PERM@police.belgium.eu"
	NTSUDutyPhone = "+32 2 642 77 11"
)

// ContactSheet writes, in the language tag asks for, the sheet a regulator
// or the police uses to reach the cell at instant at: the cell and its
// address, who to call in which order now (primary, backup, escalation),
// every member with a valid security advice and their channels, and
// NTSU-CTIF's duty desk. Members without a valid advice are left out: they
// may not answer. The sheet is written whole or, if w fails, with an error
// wrapping [ErrWrite] and w's error.
func (c Cell) ContactSheet(w io.Writer, at time.Time, tag language.Tag) error {
	p := messages().Printer(tag)
	day := timesync.Day(at)
	var b strings.Builder
	pair := func(label, value string) string { return p.Sprintf("%s: %s", p.Sprintf(label), value) }
	fmt.Fprintf(&b, "%s — %s\n", p.Sprintf("Justice Coordination Cell"), c.Name)
	fmt.Fprintln(&b, pair("Operator", c.Operator))
	fmt.Fprintf(&b, "%s\n\n", pair("Address", fmt.Sprintf("%s, %s %s, %s", c.Address.Street, c.Address.Postcode, c.Address.City, c.Address.Country)))

	oc := c.OnCall(at)
	fmt.Fprintln(&b, pair("Order of calls", timesync.FromTime(at).Display(tag)))
	for i, id := range oc.Order {
		m, _ := c.Contact(id)
		role := p.Sprintf("then")
		switch {
		case oc.Shift != nil && id == oc.Shift.Primary:
			role = p.Sprintf("on call now")
		case i < oc.OnDuty:
			role = p.Sprintf("backup")
		}
		fmt.Fprintf(&b, "  %d. %s (%s) %s\n", i+1, m.Name, role, m.Phone)
	}
	fmt.Fprintf(&b, "\n%s\n", p.Sprintf("%s:", p.Sprintf("Members with a valid security advice")))
	for _, m := range c.Members {
		if !m.Eligible(day) {
			continue
		}
		var chans []string
		for _, ch := range m.Contact().Channels {
			chans = append(chans, p.Sprintf(string(ch.Kind))+" "+ch.Value)
		}
		fmt.Fprintf(&b, "  - %s [%s] %s; %s\n", m.Name, m.ID, strings.Join(chans, ", "),
			p.Sprintf("valid to %s inclusive", timesync.DisplayDay(m.Advice.LastDay(), tag)))
	}
	fmt.Fprintf(&b, "\n%s\n", pair("NTSU-CTIF (interceptions): duty desk", NTSUDutyPhone+", "+NTSUDutyEmail))
	fmt.Fprintln(&b, p.Sprintf("Sheet drawn up on %s", timesync.FromTime(at).Display(tag)))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}

// Viewer is who wants to see something.
type Viewer uint8

const (
	// MemberViewer: a member of the cell with a valid security advice.
	MemberViewer Viewer = iota + 1
	// Technician: staff the cell calls on to execute a request.
	Technician
	// Outsider: anyone else, including the association's board.
	Outsider
)

// Subject is what a viewer wants to see.
type Subject uint8

const (
	// Case: a requisition with all its details (authority, reference,
	// targets, answer).
	Case Subject = iota + 1
	// WorkOrder: the need-to-know instruction a technician executes.
	WorkOrder
	// Statistics: counts that reveal no single case.
	Statistics
)

// Decision says whether a viewer may see a subject, why, and on what rule.
type Decision struct {
	Allowed bool              `json:"allowed"`
	Reason  string            `json:"reason"`
	Source  provenance.Source `json:"source"`
}

// MaySee answers whether viewer may see subject. Everyone who learns of a
// request is bound to professional secrecy; only the cell's members may
// know the request, and technicians are told only what they strictly need
// (IBPT brochure §3.16, known from its quotation in the project's seed
// [S]; Code d'instruction criminelle arts. 88bis §2 and 90quater §2 on
// secrecy, in their text before 2016 [V]). Statistics that reveal no case
// are public.
func MaySee(viewer Viewer, subject Subject) Decision {
	secrecy := provenance.Source{Instrument: "IBPT brochure on cooperation with the judicial authorities", Article: "§3.16",
		Edition: "as quoted in Neutrinet's post of 10 February 2021; the brochure itself was not found", Certainty: provenance.Secondary}
	switch {
	case subject == Statistics:
		return Decision{true, "statistics reveal no single case", technicalSource("transparency statistics")}
	case viewer == MemberViewer:
		return Decision{true, "members of the cell handle requests, under professional secrecy", secrecy}
	case viewer == Technician && subject == WorkOrder:
		return Decision{true, "a technician receives only the information strictly needed, under secrecy", secrecy}
	case viewer == Technician:
		return Decision{false, "a technician sees the work order, never the case", secrecy}
	}
	return Decision{false, "only members of the cell may know of a request", secrecy}
}
