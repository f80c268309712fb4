package requisitiontest

import (
	"fmt"
	"net/netip"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Case is a requisition, the moment it is checked, and what its validation
// must say.
type Case struct {
	Requisition requisition.Requisition
	// At is the moment of the check (the Received time, or later).
	At time.Time
	// Rule names the rule the case breaks ("" for a valid case).
	Rule string
	// Want is the sentinel the validation error must wrap; nil for a valid
	// case.
	Want error
}

// Target draws a well-formed target of any kind, with a time window for IP
// addresses and prefixes around the instant near.
func Target(near time.Time) *rapid.Generator[requisition.Target] {
	return rapid.Custom(func(t *rapid.T) requisition.Target {
		from := timesync.FromTime(near.Add(-time.Duration(rapid.IntRange(1, 72).Draw(t, "window_hours")) * time.Hour))
		until := timesync.FromTime(near)
		switch kind := rapid.SampledFrom([]requisition.TargetKind{
			requisition.TargetIP, requisition.TargetPrefix, requisition.TargetPhone, requisition.TargetEmail, requisition.TargetUsername,
			requisition.TargetIMEI, requisition.TargetIMSI, requisition.TargetMAC, requisition.TargetSubscriber,
		}).Draw(t, "kind"); kind {
		case requisition.TargetIP:
			var a netip.Addr
			if rapid.Bool().Draw(t, "v6") {
				a = netip.AddrFrom16([16]byte(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "v6addr")))
			} else {
				a = netip.AddrFrom4([4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "v4addr")))
			}
			return requisition.Target{Kind: kind, Addr: a, Port: uint16(rapid.IntRange(0, 65535).Draw(t, "port")), From: from, Until: until}
		case requisition.TargetPrefix:
			a := netip.AddrFrom4([4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "v4addr")))
			p := netip.PrefixFrom(a, rapid.IntRange(8, 32).Draw(t, "bits")).Masked()
			return requisition.Target{Kind: kind, Prefix: p, From: from, Until: until}
		case requisition.TargetPhone:
			return requisition.Target{Kind: kind, Value: "+32" + digits(t, 8, "phone")}
		case requisition.TargetEmail:
			return requisition.Target{Kind: kind, Value: rapid.StringMatching(`[a-z]{1,10}`).Draw(t, "local") + "@example.be"}
		case requisition.TargetIMEI:
			return requisition.Target{Kind: kind, Value: IMEI(digits(t, 14, "imei"))}
		case requisition.TargetIMSI:
			return requisition.Target{Kind: kind, Value: "206" + digits(t, 12, "imsi")}
		case requisition.TargetMAC:
			return requisition.Target{Kind: kind, Value: rapid.StringMatching(`([0-9a-f]{2}:){5}[0-9a-f]{2}`).Draw(t, "mac")}
		default:
			return requisition.Target{Kind: kind, Value: rapid.StringMatching(`[a-z0-9]{3,20}`).Draw(t, "value")}
		}
	})
}

func digits(t *rapid.T, n int, label string) string {
	return rapid.StringMatching(fmt.Sprintf(`[0-9]{%d}`, n)).Draw(t, label)
}

// IMEI returns the 15-digit IMEI made of body (14 digits) and its Luhn
// check digit.
func IMEI(body string) string {
	sum := 0
	for i := 0; i < 14; i++ {
		d := int(body[13-i] - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return body + string(rune('0'+(10-sum%10)%10))
}

// Ordered draws the instant an order was signed: one time in three within
// a day of a day on which the law's edition changes
// ([requisition.EditionChanges]), otherwise any instant
// timesynctest.Timestamp draws (summer-time changes, month ends, 29
// February, midnights included), so that properties see both sides of
// every change.
func Ordered() *rapid.Generator[timesync.Timestamp] {
	changes := requisition.EditionChanges()
	return rapid.Custom(func(t *rapid.T) timesync.Timestamp {
		if rapid.IntRange(0, 2).Draw(t, "near_change") > 0 {
			return timesynctest.Timestamp().Draw(t, "any")
		}
		day := rapid.SampledFrom(changes).Draw(t, "change")
		start := timesync.DayStart(day)
		return timesync.FromTime(start.Add(time.Duration(rapid.IntRange(-86400, 86399).Draw(t, "from_change_s")) * time.Second))
	})
}

// Valid draws requisitions that pass Validate at Case.At with
// requisition.FromNextDay: a lawful authority and circumstance for the
// measure, a reasoned order, items the measure covers, well-formed targets,
// a period within the law's maximum, checked on receipt.
func Valid() *rapid.Generator[Case] {
	return rapid.Custom(func(t *rapid.T) Case {
		ordered := Ordered().Draw(t, "ordered")
		received := ordered.Add(time.Duration(rapid.IntRange(0, 12*3600).Draw(t, "delay_s")) * time.Second)
		m := rapid.SampledFrom(requisition.Measures()).Draw(t, "measure")
		r := requisition.Requisition{
			Reference: "PV-" + digits(t, 6, "reference"),
			Measure:   m, Authority: requisition.JugeInstruction,
			Ordered: ordered, Received: received, Reasoned: true,
		}
		switch m {
		case requisition.Identification:
			r.Authority = rapid.SampledFrom([]requisition.Authority{requisition.ProcureurDuRoi, requisition.JugeInstruction}).Draw(t, "authority")
		case requisition.TrafficLocation:
			switch rapid.IntRange(0, 2).Draw(t, "how") {
			case 1: // procureur in flagrant délit, confirmed in time
				r.Authority, r.Circumstance = requisition.ProcureurDuRoi, requisition.FlagrantDelit
				r.Offences = []string{"90ter-" + rapid.SampledFrom([]string{"terrorism", "drugs", "murder"}).Draw(t, "offence")}
				r.Confirmed = ordered.Add(time.Duration(rapid.IntRange(60, 23*3600).Draw(t, "confirmed_s")) * time.Second)
			case 2: // procureur at a plaintiff's request
				r.Authority, r.Circumstance = requisition.ProcureurDuRoi, requisition.PlaintiffRequest
				r.Offences = []string{rapid.SampledFrom([]string{"telecom-145-3", "telecom-145-3bis"}).Draw(t, "offence")}
			}
		case requisition.Interception:
			r.Offences = []string{"90ter-" + rapid.SampledFrom([]string{"terrorism", "criminal-organisation", "trafficking"}).Draw(t, "offence")}
		case requisition.Cooperation:
			r.Cooperation = rapid.SampledFrom([]requisition.CooperationKind{requisition.CooperationInformation, requisition.CooperationOperation}).Draw(t, "paragraph")
			if rapid.Bool().Draw(t, "delegated") {
				r.Authority, r.Circumstance = requisition.OfficierPoliceJudiciaire, requisition.Delegation
			}
		}
		at := received
		if r.Confirmed.After(at) {
			at = r.Confirmed // checked once the confirmation is in
		}
		if months, _ := m.MaxMonths(); months > 0 {
			limit, err := requisition.ValidityEnd(ordered.Time(), months, requisition.FromNextDay)
			if err != nil {
				t.Fatal(err)
			}
			// Between the check (excluded) and the legal limit.
			span := int64(limit.At.Sub(at.Time()) / time.Second)
			r.ValidUntil = at.Add(time.Duration(rapid.Int64Range(1, span).Draw(t, "valid_s")) * time.Second)
		}
		allowed := m.Items()
		r.Items = rapid.SliceOfNDistinct(rapid.SampledFrom(allowed), 1, len(allowed), func(i requisition.Item) requisition.Item { return i }).Draw(t, "items")
		r.Targets = rapid.SliceOfN(Target(received.Time()), 1, 3).Draw(t, "targets")
		switch rapid.IntRange(0, 2).Draw(t, "response") {
		case 0:
			r.Response = requisition.ResponsePolicy{Kind: requisition.RealTime}
		case 1:
			r.Response = requisition.ResponsePolicy{Kind: requisition.Immediately}
		default:
			r.Response = requisition.ResponsePolicy{Kind: requisition.AtStatedMoment,
				Stated: received.Add(time.Duration(rapid.IntRange(1, 72).Draw(t, "stated_h")) * time.Hour)}
		}
		return Case{Requisition: r, At: at.Time()}
	})
}

// breakage turns a valid case into one that breaks a rule, or reports that
// it does not apply to that case.
//
// The rules of the Code d'instruction criminelle that ccjkit holds in
// their text before 2016 are errors only for orders signed before the
// first later law that may have changed them came into force
// ([requisition.Law2016RetentionInForce], 28 July 2016); after it they are
// warnings (the text in force was not retrieved), so their breakages apply
// to earlier orders only.
type breakage struct {
	rule  string
	want  error
	apply func(t *rapid.T, c *Case) bool
}

// beforeLaw2016 applies a breakage of a rule of the text before 2016 only
// to an order signed while that text is the one ccjkit holds as in force.
func beforeLaw2016(apply func(t *rapid.T, c *Case) bool) func(t *rapid.T, c *Case) bool {
	return func(t *rapid.T, c *Case) bool {
		if c.Requisition.Ordered.Day() >= requisition.Law2016RetentionInForce() {
			return false
		}
		return apply(t, c)
	}
}

func breakages() []breakage {
	return []breakage{
		{"reasoned-order", requisition.ErrNotReasoned, beforeLaw2016(func(t *rapid.T, c *Case) bool {
			r := &c.Requisition
			if r.Measure == requisition.ExtendedSearch || r.Measure == requisition.Cooperation && r.Cooperation != requisition.CooperationInformation {
				return false // the texts retrieved ask for no reasoned order there
			}
			r.Reasoned = false
			return true
		})},
		{"response-missing", requisition.ErrMissing, func(t *rapid.T, c *Case) bool {
			c.Requisition.Response = requisition.ResponsePolicy{}
			return true
		}},
		{"88bis-authority", requisition.ErrAuthority, beforeLaw2016(func(t *rapid.T, c *Case) bool {
			if c.Requisition.Measure != requisition.TrafficLocation {
				return false
			}
			c.Requisition.Authority, c.Requisition.Circumstance, c.Requisition.Offences = requisition.ProcureurDuRoi, requisition.Ordinary, nil
			return true
		})},
		{"90ter-authority", requisition.ErrAuthority, beforeLaw2016(func(t *rapid.T, c *Case) bool {
			if c.Requisition.Measure != requisition.Interception {
				return false
			}
			c.Requisition.Authority = rapid.SampledFrom([]requisition.Authority{requisition.ProcureurDuRoi, requisition.OfficierPoliceJudiciaire}).Draw(t, "authority")
			return true
		})},
		{"88quater-protected", requisition.ErrProtectedPerson, beforeLaw2016(func(t *rapid.T, c *Case) bool {
			if c.Requisition.Measure != requisition.Cooperation || c.Requisition.Cooperation != requisition.CooperationOperation {
				return false
			}
			c.Requisition.Addressee = rapid.SampledFrom([]requisition.Addressee{requisition.Inculpe, requisition.Article156Person}).Draw(t, "addressee")
			return true
		})},
		{"period-too-long", requisition.ErrDuration, beforeLaw2016(func(t *rapid.T, c *Case) bool {
			months, _ := c.Requisition.Measure.MaxMonths()
			if months == 0 {
				return false
			}
			limit, _ := requisition.ValidityEnd(c.Requisition.Ordered.Time(), months, requisition.FromNextDay)
			c.Requisition.ValidUntil = timesync.FromTime(limit.At.Add(time.Duration(rapid.IntRange(1, 90*86400).Draw(t, "beyond_s")) * time.Second))
			return true
		})},
		{"period-missing", requisition.ErrDuration, beforeLaw2016(func(t *rapid.T, c *Case) bool {
			if months, _ := c.Requisition.Measure.MaxMonths(); months == 0 {
				return false
			}
			c.Requisition.ValidUntil = timesync.Timestamp{}
			return true
		})},
		{"item-not-covered", requisition.ErrItem, beforeLaw2016(func(t *rapid.T, c *Case) bool {
			var foreign []requisition.Item
			for _, it := range []requisition.Item{requisition.ItemContent, requisition.ItemSystemAccess, requisition.ItemTrafficRecords} {
				if !contains(c.Requisition.Measure.Items(), it) {
					foreign = append(foreign, it)
				}
			}
			if len(foreign) == 0 {
				return false
			}
			c.Requisition.Items = append(c.Requisition.Items, rapid.SampledFrom(foreign).Draw(t, "foreign_item"))
			return true
		})},
		{"malformed-target", requisition.ErrTarget, func(t *rapid.T, c *Case) bool {
			bad := rapid.SampledFrom([]requisition.Target{
				{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("192.0.2.1")}, // no time window
				{Kind: requisition.TargetIMEI, Value: "490154203237519"},             // wrong check digit
				{Kind: requisition.TargetPhone, Value: "0470123456"},                 // not E.164
				{Kind: requisition.TargetMAC, Value: "00:11:22:33:44"},
				{Kind: requisition.TargetEmail, Value: "nobody"},
			}).Draw(t, "bad_target")
			c.Requisition.Targets = append(c.Requisition.Targets, bad)
			return true
		}},
		{"unknown-offence", requisition.ErrOffence, func(t *rapid.T, c *Case) bool {
			c.Requisition.Offences = append(c.Requisition.Offences, "parking-on-the-pavement")
			return true
		}},
		{"received-before-order", requisition.ErrOutsideValidity, func(t *rapid.T, c *Case) bool {
			c.Requisition.Received = c.Requisition.Ordered.Add(-time.Duration(rapid.IntRange(1, 86400).Draw(t, "early_s")) * time.Second)
			return true
		}},
		{"confirmation-late", requisition.ErrConfirmation, beforeLaw2016(func(t *rapid.T, c *Case) bool {
			r := &c.Requisition
			if r.Measure != requisition.TrafficLocation || r.Circumstance != requisition.FlagrantDelit {
				return false
			}
			r.Confirmed = r.Ordered.Add(24*time.Hour + time.Duration(rapid.IntRange(0, 3600).Draw(t, "late_s"))*time.Second)
			return true
		})},
	}
}

func contains(items []requisition.Item, it requisition.Item) bool {
	for _, x := range items {
		if x == it {
			return true
		}
	}
	return false
}

// Invalid draws requisitions that break exactly one named rule (Case.Rule)
// on top of a valid one; the validation must report Case.Want.
func Invalid() *rapid.Generator[Case] {
	bs := breakages()
	return rapid.Custom(func(t *rapid.T) Case {
		c := Valid().Draw(t, "valid")
		// Try the breakages from a drawn starting point until one applies;
		// "response-missing" always does.
		start := rapid.IntRange(0, len(bs)-1).Draw(t, "breakage")
		for i := range bs {
			b := bs[(start+i)%len(bs)]
			if b.apply(t, &c) {
				c.Rule, c.Want = b.rule, b.want
				return c
			}
		}
		t.Fatalf("no breakage applied, though response-missing always does")
		return c
	})
}
