package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/tasking"
	"github.com/ccjkit/ccjkit/timesync"
)

// X1Config is desk.json's x1 section: the cell's ADMF (package tasking)
// and the points of interception and mediation functions it tasks over
// X1 (ETSI TS 103 221-1), with mutual TLS. The certificate's key is read
// from a file, never from desk.json.
type X1Config struct {
	// ADMF is the ADMF's identifier (admfIdentifier), as the NEs expect
	// it.
	ADMF string `json:"admf"`
	// Cert, Key and CA are PEM files: the ADMF's certificate and key, and
	// the authority that certifies the NEs.
	Cert string `json:"cert"`
	Key  string `json:"key"`
	CA   string `json:"ca"`
	// NEs are the NEs tasked: every desired order on each.
	NEs []X1NE `json:"nes"`
	// Destinations are where the NEs deliver X2/X3 (the mediation
	// function): created on each NE that lacks them, and given to every
	// task. None: the tasks carry only their mediation details.
	Destinations []X1Destination `json:"destinations,omitempty"`
	// Timeout bounds each NE's reconciliation, a Go duration (default
	// 30s).
	Timeout string `json:"timeout,omitempty"`
}

// X1NE is one NE: its identifier and its X1 URL (https://…).
type X1NE struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// X1Destination is one X2/X3 destination: its DID, what goes there
// ("iri", "cc" or "iri+cc") and its address:port.
type X1Destination struct {
	DID      string `json:"did"`
	Delivery string `json:"delivery"`
	Address  string `json:"address"`
}

// interceptOptions are desk intercept's own flags.
type interceptOptions struct {
	liid, deliver string
}

// interceptCommand is desk intercept: a member starts or stops a case's
// interception (a decision recorded in the register), and the ADMF
// brings every NE to what the register decides (sync, and desk watch at
// every pass).
func interceptCommand() command {
	o := &interceptOptions{}
	return command{"intercept", "start ID|modify ID|stop ID|status|sync", "interception tasking over X1: start a lawful interception order under the agency's LIID, change what is delivered, stop it, see each NE's tasks, bring the NEs to what the register decides",
		func(s *session, fs *flag.FlagSet) {
			cellFlags(s, fs)
			fs.StringVar(&o.liid, "liid", "", "start: the `LIID` the agency gave for the order")
			fs.StringVar(&o.deliver, "deliver", "", "start, modify: what is delivered, iri, cc or iri+cc (default for start: iri+cc)")
		},
		func(s *session, args []string) error { return runIntercept(s, o, args) }}
}

const interceptUsage = "intercept: start ID -liid LIID, modify ID -deliver iri|cc|iri+cc, stop ID, status or sync"

// runIntercept runs desk intercept's subcommands.
func runIntercept(s *session, o *interceptOptions, args []string) error {
	if len(args) == 0 {
		return inputErr(interceptUsage)
	}
	sub, rest := args[0], args[1:]
	want := map[string]int{"start": 1, "modify": 1, "stop": 1, "status": 0, "sync": 0}
	if n, ok := want[sub]; !ok || len(rest) != n {
		return inputErr(interceptUsage)
	}
	if err := s.load(); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	switch sub {
	case "start", "modify", "stop":
		return s.interceptDecide(o, sub, rest[0])
	case "status":
		return s.interceptStatus()
	}
	acts, err := s.reconcile(s.me)
	if err != nil {
		return err
	}
	s.printActions(acts)
	return nil
}

// interceptDecide records a member's start or stop of a case's
// interception, once the decision and the case are checked; the NEs are
// then brought to it (sync, or the watch's next pass).
func (s *session) interceptDecide(o *interceptOptions, verb, id string) error {
	d := tasking.Decision{Case: id, Action: tasking.Intent(verb)}
	switch verb {
	case "start":
		d.LIID, d.Delivery = o.liid, o.deliver
	case "modify":
		// A modification is a new start decision of a running interception
		// under its LIID (which the mediation function does not let change:
		// stop, then start under another); the task keeps its start
		// (tasking.Desired) and the ADMF's next pass sends the NEs a
		// ModifyTask.
		in, ok := inForce(tasking.Decisions(s.reg), id)
		switch {
		case !ok:
			return inputErr("intercept: %s's interception is not started: nothing to modify (intercept start)", id)
		case o.liid != "":
			return inputErr("intercept: an interception's LIID does not change: stop it, then start it under the new LIID")
		case o.deliver == "" || sameDelivery(o.deliver, in.Delivery):
			return inputErr("intercept: modify %s -deliver iri, cc or iri+cc: it would change nothing", id)
		}
		d.Action, d.LIID, d.Delivery, d.Modifies = tasking.Start, in.LIID, o.deliver, true
	}
	if err := d.Check(); err != nil {
		return inputErr("%v", err)
	}
	c, ok := s.reg.Case(id)
	if !ok {
		return inputErr("intercept: the register has no case %s", id)
	}
	if d.Action == tasking.Start {
		if until := c.Requisition.ValidUntil; !until.IsZero() && !s.now().Before(until.Time()) {
			return inputErr("intercept: the order of %s ended at %s: nothing can be tasked under it", id, stamp(until, s.tag))
		}
		d.By, d.At = s.me.Name(), s.now()
		if _, findings := tasking.Desired(s.reg.JournalID(), []register.Case{c}, []tasking.Decision{d}, s.now()); len(findings) > 0 {
			return inputErr("%s", findings[0].Text(s.tag))
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	store, err := s.registerStore()
	if err != nil {
		return err
	}
	rec, err := register.SubmitTo(store, s.me, tasking.DecisionType, b)
	if err != nil {
		return err
	}
	p := printer(s.tag)
	switch verb {
	case "start":
		fmt.Fprintln(s.out, p.Sprintf("%[1]s: interception decided by %[2]s at %[3]s, task %[4]s; the NEs are tasked at the next sync or watch pass", id, s.me.Name(), stamp(rec.Time, s.tag), tasking.XIDFor(s.reg.JournalID(), id)))
	case "modify":
		fmt.Fprintln(s.out, p.Sprintf("%[1]s: delivery changed by %[2]s at %[3]s; the NEs' task is modified at the next sync or watch pass", id, s.me.Name(), stamp(rec.Time, s.tag)))
	default:
		fmt.Fprintln(s.out, p.Sprintf("%[1]s: interception stopped by %[2]s at %[3]s; the NEs' task is removed at the next sync or watch pass", id, s.me.Name(), stamp(rec.Time, s.tag)))
	}
	return nil
}

// inForce returns the case's last decision if it is a start.
func inForce(ds []tasking.Decision, id string) (tasking.Decision, bool) {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].Case == id {
			return ds[i], ds[i].Action == tasking.Start
		}
	}
	return tasking.Decision{}, false
}

// sameDelivery compares two decisions' deliveries, "" being iri+cc.
func sameDelivery(a, b string) bool {
	return cmp.Or(a, "iri+cc") == cmp.Or(b, "iri+cc")
}

// desired is what the register decides now.
func (s *session) desired(reg *register.Register) []tasking.Order {
	orders, _ := tasking.Desired(reg.JournalID(), reg.Cases(), tasking.Decisions(reg), s.now())
	return orders
}

// interceptStatus lists the orders that must be active, and each NE's
// view of each.
func (s *session) interceptStatus() error {
	xc := s.cfg.X1
	if xc == nil {
		return inputErr("intercept: desk.json has no x1 section")
	}
	orders := s.desired(s.reg)
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("%[1]d {1:order|orders} to carry out now", len(orders)))
	for _, o := range orders {
		fmt.Fprintf(s.out, "  %s  %s  %s → %s\n", o.Case, o.XID, stamp(timesync.FromTime(o.Start), s.tag), stamp(timesync.FromTime(o.End), s.tag))
	}
	clients, err := xc.clients(s.clock)
	if err != nil {
		return err
	}
	for i, c := range clients {
		ctx, cancel := context.WithTimeout(s.ctx, xc.timeout())
		xids, _, err := c.ListAllDetails(ctx)
		cancel()
		c.Close()
		if err != nil {
			fmt.Fprintln(s.out, p.Sprintf("%[1]s: unreachable (%[2]v)", xc.NEs[i].Name, err))
			continue
		}
		fmt.Fprintln(s.out, p.Sprintf("%[1]s: %[2]d {2:task|tasks}", xc.NEs[i].Name, len(xids)))
	}
	return nil
}

// reconcile brings every NE to what the register decides now, and
// records what was done (each action and its outcome), signed by id.
func (s *session) reconcile(id register.Identity) ([]tasking.Action, error) {
	xc := s.cfg.X1
	if xc == nil {
		return nil, inputErr("intercept: desk.json has no x1 section")
	}
	return s.reconcileWith(s.reg, id, xc)
}

// reconcileWith is reconcile on reg: the watch calls it with its own.
func (s *session) reconcileWith(reg *register.Register, id register.Identity, xc *X1Config) ([]tasking.Action, error) {
	dests, err := xc.destinations()
	if err != nil {
		return nil, err
	}
	clients, err := xc.clients(s.clock)
	if err != nil {
		return nil, err
	}
	orders := s.desired(reg)
	ours := tasking.Ours(reg.JournalID(), reg.Cases())
	var dids []x1.UUID
	for _, d := range dests {
		dids = append(dids, d.DID)
	}
	var all []tasking.Action
	for i, c := range clients {
		ctx, cancel := context.WithTimeout(s.ctx, xc.timeout())
		acts := ensureDestinations(ctx, c, xc.NEs[i].Name, dests, s.now())
		if !slices.ContainsFunc(acts, func(a tasking.Action) bool { return a.Error != "" }) {
			acts = append(acts, tasking.Reconcile(ctx, c, xc.NEs[i].Name, orders, ours, dids, s.now())...)
		} else {
			// A destination the NE lacks: no task is given or changed
			// there, but what must end still ends.
			acts = append(acts, tasking.Deactivate(ctx, c, xc.NEs[i].Name, orders, ours, s.now())...)
		}
		cancel()
		c.Close()
		all = append(all, acts...)
	}
	store, err := s.registerStore()
	if err != nil {
		return all, err
	}
	var errs []error
	for _, a := range all {
		b, err := json.Marshal(a)
		if err == nil {
			_, err = register.SubmitTo(store, id, tasking.ActionType, b)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return all, errors.Join(errs...)
}

// ensureDestinations creates on an NE the destinations it lacks.
func ensureDestinations(ctx context.Context, c *x1.Client, name string, dests []x1.DestinationDetails, now time.Time) []tasking.Action {
	if len(dests) == 0 {
		return nil
	}
	_, dids, err := c.ListAllDetails(ctx)
	at := now.UTC().Truncate(time.Second)
	if err != nil {
		return []tasking.Action{{NE: name, Step: tasking.Listed, At: at, Error: err.Error()}}
	}
	held := map[x1.UUID]bool{}
	for _, d := range dids {
		held[d] = true
	}
	var out []tasking.Action
	for _, d := range dests {
		a := tasking.Action{NE: name, Step: "destination", XID: d.DID, At: at}
		if held[d.DID] {
			// Held: changed when desk.json points it elsewhere.
			cur, err := c.GetDestinationDetails(ctx, d.DID)
			if err == nil && cur.Destination.Address == d.Address && cur.Destination.Delivery == d.Delivery {
				continue
			}
			if err == nil {
				err = c.ModifyDestination(ctx, d)
			}
			if err != nil {
				a.Error = err.Error()
			}
			out = append(out, a)
			continue
		}
		if err := c.CreateDestination(ctx, d); err != nil && !errors.Is(err, x1.DIDAlreadyExists) {
			a.Error = err.Error()
		}
		out = append(out, a)
	}
	return out
}

// printActions says what a reconciliation did.
func (s *session) printActions(acts []tasking.Action) {
	p := printer(s.tag)
	if len(acts) == 0 {
		fmt.Fprintln(s.out, p.Sprintf("every NE holds what the register decides"))
		return
	}
	for _, a := range acts {
		outcome := p.Sprintf("done")
		if a.Error != "" {
			outcome = p.Sprintf("failed: %s", a.Error)
		}
		fmt.Fprintf(s.out, "  %s  %s  %s %s  %s\n", a.NE, a.Step, a.Case, a.XID, outcome)
	}
}

// timeout is each NE's bound.
func (c *X1Config) timeout() time.Duration {
	if d, err := time.ParseDuration(c.Timeout); err == nil && d > 0 {
		return d
	}
	return 30 * time.Second
}

// clients returns an X1 client per NE.
func (c *X1Config) clients(clock timesync.Clock) ([]*x1.Client, error) {
	cfg, err := x1.LoadClientTLS(c.Cert, c.Key, c.CA)
	if err != nil {
		return nil, inputErr("desk.json x1: %v", err)
	}
	var out []*x1.Client
	for _, ne := range c.NEs {
		cl, err := x1.NewClient(ne.URL, cfg, c.ADMF, ne.Name, clock)
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			return nil, inputErr("desk.json x1: NE %s: %v", ne.Name, err)
		}
		out = append(out, cl)
	}
	return out, nil
}

// destinations reads the configured destinations.
func (c *X1Config) destinations() ([]x1.DestinationDetails, error) {
	var out []x1.DestinationDetails
	for i, d := range c.Destinations {
		did, err := x1.ParseUUID(d.DID)
		if err != nil || did.IsZero() {
			return nil, inputErr("desk.json x1.destinations[%d].did: a UUID in lower case", i)
		}
		ap, err := netip.ParseAddrPort(d.Address)
		if err != nil {
			return nil, inputErr("desk.json x1.destinations[%d].address: an address:port", i)
		}
		var dl intercept.Delivery
		switch d.Delivery {
		case "iri":
			dl = intercept.IRIOnly
		case "cc":
			dl = intercept.CCOnly
		case "", "iri+cc":
			dl = intercept.IRIAndCC
		default:
			return nil, inputErr("desk.json x1.destinations[%d].delivery: iri, cc or iri+cc", i)
		}
		out = append(out, x1.DestinationDetails{DID: did, Delivery: dl, Address: ap})
	}
	return out, nil
}

// interceptSentences are desk intercept's sentences.
func interceptSentences() [][]string {
	return [][]string{
		{"interception tasking over X1: start a lawful interception order under the agency's LIID, change what is delivered, stop it, see each NE's tasks, bring the NEs to what the register decides",
			"la mise en place des interceptions par X1 : lancer une interception ordonnée légalement sous le LIID de l'agence, changer ce qui est livré, l'arrêter, voir les tâches de chaque NE, amener les NE à ce que le registre décide",
			"het instellen van interceptie via X1: een wettig bevolen interceptie starten onder de LIID van het agentschap, wijzigen wat geleverd wordt, ze stoppen, de taken van elk NE bekijken, de NE's in lijn brengen met wat het register beslist",
			"die Beauftragung von Überwachungen über X1: eine rechtmäßig angeordnete Überwachung unter der LIID der Behörde starten, ändern, was geliefert wird, beenden, die Aufgaben jedes NE ansehen, die NEs auf den Stand des Registers bringen"},
		{"start: the `LIID` the agency gave for the order", "start : le LIID que l'agence a donné pour l'ordonnance",
			"start: de LIID die het agentschap voor het bevel gaf", "start: die LIID, die die Behörde für die Anordnung vergab"},
		{"start, modify: what is delivered, iri, cc or iri+cc (default for start: iri+cc)", "start, modify : ce qui est livré, iri, cc ou iri+cc (par défaut pour start : iri+cc)",
			"start, modify: wat geleverd wordt, iri, cc of iri+cc (standaard voor start: iri+cc)", "start, modify: was geliefert wird, iri, cc oder iri+cc (Standard für start: iri+cc)"},
		{"intercept: start ID -liid LIID, modify ID -deliver iri|cc|iri+cc, stop ID, status or sync", "intercept : start ID -liid LIID, modify ID -deliver iri|cc|iri+cc, stop ID, status ou sync",
			"intercept: start ID -liid LIID, modify ID -deliver iri|cc|iri+cc, stop ID, status of sync", "intercept: start ID -liid LIID, modify ID -deliver iri|cc|iri+cc, stop ID, status oder sync"},
		{"intercept: %s's interception is not started: nothing to modify (intercept start)", "intercept : l'interception de %s n'est pas lancée : rien à modifier (intercept start)",
			"intercept: de interceptie van %s is niet gestart: niets te wijzigen (intercept start)", "intercept: die Überwachung von %s ist nicht gestartet: nichts zu ändern (intercept start)"},
		{"intercept: an interception's LIID does not change: stop it, then start it under the new LIID", "intercept : le LIID d'une interception ne change pas : l'arrêter, puis la lancer sous le nouveau LIID",
			"intercept: de LIID van een interceptie verandert niet: stop ze en start ze dan onder de nieuwe LIID", "intercept: die LIID einer Überwachung ändert sich nicht: beenden, dann unter der neuen LIID starten"},
		{"intercept: modify %s -deliver iri, cc or iri+cc: it would change nothing", "intercept : modify %s -deliver iri, cc ou iri+cc : cela ne changerait rien",
			"intercept: modify %s -deliver iri, cc of iri+cc: dit zou niets veranderen", "intercept: modify %s -deliver iri, cc oder iri+cc: das würde nichts ändern"},
		{"%[1]s: delivery changed by %[2]s at %[3]s; the NEs' task is modified at the next sync or watch pass",
			"%[1]s : livraison changée par %[2]s le %[3]s ; la tâche des NE est modifiée à la prochaine synchronisation ou au prochain passage de la veille",
			"%[1]s: levering gewijzigd door %[2]s op %[3]s; de taak van de NE's wordt gewijzigd bij de volgende sync of doorloop van de wachtdienst",
			"%[1]s: Lieferung geändert von %[2]s am %[3]s; die Aufgabe der NEs wird beim nächsten Abgleich oder Durchlauf des Wachdienstes geändert"},
		{"intercept: the order of %s ended at %s: nothing can be tasked under it", "intercept : l'ordonnance de %s a pris fin le %s : rien ne peut plus être chargé sous elle",
			"intercept: het bevel van %s liep af op %s: er kan niets meer onder worden ingesteld", "intercept: die Anordnung von %s endete am %s: nichts kann mehr darunter beauftragt werden"},
		{"intercept: the register has no case %s", "intercept : le registre n'a pas de dossier %s",
			"intercept: het register heeft geen dossier %s", "intercept: das Register hat keinen Fall %s"},
		{"intercept: desk.json has no x1 section", "intercept : desk.json n'a pas de section x1",
			"intercept: desk.json heeft geen x1-sectie", "intercept: desk.json hat keinen Abschnitt x1"},
		{"%[1]s: interception decided by %[2]s at %[3]s, task %[4]s; the NEs are tasked at the next sync or watch pass",
			"%[1]s : interception décidée par %[2]s le %[3]s, tâche %[4]s ; les NE sont chargés à la prochaine synchronisation ou au prochain passage de la veille",
			"%[1]s: interceptie beslist door %[2]s op %[3]s, taak %[4]s; de NE's krijgen de taak bij de volgende sync of doorloop van de wachtdienst",
			"%[1]s: Überwachung beschlossen von %[2]s am %[3]s, Aufgabe %[4]s; die NEs werden beim nächsten Abgleich oder Durchlauf des Wachdienstes beauftragt"},
		{"%[1]s: interception stopped by %[2]s at %[3]s; the NEs' task is removed at the next sync or watch pass",
			"%[1]s : interception arrêtée par %[2]s le %[3]s ; la tâche des NE est retirée à la prochaine synchronisation ou au prochain passage de la veille",
			"%[1]s: interceptie gestopt door %[2]s op %[3]s; de taak van de NE's wordt verwijderd bij de volgende sync of doorloop van de wachtdienst",
			"%[1]s: Überwachung beendet von %[2]s am %[3]s; die Aufgabe der NEs wird beim nächsten Abgleich oder Durchlauf des Wachdienstes entfernt"},
		{"%[1]d {1:order|orders} to carry out now", "%[1]d {1:ordonnance|ordonnances} à exécuter maintenant",
			"%[1]d {1:bevel|bevelen} nu uit te voeren", "%[1]d {1:Anordnung|Anordnungen} jetzt auszuführen"},
		{"%[1]s: unreachable (%[2]v)", "%[1]s : injoignable (%[2]v)", "%[1]s: onbereikbaar (%[2]v)", "%[1]s: nicht erreichbar (%[2]v)"},
		{"%[1]s: %[2]d {2:task|tasks}", "%[1]s : %[2]d {2:tâche|tâches}", "%[1]s: %[2]d {2:taak|taken}", "%[1]s: %[2]d {2:Aufgabe|Aufgaben}"},
		{"every NE holds what the register decides", "chaque NE tient ce que le registre décide",
			"elk NE houdt wat het register beslist", "jedes NE hält, was das Register beschließt"},
		{"done", "fait", "gedaan", "erledigt"},
		{"failed: %s", "échec : %s", "mislukt: %s", "fehlgeschlagen: %s"},
	}
}
