package requisition_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
)

// Values lists what the key lists hold, with each measure's article, data
// and longest period, and the offence catalogue; every key it gives is one
// Decode reads.
func TestValues(t *testing.T) {
	v := requisition.Values()
	if len(v.Measures) != len(requisition.Measures()) || len(v.Offences) != len(requisition.Offences()) {
		t.Fatalf("%d measures, %d offences", len(v.Measures), len(v.Offences))
	}
	for _, m := range v.Measures {
		if m.Source.Article == "" || len(m.Items) == 0 {
			t.Errorf("%s: no article or no data", m.Measure)
		}
		if months, _ := m.Measure.MaxMonths(); months != m.MaxMonths || (months > 0) != (m.MaxMonthsSource != nil) {
			t.Errorf("%s: longest period %d, %v", m.Measure, m.MaxMonths, m.MaxMonthsSource)
		}
	}
	ids := map[string]bool{}
	for _, o := range v.Offences {
		if ids[o.ID] || o.Source.Article == "" || len(o.Lists) == 0 {
			t.Errorf("offence %s: twice, or without article or list", o.ID)
		}
		ids[o.ID] = true
	}
	// Every key decodes back: a requisition using them all decodes.
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back requisition.Vocabulary
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Items, requisition.Items()) || !slices.Equal(back.TargetKinds, requisition.TargetKinds()) ||
		!slices.Equal(back.ResponseKinds, requisition.ResponseKinds()) || !slices.Equal(back.Circumstances, requisition.Circumstances()) {
		t.Error("the key lists do not round-trip")
	}
	// Values hands out copies.
	v.Measures[0].Items[0] = 0
	v.Offences[0].Lists[0] = 0
	if w := requisition.Values(); w.Measures[0].Items[0] == 0 || w.Offences[0].Lists[0] == 0 {
		t.Error("Values shares its slices")
	}
}

// A wrong offence ID is refused with where the list is, never quoting the
// ID.
func TestUnknownOffenceSaysWhereTheListIs(t *testing.T) {
	r, _ := requisition.Template(requisition.Interception, schemaCheckedAt)
	r.Offences = []string{"90ter-jaywalking"}
	err := r.Validate(schemaCheckedAt, requisition.FromNextDay)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"offences[0]", "requisition.Offences", "desk values"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "jaywalking") {
		t.Errorf("the error quotes the input: %v", err)
	}
}

// Every offence of the catalogue is described in French, Dutch and
// German, and a plaintiff's source's article reads in each language.
func TestOffenceLabels(t *testing.T) {
	for _, o := range requisition.Offences() {
		for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
			if got := o.LabelIn(tag); got == "" || got == o.Label && o.ID != "90ter-corruption" {
				t.Errorf("%s in %s: %q", o.ID, tag, got)
			}
		}
		if got := o.LabelIn(language.English); got != o.Label {
			t.Errorf("%s in English: %q", o.ID, got)
		}
		if got := requisition.CiteArticle(o.Source, language.French); strings.Contains(got, "citing") {
			t.Errorf("%s: the article in French: %q", o.ID, got)
		}
	}
	if got := (requisition.Offence{ID: "none", Label: "x"}).LabelIn(language.French); got != "x" {
		t.Errorf("an offence outside the catalogue: %q", got)
	}
}
