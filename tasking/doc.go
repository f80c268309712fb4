// Package tasking is the cell's administration function (ADMF, ETSI TS
// 103 221-1): it turns the interception orders recorded in the register
// into X1 tasks on every point of interception and mediation function,
// and ends them — when a member stops them, when the case is closed,
// cancelled or expired, and by itself at the end of the order's validity.
//
// # What decides a task
//
// A task exists because a member decided it: a [Decision] recorded in the
// register (DecisionType), "start" with the LIID the agency (for Belgium,
// the NTSU-CTIF) gave for the order, or "stop". [Desired] reads the cases
// and the decisions at an instant and returns the [Order]s that must be
// active then: the case's measure is an interception, its state is one in
// which the order may be executed (lawful, in progress, answered,
// invoiced — not received, acknowledged, contested, awaiting a
// clarification, closed, expired or cancelled), a start decision is its
// latest, the order states its end (requisition.Requisition.ValidUntil)
// and that end has not come — nor the end of the window the order gives
// an address or a prefix target (requisition.Target's From and Until),
// whose start has come: a task runs only while every such window is open. Everything else is deactivated: nothing is
// intercepted that the register does not show a member decided under an
// order in force. A task starts when its latest start decision was
// recorded — unless that decision is a modification (Decision.Modifies,
// desk intercept modify: another delivery under the same LIID), which
// changes the task but not its start, so that records captured before the
// change — still in a point of interception's spool, say — stay within
// its window. An LIID names the interception at the mediation function,
// which refuses to change it (mediation.Table.Modify): a start under
// another LIID is a new task, which the ADMF deactivates and activates
// again on the NEs.
//
// # XIDs
//
// A task's XID is derived from the register's journal identity and the
// case's ID ([XIDFor]: SHA-256, in RFC 9562's version 8 form), not drawn
// at random: the same order always has the same XID, so that an ADMF that
// crashed after tasking an NE and before recording it sends the same task
// again (answered XIDAlreadyExists, taken as done), and so that the ADMF
// recognises its own tasks on an NE (the XIDs of the register's
// interception cases) and never removes another ADMF's.
//
// # Reconciling
//
// [Reconcile] brings one NE to the desired set: it lists the NE's tasks
// (ListAllDetails), activates what is missing, modifies a task whose
// targets, destinations (DIDs), LIID, delivery or window differ from the
// order's (GetTaskDetails), and deactivates every task of its own that is
// no longer desired. It returns every [Action] with its outcome, for the
// register; a failure on one task does not stop the others. [Deactivate]
// is its removing half alone, for an NE that cannot be brought to the
// desired set whole (a destination it lacks): what must end still ends.
// Run it on a schedule (desk watch does, every pass, whatever else the
// pass finds) and the end of an order's validity deactivates its task
// within one pass, whoever is awake.
//
// # Targets
//
// An X1 task designates addresses, prefixes and usernames
// (intercept.Target). A requisition may designate more (a telephone
// number, a subscriber reference, a MAC address, an address with a source
// port — one of those behind a shared address): those cannot be tasked
// as such — a member turns them into addresses or usernames first (an
// identification, package retention) — and [Targets] refuses them,
// naming each by its position and kind, never its value.
//
// # Usernames: the points of interception follow the sessions
//
// A username target is tasked once, as a username (an NAI in X1), and
// every point of interception that may carry the subscriber's traffic
// follows her sessions itself, from the RADIUS accounting it sees
// (intercept/radius: Start, Interim, Stop, a NAS's restart; examples/tap
// reads a mirror of it or receives a copy with -radius-listen). The ADMF
// does not send a ModifyTask with her addresses at each session:
//
//   - the point starts intercepting at the accounting's Start, where a
//     ModifyTask would arrive one X1 exchange later and miss the
//     session's first packets, and stops at its Stop without a second
//     exchange;
//   - the ADMF, which records every X1 exchange in the register, would
//     otherwise write her addresses there session after session, and
//     would have to be in the accounting's path;
//   - the same accounting feeds retention (package retention), so what
//     was intercepted and what an identification answers come from one
//     event stream.
//
// The price: each point that carries her traffic must see the
// accounting; one that does not intercepts nothing of her. The test
// examples/tap TestNEUser tasks a point with a username over X1 and finds
// her session's packets and IRIs at the receiver, nobody else's.
package tasking
