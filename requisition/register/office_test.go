package register_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Receive checks the order's office as Decode does: a program that builds
// a Requisition itself cannot record an office whose key would name a
// file outside its directory, or one without a name; the error quotes
// neither.
func TestReceiveChecksOffice(t *testing.T) {
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(at("2026-11-23 11:00").Time()))
	for _, tc := range []struct {
		name   string
		office requisition.Office
		ok     bool
	}{
		{"no office", requisition.Office{}, true},
		{"a valid office", requisition.Office{Key: "parquet-liege", Name: "Parquet de Liège", Language: "fr"}, true},
		{"a key that is a path", requisition.Office{Key: "../../etc", Name: "Secret office"}, false},
		{"no name", requisition.Office{Key: "parquet"}, false},
		{"a language Belgium does not use", requisition.Office{Key: "parquet", Name: "Secret office", Language: "en"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := sampleRequisition()
			req.Office = tc.office
			id := "c-" + strings.ReplaceAll(tc.name, " ", "-")
			_, err := reg.Receive(id, req, "alice", goodClock)
			if (err == nil) != tc.ok {
				t.Fatalf("%v", err)
			}
			if err != nil && (!errors.Is(err, register.ErrInput) || !errors.Is(err, requisition.ErrOffice) || strings.Contains(err.Error(), "Secret") || strings.Contains(err.Error(), "etc")) {
				t.Errorf("error %v", err)
			}
		})
	}
}
