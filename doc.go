// Package ccjkit helps small Internet access providers — community and
// associative ISPs such as Neutrinet asbl and the members of the FFDN —
// carry out their legal duty to cooperate with Belgian judicial authorities,
// in code they can read, test and show to a judge.
//
// Belgian operators must run a Justice Coordination Cell (Cellule de
// Coordination de la Justice, CCJ): a cell on Belgian territory, reachable
// 24 hours a day, whose security-cleared members answer judicial
// requisitions — identify a subscriber, hand over traffic and location data,
// intercept communications in real time and deliver them to the federal
// police's central facility (NTSU-CTIF) — within the legal deadlines, under
// professional secrecy, on clocks synchronised to a reliable source, for a
// fixed indemnity per request. Refusing or answering late is an offence. The
// commercial systems that do this for large operators are out of reach of a
// volunteer-run ISP; ccjkit is the library they import instead.
//
// # Packages
//
// timesync is the lowest layer: Belgian civil time with its tz data embedded,
// a second-precision Timestamp, parsing of Belgian wall-clock input that
// refuses the skipped spring hour and makes the repeated autumn hour
// explicit, an injectable Clock, and the check that this machine's clock is
// synchronised, good to the second and traceable to GPS, PPS or an atomic
// clock (NTP and chronyd). Its sub-package timesynctest has a fake clock and
// rapid generators of Brussels instants for property tests, yours included.
//
// provenance says where each legal figure comes from: a Source (instrument,
// article, edition) graded by its Certainty, and the one vocabulary of what
// a check found — Severity, Finding and the one problem-list error type,
// *provenance.Problems, that every check and decoder returns.
//
// requisition models what an authority may order (identification,
// traffic and location data, interception, extended computer search, forced
// cooperation), who may order it and under which conditions, what it asks
// for, until when it is valid, when the answer is due and what a refusal
// costs. Its register records a case's life in an encrypted, hash-chained
// journal, hands technicians need-to-know work orders and counts statistics
// that reveal no single case. Under it, requisition/register/journal is the
// append-only, hash-chained, signed store itself, which knows nothing of
// cases and can hold any other sealed log; requisition/register/journal/pgjournal
// keeps the same journal in PostgreSQL, for a cell whose members work from
// several machines, the server holding only ciphertext and hashes.
//
// ccj is the cell itself: its members, their security advice and its
// five-year renewal, the 24/7 on-call rota and its gaps, who is on call now,
// and the compliance report and contact sheet for the regulator.
//
// intake takes requisitions in as they arrive — an e-mail from the mail
// server's pipe first — and records each, sealed and once, in the register
// before anyone reads it, with the second it reached the cell and what the
// mail server found of its sender. paging wakes the member on call: pages
// that say only a case number and how to acknowledge, over ntfy, Matrix,
// webhooks, SMS or e-mail, retried and failed over channel by channel, and
// an escalation to the backup, the list and everyone that is a pure
// function of what the register recorded, so that a restart repeats and
// loses nothing. The same escalation carries the cell's alerts: a clock
// that cannot be vouched for, a register that does not verify, a gap in the
// rota, an advice about to expire, a retention purge that failed.
//
// retention keeps who had which address when, for exactly the period in
// force, and answers "who had this address and port at this second" under
// a work order; retention/pgretention keeps the same in PostgreSQL, and
// retention/retentiontest is the conformance suite both pass.
//
// indemnity holds the official tariff as dated editions, each line with its
// legal source, prices executed requests in exact decimals, and prints the
// claim (état de frais) in French, Dutch, German and English.
//
// intercept defines real-time interception — tasks with their LIID and
// validity, capture and session sources, records and handover, and the
// national profile of the receiver. Its sub-packages write and read the wire
// formats: intercept/etsi the ETSI TS 102 232-1/-3 PS-PDUs delivered to the
// police's receiver, intercept/x2x3 the ETSI TS 103 221-2 X2/X3 PDUs between
// a capture node and a delivery node, intercept/x1 the ETSI TS 103 221-1
// X1 tasking between the administration function and every point of
// interception, and intercept/mediation is the mediation function that
// takes X2/X3 from many points and hands it over once. tasking is the
// administration function itself: the register's lawful interception orders
// become X1 tasks on every point, ended by themselves at the order's end.
// intercept/pipeline matches packets
// and access events against the tasks and numbers the records,
// intercept/handover delivers them over HI2 and HI3 with keep-alives and
// checkpoints, intercept/capture replays pcap and pcapng files and captures
// live, intercept/radius turns RADIUS accounting into the sessions that tie
// a subscriber named in an order to an address, and intercept/lemf is a
// test receiver to rehearse against.
//
// The examples directory holds runnable programs: desk (the cell's daily
// work), clockcheck (is this clock good enough?), tap (capture, match,
// encode and hand over, or a point of interception tasked over X1),
// mediator (the mediation function) and lemf (a receiver to rehearse
// against). The repository's docs/design.md is the maintainers'
// map: the package graph, the imports that must never appear, the data flows
// and where each legal rule lives.
//
// # Legal instruments modelled
//
//   - Code of criminal procedure (Code d'instruction criminelle / Wetboek
//     van strafvordering) art. 46bis (identification), 88bis (traffic and
//     location data), 88ter (extended search of a computer system), 88quater
//     (ordered cooperation) and 90ter–90quater (interception). ccjkit holds
//     their text as it stood before the laws of 29 May 2016 (data
//     retention, in force 28 July 2016) and 25 December 2016, which
//     amended and rewrote them; it judges later orders on those later
//     texts, which it has not retrieved, with warnings only
//     (requisition.Edition).
//   - Law of 13 June 2005 on electronic communications (Telecom Act) art. 126
//     to 127/3: retention of identification, traffic and location data,
//     identification of end users, the authorities' access, and the
//     coordination cell (art. 127/3 since the law of 20 July 2022).
//   - Royal decree of 9 January 2003 on the modalities of the legal duty to
//     cooperate with judicial requests concerning electronic communications,
//     and its annex (the tariff), as amended in 2011, 2013 and 2016.
//   - Royal decree of 4 October 2023, art. 2: times recorded to the second,
//     in Belgian time with summer and winter time, on synchronised clocks.
//
// # Every legal figure carries its source
//
// A duration, an amount, a penalty or a tariff line is a value in ccjkit, not
// a constant buried in code, and it carries the instrument and article it
// comes from, the edition of the text in force, and how sure we are of it:
// [V] seen in the official text or a regulator's page, [S] from a secondary
// source (press, law firms), [U] recalled or inferred and not verified.
// Rules are chosen by the date they apply to. Where the figure the law sets
// is unknown to us, ccjkit does not invent one: the API makes the caller
// supply it and its documentation says why. The facts and their sources are
// collected in the project's legal fact sheet.
//
// # Not legal advice
//
// ccjkit is software written by engineers from public texts, some of them
// read only in part or through secondary sources. It is not legal advice and
// does not replace reading the law in force, the requisition in hand, or a
// lawyer. When ccjkit and the law disagree, the law wins; please report the
// difference.
package ccjkit
