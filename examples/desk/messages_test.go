package main

import (
	"strings"
	"testing"
)

// The desk's catalogue builds, and each sentence prints in each language
// as it is written in sentences.
func TestCatalogue(t *testing.T) {
	if _, err := catalogue(); err != nil {
		t.Fatal(err)
	}
	for i, tag := range sentenceLanguages() {
		t.Run(tag.String(), func(t *testing.T) {
			p := printer(tag)
			for _, row := range sentences() {
				if strings.Contains(row[0], "%") {
					continue // a sentence with arguments: the demo and the commands' tests print it
				}
				if got := p.Sprintf(row[0]); got != row[i] {
					t.Errorf("%q in %s: %q, want %q", row[0], tag, got, row[i])
				}
			}
		})
	}
}
