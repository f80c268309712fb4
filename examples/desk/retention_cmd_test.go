package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// desk retention, end to end through run: a static contract ingested, a
// lookup under the work order of the test requisition, the yearly
// report counting it, a hold placed, listed and lifted, a purge and a
// verification — in English and in the pseudo-locale, where no English
// may be left.
func TestRetentionCommands(t *testing.T) {
	for _, tc := range []struct{ store, lang string }{{"embedded", "en"}, {"embedded", "en-XA"}, {"postgres", "en"}} {
		lang := tc.lang
		t.Run(tc.store+"/"+lang, func(t *testing.T) {
			if tc.store == "postgres" {
				// The same commands on a store kept in PostgreSQL, its
				// schema made by desk retention migrate.
				srv := pgtest.Start(t)
				t.Setenv(retentionDSNEnv, srv.CreateDatabase(t, "retention"))
				if out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-23 10:00")), "retention", "migrate", "-lang", "en"); code != exitOK || !strings.Contains(out, "version 1") {
					t.Fatalf("retention migrate: %d %s%s", code, out, errs)
				}
			}
			dir, identity := testDir(t)
			keys := filepath.Join(t.TempDir(), "keys")
			clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
			common := []string{"-dir", dir, "-identity", identity, "-lang", lang}
			ret := append([]string{"-keys", keys}, common...)
			step := func(args ...string) string {
				t.Helper()
				clock.Advance(3 * time.Minute)
				out, errs, code := desk(t, clock, append(args[:1:1], append(ret, args[1:]...)...)...)
				if code != exitOK {
					t.Fatalf("desk %v: exit %d\n%s", args, code, errs)
				}
				if lang == "en-XA" && !slices.Contains(args, "-json") {
					for _, l := range englishLeft(out+errs, []string{"C-000042", "crm"}) {
						t.Errorf("desk %v: English outside the catalogues: %s", args, l)
					}
				}
				return out
			}
			tmp := t.TempDir()
			reqFile := filepath.Join(tmp, "req.json")
			os.WriteFile(reqFile, []byte(requisitionJSON), 0o600)
			for _, args := range [][]string{{"receive", reqFile}, {"ack", "2026-0001"}, {"check", "2026-0001"}} {
				if _, errs, code := desk(t, clock, append(args[:1:1], append(common, args[1:]...)...)...); code != exitOK {
					t.Fatalf("%v: exit %d: %s", args, code, errs)
				}
			}
			out, errs, code := desk(t, clock, append([]string{"workorder"}, append(common, "-json", "2026-0001")...)...)
			var wo struct{ Ref string }
			if code != exitOK || json.Unmarshal([]byte(out), &wo) != nil {
				t.Fatalf("workorder: exit %d: %s", code, errs)
			}
			csv := filepath.Join(tmp, "contracts.csv")
			os.WriteFile(csv, []byte("subscriber,prefix,from,until\nC-000042,2001:db8::/48,2026-01-01,2026-12-31\n"), 0o600)

			if out := step("retention", "ingest", "static", csv, "-device", "crm"); !strings.Contains(out, "1") {
				t.Errorf("ingest: %s", out)
			}
			out = step("retention", "lookup", wo.Ref, "2001:db8::beef", "2026-11-20 12:00:00")
			if !strings.Contains(out, "C-000042") || !strings.Contains(out, "1 ") {
				t.Errorf("lookup: %s", out)
			}
			out = step("retention", "stats", "2026", "-json")
			var rep struct{ Requests, ItemsTransmitted int }
			if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Requests != 1 {
				t.Errorf("stats: %v %s", err, out)
			}
			step("retention", "stats", "2026")
			out = step("retention", "holds", "place", "2026-0001", "C-000042", "-from", "2026-11-01 00:00:00", "-until", "2026-11-30 00:00:00")
			id := regexp.MustCompile(`hold-[0-9a-f]{16}`).FindString(out)
			if id == "" {
				t.Fatalf("holds place: %s", out)
			}
			step("retention", "holds", "list")
			step("retention", "holds", "lift", id, "2026-0001")
			step("retention", "purge")
			step("retention", "verify")
		})
	}
}

// desk retention refuses bad input with exit 2, before anything is
// written, and says so in the session's language.
func TestRetentionBadInput(t *testing.T) {
	dir, identity := testDir(t)
	keys := filepath.Join(t.TempDir(), "keys")
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	for _, tc := range []struct {
		name string
		args []string
		// library: the error is the library's, Go's, in English
		// (docs/design.md).
		library bool
	}{
		{"no subcommand", []string{"retention"}, false},
		{"unknown subcommand", []string{"retention", "zz"}, false},
		{"no keys", []string{"retention", "verify", "-keys", ""}, false},
		{"ingest without device", []string{"retention", "ingest", "static", "x.csv"}, false},
		{"ingest unknown kind", []string{"retention", "ingest", "zz", "x.csv", "-device", "crm"}, false},
		{"lookup bad address", []string{"retention", "lookup", "wo-x", "not-an-address", "2026-11-20 12:00:00"}, false},
		{"lookup bad port", []string{"retention", "lookup", "wo-x", "192.0.2.1", "0", "2026-11-20 12:00:00"}, false},
		{"lookup bad time", []string{"retention", "lookup", "wo-x", "192.0.2.1", "yesterday"}, false},
		{"lookup unknown work order", []string{"retention", "lookup", "wo-x", "192.0.2.1", "2026-11-20 12:00:00"}, true},
		{"stats bad year", []string{"retention", "stats", "26"}, false},
		{"holds bad", []string{"retention", "holds", "zz"}, false},
		{"holds place unknown case", []string{"retention", "holds", "place", "2026-0099", "C-1", "-from", "2026-11-01 00:00:00", "-until", "2026-11-02 00:00:00"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(tc.args[:1:1], "-dir", dir, "-identity", identity, "-keys", keys, "-lang", "en-XA")
			args = append(args, tc.args[1:]...)
			out, errs, code := desk(t, clock, args...)
			if code != exitInput {
				t.Errorf("exit %d, want %d: %s", code, exitInput, errs)
			}
			for _, l := range englishLeft(out+errs, nil) {
				if tc.library {
					break
				}
				t.Errorf("English outside the catalogues: %s", l)
			}
			if strings.Contains(errs, "192.0.2.1") {
				t.Errorf("the error quotes the address: %s", errs)
			}
		})
	}
}
