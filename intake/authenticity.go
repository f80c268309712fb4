package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/ccjkit/ccjkit/provenance"
)

// Authenticity is what the channel says of who sent an intake. For an
// e-mail: the From domain, whether the cell listed it as an authority's,
// and the SPF, DKIM and DMARC results the cell's own mail server wrote
// in its Authentication-Results field (RFC 8601), as result words
// ("pass", "fail", "none", ...), "" when it wrote none.
type Authenticity struct {
	FromDomain string `json:"from_domain,omitempty"`
	Listed     bool   `json:"listed"`
	// ServID is the authserv-id the results were read under, "" when no
	// field of the cell's mail server was found.
	ServID      string   `json:"servid,omitempty"`
	SPF         string   `json:"spf,omitempty"`
	DKIM        string   `json:"dkim,omitempty"`
	DKIMDomains []string `json:"dkim_domains,omitempty"`
	DMARC       string   `json:"dmarc,omitempty"`
}

// Authenticated reports whether the cell's mail server vouched for the
// sender's domain (DMARC pass: SPF or DKIM passed for a domain aligned
// with From, RFC 7489 §3.1) and the domain is one the cell listed. It is
// not proof of who wrote the order: a listed authority's mailbox can be
// misused, which is why a call-back to a published number is offered
// (CallBack).
func (a Authenticity) Authenticated() bool {
	return a.ServID != "" && a.DMARC == "pass" && a.Listed
}

// ErrUnverified is wrapped by the findings of an intake whose sender
// nothing vouches for.
var ErrUnverified = errors.New("intake: the sender is not verified")

// ListSource is the source of the listed-domain rule: the cell's own list
// of its authorities' domains, part of the internal procedure it writes.
func ListSource() provenance.Source {
	return provenance.Source{Instrument: "the cell's list of its authorities' sender domains", Edition: "the cell's own policy", Certainty: provenance.Unverified}
}

// DMARCSource is the source of what a DMARC result means: RFC 7489
// (Domain-based Message Authentication, Reporting, and Conformance), and
// RFC 8601 for the field that carries it. These are technical standards,
// not law.
func DMARCSource() provenance.Source {
	return provenance.Source{Instrument: "RFC 7489 (DMARC), RFC 8601 (Authentication-Results)", Article: "RFC 7489 §3.1, RFC 8601 §5", Certainty: provenance.Technical,
		URL: "https://www.rfc-editor.org/rfc/rfc7489"}
}

// Findings says, as warnings, why an intake's sender is not vouched for:
// a domain the cell did not list, no result from the cell's mail server,
// or a DMARC result other than pass. They never name the sender. A
// warning is not a reason to refuse an order: it is a reason to call the
// authority back on a number it publishes before acting.
func (a Authenticity) Findings() []provenance.Finding {
	var fs []provenance.Finding
	warn := func(rule string, src provenance.Source, msg string) {
		fs = append(fs, provenance.Finding{Rule: rule, Severity: provenance.Warning, Field: "authenticity", Source: src, Err: ErrUnverified, Message: provenance.Text(msg)})
	}
	if !a.Listed {
		warn("intake-sender-listed", ListSource(), "the sender's domain is not one the cell listed as an authority's: call the authority back on a number it publishes before acting")
	}
	switch {
	case a.ServID == "":
		warn("intake-authentication-results", DMARCSource(), "the cell's mail server recorded no SPF, DKIM or DMARC result for this message: call the authority back before acting")
	case a.DMARC != "pass":
		warn("intake-dmarc", DMARCSource(), "the cell's mail server did not find the sender's domain aligned and authenticated (DMARC did not pass): the message may be forged; call the authority back before acting")
	}
	return fs
}

// digest returns the hexadecimal SHA-256 of b.
func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
