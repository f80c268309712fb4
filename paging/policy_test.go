package paging_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/provenance"
)

func TestDefaultPolicy(t *testing.T) {
	p := paging.DefaultPolicy()
	if fs := p.Validate(); len(fs) != 0 {
		t.Errorf("the default policy has findings: %v", fs)
	}
	// It reads back what it writes, and a file of {} is the default.
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"ack_by_day":"10m","ack_at_night":"5m","night_from":"22:00","night_until":"07:00","reminders":[50,80,95],` +
		`"urgent_within":"24h","code_valid":"2h","retry":{"attempts":3,"first":"5s","factor":2,"cap":"1m","timeout":"15s"},"language":"en"}`
	if string(b) != want {
		t.Errorf("encoded\n%s\nwant\n%s", b, want)
	}
	for _, doc := range []string{want, `{}`} {
		back, err := paging.DecodePolicy([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, back); diff != "" {
			t.Errorf("%s (-want +got):\n%s", doc, diff)
		}
	}
}

func TestDecodePolicy(t *testing.T) {
	tests := []struct {
		name   string
		doc    string
		fields []string // the fields at fault, every one
		check  func(*testing.T, paging.Policy)
	}{
		{name: "a cell's own: French, no reminders, 15 minutes by day",
			doc: `{"language": "fr", "reminders": [], "ack_by_day": "15m"}`,
			check: func(t *testing.T, p paging.Policy) {
				if p.Lang() != language.French || len(p.Reminders) != 0 || p.AckByDay != paging.Duration(15*time.Minute) || p.AckAtNight != paging.Duration(5*time.Minute) {
					t.Errorf("%+v", p)
				}
			}},
		{name: "a night that does not cross midnight", doc: `{"night_from": "00:00", "night_until": "06:30"}`,
			check: func(t *testing.T, p paging.Policy) {
				if !p.Night(at("2026-11-02 06:29:59")) || p.Night(at("2026-11-02 06:30:00")) || p.Night(at("2026-11-01 23:59:59")) {
					t.Error("Night")
				}
			}},
		{name: "an unknown field", doc: `{"ack_by_dya": "10m"}`, fields: []string{"ack_by_dya"}},
		{name: "not a duration", doc: `{"ack_by_day": "ten minutes"}`, fields: []string{"ack_by_day"}},
		{name: "a negative duration", doc: `{"code_valid": "-1h"}`, fields: []string{"code_valid"}},
		{name: "every bound at once",
			doc: `{"ack_by_day": "30s", "ack_at_night": "3h", "night_from": "22:00", "night_until": "22:00", "reminders": [80, 50, 100],
				"urgent_within": "10m", "code_valid": "1m", "language": "es",
				"retry": {"attempts": 11, "first": "1ms", "factor": 0.5, "cap": "1h", "timeout": "10m"}}`,
			fields: []string{"ack_by_day", "ack_at_night", "night_from", "reminders", "urgent_within", "code_valid",
				"retry.attempts", "retry.first", "retry.factor", "retry.cap", "retry.timeout", "language"}},
		{name: "a control character", doc: "{\"language\": \"fr\\u001b[2J\"}", fields: []string{"language"}},
		{name: "a duplicate field", doc: `{"language": "fr", "language": "nl"}`, fields: []string{"language"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := paging.DecodePolicy([]byte(tt.doc))
			if tt.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				tt.check(t, p)
				return
			}
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, paging.ErrPolicy) {
				t.Fatalf("error %v", err)
			}
			var got []string
			for _, f := range ps.Errors() {
				got = append(got, f.Field)
				for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
					if f.Rule == "paging-policy" && f.Text(tag) == f.Text(language.English) {
						t.Errorf("%s: not translated into %v", f.Field, tag)
					}
				}
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
		})
	}
}

// A retry that may take longer to try three channels than the night's
// delay is a warning, not an error.
func TestPolicySlowRetry(t *testing.T) {
	p := paging.DefaultPolicy()
	p.Retry.Timeout = paging.Duration(time.Minute)
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	fs := p.Validate()
	if len(fs) != 1 || fs[0].Severity != provenance.Warning || !strings.Contains(fs[0].Text(language.English), "9m45s for three") {
		t.Errorf("%v", fs)
	}
}

// Night is read on the Brussels wall clock, both occurrences of the
// repeated October hour included; AckDelay follows.
func TestNight(t *testing.T) {
	p := paging.DefaultPolicy()
	tests := []struct {
		at    string
		night bool
	}{
		{"2026-10-24 21:59:59", false},
		{"2026-10-24 22:00:00", true},
		{"2026-10-25 02:30:00 CEST", true},
		{"2026-10-25 02:30:00 CET", true},
		{"2026-10-25 06:59:59", true},
		{"2026-10-25 07:00:00", false},
		{"2026-03-29 01:59:59", true},
		{"2026-03-29 03:00:00", true}, // 02:00 does not exist that night
		{"2026-06-21 12:00:00", false},
	}
	for _, tt := range tests {
		if got := p.Night(at(tt.at)); got != tt.night {
			t.Errorf("%s: night %v", tt.at, got)
		}
		want := 10 * time.Minute
		if tt.night {
			want = 5 * time.Minute
		}
		if got := p.AckDelay(at(tt.at)); got != want {
			t.Errorf("%s: delay %v", tt.at, got)
		}
	}
}

func TestClassify(t *testing.T) {
	p := paging.DefaultPolicy()
	r := at("2026-10-24 21:47:03")
	for _, tt := range []struct {
		due  time.Time
		want paging.Class
	}{
		{time.Time{}, paging.Unread},
		{r.Add(24 * time.Hour), paging.Urgent}, // across the October change: 24 elapsed hours
		{r.Add(24*time.Hour + time.Second), paging.Ordinary},
		{r.Add(2 * time.Hour), paging.Urgent},
	} {
		if got := p.Classify(r, tt.due); got != tt.want {
			t.Errorf("due %v: %v, want %v", tt.due, got, tt.want)
		}
	}
}

func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{10 * time.Minute: "10m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h",
		1500 * time.Millisecond: "1.5s", 24 * time.Hour: "24h", time.Minute + time.Second: "1m1s"} {
		if got := paging.Duration(d).String(); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
		var back paging.Duration
		if err := back.UnmarshalText([]byte(want)); err != nil || time.Duration(back) != d {
			t.Errorf("%q reads back as %v, %v", want, back, err)
		}
	}
}
