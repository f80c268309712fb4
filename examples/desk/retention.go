package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/text/message"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/pgretention"
	"github.com/ccjkit/ccjkit/retention/source/conntrack"
	"github.com/ccjkit/ccjkit/retention/source/detnat"
	"github.com/ccjkit/ccjkit/retention/source/dhcp"
	"github.com/ccjkit/ccjkit/retention/source/static"
)

// retentionOptions are desk retention's own flags.
type retentionOptions struct {
	store, storeDSN, keys, device, subscribers, mappingPolicy string
	from, until, by                                           string
	mappingMonths                                             int
}

// retentionCommand is desk retention: the store of who had which address
// when (package retention), beside the register, its keys apart.
func retentionCommand() command {
	o := &retentionOptions{}
	return command{"retention", "ingest|lookup|holds|purge|verify|stats", "the store of who had which address when: ingest a source, look up under a work order, preservation holds, purge, verify, the yearly report",
		func(s *session, fs *flag.FlagSet) {
			registerFlags(s, fs)
			fs.StringVar(&o.store, "store", "", "the retention store's `DIR` (default DIR/retention, beside the register)")
			fs.StringVar(&o.storeDSN, "store-dsn", "", "a `FILE` (mode 0600) holding the PostgreSQL connection string of a retention store kept in PostgreSQL (or $"+retentionDSNEnv+"; docs/postgres.md)")
			fs.StringVar(&o.keys, "keys", os.Getenv("CCJKIT_RETENTION_KEYS"), "the store's keys `DIR`, outside the store and its backups (default $CCJKIT_RETENTION_KEYS)")
			fs.IntVar(&o.mappingMonths, "mapping-months", 12, "how many months NAT mappings are kept, the operator's decision")
			fs.StringVar(&o.mappingPolicy, "mapping-policy", "", "the `DOCUMENT` that decides how long NAT mappings are kept (default: the operator's retention policy)")
			fs.StringVar(&o.device, "device", "", "ingest: the `NAME` of the system the file comes from")
			fs.StringVar(&o.subscribers, "subscribers", "", "ingest dhcp: the `FILE` mapping MAC addresses to subscribers (JSON)")
			fs.StringVar(&o.from, "from", "", "holds place: the first Brussels `TIME` of the data kept")
			fs.StringVar(&o.until, "until", "", "holds place: the Brussels `TIME` the data kept end")
			fs.StringVar(&o.by, "by", "", "lookup: who asks, the `NAME` of the technician (default your name)")
		},
		func(s *session, args []string) error { return runRetention(s, o, args) }}
}

// retentionUsage says what desk retention takes.
const retentionUsage = "retention: ingest KIND FILE, lookup REF ADDRESS [PORT] TIME, holds list|place|lift, purge, verify, stats YEAR or migrate"

// runRetention checks the arguments, opens the register and the store,
// and runs the subcommand.
func runRetention(s *session, o *retentionOptions, args []string) error {
	if len(args) == 0 {
		return inputErr(retentionUsage)
	}
	sub, rest := args[0], args[1:]
	want := map[string][2]int{"ingest": {2, 2}, "lookup": {3, 4}, "holds": {1, 99}, "purge": {0, 0}, "verify": {0, 0}, "stats": {1, 1}, "migrate": {0, 0}}
	n, ok := want[sub]
	if !ok || len(rest) < n[0] || len(rest) > n[1] {
		return inputErr(retentionUsage)
	}
	if sub == "migrate" {
		return s.retentionMigrate(o)
	}
	if o.keys == "" {
		return inputErr("retention: give -keys DIR, the keys' directory outside the store")
	}
	if err := s.load(); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	st, err := s.openRetention(s.reg, s.me, retentionSpec{store: o.store, storeDSN: o.storeDSN, keys: o.keys,
		mappingMonths: o.mappingMonths, mappingPolicy: o.mappingPolicy})
	if err != nil {
		return err
	}
	defer st.Close()
	p := printer(s.tag)
	switch sub {
	case "ingest":
		return s.retentionIngest(st, o, rest[0], rest[1])
	case "lookup":
		return s.retentionLookup(st, o, rest)
	case "holds":
		return s.retentionHolds(st, o, rest)
	case "purge":
		rep, err := st.Purge()
		if err != nil {
			return err
		}
		if s.asJSON {
			return s.printJSON(rep)
		}
		for _, d := range rep.Destroyed {
			fmt.Fprintln(s.out, p.Sprintf("destroyed: %s %s, %d records, %d keys", d.Day, d.Class, d.Records, d.Keys))
		}
		fmt.Fprintln(s.out, p.Sprintf("%[1]d {1:period|periods} destroyed, %[2]d kept whole", len(rep.Destroyed), len(rep.Kept)))
		return nil
	case "verify":
		rep, err := st.Verify()
		if err != nil {
			return err
		}
		if s.asJSON {
			return s.printJSON(rep)
		}
		fmt.Fprintln(s.out, p.Sprintf("retention store intact: %d files, %d blocks, %d records", rep.Files, rep.Blocks, rep.Records))
		return nil
	}
	year, err := strconv.Atoi(rest[0])
	if err != nil || year < 2000 || year > 9999 {
		return inputErr("retention stats: give a YEAR, such as 2026")
	}
	r := retention.NewYearlyReport(s.reg.Lookups(), year, nil, retention.ReportAgeBandsSource())
	if s.asJSON {
		return s.printJSON(r)
	}
	fmt.Fprintln(s.out, p.Sprintf("Yearly report for BIPT, %d (exact counts, confidential)", r.Year))
	fmt.Fprintln(s.out, "  "+p.Sprintf("requests: %d", r.Requests))
	fmt.Fprintln(s.out, "  "+p.Sprintf("data items transmitted: %d", r.ItemsTransmitted))
	fmt.Fprintln(s.out, "  "+p.Sprintf("requests left unanswered: %d", r.Unanswered))
	fmt.Fprintln(s.out, "  "+p.Sprintf("age of the data requested:"))
	for _, a := range r.Age {
		band := p.Sprintf("%d months or more", a.Band.FromMonths)
		if a.Band.UntilMonths != 0 {
			band = p.Sprintf("%d to %d months", a.Band.FromMonths, a.Band.UntilMonths)
		}
		fmt.Fprintf(s.out, "    %s: %d\n", band, a.Requests)
	}
	fmt.Fprintln(s.out, "  "+p.Sprintf("ambiguous answers (the cell's own count): %d", r.Ambiguous))
	fmt.Fprintln(s.out, p.Sprintf("Sources:"))
	// The citations only: a source's edition is ccjkit's note, in
	// English (desk retention stats -json gives it).
	for _, src := range append(r.Fields[0].Sources, r.AgeBands) {
		fmt.Fprintf(s.out, "  %s %s %s\n", src.Instrument, src.Article, src.Certainty)
	}
	return nil
}

// retentionSpec is where a retention store is and how long it keeps
// NAT mappings: desk retention's flags, desk.json's watch.retention.
type retentionSpec struct {
	store, storeDSN, keys string
	mappingMonths         int
	mappingPolicy         string
}

// openRetention opens the retention store spec names — in PostgreSQL
// when a connection string is given (retentionDSN), else the embedded
// store in its directory (DIR/retention by default) — its keys wrapped
// to the register's active members, lookups pinned to reg, opened by
// opener (nil: a store that ingests, purges and verifies, reading
// nothing).
func (s *session) openRetention(reg *register.Register, opener retention.Opener, spec retentionSpec) (retention.Backend, error) {
	ring, err := activeKeyring(reg)
	if err != nil {
		return nil, err
	}
	if spec.mappingMonths == 0 {
		spec.mappingMonths = 12
	}
	if spec.mappingPolicy == "" {
		spec.mappingPolicy = "the operator's retention policy"
	}
	policy := retention.Policy{Assignments: retention.Law2022Identification(), Mappings: retention.OperatorPeriod(spec.mappingMonths, spec.mappingPolicy)}
	dsn, err := s.retentionDSN(spec.storeDSN, spec.store)
	if err != nil {
		return nil, err
	}
	if dsn != "" {
		return pgretention.Open(s.ctx, pgretention.Config{DSN: dsn, KeyDir: spec.keys, Clock: s.clock, Keyring: ring, Opener: opener,
			Register: reg.JournalID(), Policy: policy})
	}
	dir := spec.store
	if dir == "" {
		dir = filepath.Join(s.dir, "retention")
	}
	st, _, err := retention.Open(retention.Config{Dir: dir, KeyDir: spec.keys, Clock: s.clock, Keyring: ring, Opener: opener,
		Register: reg.JournalID(), Policy: policy})
	if err != nil {
		return nil, err // not a *retention.Store that is nil in a Backend that is not
	}
	return st, nil
}

// activeKeyring is the keyring of the register's active members: who
// can unwrap a retention store's keys.
func activeKeyring(reg *register.Register) (register.Keyring, error) {
	var seals []string
	for _, m := range reg.Members() {
		if m.Active && m.Seal != "" {
			seals = append(seals, m.Seal)
		}
	}
	return register.NewKeyring(seals...)
}

// retentionMigrate creates or upgrades the schema of a retention store
// kept in PostgreSQL (as the schema's owner).
func (s *session) retentionMigrate(o *retentionOptions) error {
	if err := s.language(); err != nil {
		return err
	}
	if c, err := loadConfig(configPath(s.dir)); err == nil {
		s.cfg = c
	}
	dsn, err := s.retentionDSN(o.storeDSN, o.store)
	if err != nil {
		return err
	}
	if dsn == "" {
		return inputErr("retention migrate: no PostgreSQL store — give -store-dsn FILE or $%s (the embedded store needs no migration)", retentionDSNEnv)
	}
	from, to, err := pgretention.Migrate(s.ctx, dsn)
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(map[string]int{"from": from, "to": to})
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("the retention store's schema is at version %[2]d (it was at %[1]d)", from, to))
	return nil
}

// retentionIngest reads a source's file and ingests what it gives.
func (s *session) retentionIngest(st retention.Backend, o *retentionOptions, kind, file string) error {
	switch kind {
	case "static", "dhcp", "conntrack", "detnat":
	default:
		return inputErr("retention ingest: KIND is static, dhcp, conntrack or detnat")
	}
	if o.device == "" {
		return inputErr("retention ingest: give -device NAME, the system the file comes from")
	}
	b, err := readFile(file)
	if err != nil {
		return err
	}
	clk := retention.ClockOf(s.verdict())
	clock := func() retention.Clock { return clk }
	var as []retention.Assignment
	var ms []retention.Mapping
	switch kind {
	case "static":
		if as, err = static.Parse(bytes.NewReader(b), static.Config{Device: o.device, Clock: clk}); err != nil {
			return decodeErr(file, err)
		}
	case "dhcp":
		var subs struct {
			MAC map[string]retention.Subscriber `json:"mac"`
		}
		if o.subscribers == "" {
			return inputErr("retention ingest dhcp: give -subscribers FILE")
		}
		sb, err := readFile(o.subscribers)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(sb, &subs); err != nil {
			return inputErr("%s: not a JSON object {\"mac\": {MAC: SUBSCRIBER}}", o.subscribers)
		}
		l, err := dhcp.NewLeases(dhcp.Config{Device: o.device, Clock: clock, Subscribers: dhcp.Subscribers{ByMAC: subs.MAC}})
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, maxFile)
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			if err := l.Line(sc.Bytes(), func(a retention.Assignment) error { as = append(as, a); return nil }); err != nil {
				return decodeErr(file, err)
			}
		}
	case "conntrack":
		r, err := conntrack.NewReader(conntrack.Config{Device: o.device, Clock: clock})
		if err != nil {
			return err
		}
		if err := r.ReadAll(bytes.NewReader(b), func(m retention.Mapping) error { ms = append(ms, m); return nil }); err != nil {
			return decodeErr(file, err)
		}
	case "detnat":
		nat, err := detnat.Decode(b, clk)
		if err != nil {
			return decodeErr(file, err)
		}
		for m := range nat.Mappings() {
			ms = append(ms, m)
		}
	default:
		return inputErr("retention ingest: KIND is static, dhcp, conntrack or detnat")
	}
	if len(as) > 0 {
		if err := st.IngestAssignments(as); err != nil {
			return err
		}
	}
	if len(ms) > 0 {
		if err := st.IngestMappings(ms); err != nil {
			return err
		}
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("%[1]d {1:record|records} ingested", len(as)+len(ms)))
	return nil
}

// retentionLookup asks the store under a work order: REF ADDRESS [PORT]
// TIME. The answer is the one place the desk prints an address and a
// subscriber: to the member who asked, under the order.
func (s *session) retentionLookup(st retention.Backend, o *retentionOptions, args []string) error {
	q := retention.Request{Ref: register.Ref(args[0]), By: o.by}
	if q.By == "" {
		q.By = s.me.Name()
	}
	var err error
	if q.Addr, err = netip.ParseAddr(args[1]); err != nil {
		return inputErr("retention lookup: ADDRESS is an IPv4 or IPv6 address")
	}
	if len(args) == 4 {
		port, err := strconv.ParseUint(args[2], 10, 16)
		if err != nil || port == 0 {
			return inputErr("retention lookup: PORT is 1 to 65535")
		}
		q.Port = uint16(port)
	}
	if q.At, err = brusselsTime("retention lookup", args[len(args)-1]); err != nil {
		return err
	}
	ans, err := st.Lookup(s.reg, q, s.me.Name())
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(ans)
	}
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("%[1]d {1:candidate|candidates} for %[2]s at %[3]s", len(ans.Candidates), addrPort(ans.Addr, ans.Port), ans.At.Display(s.tag)))
	for _, c := range ans.Candidates {
		line := fmt.Sprintf("  %s  %s  %s %s  %s → %s", c.Subscriber, c.Assignment.Prefix, c.Assignment.Source.Kind, c.Assignment.Source.Device,
			c.Assignment.From.Display(s.tag), untilText(p, c.Assignment.Until.IsZero(), c.Assignment.Until.Display(s.tag)))
		if c.Mapping != nil {
			line += "  " + p.Sprintf("through %s ports %s", c.Mapping.Inside, c.Mapping.Ports)
		}
		fmt.Fprintln(s.out, line)
	}
	for _, a := range ans.Ambiguities {
		fmt.Fprintln(s.out, p.Sprintf("ambiguous: %s", p.Sprintf(a.Text())))
	}
	return nil
}

func addrPort(a netip.Addr, port uint16) string {
	if port == 0 {
		return a.String()
	}
	return netip.AddrPortFrom(a, port).String()
}

func untilText(p *message.Printer, open bool, until string) string {
	if open {
		return p.Sprintf("still open")
	}
	return until
}

// retentionHolds lists, places or lifts preservation holds.
func (s *session) retentionHolds(st retention.Backend, o *retentionOptions, args []string) error {
	p := printer(s.tag)
	switch {
	case args[0] == "list" && len(args) == 1:
		hs, err := st.Holds()
		if err != nil {
			return err
		}
		if s.asJSON {
			return s.printJSON(hs)
		}
		for _, h := range hs {
			state := p.Sprintf("in force")
			if !h.Lifted.IsZero() {
				state = p.Sprintf("lifted %s", h.Lifted.Display(s.tag))
			}
			fmt.Fprintf(s.out, "  %s  %s  %s → %s  %s\n", h.ID, h.Case, h.From.Display(s.tag), h.Until.Display(s.tag), state)
		}
		fmt.Fprintln(s.out, p.Sprintf("%[1]d {1:hold|holds}", len(hs)))
		return nil
	case args[0] == "place" && len(args) >= 3:
		from, err := brusselsTime("-from", o.from)
		if err != nil {
			return err
		}
		until, err := brusselsTime("-until", o.until)
		if err != nil {
			return err
		}
		if _, ok := s.reg.Case(args[1]); !ok {
			return register.ErrUnknownCase
		}
		var ts []retention.HoldTarget
		for _, a := range args[2:] {
			if pfx, err := netip.ParsePrefix(a); err == nil {
				ts = append(ts, retention.HoldTarget{Prefix: pfx})
			} else if addr, err := netip.ParseAddr(a); err == nil {
				ts = append(ts, retention.HoldTarget{Prefix: netip.PrefixFrom(addr, addr.BitLen())})
			} else if retention.ValidSubscriber(retention.Subscriber(a)) {
				ts = append(ts, retention.HoldTarget{Subscriber: retention.Subscriber(a)})
			} else {
				return inputErr("retention holds place: a TARGET is an address, a prefix or a subscriber reference")
			}
		}
		h, err := st.PlaceHold(args[1], ts, from, until)
		if err != nil {
			return err
		}
		fmt.Fprintln(s.out, p.Sprintf("hold %s placed for case %s", h.ID, h.Case))
		return nil
	case args[0] == "lift" && len(args) == 3:
		if err := st.LiftHold(retention.HoldID(args[1]), args[2]); err != nil {
			return err
		}
		fmt.Fprintln(s.out, p.Sprintf("hold %s lifted", args[1]))
		return nil
	}
	return inputErr("retention holds: list, place CASE TARGET... -from TIME -until TIME, or lift HOLD CASE")
}

// retentionSentences are desk retention's sentences, for messages.go.
func retentionSentences() [][]string {
	return append(append(append(append(append(intakeSentences(), pagingSentences()...), watchSentences()...), postgresSentences()...), interceptSentences()...), [][]string{
		{"a `FILE` (mode 0600) holding the PostgreSQL connection string of a retention store kept in PostgreSQL (or $" + retentionDSNEnv + "; docs/postgres.md)",
			"un fichier (mode 0600) contenant la chaîne de connexion PostgreSQL d'une base de conservation tenue dans PostgreSQL (ou $" + retentionDSNEnv + " ; docs/postgres.md)",
			"een bestand (modus 0600) met de PostgreSQL-verbindingsreeks van een bewaaropslag in PostgreSQL (of $" + retentionDSNEnv + "; docs/postgres.md)",
			"eine Datei (Modus 0600) mit der PostgreSQL-Verbindungszeichenfolge eines in PostgreSQL geführten Speichers (oder $" + retentionDSNEnv + "; docs/postgres.md)"},
		{"a connection string on the command line is visible to every user (ps): give it in a file (-store-dsn FILE, mode 0600) or in $%s",
			"une chaîne de connexion sur la ligne de commande est visible de tous les utilisateurs (ps) : donnez-la dans un fichier (-store-dsn FICHIER, mode 0600) ou dans $%s",
			"een verbindingsreeks op de opdrachtregel is zichtbaar voor elke gebruiker (ps): geef ze in een bestand (-store-dsn BESTAND, modus 0600) of in $%s",
			"eine Verbindungszeichenfolge auf der Befehlszeile ist für jeden Benutzer sichtbar (ps): geben Sie sie in einer Datei (-store-dsn DATEI, Modus 0600) oder in $%s an"},
		{"-store names an embedded store, and a PostgreSQL store is given too: give one",
			"-store désigne une base intégrée, et une base PostgreSQL est donnée aussi : n'en donnez qu'une",
			"-store wijst een ingebouwde opslag aan, en er is ook een PostgreSQL-opslag gegeven: geef er één",
			"-store nennt einen eingebauten Speicher, und ein PostgreSQL-Speicher ist auch angegeben: geben Sie einen an"},
		{"retention migrate: no PostgreSQL store — give -store-dsn FILE or $%s (the embedded store needs no migration)",
			"retention migrate : pas de base PostgreSQL — donnez -store-dsn FICHIER ou $%s (la base intégrée ne demande aucune migration)",
			"retention migrate: geen PostgreSQL-opslag — geef -store-dsn BESTAND of $%s (de ingebouwde opslag heeft geen migratie nodig)",
			"retention migrate: kein PostgreSQL-Speicher — geben Sie -store-dsn DATEI oder $%s an (der eingebaute Speicher braucht keine Migration)"},
		{"the retention store's schema is at version %[2]d (it was at %[1]d)",
			"le schéma de la base de conservation est à la version %[2]d (il était à la %[1]d)",
			"het schema van de bewaaropslag staat op versie %[2]d (het stond op %[1]d)",
			"das Schema des Speichers ist auf Version %[2]d (es war auf %[1]d)"},
		{"the store of who had which address when: ingest a source, look up under a work order, preservation holds, purge, verify, the yearly report",
			"la base de qui avait quelle adresse quand : ingérer une source, chercher sous un ordre de travail, gels, purge, vérification, rapport annuel",
			"de opslag van wie welk adres wanneer had: een bron inlezen, opzoeken onder een werkorder, bewaringen, wissen, verifiëren, jaarverslag",
			"der Speicher, wer wann welche Adresse hatte: eine Quelle einlesen, unter einem Arbeitsauftrag nachschlagen, Sicherungen, löschen, prüfen, Jahresbericht"},
		{"Writes to the register for lookup (each lookup is recorded); the other subcommands record nothing in it.",
			"Écrit au registre pour lookup (chaque recherche y est consignée) ; les autres sous-commandes n'y consignent rien.",
			"Schrijft in het register bij lookup (elke opzoeking wordt vastgelegd); de andere subcommando's leggen er niets in vast.",
			"Schreibt bei lookup in das Register (jede Abfrage wird festgehalten); die anderen Unterbefehle halten darin nichts fest."},
		{"the retention store's `DIR` (default DIR/retention, beside the register)",
			"le `RÉPERTOIRE` de la base de conservation (par défaut DIR/retention, à côté du registre)",
			"de `MAP` van de bewaaropslag (standaard DIR/retention, naast het register)",
			"das `VERZEICHNIS` des Vorratsspeichers (Standard DIR/retention, neben dem Register)"},
		{"the store's keys `DIR`, outside the store and its backups (default $CCJKIT_RETENTION_KEYS)",
			"le `RÉPERTOIRE` des clés de la base, hors de la base et de ses sauvegardes (par défaut $CCJKIT_RETENTION_KEYS)",
			"de `MAP` met de sleutels van de opslag, buiten de opslag en haar back-ups (standaard $CCJKIT_RETENTION_KEYS)",
			"das `VERZEICHNIS` der Schlüssel, außerhalb des Speichers und seiner Sicherungen (Standard $CCJKIT_RETENTION_KEYS)"},
		{"how many months NAT mappings are kept, the operator's decision",
			"combien de mois les correspondances NAT sont gardées, décision de l'opérateur",
			"hoeveel maanden NAT-koppelingen bewaard worden, beslissing van de operator",
			"wie viele Monate NAT-Zuordnungen aufbewahrt werden, Entscheidung des Betreibers"},
		{"the `DOCUMENT` that decides how long NAT mappings are kept (default: the operator's retention policy)",
			"le `DOCUMENT` qui fixe la durée de conservation des correspondances NAT (par défaut : la politique de conservation de l'opérateur)",
			"het `DOCUMENT` dat bepaalt hoe lang NAT-koppelingen bewaard worden (standaard: het bewaarbeleid van de operator)",
			"das `DOKUMENT`, das festlegt, wie lange NAT-Zuordnungen aufbewahrt werden (Standard: die Aufbewahrungsrichtlinie des Betreibers)"},
		{"ingest: the `NAME` of the system the file comes from", "ingest : le `NOM` du système dont vient le fichier", "ingest: de `NAAM` van het systeem waar het bestand vandaan komt", "ingest: der `NAME` des Systems, aus dem die Datei stammt"},
		{"ingest dhcp: the `FILE` mapping MAC addresses to subscribers (JSON)", "ingest dhcp : le `FICHIER` qui relie les adresses MAC aux abonnés (JSON)", "ingest dhcp: het `BESTAND` dat MAC-adressen aan abonnees koppelt (JSON)", "ingest dhcp: die `DATEI`, die MAC-Adressen Teilnehmern zuordnet (JSON)"},
		{"holds place: the first Brussels `TIME` of the data kept", "holds place : la première `HEURE` bruxelloise des données gardées", "holds place: het eerste Brusselse `TIJDSTIP` van de bewaarde gegevens", "holds place: die erste Brüsseler `ZEIT` der aufbewahrten Daten"},
		{"holds place: the Brussels `TIME` the data kept end", "holds place : l'`HEURE` bruxelloise où finissent les données gardées", "holds place: het Brusselse `TIJDSTIP` waarop de bewaarde gegevens eindigen", "holds place: die Brüsseler `ZEIT`, zu der die aufbewahrten Daten enden"},
		{"lookup: who asks, the `NAME` of the technician (default your name)", "lookup : qui demande, le `NOM` du technicien (par défaut le vôtre)", "lookup: wie vraagt, de `NAAM` van de technicus (standaard de uwe)", "lookup: wer fragt, der `NAME` des Technikers (Standard Ihr Name)"},
		{retentionUsage,
			"retention : ingest TYPE FICHIER, lookup RÉF ADRESSE [PORT] HEURE, holds list|place|lift, purge, verify, stats ANNÉE ou migrate",
			"retention: ingest SOORT BESTAND, lookup REF ADRES [POORT] TIJD, holds list|place|lift, purge, verify, stats JAAR of migrate",
			"retention: ingest ART DATEI, lookup REF ADRESSE [PORT] ZEIT, holds list|place|lift, purge, verify, stats JAHR oder migrate"},
		{"retention: give -keys DIR, the keys' directory outside the store", "retention : donnez -keys DIR, le répertoire des clés hors de la base", "retention: geef -keys DIR, de sleutelmap buiten de opslag", "retention: geben Sie -keys DIR an, das Schlüsselverzeichnis außerhalb des Speichers"},
		{"retention stats: give a YEAR, such as 2026", "retention stats : donnez une ANNÉE, comme 2026", "retention stats: geef een JAAR, zoals 2026", "retention stats: geben Sie ein JAHR an, etwa 2026"},
		{"retention ingest: give -device NAME, the system the file comes from", "retention ingest : donnez -device NOM, le système dont vient le fichier", "retention ingest: geef -device NAAM, het systeem waar het bestand vandaan komt", "retention ingest: geben Sie -device NAME an, das System, aus dem die Datei stammt"},
		{"retention ingest dhcp: give -subscribers FILE", "retention ingest dhcp : donnez -subscribers FICHIER", "retention ingest dhcp: geef -subscribers BESTAND", "retention ingest dhcp: geben Sie -subscribers DATEI an"},
		{"%s: not a JSON object {\"mac\": {MAC: SUBSCRIBER}}", "%s : pas un objet JSON {\"mac\": {MAC: ABONNÉ}}", "%s: geen JSON-object {\"mac\": {MAC: ABONNEE}}", "%s: kein JSON-Objekt {\"mac\": {MAC: TEILNEHMER}}"},
		{"retention ingest: KIND is static, dhcp, conntrack or detnat", "retention ingest : TYPE est static, dhcp, conntrack ou detnat", "retention ingest: SOORT is static, dhcp, conntrack of detnat", "retention ingest: ART ist static, dhcp, conntrack oder detnat"},
		{"%[1]d {1:record|records} ingested", "%[1]d {1:enregistrement ingéré|enregistrements ingérés}", "%[1]d {1:record ingelezen|records ingelezen}", "%[1]d {1:Datensatz eingelesen|Datensätze eingelesen}"},
		{"retention lookup: ADDRESS is an IPv4 or IPv6 address", "retention lookup : ADRESSE est une adresse IPv4 ou IPv6", "retention lookup: ADRES is een IPv4- of IPv6-adres", "retention lookup: ADRESSE ist eine IPv4- oder IPv6-Adresse"},
		{"retention lookup: PORT is 1 to 65535", "retention lookup : PORT va de 1 à 65535", "retention lookup: POORT is 1 tot 65535", "retention lookup: PORT ist 1 bis 65535"},
		{"%[1]d {1:candidate|candidates} for %[2]s at %[3]s", "%[1]d {1:candidat|candidats} pour %[2]s le %[3]s", "%[1]d {1:kandidaat|kandidaten} voor %[2]s op %[3]s", "%[1]d {1:Kandidat|Kandidaten} für %[2]s am %[3]s"},
		{"still open", "encore ouverte", "nog open", "noch offen"},
		{"through %s ports %s", "via %s ports %s", "via %s poorten %s", "über %s Ports %s"},
		{"ambiguous: %s", "ambigu : %s", "dubbelzinnig: %s", "mehrdeutig: %s"},
		{retention.SharedAddress.Text(), "plusieurs abonnés partageaient cette adresse à cette seconde et aucun port n'a été donné",
			"meerdere abonnees deelden dit adres op die seconde en er werd geen poort gegeven", "mehrere Teilnehmer teilten diese Adresse in dieser Sekunde, und kein Port wurde angegeben"},
		{retention.SeveralSubscribers.Text(), "plusieurs abonnés correspondent même avec le port : les sources divergent",
			"meerdere abonnees passen zelfs met de poort: de bronnen spreken elkaar tegen", "mehrere Teilnehmer passen auch mit dem Port: die Quellen widersprechen sich"},
		{retention.BetweenSessions.Text(), "aucun enregistrement ne couvre l'instant : il tombe entre deux sessions",
			"geen record dekt het tijdstip: het valt tussen twee sessies", "kein Datensatz deckt den Zeitpunkt: er liegt zwischen zwei Sitzungen"},
		{retention.ClockTolerance.Text(), "un candidat ne couvre l'instant qu'à l'erreur des horloges près d'une limite",
			"een kandidaat dekt het tijdstip slechts binnen de klokfout van een grens", "ein Kandidat deckt den Zeitpunkt nur innerhalb des Uhrenfehlers einer Grenze"},
		{retention.OpenSession.Text(), "la session d'un candidat était signalée en cours et sa fin n'est pas connue",
			"de sessie van een kandidaat werd als lopend gemeld en het einde is onbekend", "die Sitzung eines Kandidaten wurde als laufend gemeldet, ihr Ende ist unbekannt"},
		{retention.UnboundedClock.Text(), "l'horloge de la source d'un candidat n'était pas synchronisée avec une erreur bornée connue",
			"de klok van de bron van een kandidaat was niet gesynchroniseerd met een bekende foutgrens", "die Uhr der Quelle eines Kandidaten war nicht mit bekannter Fehlergrenze synchronisiert"},
		{"in force", "en vigueur", "van kracht", "in Kraft"},
		{"lifted %s", "levé le %s", "opgeheven op %s", "aufgehoben am %s"},
		{"%[1]d {1:hold|holds}", "%[1]d {1:gel|gels}", "%[1]d {1:bewaring|bewaringen}", "%[1]d {1:Sicherung|Sicherungen}"},
		{"retention holds place: a TARGET is an address, a prefix or a subscriber reference", "retention holds place : une CIBLE est une adresse, un préfixe ou une référence d'abonné",
			"retention holds place: een DOEL is een adres, een prefix of een abonneereferentie", "retention holds place: ein ZIEL ist eine Adresse, ein Präfix oder eine Teilnehmerreferenz"},
		{"hold %s placed for case %s", "gel %s posé pour le dossier %s", "bewaring %s geplaatst voor zaak %s", "Sicherung %s für Fall %s gesetzt"},
		{"hold %s lifted", "gel %s levé", "bewaring %s opgeheven", "Sicherung %s aufgehoben"},
		{"retention holds: list, place CASE TARGET... -from TIME -until TIME, or lift HOLD CASE", "retention holds : list, place DOSSIER CIBLE... -from HEURE -until HEURE, ou lift GEL DOSSIER",
			"retention holds: list, place ZAAK DOEL... -from TIJD -until TIJD, of lift BEWARING ZAAK", "retention holds: list, place FALL ZIEL... -from ZEIT -until ZEIT, oder lift SICHERUNG FALL"},
		{"destroyed: %s %s, %d records, %d keys", "détruit : %s %s, %d enregistrements, %d clés", "vernietigd: %s %s, %d records, %d sleutels", "vernichtet: %s %s, %d Datensätze, %d Schlüssel"},
		{"%[1]d {1:period|periods} destroyed, %[2]d kept whole", "%[1]d {1:période détruite|périodes détruites}, %[2]d gardées entières", "%[1]d {1:periode|periodes} vernietigd, %[2]d geheel bewaard", "%[1]d {1:Zeitraum|Zeiträume} vernichtet, %[2]d ganz behalten"},
		{"retention store intact: %d files, %d blocks, %d records", "base de conservation intacte : %d fichiers, %d blocs, %d enregistrements", "bewaaropslag intact: %d bestanden, %d blokken, %d records", "Vorratsspeicher unversehrt: %d Dateien, %d Blöcke, %d Datensätze"},
		{"Yearly report for BIPT, %d (exact counts, confidential)", "Rapport annuel pour l'IBPT, %d (nombres exacts, confidentiel)", "Jaarverslag voor het BIPT, %d (exacte aantallen, vertrouwelijk)", "Jahresbericht für das BIPT, %d (genaue Zahlen, vertraulich)"},
		{"requests: %d", "demandes : %d", "verzoeken: %d", "Anfragen: %d"},
		{"data items transmitted: %d", "données transmises : %d", "verstrekte gegevens: %d", "übermittelte Daten: %d"},
		{"requests left unanswered: %d", "demandes restées sans réponse : %d", "onbeantwoorde verzoeken: %d", "unbeantwortete Anfragen: %d"},
		{"age of the data requested:", "âge des données demandées :", "ouderdom van de gevraagde gegevens:", "Alter der angefragten Daten:"},
		{"%d months or more", "%d mois ou plus", "%d maanden of meer", "%d Monate oder mehr"},
		{"%d to %d months", "%d à %d mois", "%d tot %d maanden", "%d bis %d Monate"},
		{"ambiguous answers (the cell's own count): %d", "réponses ambiguës (compte propre de la cellule) : %d", "dubbelzinnige antwoorden (eigen telling van de cel): %d", "mehrdeutige Antworten (eigene Zählung der Zelle): %d"},
		{"Sources:", "Sources :", "Bronnen:", "Quellen:"},
	}...)
}
