package x1

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/provenance"
)

// DecodeRequest reads an X1Request document strictly under DefaultLimits:
// see Limits.DecodeRequest.
func DecodeRequest(b []byte) (*Request, error) { return DefaultLimits().DecodeRequest(b) }

// DecodeResponse reads an X1Response or X1TopLevelErrorResponse document
// strictly under DefaultLimits: see Limits.DecodeResponse.
func DecodeResponse(b []byte) (*Response, error) { return DefaultLimits().DecodeResponse(b) }

// DecodeRequest reads an X1Request document. It accepts exactly what the
// X1 schema accepts for the messages ccjkit implements (elements in their
// order, namespaces, cardinalities, value patterns), refuses what ccjkit
// does not implement (ErrUnsupported and its kin) and what the XML may
// hide (a DOCTYPE, anything over l), and reports every problem at once in a
// *provenance.Problems (What "x1: request"). It never panics.
func (l Limits) DecodeRequest(b []byte) (*Request, error) {
	var p problems
	msgs := l.decodeRequestParts(b, &p)
	if err := p.err(whatRequest); err != nil {
		return nil, err
	}
	req := &Request{Messages: make([]RequestMessage, 0, len(msgs))}
	for _, m := range msgs {
		if err := m.p.err(whatRequest); err != nil {
			return nil, err
		}
		req.Messages = append(req.Messages, m.msg)
	}
	return req, nil
}

// part is one element of an xs:sequence or xs:choice.
type part struct {
	local    string
	ns       string
	min, max int // max < 0: unbounded
	// unsupported, when set, is the sentinel a present element gets: the
	// schema allows it, ccjkit does not implement it.
	unsupported error
}

func x1(local string, min, max int) part {
	return part{local: local, ns: Namespace, min: min, max: max}
}
func common(local string, min, max int) part {
	return part{local: local, ns: CommonNamespace, min: min, max: max}
}
func x1Unsupported(local string, max int) part {
	return part{local: local, ns: Namespace, min: 0, max: max, unsupported: ErrUnsupported}
}

// reader walks a parsed document against the schema's types.
type reader struct {
	p *problems
}

func (r *reader) schema(n *node, field, typ string, format string, args ...any) {
	args = append(args, n.line, n.col)
	r.p.add(ErrSchema, "x1-schema", schemaSourceFor(typ), field, format+" (line %d, column %d)", args...)
}

// schemaSourceFor cites typ in the X1 schema, or in TS 103 280's when it
// is one of its types ("etsi103280:...").
func schemaSourceFor(typ string) provenance.Source {
	if t, ok := strings.CutPrefix(typ, "etsi103280:"); ok {
		return commonSource(t)
	}
	return schemaSource(typ)
}

func (r *reader) unsupported(sentinel error, n *node, field, typ, format string, args ...any) {
	args = append(args, n.line, n.col)
	r.p.add(sentinel, "x1-unsupported", schemaSourceFor(typ), field, format+" (line %d, column %d)", args...)
}

// noAttrs refuses every attribute of n.
func (r *reader) noAttrs(n *node, field, typ string) {
	if len(n.attrs) > 0 {
		r.schema(n, field, typ, "%d attribute(s) where %s allows none", len(n.attrs), typ)
	}
}

// seq matches n's children against the xs:sequence parts of type typ and
// returns the children each part matched.
func (r *reader) seq(n *node, field, typ string, parts ...part) [][]*node {
	r.noAttrs(n, field, typ)
	if !isXMLSpace(n.text) {
		r.schema(n, field, typ, "text where %s has element content only", typ)
	}
	out := make([][]*node, len(parts))
	pos := 0
	for _, c := range n.kids {
		j := -1
		for k := pos; k < len(parts); k++ {
			if c.name.Local == parts[k].local && c.name.Space == parts[k].ns {
				if parts[k].max >= 0 && len(out[k]) >= parts[k].max {
					continue
				}
				j = k
				break
			}
		}
		if j >= 0 {
			out[j] = append(out[j], c)
			pos = j
			if parts[j].unsupported != nil {
				r.unsupported(parts[j].unsupported, c, field+"."+parts[j].local, typ, "%s of %s is not implemented by ccjkit: refused rather than ignored, which could change what is intercepted", parts[j].local, typ)
			}
			continue
		}
		r.misplaced(c, field, typ, parts, pos, out)
	}
	for k, pt := range parts {
		if len(out[k]) < pt.min {
			r.schema(n, field+"."+pt.local, typ, "%s requires %s", typ, pt.local)
		}
	}
	return out
}

// misplaced explains why child c matched no part.
func (r *reader) misplaced(c *node, field, typ string, parts []part, pos int, out [][]*node) {
	for k, pt := range parts {
		if c.name.Local != pt.local {
			continue
		}
		switch {
		case c.name.Space != pt.ns:
			r.schema(c, field+"."+pt.local, typ, "%s in the wrong namespace: %s wants it in %s", pt.local, typ, pt.ns)
		case k < pos:
			r.schema(c, field+"."+pt.local, typ, "%s out of order in %s", pt.local, typ)
		default:
			r.schema(c, field+"."+pt.local, typ, "more than %d %s in %s", pt.max, pt.local, typ)
		}
		return
	}
	r.schema(c, field, typ, "an element %s does not allow", typ)
}

// choice returns the index of the part n's single child matches.
func (r *reader) choice(n *node, field, typ string, parts ...part) (int, *node) {
	r.noAttrs(n, field, typ)
	if !isXMLSpace(n.text) {
		r.schema(n, field, typ, "text where %s has element content only", typ)
	}
	if len(n.kids) != 1 {
		r.schema(n, field, typ, "%s holds exactly one element, not %d", typ, len(n.kids))
		if len(n.kids) == 0 {
			return -1, nil
		}
	}
	c := n.kids[0]
	for k, pt := range parts {
		if c.name.Local == pt.local && c.name.Space == pt.ns {
			return k, c
		}
		if c.name.Local == pt.local {
			r.schema(c, field+"."+pt.local, typ, "%s in the wrong namespace: %s wants it in %s", pt.local, typ, pt.ns)
			return -1, nil
		}
	}
	r.schema(c, field, typ, "an element %s does not allow", typ)
	return -1, nil
}

// leaf returns the text of a simple-typed element.
func (r *reader) leaf(n *node, field, typ string) (string, bool) {
	r.noAttrs(n, field, typ)
	if len(n.kids) > 0 {
		r.schema(n, field, typ, "elements where %s is a simple type", typ)
		return "", false
	}
	return string(n.text), true
}

func (r *reader) uuid(n *node, field, typ string) UUID {
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return UUID{}
	}
	u, err := ParseUUID(collapse(s))
	if err != nil {
		r.schema(n, field, typ, "not a UUID (TS 103 280 UUID: 32 lower-case hexadecimal digits as 8-4-4-4-12)")
	}
	return u
}

// id reads an XID or DID: a UUID that is not the nil UUID.
func (r *reader) id(n *node, field, typ string) UUID {
	u := r.uuid(n, field, typ)
	if u.IsZero() && isValidUUIDText(n) {
		r.p.add(ErrValue, "x1-nil-id", provenance.Rule("x1-nil-id"), field, "the nil UUID names no task or destination (line %d, column %d)", n.line, n.col)
	}
	return u
}

func isValidUUIDText(n *node) bool {
	_, err := ParseUUID(collapse(string(n.text)))
	return err == nil && len(n.kids) == 0
}

// token reads an xs:token that ccjkit requires non-empty.
func (r *reader) token(n *node, field, typ string) string {
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return ""
	}
	s = collapse(s)
	if s == "" {
		r.p.add(ErrValue, "x1-identifier", provenance.Rule("x1-identifier"), field, "an empty %s names nobody (line %d, column %d)", typ, n.line, n.col)
	}
	return s
}

func (r *reader) timestamp(n *node, field string) time.Time {
	const typ = "etsi103280:QualifiedMicrosecondDateTime"
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return time.Time{}
	}
	t, ok := parseTimestamp(collapse(s))
	if !ok {
		r.schema(n, field, typ, "not a QualifiedMicrosecondDateTime (YYYY-MM-DDThh:mm:ss.ffffff with Z or ±hh:mm)")
	}
	return t
}

// parseTimestamp reads TS 103 280's QualifiedMicrosecondDateTime: exactly
// six fractional digits and a zone.
func parseTimestamp(s string) (time.Time, bool) {
	if len(s) != 27 && len(s) != 32 {
		return time.Time{}, false
	}
	for i := 0; i < 26; i++ {
		c := s[i]
		switch i {
		case 4, 7:
			if c != '-' {
				return time.Time{}, false
			}
		case 10:
			if c != 'T' {
				return time.Time{}, false
			}
		case 13, 16:
			if c != ':' {
				return time.Time{}, false
			}
		case 19:
			if c != '.' {
				return time.Time{}, false
			}
		default:
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
		}
	}
	zone := s[26:]
	if len(zone) == 1 && zone != "Z" {
		return time.Time{}, false
	}
	if len(zone) == 6 && !((zone[0] == '+' || zone[0] == '-') && isDigits(zone[1:3]) && zone[3] == ':' && isDigits(zone[4:6])) {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02T15:04:05.000000Z07:00", s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validVersion checks the schema's Version pattern v1\.\d+\.\d+ (ASCII
// digits; the value is an xs:string, whose whitespace counts).
func validVersion(s string) bool {
	rest, ok := strings.CutPrefix(s, "v1.")
	if !ok {
		return false
	}
	a, b, ok := strings.Cut(rest, ".")
	return ok && isDigits(a) && isDigits(b)
}

func (r *reader) version(n *node, field string) string {
	s, ok := r.leaf(n, field, "Version")
	if ok && !validVersion(s) {
		r.schema(n, field, "Version", "not a version of the form v1.N.M")
	}
	return s
}

func (r *reader) integer(n *node, field, typ string) (int64, bool) {
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return 0, false
	}
	s = collapse(s)
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || !isDigits(digits) {
		r.schema(n, field, typ, "not an integer")
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.p.add(ErrUnsupported, "x1-integer", provenance.Rule("x1-integer"), field, "an integer outside 64 bits (line %d, column %d)", n.line, n.col)
		return 0, false
	}
	return v, true
}

// deliveryNames are the values of DeliveryType and MediationDeliveryType.
func deliveryFromText(s string, hi bool) (intercept.Delivery, bool) {
	if hi {
		switch s {
		case "HI2Only":
			return intercept.IRIOnly, true
		case "HI3Only":
			return intercept.CCOnly, true
		case "HI2andHI3":
			return intercept.IRIAndCC, true
		}
		return 0, false
	}
	switch s {
	case "X2Only":
		return intercept.IRIOnly, true
	case "X3Only":
		return intercept.CCOnly, true
	case "X2andX3":
		return intercept.IRIAndCC, true
	}
	return 0, false
}

func deliveryText(d intercept.Delivery, hi bool) (string, bool) {
	x := [...]string{intercept.IRIOnly: "X2Only", intercept.CCOnly: "X3Only", intercept.IRIAndCC: "X2andX3"}
	h := [...]string{intercept.IRIOnly: "HI2Only", intercept.CCOnly: "HI3Only", intercept.IRIAndCC: "HI2andHI3"}
	if d < intercept.IRIOnly || d > intercept.IRIAndCC {
		return "", false
	}
	if hi {
		return h[d], true
	}
	return x[d], true
}

func (r *reader) delivery(n *node, field string, hi bool) intercept.Delivery {
	typ := "DeliveryType"
	if hi {
		typ = "MediationDeliveryType"
	}
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return 0
	}
	d, ok := deliveryFromText(s, hi)
	if !ok {
		r.schema(n, field, typ, "not a value of %s", typ)
	}
	return d
}

// enum reads an xs:string enumeration.
func (r *reader) enum(n *node, field, typ string, values ...string) string {
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return ""
	}
	for _, v := range values {
		if s == v {
			return s
		}
	}
	r.schema(n, field, typ, "not a value of %s", typ)
	return ""
}

// header reads the five elements every message starts with.
func (r *reader) header(h *Header, got [][]*node, field string) {
	if len(got[0]) == 1 {
		h.ADMF = r.token(got[0][0], field+".admfIdentifier", "AdmfIdentifier")
	}
	if len(got[1]) == 1 {
		h.NE = r.token(got[1][0], field+".neIdentifier", "NeIdentifier")
	}
	if len(got[2]) == 1 {
		h.Timestamp = r.timestamp(got[2][0], field+".messageTimestamp")
	}
	if len(got[3]) == 1 {
		h.Version = r.version(got[3][0], field+".version")
	}
	if len(got) > 4 && len(got[4]) == 1 {
		h.TransactionID = r.uuid(got[4][0], field+".x1TransactionId", "X1TransactionId")
	}
}

func headerParts(transaction bool) []part {
	ps := []part{x1("admfIdentifier", 1, 1), x1("neIdentifier", 1, 1), x1("messageTimestamp", 1, 1), x1("version", 1, 1)}
	if transaction {
		ps = append(ps, x1("x1TransactionId", 1, 1))
	}
	return ps
}

// messageType resolves the xsi:type of a message element: the X1 type
// name, or "" after recording a problem.
func (r *reader) messageType(n *node, field, container string) string {
	var typ string
	found := false
	for _, a := range n.attrs {
		if a.Name.Space == xsiNamespace && a.Name.Local == "type" && !found {
			found = true
			typ = collapse(a.Value)
			continue
		}
		r.schema(n, field, container, "an attribute %s does not allow", container)
	}
	if !found {
		r.schema(n, field, container, "%s needs an xsi:type naming the message", container)
		return ""
	}
	prefix, local, ok := strings.Cut(typ, ":")
	if !ok {
		prefix, local = "", typ
	}
	ns, bound := n.scope.lookup(prefix)
	if local == "" || strings.Contains(local, ":") {
		r.schema(n, field, container, "xsi:type is not a type name")
		return ""
	}
	if !bound || ns != Namespace {
		r.schema(n, field, container, "xsi:type names a type outside the X1 namespace")
		return ""
	}
	return local
}

// parsedRequest is one request message as decoded, with its own problems,
// so that a server answers each message of a request on its own.
type parsedRequest struct {
	msg RequestMessage
	p   problems
}

// decodeRequestParts parses the document and each message. Problems of
// the document as a whole go to p; those of a message to its own.
func (l Limits) decodeRequestParts(b []byte, p *problems) []parsedRequest {
	root := parse(b, l, p)
	if root == nil {
		return nil
	}
	r := &reader{p: p}
	if root.name.Space != Namespace || root.name.Local != "X1Request" {
		r.schema(root, "", "RequestContainer", "the root is not an X1Request in the X1 namespace")
		return nil
	}
	got := r.seq(root, "", "RequestContainer", x1("x1RequestMessage", 1, -1))
	if len(got[0]) > l.MaxMessages {
		p.add(ErrLimit, "x1-messages", limitSource(), "", "%d messages, more than the limit of %d", len(got[0]), l.MaxMessages)
		return nil
	}
	out := make([]parsedRequest, len(got[0]))
	for i, n := range got[0] {
		field := "x1RequestMessage[" + strconv.Itoa(i) + "]"
		out[i].msg = decodeRequestMessage(n, field, &out[i].p)
	}
	return out
}

func decodeRequestMessage(n *node, field string, p *problems) RequestMessage {
	r := &reader{p: p}
	var m RequestMessage
	typ := r.messageType(n, field, "X1RequestMessage")
	if typ == "" {
		return m
	}
	name, ok := strings.CutSuffix(typ, "Request")
	t := MessageType(name)
	if !ok || !t.known() {
		r.schema(n, field, "X1RequestMessage", "xsi:type names no X1 request message")
		return m
	}
	m.Type = t
	hp := headerParts(true)
	if !t.Supported() {
		// Read the header so the answer can name the transaction.
		k := *n
		k.attrs = nil
		if len(k.kids) > len(hp) {
			k.kids = k.kids[:len(hp)]
		}
		r.header(&m.Header, r.seq(&k, field, string(typ), hp...), field)
		r.unsupported(ErrUnsupported, n, field, typ, "%s is not implemented by ccjkit", typ)
		return m
	}
	var extra []part
	switch t {
	case ActivateTask, ModifyTask:
		extra = []part{x1("taskDetails", 1, 1)}
	case DeactivateTask, GetTaskDetails:
		extra = []part{x1("xId", 1, 1)}
	case CreateDestination, ModifyDestination:
		extra = []part{x1("destinationDetails", 1, 1)}
	case RemoveDestination, GetDestinationDetails:
		extra = []part{x1("dId", 1, 1)}
	}
	k := *n
	k.attrs = nil
	got := r.seq(&k, field, typ, append(hp, extra...)...)
	r.header(&m.Header, got, field)
	if len(extra) == 0 || len(got[len(hp)]) != 1 {
		return m
	}
	c := got[len(hp)][0]
	switch t {
	case ActivateTask, ModifyTask:
		td := r.taskDetails(c, field+".taskDetails")
		m.Task = &td
	case DeactivateTask, GetTaskDetails:
		m.XID = r.id(c, field+".xId", "XId")
	case CreateDestination, ModifyDestination:
		dd := r.destinationDetails(c, field+".destinationDetails")
		m.Destination = &dd
	case RemoveDestination, GetDestinationDetails:
		m.DID = r.id(c, field+".dId", "DId")
	}
	return m
}

func (r *reader) taskDetails(n *node, field string) TaskDetails {
	const typ = "TaskDetails"
	var td TaskDetails
	got := r.seq(n, field, typ,
		x1("xId", 1, 1), x1("targetIdentifiers", 1, 1), x1("deliveryType", 1, 1), x1("listOfDIDs", 1, 1),
		x1("listOfMediationDetails", 0, 1), x1Unsupported("correlationID", 1), x1Unsupported("implicitDeactivationAllowed", 1),
		x1Unsupported("productID", 1), x1Unsupported("listOfServiceTypes", 1), x1Unsupported("taskDetailsExtensions", -1),
		x1Unsupported("listOfTrafficPolicyReferences", 1))
	if len(got[0]) == 1 {
		td.XID = r.id(got[0][0], field+".xId", "XId")
	}
	if len(got[1]) == 1 {
		list := r.seq(got[1][0], field+".targetIdentifiers", "ListOfTargetIdentifiers", x1("targetIdentifier", 1, -1))
		for i, c := range list[0] {
			if t, ok := r.target(c, field+".targetIdentifiers.targetIdentifier["+strconv.Itoa(i)+"]"); ok {
				td.Targets = append(td.Targets, t)
			}
		}
	}
	if len(got[2]) == 1 {
		td.Delivery = r.delivery(got[2][0], field+".deliveryType", false)
	}
	if len(got[3]) == 1 {
		td.DIDs = r.listOfDIDs(got[3][0], field+".listOfDIDs")
	}
	if len(got[4]) == 1 {
		list := r.seq(got[4][0], field+".listOfMediationDetails", "ListOfMediationDetails", x1("mediationDetails", 0, -1))
		for i, c := range list[0] {
			td.Mediation = append(td.Mediation, r.mediationDetails(c, field+".listOfMediationDetails.mediationDetails["+strconv.Itoa(i)+"]"))
		}
	}
	return td
}

func (r *reader) listOfDIDs(n *node, field string) []UUID {
	got := r.seq(n, field, "ListOfDids", x1("dId", 0, -1), x1Unsupported("dSId", -1))
	var ids []UUID
	for i, c := range got[0] {
		ids = append(ids, r.id(c, field+".dId["+strconv.Itoa(i)+"]", "DId"))
	}
	return ids
}

func (r *reader) mediationDetails(n *node, field string) MediationDetails {
	const typ = "MediationDetails"
	var md MediationDetails
	got := r.seq(n, field, typ,
		x1("LIID", 1, 1), x1("deliveryType", 1, 1), x1("StartTime", 0, 1), x1("EndTime", 0, 1),
		x1Unsupported("listOfDIDs", 1), x1Unsupported("mediationDetailsExtensions", -1),
		x1Unsupported("serviceScopingOptions", 1), x1Unsupported("listOfTrafficPolicyReferences", 1))
	if len(got[0]) == 1 {
		md.LIID = r.liid(got[0][0], field+".LIID")
	}
	if len(got[1]) == 1 {
		md.Delivery = r.delivery(got[1][0], field+".deliveryType", true)
	}
	if len(got[2]) == 1 {
		md.Start = r.timestamp(got[2][0], field+".StartTime")
	}
	if len(got[3]) == 1 {
		md.End = r.timestamp(got[3][0], field+".EndTime")
	}
	return md
}

// liid reads TS 103 280's LIID: ([!-~]{1,25})|([0-9a-f]{26,50}) after
// normalisation (tabs and line ends become spaces, which the pattern
// refuses anyway).
func (r *reader) liid(n *node, field string) intercept.LIID {
	const typ = "etsi103280:LIID"
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return intercept.LIID{}
	}
	l, ok := parseLIIDText(s)
	if !ok {
		r.schema(n, field, typ, "not an LIID (1 to 25 printable ASCII characters, or 26 to 50 lower-case hexadecimal digits)")
	}
	return l
}

func parseLIIDText(s string) (intercept.LIID, bool) {
	if n := len(s); n >= 1 && n <= 25 {
		for i := 0; i < n; i++ {
			if s[i] < '!' || s[i] > '~' {
				return intercept.LIID{}, false
			}
		}
		l, err := intercept.LIIDFromBytes([]byte(s))
		return l, err == nil
	}
	if n := len(s); n >= 26 && n <= 50 && n%2 == 0 {
		for i := 0; i < n; i++ {
			if _, ok := lowerHex(s[i]); !ok {
				return intercept.LIID{}, false
			}
		}
		b, err := hex.DecodeString(s)
		if err != nil {
			return intercept.LIID{}, false
		}
		l, err := intercept.LIIDFromBytes(b)
		return l, err == nil
	}
	return intercept.LIID{}, false
}

// unsupportedTargets are the TargetIdentifier choices ccjkit does not
// intercept (read only).
var unsupportedTargets = []string{
	"e164Number", "imsi", "imei", "macAddress", "tcpPort", "tcpPortRange", "tcpPortList",
	"udpPort", "udpPortRange", "udpPortList", "emailAddress", "internationalizedEmailAddress",
	"sipUri", "telUri", "h323Uri", "impu", "impi", "radiusAttribute", "gtpuTunnelId",
	"gtpcTunnelId", "callPartyRole", "nonLocalIdentifier", "supiimsi", "supinai", "suci",
	"peiImei", "peiImeiCheckDigit", "peiImeisv", "gpsiMsisdn", "gpsiNai", "eui64",
	"serviceAccessIdentifier", "hashedIdentifier", "targetIdentifierExtension", "vrf",
}

func (r *reader) target(n *node, field string) (intercept.Target, bool) {
	const typ = "TargetIdentifier"
	parts := []part{x1("ipv4Address", 1, 1), x1("ipv6Address", 1, 1), x1("ipv4Cidr", 1, 1), x1("ipv6Cidr", 1, 1), x1("nai", 1, 1)}
	if len(n.kids) == 1 {
		c := n.kids[0]
		for _, u := range unsupportedTargets {
			if c.name.Local == u && c.name.Space == Namespace {
				r.noAttrs(n, field, typ)
				r.unsupported(ErrUnsupportedTarget, c, field, typ, "a target identifier of a kind ccjkit does not intercept")
				return intercept.Target{}, false
			}
		}
	}
	k, c := r.choice(n, field, typ, parts...)
	switch k {
	case 0:
		if a, ok := r.ipv4(c, field+".ipv4Address", "etsi103280:IPv4Address"); ok {
			return intercept.AddressTarget(netip.PrefixFrom(a, 32)), true
		}
	case 1:
		if a, ok := r.ipv6(c, field+".ipv6Address", "etsi103280:IPv6Address"); ok {
			return intercept.AddressTarget(netip.PrefixFrom(a, 128)), true
		}
	case 2:
		kk, cc := r.choice(c, field+".ipv4Cidr", "etsi103280:IPCIDR", common("IPv4CIDR", 1, 1), common("IPv6CIDR", 1, 1))
		switch kk {
		case 0:
			if p, ok := r.cidr(cc, field+".ipv4Cidr.IPv4CIDR", "etsi103280:IPv4CIDR", false); ok {
				return intercept.AddressTarget(p), true
			}
		case 1:
			if p, ok := r.cidr(cc, field+".ipv4Cidr.IPv6CIDR", "etsi103280:IPv6CIDR", true); ok {
				return intercept.AddressTarget(p), true
			}
		}
	case 3:
		if p, ok := r.cidr(c, field+".ipv6Cidr", "etsi103280:IPv6CIDR", true); ok {
			return intercept.AddressTarget(p), true
		}
	case 4:
		if s, ok := r.leaf(c, field+".nai", "etsi103280:NAI"); ok {
			return intercept.UsernameTarget(s), true
		}
	}
	return intercept.Target{}, false
}

// ipv4 reads TS 103 280's IPv4Address: dotted decimal. ccjkit also
// refuses leading zeros, which the pattern allows and which some readers
// take for octal.
func (r *reader) ipv4(n *node, field, typ string) (netip.Addr, bool) {
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(collapse(s))
	if err != nil || !a.Is4() {
		r.schema(n, field, typ, "not an IPv4 address in dotted decimal without leading zeros")
		return netip.Addr{}, false
	}
	return a, true
}

// ipv6 reads TS 103 280's IPv6Address: eight groups of four lower-case
// hexadecimal digits, nothing compressed.
func (r *reader) ipv6(n *node, field, typ string) (netip.Addr, bool) {
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return netip.Addr{}, false
	}
	a, ok := parseFullIPv6(collapse(s))
	if !ok {
		r.schema(n, field, typ, "not an IPv6 address written in full (eight groups of four lower-case hexadecimal digits)")
	}
	return a, ok
}

func parseFullIPv6(s string) (netip.Addr, bool) {
	if len(s) != 39 {
		return netip.Addr{}, false
	}
	for i := 0; i < 39; i++ {
		if i%5 == 4 {
			if s[i] != ':' {
				return netip.Addr{}, false
			}
		} else if _, ok := lowerHex(s[i]); !ok {
			return netip.Addr{}, false
		}
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil && a.Is6() && a.Zone() == ""
}

// cidr reads IPv4CIDR (prefix length 0 to 32) or IPv6CIDR (1 to 128).
func (r *reader) cidr(n *node, field, typ string, v6 bool) (netip.Prefix, bool) {
	s, ok := r.leaf(n, field, typ)
	if !ok {
		return netip.Prefix{}, false
	}
	s = collapse(s)
	addr, bits, ok := strings.Cut(s, "/")
	var a netip.Addr
	if ok {
		if v6 {
			a, ok = parseFullIPv6(addr)
		} else {
			var err error
			a, err = netip.ParseAddr(addr)
			ok = err == nil && a.Is4()
		}
	}
	b := -1
	if ok && isDigits(bits) && len(bits) <= 3 && (len(bits) == 1 || bits[0] != '0') {
		b, _ = strconv.Atoi(bits)
	}
	if !ok || b < 0 || (v6 && (b < 1 || b > 128)) || (!v6 && b > 32) {
		if v6 {
			r.schema(n, field, typ, "not an IPv6 prefix (the address in full, a slash, a length of 1 to 128)")
		} else {
			r.schema(n, field, typ, "not an IPv4 prefix (dotted decimal, a slash, a length of 0 to 32)")
		}
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, b), true
}

func (r *reader) destinationDetails(n *node, field string) DestinationDetails {
	const typ = "DestinationDetails"
	var dd DestinationDetails
	got := r.seq(n, field, typ, x1("dId", 1, 1), x1("friendlyName", 0, 1), x1("deliveryType", 1, 1),
		x1("deliveryAddress", 1, 1), x1Unsupported("destinationDetailsExtensions", -1))
	if len(got[0]) == 1 {
		dd.DID = r.id(got[0][0], field+".dId", "DId")
	}
	if len(got[1]) == 1 {
		dd.FriendlyName, _ = r.leaf(got[1][0], field+".friendlyName", "xs:string")
	}
	if len(got[2]) == 1 {
		dd.Delivery = r.delivery(got[2][0], field+".deliveryType", false)
	}
	if len(got[3]) == 1 {
		dd.Address = r.deliveryAddress(got[3][0], field+".deliveryAddress")
	}
	return dd
}

func (r *reader) deliveryAddress(n *node, field string) netip.AddrPort {
	const typ = "DeliveryAddress"
	if len(n.kids) == 1 {
		c := n.kids[0]
		switch c.name.Local {
		case "e164Number", "uri", "emailAddress":
			if c.name.Space == Namespace {
				r.unsupported(ErrUnsupportedAddress, c, field, typ, "a delivery address other than an IP address and TCP port")
				return netip.AddrPort{}
			}
		}
	}
	k, c := r.choice(n, field, typ, x1("ipAddressAndPort", 1, 1))
	if k != 0 {
		return netip.AddrPort{}
	}
	field += ".ipAddressAndPort"
	got := r.seq(c, field, "etsi103280:IPAddressPort", common("address", 1, 1), common("port", 1, 1))
	var a netip.Addr
	var port uint16
	okA, okP := false, false
	if len(got[0]) == 1 {
		kk, cc := r.choice(got[0][0], field+".address", "etsi103280:IPAddress", common("IPv4Address", 1, 1), common("IPv6Address", 1, 1))
		switch kk {
		case 0:
			a, okA = r.ipv4(cc, field+".address.IPv4Address", "etsi103280:IPv4Address")
		case 1:
			a, okA = r.ipv6(cc, field+".address.IPv6Address", "etsi103280:IPv6Address")
		}
	}
	if len(got[1]) == 1 {
		pn := got[1][0]
		if len(pn.kids) == 1 && pn.kids[0].name.Local == "UDPPort" && pn.kids[0].name.Space == CommonNamespace {
			r.unsupported(ErrUnsupportedAddress, pn.kids[0], field+".port", "etsi103280:Port", "a UDP port: X2/X3 run over TCP")
		} else if kk, cc := r.choice(pn, field+".port", "etsi103280:Port", common("TCPPort", 1, 1)); kk == 0 {
			if v, ok := r.integer(cc, field+".port.TCPPort", "etsi103280:TCPPort"); ok {
				if v <= 1 || v > 65535 {
					r.schema(cc, field+".port.TCPPort", "etsi103280:TCPPort", "a TCP port outside 2 to 65535")
				} else {
					port, okP = uint16(v), true
				}
			}
		}
	}
	if okA && okP {
		return netip.AddrPortFrom(a, port)
	}
	return netip.AddrPort{}
}
