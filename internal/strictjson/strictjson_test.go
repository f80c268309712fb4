package strictjson_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/strictjson"
)

type doc struct {
	Name  string   `json:"name"`
	Items []string `json:"items,omitempty"`
}

func TestDeepNestingIsRefusedQuickly(t *testing.T) {
	for _, in := range []string{strings.Repeat("[", 200000), strings.Repeat(`{"a":`, 200000), `{"items":` + strings.Repeat("[", 100) + `]}`} {
		start := time.Now()
		err := strictjson.Decode([]byte(in), &doc{}, 1<<20)
		if !errors.Is(err, strictjson.ErrDecode) {
			t.Errorf("err = %v", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	}
}

func TestDecode(t *testing.T) {
	var d doc
	if err := strictjson.Decode([]byte(`{"name":"x","items":["a"]}`), &d, 100); err != nil || d.Name != "x" {
		t.Fatalf("%+v %v", d, err)
	}
	err := strictjson.Decode([]byte(`{"name":1,"Name":"y","items":[null]}`), &d, 100)
	for _, want := range []string{"name: want a string", "Name: unknown field", "items[0]: null is not allowed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
	if d.Name != "x" {
		t.Error("destination changed on error")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":"x","items":["a","b"]}`))
	f.Add([]byte(`[[[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		if err := strictjson.Decode(data, &d, 1<<16); err != nil && !errors.Is(err, strictjson.ErrDecode) {
			t.Fatalf("error %v does not wrap ErrDecode", err)
		}
	})
}
