package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// watchOptions are desk watch's own flags.
type watchOptions struct {
	once     bool
	interval time.Duration
}

// watchCommand is desk watch: the daemon that keeps the cell's pages
// going — escalation when nobody acknowledges, deadline reminders — from
// what the register records, so that a restart repeats and loses nothing;
// and that checks the cell's standing duties (the clock every minute; the
// register, the rota, the members' advices and the retention store's
// purge once a day), paging an alert when one fails (WatchConfig).
func watchCommand() command {
	o := &watchOptions{}
	return command{"watch", "", "the watch daemon: escalates unacknowledged pages and sends deadline reminders, from the register (-once: one pass)",
		func(s *session, fs *flag.FlagSet) {
			cellFlags(s, fs)
			fs.BoolVar(&o.once, "once", false, "one pass at the clock's now, then exit (for cron, and tests)")
			fs.DurationVar(&o.interval, "interval", 30*time.Second, "how often the daemon looks, a `DURATION`")
		},
		func(s *session, args []string) error { return runWatch(s, o, args) }}
}

// runWatch runs passes until SIGTERM or SIGINT (or one, with -once). The
// watch runs as a watch identity (desk member keygen -role watch): it
// reads the register and writes only its pages.
func runWatch(s *session, o *watchOptions, args []string) error {
	if len(args) != 0 {
		return inputErr("watch takes no argument")
	}
	if o.interval < time.Second {
		return inputErr("-interval: at least 1s")
	}
	// desk.json only: the cell file is read at every pass, by the paging
	// half, so that a cell file that cannot be read stops the pages, not
	// the ADMF.
	if err := s.language(); err != nil {
		return err
	}
	cfg, err := loadConfig(configPath(s.dir))
	if err != nil {
		return err
	}
	s.cfg = cfg
	if s.cfg.Paging == nil {
		return inputErr("watch: desk.json has no paging section: nothing to watch with")
	}
	id, err := loadIdentity(s.identity)
	if err != nil {
		return err
	}
	if id.Role() != register.RoleWatch {
		return inputErr("watch runs as a watch identity (desk member keygen -role watch), which reads the register and acts on no case")
	}
	ctx, stop := signal.NotifyContext(s.ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	log := slog.New(slog.NewTextHandler(s.err, nil))
	w := &watcher{s: s, id: id, log: log}
	defer w.close()
	for {
		n, err := w.pass(ctx)
		if err != nil {
			if o.once || errors.Is(err, context.Canceled) {
				return err
			}
			log.Error("watch pass failed; the next pass tries again", "error", errorText(err, s.tag))
		} else if n > 0 {
			log.Info("watch pass", "actions", n)
		}
		if o.once {
			return nil
		}
		select {
		case <-ctx.Done():
			log.Info("watch stopped")
			return nil
		case <-time.After(o.interval):
		}
	}
}

// watched is one escalation the watch follows: what it is about, and
// what the register recorded of it.
type watched struct {
	in     paging.Intake
	events []paging.Event
}

// watcher is a running watch: the register it keeps open between passes
// (read again with Refresh, which reads only what was appended since),
// and what it remembers of its checks.
type watcher struct {
	s     *session
	id    register.Identity
	log   *slog.Logger
	reg   *register.Register
	state watchState
}

// close closes the register the watch keeps open.
func (w *watcher) close() {
	if w.reg != nil {
		w.reg.Close()
		w.reg = nil
	}
}

// register returns the register as it stands: opened at the first pass,
// brought up to date at the next. A register that cannot be read again is
// closed, and opened afresh at the next pass.
func (w *watcher) register() (*register.Register, error) {
	if w.reg == nil {
		cfg := register.Config{Clock: w.s.clock, Identity: w.id}
		dsn, err := w.s.registerDSN()
		if err != nil {
			return nil, err
		}
		var reg *register.Register
		if dsn != "" {
			reg, err = register.OpenStore(w.s.pgStore(dsn, nil), cfg)
		} else {
			reg, _, err = register.Open(journalPath(w.s.dir), cfg)
		}
		if err != nil {
			return nil, err
		}
		w.reg = reg
		return reg, nil
	}
	if err := w.reg.Refresh(); err != nil {
		w.close()
		return nil, err
	}
	return w.reg, nil
}

// pass looks once, at the clock's now: the standing duties that are due
// are checked and their alerts opened or cleared; then every alert open,
// every intake not yet a case, and every case not yet answered, gets the
// plan paging.Next makes from the events recorded; what is due is
// carried out and recorded. It returns how many actions were carried
// out.
func (w *watcher) pass(ctx context.Context) (int, error) {
	s := w.s
	// One watch at a time: two would page the same step twice.
	lock, err := os.OpenFile(filepath.Join(s.dir, "watch.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return 0, err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		w.log.Warn("another watch is running on this register: this pass does nothing")
		return 0, nil
	}
	// A register in PostgreSQL may have watches on several machines: the
	// database's advisory lock keeps them to one at a time too.
	dsn, err := s.registerDSN()
	if err != nil {
		return 0, err
	}
	if dsn != "" {
		release, ok, err := s.watchLock(ctx, dsn)
		if err != nil {
			return 0, err
		}
		defer release()
		if !ok {
			w.log.Warn("another watch is running on this register: this pass does nothing")
			return 0, nil
		}
	}
	reg, err := w.register()
	if err != nil {
		return 0, err
	}
	// The ADMF first, and whatever the paging half finds: an order's end,
	// a member's stop, a closed case reach every NE even while the cell
	// file or the paging settings cannot be read.
	admf, admfErr := w.admf(reg)
	n, err := w.paging(ctx, reg)
	return n + admf, errors.Join(err, admfErr)
}

// admf brings every NE of desk.json's x1 section to what the register
// decides (desk intercept sync), logging each failed step; the next pass
// tries again.
func (w *watcher) admf(reg *register.Register) (int, error) {
	s := w.s
	if s.cfg.X1 == nil {
		return 0, nil
	}
	acts, err := s.reconcileWith(reg, w.id, s.cfg.X1)
	for _, a := range acts {
		if a.Error != "" {
			w.log.Warn("an X1 step failed; the next pass tries again", "ne", a.NE, "step", string(a.Step), "error", a.Error)
		}
	}
	return len(acts), err
}

// paging is the pass's paging half: the standing duties' alerts, then
// what paging.Next says is due.
func (w *watcher) paging(ctx context.Context, reg *register.Register) (int, error) {
	s := w.s
	cell, err := loadCell(s.cellFile(), s.now())
	if err != nil {
		return 0, err
	}
	policy, err := s.cfg.Paging.policy()
	if err != nil {
		return 0, err
	}
	d, err := s.cfg.Paging.dispatcher(s.clock, policy)
	if err != nil {
		return 0, err
	}
	key, err := s.cfg.Paging.codeKey(w.id)
	if err != nil {
		return 0, err
	}
	checked, err := s.checkDuties(ctx, reg, cell, &w.state, w.log)
	if err != nil {
		return 0, err
	}
	wrote, err := s.recordAlerts(reg, w.id, checked)
	if wrote {
		if rerr := reg.Refresh(); rerr != nil {
			w.close()
			return 0, errors.Join(err, rerr)
		}
	}
	if err != nil {
		// The alert could not be recorded (a register that cannot be
		// written): the checks are made again at the next pass, the log
		// says so at every pass, and what is recorded is still paged.
		w.log.Error("a cell alert could not be recorded", "error", errorText(err, s.tag))
	} else {
		w.state.recorded()
	}
	return s.watchDue(ctx, reg, w.id, d, key, cell, policy, w.log)
}

// watchDue is a pass over reg as it stands, once desk.json's paging is
// loaded: what is due at the clock's now is carried out through d and
// recorded as id. The demonstration calls it with its own dispatcher and
// clock.
func (s *session) watchDue(ctx context.Context, reg *register.Register, id register.Identity, d paging.Dispatcher, key []byte, cell ccj.Cell, policy paging.Policy, log *slog.Logger) (int, error) {
	records, acks := trustedPaging(reg)
	paged := map[paging.CaseID]bool{}
	for _, r := range records {
		paged[r.Intake.Case] = true
	}
	grace, err := s.cfg.Paging.timeout()
	if err != nil {
		return 0, err
	}
	var list []watched
	fromIntake := map[uint64]bool{}
	for _, c := range reg.Cases() {
		if c.Submission != 0 {
			fromIntake[c.Submission] = true
		}
	}
	for _, in := range intake.List(reg) {
		if in.Err != nil || in.Record.Automatic || fromIntake[in.Seq] {
			continue
		}
		pin := paging.Intake{Case: paging.IntakeID(in.Seq), Received: in.Receipt().Time(), Class: paging.Unread}
		if !paged[pin.Case] && s.now().Sub(in.At.Time()) < grace {
			continue // the intake's own pipe is paging it: not twice
		}
		list = append(list, watched{pin, paging.Events(pin.Case, records, acks)})
	}
	for _, c := range reg.Cases() {
		cid, err := paging.ParseCaseID(c.ID)
		if err != nil {
			continue // a case under an ID of the cell's own choosing is not paged: a page carries only the YYYY-NNNN form
		}
		pin := paging.Intake{Case: cid, Received: c.Requisition.Received.Time()}
		if dl, err := c.Deadline(); err == nil && !dl.At.IsZero() {
			pin.Due = dl.At
		}
		pin.Class = policy.Classify(pin.Received, pin.Due)
		events := paging.Events(cid, records, acks)
		if c.Submission != 0 {
			// The case goes on from its intake's pages and acknowledgements.
			events = append(events, paging.Events(paging.IntakeID(c.Submission), records, acks)...)
		}
		for _, t := range c.History {
			switch {
			case t.Event == register.Acknowledge:
				events = append(events, paging.Event{Kind: paging.Acknowledged, At: t.At.Time(), Member: t.Actor})
			case t.To == register.Answered || t.To == register.Closed || t.To == register.Cancelled || t.To == register.Expired:
				events = append(events, paging.Event{Kind: paging.Closed, At: t.At.Time()})
			}
		}
		list = append(list, watched{pin, events})
	}
	for _, a := range trustedAlerts(reg) {
		list = append(list, watched{a.Intake(), a.Events(records, acks)})
	}
	done := 0
	for _, w := range list {
		plan, err := paging.Next(policy, cell, w.in, w.events)
		if err != nil {
			log.Warn("no plan for an escalation", "case", w.in.Case.String(), "error", err.Error())
			continue
		}
		if plan.At.IsZero() || plan.At.After(s.now()) {
			continue
		}
		n, err := s.carryOut(ctx, id, d, key, cell, policy, w.in, plan.Actions)
		done += n
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// carryOut sends the actions' pages and records each action — its
// attempts and its Paged event — in the register, signed by id.
func (s *session) carryOut(ctx context.Context, id register.Identity, d paging.Dispatcher, key []byte, cell ccj.Cell, policy paging.Policy, in paging.Intake, actions []paging.Action) (int, error) {
	store, err := s.registerStore()
	if err != nil {
		return 0, err // nothing sent that could not be recorded
	}
	for i, a := range actions {
		at := timesync.Now(s.clock).Time()
		rec := paging.Record{Intake: in, Action: a, Event: a.Done(at)}
		for _, mid := range a.Members {
			m, ok := cell.Member(mid)
			if !ok {
				continue
			}
			pg := a.Page(in, policy)
			var err error
			if pg.Code, err = paging.NewCode(key, mid, in.Case, at); err != nil {
				return i, err
			}
			attempts, derr := d.Deliver(ctx, m.Contact(), pg)
			rec.Attempts = append(rec.Attempts, attempts...)
			if errors.Is(derr, context.Canceled) {
				return i, derr
			}
			if derr != nil && s.pipe {
				fmt.Fprintln(s.err, printer(s.tag).Sprintf("desk: a page was not delivered; the register records each attempt"))
			} else if derr != nil {
				why := "-"
				if len(attempts) > 0 {
					why = attempts[len(attempts)-1].Failure.String()
				}
				fmt.Fprintln(s.err, printer(s.tag).Sprintf("desk: a page to %[1]s was not delivered (%[2]d {2:attempt|attempts}, the last: %[3]s); the register records each", mid, len(attempts), why))
			}
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return i, err
		}
		if _, err := register.SubmitTo(store, id, paging.RecordType, b); err != nil {
			return i, err
		}
	}
	return len(actions), nil
}

// timeout is how long the mail pipe may page an intake
// (paging.timeout, 2 minutes by default).
func (c *PagingConfig) timeout() (time.Duration, error) {
	if c == nil || c.Timeout == "" {
		return 2 * time.Minute, nil
	}
	d, err := time.ParseDuration(c.Timeout)
	if err != nil || d <= 0 {
		return 0, inputErr("desk.json: paging.timeout is a Go duration (2m)")
	}
	return d, nil
}

// policy returns the paging policy desk.json gives, or the default.
func (c *PagingConfig) policy() (paging.Policy, error) {
	if len(c.Policy) == 0 {
		return paging.DefaultPolicy(), nil
	}
	return paging.DecodePolicy(c.Policy)
}

// codeKey is the key of the pages' one-time codes: desk.json's
// code_key_file, shared by the intake (which sends the first page and
// reads replies) and the watch (which sends the next), or, without it,
// a key derived from the identity's secret — then only the pages that
// identity sends can be acknowledged by reply.
func (c *PagingConfig) codeKey(id register.Identity) ([]byte, error) {
	if c.CodeKeyFile == "" {
		t := id.Tag("paging code key", nil)
		return t[:], nil
	}
	b, err := readFile(c.CodeKeyFile)
	if err != nil {
		return nil, err
	}
	if len(b) < paging.MinCodeKey {
		return nil, inputErr("desk.json: paging.code_key_file holds fewer than %d bytes (head -c 32 /dev/urandom > FILE)", paging.MinCodeKey)
	}
	return b, nil
}

// watchSentences are desk watch's sentences.
func watchSentences() [][]string {
	return [][]string{
		{"the watch daemon: escalates unacknowledged pages and sends deadline reminders, from the register (-once: one pass)",
			"le démon de veille : escalade les appels sans réponse et envoie les rappels d'échéance, d'après le registre (-once : un passage)",
			"de wachtdienst: escaleert onbeantwoorde oproepen en stuurt termijnherinneringen, volgens het register (-once: één doorloop)",
			"der Wachdienst: eskaliert unbeantwortete Benachrichtigungen und sendet Fristerinnerungen, nach dem Register (-once: ein Durchlauf)"},
		{"one pass at the clock's now, then exit (for cron, and tests)",
			"un passage à l'heure de l'horloge, puis sortie (pour cron, et les tests)",
			"één doorloop op het huidige uur van de klok, dan stoppen (voor cron, en tests)",
			"ein Durchlauf zur Uhrzeit der Uhr, dann Ende (für cron und Tests)"},
		{"how often the daemon looks, a `DURATION`",
			"à quelle fréquence le démon regarde, une durée",
			"hoe vaak de dienst kijkt, een duur",
			"wie oft der Dienst nachsieht, eine Dauer"},
		{"watch takes no argument", "watch ne prend pas d'argument", "watch neemt geen argument", "watch nimmt kein Argument"},
		{"desk: a page was not delivered; the register records each attempt",
			"desk : un appel n'a pas été remis ; le registre consigne chaque tentative",
			"desk: een oproep werd niet afgeleverd; het register legt elke poging vast",
			"desk: eine Benachrichtigung wurde nicht zugestellt; das Register hält jeden Versuch fest"},
		{"-interval: at least 1s", "-interval : au moins 1s", "-interval: minstens 1s", "-interval: mindestens 1s"},
		{"watch: desk.json has no paging section: nothing to watch with",
			"watch : desk.json n'a pas de section paging : rien pour veiller",
			"watch: desk.json heeft geen paging-sectie: niets om mee te waken",
			"watch: desk.json hat keinen Abschnitt paging: nichts zum Wachen"},
		{"watch runs as a watch identity (desk member keygen -role watch), which reads the register and acts on no case",
			"watch s'exécute sous une identité de veille (desk member keygen -role watch), qui lit le registre et n'agit sur aucun dossier",
			"watch draait onder een wachtidentiteit (desk member keygen -role watch), die het register leest en op geen dossier handelt",
			"watch läuft unter einer Wachidentität (desk member keygen -role watch), die das Register liest und auf keinen Fall einwirkt"},
		{"desk.json: paging.code_key_file holds fewer than %d bytes (head -c 32 /dev/urandom > FILE)",
			"desk.json : paging.code_key_file contient moins de %d octets (head -c 32 /dev/urandom > FICHIER)",
			"desk.json: paging.code_key_file bevat minder dan %d bytes (head -c 32 /dev/urandom > BESTAND)",
			"desk.json: paging.code_key_file enthält weniger als %d Bytes (head -c 32 /dev/urandom > DATEI)"},
	}
}
