package main

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/conntrack"
	"github.com/ccjkit/ccjkit/retention/source/dhcp"
	"github.com/ccjkit/ccjkit/retention/source/radiusacct"
	"github.com/ccjkit/ccjkit/retention/source/static"
	"github.com/ccjkit/ccjkit/timesync"
)

// The sample sessions of the month, each in the format its source reads
// (demo_retention_sample_test.go generates them: go test ./examples/desk
// -run TestSampleSessions -update). desk retention ingest reads the
// contracts, the dnsmasq calls (with -subscribers
// sample/dhcp-subscribers.json) and the conntrack events too.
const (
	// sampleContracts: the customer database's export of static
	// contracts (package static's CSV).
	sampleContracts = "contracts.csv"
	// sampleRADIUS: the BRAS's Accounting-Requests, captured on the RADIUS
	// server's accounting port (a pcap file of Ethernet frames), read as
	// intercept/radius's Mirror reads a capture and handed to package
	// radiusacct.
	sampleRADIUS = "radius-acct.pcap"
	// sampleDHCP: dnsmasq's --dhcp-script calls, as package dhcp's
	// EncodeCall writes them.
	sampleDHCP = "dnsmasq.calls"
	// sampleConntrack: the CGNAT box's conntrack -E -o
	// timestamp,extended output.
	sampleConntrack = "conntrack.log"
	// sampleDHCPSubscribers: the routers' MAC addresses' subscribers, as
	// desk retention ingest dhcp -subscribers reads them.
	sampleDHCPSubscribers = "dhcp-subscribers.json"
	// sampleNAS and sampleRADIUSSecret: the BRAS whose accounting the
	// capture holds, and the secret it shares with the RADIUS server.
	sampleNAS          = "192.0.2.10/32"
	sampleRADIUSSecret = "sample-accounting-secret"
)

//go:embed sample/contracts.csv sample/radius-acct.pcap sample/dnsmasq.calls sample/conntrack.log
var sessionSample embed.FS

// sampleDeviceClock is the clock verdict the sample's devices' records
// carry: synchronised to the second within 20 ms. The sample states it;
// a real cell takes it from timesync.Check on each device.
var sampleDeviceClock = retention.Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 20 * time.Millisecond}

// demoPolicy is the demonstration's retention policy: the law's 12
// months for who had an address, and the operator's stated 12 months for
// NAT mappings, as desk retention's -mapping-months defaults to.
func demoPolicy() retention.Policy {
	return retention.Policy{Assignments: retention.Law2022Identification(),
		Mappings: retention.OperatorPeriod(12, "the sample cell's retention policy")}
}

// demoRetention is the demonstration's retention store, beside its
// register, and what was done with it.
type demoRetention struct {
	st        *retention.Store
	dir, keys string
	// opener is the identity the store reads with: the member acting.
	opener *actingOpener
	// feed is what the sources gave, in the order they gave it; fed how
	// much of it is ingested.
	feed    []fedRecord
	fed     int
	sources sourceCounts
	// ingested counts the records ingested, by class.
	assignments, mappings int
	// night is the next nightly run: ingest, compaction, purge.
	night   time.Time
	purges  []demoPurge
	lookups []demoLookup
	holds   []demoHold
}

// fedRecord is one record a source gave at instant at (zero: before
// the month, like the contracts file's export).
type fedRecord struct {
	at time.Time
	a  *retention.Assignment
	m  *retention.Mapping
}

// sourceCounts counts what each sample source holds.
type sourceCounts struct{ contracts, requests, calls, events int }

type demoPurge struct {
	at  timesync.Timestamp
	rep retention.PurgeReport
}

type demoLookup struct {
	caseID, actor string
	at            timesync.Timestamp
	ans           retention.Answer
}

type demoHold struct {
	hold  retention.Hold
	actor string
}

// actingOpener opens the store's keys with the identity of the member
// acting: the store is one (one process holds it), its readers are the
// cell's members.
type actingOpener struct{ id register.Identity }

func (o *actingOpener) Open(sealed []byte) ([]byte, error) { return o.id.Open(sealed) }

// openRetention opens the retention store in the demonstration's
// directory, its keys in a directory of their own beside it (never
// inside it: a backup of the data must hold no key), wrapped to the
// members' keys and pinned to the register, and reads the sample
// sessions.
func (d *demo) openRetention() error {
	ring, err := activeKeyring(d.reg)
	if err != nil {
		return err
	}
	r := &demoRetention{dir: filepath.Join(d.dir, "retention"), keys: filepath.Join(d.dir, "retention-keys"),
		opener: &actingOpener{id: d.ids[d.cell.Members[0].ID]}, night: nightRun(timesync.Day(d.from))}
	if r.feed, r.sources, err = readSessions(d.s.ctx); err != nil {
		return fmt.Errorf("sample sessions: %w", err)
	}
	r.st, _, err = retention.Open(retention.Config{Dir: r.dir, KeyDir: r.keys, Clock: d.clock, Policy: demoPolicy(),
		Keyring: ring, Opener: r.opener, Register: d.reg.JournalID()})
	if err != nil {
		return err
	}
	d.ret = r
	return nil
}

// nightRun is the nightly run of day: 03:00, Brussels time.
func nightRun(day date.Date) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 3, 0, 0, 0, timesync.Brussels())
}

// readSessions reads the sample's sources, each through its own reader,
// into the records they give in time order.
func readSessions(ctx context.Context) ([]fedRecord, sourceCounts, error) {
	var feed []fedRecord
	var n sourceCounts
	read := func(name string) ([]byte, error) { return sessionSample.ReadFile("sample/" + name) }
	clock := func() retention.Clock { return sampleDeviceClock }
	var now time.Time
	emitA := func(a retention.Assignment) error { feed = append(feed, fedRecord{at: now, a: &a}); return nil }
	emitM := func(m retention.Mapping) error { feed = append(feed, fedRecord{at: now, m: &m}); return nil }

	b, err := read(sampleContracts)
	if err != nil {
		return nil, n, err
	}
	as, err := static.Parse(bytes.NewReader(b), static.Config{Device: "crm", Clock: sampleDeviceClock})
	if err != nil {
		return nil, n, err
	}
	for _, a := range as {
		emitA(a)
	}
	n.contracts = len(as)

	// RADIUS: the capture read as a passive tap reads the accounting
	// port, each request handed to retention's reader.
	if b, err = read(sampleRADIUS); err != nil {
		return nil, n, err
	}
	src, err := capture.NewFile(bytes.NewReader(b))
	if err != nil {
		return nil, n, err
	}
	acct, err := radiusacct.New(radiusacct.Config{Device: "radius-1", Clock: clock, Identity: radiusacct.Class, Emit: emitA})
	if err != nil {
		return nil, n, err
	}
	mirror, err := radius.NewMirror(src, radius.Config{
		Clients:   []radius.Client{{Prefix: netip.MustParsePrefix(sampleNAS), Secret: []byte(sampleRADIUSSecret)}},
		OnRequest: func(r *radius.Request, pkt []byte) error { now = r.Event.Time; return acct.Request(r, pkt) }})
	if err != nil {
		return nil, n, err
	}
	if err := mirror.Sessions(ctx, func(intercept.AccessEvent) {}); err != nil {
		return nil, n, err
	}
	if st := mirror.Stats(); st.Received == 0 || st.Malformed+st.NotAuthentic+st.UnknownClient+st.Refused+st.Truncated != 0 || acct.Stats().Unmapped != 0 {
		return nil, n, fmt.Errorf("%s: %s", sampleRADIUS, st)
	}
	n.requests = int(mirror.Stats().Received)

	// DHCP: dnsmasq's calls, the subscribers by the routers' MAC
	// addresses.
	var subs struct {
		MAC map[string]retention.Subscriber `json:"mac"`
	}
	if err := readSample(sampleDHCPSubscribers, &subs); err != nil {
		return nil, n, err
	}
	leases, err := dhcp.NewLeases(dhcp.Config{Device: "dhcp-1", Clock: clock, Subscribers: dhcp.Subscribers{ByMAC: subs.MAC}})
	if err != nil {
		return nil, n, err
	}
	if b, err = read(sampleDHCP); err != nil {
		return nil, n, err
	}
	err = eachLine(b, func(line []byte) error {
		c, err := dhcp.ParseCall(line)
		if err != nil {
			return err
		}
		now, n.calls = c.Time.Time(), n.calls+1
		return leases.Line(line, emitA)
	})
	if err != nil {
		return nil, n, fmt.Errorf("%s: %w", sampleDHCP, err)
	}
	if leases.Stats().Unmapped != 0 {
		return nil, n, fmt.Errorf("%s: a lease no subscriber maps", sampleDHCP)
	}

	// CGNAT: conntrack's events, paired into mappings.
	nat, err := conntrack.NewReader(conntrack.Config{Device: "cgnat-1", Clock: clock})
	if err != nil {
		return nil, n, err
	}
	if b, err = read(sampleConntrack); err != nil {
		return nil, n, err
	}
	err = eachLine(b, func(line []byte) error {
		ev, err := conntrack.ParseLine(line)
		if err != nil {
			return err
		}
		now, n.events = ev.Time, n.events+1
		return nat.Line(line, emitM)
	})
	if err != nil {
		return nil, n, fmt.Errorf("%s: %w", sampleConntrack, err)
	}
	slices.SortStableFunc(feed, func(a, b fedRecord) int { return a.at.Compare(b.at) })
	return feed, n, nil
}

// eachLine calls f with each line of b that is not empty.
func eachLine(b []byte, f func([]byte) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, maxFile)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		if err := f(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// session keys: what a source says again of one session when it
// reports it lasting, then ended (retention's sessionOf).
type assignmentKey struct {
	sub    retention.Subscriber
	prefix netip.Prefix
	ports  retention.PortRange
	from   timesync.Timestamp
	kind   retention.SourceKind
	device string
}

type mappingKey struct {
	public, inside netip.Addr
	ports          retention.PortRange
	insidePort     uint16
	protocol       uint8
	from           timesync.Timestamp
	device         string
}

func keyOfAssignment(a retention.Assignment) assignmentKey {
	return assignmentKey{a.Subscriber, a.Prefix, a.Ports, a.From, a.Source.Kind, a.Source.Device}
}

func keyOfMapping(m retention.Mapping) mappingKey {
	return mappingKey{m.Public, m.Inside, m.Ports, m.InsidePort, m.Protocol, m.From, m.Source.Device}
}

// ingestUntil ingests what the sources gave up to instant t, in one
// batch per class: a session the batch both opens and closes goes in
// closed only, as a reader that ingests its sources once a night does
// (the store files a lasting record under the day it is ingested, an
// ended one under the day of its last second).
func (r *demoRetention) ingestUntil(t time.Time) error {
	end := r.fed
	for end < len(r.feed) && !r.feed[end].at.After(t) {
		end++
	}
	batch := r.feed[r.fed:end]
	closedA, closedM := map[assignmentKey]bool{}, map[mappingKey]bool{}
	for _, f := range batch {
		if f.a != nil && !f.a.Open() {
			closedA[keyOfAssignment(*f.a)] = true
		}
		if f.m != nil && !f.m.Open() {
			closedM[keyOfMapping(*f.m)] = true
		}
	}
	var as []retention.Assignment
	var ms []retention.Mapping
	for _, f := range batch {
		switch {
		case f.a != nil && !(f.a.Open() && closedA[keyOfAssignment(*f.a)]):
			as = append(as, *f.a)
		case f.m != nil && !(f.m.Open() && closedM[keyOfMapping(*f.m)]):
			ms = append(ms, *f.m)
		}
	}
	if len(as) > 0 {
		if err := r.st.IngestAssignments(as); err != nil {
			return err
		}
	}
	if len(ms) > 0 {
		if err := r.st.IngestMappings(ms); err != nil {
			return err
		}
	}
	r.fed, r.assignments, r.mappings = end, r.assignments+len(as), r.mappings+len(ms)
	return nil
}

// nightly runs each night's job from the last one to upTo, as the
// member on call: ingest what the sources wrote since, compact the days
// that are over, purge the periods whose retention has ended.
func (d *demo) nightly(upTo time.Time) error {
	r := d.ret
	for !r.night.After(upTo) {
		at := r.night
		d.clock.Set(at)
		r.opener.id = d.ids[d.onCall(at)]
		if err := r.ingestUntil(at); err != nil {
			return fmt.Errorf("the night of %s: %w", timesync.Day(at), err)
		}
		if _, err := r.st.Compact(); err != nil {
			return fmt.Errorf("the night of %s: %w", timesync.Day(at), err)
		}
		rep, err := r.st.Purge()
		if err != nil {
			return fmt.Errorf("the night of %s: %w", timesync.Day(at), err)
		}
		if len(rep.Destroyed) > 0 {
			r.purges = append(r.purges, demoPurge{timesync.FromTime(at), rep})
		}
		r.night = nightRun(timesync.Day(at).AddDate(0, 0, 1))
	}
	return nil
}

// atSecond returns the instants a work order asks about to the second:
// its ip targets whose window is one second.
func atSecond(wo register.WorkOrder) []requisition.Target {
	var out []requisition.Target
	for _, l := range wo.Lookups {
		t := l.Target
		if t.Kind == requisition.TargetIP && !t.From.IsZero() && t.Until.Time().Sub(t.From.Time()) == time.Second {
			out = append(out, t)
		}
	}
	return out
}

// lastWorkOrder returns the case's latest work order, as the member
// handling it reads it from their register.
func lastWorkOrder(reg *register.Register, id string) (register.WorkOrder, error) {
	if err := reg.Refresh(); err != nil {
		return register.WorkOrder{}, err
	}
	c, _ := reg.Case(id)
	if len(c.WorkOrders) == 0 {
		return register.WorkOrder{}, errors.New("no work order")
	}
	return c.WorkOrders[len(c.WorkOrders)-1], nil
}

// playLookup looks up, under the case's latest work order, each address
// it asks about at a second: by the member handling the case, through
// their register, which authorises the lookup and records it before the
// store answers.
func (d *demo) playLookup(id, actor string) error {
	reg := d.regs[actor]
	wo, err := lastWorkOrder(reg, id)
	if err != nil {
		return err
	}
	ts := atSecond(wo)
	if len(ts) == 0 {
		return errors.New("the work order asks about no address at a second")
	}
	d.ret.opener.id = d.ids[actor]
	for _, t := range ts {
		ans, err := d.ret.st.Lookup(reg, retention.Request{Ref: wo.Ref, By: actor, Addr: t.Addr, Port: t.Port, At: t.From}, actor)
		if err != nil {
			return err
		}
		d.ret.lookups = append(d.ret.lookups, demoLookup{id, actor, timesync.Now(d.clock), ans})
	}
	return nil
}

// playHold places a preservation hold for the case on the addresses its
// latest work order asks about, for their windows.
func (d *demo) playHold(id, actor string) error {
	wo, err := lastWorkOrder(d.regs[actor], id)
	if err != nil {
		return err
	}
	var targets []retention.HoldTarget
	var from, until timesync.Timestamp
	for _, t := range atSecond(wo) {
		targets = append(targets, retention.HoldTarget{Prefix: netip.PrefixFrom(t.Addr, t.Addr.BitLen())})
		if from.IsZero() || t.From.Before(from) {
			from = t.From
		}
		if t.Until.After(until) {
			until = t.Until
		}
	}
	d.ret.opener.id = d.ids[actor]
	h, err := d.ret.st.PlaceHold(id, targets, from, until)
	if err != nil {
		return err
	}
	d.ret.holds = append(d.ret.holds, demoHold{h, actor})
	return nil
}

// lookupResult is the technician's result data of a case answered by
// lookup: what the store said (a case's data, sealed in the register).
func (d *demo) lookupResult(id string) string {
	var parts []string
	for _, l := range d.ret.lookups {
		if l.caseID != id {
			continue
		}
		switch subs := l.ans.Subscribers(); {
		case destroyedAnswer(l.ans):
			parts = append(parts, "retention lookup: the data of that day were destroyed at the end of their retention period")
		case l.ans.Ambiguous():
			parts = append(parts, fmt.Sprintf("retention lookup: ambiguous, %d subscribers", len(subs)))
		default:
			parts = append(parts, fmt.Sprintf("retention lookup: subscriber %s", subs[0]))
		}
	}
	return strings.Join(parts, "; ")
}

// destroyedAnswer reports whether an answer found nothing because the
// retention period of the day asked about is over.
func destroyedAnswer(a retention.Answer) bool {
	return len(a.Candidates) == 0 && slices.Contains(a.Ambiguities, retention.PeriodOver)
}

// showRetention writes the store's part of the month: the sources, each
// identification's lookup and answer, the holds, the purges, the lookups
// the register recorded and the store's verification.
func (d *demo) showRetention() error {
	r, p, tag, out := d.ret, d.p, d.s.tag, d.s.out
	d.section("Identifications answered by lookup in the retention store")
	fmt.Fprintln(out, p.Sprintf("Store: %[1]s, its keys apart in %[2]s, wrapped to %[3]d {3:member|members}", r.dir, r.keys, len(d.cell.Members)))
	pol := demoPolicy()
	fmt.Fprintln(out, p.Sprintf("kept: who had an address %[1]d months (law of 20 July 2022 %[2]s); NAT mappings %[3]d months (the operator's decision %[4]s)",
		pol.Assignments.Months, pol.Assignments.Source.Certainty, pol.Mappings.Months, pol.Mappings.Source.Certainty))
	fmt.Fprintln(out, p.Sprintf("Each night at 03:00 the member on call ingests what the sources wrote, compacts the days that are over and purges the periods past their end. The sources (the devices' clocks taken as synchronised within %d ms, sample data):", sampleDeviceClock.ErrorBound/time.Millisecond))
	for _, l := range [][2]string{
		{p.Sprintf("static contracts"), p.Sprintf("%[1]s: %[2]d {2:contract|contracts}", "sample/"+sampleContracts, r.sources.contracts)},
		{p.Sprintf("RADIUS accounting"), p.Sprintf("%[1]s: %[2]d {2:request|requests} captured on the accounting port", "sample/"+sampleRADIUS, r.sources.requests)},
		{p.Sprintf("DHCP leases"), p.Sprintf("%[1]s: %[2]d {2:call|calls} of dnsmasq's script", "sample/"+sampleDHCP, r.sources.calls)},
		{p.Sprintf("CGNAT mappings"), p.Sprintf("%[1]s: %[2]d conntrack {2:event|events}", "sample/"+sampleConntrack, r.sources.events)},
	} {
		fmt.Fprintf(out, "  %-22s %s\n", l[0], l[1])
	}
	fmt.Fprintln(out, "  "+p.Sprintf("ingested: %[1]d {1:assignment|assignments}, %[2]d NAT {2:mapping|mappings}", r.assignments, r.mappings))

	for _, l := range r.lookups {
		fmt.Fprintln(out)
		fmt.Fprintln(out, p.Sprintf("%[1]s  lookup by %[2]s under %[3]s, %[4]s", l.caseID, l.actor, l.ans.Ref, l.at.Display(tag)))
		fmt.Fprintln(out, "    "+p.Sprintf("asked: %[1]s at %[2]s", addrPort(l.ans.Addr, l.ans.Port), l.ans.At.Display(tag)))
		d.showAnswer(l.ans)
	}

	hs, err := r.st.Holds()
	if err != nil {
		return err
	}
	events := r.st.Events()
	fmt.Fprintln(out)
	fmt.Fprintln(out, p.Sprintf("Preservation holds: %[1]d", len(hs)))
	for _, h := range hs {
		state := p.Sprintf("in force")
		if !h.Lifted.IsZero() {
			state = p.Sprintf("lifted %s", h.Lifted.Display(tag))
		}
		var ts []string
		for _, t := range h.Targets {
			if t.Prefix.IsValid() {
				ts = append(ts, t.Prefix.String())
			} else {
				ts = append(ts, string(t.Subscriber))
			}
		}
		by := ""
		for _, dh := range r.holds {
			if dh.hold.ID == h.ID {
				by = dh.actor
			}
		}
		fmt.Fprintln(out, "  "+p.Sprintf("%[1]s, case %[2]s: %[3]s, from %[4]s to %[5]s; placed %[6]s by %[7]s, %[8]s",
			h.ID, h.Case, strings.Join(ts, " "), h.From.Display(tag), h.Until.Display(tag), h.Placed.Display(tag), by, state))
		for _, e := range events {
			if e.Kind != retention.EventHeld || e.Hold != h.ID {
				continue
			}
			day, class := d.scope(e.Scope)
			fmt.Fprintln(out, "    "+p.Sprintf("%[1]s: %[2]d {2:record|records} of %[3]s (%[4]s) kept past the end of their period", e.At.Display(tag), e.Records, day, class))
		}
	}

	fmt.Fprintln(out)
	n, records := 0, 0
	for _, pu := range r.purges {
		for _, x := range pu.rep.Destroyed {
			n, records = n+1, records+x.Records
		}
	}
	fmt.Fprintln(out, p.Sprintf("Purges: %[1]d {1:period|periods} past the end of their retention destroyed, %[2]d {2:record|records}, their keys first", n, records))
	for _, pu := range r.purges {
		for _, x := range pu.rep.Destroyed {
			what := timesync.DisplayDay(x.Day, tag) + " " + d.className(x.Class)
			if x.Hold != "" {
				what = string(x.Hold)
			}
			fmt.Fprintln(out, "  "+p.Sprintf("%[1]s: %[2]s, %[3]d {3:record|records}, %[4]d {4:key|keys} destroyed", pu.at.Display(tag), what, x.Records, x.Keys))
		}
	}

	if err := d.reg.Refresh(); err != nil {
		return err
	}
	fmt.Fprintln(out, p.Sprintf("%[1]d {1:lookup|lookups} recorded in the register, sealed and signed: who asked, when, under which work order, how many candidates", len(d.reg.Lookups())))
	rep, err := r.st.Verify()
	if err != nil {
		return fmt.Errorf("the demonstration's retention store does not verify: %w", err)
	}
	fmt.Fprintln(out, p.Sprintf("retention store intact: %d files, %d blocks, %d records", rep.Files, rep.Blocks, rep.Records))
	return nil
}

// showAnswer writes what the store answered: the one subscriber with
// the records that lead to them; for an ambiguous answer, how many
// candidates and subscribers and why, no reference given; for a day
// whose data were destroyed, when and by which purge.
func (d *demo) showAnswer(a retention.Answer) {
	p, tag, out := d.p, d.s.tag, d.s.out
	subs := a.Subscribers()
	switch {
	case destroyedAnswer(a):
		day := a.At.Day()
		for _, pu := range d.ret.purges {
			records := 0
			for _, x := range pu.rep.Destroyed {
				if x.Day == day {
					records += x.Records
				}
			}
			if records > 0 {
				fmt.Fprintln(out, "    "+p.Sprintf("answer: destroyed — the purge of %[1]s shredded the data of %[2]s at the end of their retention period (%[3]d {3:record|records}, their keys destroyed first): no record can answer any more, and the store says so rather than \"nothing found\"",
					pu.at.Display(tag), timesync.DisplayDay(day, tag), records))
				return
			}
		}
		fmt.Fprintln(out, "    "+p.Sprintf("answer: the retention period of %s is over: the store no longer answers from that day", timesync.DisplayDay(day, tag)))
	case a.Ambiguous():
		fmt.Fprintln(out, "    "+p.Sprintf("answer: ambiguous — %[1]d {1:candidate|candidates}, %[2]d {2:subscriber|subscribers}; no reference is given out until the authority names the port", len(a.Candidates), len(subs)))
		for _, x := range a.Ambiguities {
			fmt.Fprintln(out, "    "+p.Sprintf("ambiguous: %s", p.Sprintf(x.Text())))
		}
	default:
		fmt.Fprintln(out, "    "+p.Sprintf("answer: one subscriber, %s", subs[0]))
		for _, c := range a.Candidates {
			as := c.Assignment
			fmt.Fprintf(out, "      %s  %s  %s %s  %s → %s\n", c.Subscriber, as.Prefix, as.Source.Kind, as.Source.Device,
				as.From.Display(tag), untilText(p, as.Until.IsZero(), as.Until.Display(tag)))
			if m := c.Mapping; m != nil {
				fmt.Fprintln(out, "      "+p.Sprintf("through %[1]s: %[2]s was %[3]s from %[4]s to %[5]s", m.Source.Device,
					addrPort(m.Public, a.Port), addrPort(m.Inside, m.InsidePort), m.From.Display(tag), untilText(p, m.Until.IsZero(), m.Until.Display(tag))))
			}
		}
	}
}

// scope reads a period's scope ("2025-11-29.mappings") for people: its
// day in the session's language and its class.
func (d *demo) scope(sc string) (day, class string) {
	ds, cs, _ := strings.Cut(sc, ".")
	if dd, err := timesync.ParseDay(ds); err == nil {
		ds = timesync.DisplayDay(dd, d.s.tag)
	}
	for _, c := range retention.Classes() {
		if c.String() == cs {
			cs = d.className(c)
		}
	}
	return ds, cs
}

// className names a class of retained data.
func (d *demo) className(c retention.Class) string {
	if c == retention.ClassMappings {
		return d.p.Sprintf("NAT mappings")
	}
	return d.p.Sprintf("assignments")
}

// demoRetentionSentences are the sentences of the demonstration's
// retention part, for messages.go.
func demoRetentionSentences() [][]string {
	return [][]string{
		// the sample month's cases the store answers, as the demonstration
		// introduces them
		{"an identification of a CGNAT address and port a year back: the data of that day were destroyed at the end of their retention period, and the lookup says so",
			"une identification d'une adresse et d'un port CGNAT d'il y a un an : les données de ce jour ont été détruites à la fin de leur période de conservation, et la recherche le dit",
			"een identificatie van een CGNAT-adres en -poort van een jaar geleden: de gegevens van die dag werden vernietigd aan het einde van hun bewaartermijn, en de opzoeking zegt het",
			"eine Identifizierung einer CGNAT-Adresse mit Port von vor einem Jahr: die Daten dieses Tages wurden am Ende ihrer Aufbewahrungsfrist vernichtet, und die Abfrage sagt es"},
		{"an identification of a shared CGNAT address without a port: the lookup finds several subscribers, so the cell asks the parquet for the source port and places a preservation hold before that day's data reach the end of their period; still open at the end of the month",
			"une identification d'une adresse CGNAT partagée sans port : la recherche trouve plusieurs abonnés, la cellule demande donc le port source au parquet et pose un gel de conservation avant que les données de ce jour n'arrivent en fin de période ; encore ouverte en fin de mois",
			"een identificatie van een gedeeld CGNAT-adres zonder poort: de opzoeking vindt meerdere abonnees, dus vraagt de cel het parket om de bronpoort en plaatst een bewaring voordat de gegevens van die dag het einde van hun termijn bereiken; aan het einde van de maand nog open",
			"eine Identifizierung einer geteilten CGNAT-Adresse ohne Port: die Abfrage findet mehrere Teilnehmer, also bittet die Zelle die Staatsanwaltschaft um den Quellport und setzt eine Sicherungsanordnung, bevor die Daten dieses Tages das Ende ihrer Frist erreichen; am Monatsende noch offen"},
		{"Identifications answered by lookup in the retention store", "Identifications répondues par une recherche dans la base de conservation",
			"Identificaties beantwoord door een opzoeking in de bewaaropslag", "Identifizierungen, beantwortet durch eine Abfrage im Vorratsspeicher"},
		{"Store: %[1]s, its keys apart in %[2]s, wrapped to %[3]d {3:member|members}", "Base : %[1]s, ses clés à part dans %[2]s, chiffrées pour %[3]d {3:membre|membres}",
			"Opslag: %[1]s, de sleutels apart in %[2]s, versleuteld voor %[3]d {3:lid|leden}", "Speicher: %[1]s, die Schlüssel getrennt in %[2]s, verschlüsselt für %[3]d {3:Mitglied|Mitglieder}"},
		{"kept: who had an address %[1]d months (law of 20 July 2022 %[2]s); NAT mappings %[3]d months (the operator's decision %[4]s)",
			"conservé : qui avait une adresse %[1]d mois (loi du 20 juillet 2022 %[2]s) ; correspondances NAT %[3]d mois (décision de l'opérateur %[4]s)",
			"bewaard: wie een adres had %[1]d maanden (wet van 20 juli 2022 %[2]s); NAT-koppelingen %[3]d maanden (beslissing van de operator %[4]s)",
			"aufbewahrt: wer eine Adresse hatte %[1]d Monate (Gesetz vom 20. Juli 2022 %[2]s); NAT-Zuordnungen %[3]d Monate (Entscheidung des Betreibers %[4]s)"},
		{"Each night at 03:00 the member on call ingests what the sources wrote, compacts the days that are over and purges the periods past their end. The sources (the devices' clocks taken as synchronised within %d ms, sample data):",
			"Chaque nuit à 03:00, le membre de garde ingère ce que les sources ont écrit, compacte les jours terminés et purge les périodes échues. Les sources (horloges des appareils tenues pour synchronisées à %d ms près, données d'exemple) :",
			"Elke nacht om 03:00 leest het lid van wacht in wat de bronnen schreven, compacteert de voorbije dagen en wist de verstreken periodes. De bronnen (klokken van de toestellen als gesynchroniseerd beschouwd binnen %d ms, voorbeeldgegevens):",
			"Jede Nacht um 03:00 liest das diensthabende Mitglied ein, was die Quellen schrieben, verdichtet die vergangenen Tage und löscht die abgelaufenen Zeiträume. Die Quellen (Uhren der Geräte als auf %d ms genau synchronisiert angenommen, Beispieldaten):"},
		{"static contracts", "contrats fixes", "vaste contracten", "feste Verträge"},
		{"RADIUS accounting", "comptabilité RADIUS", "RADIUS-accounting", "RADIUS-Abrechnung"},
		{"DHCP leases", "baux DHCP", "DHCP-leases", "DHCP-Leases"},
		{"CGNAT mappings", "correspondances CGNAT", "CGNAT-koppelingen", "CGNAT-Zuordnungen"},
		{"%[1]s: %[2]d {2:contract|contracts}", "%[1]s : %[2]d {2:contrat|contrats}", "%[1]s: %[2]d {2:contract|contracten}", "%[1]s: %[2]d {2:Vertrag|Verträge}"},
		{"%[1]s: %[2]d {2:request|requests} captured on the accounting port", "%[1]s : %[2]d {2:requête capturée|requêtes capturées} sur le port de comptabilité",
			"%[1]s: %[2]d {2:verzoek|verzoeken} opgevangen op de accountingpoort", "%[1]s: %[2]d am Abrechnungsport {2:mitgeschnittene Anfrage|mitgeschnittene Anfragen}"},
		{"%[1]s: %[2]d {2:call|calls} of dnsmasq's script", "%[1]s : %[2]d {2:appel|appels} du script de dnsmasq", "%[1]s: %[2]d {2:aanroep|aanroepen} van het script van dnsmasq", "%[1]s: %[2]d {2:Aufruf|Aufrufe} des dnsmasq-Skripts"},
		{"%[1]s: %[2]d conntrack {2:event|events}", "%[1]s : %[2]d {2:événement|événements} conntrack", "%[1]s: %[2]d conntrack-{2:gebeurtenis|gebeurtenissen}", "%[1]s: %[2]d conntrack-{2:Ereignis|Ereignisse}"},
		{"ingested: %[1]d {1:assignment|assignments}, %[2]d NAT {2:mapping|mappings}", "ingéré : %[1]d {1:attribution|attributions}, %[2]d {2:correspondance|correspondances} NAT",
			"ingelezen: %[1]d {1:toewijzing|toewijzingen}, %[2]d NAT-{2:koppeling|koppelingen}", "eingelesen: %[1]d {1:Zuweisung|Zuweisungen}, %[2]d NAT-{2:Zuordnung|Zuordnungen}"},
		{"%[1]s  lookup by %[2]s under %[3]s, %[4]s", "%[1]s  recherche par %[2]s sous %[3]s, %[4]s", "%[1]s  opzoeking door %[2]s onder %[3]s, %[4]s", "%[1]s  Abfrage durch %[2]s unter %[3]s, %[4]s"},
		{"asked: %[1]s at %[2]s", "demandé : %[1]s le %[2]s", "gevraagd: %[1]s op %[2]s", "gefragt: %[1]s am %[2]s"},
		{"answer: one subscriber, %s", "réponse : un seul abonné, %s", "antwoord: één abonnee, %s", "Antwort: ein einziger Teilnehmer, %s"},
		{"through %[1]s: %[2]s was %[3]s from %[4]s to %[5]s", "via %[1]s : %[2]s était %[3]s du %[4]s au %[5]s", "via %[1]s: %[2]s was %[3]s van %[4]s tot %[5]s", "über %[1]s: %[2]s war %[3]s vom %[4]s bis %[5]s"},
		{"answer: ambiguous — %[1]d {1:candidate|candidates}, %[2]d {2:subscriber|subscribers}; no reference is given out until the authority names the port",
			"réponse : ambiguë — %[1]d {1:candidat|candidats}, %[2]d {2:abonné|abonnés} ; aucune référence n'est communiquée tant que l'autorité n'a pas donné le port",
			"antwoord: dubbelzinnig — %[1]d {1:kandidaat|kandidaten}, %[2]d {2:abonnee|abonnees}; er wordt geen referentie vrijgegeven zolang de autoriteit de poort niet noemt",
			"Antwort: mehrdeutig — %[1]d {1:Kandidat|Kandidaten}, %[2]d {2:Teilnehmer|Teilnehmer}; keine Referenz wird herausgegeben, bis die Behörde den Port nennt"},
		{retention.PeriodOver.Text(), "la période de conservation des enregistrements de ce jour est échue : ils ne sont plus utilisés",
			"de bewaartermijn van de records van die dag is verstreken: ze worden niet meer gebruikt", "die Aufbewahrungsfrist der Datensätze dieses Tages ist abgelaufen: sie werden nicht mehr verwendet"},
		{"answer: destroyed — the purge of %[1]s shredded the data of %[2]s at the end of their retention period (%[3]d {3:record|records}, their keys destroyed first): no record can answer any more, and the store says so rather than \"nothing found\"",
			"réponse : détruit — la purge du %[1]s a détruit les données du %[2]s à la fin de leur période de conservation (%[3]d {3:enregistrement|enregistrements}, leurs clés détruites d'abord) : plus aucun enregistrement ne peut répondre, et la base le dit au lieu de « rien trouvé »",
			"antwoord: vernietigd — de wissing van %[1]s vernietigde de gegevens van %[2]s aan het einde van hun bewaartermijn (%[3]d {3:record|records}, eerst hun sleutels): geen record kan nog antwoorden, en de opslag zegt dat in plaats van „niets gevonden”",
			"Antwort: vernichtet — die Löschung vom %[1]s hat die Daten vom %[2]s am Ende ihrer Aufbewahrungsfrist vernichtet (%[3]d {3:Datensatz|Datensätze}, zuerst ihre Schlüssel): kein Datensatz kann mehr antworten, und der Speicher sagt das statt „nichts gefunden“"},
		{"answer: the retention period of %s is over: the store no longer answers from that day", "réponse : la période de conservation du %s est échue : la base ne répond plus à partir de ce jour",
			"antwoord: de bewaartermijn van %s is verstreken: de opslag antwoordt niet meer uit die dag", "Antwort: die Aufbewahrungsfrist vom %s ist abgelaufen: der Speicher antwortet nicht mehr aus diesem Tag"},
		{"Preservation holds: %[1]d", "Gels de conservation : %[1]d", "Bewaringen: %[1]d", "Sicherungsanordnungen: %[1]d"},
		{"%[1]s, case %[2]s: %[3]s, from %[4]s to %[5]s; placed %[6]s by %[7]s, %[8]s", "%[1]s, dossier %[2]s : %[3]s, du %[4]s au %[5]s ; posé le %[6]s par %[7]s, %[8]s",
			"%[1]s, zaak %[2]s: %[3]s, van %[4]s tot %[5]s; geplaatst op %[6]s door %[7]s, %[8]s", "%[1]s, Fall %[2]s: %[3]s, vom %[4]s bis %[5]s; gesetzt am %[6]s von %[7]s, %[8]s"},
		{"%[1]s: %[2]d {2:record|records} of %[3]s (%[4]s) kept past the end of their period", "%[1]s : %[2]d {2:enregistrement|enregistrements} du %[3]s (%[4]s) {2:gardé|gardés} au-delà de la fin de leur période",
			"%[1]s: %[2]d {2:record|records} van %[3]s (%[4]s) bewaard na het einde van hun termijn", "%[1]s: %[2]d {2:Datensatz|Datensätze} vom %[3]s (%[4]s) über das Ende ihrer Frist hinaus behalten"},
		{"Purges: %[1]d {1:period|periods} past the end of their retention destroyed, %[2]d {2:record|records}, their keys first", "Purges : %[1]d {1:période échue détruite|périodes échues détruites}, %[2]d {2:enregistrement|enregistrements}, leurs clés d'abord",
			"Wissingen: %[1]d verstreken {1:periode|periodes} vernietigd, %[2]d {2:record|records}, eerst hun sleutels", "Löschungen: %[1]d {1:abgelaufener Zeitraum|abgelaufene Zeiträume} vernichtet, %[2]d {2:Datensatz|Datensätze}, zuerst ihre Schlüssel"},
		{"%[1]s: %[2]s, %[3]d {3:record|records}, %[4]d {4:key|keys} destroyed", "%[1]s : %[2]s, %[3]d {3:enregistrement|enregistrements}, %[4]d {4:clé détruite|clés détruites}",
			"%[1]s: %[2]s, %[3]d {3:record|records}, %[4]d {4:sleutel|sleutels} vernietigd", "%[1]s: %[2]s, %[3]d {3:Datensatz|Datensätze}, %[4]d {4:Schlüssel|Schlüssel} vernichtet"},
		{"assignments", "attributions", "toewijzingen", "Zuweisungen"},
		{"NAT mappings", "correspondances NAT", "NAT-koppelingen", "NAT-Zuordnungen"},
		{"%[1]d {1:lookup|lookups} recorded in the register, sealed and signed: who asked, when, under which work order, how many candidates",
			"%[1]d {1:recherche consignée|recherches consignées} au registre, scellées et signées : qui a demandé, quand, sous quel ordre de travail, combien de candidats",
			"%[1]d {1:opzoeking|opzoekingen} vastgelegd in het register, verzegeld en ondertekend: wie vroeg, wanneer, onder welke werkorder, hoeveel kandidaten",
			"%[1]d {1:Abfrage|Abfragen} im Register festgehalten, versiegelt und signiert: wer fragte, wann, unter welchem Arbeitsauftrag, wie viele Kandidaten"},
	}
}
