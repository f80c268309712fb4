// Package x1 implements X1, the tasking interface of ETSI TS 103 221-1:
// how an administration function (ADMF) tells network elements (NEs —
// points of interception, mediation functions) which targets to intercept
// under which task, and where to deliver what they capture over X2/X3
// (TS 103 221-2, package intercept/x2x3). Each task is named by an XID, a
// UUID that every X2/X3 record of the task carries and that is an
// intercept.Task's ID; each destination by a DID.
//
// # Version
//
// ccjkit implements the messages below as the X1 XML schema version 1.22.1
// defines them (TS_103_221_01.xsd, namespace
// http://uri.etsi.org/03221/X1/2017/10, with TS 103 280's common types
// version 2.15.1), from ETSI's schema repository
// https://forge.etsi.org/rep/li/schemas-definitions; the latest published
// edition of the specification seen is TS 103 221-1 V1.21.1 (2025-08).
// Every message ccjkit writes states "v1.22.1" (SchemaVersion); it reads
// any v1.N.M. The schemas are kept verbatim in testdata/schemas with their
// source and licence, and the tests have xmllint (libxml2) validate every
// message ccjkit writes, and hand-written examples, against them.
//
// # What is implemented
//
//   - Messages: ActivateTask, ModifyTask, DeactivateTask, GetTaskDetails,
//     ListAllDetails, CreateDestination, ModifyDestination,
//     RemoveDestination, GetDestinationDetails, Ping, Keepalive, their
//     responses, ErrorResponse and X1TopLevelErrorResponse.
//   - Targets: the kinds intercept.Target has — an IPv4 or IPv6 address
//     (ipv4Address, ipv6Address), a prefix (ipv4Cidr, ipv6Cidr) and a
//     username as a network access identifier (nai). Mediation details
//     (LIID, HI2/HI3 delivery, start and end) for a function that hands
//     over to the agency; TaskDetails.InterceptTask turns such a task into
//     an intercept.Task.
//   - Destinations: an IP address and TCP port.
//   - Strict decoding (DecodeRequest, DecodeResponse, Limits): exactly what
//     the schema accepts for these messages — order, cardinality,
//     namespaces, xsi:type, value patterns — and nothing an XML document may
//     hide: no DOCTYPE (so no entity declaration or expansion), bounded
//     size, depth, element count, text and messages. Every problem is
//     reported at once in a *provenance.Problems, each naming the element's
//     path, line and column and the schema type, never the value found.
//     Anything the schema allows but ccjkit does not implement (other
//     target kinds, product IDs, service types, extensions, destination
//     sets, UDP delivery, the other request types) is refused with
//     ErrUnsupported or its kin, never silently dropped: dropping a field
//     could change what is intercepted.
//   - Transport: HTTPS POST with mutual TLS, crypto/tls only, TLS 1.2 or
//     later, client certificates required and verified against a CA pool,
//     loaded from PEM files (LoadServerTLS, LoadClientTLS). Client is the
//     ADMF side; Server, an http.Handler, the NE side, applying each message
//     to an NE and answering with TS 103 221-1's error codes (ErrorCode);
//     Memory is an NE that keeps tasks and destinations.
//
// # What is not
//
// DeactivateAllTasks, RemoveAllDestinations, GetNEStatus, GetAll*Details,
// the NE-to-ADMF reports (ReportTaskIssue and the like, which need the NE
// to be an HTTP client too), generic objects, and the NE identifier bound to
// the NE's certificate (1050): they are answered UnsupportedRequest. The
// error codes come from the code list as sipgate's li-lib-x1x2x3 carries
// it, and the Content-Type (application/xml, text/xml accepted) from
// practice: neither was re-checked in the specification's text.
package x1
