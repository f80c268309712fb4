package indemnity_test

import (
	"errors"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// answeredCases records cases answered in November 2026 and one in
// December, through a register as a cell would.
func answeredCases(t *testing.T) []register.Case {
	t.Helper()
	alice, err := register.NewIdentity("alice", register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	clock := timesynctest.NewClock(at("2026-12-05 09:00").Time())
	reg, _, err := register.Open(filepath.Join(t.TempDir(), "ccj.journal"), register.Config{Clock: clock, Identity: alice, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	v := timesync.Verdict{At: clock.Now(), Synchronised: true, ToTheSecond: true}
	for _, c := range []struct {
		id        string
		measure   requisition.Measure
		authority requisition.Authority
		answered  string
	}{
		{"2026-0001", requisition.TrafficLocation, requisition.JugeInstruction, "2026-11-10 10:00"},
		{"2026-0002", requisition.Identification, requisition.ProcureurDuRoi, "2026-11-12 10:00"},
		{"2026-0003", requisition.Interception, requisition.JugeInstruction, "2026-11-20 10:00"},
		{"2026-0004", requisition.TrafficLocation, requisition.ProcureurDuRoi, "2026-11-30 23:59:59"},
		{"2026-0005", requisition.TrafficLocation, requisition.JugeInstruction, "2026-12-01 00:00"},
		{"2026-0006", requisition.TrafficLocation, requisition.JugeInstruction, ""},
	} {
		req := requisition.Requisition{Reference: "REF-" + c.id, Measure: c.measure, Authority: c.authority, Reasoned: true,
			Ordered: at("2026-11-02 09:00"), Received: at("2026-11-02 10:00"), Items: []requisition.Item{requisition.ItemIdentity},
			Targets:  []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("2001:db8::1"), From: at("2026-10-01 00:00"), Until: at("2026-10-02 00:00")}},
			Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: at("2026-12-31 10:00")}}
		for _, step := range []func() error{
			func() error { _, err := reg.Receive(c.id, req, "alice", v); return err },
			func() error { _, err := reg.Apply(c.id, register.Acknowledge, "alice", v, ""); return err },
			func() error { _, err := reg.Apply(c.id, register.CheckLawful, "alice", v, ""); return err },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		if c.answered == "" {
			continue
		}
		d := register.Delivery{At: at(c.answered), To: "the authority", Channel: register.ByEmail, Items: []requisition.Item{requisition.ItemIdentity},
			WithoutResult: "looked up by the member"}
		if _, err := reg.Answer(c.id, d, "alice", v); err != nil {
			t.Fatal(err)
		}
	}
	return reg.Cases()
}

// A month's claims: one per authority, in the order of the authorities,
// each holding the cases answered that month under the service the
// billing gives their measure; the answered cases with no billing entry,
// or whose line has no known amount (the interception line BE2017-4 [U]),
// listed apart with why; cases answered outside the month, or not
// answered, left out.
func TestPeriodClaims(t *testing.T) {
	cases := answeredCases(t)
	p := indemnity.Period{From: at("2026-11-01 00:00").Time(), Until: at("2026-12-01 00:00").Time(), Issued: at("2026-12-05 09:00").Time(),
		Operator: indemnity.Party{Name: "Neutrinet asbl"},
		Billing:  indemnity.Billing{requisition.TrafficLocation: indemnity.HistoricalObservation, requisition.Interception: indemnity.Interception}}
	claims, unbilled, err := indemnity.PeriodClaims(cases, p, language.French)
	if err != nil {
		t.Fatal(err)
	}
	type brief struct {
		Authority requisition.Authority
		Number    string
		Named     string
		Refs      []string
	}
	var got []brief
	for _, c := range claims {
		b := brief{Authority: c.Authority, Number: c.Number, Named: c.Claim.Authority}
		for _, l := range c.Lines {
			b.Refs = append(b.Refs, l.Reference)
		}
		got = append(got, b)
	}
	want := []brief{
		{requisition.JugeInstruction, "2026-11-juge-instruction", requisition.JugeInstruction.Label(language.French), []string{"REF-2026-0001"}},
		{requisition.ProcureurDuRoi, "2026-11-procureur-du-roi", requisition.ProcureurDuRoi.Label(language.French), []string{"REF-2026-0004"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	type why struct {
		Case, Line, Text   string
		NotBilled, Unknown bool
	}
	var whys []why
	for _, u := range unbilled {
		whys = append(whys, why{u.Case, u.Line, u.Text(language.English), errors.Is(u.Err, indemnity.ErrNotBilled), errors.Is(u.Err, indemnity.ErrUnknownAmount)})
		if strings.Contains(u.Reason, "REF-") || strings.Contains(u.Text(language.French), "REF-") {
			t.Errorf("%s: the reason shows the reference", u.Case)
		}
	}
	wantWhy := []why{
		{"2026-0002", "", "2026-0002 (identification): no billing entry for its measure", true, false},
		{"2026-0003", "BE2017-4", "2026-0003 (interception): not billable — BE2017-4, amount unknown [U]", false, true},
	}
	if diff := cmp.Diff(wantWhy, whys); diff != "" {
		t.Errorf("unbilled (-want +got):\n%s", diff)
	}
	if c := claims[0]; c.From.String() != "2026-11-01" || c.To.String() != "2026-11-30" {
		t.Errorf("the claim runs from %s to %s", c.From, c.To)
	}
}

// A service no tariff line has is named by Billing.Check, and a case
// that cannot be priced is listed apart, never failing its authority's
// whole claim.
func TestBillingCheck(t *testing.T) {
	ok := indemnity.Billing{requisition.TrafficLocation: indemnity.HistoricalObservation}
	if err := ok.Check(); err != nil {
		t.Errorf("a valid billing: %v", err)
	}
	bad := indemnity.Billing{requisition.TrafficLocation: "no-such-service"}
	if err := bad.Check(); !errors.Is(err, indemnity.ErrNoLine) {
		t.Errorf("an unknown service: %v", err)
	}
	p := indemnity.Period{From: at("2026-11-01 00:00").Time(), Until: at("2026-12-01 00:00").Time(), Issued: at("2026-12-05 09:00").Time(),
		Billing: indemnity.Billing{requisition.TrafficLocation: indemnity.IPIdentification}}
	claims, unbilled, err := indemnity.PeriodClaims(answeredCases(t), p, language.English)
	if err != nil || len(claims) != 0 {
		t.Errorf("a service with no line in force: %d claims, %v", len(claims), err)
	}
	for _, u := range unbilled {
		if u.Measure == requisition.TrafficLocation && !errors.Is(u.Err, indemnity.ErrNoLine) {
			t.Errorf("%s: %v, want ErrNoLine", u.Case, u.Err)
		}
	}
}

// Cases that cannot be claimed are never dropped silently, a period is
// checked, and a period other than a calendar month is numbered by its
// days.
func TestPeriodClaimsEdges(t *testing.T) {
	cases := answeredCases(t)
	for i := range cases {
		if cases[i].ID == "2026-0004" {
			cases[i].Requisition.Authority = 0 // an authority ccjkit does not know
		}
	}
	billing := indemnity.Billing{requisition.TrafficLocation: indemnity.HistoricalObservation}
	p := indemnity.Period{From: at("2026-11-01 00:00").Time(), Until: at("2026-12-01 00:00").Time(), Issued: at("2026-12-05 09:00").Time(), Billing: billing}
	claims, unbilled, err := indemnity.PeriodClaims(cases, p, language.English)
	if err != nil || len(claims) != 1 {
		t.Fatalf("%d claims, %v", len(claims), err)
	}
	var ids []string
	for _, u := range unbilled {
		ids = append(ids, u.Case)
	}
	if diff := cmp.Diff([]string{"2026-0002", "2026-0003", "2026-0004"}, ids); diff != "" {
		t.Errorf("unbilled (-want +got):\n%s", diff)
	}
	half := p
	half.Until = at("2026-11-16 00:00").Time()
	claims, _, err = indemnity.PeriodClaims(cases, half, language.English)
	if err != nil || len(claims) != 1 || claims[0].Number != "20261101-20261115-juge-instruction" {
		t.Errorf("half a month: %v, %v", claims, err)
	}
	for name, bad := range map[string]indemnity.Period{
		"ends before it starts": {From: p.Until, Until: p.From, Issued: p.Issued},
		"no day of issue":       {From: p.From, Until: p.Until},
	} {
		if _, _, err := indemnity.PeriodClaims(cases, bad, language.English); !errors.Is(err, indemnity.ErrClaim) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A request answered "nothing held" is claimed only when the cell has
// said so: undecided, it is listed with ErrNothingHeldPolicy; not billed,
// with ErrNotBilled; billed, like any other. Billable and PeriodClaims
// agree on every case.
func TestNothingHeldPolicy(t *testing.T) {
	answered := func(id string, outcomes ...register.Outcome) register.Case {
		c := register.Case{ID: id, Requisition: requisition.Requisition{Reference: "REF-" + id, Measure: requisition.TrafficLocation,
			Authority: requisition.JugeInstruction, Ordered: at("2026-11-02 09:00")},
			Delivery: &register.Delivery{At: at("2026-11-10 10:00")}}
		for _, o := range outcomes {
			c.Results = append(c.Results, register.WorkResult{Outcome: o})
		}
		return c
	}
	cases := []register.Case{
		answered("2026-0001", register.Found),
		answered("2026-0002", register.NothingHeld),
		answered("2026-0003", register.NothingHeld, register.Found), // found on a second try
		answered("2026-0004"),                                       // answered without a technician's result
	}
	for _, tc := range []struct {
		name     string
		policy   indemnity.NothingHeldPolicy
		claimed  []string
		sentinel error
	}{
		{"undecided", indemnity.NothingHeldUndecided, []string{"REF-2026-0001", "REF-2026-0003", "REF-2026-0004"}, indemnity.ErrNothingHeldPolicy},
		{"billed", indemnity.NothingHeldBilled, []string{"REF-2026-0001", "REF-2026-0002", "REF-2026-0003", "REF-2026-0004"}, nil},
		{"not billed", indemnity.NothingHeldNotBilled, []string{"REF-2026-0001", "REF-2026-0003", "REF-2026-0004"}, indemnity.ErrNotBilled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := indemnity.Period{From: at("2026-11-01 00:00").Time(), Until: at("2026-12-01 00:00").Time(), Issued: at("2026-12-05 09:00").Time(),
				Billing: indemnity.Billing{requisition.TrafficLocation: indemnity.HistoricalObservation}, NothingHeld: tc.policy}
			claims, unbilled, err := indemnity.PeriodClaims(cases, p, language.English)
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, c := range claims {
				for _, l := range c.Lines {
					refs = append(refs, l.Reference)
				}
			}
			if diff := cmp.Diff(tc.claimed, refs); diff != "" {
				t.Errorf("claimed (-want +got):\n%s", diff)
			}
			if tc.sentinel == nil && len(unbilled) != 0 || tc.sentinel != nil && (len(unbilled) != 1 || !errors.Is(unbilled[0].Err, tc.sentinel) || !errors.Is(unbilled[0].Err, indemnity.ErrNothingHeld)) {
				t.Errorf("unbilled: %+v", unbilled)
			}
			for _, c := range cases {
				_, u := indemnity.Billable(c, p)
				claimed := slices.Contains(refs, c.Requisition.Reference)
				if (u == nil) != claimed {
					t.Errorf("%s: Billable says %v, the claim %v", c.ID, u, claimed)
				}
			}
			for _, u := range unbilled {
				if text := u.Text(language.French); strings.Contains(text, "REF-") || strings.Contains(text, "answered") {
					t.Errorf("French text %q", text)
				}
			}
		})
	}
	var p indemnity.NothingHeldPolicy
	for _, key := range []string{"undecided", "billed", "not-billed"} {
		if err := p.UnmarshalText([]byte(key)); err != nil || p.String() != key {
			t.Errorf("%s: %v %v", key, p, err)
		}
	}
	if err := p.UnmarshalText([]byte("yes")); !errors.Is(err, indemnity.ErrClaim) {
		t.Errorf("a bad policy: %v", err)
	}
}

// Orders of two parquets are claimed from each, addressed to it with its
// address, in its language; an order naming no office is claimed from its
// authority; the operator's address is on every claim.
func TestPeriodClaimsPerOffice(t *testing.T) {
	liege := requisition.Office{Key: "parquet-liege", Name: "Parquet du procureur du Roi de Liège", Address: "Rue de Bruxelles 2, 4000 Liège", Language: "fr"}
	brussel := requisition.Office{Key: "parket-brussel", Name: "Parket van de procureur des Konings te Brussel", Language: "nl"}
	answered := func(id string, a requisition.Authority, o requisition.Office) register.Case {
		return register.Case{ID: id, Requisition: requisition.Requisition{Reference: "REF-" + id, Measure: requisition.TrafficLocation,
			Authority: a, Office: o, Ordered: at("2026-11-02 09:00")}, Delivery: &register.Delivery{At: at("2026-11-10 10:00")}}
	}
	cases := []register.Case{
		answered("2026-0001", requisition.ProcureurDuRoi, liege),
		answered("2026-0002", requisition.ProcureurDuRoi, brussel),
		answered("2026-0003", requisition.ProcureurDuRoi, liege),
		answered("2026-0004", requisition.ProcureurDuRoi, requisition.Office{}),
		answered("2026-0005", requisition.JugeInstruction, requisition.Office{}),
	}
	p := indemnity.Period{From: at("2026-11-01 00:00").Time(), Until: at("2026-12-01 00:00").Time(), Issued: at("2026-12-05 09:00").Time(),
		Operator: indemnity.Party{Name: "Neutrinet asbl", Address: "Rue de l'Exemple 1, 1000 Bruxelles", EnterpriseNumber: "0000.000.097"},
		Billing:  indemnity.Billing{requisition.TrafficLocation: indemnity.HistoricalObservation}}
	claims, unbilled, err := indemnity.PeriodClaims(cases, p, language.English)
	if err != nil || len(unbilled) != 0 {
		t.Fatal(err, unbilled)
	}
	type brief struct {
		Number, To, Address, Lang string
		Refs                      []string
	}
	var got []brief
	for _, c := range claims {
		b := brief{Number: c.Number, To: c.Claim.Authority, Address: c.AuthorityAddress, Lang: c.Language.String()}
		for _, l := range c.Lines {
			b.Refs = append(b.Refs, l.Reference)
		}
		got = append(got, b)
	}
	want := []brief{
		{"2026-11-juge-instruction", requisition.JugeInstruction.Label(language.English), "", "en", []string{"REF-2026-0005"}},
		{"2026-11-procureur-du-roi", requisition.ProcureurDuRoi.Label(language.English), "", "en", []string{"REF-2026-0004"}},
		{"2026-11-procureur-du-roi-parket-brussel", brussel.Name, "", "nl", []string{"REF-2026-0002"}},
		{"2026-11-procureur-du-roi-parquet-liege", liege.Name, liege.Address, "fr", []string{"REF-2026-0001", "REF-2026-0003"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	var b strings.Builder
	c := claims[3]
	c.Text(&b, c.Language)
	for _, s := range []string{"Rue de l'Exemple 1", "Adresse de l'opérateur", "Adresse du destinataire", "Rue de Bruxelles 2", liege.Name} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("the claim to Liège lacks %q:\n%s", s, b.String())
		}
	}
}

// An order whose office is invalid, or orders that give one office key
// different details, are listed apart with why, never claimed under a
// guess; the others are claimed.
func TestPeriodClaimsOfficeProblems(t *testing.T) {
	answered := func(id string, o requisition.Office) register.Case {
		return register.Case{ID: id, Requisition: requisition.Requisition{Reference: "REF-" + id, Measure: requisition.TrafficLocation,
			Authority: requisition.ProcureurDuRoi, Office: o, Ordered: at("2026-11-02 09:00")}, Delivery: &register.Delivery{At: at("2026-11-10 10:00")}}
	}
	cases := []register.Case{
		answered("2026-0001", requisition.Office{Key: "parquet-x", Name: "Parket Brussel", Language: "nl"}),
		answered("2026-0002", requisition.Office{Key: "parquet-x", Name: "Parquet de Liège", Language: "fr"}),
		answered("2026-0003", requisition.Office{Key: "../../tmp/evil", Name: "Evil"}),
		answered("2026-0004", requisition.Office{Name: "no key"}),
		answered("2026-0005", requisition.Office{Key: "parquet-y", Name: "Parquet Y"}),
	}
	p := indemnity.Period{From: at("2026-11-01 00:00").Time(), Until: at("2026-12-01 00:00").Time(), Issued: at("2026-12-05 09:00").Time(),
		Billing: indemnity.Billing{requisition.TrafficLocation: indemnity.HistoricalObservation}}
	claims, unbilled, err := indemnity.PeriodClaims(cases, p, language.English)
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != 1 || claims[0].Number != "2026-11-procureur-du-roi-parquet-y" {
		t.Fatalf("claims: %+v", claims)
	}
	why := map[string]error{}
	for _, u := range unbilled {
		why[u.Case] = u.Err
		for _, s := range []string{"Liège", "Brussel", "Evil", "no key", "REF-"} {
			if strings.Contains(u.Text(language.English), s) || strings.Contains(u.Reason, s) {
				t.Errorf("%s: the reason quotes the office: %s / %s", u.Case, u.Text(language.English), u.Reason)
			}
		}
	}
	for id, want := range map[string]error{"2026-0001": indemnity.ErrOfficeConflict, "2026-0002": indemnity.ErrOfficeConflict,
		"2026-0003": requisition.ErrOffice, "2026-0004": requisition.ErrOffice} {
		if !errors.Is(why[id], want) || !errors.Is(why[id], indemnity.ErrClaim) {
			t.Errorf("%s: %v, want %v", id, why[id], want)
		}
	}
	if _, u := indemnity.Billable(cases[2], p); u == nil {
		t.Error("Billable accepts an invalid office")
	}
}

// Orders of one office that leave out its address are merged; orders
// that give it two names are settled by the cell's directory of offices.
func TestPeriodClaimsOfficeDirectory(t *testing.T) {
	answered := func(id string, o requisition.Office) register.Case {
		return register.Case{ID: id, Requisition: requisition.Requisition{Reference: "REF-" + id, Measure: requisition.TrafficLocation,
			Authority: requisition.ProcureurDuRoi, Office: o, Ordered: at("2026-11-02 09:00")}, Delivery: &register.Delivery{At: at("2026-11-10 10:00")}}
	}
	p := indemnity.Period{From: at("2026-11-01 00:00").Time(), Until: at("2026-12-01 00:00").Time(), Issued: at("2026-12-05 09:00").Time(),
		Billing: indemnity.Billing{requisition.TrafficLocation: indemnity.HistoricalObservation}}
	merged := []register.Case{
		answered("2026-0001", requisition.Office{Key: "parquet-x", Name: "Parquet X"}),
		answered("2026-0002", requisition.Office{Key: "parquet-x", Name: "Parquet X", Address: "Rue 1, 4000 Liège", Language: "fr"}),
	}
	claims, unbilled, err := indemnity.PeriodClaims(merged, p, language.English)
	if err != nil || len(unbilled) != 0 || len(claims) != 1 || claims[0].AuthorityAddress != "Rue 1, 4000 Liège" || claims[0].Language.String() != "fr" {
		t.Fatalf("merged: %+v %+v %v", claims, unbilled, err)
	}
	twoNames := []register.Case{
		answered("2026-0001", requisition.Office{Key: "parquet-x", Name: "Parquet X"}),
		answered("2026-0002", requisition.Office{Key: "parquet-x", Name: "Parket X"}),
	}
	if _, unbilled, _ := indemnity.PeriodClaims(twoNames, p, language.English); len(unbilled) != 2 {
		t.Fatalf("two names without a directory: %+v", unbilled)
	}
	p.Offices = map[string]requisition.Office{"parquet-x": {Key: "parquet-x", Name: "Parket van de procureur des Konings X", Language: "nl"}}
	claims, unbilled, err = indemnity.PeriodClaims(twoNames, p, language.English)
	if err != nil || len(unbilled) != 0 || len(claims) != 1 || claims[0].Claim.Authority != "Parket van de procureur des Konings X" || claims[0].Language.String() != "nl" {
		t.Fatalf("settled by the directory: %+v %+v %v", claims, unbilled, err)
	}
}
