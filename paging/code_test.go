package paging_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestCode(t *testing.T) {
	c := paging.MustParseCaseID("2026-0042")
	issued := at("2026-10-24 21:47:04")
	code, err := paging.NewCode(codeKey, "alice", c, issued)
	if err != nil {
		t.Fatal(err)
	}
	// The code depends on nothing but the key and its four values: this
	// one is fixed, so that a change of the construction shows.
	if code.String() != "DSWH2-596P2" {
		t.Errorf("code %s", code)
	}
	valid := 2 * time.Hour
	typed := code.String()
	tests := []struct {
		name   string
		key    []byte
		typed  string
		member string
		caseID string
		issued time.Time
		now    time.Time
		want   error
	}{
		{"the right code at once", codeKey, typed, "alice", "2026-0042", issued, issued, nil},
		{"typed in lower case without the hyphen", codeKey, strings.ToLower(strings.ReplaceAll(typed, "-", "")), "alice", "2026-0042", issued, issued.Add(time.Minute), nil},
		{"with spaces", codeKey, "DSWH2 596P2", "alice", "2026-0042", issued, issued.Add(time.Minute), nil},
		{"the last valid second", codeKey, typed, "alice", "2026-0042", issued, issued.Add(valid - time.Nanosecond), nil},
		{"expired", codeKey, typed, "alice", "2026-0042", issued, issued.Add(valid), paging.ErrCodeExpired},
		{"before it was issued", codeKey, typed, "alice", "2026-0042", issued, issued.Add(-time.Second), paging.ErrCodeExpired},
		{"another member", codeKey, typed, "bob", "2026-0042", issued, issued, paging.ErrCode},
		{"another case", codeKey, typed, "alice", "2026-0043", issued, issued, paging.ErrCode},
		{"another page of the same case", codeKey, typed, "alice", "2026-0042", issued.Add(time.Second), issued.Add(time.Second), paging.ErrCode},
		{"another key", []byte(strings.Repeat("k", 32)), typed, "alice", "2026-0042", issued, issued, paging.ErrCode},
		{"one symbol off", codeKey, "DSWH2-596P3", "alice", "2026-0042", issued, issued, paging.ErrCode},
		{"too short", codeKey, "DSWH2", "alice", "2026-0042", issued, issued, paging.ErrCode},
		{"not of the alphabet", codeKey, "DSWH2-596P!", "alice", "2026-0042", issued, issued, paging.ErrCode},
		{"a key too short", codeKey[:16], typed, "alice", "2026-0042", issued, issued, paging.ErrCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := paging.CheckCode(tt.key, tt.typed, tt.member, paging.MustParseCaseID(tt.caseID), tt.issued, tt.now, valid)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("CheckCode: %v, want %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "596P") {
				t.Errorf("the error quotes the code: %v", err)
			}
		})
	}
	// Crockford's reading: O is 0, I and L are 1.
	a, errA := paging.ParseCode("0I1L0-ABCDE")
	b, errB := paging.ParseCode("oi1lO-abcde")
	if errA != nil || errB != nil || a != b || a.String() != "01110-ABCDE" {
		t.Errorf("%v %v %v %v", a, b, errA, errB)
	}
	if _, err := paging.NewCode(codeKey, "", c, issued); !errors.Is(err, paging.ErrCode) {
		t.Errorf("a code for nobody: %v", err)
	}
}

// Property: a code checks for its own member, case and instant within
// its validity, and for no other member.
func TestCodeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 32, 64).Draw(t, "key")
		member := rapid.StringMatching(`[a-z]{1,10}`).Draw(t, "member")
		c := paging.MustParseCaseID(rapid.StringMatching(`20[0-9]{2}-[0-9]{4,6}`).Draw(t, "case"))
		issued := timesynctest.Instant().Draw(t, "issued")
		valid := time.Duration(rapid.Int64Range(int64(time.Minute), int64(48*time.Hour)).Draw(t, "valid"))
		code, err := paging.NewCode(key, member, c, issued)
		if err != nil {
			t.Fatal(err)
		}
		now := issued.Add(time.Duration(rapid.Int64Range(0, int64(valid)-1).Draw(t, "after")))
		if err := paging.CheckCode(key, code.String(), member, c, issued, now, valid); err != nil {
			t.Fatalf("the page's own code: %v", err)
		}
		if err := paging.CheckCode(key, code.String(), member+"x", c, issued, now, valid); !errors.Is(err, paging.ErrCode) {
			t.Fatalf("another member's: %v", err)
		}
	})
}
