package indemnity

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/internal/i18n"
	"github.com/ccjkit/ccjkit/provenance"
)

// tariffCSV is the source of truth for the tariff: one row per line of the
// annex, with its source. It is embedded and parsed, so that the data and
// the program cannot drift apart.
//
//go:embed tariff.csv
var tariffCSV string

// Service is a kind of executed request, as the tariff prices it.
type Service string

// The services the known editions of the tariff name. Which measure of
// the Code d'instruction criminelle each corresponds to is not stated in
// the sources retrieved; the comments give the lines' own words.
const (
	RealTimeObservation    Service = "real-time-observation"   // « observation en temps réel »
	HistoricalObservation  Service = "historical-observation"  // « observation de données historiques »
	NetworkObservation     Service = "network-observation"     // « observation dans un réseau » (AR art. 4 §1)
	Interception           Service = "interception"            // the fourth 2016 tariff, if it is interception (a guess)
	InterceptionActivation Service = "interception-activation" // 2013 edition, press wording
	IPIdentification       Service = "ip-identification"       // 2013 edition, press wording
	Forfait                Service = "forfait"                 // annual flat fee (2017)
	Specific               Service = "specific"                // « demandes spécifiques » (2017)
)

func services() []Service {
	return []Service{RealTimeObservation, HistoricalObservation, NetworkObservation, Interception, InterceptionActivation,
		IPIdentification, Forfait, Specific}
}

// Unit is what a line's amount is for.
type Unit string

// The units of the tariff.
const (
	PerRequest  Unit = "per-request"
	PerYear     Unit = "per-year"
	UnknownUnit Unit = "unknown"
)

// Line is one line of an edition of the tariff, with what is known of it.
type Line struct {
	// Code is ccjkit's stable code for the line, such as "BE2017-1".
	Code string `json:"code"`
	// Edition names the annex the line belongs to: "2013", "2017".
	Edition string `json:"edition"`
	// From and Until bound the days the line is in force, Until excluded
	// (zero: still in force); InForceCertainty is how sure those dates are.
	From             date.Date            `json:"from"`
	Until            date.Date            `json:"until,omitzero"`
	InForceCertainty provenance.Certainty `json:"in_force_certainty"`
	// Item is the annex item, as far as known ("3°"; "" when not
	// retrieved; see Notes for items whose number is inferred).
	Item    string  `json:"item"`
	Service Service `json:"service"`
	Unit    Unit    `json:"unit"`
	// Amount is the tariff amount in euros; Known is false when it was not
	// retrieved, and Amount is then zero and must not be used.
	Amount Amount `json:"amount"`
	Known  bool   `json:"known"`
	// Certainty is how sure we are of the line and its amount.
	Certainty provenance.Certainty `json:"certainty"`
	// OfficialFR and OfficialNL are the annex's own wording, where
	// retrieved.
	OfficialFR string `json:"official_fr,omitempty"`
	OfficialNL string `json:"official_nl,omitempty"`
	// Labels are ccjkit's short names of the line in French, Dutch, German
	// and English (German and English unofficial, like French and Dutch
	// where no official wording was retrieved).
	Labels map[string]string `json:"labels"`
	// Instrument and URL give the source; Notes say what is uncertain.
	Instrument string `json:"instrument"`
	URL        string `json:"url"`
	Notes      string `json:"notes"`
}

// Source returns the line's source in the form the rest of ccjkit uses.
func (l Line) Source() provenance.Source {
	return provenance.Source{Instrument: l.Instrument, Article: l.Item, Edition: "edition " + l.Edition,
		Certainty: l.Certainty, URL: l.URL}
}

// Label returns the line's name in the language tag asks for; the official
// French or Dutch wording is in OfficialFR and OfficialNL.
func (l Line) Label(tag language.Tag) string { return labelIn(l.Labels, tag) }

// labelIn picks from labels, keyed by language ("fr", "nl", "de", "en"),
// the one of the catalogue's language closest to tag; in the tests'
// pseudo-locale (internal/i18n), the English one marked as its texts are.
func labelIn(labels map[string]string, tag language.Tag) string {
	lang := messages().Match(tag)
	if i18n.IsPseudo(lang) {
		return i18n.Mark(labels["en"])
	}
	return labels[lang.String()]
}

// InForce reports whether the line applies on day d.
func (l Line) InForce(d date.Date) bool {
	return d >= l.From && (l.Until == 0 || d < l.Until)
}

// ErrTariffData is wrapped by every finding of the error of
// [ParseTariff].
var ErrTariffData = errors.New("indemnity: malformed tariff data")

// tariffProblem returns the finding of a problem of tariff data at field
// (a row, such as "row 3"; "" for the file), explained by msg.
func tariffProblem(field, msg string) provenance.Finding {
	return provenance.Finding{Rule: "tariff-data", Severity: provenance.Error, Field: field,
		Source: provenance.Rule("tariff.csv format"), Err: ErrTariffData, Message: provenance.Text(msg)}
}

// ParseTariff reads tariff lines from CSV with the columns of the embedded
// tariff.csv, strictly: every problem of every row is reported, in a
// [*provenance.Problems] (What "indemnity: tariff") whose findings name
// the row ("row 3") and wrap [ErrTariffData].
func ParseTariff(data []byte) ([]Line, error) {
	columns := tariffColumns()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // counted below, for every row
	rows, err := r.ReadAll()
	if err != nil {
		return nil, provenance.Check("indemnity: tariff", []provenance.Finding{tariffProblem("", "not CSV: "+err.Error())})
	}
	if len(rows) == 0 || !slices.Equal(rows[0], columns) {
		return nil, provenance.Check("indemnity: tariff", []provenance.Finding{tariffProblem("row 1", "the header must be "+strings.Join(columns, ","))})
	}
	var lines []Line
	var problems []provenance.Finding
	codes := map[string]bool{}
	for i, row := range rows[1:] {
		bad := func(format string, args ...any) {
			problems = append(problems, tariffProblem(fmt.Sprintf("row %d", i+2), fmt.Sprintf(format, args...)))
		}
		if len(row) != len(columns) {
			bad("%d fields, want %d", len(row), len(columns))
			continue
		}
		col := func(name string) string { return row[slices.Index(columns, name)] }
		l := Line{
			Code: col("code"), Edition: col("edition"), Item: col("item"), Service: Service(col("service")), Unit: Unit(col("unit")),
			OfficialFR: col("fr_official"), OfficialNL: col("nl_official"),
			Labels:     map[string]string{"fr": col("fr"), "nl": col("nl"), "de": col("de"), "en": col("en")},
			Instrument: col("instrument"), URL: col("source_url"), Notes: col("notes"),
		}
		if l.Code == "" || codes[l.Code] {
			bad("code %q is empty or repeated", l.Code)
		}
		codes[l.Code] = true
		var err error
		if l.From, err = parseDay(col("in_force_from")); err != nil {
			bad("in_force_from: %v", err)
		}
		if s := col("in_force_until"); s != "" {
			if l.Until, err = parseDay(s); err != nil || l.Until <= l.From {
				bad("in_force_until %q is not a date after in_force_from", s)
			}
		}
		if s := col("amount"); s != "" {
			if l.Amount, err = ParseAmount(s); err != nil || l.Amount.Sign() <= 0 {
				bad("amount %q is not a positive amount", s)
			}
			l.Known = true
		}
		if err := l.Certainty.UnmarshalText([]byte(col("certainty"))); err != nil {
			bad("certainty: %v", err)
		}
		if err := l.InForceCertainty.UnmarshalText([]byte(col("in_force_certainty"))); err != nil {
			bad("in_force_certainty: %v", err)
		}
		if !slices.Contains(services(), l.Service) {
			bad("service %q is not one ccjkit knows", l.Service)
		}
		if l.Edition == "" {
			bad("edition is empty")
		}
		if !slices.Contains([]Unit{PerRequest, PerYear, UnknownUnit}, l.Unit) {
			bad("unit %q is not per-request, per-year or unknown", l.Unit)
		}
		for lang, s := range l.Labels {
			if s == "" {
				bad("no %s label", lang)
			}
		}
		if l.Instrument == "" || l.URL == "" {
			bad("the source (instrument and URL) is required")
		}
		lines = append(lines, l)
	}
	if err := provenance.Check("indemnity: tariff", problems); err != nil {
		return nil, err
	}
	return lines, nil
}

// tariffColumns returns the header of tariff.csv.
func tariffColumns() []string {
	return []string{"code", "edition", "in_force_from", "in_force_until", "in_force_certainty", "item", "service", "unit", "amount", "certainty",
		"fr_official", "nl_official", "fr", "nl", "de", "en", "instrument", "source_url", "notes"}
}

// tariff parses the embedded data once; it is never modified afterwards.
var tariff = sync.OnceValues(func() ([]Line, error) { return ParseTariff([]byte(tariffCSV)) })

// Tariff returns every known line of every edition, from the embedded
// tariff.csv. The slice is a copy the caller may keep.
func Tariff() []Line {
	lines, err := tariff()
	if err != nil {
		return nil // TestEmbeddedTariff guarantees this does not happen
	}
	out := make([]Line, len(lines))
	for i, l := range lines {
		out[i] = l.clone()
	}
	return out
}

// lines returns the parsed tariff, shared: callers inside the package must
// copy a line's Labels before handing it out.
func lines() []Line {
	ls, _ := tariff()
	return ls
}

func (l Line) clone() Line {
	l.Labels = maps.Clone(l.Labels)
	return l
}

// Lookup returns the line with the given code.
func Lookup(code string) (Line, bool) {
	for _, l := range lines() {
		if l.Code == code {
			return l.clone(), true
		}
	}
	return Line{}, false
}

// LinesInForce returns the lines that apply on day d, in the file's order.
func LinesInForce(d date.Date) []Line {
	var out []Line
	for _, l := range lines() {
		if l.InForce(d) {
			out = append(out, l.clone())
		}
	}
	return out
}

// parseDay reads YYYY-MM-DD strictly: date.ParseISO normalises 2017-13-01
// into 2018-01-01, time.Parse refuses it.
func parseDay(s string) (date.Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return date.NewAt(t), nil
}
