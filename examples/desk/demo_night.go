package main

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// The demonstration's night: a requisition e-mailed to the cell at 02:10
// on Saturday 28 November, after the sample month's last case was
// received (so the case it becomes numbers after theirs). The cell's mail
// server pipes it to desk intake receive, which records it as the intake
// service and pages the member on call; desk watch, every minute, pages
// the next member when nobody acknowledges; a member acknowledges, accepts
// the intake as a case, works it and answers before dawn. Everything runs
// in process on the demonstration's register and clock, through the
// desk's own code: intake.Receive as desk intake receive calls it,
// session.pageNew, session.watchDue (desk watch's pass),
// session.ackIntake (desk ack), intake.Accept (desk intake accept) and
// the scripted steps of the other cases. Only the senders are the
// demonstration's: it reaches no phone, and shows each page instead.
// (desk intake receive first asks whether a message is a reply to a page
// carrying its code; the night's e-mail is not, so the demonstration goes
// straight to intake.Receive.)

// nightMail is the e-mail: an RFC 5322 message from a listed authority's
// domain with the requisition attached in the library's JSON, as the
// cell's mail server hands it to the pipe, with its Received and
// Authentication-Results fields.
//
//go:embed sample/night.eml
var nightMail []byte

// nightMailName is the e-mail's file, as the demonstration names it.
const nightMailName = "sample/night.eml"

// nightIntake is what the cell's desk.json says of its mail intake for
// the night: its mail server's authserv-id (the one in the e-mail's
// Authentication-Results and Received fields) and the authorities'
// domains it listed.
var nightIntake = IntakeConfig{AuthServID: "mx.neutrinet.example", Domains: []string{"just.fgov.be"}}

// nightStart is when the cell's mail server accepted the e-mail: its
// Received field's date.
func nightStart() time.Time {
	return timesync.MustParseBrussels("2026-11-28 02:10:00", timesync.Strict).Time()
}

// The night's script after the e-mail, as offsets from nightStart: the
// member who answers the page acknowledges it, accepts the intake as a
// case and works it; the watch looks every minute until the answer.
const (
	nightAck    = 13*time.Minute + 40*time.Second
	nightAccept = 17*time.Minute + 10*time.Second
)

// nightSteps are the case's steps once accepted, each after the one
// before, played as the sample's cases are.
func nightSteps() []Step {
	return []Step{
		{After: "50s", Do: "acknowledge"},
		{After: "6m", Do: "check"},
		{After: "1m", Do: "work-order"},
		{After: "50m", Do: "result", Outcome: "found", Data: "subscriber C-000112 (sample)"},
		{After: "16m", Do: "answer", To: "Parquet de Bruxelles, permanence", Channel: "email"},
	}
}

// demoNight is the night under way, and what it showed.
type demoNight struct {
	// service and watch are the cell's intake service and watch
	// identities; watchReg the register the watch reads.
	service, watch register.Identity
	watchReg       *register.Register
	added          timesync.Timestamp
	// out holds the night's lines until the demonstration shows them.
	out bytes.Buffer
	// pages are the pages the sender took, in order.
	pages []demoPage
	// seq is the intake's number, caseID the case received from it.
	seq    uint64
	caseID string
	// passes counts the watch's passes, first and last when they looked.
	passes      int
	first, last time.Time
	played      bool
}

// demoPage is one page as the demonstration's sender took it.
type demoPage struct {
	at     time.Time
	member string
	kind   ccj.ChannelKind
	title  string
}

// demoSender is the demonstration's paging.Sender, for every kind of
// channel: instead of sending, it shows the page in one line — when, to
// whom, on which kind of channel, and the page's title in the
// demonstration's language (a number and why, never the order's
// content) — and takes it, so that the attempt is recorded as sent.
type demoSender struct{ d *demo }

func (s demoSender) Send(_ context.Context, to ccj.Channel, p paging.Page, _ paging.Key) error {
	d, n := s.d, s.d.night
	member := "?"
	for _, m := range d.cell.Members {
		if slices.Contains(paging.Route(m.Contact()), to) {
			member = m.ID
			break
		}
	}
	p.Lang = d.s.tag
	pg := demoPage{at: d.clock.Now(), member: member, kind: to.Kind, title: p.Title()}
	n.pages = append(n.pages, pg)
	fmt.Fprintln(&n.out, stamp(timesync.FromTime(pg.at), d.s.tag)+"  "+d.p.Sprintf("page to %[1]s by %[2]s: %[3]s", pg.member, d.channelLabel(pg.kind), pg.title))
	return nil
}

// channelLabel names a kind of channel for people.
func (d *demo) channelLabel(k ccj.ChannelKind) string {
	switch k {
	case ccj.Phone:
		return d.p.Sprintf("text message")
	case ccj.Email:
		return d.p.Sprintf("e-mail")
	case ccj.Signal:
		return "Signal"
	case ccj.Matrix:
		return "Matrix"
	case ccj.Ntfy:
		return "ntfy"
	case ccj.Webhook:
		return d.p.Sprintf("webhook")
	}
	return string(k)
}

// nightSession is a desk session on the demonstration's register and
// clock, writing into the night's lines: the session desk intake
// receive, desk watch and desk ack would run in, for the identity me
// (with reg, a member's register).
func (d *demo) nightSession(me register.Identity, reg *register.Register) *session {
	return &session{ctx: d.s.ctx, out: &d.night.out, err: &d.night.out, clock: d.clock, dir: d.dir, lang: d.s.lang, tag: d.s.tag,
		cfg: d.cfg, cell: d.cell, reg: reg, me: me, demo: true}
}

// openNight adds the cell's intake service and watch to the register, as
// the first member does with desk member add: the service writes and
// reads nothing; the watch reads, and writes only its pages. They join
// after the retention store was opened, whose keys are the members'
// only.
func (d *demo) openNight() error {
	n := &demoNight{}
	var err error
	if n.service, err = register.NewIdentity("intake", register.RoleService); err != nil {
		return err
	}
	if n.watch, err = register.NewIdentity("watch", register.RoleWatch); err != nil {
		return err
	}
	for _, id := range []register.Identity{n.service, n.watch} {
		if _, err := d.reg.AddMember(id.Public(), timesync.Verdict{}); err != nil {
			return err
		}
	}
	if n.watchReg, _, err = register.Open(journalPath(d.dir), register.Config{Clock: d.clock, Identity: n.watch}); err != nil {
		return err
	}
	n.added = timesync.Now(d.clock)
	d.night = n
	return nil
}

// nightPolicy is the paging policy of the night: the default (five
// minutes to acknowledge at night), its pages in the demonstration's
// language.
func (d *demo) nightPolicy() paging.Policy {
	p := paging.DefaultPolicy()
	if base, _ := d.s.tag.Base(); slices.ContainsFunc(paging.Languages(), func(t language.Tag) bool { b, _ := t.Base(); return b == base }) {
		p.Language = base.String()
	}
	return p
}

// playNightBefore plays the night if it comes before instant at (a step
// of the month's script): once, between the steps of the month that
// surround it.
func (d *demo) playNightBefore(at time.Time) error {
	if d.night.played || at.Before(nightStart()) {
		return nil
	}
	d.night.played = true
	return d.playNight(at)
}

// playNight plays the night, which must be over before next, the
// month's next step.
func (d *demo) playNight(next time.Time) error {
	n, start := d.night, nightStart()
	p, tag := d.p, d.s.tag
	policy := d.nightPolicy()
	key := make([]byte, paging.MinCodeKey) // desk.json's paging.code_key_file, shared by the intake and the watch
	rand.Read(key)
	snd := demoSender{d}
	disp := paging.Dispatcher{Senders: map[ccj.ChannelKind]paging.Sender{ccj.Phone: snd, ccj.Email: snd, ccj.Signal: snd, ccj.Matrix: snd, ccj.Ntfy: snd, ccj.Webhook: snd},
		Retry: policy.Retry, Clock: d.clock, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}
	ctx := d.s.ctx

	// 02:10: the mail server pipes the e-mail to desk intake receive,
	// which records it as the intake service and pages the member on
	// call.
	if err := d.nightly(start); err != nil {
		return err
	}
	d.clock.Set(start)
	reader := &intake.EmailReader{AuthServID: nightIntake.AuthServID, Domains: nightIntake.Domains}
	res, err := intake.Receive(intake.Config{Register: journalPath(d.dir), Identity: n.service, Clock: d.clock, MaxSize: nightIntake.MaxSize},
		reader, bytes.NewReader(nightMail))
	if err != nil {
		return fmt.Errorf("the night's e-mail: %w", err)
	}
	n.seq = res.Seq
	fmt.Fprintln(&n.out, stamp(res.Receipt, tag)+"  "+p.Sprintf("an e-mail reaches the cell's mail server (%[1]s), which pipes it to desk intake receive: recorded as intake %[2]d by the intake service, %[3]d {3:requisition|requisitions} read; the member on call is paged",
		nightMailName, res.Seq, res.Requisitions))
	service := d.nightSession(n.service, nil)
	if err := service.pageNew(ctx, n.service, disp, key, d.cell, policy, res); err != nil {
		return fmt.Errorf("the night's first page: %w", err)
	}

	// The rest of the night: the member's steps, and the watch's pass
	// every minute, until the answer.
	ackBy := d.onCall(start) // replaced by whoever the last step paged
	type nightEvent struct {
		at time.Time
		do func() error
	}
	var events []nightEvent
	events = append(events, nightEvent{start.Add(nightAck), func() error {
		if len(n.pages) > 0 {
			ackBy = n.pages[len(n.pages)-1].member
		}
		reg := d.regs[ackBy]
		if err := reg.Refresh(); err != nil {
			return err
		}
		return d.nightSession(d.ids[ackBy], reg).ackIntake(paging.IntakeID(n.seq).String())
	}})
	events = append(events, nightEvent{start.Add(nightAccept), func() error { return d.acceptNight(ackBy) }})
	at := start.Add(nightAccept)
	for _, st := range nightSteps() {
		after, err := parseAfter(st.After)
		if err != nil {
			return err
		}
		at = at.Add(after)
		events = append(events, nightEvent{at, func() error {
			reg := d.regs[ackBy]
			if err := reg.Refresh(); err != nil {
				return err
			}
			c, _ := reg.Case(n.caseID)
			return play(reg, SampleCase{ID: n.caseID}, c.Requisition, st, ackBy, d.cfg, timesync.Verdict{}, d.clock.Now())
		}})
	}
	end := at
	if !end.Before(next) {
		return fmt.Errorf("the night (until %v) runs into the month's next step (%v)", end, next)
	}
	watch := d.nightSession(n.watch, nil)
	log := slog.New(slog.NewTextHandler(d.s.err, nil))
	// The watch looks at every whole minute, from the one after the
	// e-mail to the first at or after the answer.
	last := end.Truncate(time.Minute)
	if last.Before(end) {
		last = last.Add(time.Minute)
	}
	for t := start.Add(time.Minute); !t.After(last); t = t.Add(time.Minute) {
		for len(events) > 0 && !events[0].at.After(t) {
			if err := d.nightly(events[0].at); err != nil {
				return err
			}
			d.clock.Set(events[0].at)
			if err := events[0].do(); err != nil {
				return fmt.Errorf("the night, at %v: %w", events[0].at, err)
			}
			events = events[1:]
		}
		if err := d.nightly(t); err != nil {
			return err
		}
		d.clock.Set(t)
		if err := n.watchReg.Refresh(); err != nil {
			return err
		}
		if _, err := watch.watchDue(ctx, n.watchReg, n.watch, disp, key, d.cell, policy, log); err != nil {
			return fmt.Errorf("the watch at %v: %w", t, err)
		}
		if n.passes == 0 {
			n.first = t
		}
		n.passes, n.last = n.passes+1, t
	}
	if len(events) > 0 {
		return fmt.Errorf("the night's steps after %v were not played", events[0].at)
	}
	sent := 0
	for _, pg := range n.pages {
		if pg.at.After(start) {
			sent++
		}
		if !pg.at.Before(start.Add(nightAck)) {
			return fmt.Errorf("the watch paged %s at %v, after the acknowledgement", pg.member, pg.at)
		}
	}
	fmt.Fprintln(&n.out, p.Sprintf("desk watch looked %[1]d times, every minute from %[2]s to %[3]s, and paged %[4]d {4:time|times}: nothing after the acknowledgement.",
		n.passes, stamp(timesync.FromTime(n.first), tag), stamp(timesync.FromTime(n.last), tag), sent))
	return nil
}

// acceptNight is desk intake accept by member: the intake, as the member
// lists it (desk intake list), accepted as a case once its sender is
// verified.
func (d *demo) acceptNight(member string) error {
	n := d.night
	reg := d.regs[member]
	if err := reg.Refresh(); err != nil {
		return err
	}
	s := d.nightSession(d.ids[member], reg)
	fmt.Fprintln(&n.out, stamp(timesync.Now(d.clock), d.s.tag)+"  "+d.p.Sprintf("%[1]s reads the intake (desk intake list) and accepts it (desk intake accept %[2]d):", member, n.seq))
	in, err := s.findIntake(n.seq)
	if err != nil {
		return err
	}
	s.intakeLine(in)
	if !in.Verified() {
		return fmt.Errorf("the night's intake is not verified")
	}
	c, err := intake.Accept(reg, n.seq, member, timesync.Verdict{})
	if err != nil {
		return err
	}
	n.caseID = c.ID
	fmt.Fprintln(&n.out, "  "+d.p.Sprintf("case %[1]s received from intake %[2]d, at %[3]s", c.ID, n.seq, stamp(c.Requisition.Received, d.s.tag)))
	return nil
}

// showNight writes the night's section: who watches, the night's lines,
// and the case it became, as the other cases are shown.
func (d *demo) showNight() error {
	n, p, tag := d.night, d.p, d.s.tag
	d.section("One night: a requisition by e-mail at 02:10")
	fmt.Fprintln(d.s.out, p.Sprintf("The cell's intake service and its watch joined the register on %[1]s, added by %[2]s: the intake writes and reads nothing; the watch reads, and writes only its pages.",
		stamp(n.added, tag), d.cell.Members[0].ID))
	fmt.Fprintln(d.s.out, p.Sprintf("Paging policy: the default, %[1]d min to acknowledge at night, then the next member is paged. The demonstration reaches no phone: each page is shown instead, with when, to whom, on which channel, and its title.",
		int(time.Duration(d.nightPolicy().AckAtNight)/time.Minute)))
	fmt.Fprint(d.s.out, n.out.String())
	if err := d.reg.Refresh(); err != nil {
		return err
	}
	c, ok := d.reg.Case(n.caseID)
	if !ok {
		return fmt.Errorf("the night's case is not in the register")
	}
	renderCase(d.s.out, c, d.cell, d.cfg.MonthRule, tag, p.Sprintf("an identification ordered by e-mail at night: the intake records it, the member on call is paged, nobody answers, the watch escalates, the third member paged acknowledges, accepts it and answers before dawn"))
	return nil
}

// ackFigures writes the month's acknowledgement figures, measured from
// the register's page records and acknowledgements (paging.Measure).
func (d *demo) ackFigures() error {
	if err := d.reg.Refresh(); err != nil {
		return err
	}
	var records []paging.Record
	var acks []paging.Ack
	for _, sub := range d.reg.Submissions() {
		switch sub.Type {
		case paging.RecordType:
			if r, err := paging.DecodeRecord(sub.Data); err == nil {
				records = append(records, r)
			}
		case paging.AckType:
			if a, err := paging.DecodeAck(sub.Data); err == nil {
				acks = append(acks, a)
			}
		}
	}
	f := paging.Measure(records, acks, d.from, d.until)
	fmt.Fprintln(d.s.out, d.p.Sprintf("The month's acknowledgement of pages, measured from the register's page records and acknowledgements:"))
	for _, l := range bytes.Split(bytes.TrimSuffix([]byte(f.Text(d.s.tag)), []byte("\n")), []byte("\n")) {
		fmt.Fprintf(d.s.out, "  - %s\n", l)
	}
	return nil
}

// demoNightSentences are the sentences of the demonstration's night, for
// messages.go.
func demoNightSentences() [][]string {
	return [][]string{
		{"One night: a requisition by e-mail at 02:10", "Une nuit : une réquisition par courriel à 02:10",
			"Eén nacht: een vordering per e-mail om 02:10", "Eine Nacht: eine Anordnung per E-Mail um 02:10"},
		{"The cell's intake service and its watch joined the register on %[1]s, added by %[2]s: the intake writes and reads nothing; the watch reads, and writes only its pages.",
			"Le service de réception de la cellule et sa veille ont rejoint le registre le %[1]s, ajoutés par %[2]s : la réception écrit et ne lit rien ; la veille lit, et n'écrit que ses appels.",
			"De ontvangstdienst van de cel en haar wachtdienst traden op %[1]s toe tot het register, toegevoegd door %[2]s: de ontvangst schrijft en leest niets; de wachtdienst leest, en schrijft alleen zijn oproepen.",
			"Der Eingangsdienst der Zelle und ihr Wachdienst traten am %[1]s dem Register bei, hinzugefügt von %[2]s: der Eingang schreibt und liest nichts; der Wachdienst liest und schreibt nur seine Benachrichtigungen."},
		{"Paging policy: the default, %[1]d min to acknowledge at night, then the next member is paged. The demonstration reaches no phone: each page is shown instead, with when, to whom, on which channel, and its title.",
			"Politique d'appel : celle par défaut, %[1]d min pour prendre en charge la nuit, puis le membre suivant est appelé. La démonstration n'atteint aucun téléphone : chaque appel est affiché à la place, avec quand, à qui, sur quel canal, et son titre.",
			"Oproepbeleid: het standaardbeleid, %[1]d min om 's nachts te bevestigen, daarna wordt het volgende lid opgeroepen. De demonstratie bereikt geen telefoon: elke oproep wordt in de plaats getoond, met wanneer, aan wie, op welk kanaal, en de titel.",
			"Benachrichtigungsrichtlinie: die voreingestellte, %[1]d Min. zum Quittieren in der Nacht, dann wird das nächste Mitglied benachrichtigt. Die Demonstration erreicht kein Telefon: jede Benachrichtigung wird stattdessen gezeigt, mit wann, an wen, auf welchem Kanal, und ihrem Titel."},
		{"an e-mail reaches the cell's mail server (%[1]s), which pipes it to desk intake receive: recorded as intake %[2]d by the intake service, %[3]d {3:requisition|requisitions} read; the member on call is paged",
			"un courriel arrive au serveur de messagerie de la cellule (%[1]s), qui le passe à desk intake receive : consigné comme réception %[2]d par le service de réception, %[3]d {3:réquisition lue|réquisitions lues} ; le membre de garde est appelé",
			"een e-mail bereikt de mailserver van de cel (%[1]s), die hem doorgeeft aan desk intake receive: vastgelegd als ontvangst %[2]d door de ontvangstdienst, %[3]d {3:vordering|vorderingen} gelezen; het lid met wachtdienst wordt opgeroepen",
			"eine E-Mail erreicht den Mailserver der Zelle (%[1]s), der sie an desk intake receive weitergibt: als Eingang %[2]d vom Eingangsdienst festgehalten, %[3]d {3:Anordnung|Anordnungen} gelesen; das Mitglied in Bereitschaft wird benachrichtigt"},
		{"page to %[1]s by %[2]s: %[3]s", "appel à %[1]s par %[2]s : %[3]s", "oproep aan %[1]s via %[2]s: %[3]s", "Benachrichtigung an %[1]s per %[2]s: %[3]s"},
		{"text message", "SMS", "sms", "SMS"},
		{"e-mail", "courriel", "e-mail", "E-Mail"},
		{"webhook", "webhook", "webhook", "Webhook"},
		{"%[1]s reads the intake (desk intake list) and accepts it (desk intake accept %[2]d):",
			"%[1]s lit la réception (desk intake list) et l'accepte (desk intake accept %[2]d) :",
			"%[1]s leest de ontvangst (desk intake list) en aanvaardt ze (desk intake accept %[2]d):",
			"%[1]s liest den Eingang (desk intake list) und nimmt ihn an (desk intake accept %[2]d):"},
		{"desk watch looked %[1]d times, every minute from %[2]s to %[3]s, and paged %[4]d {4:time|times}: nothing after the acknowledgement.",
			"desk watch a regardé %[1]d fois, chaque minute du %[2]s au %[3]s, et a appelé %[4]d fois : plus rien après la prise en charge.",
			"desk watch keek %[1]d keer, elke minuut van %[2]s tot %[3]s, en riep %[4]d {4:keer|keer} op: niets meer na de bevestiging.",
			"desk watch sah %[1]d-mal nach, jede Minute vom %[2]s bis %[3]s, und benachrichtigte %[4]d-mal: nichts mehr nach der Quittierung."},
		{"an identification ordered by e-mail at night: the intake records it, the member on call is paged, nobody answers, the watch escalates, the third member paged acknowledges, accepts it and answers before dawn",
			"une identification ordonnée par courriel la nuit : la réception la consigne, le membre de garde est appelé, personne ne répond, la veille escalade, le troisième membre appelé la prend en charge, l'accepte et répond avant l'aube",
			"een identificatie 's nachts per e-mail bevolen: de ontvangst legt ze vast, het lid met wachtdienst wordt opgeroepen, niemand antwoordt, de wachtdienst escaleert, het derde opgeroepen lid bevestigt, aanvaardt ze en antwoordt voor de dageraad",
			"eine nachts per E-Mail angeordnete Identifizierung: der Eingang hält sie fest, das Mitglied in Bereitschaft wird benachrichtigt, niemand antwortet, der Wachdienst eskaliert, das dritte benachrichtigte Mitglied quittiert, nimmt sie an und antwortet vor dem Morgengrauen"},
		{"The month's acknowledgement of pages, measured from the register's page records and acknowledgements:",
			"La prise en charge des appels du mois, mesurée d'après les appels et les prises en charge consignés au registre :",
			"De bevestiging van de oproepen van de maand, gemeten uit de oproepen en bevestigingen in het register:",
			"Die Quittierung der Benachrichtigungen des Monats, gemessen an den im Register festgehaltenen Benachrichtigungen und Quittierungen:"},
	}
}
