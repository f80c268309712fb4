package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/invopop/jsonschema"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/internal/schematest"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// deskSpec generates desk.schema.json from Config.
func deskSpec(t testing.TB) schematest.Spec {
	return schematest.Spec{
		ID:    deskSchemaID,
		Title: "ccjkit desk.json",
		Description: "The desk's own file in the register's directory: the operator who claims the indemnities, " +
			"under which tariff service each measure is billed, and how the cell counts periods in months.",
		Roots: []any{Config{}},
		Types: map[reflect.Type]*jsonschema.Schema{
			reflect.TypeFor[requisition.Measure]():         schematest.Enum("", schematest.Keys(t, requisition.Measures())...),
			reflect.TypeFor[requisition.MonthRule]():       schematest.Enum("", schematest.Keys(t, requisition.MonthRules())...),
			reflect.TypeFor[indemnity.NothingHeldPolicy](): schematest.Enum("", schematest.Keys(t, indemnity.NothingHeldPolicies())...),
			reflect.TypeFor[paging.Condition]():            schematest.Enum("A standing duty the watch checks.", schematest.Keys(t, paging.Conditions())...),
			reflect.TypeFor[indemnity.Service]():           schematest.Enum("A service the tariff prices.", schematest.Strings(billingServices())...),
			reflect.TypeFor[indemnity.Billing](): {Type: "object", PropertyNames: schematest.Ref("Measure"), AdditionalProperties: schematest.Ref("Service"),
				Description: "From measure keys to the tariff service each is claimed under; a measure with no entry is not billed."},
		},
		Comments: [][2]string{{"main", "."}, {"github.com/ccjkit/ccjkit/indemnity", "../../indemnity"},
			{"github.com/ccjkit/ccjkit/requisition", "../../requisition"}, {"github.com/ccjkit/ccjkit/paging", "../../paging"}},
		Extend: func(root *jsonschema.Schema) {
			schematest.Prop(root, "keyring").Deprecated = true
		},
	}
}

// desk.schema.json is generated from Config; desk schema prints each file's
// schema, which the desk's samples validate against and decode with the
// library's decoders.
func TestDeskSchema(t *testing.T) {
	schematest.Check(t, "desk.schema.json", deskSpec(t))
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	compiled := map[string]schematest.Schema{}
	for _, sc := range schemas() {
		out, errs, code := desk(t, clock, "schema", sc.name)
		if code != exitOK || out != string(sc.schema()) {
			t.Fatalf("desk schema %s: exit %d %s", sc.name, code, errs)
		}
		compiled[sc.name] = schematest.MustCompile(t, []byte(out))
	}
	at := brussels("2026-11-23 10:05")
	for _, tc := range []struct {
		name, file, schema string
		decode             func([]byte) error
	}{
		{"requisition", "requisition.json", "requisition", func(b []byte) error {
			r, err := requisition.Decode(b)
			if err == nil {
				err = r.Validate(at, requisition.FromNextDay)
			}
			return err
		}},
		{"result", "result.json", "result", func(b []byte) error { _, err := register.DecodeWorkResult(b); return err }},
		{"cell", "cell.json", "cell", func(b []byte) error {
			c, err := ccj.DecodeCell(b)
			if err == nil {
				err = c.Check(at)
			}
			return err
		}},
		{"desk.json", "desk.json", "desk", func(b []byte) error {
			p := filepath.Join(t.TempDir(), "desk.json")
			os.WriteFile(p, b, 0o600)
			_, err := loadConfig(p)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := sample.ReadFile("sample/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if err := compiled[tc.schema].Validate(b); err != nil {
				t.Errorf("the schema refuses sample/%s: %v", tc.file, err)
			}
			if err := tc.decode(b); err != nil {
				t.Errorf("sample/%s: %v", tc.file, err)
			}
		})
	}
	// A billing entry for an unknown measure or service: the schema and
	// the desk both refuse it.
	for _, billing := range []string{`{"shoe-repair": "historical-observation"}`, `{"traffic-location": "free-lunch"}`} {
		doc := []byte(`{"billing": ` + billing + `}`)
		if compiled["desk"].Validate(doc) == nil {
			t.Errorf("the schema accepts billing %s", billing)
		}
		p := filepath.Join(t.TempDir(), "desk.json")
		os.WriteFile(p, doc, 0o600)
		if _, err := loadConfig(p); err == nil {
			t.Errorf("loadConfig accepts billing %s", billing)
		}
	}
}

// desk schema, values and template refuse what they do not know, with
// status 2, in one line, without repeating it.
func TestInputCommandsRefuse(t *testing.T) {
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	for _, tc := range []struct {
		name     string
		args     []string
		mentions string
	}{
		{"schema of an unknown file", []string{"schema", "secret-thing"}, "requisition, result, cell, desk"},
		{"schema of nothing", []string{"schema"}, "requisition, result, cell, desk"},
		{"schema of two files", []string{"schema", "cell", "desk"}, "requisition, result, cell, desk"},
		{"template of an unknown measure", []string{"template", "secret-thing"}, "identification, traffic-location"},
		{"template of nothing", []string{"template"}, "identification"},
		{"template of an empty measure", []string{"template", ""}, "identification"},
		{"values with an argument", []string{"values", "secret-thing"}, "no argument"},
		{"values in an unknown language", []string{"values", "-lang", "xx"}, "-lang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := desk(t, clock, tc.args...)
			if code != exitInput {
				t.Errorf("exit %d, want %d", code, exitInput)
			}
			if out != "" {
				t.Errorf("output on refusal: %.200s", out)
			}
			if n := strings.Count(strings.TrimRight(errs, "\n"), "\n") + 1; n > 1 {
				t.Errorf("%d lines of error:\n%s", n, errs)
			}
			if !strings.Contains(errs, tc.mentions) || strings.Contains(errs, "secret-thing") {
				t.Errorf("the error does not name %q, or repeats the argument: %s", tc.mentions, errs)
			}
		})
	}
}

// desk values lists the measures with their articles and data, the
// authorities, the offences with their articles, and the values of the
// other files; -json gives the same lists.
func TestValuesCommand(t *testing.T) {
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"english", []string{"values"}, []string{"traffic-location", "art. 88bis [V]", "at most 2 months", "traffic-records",
			"juge-instruction", "90ter-fraud", "penal-347bis", "art. 90ter §§2-4", "nothing-held", "historical-observation", "from-order-day", "ip-address-port"}},
		{"french", []string{"values", "-lang", "fr"}, []string{"Une réquisition", "au plus 2 mois", "90ter-fraud", "historical-observation"}},
		{"dutch", []string{"values", "-lang", "nl"}, []string{"Een vordering", "ten hoogste 2 maanden"}},
		{"german", []string{"values", "-lang", "de"}, []string{"Eine Anordnung", "höchstens 2 Monate"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := desk(t, clock, tc.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("no %q in:\n%s", w, out)
				}
			}
		})
	}
	out, _, code := desk(t, clock, "values", "-json")
	var v values
	if err := json.Unmarshal([]byte(out), &v); code != exitOK || err != nil {
		t.Fatalf("exit %d: %v", code, err)
	}
	if len(v.Requisition.Offences) != len(requisition.Offences()) || len(v.Requisition.Measures) != len(requisition.Measures()) ||
		len(v.Outcomes) != len(register.Outcomes()) || len(v.Services) == 0 {
		t.Errorf("-json: %+v", v)
	}
	for _, o := range v.Requisition.Offences {
		if o.Source.Article == "" {
			t.Errorf("offence %s without its article", o.ID)
		}
	}
}

// desk template MEASURE prints, for every measure, a requisition that the
// schema accepts, that decodes, and that is lawful at the clock's now.
func TestTemplateCommand(t *testing.T) {
	schema := schematest.MustCompile(t, requisition.Schema())
	for _, at := range []string{"2026-11-23 10:05", "2026-10-25 02:30 +01:00"} {
		clock := timesynctest.NewClock(brussels(at))
		for _, m := range requisition.Measures() {
			t.Run(at+"/"+m.String(), func(t *testing.T) {
				out, errs, code := desk(t, clock, "template", m.String())
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, errs)
				}
				if err := schema.Validate([]byte(out)); err != nil {
					t.Errorf("the schema refuses it: %v", err)
				}
				r, err := requisition.Decode([]byte(out))
				if err != nil {
					t.Fatal(err)
				}
				if r.Measure != m || r.Reference != requisition.TemplateReference {
					t.Errorf("measure %s, reference %q", r.Measure, r.Reference)
				}
				if err := r.Validate(clock.Now(), requisition.FromNextDay); err != nil {
					t.Errorf("not lawful: %v", err)
				}
			})
		}
	}
}

// With -json, a file that does not decode gets every problem on standard
// output, each with its field and never its value; standard error keeps
// its three lines; nothing is written.
func TestJSONListsEveryProblem(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	bad := strings.NewReplacer(
		`"measure": "traffic-location"`, `"measure": "mind-reading"`,
		`"authority": "juge-instruction"`, `"authority": "secret-authority"`,
		`"2001:db8::beef"`, `"2001:db8::zz"`,
		`"reasoned": true`, `"reasoned": true, "shoe_size": 42`,
	)
	reqBytes, _ := sample.ReadFile("sample/requisition.json")
	req := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(req, []byte(bad.Replace(string(reqBytes))), 0o600)
	cell := filepath.Join(t.TempDir(), "cell.json")
	os.WriteFile(cell, []byte(`{"name": 1, "members": [{"id": 2, "name": 3}], "escalation": "alice"}`), 0o600)
	for _, tc := range []struct {
		name   string
		args   []string
		fields []string
	}{
		{"a requisition", []string{"receive", req}, []string{"measure", "authority", "targets[0].addr", "shoe_size"}},
		{"a cell file", []string{"list", "-cell", cell}, []string{"name", "members[0].id", "members[0].name", "escalation"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(journalPath(dir))
			args := append([]string{tc.args[0], "-json", "-dir", dir, "-identity", identity}, tc.args[1:]...)
			out, errs, code := desk(t, clock, args...)
			if code != exitInput {
				t.Errorf("exit %d, want %d: %s", code, exitInput, errs)
			}
			var got problemsJSON
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("stdout is not the problems' JSON: %v\n%s", err, out)
			}
			var fields []string
			for _, f := range got.Problems {
				fields = append(fields, f.Field)
				if f.Text(language.English) == "" {
					t.Errorf("%s: no text", f.Field)
				}
			}
			for _, f := range tc.fields {
				if !strings.Contains(strings.Join(fields, " "), f) {
					t.Errorf("no problem at %s: %v", f, fields)
				}
			}
			if len(got.Problems) < len(tc.fields) {
				t.Errorf("%d problems, want at least %d", len(got.Problems), len(tc.fields))
			}
			for _, secret := range []string{"mind-reading", "secret-authority", "2001:db8::zz", "alice"} {
				if strings.Contains(out, secret) {
					t.Errorf("the JSON quotes the input %q", secret)
				}
			}
			if n := strings.Count(strings.TrimRight(errs, "\n"), "\n") + 1; n > 3 {
				t.Errorf("%d lines on standard error:\n%s", n, errs)
			}
			if after, _ := os.ReadFile(journalPath(dir)); !bytes.Equal(before, after) {
				t.Error("the register changed")
			}
		})
	}
}

// A newcomer's path through the built binary, as the README gives it,
// every file written from the docs alone: desk init from a cell file kept
// elsewhere (init copies it into the directory), template, receive, ack,
// review, check, workorder, a result file in the form of
// sample/result.json, answer at a time given with -at, and claim.
func TestNewcomerPath(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the desk")
	}
	bin := filepath.Join(t.TempDir(), "desk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	files := t.TempDir()
	dir := filepath.Join(t.TempDir(), "srv", "ccj")
	identity := filepath.Join(files, "alice.identity")
	cellFile := filepath.Join(files, "cell.json")
	cell, _ := sample.ReadFile("sample/cell.json")
	os.WriteFile(cellFile, cell, 0o600)
	env := append(os.Environ(), "CCJKIT_IDENTITY="+identity)
	deskRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("desk %v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	if out := deskRun("init", "-dir", dir, "-cell", cellFile, "-name", "alice", "-identity", identity); !strings.Contains(out, "cell.json") {
		t.Fatalf("init: %s", out)
	}
	// desk.json as docs/formats.md describes it: the operator and how
	// identifications are billed.
	os.WriteFile(filepath.Join(dir, "desk.json"), []byte(`{"operator": {"name": "Example ISP asbl", "enterprise_number": "0000.000.097", "address": "Rue de l'Exemple 1, 1000 Bruxelles", "iban": "BE71 0961 2345 6769"},
  "billing": {"identification": "ip-identification"}, "month_rule": "from-next-day"}`), 0o600)
	tmpl := deskRun("template", "identification")
	req := filepath.Join(files, "requisition.json")
	os.WriteFile(req, []byte(strings.Replace(tmpl, requisition.TemplateReference, "PV.2026/0001 example", 1)), 0o600)
	if out := deskRun("receive", "-dir", dir, req); !strings.Contains(out, "received as case") {
		t.Fatalf("receive: %s", out)
	}
	deskRun("ack", "-dir", dir, "2026-0001")
	if out := deskRun("review", "-dir", dir, "2026-0001"); out == "" {
		t.Error("review printed nothing")
	}
	deskRun("check", "-dir", dir, "2026-0001")
	var wo register.WorkOrder
	if err := json.Unmarshal([]byte(deskRun("workorder", "-json", "-dir", dir, "2026-0001")), &wo); err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	b, _ := sample.ReadFile("sample/result.json")
	json.Unmarshal(b, &res)
	res["ref"] = string(wo.Ref)
	res["completed"] = time.Now().Format(time.RFC3339)
	b, _ = json.Marshal(res)
	resFile := filepath.Join(files, "result.json")
	os.WriteFile(resFile, b, 0o600)
	deskRun("result", "-dir", dir, resFile)
	// -at takes a Brussels wall-clock time, here with its offset, which
	// must be the one Brussels used then (it settles the autumn hour).
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().In(loc).Format("2006-01-02 15:04:05 -07:00")
	if out := deskRun("answer", "-dir", dir, "-to", "Parquet de Bruxelles", "-channel", "email", "-at", at, "2026-0001"); !strings.Contains(out, "Parquet de Bruxelles") {
		t.Errorf("answer: %s", out)
	}
	// The claim of this month: ip-identification has no line in force
	// since 2017, so the case is listed as not billed, with why.
	if out := deskRun("claim", "-dir", dir, time.Now().In(loc).Format("2006-01")); !strings.Contains(out, "2026-0001") {
		t.Errorf("claim: %s", out)
	}
}

// Every example of docs/formats.md (a ```json block after a "<!-- file:
// NAME -->" line) validates against the schema desk schema NAME prints
// and is read by the library's decoder; the requisition and the result are
// the samples' own.
func TestFormatsPage(t *testing.T) {
	page, err := os.ReadFile("../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	compiled := map[string]schematest.Schema{}
	for _, sc := range schemas() {
		compiled[sc.name] = schematest.MustCompile(t, sc.schema())
	}
	at := brussels("2026-11-23 10:05")
	decode := map[string]func([]byte) error{
		"requisition": func(b []byte) error {
			r, err := requisition.Decode(b)
			if err == nil {
				err = r.Validate(r.Received.Time().Add(5*time.Minute), requisition.FromNextDay)
			}
			return err
		},
		"result": func(b []byte) error { _, err := register.DecodeWorkResult(b); return err },
		"cell": func(b []byte) error {
			c, err := ccj.DecodeCell(b)
			if err == nil {
				err = c.Check(at)
			}
			return err
		},
		"desk": func(b []byte) error {
			p := filepath.Join(t.TempDir(), "desk.json")
			os.WriteFile(p, b, 0o600)
			_, err := loadConfig(p)
			return err
		},
	}
	samples := map[string]string{"requisition": "requisition.json", "result": "result.json"}
	seen := map[string]int{}
	parts := strings.Split(string(page), "<!-- file: ")
	for _, part := range parts[1:] {
		name, rest, _ := strings.Cut(part, " -->")
		_, block, ok := strings.Cut(rest, "```json\n")
		block, _, ok2 := strings.Cut(block, "```")
		if !ok || !ok2 || decode[name] == nil {
			t.Fatalf("docs/formats.md: a file marker %q without its json block", name)
		}
		seen[name]++
		t.Run(fmt.Sprintf("%s-%d", name, seen[name]), func(t *testing.T) {
			if err := compiled[name].Validate([]byte(block)); err != nil {
				t.Errorf("the schema refuses it: %v", err)
			}
			if err := decode[name]([]byte(block)); err != nil {
				t.Errorf("%v", err)
			}
			if file, ok := samples[name]; ok {
				b, _ := sample.ReadFile("sample/" + file)
				var a, s any
				json.Unmarshal([]byte(block), &a)
				json.Unmarshal(b, &s)
				if !reflect.DeepEqual(a, s) {
					t.Errorf("not the same document as sample/%s", file)
				}
			}
		})
	}
	for name := range decode {
		if seen[name] == 0 {
			t.Errorf("docs/formats.md has no example of %s", name)
		}
	}
}
