// Package handover delivers an agency's encoded records over its handover
// interfaces — HI2 for IRI, HI3 for CC (ETSI TS 102 232-1 §6) — to the
// receiver (the LEMF; in Belgium the NTSU-CTIF), as intercept.Handover.
//
// Each interface is one TCP connection, optionally TLS with mutual
// authentication, kept up with reconnects whose wait doubles from
// MinBackoff to MaxBackoff and returns to MinBackoff once the receiver has
// answered a keep-alive.
//
// # Never waiting, never losing silently
//
// Deliver copies the record into the link's queue, a ring of QueueBytes,
// and returns: the capture never waits on the network. When the queue is
// full the record is refused (ErrQueueFull) and counted; the queue is
// never trimmed of what it accepted, so what the receiver gets stays an
// unbroken run, and each refusal is a sequence-number gap the pipeline
// counted (intercept/pipeline).
//
// # Keep-alives and checkpoints
//
// A keep-alive goes out when the link has been idle for the profile's
// KeepAliveInterval — idle meaning nothing queued and nothing left in the
// kernel's send queue (TCP_INFO tcpi_notsent_bytes on Linux): OpenLI found
// keep-alive responses timing out behind a backlog the kernel still held
// (OpenLI issue #39). Its response is awaited for KeepAliveTimeout,
// counted from the moment the kernel has sent the keep-alive.
//
// A keep-alive response proves the receiver has read everything sent
// before the keep-alive, so it is a checkpoint: the queue keeps what was
// sent after the last checkpoint and, after a reconnect, sends again from
// there. The receiver may see duplicates (which intercept/lemf reports),
// never a hole. Under load, a keep-alive also goes out whenever a quarter
// of the queue is sent but unconfirmed, so that the queue keeps moving.
//
// A response that is late or carries the wrong number, any other bytes
// from the receiver, a write that makes no progress within
// KeepAliveTimeout, or a closed connection drops the connection and
// reconnects.
//
// # The disk spool
//
// With Config.SpoolDir, an append-only spool on disk stands behind each
// link's memory queue. When the memory queue is full — the receiver is
// down or slower than the capture — records go to segment files instead,
// and every later record follows them there until the spool has drained,
// so the order never changes. As keep-alive responses confirm what was
// sent, the writer reads the spool back into memory, whole PDUs at a
// time, and deletes each segment once every record in it is confirmed.
// SpoolBytes bounds the disk used; past it records are refused, as past
// the memory queue, each a counted gap.
//
// A segment holds PDUs back to back and nothing else, so reading one
// needs no index and a record torn by a crash is found by framing: at the
// next start it is cut off, and the bytes counted as Damaged. Spooled
// records are written out and fsynced every SpoolSync. Close keeps what
// the receiver has not confirmed, memory queue included, in the spool,
// and the next Handover on the directory sends it before anything new
// (Recovered). A process killed without Close loses its memory queue —
// the records before the first spooled one — but not the spool. After a
// restart the receiver may get again records of a segment it had partly
// confirmed: duplicates, which it recognises by their numbers, never a
// hole.
//
// Keeping these records across a restart is safe for the receiver's
// numbering: they carry the numbers of the run that made them, and the
// pipeline's CIN reset, which follows them, announces the new run's
// numbering from 0.
//
// # What a crash lost, bounded
//
// Beside its segments each link keeps a ledger (a 4 KiB file, "ledger",
// mapped into memory with mmap(2) where the system has it): how many
// records Deliver accepted, how many of them may have reached the
// receiver — every record wholly written, counted before each write — and
// how many the receiver confirmed, each with the stream offset where it
// ends. Writing it is a store into memory, no system call per record;
// the kernel holds the mapped page, so a process killed at any instant
// (SIGKILL, the OOM killer, a panic) leaves the ledger exactly as it was,
// and each spool sync msyncs it with the segments.
//
// A restart compares it with the records it finds whole in the spool and
// reports (LinkStats.Spool.Crash, and a warning in the log) that the
// crash lost between Min and Max records: Min accepted records that were
// never wholly written and are not on disk — lost for certain — and Max
// adds those written but not confirmed, which the receiver may have read.
// A test kills a producer a dozen times, with the receiver reading and
// with it stalled so that the producer spools, and checks that the
// records the receiver never got lie in the bound each time. After a
// power cut the bound counts only what the ledger's last sync saw
// (Config.SpoolSync). A link without a spool keeps no ledger and can
// bound nothing.
//
// How the receiver learns of it: nothing in TS 102 232-1 can carry a
// count of lost records, and numbers alone cannot show a loss at the end
// of a run. Over X2/X3 the pipeline keeps its numbering across restarts
// (intercept/pipeline: it continues past the numbers it reserved), so
// the mediation function sees the loss as a skip — at most the
// reservation more than the loss — and passes it on as a gap. Over
// HI2/HI3 the pipeline's CIN reset tells the receiver that the sender
// restarted; the bound is for the operator to pass on, from Stats or the
// log.
//
// # X2/X3 to a mediation function
//
// With Config.Protocol X2X3 the same machinery carries a point of
// interception's TS 103 221-2 X2 and X3 PDUs (package x2x3) to a mediation
// function (package mediation) instead: the links are named X2 and X3,
// keep-alives are X2/X3 Keepalive PDUs whose KeepaliveAck confirms what was
// sent before them, and the mediation function drops by sequence number
// what a reconnect sends again. Queue, spool, backoff and loss accounting
// are the same.
package handover
