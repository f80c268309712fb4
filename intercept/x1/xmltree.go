package x1

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/ccjkit/ccjkit/provenance"
)

// Limits bound what a decoder reads. An X1 document over any of them is
// refused with ErrLimit before its content is judged. The zero Limits is
// not usable: start from DefaultLimits.
type Limits struct {
	// MaxBytes bounds the whole document.
	MaxBytes int
	// MaxDepth bounds the nesting of elements (the root is depth 1). The
	// deepest element of the X1 messages ccjkit reads is at depth 9.
	MaxDepth int
	// MaxElements bounds the number of elements in the document.
	MaxElements int
	// MaxText bounds the text of one element, in bytes (TS 103 280's
	// LongString is at most 65,535 characters).
	MaxText int
	// MaxMessages bounds the messages of one X1Request or X1Response.
	MaxMessages int
}

// DefaultLimits returns the limits of DecodeRequest and DecodeResponse:
// 1 MiB, depth 16, 50,000 elements, 65,535 bytes of text per element,
// 256 messages. A ListAllDetails answer for 10,000 tasks is about 0.5 MiB.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 1 << 20, MaxDepth: 16, MaxElements: 50000, MaxText: 65535, MaxMessages: 256}
}

// node is one element of a parsed document.
type node struct {
	name      xml.Name
	attrs     []xml.Attr // other than namespace declarations
	kids      []*node
	text      []byte // character data directly inside, concatenated
	line, col int
	scope     *nsScope
}

// nsScope is a namespace binding in force at a node.
type nsScope struct {
	prefix, uri string
	up          *nsScope
}

// lookup returns the namespace bound to prefix ("" for the default).
func (s *nsScope) lookup(prefix string) (string, bool) {
	for ; s != nil; s = s.up {
		if s.prefix == prefix {
			return s.uri, true
		}
	}
	if prefix == "xml" {
		return "http://www.w3.org/XML/1998/namespace", true
	}
	return "", false
}

// limitSource cites ccjkit's own rule of bounded input.
func limitSource() provenance.Source { return provenance.Rule("x1-limits") }

// xmlSource cites XML 1.0.
func xmlSource(article string) provenance.Source {
	return provenance.Source{Instrument: "W3C XML 1.0 (Fifth Edition)", Article: article, Certainty: provenance.Verified}
}

// parse reads b into a tree of elements under lim. It refuses a DOCTYPE
// (and so any entity declaration), processing instructions other than
// the XML declaration, text outside the root, and anything over a limit.
// Its findings never quote the input.
func parse(b []byte, lim Limits, p *problems) *node {
	if len(b) > lim.MaxBytes {
		p.add(ErrLimit, "x1-size", limitSource(), "", "the document is %d bytes, more than the limit of %d", len(b), lim.MaxBytes)
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	// No CharsetReader: a document declaring another encoding than UTF-8
	// is refused by the decoder. No Entity map: only XML's five entities.
	var (
		root     *node
		stack    []*node
		elements int
		first    = true
	)
	for {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				p.add(ErrMalformed, "x1-xml", xmlSource("§2"), "", "not well-formed XML (line %d)", se.Line)
			} else {
				p.add(ErrMalformed, "x1-xml", xmlSource("§4.3.3"), "", "not readable as UTF-8 XML (line %d)", line)
			}
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				p.add(ErrMalformed, "x1-xml", xmlSource("§2.1"), "", "a second root element (line %d, column %d)", line, col)
				return nil
			}
			elements++
			if elements > lim.MaxElements {
				p.add(ErrLimit, "x1-elements", limitSource(), "", "more than %d elements", lim.MaxElements)
				return nil
			}
			if len(stack)+1 > lim.MaxDepth {
				p.add(ErrLimit, "x1-depth", limitSource(), "", "elements nested deeper than %d (line %d)", lim.MaxDepth, line)
				return nil
			}
			n := &node{name: t.Name, line: line, col: col}
			if len(stack) > 0 {
				n.scope = stack[len(stack)-1].scope
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					n.scope = &nsScope{prefix: a.Name.Local, uri: a.Value, up: n.scope}
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.scope = &nsScope{prefix: "", uri: a.Value, up: n.scope}
				default:
					n.attrs = append(n.attrs, a)
				}
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.kids = append(parent.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.Trim(t, " \t\r\n")) != 0 {
					p.add(ErrMalformed, "x1-xml", xmlSource("§2.1"), "", "text outside the root element (line %d)", line)
					return nil
				}
				continue
			}
			n := stack[len(stack)-1]
			if len(n.text)+len(t) > lim.MaxText {
				p.add(ErrLimit, "x1-text", limitSource(), "", "an element holds more than %d bytes of text (line %d)", lim.MaxText, line)
				return nil
			}
			n.text = append(n.text, t...)
		case xml.Comment:
			// Comments carry nothing; they count against MaxBytes only.
		case xml.ProcInst:
			if !first || t.Target != "xml" {
				p.add(ErrMalformed, "x1-xml", xmlSource("§2.6"), "", "a processing instruction (line %d); X1 documents have none", line)
				return nil
			}
		case xml.Directive:
			p.add(ErrDoctype, "x1-doctype", xmlSource("§2.8"), "", "a document type declaration or other directive (line %d): refused, as entity declarations live there", line)
			return nil
		}
		first = false
	}
	if root == nil {
		p.add(ErrMalformed, "x1-xml", xmlSource("§2.1"), "", "no root element")
	}
	return root
}

// collapse applies XML Schema's whitespace collapse (xs:token): tabs,
// carriage returns and line feeds become spaces, runs of spaces one, and
// leading and trailing spaces go.
func collapse(s string) string {
	if !strings.ContainsAny(s, "\t\r\n") && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' })
	return strings.Join(f, " ")
}

// isXMLSpace reports whether b holds only XML whitespace.
func isXMLSpace(b []byte) bool { return len(bytes.Trim(b, " \t\r\n")) == 0 }
