package static

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/internal/strict"
	"github.com/ccjkit/ccjkit/timesync"
)

// The sentinels Parse's errors wrap.
var (
	// ErrInput: the file breaks a rule of the format; every finding of
	// the *provenance.Problems wraps it.
	ErrInput = errors.New("static: invalid contracts file")
	// ErrConfig: the Config is refused.
	ErrConfig = errors.New("static: invalid configuration")
	// ErrTooLarge: the file is larger than MaxSize.
	ErrTooLarge = errors.New("static: contracts file too large")
)

// MaxSize bounds the file Parse reads, in bytes: 64 MiB, several hundred
// thousand contracts.
const MaxSize = 64 << 20

// Header is the file's first line.
const Header = "subscriber,prefix,from,until"

// The widest prefixes a contract may hold (ccjkit's rule, see the
// package comment).
const (
	MinBits4 = 16
	MinBits6 = 32
)

// what is what Parse's *provenance.Problems says was judged.
const what = "static: contracts"

// format is the source of the format's rules: ccjkit's own.
func format() provenance.Source { return provenance.Rule("static-contracts-csv") }

// Config says where the file came from.
type Config struct {
	// Device is the ISP's name for the system the file was exported from
	// ("crm", "contracts-2026"), 1 to 64 printable ASCII bytes without
	// spaces: the evidence's device.
	Device string
	// Clock is the verdict of the ingesting machine's clock
	// (retention.ClockOf(timesync.Check(...))).
	Clock retention.Clock
}

// row is one contract read, before the checks across lines.
type row struct {
	line int
	a    retention.Assignment
}

// Parse reads a contracts file (see the package comment) and returns one
// assignment per contract, in the file's order. Every problem is in one
// *provenance.Problems; nothing is returned then.
func Parse(r io.Reader, cfg Config) ([]retention.Assignment, error) {
	if !strict.Device(cfg.Device) {
		return nil, fmt.Errorf("%w: Device must be 1 to %d printable ASCII bytes without spaces", ErrConfig, strict.MaxDevice)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("static: reading the contracts file: %w", err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxSize)
	}
	var f strict.Findings
	rows := read(data, cfg, &f)
	overlaps(rows, &f)
	if err := f.Check(what); err != nil {
		return nil, err
	}
	out := make([]retention.Assignment, len(rows))
	for i, r := range rows {
		out[i] = r.a
	}
	return out, nil
}

// read parses the CSV records and each contract's fields.
func read(data []byte, cfg Config, f *strict.Findings) []row {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = 4
	cr.ReuseRecord = true
	var rows []row
	for n := 0; ; n++ {
		start := cr.InputOffset()
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			f.Add(strict.Line(line, ""), "csv", csvProblem(err), format(), ErrInput)
			if cr.InputOffset() == start {
				break // no progress: nothing more can be read
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if n == 0 {
			if !slices.Equal(rec, []string{"subscriber", "prefix", "from", "until"}) {
				f.Add(strict.Line(line, ""), "header", "the first line must be the header "+Header, format(), ErrInput)
			}
			continue
		}
		raw := bytes.TrimRight(data[start:cr.InputOffset()], "\r\n")
		if a, ok := contract(rec, line, cfg, f); ok {
			a.Source = retention.Evidence{Kind: retention.Static, Device: cfg.Device, Hash: retention.HashRecord(raw)}
			rows = append(rows, row{line: line, a: a})
		}
	}
	if f.Len() == 0 && len(rows) == 0 && len(data) == 0 {
		f.Add("line 1", "header", "the file is empty; the first line must be the header "+Header, format(), ErrInput)
	}
	return rows
}

// csvProblem says what encoding/csv found, without the input.
func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrFieldCount):
		return "not 4 fields (subscriber, prefix, from, until)"
	case errors.Is(err, csv.ErrBareQuote):
		return "a double quote inside a field that is not quoted"
	case errors.Is(err, csv.ErrQuote):
		return "a quoted field is not closed, or a quote is followed by other text"
	}
	return "not CSV (RFC 4180)"
}

// contract reads one line's fields.
func contract(rec []string, line int, cfg Config, f *strict.Findings) (retention.Assignment, bool) {
	before := f.Len()
	a := retention.Assignment{Clock: cfg.Clock}
	a.Subscriber = retention.Subscriber(rec[0])
	if !retention.ValidSubscriber(a.Subscriber) {
		f.Add(strict.Line(line, "subscriber"), "subscriber",
			fmt.Sprintf("not a subscriber reference (1 to %d printable ASCII bytes, no spaces)", retention.MaxSubscriber), format(), ErrInput)
	}
	if p, why := Prefix(rec[1]); why != "" {
		f.Add(strict.Line(line, "prefix"), "prefix", why, format(), ErrInput)
	} else {
		a.Prefix = p
	}
	if ts, why := when(rec[2], false); why != "" {
		f.Add(strict.Line(line, "from"), "from", why, format(), ErrInput)
	} else {
		a.From = ts
	}
	if rec[3] != "" {
		if ts, why := when(rec[3], true); why != "" {
			f.Add(strict.Line(line, "until"), "until", why, format(), ErrInput)
		} else {
			a.Until = ts
		}
	}
	if f.Len() > before {
		return a, false
	}
	if !a.Until.IsZero() && !a.From.Before(a.Until) {
		f.Add(strict.Line(line, "until"), "interval", "the contract ends before it starts, or when it starts", format(), ErrInput)
		return a, false
	}
	return a, true
}

// Prefix reads a contract's address or prefix as the file gives it: an
// address (a /32 or /128) or a prefix with no bits set past its length,
// IPv4 no wider than MinBits4, IPv6 no wider than MinBits6, no zone and
// no IPv4-mapped IPv6 address. It says what is wrong, without the value,
// when the text is none of these.
func Prefix(s string) (netip.Prefix, string) {
	const want = "not an IPv4 or IPv6 address, or such an address, a slash and a prefix length"
	var p netip.Prefix
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" {
			return p, "an address with a zone is no public address"
		}
		p = netip.PrefixFrom(a, a.BitLen())
	} else if p, err = netip.ParsePrefix(s); err != nil {
		return netip.Prefix{}, want
	}
	switch {
	case p.Addr().Is4In6():
		return netip.Prefix{}, "an IPv4-mapped IPv6 address; write the IPv4 address"
	case p.Masked() != p:
		return netip.Prefix{}, "bits are set past the prefix length"
	case p.Addr().Is4() && p.Bits() < MinBits4:
		return netip.Prefix{}, fmt.Sprintf("an IPv4 prefix wider than /%d: more than a subscriber holds", MinBits4)
	case p.Addr().Is6() && p.Bits() < MinBits6:
		return netip.Prefix{}, fmt.Sprintf("an IPv6 prefix wider than /%d: more than a subscriber holds", MinBits6)
	}
	return p, ""
}

// when reads from or until: a Belgian RFC 3339 time, or a day (from: its
// first instant; until, the last day included: the next day's first).
func when(s string, until bool) (timesync.Timestamp, string) {
	if len(s) == 10 {
		d, err := timesync.ParseDay(s)
		if err != nil {
			return timesync.Timestamp{}, "not a day YYYY-MM-DD in the years 1583-9999"
		}
		if until {
			return timesync.FromTime(timesync.DayEnd(d)), ""
		}
		return timesync.FromTime(timesync.DayStart(d)), ""
	}
	ts, why := strict.BelgianTime(s)
	if why != "" {
		return ts, why + ", or a day YYYY-MM-DD"
	}
	return ts, ""
}

// overlaps reports every two contracts whose prefixes overlap during an
// overlapping time. Prefixes either nest or are disjoint, so after
// sorting by first address, those overlapping a row start inside it.
func overlaps(rows []row, f *strict.Findings) {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		a, b := rows[i].a.Prefix, rows[j].a.Prefix
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	type pair struct{ first, second int }
	var found []pair
	for k, i := range idx {
		p := rows[i].a.Prefix
		for _, j := range idx[k+1:] {
			if !p.Contains(rows[j].a.Prefix.Addr()) {
				break
			}
			if during(rows[i].a, rows[j].a) {
				found = append(found, pair{min(rows[i].line, rows[j].line), max(rows[i].line, rows[j].line)})
			}
		}
	}
	slices.SortFunc(found, func(a, b pair) int {
		if a.second != b.second {
			return a.second - b.second
		}
		return a.first - b.first
	})
	for _, p := range found {
		f.Add(strict.Line(p.second, "prefix"), "overlap",
			fmt.Sprintf("overlaps the contract of line %d (the same addresses at the same time)", p.first), format(), ErrInput)
	}
}

// during reports whether two assignments' intervals overlap.
func during(a, b retention.Assignment) bool {
	return (a.Until.IsZero() || b.From.Before(a.Until)) && (b.Until.IsZero() || a.From.Before(b.Until))
}
