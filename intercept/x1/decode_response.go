package x1

import (
	"strconv"
	"strings"
)

// DecodeResponse reads an X1Response or an X1TopLevelErrorResponse
// document, as strictly as DecodeRequest reads a request (What "x1:
// response").
func (l Limits) DecodeResponse(b []byte) (*Response, error) {
	var p problems
	resp := l.decodeResponse(b, &p)
	if err := p.err(whatResponse); err != nil {
		return nil, err
	}
	return resp, nil
}

func (l Limits) decodeResponse(b []byte, p *problems) *Response {
	root := parse(b, l, p)
	if root == nil {
		return nil
	}
	r := &reader{p: p}
	if root.name.Space == Namespace && root.name.Local == "X1TopLevelErrorResponse" {
		var h Header
		r.header(&h, r.seq(root, "", "TopLevelErrorResponse", headerParts(false)...), "")
		return &Response{TopLevelError: &h}
	}
	if root.name.Space != Namespace || root.name.Local != "X1Response" {
		r.schema(root, "", "ResponseContainer", "the root is neither an X1Response nor an X1TopLevelErrorResponse in the X1 namespace")
		return nil
	}
	got := r.seq(root, "", "ResponseContainer", x1("x1ResponseMessage", 1, -1))
	if len(got[0]) > l.MaxMessages {
		p.add(ErrLimit, "x1-messages", limitSource(), "", "%d messages, more than the limit of %d", len(got[0]), l.MaxMessages)
		return nil
	}
	resp := &Response{Messages: make([]ResponseMessage, len(got[0]))}
	for i, n := range got[0] {
		resp.Messages[i] = r.responseMessage(n, "x1ResponseMessage["+strconv.Itoa(i)+"]")
	}
	return resp
}

// okResponses are the requests answered by an oK.
func okAnswered(t MessageType) bool {
	switch t {
	case ActivateTask, ModifyTask, DeactivateTask, CreateDestination, ModifyDestination, RemoveDestination, Ping, Keepalive:
		return true
	}
	return false
}

func (r *reader) responseMessage(n *node, field string) ResponseMessage {
	var m ResponseMessage
	typ := r.messageType(n, field, "X1ResponseMessage")
	if typ == "" {
		return m
	}
	k := *n
	k.attrs = nil
	hp := headerParts(true)
	if typ == "ErrorResponse" {
		got := r.seq(&k, field, typ, append(hp, x1("requestMessageType", 1, 1), x1("errorInformation", 1, 1), x1Unsupported("extensionInformation", 1))...)
		r.header(&m.Header, got, field)
		if len(got[5]) == 1 {
			var names []string
			for _, t := range allRequestTypes() {
				names = append(names, string(t))
			}
			m.Type = MessageType(r.enum(got[5][0], field+".requestMessageType", "RequestMessageType", names...))
		}
		if len(got[6]) == 1 {
			ei := r.errorInformation(got[6][0], field+".errorInformation")
			m.Error = &ei
		}
		return m
	}
	name, ok := strings.CutSuffix(typ, "Response")
	t := MessageType(name)
	if !ok || !t.known() {
		r.schema(n, field, "X1ResponseMessage", "xsi:type names no X1 response message")
		return m
	}
	m.Type = t
	if !t.Supported() {
		r.unsupported(ErrUnsupported, n, field, typ, "%s is not implemented by ccjkit", typ)
		return m
	}
	switch {
	case okAnswered(t):
		got := r.seq(&k, field, typ, append(hp, x1("oK", 1, 1))...)
		r.header(&m.Header, got, field)
		if len(got[5]) == 1 {
			m.OK = OK(r.enum(got[5][0], field+".oK", "OK", string(AcknowledgedAndCompleted), string(Acknowledged)))
		}
	case t == GetTaskDetails:
		got := r.seq(&k, field, typ, append(hp, x1("taskResponseDetails", 1, 1))...)
		r.header(&m.Header, got, field)
		if len(got[5]) == 1 {
			f := field + ".taskResponseDetails"
			d := r.seq(got[5][0], f, "TaskResponseDetails", x1("taskDetails", 1, 1), x1("taskStatus", 1, 1))
			var trd TaskResponseDetails
			if len(d[0]) == 1 {
				trd.Task = r.taskDetails(d[0][0], f+".taskDetails")
			}
			if len(d[1]) == 1 {
				trd.Status = r.taskStatus(d[1][0], f+".taskStatus")
			}
			m.Task = &trd
		}
	case t == GetDestinationDetails:
		got := r.seq(&k, field, typ, append(hp, x1("destinationResponseDetails", 1, 1))...)
		r.header(&m.Header, got, field)
		if len(got[5]) == 1 {
			f := field + ".destinationResponseDetails"
			d := r.seq(got[5][0], f, "DestinationResponseDetails", x1("destinationDetails", 1, 1), x1("destinationStatus", 1, 1))
			var drd DestinationResponseDetails
			if len(d[0]) == 1 {
				drd.Destination = r.destinationDetails(d[0][0], f+".destinationDetails")
			}
			if len(d[1]) == 1 {
				f := f + ".destinationStatus"
				s := r.seq(d[1][0], f, "DestinationStatus", x1("destinationDeliveryStatus", 1, 1), x1("listOfFaults", 1, 1))
				if len(s[0]) == 1 {
					drd.Status.Delivery = DeliveryStatus(r.enum(s[0][0], f+".destinationDeliveryStatus", "DestinationDeliveryStatus", string(ActiveAndWorking), string(DeliveryFault)))
				}
				if len(s[1]) == 1 {
					drd.Status.Faults = r.faults(s[1][0], f+".listOfFaults")
				}
			}
			m.Destination = &drd
		}
	case t == ListAllDetails:
		got := r.seq(&k, field, typ, append(hp, x1("ListOfXIDs", 1, 1), x1("ListOfDIDs", 1, 1), x1Unsupported("ListOfGenericObjectIDs", 1))...)
		r.header(&m.Header, got, field)
		if len(got[5]) == 1 {
			xs := r.seq(got[5][0], field+".ListOfXIDs", "ListOfXids", x1("xId", 0, -1))
			for i, c := range xs[0] {
				m.XIDs = append(m.XIDs, r.id(c, field+".ListOfXIDs.xId["+strconv.Itoa(i)+"]", "XId"))
			}
		}
		if len(got[6]) == 1 {
			m.DIDs = r.listOfDIDs(got[6][0], field+".ListOfDIDs")
		}
	}
	return m
}

func (r *reader) taskStatus(n *node, field string) TaskStatus {
	var ts TaskStatus
	got := r.seq(n, field, "TaskStatus", x1("provisioningStatus", 1, 1), x1("listOfFaults", 1, 1),
		x1("timeOfLastIntercept", 0, 1), x1("amountOfX2Data", 0, 1), x1("amountOfX3Data", 0, 1),
		x1("timeOfLastModification", 0, 1), x1("numberOfModifications", 0, 1), x1Unsupported("taskStatusExtensions", -1))
	if len(got[0]) == 1 {
		ts.Provisioning = ProvisioningStatus(r.enum(got[0][0], field+".provisioningStatus", "ProvisioningStatus",
			string(AwaitingProvisioning), string(ProvisioningFailed), string(ProvisioningComplete)))
	}
	if len(got[1]) == 1 {
		ts.Faults = r.faults(got[1][0], field+".listOfFaults")
	}
	// The optional counters and times are checked against their types and
	// not kept: ccjkit's NE does not report them.
	for _, k := range []int{2, 5} {
		for _, c := range got[k] {
			r.timestamp(c, field+"."+c.name.Local)
		}
	}
	for _, k := range []int{3, 4, 6} {
		for _, c := range got[k] {
			r.integer(c, field+"."+c.name.Local, "xs:integer")
		}
	}
	return ts
}

func (r *reader) faults(n *node, field string) []ErrorInformation {
	got := r.seq(n, field, "ListOfFaults", x1("unresolvedFault", 0, -1))
	var fs []ErrorInformation
	for i, c := range got[0] {
		fs = append(fs, r.errorInformation(c, field+".unresolvedFault["+strconv.Itoa(i)+"]"))
	}
	return fs
}

func (r *reader) errorInformation(n *node, field string) ErrorInformation {
	var ei ErrorInformation
	got := r.seq(n, field, "ErrorInformation", x1("errorCode", 1, 1), x1("errorDescription", 1, 1))
	if len(got[0]) == 1 {
		if v, ok := r.integer(got[0][0], field+".errorCode", "xs:integer"); ok {
			if v < -1<<31 || v > 1<<31-1 {
				r.p.add(ErrUnsupported, "x1-integer", schemaSource("ErrorInformation"), field+".errorCode", "an error code outside 32 bits")
			} else {
				ei.Code = int(v)
			}
		}
	}
	if len(got[1]) == 1 {
		ei.Description, _ = r.leaf(got[1][0], field+".errorDescription", "xs:string")
	}
	return ei
}

// allRequestTypes lists the values of the schema's RequestMessageType.
func allRequestTypes() []MessageType {
	return []MessageType{ActivateTask, ModifyTask, DeactivateTask, "DeactivateAllTasks", GetTaskDetails,
		CreateDestination, ModifyDestination, RemoveDestination, "RemoveAllDestinations", GetDestinationDetails,
		"GetNEStatus", "GetAllDetails", "GetAllTaskDetails", "GetAllDestinationDetails", "GetAllGenericObjectDetails",
		ListAllDetails, "ReportTaskIssue", "ReportDestinationIssue", "ReportNEIssue", Ping, Keepalive,
		"CreateObject", "ModifyObject", "GetObject", "DeleteObject", "ListObjectsOfType", "DeleteAllObjects",
		"ExtendedRequestMessageType"}
}
