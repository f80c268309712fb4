package pdf_test

import (
	"bytes"
	"fmt"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity/pdf"
)

var t0 testing.T

// Write a claim as a PDF; here the first bytes show it is one.
func ExampleWrite() {
	var b bytes.Buffer
	if err := pdf.Write(&b, sampleClaim(&t0), language.French, pdf.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b.Bytes()[:5]))
	// Output:
	// %PDF-
}
