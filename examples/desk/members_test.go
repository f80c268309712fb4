package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A cell's members through the desk: alice founds the register with
// init, bob makes his identity and alice adds him; bob works on a case
// alice received; verify names who signed what; bob is removed and is
// shut out.
func TestMembersJourney(t *testing.T) {
	dir, _ := testDir(t)
	os.Remove(filepath.Join(dir, "desk.json"))
	os.Remove(journalPath(dir)) // init founds it
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	alice := filepath.Join(t.TempDir(), "alice.identity")
	bob := filepath.Join(t.TempDir(), "bob.identity")
	run := func(want int, args ...string) string {
		t.Helper()
		clock.Advance(time.Minute)
		out, errs, code := desk(t, clock, args...)
		if code != want {
			t.Fatalf("desk %v: exit %d, want %d\n%s%s", args, code, want, out, errs)
		}
		return out + errs
	}
	run(exitInput, "init", "-dir", dir, "-identity", alice) // no -name for a new identity
	if out := run(exitOK, "init", "-dir", dir, "-identity", alice, "-name", "alice"); !strings.Contains(out, "founded by alice") {
		t.Errorf("init: %s", out)
	}
	out := run(exitOK, "member", "keygen", "-name", "bob", "-identity", bob, "-dir", dir)
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ccjkit-identity bob member ") {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("keygen printed no public line: %s", out)
	}
	run(exitInput, "list", "-dir", dir, "-identity", bob) // not yet in the roster: bad input, nothing written
	run(exitOK, "member", "add", "-dir", dir, "-identity", alice, line)
	run(exitFail, "member", "add", "-dir", dir, "-identity", alice, line) // twice
	req := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(req, []byte(requisitionJSON), 0o600)
	run(exitOK, "receive", "-dir", dir, "-identity", alice, req)
	if out := run(exitOK, "ack", "-dir", dir, "-identity", bob, "2026-0001"); !strings.Contains(out, "2026-0001") {
		t.Errorf("bob's ack: %s", out)
	}
	out = run(exitOK, "verify", "-dir", dir, "-identity", bob)
	for _, want := range []string{"alice (member) signed 6", "bob (member) signed 1", "checkpoints kept on this machine hold", "each step was signed by the member it names"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify lacks %q:\n%s", want, out)
		}
	}
	run(exitOK, "member", "remove", "-dir", dir, "-identity", alice, "bob")
	run(exitInput, "list", "-dir", dir, "-identity", bob) // removed from the roster
	if out := run(exitOK, "member", "list", "-dir", dir, "-identity", alice); !strings.Contains(out, "removed") || !strings.Contains(out, "by alice") {
		t.Errorf("member list: %s", out)
	}
}

// verify and repair on files no command should panic on: an empty
// journal, a partial header (what an older version left after a crash at
// creation), a crash's incomplete write, and damage.
func TestVerifyAndRepairOddFiles(t *testing.T) {
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	for _, tc := range []struct {
		name           string
		content        func(good []byte) []byte
		verify, repair int
		after          int // verify's status after the repair
		quarantined    int
	}{
		// Set aside, the register is gone — and this machine's anchors
		// remember it was here: verify keeps failing until it is restored.
		{"an empty file", func([]byte) []byte { return nil }, exitFail, exitOK, exitFail, 1},
		{"a partial header", func(g []byte) []byte { return g[:20] }, exitFail, exitOK, exitFail, 1},
		{"a crash's incomplete write", func(g []byte) []byte { return append(g, tornNext(t, g)...) }, exitOK, exitOK, exitOK, 1},
		{"an acknowledged record cut short", func(g []byte) []byte { return g[:len(g)-7] }, exitFail, exitFail, exitFail, 0},
		{"a flipped byte", func(g []byte) []byte { g = append([]byte(nil), g...); g[len(g)/2] ^= 4; return g }, exitFail, exitFail, exitFail, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, identity := testDir(t)
			req := filepath.Join(t.TempDir(), "req.json")
			os.WriteFile(req, []byte(requisitionJSON), 0o600)
			os.Setenv("CCJKIT_ANCHORS", t.TempDir()) // this case's own machine
			if _, errs, code := desk(t, clock, "receive", "-dir", dir, "-identity", identity, req); code != exitOK {
				t.Fatal(errs)
			}
			good, _ := os.ReadFile(journalPath(dir))
			os.WriteFile(journalPath(dir), tc.content(good), 0o600)
			before, _ := os.ReadFile(journalPath(dir))
			if _, errs, code := desk(t, clock, "verify", "-dir", dir); code != tc.verify {
				t.Errorf("verify: exit %d, want %d: %s", code, tc.verify, errs)
			}
			if after, _ := os.ReadFile(journalPath(dir)); string(after) != string(before) {
				t.Error("verify changed the journal")
			}
			if tc.verify == exitOK {
				// Reading commands never change the journal, even to set a
				// torn tail aside.
				if _, errs, code := desk(t, clock, "list", "-dir", dir, "-identity", identity); code != exitOK {
					t.Errorf("list: exit %d: %s", code, errs)
				}
				if after, _ := os.ReadFile(journalPath(dir)); string(after) != string(before) {
					t.Error("list changed the journal")
				}
			}
			if out, errs, code := desk(t, clock, "repair", "-dir", dir, "-identity", identity); code != tc.repair {
				t.Errorf("repair: exit %d, want %d: %s%s", code, tc.repair, out, errs)
			}
			if _, errs, code := desk(t, clock, "verify", "-dir", dir); code != tc.after {
				t.Errorf("verify after the repair: exit %d, want %d: %s", code, tc.after, errs)
			}
			set, _ := filepath.Glob(journalPath(dir) + ".quarantine-*")
			if len(set) != tc.quarantined {
				t.Errorf("quarantine files: %v", set)
			}
			if _, err := journal.ReadFile(journalPath(dir)); tc.after == exitOK && err != nil {
				t.Errorf("after the repair: %v", err)
			}
		})
	}
}

// desk verify on a file without a whole journal header — empty, or a
// few bytes of a header — names the problem in exactly one line on
// stderr, with desk repair and docs/recovery.md, exits with status 1 and
// leaves the file as it was: whether this machine kept a register there
// or never did, and with -json, which writes the problem on stdout.
func TestVerifyHeaderless(t *testing.T) {
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	empty := func([]byte) []byte { return []byte{} }
	partial := func(g []byte) []byte { return g[:20] }
	for _, tc := range []struct {
		name     string
		content  func(good []byte) []byte
		kept     bool // verify with the anchors of the machine that wrote the register
		json     bool
		mentions []string
	}{
		{"an empty file", empty, false, false, []string{"the file is empty", "desk repair", "docs/recovery.md"}},
		{"an empty file where this machine kept a register", empty, true, false, []string{"the file is empty", "kept a register here", "desk repair", "docs/recovery.md"}},
		{"a few bytes of a header", partial, false, false, []string{"only part of a journal header (20 bytes)", "desk repair", "docs/recovery.md"}},
		{"a few bytes of a header where this machine kept a register", partial, true, false, []string{"only part of a journal header (20 bytes)", "kept a register here", "desk repair", "docs/recovery.md"}},
		{"an empty file, -json", empty, false, true, []string{"the file is empty", "desk repair", "docs/recovery.md"}},
		{"a few bytes of a header, -json", partial, true, true, []string{"only part of a journal header (20 bytes)", "desk repair", "docs/recovery.md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, identity := testDir(t)
			kept, other := t.TempDir(), t.TempDir()
			req := filepath.Join(t.TempDir(), "req.json")
			os.WriteFile(req, []byte(requisitionJSON), 0o600)
			if _, errs, code := desk(t, clock, "receive", "-dir", dir, "-identity", identity, "-anchors", kept, req); code != exitOK {
				t.Fatal(errs)
			}
			good, _ := os.ReadFile(journalPath(dir))
			os.WriteFile(journalPath(dir), tc.content(good), 0o600)
			before, _ := os.ReadFile(journalPath(dir))
			anchors := other
			if tc.kept {
				anchors = kept
			}
			args := []string{"verify", "-dir", dir, "-anchors", anchors}
			if tc.json {
				args = append(args, "-json")
			}
			out, errs, code := desk(t, clock, args...)
			if code != exitFail {
				t.Errorf("exit %d, want %d", code, exitFail)
			}
			if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") {
				t.Errorf("not one line on stderr:\n%s", errs)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(errs, m) {
					t.Errorf("stderr does not name %q:\n%s", m, errs)
				}
			}
			var report struct {
				Verified *bool  `json:"verified"`
				Problem  string `json:"problem"`
			}
			switch {
			case !tc.json && out != "":
				t.Errorf("output on stdout:\n%s", out)
			case tc.json && (json.Unmarshal([]byte(out), &report) != nil || report.Verified == nil || *report.Verified || report.Problem != "no-header"):
				t.Errorf("-json: %s", out)
			}
			if after, _ := os.ReadFile(journalPath(dir)); !bytes.Equal(after, before) {
				t.Error("verify changed the file")
			}
		})
	}
}

// tornNext returns the first bytes of the record a writer would append
// next to the journal good — what a crash in the middle of its write
// leaves.
func tornNext(t *testing.T, good []byte) []byte {
	recs, _, err := journal.ReadRecords(good)
	if err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	b := []byte("CCJS\x00\x00\x01\x2c")
	b = binary.BigEndian.AppendUint64(b, last.Seq+1)
	b = binary.BigEndian.AppendUint64(b, uint64(last.Time.Unix()))
	return append(b, last.Hash[:20]...)
}

// A register this machine kept that is deleted, or replaced by another
// journal, is refused — it would otherwise look like a new register and
// lose the cell's record silently; reading commands never create or
// found one.
func TestVanishedOrReplacedRegister(t *testing.T) {
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	dir, identity := testDir(t)
	os.Setenv("CCJKIT_ANCHORS", t.TempDir())
	req := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(req, []byte(requisitionJSON), 0o600)
	if _, errs, code := desk(t, clock, "receive", "-dir", dir, "-identity", identity, req); code != exitOK {
		t.Fatal(errs)
	}
	kept, _ := os.ReadFile(journalPath(dir))

	os.Remove(journalPath(dir))
	if _, errs, code := desk(t, clock, "list", "-dir", dir, "-identity", identity); code != exitFail || !strings.Contains(errs, "is gone") {
		t.Errorf("list on a vanished register: %d %s", code, errs)
	}
	if _, err := os.Stat(journalPath(dir)); err == nil {
		t.Error("a reading command created a register")
	}
	if _, errs, code := desk(t, clock, "verify", "-dir", dir); code != exitFail || !strings.Contains(errs, "is gone") {
		t.Errorf("verify on a vanished register: %d %s", code, errs)
	}

	// Another register of the same member put in its place.
	other := t.TempDir()
	text, _ := os.ReadFile(identity)
	id, _ := register.ParseIdentity(string(text))
	reg, _, err := register.Open(journalPath(other), register.Config{Clock: clock, Identity: id, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	reg.Close()
	b, _ := os.ReadFile(journalPath(other))
	os.WriteFile(journalPath(dir), b, 0o600)
	if _, errs, code := desk(t, clock, "list", "-dir", dir, "-identity", identity); code != exitFail || !strings.Contains(errs, "another journal") {
		t.Errorf("list on a replaced register: %d %s", code, errs)
	}

	// Restored, it works again.
	os.WriteFile(journalPath(dir), kept, 0o600)
	if _, errs, code := desk(t, clock, "list", "-dir", dir, "-identity", identity); code != exitOK {
		t.Errorf("list on the restored register: %d %s", code, errs)
	}
}
