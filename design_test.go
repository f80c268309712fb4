package ccjkit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/internal/testenv"
)

// module is the module path; the rules' patterns are relative to it.
const module = "github.com/ccjkit/ccjkit"

// importRule is an arrow that must never exist in the package graph, as
// docs/design.md draws it.
type importRule struct {
	name string
	// from are the packages the rule binds, except those in exempt;
	// forbidden is what they must not import, except what is in allowed.
	// Patterns are relative to the module: "timesync" is that package,
	// "timesync/..." it and everything below it, "..." any package of the
	// module, "*" any part of one path element; "." is the root package.
	from, exempt, forbidden, allowed []string
	// direct says only a package's own imports count. Otherwise a path
	// through other packages of the module counts too: a library that
	// reaches a forbidden package through another of ours knows it all the
	// same. (A path through a package the rule binds is that package's
	// violation, reported once, there.)
	direct bool
	// why is the rule in a sentence; section is the heading of
	// docs/design.md that explains it.
	why, section string
}

// testHelpers are the packages that exist for tests: the fake clock and
// generators (for users' tests too, but not for programs), and the
// module's internal test harnesses.
var testHelpers = []string{"*test", ".../*test", "internal/itest", "internal/testenv"}

// importRules returns the forbidden arrows of docs/design.md.
func importRules() []importRule {
	const section = "Arrows that must never exist"
	return []importRule{
		{name: "the clock knows no law",
			from: []string{"timesync/..."}, forbidden: []string{"..."}, allowed: []string{"timesync/..."},
			why:     "timesync is the lowest layer: every package may use it, so it may use none of ours",
			section: section},
		{name: "provenance is a leaf",
			from: []string{"provenance/..."}, forbidden: []string{"..."}, allowed: []string{"provenance/..."},
			why:     "every package says where its figures come from with provenance, so it may use none of ours",
			section: section},
		{name: "the model knows no rota and no price list",
			from: []string{"requisition/..."}, forbidden: []string{"ccj/...", "indemnity/..."},
			why:     "what an authority may order does not depend on who is on call or what it costs; ccj and indemnity build on requisition",
			section: section},
		{name: "the data path knows no people and no money",
			from: []string{"intercept/..."}, forbidden: []string{"ccj/...", "indemnity/...", "requisition/register/..."},
			why:     "capture, encoding and handover run on a tap without the cell's members, the tariff or the register's secrets",
			section: section},
		{name: "no library imports a program",
			from: []string{"..."}, exempt: []string{"examples/..."}, forbidden: []string{"examples/..."},
			why:     "programs are built on the library, never the other way",
			section: section},
		{name: "examples use only the public API",
			from: []string{"examples/..."}, forbidden: append([]string{"internal/..."}, testHelpers...), direct: true,
			why:     "an example is what a user copies into their own module, where internal/ packages cannot be imported and test helpers do not belong in a program",
			section: section},
	}
}

// violation is an arrow a rule forbids: from reaches to, through via when
// the path is longer than one import.
type violation struct {
	rule, from, to string
	via            []string
}

func (v violation) String() string {
	s := fmt.Sprintf("%s imports %s", v.from, v.to)
	if len(v.via) > 0 {
		s = fmt.Sprintf("%s reaches %s through %s", v.from, v.to, strings.Join(v.via, " -> "))
	}
	return s + " (" + v.rule + ")"
}

// checkImports returns every arrow of graph — each package of the module
// with its direct imports, by full import path — that rules forbid, in a
// stable order. Packages outside the module are neither bound nor followed.
func checkImports(graph map[string][]string, rules []importRule) []violation {
	var out []violation
	for _, pkg := range sortedKeys(graph) {
		for _, r := range rules {
			if r.binds(pkg) {
				out = append(out, r.check(graph, pkg)...)
			}
		}
	}
	return out
}

// binds reports whether the rule applies to package pkg.
func (r importRule) binds(pkg string) bool { return matchAny(r.from, pkg) && !matchAny(r.exempt, pkg) }

// forbids reports whether the rule forbids importing package pkg.
func (r importRule) forbids(pkg string) bool {
	return matchAny(r.forbidden, pkg) && !matchAny(r.allowed, pkg)
}

// check returns the violations of r by pkg: a breadth-first walk of pkg's
// imports (sorted, so the order is stable) that reports each forbidden
// package by its shortest path and goes on through the module's packages
// that are neither forbidden nor bound by r.
func (r importRule) check(graph map[string][]string, pkg string) []violation {
	var out []violation
	seen := map[string]bool{pkg: true}
	queue := [][]string{{pkg}}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		imports := slices.Clone(graph[path[len(path)-1]])
		slices.Sort(imports)
		for _, imp := range imports {
			if seen[imp] || relative(imp) == "" {
				continue
			}
			seen[imp] = true
			switch {
			case r.forbids(imp):
				out = append(out, violation{rule: r.name, from: pkg, to: imp, via: slices.Clone(path[1:])})
			case !r.direct && !r.binds(imp):
				queue = append(queue, append(slices.Clip(path), imp))
			}
		}
	}
	return out
}

// relative returns path relative to the module ("." for the root), or ""
// for a package outside it.
func relative(path string) string {
	switch {
	case path == module:
		return "."
	case strings.HasPrefix(path, module+"/"):
		return strings.TrimPrefix(path, module+"/")
	}
	return ""
}

// matchAny reports whether the package path matches one of the patterns.
func matchAny(patterns []string, path string) bool {
	rel := relative(path)
	if rel == "" {
		return false
	}
	for _, p := range patterns {
		if patternRegexp(p).MatchString(rel) {
			return true
		}
	}
	return false
}

// patternRegexp compiles a pattern of [importRule]: "..." matches any
// string, "*" any string without a slash, and a trailing "/..." matches
// the empty string too ("x/..." is x and what is below it).
func patternRegexp(p string) *regexp.Regexp {
	q := regexp.QuoteMeta(p)
	if strings.HasSuffix(q, `/\.\.\.`) {
		q = strings.TrimSuffix(q, `/\.\.\.`) + `(/.*)?`
	}
	q = strings.ReplaceAll(q, `\.\.\.`, `.*`)
	q = strings.ReplaceAll(q, `\*`, `[^/]*`)
	return regexp.MustCompile("^" + q + "$")
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestImportRules checks the module's real package graph, as go list sees
// it (the imports of non-test files), against every rule.
func TestImportRules(t *testing.T) {
	goTool := testenv.LookPath(t, "go", "golang-go")
	graph, err := listImports(goTool)
	if err != nil {
		t.Fatal(err)
	}
	// A rule that binds nothing checks nothing: catch a go list that
	// returned too little, or a pattern that went stale.
	for _, r := range importRules() {
		if !slices.ContainsFunc(sortedKeys(graph), func(p string) bool { return matchAny(r.from, p) }) {
			t.Errorf("rule %q binds no package of the module (from %v)", r.name, r.from)
		}
	}
	for _, v := range checkImports(graph, importRules()) {
		t.Errorf("forbidden: %v; see docs/design.md", v)
	}
}

// listImports runs go list on the module and returns its packages with the
// imports of their non-test files.
func listImports(goTool string) (map[string][]string, error) {
	cmd := exec.Command(goTool, "list", "-e", "-json=ImportPath,Imports", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
	}
	graph := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list's output: %v", err)
		}
		graph[p.ImportPath] = p.Imports
	}
	return graph, nil
}

// TestCheckImports shows the checker on small graphs: each row adds one
// arrow to a graph shaped like the module's, and says which rule, if any,
// must catch it.
func TestCheckImports(t *testing.T) {
	m := func(rel string) string {
		if rel == "." {
			return module
		}
		return module + "/" + rel
	}
	base := func() map[string][]string {
		return map[string][]string{
			m("."):                            nil,
			m("timesync"):                     {"time", "github.com/beevik/ntp"},
			m("timesync/timesynctest"):        {m("timesync"), "pgregory.net/rapid"},
			m("provenance"):                   {"fmt", "golang.org/x/text/language"},
			m("requisition"):                  {m("timesync"), m("provenance"), m("internal/strictjson")},
			m("requisition/requisitiontest"):  {m("requisition"), m("timesync/timesynctest")},
			m("requisition/register"):         {m("requisition"), m("requisition/register/journal"), m("internal/i18n")},
			m("requisition/register/journal"): {m("timesync"), m("internal/durable")},
			m("ccj"):                          {m("requisition"), m("provenance"), m("timesync")},
			m("indemnity"):                    {m("requisition"), m("requisition/register"), m("provenance")},
			m("intercept"):                    {m("internal/asn1text")},
			m("intercept/pipeline"):           {m("intercept"), m("timesync"), m("internal/durable")},
			m("retention"):                    {m("intercept"), m("requisition/register"), m("timesync")},
			m("internal/strictjson"):          nil,
			m("internal/i18n"):                nil,
			m("internal/durable"):             nil,
			m("internal/asn1text"):            nil,
			m("internal/itest"):               {m("intercept")},
			m("examples/desk"):                {m("requisition/register"), m("ccj"), m("indemnity"), "flag"},
			m("examples/tap"):                 {m("intercept/pipeline")},
		}
	}
	tests := []struct {
		name     string
		from, to string // the arrow added; none when from is ""
		want     []violation
	}{
		{name: "the module's shape is clean, the desk reaching internal packages through the library"},
		{name: "a test helper may import what it helps", from: "requisition/requisitiontest", to: "timesync/timesynctest"},
		{name: "a program may import any public package", from: "examples/desk", to: "requisition/register/journal"},
		{name: "a program may use a third-party package", from: "examples/tap", to: "golang.org/x/sys/unix"},

		{name: "timesync importing requisition", from: "timesync", to: "requisition",
			want: []violation{{rule: "the clock knows no law", from: m("timesync"), to: m("requisition")}}},
		{name: "timesynctest importing the leaf", from: "timesync/timesynctest", to: "provenance",
			want: []violation{{rule: "the clock knows no law", from: m("timesync/timesynctest"), to: m("provenance")}}},
		{name: "timesync importing an internal package", from: "timesync", to: "internal/durable",
			want: []violation{{rule: "the clock knows no law", from: m("timesync"), to: m("internal/durable")}}},
		{name: "provenance importing timesync", from: "provenance", to: "timesync",
			want: []violation{{rule: "provenance is a leaf", from: m("provenance"), to: m("timesync")}}},
		{name: "the register importing the tariff", from: "requisition/register", to: "indemnity",
			want: []violation{{rule: "the model knows no rota and no price list", from: m("requisition/register"), to: m("indemnity")}}},
		{name: "the model importing the cell", from: "requisition", to: "ccj",
			want: []violation{{rule: "the model knows no rota and no price list", from: m("requisition"), to: m("ccj")}}},
		{name: "the journal importing the tariff", from: "requisition/register/journal", to: "indemnity",
			want: []violation{{rule: "the model knows no rota and no price list", from: m("requisition/register/journal"), to: m("indemnity")}}},
		{name: "the pipeline importing the tariff", from: "intercept/pipeline", to: "indemnity",
			want: []violation{{rule: "the data path knows no people and no money", from: m("intercept/pipeline"), to: m("indemnity")}}},
		{name: "the pipeline reaching the register through retention", from: "intercept/pipeline", to: "retention",
			want: []violation{{rule: "the data path knows no people and no money", from: m("intercept/pipeline"), to: m("requisition/register"), via: []string{m("retention")}}}},
		{name: "the intercept vocabulary importing the cell", from: "intercept", to: "ccj",
			want: []violation{{rule: "the data path knows no people and no money", from: m("intercept"), to: m("ccj")}}},
		{name: "a library importing a program", from: "ccj", to: "examples/desk",
			want: []violation{{rule: "no library imports a program", from: m("ccj"), to: m("examples/desk")}}},
		{name: "the desk importing internal/strictjson", from: "examples/desk", to: "internal/strictjson",
			want: []violation{{rule: "examples use only the public API", from: m("examples/desk"), to: m("internal/strictjson")}}},
		{name: "the desk importing the fake clock", from: "examples/desk", to: "timesync/timesynctest",
			want: []violation{{rule: "examples use only the public API", from: m("examples/desk"), to: m("timesync/timesynctest")}}},
		{name: "a program importing a test harness", from: "examples/tap", to: "internal/itest",
			want: []violation{{rule: "examples use only the public API", from: m("examples/tap"), to: m("internal/itest")}}},
		{name: "a program importing a future test helper", from: "examples/tap", to: "intercept/intercepttest",
			want: []violation{{rule: "examples use only the public API", from: m("examples/tap"), to: m("intercept/intercepttest")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := base()
			if tt.from != "" {
				to := tt.to
				if !strings.Contains(to, ".") { // one of ours
					to = m(to)
				}
				g[m(tt.from)] = append(g[m(tt.from)], to)
			}
			got := checkImports(g, importRules())
			if !slices.EqualFunc(got, tt.want, func(a, b violation) bool {
				return a.rule == b.rule && a.from == b.from && a.to == b.to && slices.Equal(a.via, b.via)
			}) {
				t.Errorf("checkImports found\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

// TestImportRulesAreDocumented checks that every rule names a section of
// docs/design.md and that the section is there.
func TestImportRulesAreDocumented(t *testing.T) {
	doc, err := os.ReadFile("docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range importRules() {
		if r.why == "" || !bytes.Contains(doc, []byte("\n## "+r.section+"\n")) {
			t.Errorf("rule %q: no reason, or docs/design.md has no section %q", r.name, r.section)
		}
		if !bytes.Contains(doc, []byte(r.name)) {
			t.Errorf("rule %q is not named in docs/design.md", r.name)
		}
	}
}
