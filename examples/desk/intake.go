package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
)

// IntakeConfig is desk.json's "intake": how the cell's mail intake judges
// a sender.
type IntakeConfig struct {
	// AuthServID is the authserv-id the cell's mail server writes in its
	// Authentication-Results fields (OpenDKIM's and OpenDMARC's
	// AuthservID); only its results are read.
	AuthServID string `json:"authserv_id,omitempty"`
	// ReceivedBy is the host name the mail server writes after "by" in
	// its Received fields (Postfix's myhostname), when it is not the
	// authserv-id: the moment the server accepted a message is read
	// there.
	ReceivedBy string `json:"received_by,omitempty"`
	// Domains are the sender domains the cell listed as its
	// authorities'; a listed domain covers its subdomains.
	Domains []string `json:"domains,omitempty"`
	// MaxSize bounds a message's bytes (default and at most 25 MiB).
	MaxSize int `json:"max_size,omitempty"`
}

// intakeOptions are desk intake's own flags.
type intakeOptions struct {
	all                        bool
	unverified                 bool
	output                     string
	number, published, outcome string
}

// intakeCommand is desk intake: the mail server's pipe (receive), and
// what members do with what came in.
func intakeCommand() command {
	o := &intakeOptions{}
	return command{"intake", "receive|list|show|accept|transcribe|callback", "requisitions received by e-mail: the mail server's pipe, and the members' list, acceptance, transcription and call-backs",
		func(s *session, fs *flag.FlagSet) {
			cellFlags(s, fs)
			fs.BoolVar(&o.all, "all", false, "list: every intake, those already turned into cases too")
			fs.BoolVar(&o.unverified, "unverified", false, "accept, transcribe: act on an intake whose sender nothing vouches for (record a call-back first)")
			fs.StringVar(&o.output, "o", "", "show: write the original message to `FILE` (created, mode 0600)")
			fs.StringVar(&o.number, "number", "", "callback: the `NUMBER` called (E.164), one the authority publishes, not one the message gives")
			fs.StringVar(&o.published, "published", "", "callback: `WHERE` the number is published")
			fs.StringVar(&o.outcome, "outcome", "", "callback: confirmed, denied or unreachable")
		},
		func(s *session, args []string) error { return runIntake(s, o, args) }}
}

const intakeUsage = "intake: receive (the mail server's pipe), list, show N, accept N, transcribe N FILE.json or callback N"

// pipeError is an error of desk intake receive, with the exit code the
// mail server reads (sysexits.h).
type pipeError struct {
	code int
	err  error
}

func (e *pipeError) Error() string { return e.err.Error() }
func (e *pipeError) Unwrap() error { return e.err }

// runIntake runs a subcommand of desk intake.
func runIntake(s *session, o *intakeOptions, args []string) error {
	if len(args) == 0 {
		return inputErr(intakeUsage)
	}
	sub, rest := args[0], args[1:]
	want := map[string]int{"receive": 0, "list": 0, "show": 1, "accept": 1, "transcribe": 2, "callback": 1}
	n, ok := want[sub]
	if !ok || len(rest) != n {
		return inputErr(intakeUsage)
	}
	if sub == "receive" {
		return s.intakeReceive()
	}
	seq := uint64(0)
	if n > 0 {
		v, err := strconv.ParseUint(rest[0], 10, 64)
		if err != nil || v == 0 {
			return inputErr("intake: N is an intake's number, as desk intake list shows it")
		}
		seq = v
	}
	if err := s.load(); err != nil {
		return err
	}
	if sub == "callback" {
		return s.intakeCallBack(o, seq)
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	switch sub {
	case "list":
		return s.intakeList(o)
	case "show":
		return s.intakeShow(o, seq)
	case "accept":
		return s.intakeAccept(o, seq, nil)
	default:
		b, err := readFile(rest[1])
		if err != nil {
			return err
		}
		req, err := requisition.Decode(b)
		if err != nil {
			return err
		}
		return s.intakeAccept(o, seq, &req)
	}
}

// intakeReceive is the mail server's pipe: one message on standard
// input, recorded as the intake service, and an exit code the server
// reads. A reply to a page that carries its one-time code is recorded as
// the member's acknowledgement instead. With desk.json's paging, a new
// intake pages the member on call. It writes nothing on standard output;
// on standard error, lines without anything of the message.
func (s *session) intakeReceive() error {
	id, err := loadIdentity(s.identity)
	if err == nil && id.Role() != register.RoleService {
		err = inputErr("intake receive runs as the intake's service identity (desk member keygen -role service), not as a member")
	}
	var cfg Config
	if err == nil {
		cfg, err = loadConfig(configPath(s.dir))
	}
	// The register: the journal file in -dir, or PostgreSQL when a
	// connection string is configured (desk.json's register_dsn_file,
	// readable by the pipe's user only; docs/postgres.md).
	var store register.StoreOpener
	if err == nil {
		s.cfg = cfg
		store, err = s.registerStore()
	}
	if err != nil {
		return &pipeError{intake.ExitTempFail, err}
	}
	limit := cfg.Intake.MaxSize
	if limit <= 0 || limit > intake.DefaultMaxSize {
		limit = intake.DefaultMaxSize
	}
	raw, err := io.ReadAll(io.LimitReader(s.stdin, int64(limit)+1))
	if err != nil {
		return &pipeError{intake.ExitTempFail, err}
	}
	s.pipe = true
	rest := io.MultiReader(bytes.NewReader(raw), s.stdin)
	reader := &intake.EmailReader{AuthServID: cfg.Intake.AuthServID, ReceivedBy: cfg.Intake.ReceivedBy, Domains: cfg.Intake.Domains}
	if cfg.Paging != nil && len(raw) <= limit {
		// Best effort: what cannot be checked as an acknowledgement is
		// recorded as an intake; paging never stops the recording.
		done, err := s.intakeAck(cfg, id, store, reader, raw)
		if err != nil {
			fmt.Fprintln(s.err, printer(s.tag).Sprintf("desk: the message could not be checked as a reply to a page; it is recorded as an intake"))
		}
		if done && err == nil {
			return nil
		}
	}
	icfg := intake.Config{Store: store, Identity: id, Clock: s.clock, MaxSize: cfg.Intake.MaxSize, Verdict: s.verdict}
	res, err := intake.Receive(icfg, reader, rest)
	err = quietPG(err)
	if err != nil && res.Seq == 0 {
		return &pipeError{intake.ExitCode(err), err}
	}
	if cfg.Paging != nil && !res.Duplicate && !res.Automatic {
		if perr := s.pageIntake(cfg, id, res); perr != nil {
			fmt.Fprintln(s.err, printer(s.tag).Sprintf("desk: the intake is recorded, but nobody was paged: check desk.json's paging and the cell file; the watch pages it"))
		}
	}
	if err != nil {
		return &pipeError{intake.ExitCode(err), err}
	}
	if s.asJSON {
		return s.printJSON(res)
	}
	return nil
}

// intakeAck records a reply to a page as its acknowledgement, when it is
// one (done); a reply whose code does not check is an intake like any
// other.
func (s *session) intakeAck(cfg Config, service register.Identity, store register.StoreOpener, reader *intake.EmailReader, raw []byte) (done bool, err error) {
	policy, err := cfg.Paging.policy()
	if err != nil {
		return false, err
	}
	cell, err := loadCell(s.cellFile(), s.now())
	if err != nil {
		return false, err
	}
	key, err := cfg.Paging.codeKey(service)
	if err != nil {
		return false, err
	}
	a, ok := ackReply(raw, reader, cell, key, policy, s.now())
	if !ok {
		return false, nil
	}
	if _, err := recordAck(store, service, a); err != nil {
		return false, err
	}
	return true, nil
}

// intakeList lists the intakes waiting for a case (-all: every one).
func (s *session) intakeList(o *intakeOptions) error {
	list := intake.List(s.reg)
	var shown []intake.Intake
	for _, in := range list {
		if o.all || in.Case == "" {
			shown = append(shown, in)
		}
	}
	if s.asJSON {
		return s.printJSON(intakeJSON(shown))
	}
	p := printer(s.tag)
	if o.all {
		fmt.Fprintln(s.out, p.Sprintf("Intakes (%d):", len(shown)))
	} else {
		fmt.Fprintln(s.out, p.Sprintf("Intakes waiting for a case (%d):", len(shown)))
	}
	for _, in := range shown {
		s.intakeLine(in)
	}
	return nil
}

// intakeLine writes one intake for people: its number, when, what it
// holds, its case, whether its sender is vouched for, and the warnings.
func (s *session) intakeLine(in intake.Intake) {
	p := printer(s.tag)
	if in.Err != nil {
		fmt.Fprintln(s.out, "  "+p.Sprintf("#%[1]d received %[2]s: cannot be read as an intake", in.Seq, stamp(in.At, s.tag)))
		return
	}
	var what string
	switch in.Record.Status {
	case intake.Readable:
		what = p.Sprintf("%[1]d {1:requisition|requisitions} read", len(in.Record.Requisitions))
	case intake.Refused:
		what = p.Sprintf("refused: larger than the limit (the sender was told)")
	default:
		what = p.Sprintf("to transcribe (%[1]d {1:part|parts})", len(in.Record.Parts))
	}
	fmt.Fprintln(s.out, "  "+p.Sprintf("#%[1]d received %[2]s, %[3]s", in.Seq, stamp(in.At, s.tag), what))
	if in.Case != "" {
		fmt.Fprintln(s.out, "    "+p.Sprintf("case %s", in.Case))
	}
	if in.Record.Automatic {
		fmt.Fprintln(s.out, "    "+p.Sprintf("written by a program (a bounce or an auto-reply): nobody was paged"))
	}
	s.pagingLines(paging.IntakeID(in.Seq))
	if in.Verified() {
		fmt.Fprintln(s.out, "    "+p.Sprintf("sender verified"))
	}
	for _, f := range in.Findings() {
		fmt.Fprintln(s.out, "    ! "+p.Sprintf(intakeFinding(f.Rule)))
	}
	if len(in.Record.Problems) > 0 {
		fmt.Fprintln(s.out, "    "+p.Sprintf("%[1]d {1:part|parts} of the message could not be read: desk intake show lists them", len(in.Record.Problems)))
	}
}

// intakeFinding is the sentence said for a finding of an intake.
func intakeFinding(rule string) string {
	switch rule {
	case "intake-sender-listed":
		return "the sender's domain is not one the cell listed as an authority's: call the authority back on a number it publishes before acting"
	case "intake-authentication-results":
		return "the cell's mail server recorded no SPF, DKIM or DMARC result: call the authority back before acting"
	case "intake-dmarc":
		return "DMARC did not pass: the message may be forged; call the authority back before acting"
	case "intake-call-back":
		return "the authority, called back, said it did not send this order: treat it as a forgery, and report it"
	}
	return "the sender is not verified: call the authority back before acting"
}

// intakeSummary is an intake in -json: what was read, not the message.
type intakeSummary struct {
	Seq          uint64               `json:"intake"`
	Received     string               `json:"received"`
	Status       intake.Status        `json:"status"`
	Case         string               `json:"case,omitempty"`
	Verified     bool                 `json:"verified"`
	Requisitions int                  `json:"requisitions"`
	Parts        []intake.Part        `json:"parts,omitempty"`
	Authenticity intake.Authenticity  `json:"authenticity"`
	CallBacks    []intakeCallBackJSON `json:"call_backs,omitempty"`
	Problems     []string             `json:"problems,omitempty"`
	Warnings     []intakeWarningJSON  `json:"warnings,omitempty"`
	Unreadable   bool                 `json:"unreadable,omitempty"`
}

type intakeCallBackJSON struct {
	At      string         `json:"at"`
	By      string         `json:"by"`
	Number  string         `json:"number"`
	Outcome intake.Outcome `json:"outcome"`
}

type intakeWarningJSON struct {
	Rule   string `json:"rule"`
	Source string `json:"source"`
}

func intakeJSON(list []intake.Intake) []intakeSummary {
	out := []intakeSummary{}
	for _, in := range list {
		j := intakeSummary{Seq: in.Seq, Received: in.At.String(), Unreadable: in.Err != nil}
		if in.Err == nil {
			j.Status, j.Case, j.Verified, j.Requisitions = in.Record.Status, in.Case, in.Verified(), len(in.Record.Requisitions)
			j.Parts, j.Authenticity, j.Problems = in.Record.Parts, in.Record.Authenticity, in.Record.Problems
			for _, c := range in.CallBacks {
				j.CallBacks = append(j.CallBacks, intakeCallBackJSON{c.At.String(), c.By, c.Number, c.Outcome})
			}
			for _, f := range in.Findings() {
				j.Warnings = append(j.Warnings, intakeWarningJSON{f.Rule, f.Source.String()})
			}
		}
		out = append(out, j)
	}
	return out
}

// find returns the intake numbered seq.
func (s *session) findIntake(seq uint64) (intake.Intake, error) {
	for _, in := range intake.List(s.reg) {
		if in.Seq == seq {
			return in, nil
		}
	}
	return intake.Intake{}, inputErr("intake: no intake is numbered %d (desk intake list -all)", seq)
}

// intakeShow shows one intake: its parts and problems; -o writes the
// original message to a file for a member to read.
func (s *session) intakeShow(o *intakeOptions, seq uint64) error {
	in, err := s.findIntake(seq)
	if err != nil {
		return err
	}
	if o.output != "" && in.Err == nil {
		f, err := os.OpenFile(o.output, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return inputErr("-o: %v", errors.Unwrap(err))
		}
		_, werr := f.Write(in.Record.Raw)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
	}
	if s.asJSON {
		return s.printJSON(intakeJSON([]intake.Intake{in})[0])
	}
	s.intakeLine(in)
	p := printer(s.tag)
	for i, part := range in.Record.Parts {
		name := part.Filename
		if name == "" {
			name = "-"
		}
		fmt.Fprintf(s.out, "    %d. %s %s, %s\n", i+1, oneLine(part.Type), oneLine(name), p.Sprintf("%[1]d {1:byte|bytes}", part.Size))
	}
	for _, c := range in.CallBacks {
		fmt.Fprintln(s.out, "    "+p.Sprintf("call-back by %[1]s at %[2]s to %[3]s: %[4]s", c.By, stamp(c.At, s.tag), c.Number, p.Sprintf(string(c.Outcome))))
	}
	if o.output != "" && in.Err == nil {
		fmt.Fprintln(s.out, p.Sprintf("the original message is in %s", o.output))
	}
	return nil
}

// intakeAccept turns an intake into a case: its one requisition read by
// a program, or req, a member's transcription. An intake whose sender
// nothing vouches for needs -unverified.
func (s *session) intakeAccept(o *intakeOptions, seq uint64, req *requisition.Requisition) error {
	in, err := s.findIntake(seq)
	if err != nil {
		return err
	}
	if in.Err == nil && !in.Verified() && !o.unverified {
		return inputErr("intake: the sender of intake %d is not verified: call the authority back on a number it publishes (desk intake callback), or give -unverified", seq)
	}
	var c register.Case
	if req == nil {
		c, err = intake.Accept(s.reg, seq, s.me.Name(), s.verdict())
	} else {
		c, err = intake.Transcribe(s.reg, seq, *req, s.me.Name(), s.verdict())
	}
	if errors.Is(err, intake.ErrTranscribe) {
		return inputErr("intake: intake %d holds no single requisition a program read: transcribe it (desk intake transcribe %d FILE.json)", seq, seq)
	}
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(map[string]any{"case": c.ID, "intake": seq, "received": c.Requisition.Received.String()})
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("case %[1]s received from intake %[2]d, at %[3]s", c.ID, seq, stamp(c.Requisition.Received, s.tag)))
	return nil
}

// intakeCallBack records a member's call-back about an intake.
func (s *session) intakeCallBack(o *intakeOptions, seq uint64) error {
	id, err := loadIdentity(s.identity)
	if err != nil {
		return err
	}
	if _, ok := s.cell.Member(id.Name()); !ok || id.Role() != register.RoleMember {
		return inputErr("%s: your identity's name is not a member of the cell in %s", s.identity, s.cellPath)
	}
	store, err := s.registerStore()
	if err != nil {
		return err
	}
	c, err := intake.RecordCallBackTo(store, id, intake.CallBack{Intake: seq, Number: o.number, Published: o.published, Outcome: intake.Outcome(o.outcome)})
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(intakeCallBackJSON{c.At.String(), id.Name(), c.Number, c.Outcome})
	}
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("call-back by %[1]s at %[2]s to %[3]s: %[4]s", id.Name(), stamp(c.At, s.tag), c.Number, p.Sprintf(string(c.Outcome))))
	return nil
}

// intakeSentences are desk intake's sentences: English, French, Dutch,
// German.
func intakeSentences() [][]string {
	return [][]string{
		{"requisitions received by e-mail: the mail server's pipe, and the members' list, acceptance, transcription and call-backs",
			"les réquisitions reçues par courriel : le tube du serveur de messagerie, et la liste, l'acceptation, la transcription et les rappels des membres",
			"per e-mail ontvangen vorderingen: de pijp van de mailserver, en de lijst, aanvaarding, overschrijving en terugbelacties van de leden",
			"per E-Mail eingegangene Anordnungen: die Pipe des Mailservers sowie Liste, Annahme, Abschrift und Rückrufe der Mitglieder"},
		{"Writes to the register for receive, accept, transcribe and callback; list and show record nothing.",
			"Écrit au registre pour receive, accept, transcribe et callback ; list et show n'y consignent rien.",
			"Schrijft in het register bij receive, accept, transcribe en callback; list en show leggen niets vast.",
			"Schreibt bei receive, accept, transcribe und callback in das Register; list und show halten nichts fest."},
		{"list: every intake, those already turned into cases too",
			"list : toutes les réceptions, y compris celles déjà devenues des dossiers",
			"list: alle ontvangsten, ook die al dossiers werden",
			"list: alle Eingänge, auch die bereits zu Fällen gewordenen"},
		{"accept, transcribe: act on an intake whose sender nothing vouches for (record a call-back first)",
			"accept, transcribe : agir sur une réception dont rien ne garantit l'expéditeur (consignez d'abord un rappel)",
			"accept, transcribe: handelen op een ontvangst waarvan niets de afzender waarborgt (leg eerst een terugbelactie vast)",
			"accept, transcribe: auf einen Eingang handeln, dessen Absender nichts verbürgt (zuerst einen Rückruf festhalten)"},
		{"show: write the original message to `FILE` (created, mode 0600)",
			"show : écrire le message original dans `FICHIER` (créé, mode 0600)",
			"show: het oorspronkelijke bericht naar `BESTAND` schrijven (aangemaakt, modus 0600)",
			"show: die ursprüngliche Nachricht in `DATEI` schreiben (neu angelegt, Modus 0600)"},
		{"callback: the `NUMBER` called (E.164), one the authority publishes, not one the message gives",
			"callback : le `NUMÉRO` appelé (E.164), publié par l'autorité, pas celui que donne le message",
			"callback: het gebelde `NUMMER` (E.164), door de overheid bekendgemaakt, niet dat uit het bericht",
			"callback: die angerufene `NUMMER` (E.164), von der Behörde veröffentlicht, nicht die aus der Nachricht"},
		{"callback: `WHERE` the number is published",
			"callback : `OÙ` le numéro est publié",
			"callback: `WAAR` het nummer bekendgemaakt is",
			"callback: `WO` die Nummer veröffentlicht ist"},
		{"callback: confirmed, denied or unreachable",
			"callback : confirmed (confirmé), denied (démenti) ou unreachable (injoignable)",
			"callback: confirmed (bevestigd), denied (ontkend) of unreachable (onbereikbaar)",
			"callback: confirmed (bestätigt), denied (bestritten) oder unreachable (nicht erreichbar)"},
		{"intake: receive (the mail server's pipe), list, show N, accept N, transcribe N FILE.json or callback N",
			"intake : receive (le tube du serveur de messagerie), list, show N, accept N, transcribe N FICHIER.json ou callback N",
			"intake: receive (de pijp van de mailserver), list, show N, accept N, transcribe N BESTAND.json of callback N",
			"intake: receive (die Pipe des Mailservers), list, show N, accept N, transcribe N DATEI.json oder callback N"},
		{"intake: N is an intake's number, as desk intake list shows it",
			"intake : N est le numéro d'une réception, tel que desk intake list l'affiche",
			"intake: N is het nummer van een ontvangst, zoals desk intake list het toont",
			"intake: N ist die Nummer eines Eingangs, wie desk intake list sie zeigt"},
		{"intake receive runs as the intake's service identity (desk member keygen -role service), not as a member",
			"intake receive s'exécute sous l'identité de service de la réception (desk member keygen -role service), pas sous celle d'un membre",
			"intake receive draait onder de service-identiteit van de ontvangst (desk member keygen -role service), niet als lid",
			"intake receive läuft unter der Dienstidentität des Eingangs (desk member keygen -role service), nicht als Mitglied"},
		{"desk: the intake is recorded, but nobody was paged: check desk.json's paging and the cell file; the watch pages it",
			"desk : la réception est consignée, mais personne n'a été appelé : vérifiez la section paging de desk.json et le fichier de la cellule ; la veille l'appellera",
			"desk: de ontvangst is vastgelegd, maar niemand werd opgeroepen: controleer de paging-sectie van desk.json en het celbestand; de wachtdienst roept op",
			"desk: der Eingang ist festgehalten, aber niemand wurde benachrichtigt: prüfen Sie den Abschnitt paging in desk.json und die Zellendatei; der Wachdienst benachrichtigt"},
		{"desk: the message could not be checked as a reply to a page; it is recorded as an intake",
			"desk : le message n'a pu être vérifié comme réponse à un appel ; il est consigné comme réception",
			"desk: het bericht kon niet gecontroleerd worden als antwoord op een oproep; het wordt als ontvangst vastgelegd",
			"desk: die Nachricht konnte nicht als Antwort auf eine Benachrichtigung geprüft werden; sie wird als Eingang festgehalten"},
		{"-id: I- begins the numbers of intakes (I-17), not a case's",
			"-id : I- commence les numéros des réceptions (I-17), pas ceux des dossiers",
			"-id: I- begint de nummers van ontvangsten (I-17), niet die van dossiers",
			"-id: I- beginnt die Nummern von Eingängen (I-17), nicht die von Fällen"},
		{"written by a program (a bounce or an auto-reply): nobody was paged", "écrite par un programme (un rejet ou une réponse automatique) : personne n'a été appelé", "geschreven door een programma (een bounce of een automatisch antwoord): niemand werd opgeroepen", "von einem Programm geschrieben (ein Unzustellbarkeitsbericht oder eine automatische Antwort): niemand wurde benachrichtigt"},
		{"paged %[1]s at %[2]s: %[3]s", "appel à %[1]s le %[2]s : %[3]s", "oproep aan %[1]s op %[2]s: %[3]s", "Benachrichtigung an %[1]s am %[2]s: %[3]s"},
		{"sent", "envoyé", "verstuurd", "gesendet"},
		{"not delivered", "non remis", "niet afgeleverd", "nicht zugestellt"},
		{"acknowledged by %[1]s at %[2]s", "pris en charge par %[1]s le %[2]s", "bevestigd door %[1]s op %[2]s", "quittiert von %[1]s am %[2]s"},
		{"NUMBER", "NUMÉRO", "NUMMER", "NUMMER"},
		{"WHERE", "OÙ", "WAAR", "WO"},
		{"Intakes (%d):", "Réceptions (%d) :", "Ontvangsten (%d):", "Eingänge (%d):"},
		{"Intakes waiting for a case (%d):", "Réceptions en attente d'un dossier (%d) :", "Ontvangsten die op een dossier wachten (%d):", "Eingänge, die auf einen Fall warten (%d):"},
		{"#%[1]d received %[2]s: cannot be read as an intake", "n° %[1]d reçue le %[2]s : illisible comme réception", "nr. %[1]d ontvangen op %[2]s: onleesbaar als ontvangst", "Nr. %[1]d eingegangen am %[2]s: als Eingang nicht lesbar"},
		{"%[1]d {1:requisition|requisitions} read", "%[1]d {1:réquisition lue|réquisitions lues}", "%[1]d {1:vordering|vorderingen} gelezen", "%[1]d {1:Anordnung|Anordnungen} gelesen"},
		{"refused: larger than the limit (the sender was told)", "refusée : plus grande que la limite (l'expéditeur en a été averti)", "geweigerd: groter dan de grens (de afzender is verwittigd)", "abgewiesen: größer als die Grenze (der Absender wurde benachrichtigt)"},
		{"to transcribe (%[1]d {1:part|parts})", "à transcrire (%[1]d {1:partie|parties})", "over te schrijven (%[1]d {1:deel|delen})", "abzuschreiben (%[1]d {1:Teil|Teile})"},
		{"#%[1]d received %[2]s, %[3]s", "n° %[1]d reçue le %[2]s, %[3]s", "nr. %[1]d ontvangen op %[2]s, %[3]s", "Nr. %[1]d eingegangen am %[2]s, %[3]s"},
		{"case %s", "dossier %s", "dossier %s", "Fall %s"},
		{"sender verified", "expéditeur vérifié", "afzender geverifieerd", "Absender überprüft"},
		{"%[1]d {1:part|parts} of the message could not be read: desk intake show lists them",
			"%[1]d {1:partie|parties} du message n'ont pu être lues : desk intake show les énumère",
			"%[1]d {1:deel|delen} van het bericht konden niet gelezen worden: desk intake show somt ze op",
			"%[1]d {1:Teil|Teile} der Nachricht konnten nicht gelesen werden: desk intake show zählt sie auf"},
		{"the sender's domain is not one the cell listed as an authority's: call the authority back on a number it publishes before acting",
			"le domaine de l'expéditeur n'est pas un de ceux que la cellule a listés pour une autorité : rappelez l'autorité à un numéro qu'elle publie avant d'agir",
			"het domein van de afzender staat niet op de lijst van de cel voor een overheid: bel de overheid terug op een nummer dat ze bekendmaakt voor u handelt",
			"die Domäne des Absenders ist keine, die die Zelle für eine Behörde aufgeführt hat: rufen Sie die Behörde unter einer von ihr veröffentlichten Nummer zurück, bevor Sie handeln"},
		{"the cell's mail server recorded no SPF, DKIM or DMARC result: call the authority back before acting",
			"le serveur de messagerie de la cellule n'a consigné aucun résultat SPF, DKIM ou DMARC : rappelez l'autorité avant d'agir",
			"de mailserver van de cel legde geen SPF-, DKIM- of DMARC-resultaat vast: bel de overheid terug voor u handelt",
			"der Mailserver der Zelle hat kein SPF-, DKIM- oder DMARC-Ergebnis festgehalten: rufen Sie die Behörde zurück, bevor Sie handeln"},
		{"DMARC did not pass: the message may be forged; call the authority back before acting",
			"DMARC n'a pas réussi : le message est peut-être falsifié ; rappelez l'autorité avant d'agir",
			"DMARC is niet geslaagd: het bericht kan vervalst zijn; bel de overheid terug voor u handelt",
			"DMARC ist nicht bestanden: die Nachricht kann gefälscht sein; rufen Sie die Behörde zurück, bevor Sie handeln"},
		{"the authority, called back, said it did not send this order: treat it as a forgery, and report it",
			"l'autorité, rappelée, a dit ne pas avoir envoyé cet ordre : traitez-le comme un faux, et signalez-le",
			"de teruggebelde overheid zei dit bevel niet te hebben gestuurd: behandel het als een vervalsing en meld het",
			"die zurückgerufene Behörde sagte, diese Anordnung nicht gesendet zu haben: behandeln Sie sie als Fälschung und melden Sie sie"},
		{"the sender is not verified: call the authority back before acting",
			"l'expéditeur n'est pas vérifié : rappelez l'autorité avant d'agir",
			"de afzender is niet geverifieerd: bel de overheid terug voor u handelt",
			"der Absender ist nicht überprüft: rufen Sie die Behörde zurück, bevor Sie handeln"},
		{"intake: no intake is numbered %d (desk intake list -all)", "intake : aucune réception ne porte le numéro %d (desk intake list -all)", "intake: geen ontvangst heeft nummer %d (desk intake list -all)", "intake: kein Eingang hat die Nummer %d (desk intake list -all)"},
		{"%[1]d {1:byte|bytes}", "%[1]d {1:octet|octets}", "%[1]d {1:byte|bytes}", "%[1]d {1:Byte|Bytes}"},
		{"call-back by %[1]s at %[2]s to %[3]s: %[4]s", "rappel par %[1]s le %[2]s au %[3]s : %[4]s", "terugbelactie door %[1]s op %[2]s naar %[3]s: %[4]s", "Rückruf durch %[1]s am %[2]s an %[3]s: %[4]s"},
		{"confirmed", "confirmé", "bevestigd", "bestätigt"},
		{"denied", "démenti", "ontkend", "bestritten"},
		{"unreachable", "injoignable", "onbereikbaar", "nicht erreichbar"},
		{"the original message is in %s", "le message original est dans %s", "het oorspronkelijke bericht staat in %s", "die ursprüngliche Nachricht ist in %s"},
		{"intake: the sender of intake %d is not verified: call the authority back on a number it publishes (desk intake callback), or give -unverified",
			"intake : l'expéditeur de la réception %d n'est pas vérifié : rappelez l'autorité à un numéro qu'elle publie (desk intake callback), ou donnez -unverified",
			"intake: de afzender van ontvangst %d is niet geverifieerd: bel de overheid terug op een nummer dat ze bekendmaakt (desk intake callback), of geef -unverified",
			"intake: der Absender des Eingangs %d ist nicht überprüft: rufen Sie die Behörde unter einer veröffentlichten Nummer zurück (desk intake callback), oder geben Sie -unverified an"},
		{"intake: intake %d holds no single requisition a program read: transcribe it (desk intake transcribe %d FILE.json)",
			"intake : la réception %d ne contient pas une seule réquisition lue par un programme : transcrivez-la (desk intake transcribe %d FICHIER.json)",
			"intake: ontvangst %d bevat geen enkele vordering die een programma las: schrijf ze over (desk intake transcribe %d BESTAND.json)",
			"intake: Eingang %d enthält nicht genau eine von einem Programm gelesene Anordnung: schreiben Sie ihn ab (desk intake transcribe %d DATEI.json)"},
		{"case %[1]s received from intake %[2]d, at %[3]s", "dossier %[1]s reçu de la réception %[2]d, le %[3]s", "dossier %[1]s ontvangen uit ontvangst %[2]d, op %[3]s", "Fall %[1]s aus Eingang %[2]d eingegangen, am %[3]s"},
	}
}
