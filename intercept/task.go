package intercept

import (
	"fmt"
	"log/slog"
	"net/netip"
	"time"
	"unicode/utf8"

	"github.com/ccjkit/ccjkit/provenance"
)

// TargetKind says how a target is designated.
type TargetKind uint8

// The kinds of target. The zero TargetKind is invalid.
const (
	// TargetAddress designates a static address or prefix, IPv4 or IPv6:
	// every packet from or to it is the target's.
	TargetAddress TargetKind = 1
	// TargetUsername designates a subscriber by the identity the access
	// network authenticates (a RADIUS User-Name, a VPN certificate's name,
	// a DHCP client identifier): its addresses are learnt from sessions
	// (see SessionSource) and change as the subscriber reconnects.
	TargetUsername TargetKind = 2
)

// String returns "address" or "username".
func (k TargetKind) String() string {
	switch k {
	case TargetAddress:
		return "address"
	case TargetUsername:
		return "username"
	}
	return fmt.Sprintf("TargetKind(%d)", uint8(k))
}

// MaxUsernameLen bounds a target username, in bytes: RADIUS attributes
// carry at most 253 octets (RFC 2865 §5).
const MaxUsernameLen = 253

// Target is what an interception order designates. It is case detail under
// professional secrecy: its String and LogValue hide it from fmt and
// log/slog; read its fields to use it.
type Target struct {
	Kind TargetKind
	// Prefix is the address or prefix of a TargetAddress (a single address
	// is a /32 or /128 prefix). It must be in canonical form (Masked).
	Prefix netip.Prefix
	// Username is the identity of a TargetUsername: 1 to MaxUsernameLen
	// bytes of UTF-8.
	Username string
}

// AddressTarget returns the target designated by a static prefix; a single
// address is given as its /32 or /128.
func AddressTarget(p netip.Prefix) Target {
	return Target{Kind: TargetAddress, Prefix: p}
}

// UsernameTarget returns the target designated by an access-network identity.
func UsernameTarget(name string) Target {
	return Target{Kind: TargetUsername, Username: name}
}

// String hides the target, so that fmt's %v of a task never prints it:
// "address target [secret]".
func (t Target) String() string { return t.Kind.String() + " target [secret]" }

// LogValue hides the target in structured logs: only its kind shows.
func (t Target) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", t.Kind.String()), slog.String("value", "[secret]"))
}

// check adds a finding for each rule the target breaks; field is its path.
func (t Target) check(field string, c *checker) {
	switch t.Kind {
	case TargetAddress:
		t.checkAddress(field, c)
	case TargetUsername:
		t.checkUsername(field, c)
	default:
		c.add("target-kind", provenance.Rule("target-kind"), field+".Kind", ErrTarget, "unknown target kind %d", uint8(t.Kind))
	}
}

// checkAddress checks an address target: a valid, masked prefix, not
// IPv4-mapped, and no username.
func (t Target) checkAddress(field string, c *checker) {
	src := provenance.Rule("target-prefix")
	switch {
	case !t.Prefix.IsValid():
		c.add("target-prefix", src, field+".Prefix", ErrTarget, "an address target needs a valid prefix")
	case t.Prefix != t.Prefix.Masked():
		c.add("target-prefix", src, field+".Prefix", ErrTarget, "the prefix has host bits set; write it masked")
	case t.Prefix.Addr().Is4In6():
		c.add("target-prefix", src, field+".Prefix", ErrTarget, "an IPv4-mapped IPv6 prefix; write the IPv4 prefix")
	}
	if t.Username != "" {
		c.add("target-kind", provenance.Rule("target-kind"), field+".Username", ErrTarget, "an address target has no username")
	}
}

// checkUsername checks a username target: 1 to MaxUsernameLen bytes of
// UTF-8, and no prefix.
func (t Target) checkUsername(field string, c *checker) {
	switch {
	case t.Username == "":
		c.add("target-username", provenance.Rule("target-username"), field+".Username", ErrTarget, "a username target needs a username")
	case len(t.Username) > MaxUsernameLen:
		c.add("target-username", rfc2865s5(), field+".Username", ErrTarget, "a username longer than %d bytes (RFC 2865 §5)", MaxUsernameLen)
	case !utf8.ValidString(t.Username):
		c.add("target-username", provenance.Rule("target-username"), field+".Username", ErrTarget, "a username that is not UTF-8")
	}
	if t.Prefix.IsValid() {
		c.add("target-kind", provenance.Rule("target-kind"), field+".Prefix", ErrTarget, "a username target has no prefix; its addresses come from sessions")
	}
}

// Task is one interception as the equipment carries it out: under which
// LIID, on whom, from when to when, what to deliver and to which agency.
// It is the technical side of an interception order (Code d'instruction
// criminelle art. 90ter and 90quater); the order itself stays in the
// register (package requisition/register).
//
// A Task is case detail under professional secrecy; its LogValue shows only
// the LIID's length and the number of targets.
type Task struct {
	// ID identifies the task locally. It doubles as the XID of TS 103 221
	// (X1/X2/X3) should the capture and delivery sides ever run on separate
	// machines. It must not be all zeros.
	ID [16]byte
	// LIID is the identifier the agency gave; it heads every record.
	LIID LIID
	// Targets are what the order designates; at least one.
	Targets []Target
	// NotBefore and NotAfter bound the interception: a packet or event is
	// intercepted when NotBefore <= its time < NotAfter, judged on each
	// packet's own capture time. Both are required: an order states its
	// period, at most one month from the decision (CIC art. 90quater §1,
	// text before 2016 [V]), extensions up to six months in all (art.
	// 90quinquies [V]); ccjkit does not cap the window because the present
	// text was not retrieved — the register checks the order itself.
	NotBefore, NotAfter time.Time
	// Delivery says whether IRI, CC or both are delivered.
	Delivery Delivery
	// Agency names the receiving agency's handover configuration (for
	// Belgium, the NTSU-CTIF). 1 to 64 bytes of printable ASCII.
	Agency string
	// AccessType is how the targets reach the network, reported in IRIs.
	AccessType AccessType
}

// Active reports whether the task intercepts at instant t: NotBefore <= t
// and t < NotAfter.
func (t *Task) Active(at time.Time) bool {
	return !at.Before(t.NotBefore) && at.Before(t.NotAfter)
}

// String hides the task's case detail from fmt: "task [secret]: 2
// target(s), IRIAndCC".
func (t Task) String() string {
	return fmt.Sprintf("task [secret]: %d target(s), %v", len(t.Targets), t.Delivery)
}

// LogValue hides the task's case detail in structured logs.
func (t Task) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("liid_octets", t.LIID.Len()),
		slog.Int("targets", len(t.Targets)),
		slog.String("delivery", t.Delivery.String()),
	)
}

// Validate checks the task and returns a *provenance.Problems (What
// "intercept: task") listing every rule it breaks, or nil. Each finding
// wraps ErrTask, ErrLIID or ErrTarget.
func (t *Task) Validate() error {
	var c checker
	if t.ID == ([16]byte{}) {
		c.add("task-id", provenance.Rule("task-id"), "ID", ErrTask, "the task ID is all zeros")
	}
	if !t.LIID.IsValid() {
		c.add("task-liid", etsiField("TS 102 232-1", "PSHeader lawfulInterceptionIdentifier [1]"), "LIID", ErrLIID, "missing")
	}
	t.checkTargets(&c)
	switch {
	case t.NotBefore.IsZero() || t.NotAfter.IsZero():
		c.add("task-period", art90quater1(), "NotBefore/NotAfter", ErrTask, "the period is required: an interception order states it (CIC art. 90quater §1)")
	case !t.NotBefore.Before(t.NotAfter):
		c.add("task-period", art90quater1(), "NotAfter", ErrTask, "the period ends before it begins")
	}
	if t.Delivery < IRIOnly || t.Delivery > IRIAndCC {
		c.add("task-delivery", etsiField("TS 103 221-1", "deliveryType"), "Delivery", ErrTask, "unknown delivery %d", uint8(t.Delivery))
	}
	if t.Agency == "" || len(t.Agency) > 64 || !isPrintableASCII(t.Agency) {
		c.add("task-agency", provenance.Rule("task-agency"), "Agency", ErrTask, "the agency name must be 1 to 64 characters of printable ASCII")
	}
	if !t.AccessType.IsKnown() {
		c.add("task-access-type", etsiField("TS 102 232-3", "internetAccessType"), "AccessType", ErrTask, "unknown access type %d (TS 102 232-3 internetAccessType)", uint8(t.AccessType))
	}
	return c.err(whatTask)
}

// checkTargets checks that the task designates at least one target, each
// valid and none twice.
func (t *Task) checkTargets(c *checker) {
	if len(t.Targets) == 0 {
		c.add("task-targets", art90quater1(), "Targets", ErrTask, "an interception designates at least one target (CIC art. 90quater §1)")
	}
	seen := make(map[Target]int, len(t.Targets))
	for i, tg := range t.Targets {
		f := fmt.Sprintf("Targets[%d]", i)
		tg.check(f, c)
		if j, dup := seen[tg]; dup {
			c.add("target-duplicate", provenance.Rule("target-duplicate"), f, ErrTarget, "the same target as Targets[%d]", j)
		} else {
			seen[tg] = i
		}
	}
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}
