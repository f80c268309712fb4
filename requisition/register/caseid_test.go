package register_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register"
)

func TestCheckCaseID(t *testing.T) {
	for _, tc := range []struct {
		name, id string
		ok       bool
	}{
		{"the next ID's form", "2026-0042", true},
		{"64 characters", strings.Repeat("a", register.MaxCaseID), true},
		{"punctuation", "JI/2026#7", true},
		{"empty", "", false},
		{"65 characters", strings.Repeat("a", register.MaxCaseID+1), false},
		{"a space", "a b", false},
		{"non-ASCII", "dossier-é", false},
		{"an escape", "a\x1b[2J", false},
		{"a line feed", "a\nb", false},
		{"DEL", "a\x7f", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := register.CheckCaseID(tc.id)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckCaseID = %v", err)
			}
			if err != nil && (!errors.Is(err, register.ErrInput) || tc.id != "" && strings.Contains(err.Error(), tc.id)) {
				t.Errorf("err = %v", err)
			}
		})
	}
}
