package requisition_test

import (
	"testing"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
)

// Edition never hands out a source for a day outside its days in force,
// never one surer than it was given, and is idempotent — also for sources
// with their own bounds, which no caller passes today.
func TestEdition(t *testing.T) {
	v := provenance.Source{Instrument: "Code d'instruction criminelle", Article: "art. X", Certainty: provenance.Verified}
	ended := v
	ended.Until = date.New(2010, 1, 1)
	later := v
	later.From = date.New(2015, 1, 1)
	for _, tc := range []struct {
		name string
		src  provenance.Source
		day  date.Date
		want provenance.Certainty
	}{
		{"the earlier text, in force", v, date.New(2015, 3, 2), provenance.Verified},
		{"its last day", v, requisition.Law2016RetentionInForce() - 1, provenance.Verified},
		{"the law of 29 May 2016", v, requisition.Law2016RetentionInForce(), provenance.Unverified},
		{"the law of 25 December 2016", v, requisition.Law2016Published(), provenance.Unverified},
		{"a text that ended in 2010, asked for 2012", ended, date.New(2012, 1, 1), provenance.Unverified},
		{"a text of 2015, asked for 2014", later, date.New(2014, 6, 1), provenance.Unverified},
		{"a text of 2015, in force", later, date.New(2015, 6, 1), provenance.Verified},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := requisition.Edition(tc.src, tc.day)
			if got.Certainty != tc.want {
				t.Errorf("certainty %v, want %v: %v", got.Certainty, tc.want, got)
			}
			if got.Certainty != provenance.Unverified && !got.InForce(tc.day) {
				t.Errorf("%v is not in force on %v", got, tc.day)
			}
		})
	}
	rapid.Check(t, func(t *rapid.T) {
		src := v
		if rapid.Bool().Draw(t, "from") {
			src.From = date.Date(rapid.IntRange(int(date.New(2000, 1, 1)), int(date.New(2016, 12, 31))).Draw(t, "from_day"))
		}
		if rapid.Bool().Draw(t, "until") {
			src.Until = src.From + date.Date(rapid.IntRange(1, 8000).Draw(t, "until_days"))
		}
		day := date.Date(rapid.IntRange(int(date.New(1995, 1, 1)), int(date.New(2030, 1, 1))).Draw(t, "day"))
		e := requisition.Edition(src, day)
		if e.Certainty > src.Certainty && src.Certainty != 0 {
			t.Fatalf("surer than given: %v from %v", e, src)
		}
		if e.Certainty != provenance.Unverified && !e.InForce(day) {
			t.Fatalf("%v handed out for %v", e, day)
		}
		if again := requisition.Edition(e, day); again != e {
			t.Fatalf("not idempotent: %v then %v", e, again)
		}
	})
}
