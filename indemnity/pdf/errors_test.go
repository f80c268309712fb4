package pdf_test

import (
	"errors"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity/pdf"
)

var errWriter = errors.New("test: the writer refuses")

// failingWriter refuses every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWriter }

// Write, the one exported function of pdf that returns an error, returns
// one that wraps ErrWrite and the writer's own error.
func TestErrorsAreInspectable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		is   []error
	}{
		{"Write, a writer that fails", pdf.Write(failingWriter{}, sampleClaim(t), language.French, pdf.Options{}), []error{pdf.ErrWrite, errWriter}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, is := range tc.is {
				if !errors.Is(tc.err, is) {
					t.Errorf("err = %v, want one that wraps %v", tc.err, is)
				}
			}
		})
	}
}
