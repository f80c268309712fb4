package indemnity_test

import (
	"encoding/json"
	"testing"

	"github.com/ccjkit/ccjkit/indemnity"
)

func TestAmountStringAndBigValues(t *testing.T) {
	if s := indemnity.MustParseAmount("1.100").String(); s != "1.100" && s != "1.10" {
		t.Errorf("1.100 -> %s", s)
	}
	if s := indemnity.MustParseAmount("1.1").String(); s != "1.10" {
		t.Errorf("1.1 -> %s", s)
	}
	big := indemnity.MustParseAmount("115").Times(100_000_000_000_000)
	b, _ := json.Marshal(big)
	var back indemnity.Amount
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(big) {
		t.Errorf("%s: %v %v", b, back, err)
	}
}
