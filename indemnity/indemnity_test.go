package indemnity_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestEmbeddedTariff(t *testing.T) {
	lines := indemnity.Tariff()
	if len(lines) != 8 {
		t.Fatalf("%d lines, want 8", len(lines))
	}
	want := map[string]struct {
		amount    string
		known     bool
		certainty provenance.Certainty
	}{
		"BE2017-1": {"92.00", true, provenance.Secondary}, "BE2017-2": {"80.00", true, provenance.Secondary},
		"BE2017-3": {"115.00", true, provenance.Verified}, "BE2017-4": {"0.00", false, provenance.Unverified},
		"BE2017-F": {"0.00", false, provenance.Secondary}, "BE2017-S": {"0.00", false, provenance.Secondary},
		"BE2013-IP": {"8.00", true, provenance.Secondary}, "BE2013-INT": {"12.50", true, provenance.Secondary},
	}
	for _, l := range lines {
		w, ok := want[l.Code]
		if !ok {
			t.Errorf("unexpected line %s", l.Code)
			continue
		}
		if l.Amount.String() != w.amount || l.Known != w.known || l.Certainty != w.certainty {
			t.Errorf("%s: amount %s known %v certainty %v; want %s %v %v", l.Code, l.Amount, l.Known, l.Certainty, w.amount, w.known, w.certainty)
		}
		for _, tag := range indemnity.Languages() {
			if l.Label(tag) == "" {
				t.Errorf("%s: no label in %v", l.Code, tag)
			}
		}
		if l.URL == "" || l.Instrument == "" {
			t.Errorf("%s: no source", l.Code)
		}
	}
	// Tariff hands out copies.
	lines[0].Labels["fr"] = "changed"
	if l, _ := indemnity.Lookup(lines[0].Code); l.Labels["fr"] == "changed" {
		t.Error("Tariff() shares its maps")
	}
}

func TestParseTariffRejects(t *testing.T) {
	header := "code,edition,in_force_from,in_force_until,in_force_certainty,item,service,unit,amount,certainty,fr_official,nl_official,fr,nl,de,en,instrument,source_url,notes\n"
	bad := header +
		"X1,2017,2017-13-01,,V,1°,forfait,per-request,9.x,Q,,,a,b,c,d,i,u,n\n" +
		"X1,,2017-01-01,2016-01-01,V,1°,real-time-observaton,weekly,-5,V,,,,b,c,d,,,n\n" +
		"X2,2017,2017-01-01\n"
	_, err := indemnity.ParseTariff([]byte(bad))
	if !errors.Is(err, indemnity.ErrTariffData) {
		t.Fatalf("err = %v", err)
	}
	got := strings.Join(problemLines(t, err), "\n")
	for _, want := range []string{"row 2: in_force_from", "row 2: amount", "row 2: certainty", "row 3: code", "row 3: in_force_until", "row 3: unit",
		"row 3: no fr label", "row 3: the source", "row 3: service", "row 3: edition is empty", "row 4: 3 fields, want 19"} {
		if !strings.Contains(got, want) {
			t.Errorf("error does not report %q:\n%v", want, got)
		}
	}
	if _, err := indemnity.ParseTariff([]byte("a,b\n1,2\n")); !errors.Is(err, indemnity.ErrTariffData) {
		t.Errorf("wrong header accepted: %v", err)
	}
}

func TestFormat(t *testing.T) {
	const nb, nnb = "\u00a0", "\u202f"
	tests := []struct {
		amount         string
		fr, nl, de, en string
	}{
		{"436", "436,00" + nb + "€", "€" + nb + "436,00", "436,00" + nb + "€", "436,00" + nb + "€"},
		{"1234.5", "1" + nnb + "234,50" + nb + "€", "€" + nb + "1.234,50", "1.234,50" + nb + "€", "1.234,50" + nb + "€"},
		{"1234567.891", "1" + nnb + "234" + nnb + "567,89" + nb + "€", "€" + nb + "1.234.567,89", "1.234.567,89" + nb + "€", "1.234.567,89" + nb + "€"},
		{"-3.4", "-3,40" + nb + "€", "€" + nb + "-3,40", "-3,40" + nb + "€", "-3,40" + nb + "€"},
		{"0.005", "0,01" + nb + "€", "€" + nb + "0,01", "0,01" + nb + "€", "0,01" + nb + "€"},
		{"0", "0,00" + nb + "€", "€" + nb + "0,00", "0,00" + nb + "€", "0,00" + nb + "€"},
	}
	for _, tt := range tests {
		a := indemnity.MustParseAmount(tt.amount)
		for tag, want := range map[string]string{"fr-BE": tt.fr, "nl-BE": tt.nl, "de-BE": tt.de, "en": tt.en} {
			if got := a.Format(language.MustParse(tag)); got != want {
				t.Errorf("%s in %s = %q, want %q", tt.amount, tag, got, want)
			}
		}
	}
}

func TestParseAmount(t *testing.T) {
	for _, s := range []string{"92", "12.50", "-3.4", "0.00000001"} {
		if _, err := indemnity.ParseAmount(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "1e3", "12,50", "€12", " 1", "1.", ".5", "0.000000001", "NaN", "1_000", "--1"} {
		if _, err := indemnity.ParseAmount(s); !errors.Is(err, indemnity.ErrAmount) {
			t.Errorf("%q accepted: %v", s, err)
		}
	}
	if _, err := indemnity.ParseRate("-0.21"); !errors.Is(err, indemnity.ErrAmount) {
		t.Errorf("negative rate accepted: %v", err)
	}
}

// at is the instant Brussels clocks show at s; it panics on a time that does
// not exist or exists twice.
func at(s string) timesync.Timestamp { return timesync.MustParseBrussels(s, timesync.Strict) }

func TestPrice(t *testing.T) {
	override := &indemnity.Overrides{Source: "Moniteur belge 22-12-2016 p. 88022, read by the operator", Amounts: map[string]indemnity.Amount{"BE2017-4": indemnity.MustParseAmount("62")}}
	tests := []struct {
		name    string
		pricer  indemnity.Pricer
		e       indemnity.Executed
		code    string
		price   string
		wantErr error
	}{
		{"real-time observation, 2026", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.RealTimeObservation, Executed: at("2026-01-12 10:00")}, "BE2017-1", "92.00", nil},
		{"network observation, 2026", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.NetworkObservation, Executed: at("2026-01-12 10:00")}, "BE2017-3", "115.00", nil},
		{"interception, amount unknown", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.Interception, Executed: at("2026-01-12 10:00")}, "", "", indemnity.ErrUnknownAmount},
		{"interception with the operator's amount", indemnity.Pricer{Overrides: override}, indemnity.Executed{Service: indemnity.Interception, Executed: at("2026-01-12 10:00")}, "BE2017-4", "62.00", nil},
		{"overrides without their source", indemnity.Pricer{Overrides: &indemnity.Overrides{Amounts: override.Amounts}}, indemnity.Executed{Service: indemnity.Interception, Executed: at("2026-01-12 10:00")}, "", "", indemnity.ErrExecuted},
		{"forfait is not per request", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.Forfait, Executed: at("2026-01-12 10:00")}, "", "", indemnity.ErrNotPerRequest},
		{"IP identification, 2015", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.IPIdentification, Executed: at("2015-06-01 10:00")}, "BE2013-IP", "8.00", nil},
		{"IP identification, 2026: no line", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.IPIdentification, Executed: at("2026-06-01 10:00")}, "", "", indemnity.ErrNoLine},
		{"before any known edition", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.IPIdentification, Executed: at("2012-06-01 10:00")}, "", "", indemnity.ErrNoLine},
		{"executed 1 January 2017, ordered in 2016, by execution", indemnity.Pricer{},
			indemnity.Executed{Service: indemnity.RealTimeObservation, Ordered: at("2016-12-31 22:00"), Executed: at("2017-01-01 00:30")}, "BE2017-1", "92.00", nil},
		{"the same by order: the 2013 line is not known", indemnity.Pricer{Basis: indemnity.ByOrder},
			indemnity.Executed{Service: indemnity.RealTimeObservation, Ordered: at("2016-12-31 22:00"), Executed: at("2017-01-01 00:30")}, "", "", indemnity.ErrNoLine},
		{"interception activation, 2016", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.InterceptionActivation, Executed: at("2016-12-31 23:59")}, "BE2013-INT", "12.50", nil},
		{"no date", indemnity.Pricer{}, indemnity.Executed{Service: indemnity.RealTimeObservation}, "", "", indemnity.ErrExecuted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.pricer.Price(tt.e)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Line.Code != tt.code || p.UnitPrice.String() != tt.price {
				t.Errorf("priced %s at %s, want %s at %s", p.Line.Code, p.UnitPrice, tt.code, tt.price)
			}
			if p.Explain(language.French) == "" || !p.Line.InForce(p.Day) {
				t.Errorf("price %+v", p)
			}
		})
	}
	_, err := indemnity.Pricer{}.Price(indemnity.Executed{Service: indemnity.Interception, Executed: at("2026-01-12 10:00")})
	if !strings.Contains(err.Error(), "BE2017-4") || !strings.Contains(err.Error(), "Fourth tariff") {
		t.Errorf("the error does not name the line: %v", err)
	}
}

func TestClaimCollectsEveryFailure(t *testing.T) {
	_, err := indemnity.NewClaim(indemnity.Header{}, []indemnity.Executed{
		{Service: indemnity.Interception, Executed: at("2026-01-12 10:00")},
		{Service: indemnity.RealTimeObservation, Executed: at("2026-01-12 10:00")},
		{Service: indemnity.Forfait, Executed: at("2026-01-12 10:00")},
	}, indemnity.ClaimOptions{VAT: &indemnity.Factor{Rate: indemnity.MustParseRate("0.21")}})
	for _, want := range []error{indemnity.ErrUnknownAmount, indemnity.ErrNotPerRequest, indemnity.ErrClaim} {
		if !errors.Is(err, want) {
			t.Errorf("missing %v in %v", want, err)
		}
	}
}

func executedGen() *rapid.Generator[indemnity.Executed] {
	return rapid.Custom(func(t *rapid.T) indemnity.Executed {
		day := timesynctest.Instant().Filter(func(x time.Time) bool { return x.Year() >= 2017 }).Draw(t, "executed")
		return indemnity.Executed{
			Service:   rapid.SampledFrom([]indemnity.Service{indemnity.RealTimeObservation, indemnity.HistoricalObservation, indemnity.NetworkObservation}).Draw(t, "service"),
			Reference: rapid.StringMatching(`[A-Z]{2}\.[0-9]{2}`).Draw(t, "reference"),
			Executed:  timesync.FromTime(day), Quantity: int64(rapid.IntRange(1, 50).Draw(t, "quantity")),
		}
	})
}

func claimGen() *rapid.Generator[indemnity.Claim] {
	return rapid.Custom(func(t *rapid.T) indemnity.Claim {
		ex := rapid.SliceOfN(executedGen(), 0, 20).Draw(t, "executed")
		opt := indemnity.ClaimOptions{}
		if rapid.Bool().Draw(t, "vat") {
			opt.VAT = &indemnity.Factor{Rate: indemnity.MustParseRate(rapid.SampledFrom([]string{"0.21", "0.06", "0"}).Draw(t, "rate")), Source: "caller"}
		}
		if rapid.Bool().Draw(t, "multiplier") {
			opt.Multiplier = &indemnity.Factor{Rate: indemnity.MustParseRate(rapid.SampledFrom([]string{"1.5", "0.333", "2"}).Draw(t, "m")), Source: "caller"}
		}
		c, err := indemnity.NewClaim(indemnity.Header{Number: "2026-001", Authority: "Parquet de Bruxelles", Issued: date.New(2026, 1, 31)}, ex, opt)
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
}

// Properties: the subtotal is the sum of the lines and the total the
// subtotal plus VAT; adding a line raises the subtotal by exactly its
// amount; line order never changes the total; JSON round-trips exactly; the
// edition chosen for a day is in force that day.
func TestClaimProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := claimGen().Draw(t, "claim")
		var sum indemnity.Amount
		for _, l := range c.Lines {
			sum = sum.Add(l.Amount)
			line, _ := indemnity.Lookup(l.Code)
			if !line.InForce(l.Day) {
				t.Fatalf("line %s not in force on %v", l.Code, l.Day)
			}
		}
		if !sum.Equal(c.Subtotal) || !c.Total.Equal(c.Subtotal.Add(c.VATAmount)) {
			t.Fatalf("subtotal %v, sum %v, total %v, VAT %v", c.Subtotal, sum, c.Total, c.VATAmount)
		}

		before := c.Subtotal
		extra := executedGen().Draw(t, "extra")
		p, err := indemnity.Pricer{}.Price(extra)
		if err != nil {
			t.Fatal(err)
		}
		c.Add(indemnity.ClaimLine{Code: p.Line.Code, UnitPrice: p.UnitPrice, Quantity: extra.Quantity, Day: p.Day, Labels: p.Line.Labels, Source: p.Line.Source()})
		if added := c.Lines[len(c.Lines)-1].Amount; !c.Subtotal.Equal(before.Add(added)) {
			t.Fatalf("adding %v moved the subtotal from %v to %v", added, before, c.Subtotal)
		}

		shuffled := c
		shuffled.Lines = rapid.Permutation(c.Lines).Draw(t, "order")
		var sum2 indemnity.Amount
		for _, l := range shuffled.Lines {
			sum2 = sum2.Add(l.Amount)
		}
		if !sum2.Equal(c.Subtotal) {
			t.Fatalf("order changed the sum: %v vs %v", sum2, c.Subtotal)
		}

		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back indemnity.Claim
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, back); diff != "" {
			t.Fatalf("JSON round trip (-want +got):\n%s", diff)
		}
	})
}

// Property: the edition chosen for any day is the one in force that day,
// and exactly one line per service and day is chosen.
func TestEditionInForceProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		inst := timesynctest.Instant().Draw(t, "day")
		svc := rapid.SampledFrom([]indemnity.Service{indemnity.RealTimeObservation, indemnity.IPIdentification, indemnity.InterceptionActivation, indemnity.NetworkObservation}).Draw(t, "service")
		p, err := indemnity.Pricer{}.Price(indemnity.Executed{Service: svc, Executed: timesync.FromTime(inst)})
		if err != nil {
			if !errors.Is(err, indemnity.ErrNoLine) {
				t.Fatal(err)
			}
			for _, l := range indemnity.LinesInForce(timesync.Day(inst)) {
				if l.Service == svc {
					t.Fatalf("ErrNoLine but %s is in force", l.Code)
				}
			}
			return
		}
		if !p.Line.InForce(timesync.Day(inst)) || p.Line.Service != svc {
			t.Fatalf("chose %s for %v", p.Line.Code, inst)
		}
	})
}

// Property: amounts add, multiply and round exactly.
func TestAmountArithmeticProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := indemnity.Cents(rapid.Int64Range(-1e12, 1e12).Draw(t, "a"))
		b := indemnity.Cents(rapid.Int64Range(-1e12, 1e12).Draw(t, "b"))
		n := rapid.Int64Range(0, 1000).Draw(t, "n")
		if !a.Add(b).Sub(b).Equal(a) || !a.Add(b).Equal(b.Add(a)) {
			t.Fatalf("%v, %v: addition is not exact", a, b)
		}
		var sum indemnity.Amount
		for range n {
			sum = sum.Add(a)
		}
		if !sum.Equal(a.Times(n)) {
			t.Fatalf("%v × %d = %v, sum %v", a, n, a.Times(n), sum)
		}
		back, err := indemnity.ParseAmount(a.String())
		if err != nil || !back.Equal(a) {
			t.Fatalf("%v round trip: %v %v", a, back, err)
		}
	})
}

func TestRoundingIsHalfAwayFromZero(t *testing.T) {
	for in, want := range map[string]string{"0.005": "0.01", "-0.005": "-0.01", "0.0049": "0.00", "2.675": "2.68", "1.125": "1.13"} {
		if got := indemnity.MustParseAmount(in).Round().String(); got != want {
			t.Errorf("Round(%s) = %s, want %s", in, got, want)
		}
	}
	// VAT of 21% on 80.00 is 16.80; on 0.10 it is 0.021, rounded to 0.02.
	if got := indemnity.MustParseAmount("0.10").Apply(indemnity.MustParseRate("0.21")).String(); got != "0.02" {
		t.Errorf("VAT on 0.10 = %s", got)
	}
}

func TestCSV(t *testing.T) {
	c, err := indemnity.NewClaim(indemnity.Header{Number: "2026-001", Authority: "Parquet"},
		[]indemnity.Executed{{Service: indemnity.NetworkObservation, Reference: "BR.1", Executed: at("2026-01-12 10:00"), Quantity: 2}}, indemnity.ClaimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.CSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], ",2,115.00,230.00,false,V,") {
		t.Errorf("csv:\n%s", b.String())
	}
}

// No float touches an amount: the package's own code declares no float
// type and calls no float conversion.
func TestNoFloats(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.Ident:
				if x.Name == "float64" || x.Name == "float32" {
					t.Errorf("%s: %s", fset.Position(x.Pos()), x.Name)
				}
			case *ast.SelectorExpr:
				if strings.Contains(x.Sel.Name, "Float") {
					t.Errorf("%s: %s", fset.Position(x.Pos()), x.Sel.Name)
				}
			}
			return true
		})
	}
}
