package x1

import (
	"encoding/hex"

	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/provenance"
)

// EncodeRequest writes r as an X1Request document (UTF-8, indented by two
// spaces, the X1 namespace as default namespace, TS 103 280's bound to the
// prefix "etsi"). It checks every value against the rules DecodeRequest
// applies, so that what it writes decodes back to r, and returns every
// problem at once in a *provenance.Problems (What "x1: encode").
func EncodeRequest(r *Request) ([]byte, error) {
	e := &encoder{}
	e.start("X1Request")
	if len(r.Messages) == 0 {
		e.bad("", "an X1Request holds at least one message")
	}
	for i := range r.Messages {
		e.requestMessage(&r.Messages[i], "x1RequestMessage["+strconv.Itoa(i)+"]")
	}
	e.end("X1Request")
	return e.result()
}

// EncodeResponse writes r as an X1Response document, or as an
// X1TopLevelErrorResponse when r.TopLevelError is set, with the checks of
// EncodeRequest.
func EncodeResponse(r *Response) ([]byte, error) {
	e := &encoder{}
	if r.TopLevelError != nil {
		if len(r.Messages) > 0 {
			e.bad("", "a top-level error response holds no messages")
		}
		e.start("X1TopLevelErrorResponse")
		e.header(r.TopLevelError, "", false)
		e.end("X1TopLevelErrorResponse")
		return e.result()
	}
	e.start("X1Response")
	if len(r.Messages) == 0 {
		e.bad("", "an X1Response holds at least one message")
	}
	for i := range r.Messages {
		e.responseMessage(&r.Messages[i], "x1ResponseMessage["+strconv.Itoa(i)+"]")
	}
	e.end("X1Response")
	return e.result()
}

// encoder writes one document.
type encoder struct {
	b     []byte
	depth int
	p     problems
}

func (e *encoder) result() ([]byte, error) {
	if err := e.p.err(whatEncode); err != nil {
		return nil, err
	}
	return e.b, nil
}

func (e *encoder) bad(field, format string, args ...any) {
	e.p.add(ErrValue, "x1-encode", provenance.Rule("x1-encode"), field, format, args...)
}

func (e *encoder) indent() {
	for range e.depth {
		e.b = append(e.b, "  "...)
	}
}

// start opens the root element with the namespace declarations.
func (e *encoder) start(root string) {
	e.b = append(e.b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"...)
	e.b = append(e.b, "<"+root+` xmlns="`+Namespace+`" xmlns:etsi="`+CommonNamespace+`" xmlns:xsi="`+xsiNamespace+`">`+"\n"...)
	e.depth++
}

func (e *encoder) open(name string) {
	e.indent()
	e.b = append(e.b, "<"+name+">\n"...)
	e.depth++
}

func (e *encoder) openTyped(name, typ string) {
	e.indent()
	e.b = append(e.b, "<"+name+` xsi:type="`+typ+`">`+"\n"...)
	e.depth++
}

func (e *encoder) end(name string) {
	e.depth--
	e.indent()
	e.b = append(e.b, "</"+name+">\n"...)
}

// leaf writes <name>text</name>; text must already be checked.
func (e *encoder) leaf(name, text string) {
	e.indent()
	e.b = append(e.b, "<"+name+">"...)
	e.b = appendEscaped(e.b, text)
	e.b = append(e.b, "</"+name+">\n"...)
}

// appendEscaped escapes the characters XML text cannot hold as they are,
// writing carriage returns and tabs as references so they survive parsing.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\r':
			esc = "&#xD;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// xmlText reports whether XML 1.0 can carry s (§2.2 Char).
func xmlText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !(r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
	}
	return true
}

// text checks an xs:string value.
func (e *encoder) text(field, s string) string {
	if !xmlText(s) {
		e.bad(field, "a character XML cannot carry")
	}
	return s
}

// token checks an identifier: a non-empty xs:token already collapsed.
func (e *encoder) token(field, s string) string {
	if s == "" {
		e.bad(field, "empty: it names nobody")
	} else if collapse(s) != s || !xmlText(s) {
		e.bad(field, "an identifier is a token: no leading, trailing or repeated white space, no tab or line end, no control character")
	}
	return s
}

func formatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

func (e *encoder) timestamp(field string, t time.Time) string {
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		e.bad(field, "a year outside 0001 to 9999")
	}
	return formatTimestamp(t)
}

func (e *encoder) header(h *Header, field string, transaction bool) {
	e.leaf("admfIdentifier", e.token(field+".admfIdentifier", h.ADMF))
	e.leaf("neIdentifier", e.token(field+".neIdentifier", h.NE))
	e.leaf("messageTimestamp", e.timestamp(field+".messageTimestamp", h.Timestamp))
	if !validVersion(h.Version) {
		e.bad(field+".version", "not a version of the form v1.N.M")
	}
	e.leaf("version", h.Version)
	if transaction {
		e.leaf("x1TransactionId", h.TransactionID.String())
	}
}

func (e *encoder) id(field string, u UUID) string {
	if u.IsZero() {
		e.bad(field, "the nil UUID names no task or destination")
	}
	return u.String()
}

func (e *encoder) requestMessage(m *RequestMessage, field string) {
	if !m.Type.Supported() {
		e.bad(field+".Type", "not a request type ccjkit implements")
		return
	}
	e.openTyped("x1RequestMessage", string(m.Type)+"Request")
	e.header(&m.Header, field, true)
	task, xid, dest, did := false, false, false, false
	switch m.Type {
	case ActivateTask, ModifyTask:
		task = true
		if m.Task == nil {
			e.bad(field+".Task", "%s needs task details", m.Type)
		} else {
			e.taskDetails(m.Task, field+".taskDetails")
		}
	case DeactivateTask, GetTaskDetails:
		xid = true
		e.leaf("xId", e.id(field+".xId", m.XID))
	case CreateDestination, ModifyDestination:
		dest = true
		if m.Destination == nil {
			e.bad(field+".Destination", "%s needs destination details", m.Type)
		} else {
			e.destinationDetails(m.Destination, field+".destinationDetails")
		}
	case RemoveDestination, GetDestinationDetails:
		did = true
		e.leaf("dId", e.id(field+".dId", m.DID))
	}
	if !task && m.Task != nil || !xid && !m.XID.IsZero() || !dest && m.Destination != nil || !did && !m.DID.IsZero() {
		e.bad(field, "a field %s does not carry is set", m.Type)
	}
	e.end("x1RequestMessage")
}

func (e *encoder) taskDetails(td *TaskDetails, field string) {
	e.open("taskDetails")
	e.leaf("xId", e.id(field+".xId", td.XID))
	e.open("targetIdentifiers")
	if len(td.Targets) == 0 {
		e.bad(field+".targetIdentifiers", "a task has at least one target")
	}
	for i, t := range td.Targets {
		e.target(t, field+".targetIdentifiers.targetIdentifier["+strconv.Itoa(i)+"]")
	}
	e.end("targetIdentifiers")
	d, ok := deliveryText(td.Delivery, false)
	if !ok {
		e.bad(field+".deliveryType", "not IRIOnly, CCOnly or IRIAndCC")
	}
	e.leaf("deliveryType", d)
	e.dids(td.DIDs, "listOfDIDs", field+".listOfDIDs")
	if len(td.Mediation) > 0 {
		e.open("listOfMediationDetails")
		for i := range td.Mediation {
			e.mediation(&td.Mediation[i], field+".listOfMediationDetails.mediationDetails["+strconv.Itoa(i)+"]")
		}
		e.end("listOfMediationDetails")
	}
	e.end("taskDetails")
}

func (e *encoder) dids(ids []UUID, name, field string) {
	if len(ids) == 0 {
		e.indent()
		e.b = append(e.b, "<"+name+"/>\n"...)
		return
	}
	e.open(name)
	for i, u := range ids {
		e.leaf("dId", e.id(field+".dId["+strconv.Itoa(i)+"]", u))
	}
	e.end(name)
}

func (e *encoder) target(t intercept.Target, field string) {
	e.open("targetIdentifier")
	switch t.Kind {
	case intercept.TargetAddress:
		p := t.Prefix
		switch {
		case !p.IsValid():
			e.bad(field, "an address target without a valid prefix")
		case p.Addr().Is4() && p.Bits() == 32:
			e.leaf("ipv4Address", p.Addr().String())
		case p.Addr().Is4():
			e.open("ipv4Cidr")
			e.leaf("etsi:IPv4CIDR", p.String())
			e.end("ipv4Cidr")
		case p.Addr().Zone() != "":
			e.bad(field, "an IPv6 address with a zone")
		case p.Bits() == 128:
			e.leaf("ipv6Address", fullIPv6(p.Addr()))
		case p.Bits() == 0:
			e.bad(field, "an IPv6 prefix of length 0, which TS 103 280's IPv6CIDR cannot carry")
		default:
			e.leaf("ipv6Cidr", fullIPv6(p.Addr())+"/"+strconv.Itoa(p.Bits()))
		}
	case intercept.TargetUsername:
		e.leaf("nai", e.text(field+".nai", t.Username))
	default:
		e.bad(field, "a target of no known kind")
	}
	e.end("targetIdentifier")
}

// fullIPv6 writes a in TS 103 280's form: eight groups of four lower-case
// hexadecimal digits.
func fullIPv6(a netip.Addr) string {
	b := a.As16()
	var sb strings.Builder
	for i := 0; i < 16; i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(hex.EncodeToString(b[i : i+2]))
	}
	return sb.String()
}

func (e *encoder) mediation(md *MediationDetails, field string) {
	e.open("mediationDetails")
	s, ok := liidText(md.LIID)
	if !ok {
		e.bad(field+".LIID", "an LIID TS 103 280 cannot carry: 1 to 25 printable ASCII octets, or 13 to 25 octets written in hexadecimal")
	}
	e.leaf("LIID", s)
	d, ok := deliveryText(md.Delivery, true)
	if !ok {
		e.bad(field+".deliveryType", "not IRIOnly, CCOnly or IRIAndCC")
	}
	e.leaf("deliveryType", d)
	if !md.Start.IsZero() {
		e.leaf("StartTime", e.timestamp(field+".StartTime", md.Start))
	}
	if !md.End.IsZero() {
		e.leaf("EndTime", e.timestamp(field+".EndTime", md.End))
	}
	e.end("mediationDetails")
}

// liidText writes an LIID in TS 103 280's form.
func liidText(l intercept.LIID) (string, bool) {
	b := l.Bytes()
	if len(b) == 0 || len(b) > 25 {
		return "", false
	}
	printable := true
	for _, c := range b {
		if c < '!' || c > '~' {
			printable = false
			break
		}
	}
	if printable {
		return string(b), true
	}
	if len(b) >= 13 {
		return hex.EncodeToString(b), true
	}
	return "", false
}

func (e *encoder) destinationDetails(dd *DestinationDetails, field string) {
	e.open("destinationDetails")
	e.leaf("dId", e.id(field+".dId", dd.DID))
	if dd.FriendlyName != "" {
		e.leaf("friendlyName", e.text(field+".friendlyName", dd.FriendlyName))
	}
	d, ok := deliveryText(dd.Delivery, false)
	if !ok {
		e.bad(field+".deliveryType", "not IRIOnly, CCOnly or IRIAndCC")
	}
	e.leaf("deliveryType", d)
	e.open("deliveryAddress")
	e.open("ipAddressAndPort")
	e.open("etsi:address")
	a := dd.Address.Addr()
	switch {
	case !dd.Address.IsValid():
		e.bad(field+".deliveryAddress", "no address")
	case a.Is4():
		e.leaf("etsi:IPv4Address", a.String())
	case a.Zone() != "":
		e.bad(field+".deliveryAddress", "an IPv6 address with a zone")
	default:
		e.leaf("etsi:IPv6Address", fullIPv6(a))
	}
	e.end("etsi:address")
	e.open("etsi:port")
	if dd.Address.Port() <= 1 {
		e.bad(field+".deliveryAddress", "a TCP port outside 2 to 65535 (TS 103 280 TCPPort)")
	}
	e.leaf("etsi:TCPPort", strconv.Itoa(int(dd.Address.Port())))
	e.end("etsi:port")
	e.end("ipAddressAndPort")
	e.end("deliveryAddress")
	e.end("destinationDetails")
}

func (e *encoder) responseMessage(m *ResponseMessage, field string) {
	if m.Error != nil {
		if !m.Type.known() {
			e.bad(field+".Type", "not a value of RequestMessageType")
		}
		e.openTyped("x1ResponseMessage", "ErrorResponse")
		e.header(&m.Header, field, true)
		e.leaf("requestMessageType", string(m.Type))
		e.errorInformation(m.Error, "errorInformation", field+".errorInformation")
		if m.OK != "" || m.Task != nil || m.Destination != nil || m.XIDs != nil || m.DIDs != nil {
			e.bad(field, "an ErrorResponse carries only the error")
		}
		e.end("x1ResponseMessage")
		return
	}
	if !m.Type.Supported() {
		e.bad(field+".Type", "not a request type ccjkit implements")
		return
	}
	e.openTyped("x1ResponseMessage", string(m.Type)+"Response")
	e.header(&m.Header, field, true)
	okSet, task, dest, list := false, false, false, false
	switch {
	case okAnswered(m.Type):
		okSet = true
		if m.OK != AcknowledgedAndCompleted && m.OK != Acknowledged {
			e.bad(field+".oK", "not AcknowledgedAndCompleted or Acknowledged")
		}
		e.leaf("oK", string(m.OK))
	case m.Type == GetTaskDetails:
		task = true
		if m.Task == nil {
			e.bad(field+".Task", "GetTaskDetails is answered with the task")
			break
		}
		e.open("taskResponseDetails")
		e.taskDetails(&m.Task.Task, field+".taskResponseDetails.taskDetails")
		e.open("taskStatus")
		switch m.Task.Status.Provisioning {
		case AwaitingProvisioning, ProvisioningFailed, ProvisioningComplete:
		default:
			e.bad(field+".taskResponseDetails.taskStatus.provisioningStatus", "not a ProvisioningStatus")
		}
		e.leaf("provisioningStatus", string(m.Task.Status.Provisioning))
		e.faults(m.Task.Status.Faults, field+".taskResponseDetails.taskStatus.listOfFaults")
		e.end("taskStatus")
		e.end("taskResponseDetails")
	case m.Type == GetDestinationDetails:
		dest = true
		if m.Destination == nil {
			e.bad(field+".Destination", "GetDestinationDetails is answered with the destination")
			break
		}
		e.open("destinationResponseDetails")
		e.destinationDetails(&m.Destination.Destination, field+".destinationResponseDetails.destinationDetails")
		e.open("destinationStatus")
		switch m.Destination.Status.Delivery {
		case ActiveAndWorking, DeliveryFault:
		default:
			e.bad(field+".destinationResponseDetails.destinationStatus.destinationDeliveryStatus", "not a DestinationDeliveryStatus")
		}
		e.leaf("destinationDeliveryStatus", string(m.Destination.Status.Delivery))
		e.faults(m.Destination.Status.Faults, field+".destinationResponseDetails.destinationStatus.listOfFaults")
		e.end("destinationStatus")
		e.end("destinationResponseDetails")
	case m.Type == ListAllDetails:
		list = true
		if len(m.XIDs) == 0 {
			e.indent()
			e.b = append(e.b, "<ListOfXIDs/>\n"...)
		} else {
			e.open("ListOfXIDs")
			for i, u := range m.XIDs {
				e.leaf("xId", e.id(field+".ListOfXIDs.xId["+strconv.Itoa(i)+"]", u))
			}
			e.end("ListOfXIDs")
		}
		e.dids(m.DIDs, "ListOfDIDs", field+".ListOfDIDs")
	}
	if !okSet && m.OK != "" || !task && m.Task != nil || !dest && m.Destination != nil || !list && (m.XIDs != nil || m.DIDs != nil) {
		e.bad(field, "a field the answer to %s does not carry is set", m.Type)
	}
	e.end("x1ResponseMessage")
}

func (e *encoder) faults(fs []ErrorInformation, field string) {
	if len(fs) == 0 {
		e.indent()
		e.b = append(e.b, "<listOfFaults/>\n"...)
		return
	}
	e.open("listOfFaults")
	for i := range fs {
		e.errorInformation(&fs[i], "unresolvedFault", field+".unresolvedFault["+strconv.Itoa(i)+"]")
	}
	e.end("listOfFaults")
}

func (e *encoder) errorInformation(ei *ErrorInformation, name, field string) {
	e.open(name)
	e.leaf("errorCode", strconv.Itoa(ei.Code))
	e.leaf("errorDescription", e.text(field+".errorDescription", ei.Description))
	e.end(name)
}

// String writes a one-line summary of a message for logs: its type and
// transaction, never its targets.
func (m RequestMessage) String() string {
	return fmt.Sprintf("%sRequest(transaction %s)", m.Type, m.TransactionID)
}
