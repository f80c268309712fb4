package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// PagingConfig is desk.json's "paging": how the member on call is paged
// when a requisition arrives, and through which services. Secrets are
// read from files (mode 0600), never from desk.json or a command line.
type PagingConfig struct {
	// Policy is the escalation policy (paging.DecodePolicy); omitted
	// fields take paging.DefaultPolicy's.
	Policy json.RawMessage `json:"policy,omitempty"`
	// SMTP pages e-mail channels through a relay.
	SMTP *SMTPConfig `json:"smtp,omitempty"`
	// NtfyTokens maps an ntfy server's origin to the file of its access
	// token; a topic on a server without one is published anonymously.
	NtfyTokens map[string]string `json:"ntfy_tokens,omitempty"`
	// Matrix pages Matrix channels through the cell's bot.
	Matrix *MatrixConfig `json:"matrix,omitempty"`
	// WebhookSecretFile holds the HMAC key of webhook pages ("" sends
	// them unsigned).
	WebhookSecretFile string `json:"webhook_secret_file,omitempty"`
	// Timeout bounds the paging of one intake by the mail pipe, a Go
	// duration (default 2m): the mail server waits for the pipe.
	Timeout string `json:"timeout,omitempty"`
	// CodeKeyFile holds the key of the pages' one-time codes (32 random
	// bytes or more), readable by the intake and the watch, so that a
	// reply acknowledges any page; without it each signs its own.
	CodeKeyFile string `json:"code_key_file,omitempty"`
}

// SMTPConfig is the relay pages by e-mail go through.
type SMTPConfig struct {
	Host         string `json:"host"`
	Port         int    `json:"port,omitempty"`
	From         string `json:"from"`
	Username     string `json:"username,omitempty"`
	PasswordFile string `json:"password_file,omitempty"`
	// TLS is mandatory (STARTTLS, the default), implicit, or — for a
	// relay on this machine only — opportunistic or none.
	TLS string `json:"tls,omitempty"`
}

// MatrixConfig is the cell's Matrix bot.
type MatrixConfig struct {
	Homeserver string            `json:"homeserver"`
	TokenFile  string            `json:"token_file"`
	Rooms      map[string]string `json:"rooms"`
}

// secretFile reads a secret from a file, trimmed of its final newline.
func secretFile(path string) (paging.Secret, error) {
	if path == "" {
		return "", nil
	}
	b, err := readFile(path)
	if err != nil {
		return "", err
	}
	return paging.Secret(strings.TrimRight(string(b), "\r\n")), nil
}

// dispatcher builds the senders desk.json's paging names.
func (c *PagingConfig) dispatcher(clock timesync.Clock, p paging.Policy) (paging.Dispatcher, error) {
	d := paging.Dispatcher{Senders: map[ccj.ChannelKind]paging.Sender{}, Retry: p.Retry, Clock: clock}
	if c.SMTP != nil {
		pw, err := secretFile(c.SMTP.PasswordFile)
		if err != nil {
			return d, err
		}
		modes := map[string]paging.TLSMode{"": paging.TLSMandatory, "mandatory": paging.TLSMandatory, "implicit": paging.TLSImplicit, "opportunistic": paging.TLSOpportunistic, "none": paging.TLSNone}
		mode, ok := modes[c.SMTP.TLS]
		if !ok {
			return d, inputErr("desk.json: paging.smtp.tls is mandatory, implicit, opportunistic or none")
		}
		s := paging.SMTP{Host: c.SMTP.Host, Port: c.SMTP.Port, From: c.SMTP.From, Username: c.SMTP.Username, Password: pw, TLS: mode, Clock: clock}
		if err := s.Check(); err != nil {
			return d, err
		}
		d.Senders[ccj.Email] = s
	}
	tokens := map[string]paging.Secret{}
	for origin, file := range c.NtfyTokens {
		tok, err := secretFile(file)
		if err != nil {
			return d, err
		}
		tokens[origin] = tok
	}
	d.Senders[ccj.Ntfy] = paging.Ntfy{Tokens: tokens}
	if c.Matrix != nil {
		tok, err := secretFile(c.Matrix.TokenFile)
		if err != nil {
			return d, err
		}
		d.Senders[ccj.Matrix] = paging.Matrix{Homeserver: c.Matrix.Homeserver, Token: tok, Rooms: c.Matrix.Rooms}
	}
	sec, err := secretFile(c.WebhookSecretFile)
	if err != nil {
		return d, err
	}
	d.Senders[ccj.Webhook] = paging.Webhook{Secret: sec}
	return d, nil
}

// pageIntake pages the member on call about a new intake, as the intake
// service: the plan's first step (paging.Next with no event yet), every
// attempt and the Paged event recorded in the register. A failure to page
// is reported and recorded; it never undoes the intake, which is safe.
func (s *session) pageIntake(cfg Config, service register.Identity, res intake.Result) error {
	pc := cfg.Paging
	policy, err := pc.policy()
	if err != nil {
		return err
	}
	cell, err := loadCell(s.cellFile(), s.now())
	if err != nil {
		return err
	}
	d, err := pc.dispatcher(s.clock, policy)
	if err != nil {
		return err
	}
	key, err := pc.codeKey(service)
	if err != nil {
		return err
	}
	timeout, err := pc.timeout()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	return s.pageNew(ctx, service, d, key, cell, policy, res)
}

// pageNew pages, through d, the first step of a new intake's plan
// (paging.Next with no event yet) and records it as service: what desk
// intake receive does once desk.json's paging is loaded, and what the
// demonstration does with its own dispatcher.
func (s *session) pageNew(ctx context.Context, service register.Identity, d paging.Dispatcher, key []byte, cell ccj.Cell, policy paging.Policy, res intake.Result) error {
	in := paging.Intake{Case: paging.IntakeID(res.Seq), Received: res.Receipt.Time(), Class: paging.Unread}
	plan, err := paging.Next(policy, cell, in, nil)
	if err != nil {
		return err
	}
	_, err = s.carryOut(ctx, service, d, key, cell, policy, in, plan.Actions)
	return err
}

// ackLine finds "desk ack CASE CODE" in a reply, quoted or not.
var ackLine = regexp.MustCompile(`desk ack (I-[0-9]{1,19}|W-[a-z]{4,9}-[0-9]{8}T[0-9]{6}Z|[0-9]{4}-[0-9]{4,6}) ([0-9A-Za-z]{5}-?[0-9A-Za-z]{5})`)

// ackReply reads a reply to a page: a message from a member's e-mail
// address, vouched for by the cell's mail server (DMARC passed for that
// address's domain, in the cell's own Authentication-Results), written
// by a person (not a bounce or a delivery report, and not an
// auto-reply: an out-of-office quoting the page acknowledges nothing),
// whose text — its transfer encoding undone — holds the page's
// acknowledgement line with its code. It returns the acknowledgement,
// the reply kept in it, checked against every second of the code's
// validity (the service keeps no record of the codes it issued: 7,200
// HMACs for two hours, a few milliseconds), or ok false when the message
// is no such reply — it is then an intake like any other.
func ackReply(raw []byte, reader *intake.EmailReader, cell ccj.Cell, key []byte, policy paging.Policy, now time.Time) (paging.Ack, bool) {
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return paging.Ack{}, false
	}
	for _, as := range msg.Header["Auto-Submitted"] {
		if v, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(as)), ";"); strings.TrimSpace(v) != "no" {
			return paging.Ack{}, false
		}
	}
	r := reader.Read(raw)
	if r.Automatic || r.Authenticity.ServID == "" || r.Authenticity.DMARC != "pass" {
		return paging.Ack{}, false
	}
	from, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil {
		return paging.Ack{}, false
	}
	member := ""
	for _, m := range cell.Members {
		if c := m.Contact(); c.Email != "" && strings.EqualFold(c.Email, from.Address) {
			member = m.ID
		}
	}
	if at := strings.LastIndexByte(from.Address, '@'); member == "" || at < 0 || !strings.EqualFold(from.Address[at+1:], r.Authenticity.FromDomain) {
		return paging.Ack{}, false
	}
	match := ackLine.FindSubmatch(reader.Text(raw))
	if match == nil {
		return paging.Ack{}, false
	}
	c, err := paging.ParseCaseID(string(match[1]))
	if err != nil {
		return paging.Ack{}, false
	}
	valid := time.Duration(policy.CodeValid)
	now = now.Truncate(time.Second)
	for issued := now; !issued.Before(now.Add(-valid)); issued = issued.Add(-time.Second) {
		if paging.CheckCode(key, string(match[2]), member, c, issued, now, valid) == nil {
			return paging.Ack{Case: c, Member: member, At: now, ByCode: true, Issued: issued, Message: raw}, true
		}
	}
	return paging.Ack{}, false
}

// trustedPaging returns the page records and acknowledgements of the
// register that their signers may write: page records by the intake
// service or the watch; an acknowledgement by the member it names, typed
// at the desk, or by the intake service that checked a reply's code.
// What anyone else signed is left out: a compromised program cannot stop
// an escalation with a forged acknowledgement.
func trustedPaging(reg *register.Register) ([]paging.Record, []paging.Ack) {
	members := reg.Members()
	var records []paging.Record
	var acks []paging.Ack
	for _, sub := range reg.Submissions() {
		// Each record is judged by the role its signer had when it
		// signed; a member removed since still made what they made.
		role, _ := register.RoleAt(members, sub.By, sub.Seq)
		switch sub.Type {
		case paging.RecordType:
			if role != register.RoleService && role != register.RoleWatch {
				continue
			}
			if r, err := paging.DecodeRecord(sub.Data); err == nil {
				records = append(records, r)
			}
		case paging.AckType:
			a, err := paging.DecodeAck(sub.Data)
			if err != nil {
				continue
			}
			byMember := role == register.RoleMember && sub.By == a.Member && !a.ByCode
			byCode := role == register.RoleService && a.ByCode
			if byMember || byCode {
				acks = append(acks, a)
			}
		}
	}
	return records, acks
}

// recordAck records an acknowledgement by code, once per code: a code
// sent back twice acknowledges once.
func recordAck(store register.StoreOpener, service register.Identity, a paging.Ack) (dup bool, err error) {
	b, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	tag := service.Tag("paging ack", []byte(a.Member+"\x00"+a.Case.String()+"\x00"+a.Issued.UTC().Format(time.RFC3339)))
	_, dup, err = register.SubmitOnceTo(store, service, paging.AckType, tag, b)
	return dup, err
}

// runPages writes the month's acknowledgement figures (paging.Measure)
// from the page records and acknowledgements the register's trusted
// signers wrote: for the cell's own compliance file — the figures name
// the members paged who never acknowledged.
func runPages(s *session, args []string) error {
	arg, err := s.begin(args, "month (YYYY-MM)")
	if err != nil {
		return err
	}
	from, until, err := month(arg)
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	records, acks := trustedPaging(s.reg)
	f := paging.Measure(records, acks, from, until)
	if s.asJSON {
		return s.printJSON(f)
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("The month's acknowledgement of pages, measured from the register's page records and acknowledgements:"))
	for _, l := range strings.Split(strings.TrimSuffix(f.Text(s.tag), "\n"), "\n") {
		fmt.Fprintf(s.out, "  - %s\n", l)
	}
	return nil
}

// pagingSentences are the paging sentences of the desk.
func pagingSentences() [][]string {
	return [][]string{
		{"desk: a page to %[1]s was not delivered (%[2]d {2:attempt|attempts}, the last: %[3]s); the register records each",
			"desk : un appel à %[1]s n'a pas été remis (%[2]d {2:tentative|tentatives}, la dernière : %[3]s) ; le registre consigne chacune",
			"desk: een oproep aan %[1]s werd niet afgeleverd (%[2]d {2:poging|pogingen}, de laatste: %[3]s); het register legt elke vast",
			"desk: eine Benachrichtigung an %[1]s wurde nicht zugestellt (%[2]d {2:Versuch|Versuche}, der letzte: %[3]s); das Register hält jeden fest"},
		{"desk.json: paging.smtp.tls is mandatory, implicit, opportunistic or none",
			"desk.json : paging.smtp.tls vaut mandatory, implicit, opportunistic ou none",
			"desk.json: paging.smtp.tls is mandatory, implicit, opportunistic of none",
			"desk.json: paging.smtp.tls ist mandatory, implicit, opportunistic oder none"},
		{"the month's acknowledgement of pages: cases paged, acknowledged, how soon, escalated; members never acknowledging",
			"la prise en charge des appels du mois : dossiers appelés, pris en charge, en combien de temps, escaladés ; membres n'ayant jamais pris en charge",
			"de bevestiging van oproepen van de maand: dossiers opgeroepen, bevestigd, hoe snel, geëscaleerd; leden die nooit bevestigden",
			"die Quittierung der Benachrichtigungen des Monats: gemeldete Fälle, quittiert, wie schnell, eskaliert; Mitglieder, die nie quittierten"},
		{"ack: an alert is acknowledged by its ID, as its page gives it (W-clock-20261206T011003Z)",
			"ack : une alerte s'acquitte par son identifiant, tel que l'appel le donne (W-clock-20261206T011003Z)",
			"ack: een alarm wordt bevestigd met zijn identificatie, zoals de oproep het geeft (W-clock-20261206T011003Z)",
			"ack: ein Alarm wird mit seiner Kennung quittiert, wie die Benachrichtigung sie nennt (W-clock-20261206T011003Z)"},
		{"ack: the register records no such alert", "ack : le registre ne consigne aucune alerte de ce nom",
			"ack: het register vermeldt geen dergelijk alarm", "ack: das Register verzeichnet keinen solchen Alarm"},
		{"ack: an intake is acknowledged by its number, as its page gives it (I-17)",
			"ack : une réception s'acquitte par son numéro, tel que l'appel le donne (I-17)",
			"ack: een ontvangst wordt bevestigd met haar nummer, zoals de oproep het geeft (I-17)",
			"ack: ein Eingang wird mit seiner Nummer quittiert, wie die Benachrichtigung sie nennt (I-17)"},
		{"%[1]s: acknowledged by %[2]s at %[3]s; the escalation stops",
			"%[1]s : pris en charge par %[2]s le %[3]s ; l'escalade s'arrête",
			"%[1]s: bevestigd door %[2]s op %[3]s; de escalatie stopt",
			"%[1]s: quittiert von %[2]s am %[3]s; die Eskalation endet"},
		{"desk.json: paging.timeout is a Go duration (2m)",
			"desk.json : paging.timeout est une durée Go (2m)",
			"desk.json: paging.timeout is een Go-duur (2m)",
			"desk.json: paging.timeout ist eine Go-Dauer (2m)"},
	}
}

// ackIntake records the member's acknowledgement of the pages about an
// intake not yet a case ("desk ack I-17"), signed by the member: the
// escalation stops.
func (s *session) ackIntake(id string) error {
	c, err := paging.ParseCaseID(id)
	if err != nil {
		if strings.HasPrefix(id, "W-") {
			return inputErr("ack: an alert is acknowledged by its ID, as its page gives it (W-clock-20261206T011003Z)")
		}
		return inputErr("ack: an intake is acknowledged by its number, as its page gives it (I-17)")
	}
	if seq, ok := c.Intake(); ok {
		if _, err := s.findIntake(seq); err != nil {
			return err
		}
	} else if !slices.ContainsFunc(trustedAlerts(s.reg), func(a paging.Alert) bool { return a.ID == c }) {
		return inputErr("ack: the register records no such alert")
	}
	a := paging.Ack{Case: c, Member: s.me.Name(), At: timesync.Now(s.clock).Time()}
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	store, err := s.registerStore()
	if err != nil {
		return err
	}
	rec, err := register.SubmitTo(store, s.me, paging.AckType, b)
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(a)
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("%[1]s: acknowledged by %[2]s at %[3]s; the escalation stops", id, s.me.Name(), stamp(rec.Time, s.tag)))
	return nil
}

// pagingLines writes, under an intake or a case, who was paged when, on
// which kind of channel, whether it went through, and who acknowledged.
func (s *session) pagingLines(c paging.CaseID) {
	p := printer(s.tag)
	records, acks := trustedPaging(s.reg)
	for _, r := range records {
		if r.Intake.Case != c {
			continue
		}
		for _, m := range r.Action.Members {
			outcome := p.Sprintf("not delivered")
			var kinds []string
			for _, a := range r.Attempts {
				if a.Member == m && a.Sent {
					outcome = p.Sprintf("sent")
					kinds = append(kinds, string(a.Channel))
				}
			}
			if len(kinds) > 0 {
				outcome += " (" + strings.Join(kinds, ", ") + ")"
			}
			fmt.Fprintln(s.out, "    "+p.Sprintf("paged %[1]s at %[2]s: %[3]s", m, stamp(timesync.FromTime(r.Event.At), s.tag), outcome))
		}
	}
	for _, a := range acks {
		if a.Case == c {
			fmt.Fprintln(s.out, "    "+p.Sprintf("acknowledged by %[1]s at %[2]s", a.Member, stamp(timesync.FromTime(a.At), s.tag)))
		}
	}
}
