package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
)

// registerDSNEnv names the environment variable that holds the register's
// PostgreSQL connection string itself (docs/postgres.md).
const registerDSNEnv = "CCJKIT_REGISTER_DSN"

// registerDSN returns the PostgreSQL connection string of the register,
// "" when the register is the journal file in -dir: from -register-dsn
// (a file), else $CCJKIT_REGISTER_DSN, else desk.json's
// register_dsn_file. A connection string is never taken from the command
// line, where ps shows it to every user: -dir postgres://… is refused.
func (s *session) registerDSN() (string, error) {
	if s.demo {
		return "", nil // the demonstration's register is its own journal file, whatever the environment says
	}
	if looksLikeDSN(s.dir) {
		return "", inputErr("a connection string on the command line is visible to every user (ps): give it in a file (-register-dsn FILE, mode 0600) or in $%s", registerDSNEnv)
	}
	file := s.dsnFile
	if file == "" {
		if v := os.Getenv(registerDSNEnv); v != "" {
			return strings.TrimSpace(v), nil
		}
		file = s.cfg.RegisterDSNFile
	}
	if file == "" {
		return "", nil
	}
	return readDSNFile(file)
}

// pgOpener opens the register's journal in the PostgreSQL database at
// dsn, signing with the member's key; desk init (s.found) writes the
// journal's header in an empty database.
func (s *session) pgOpener(dsn string) register.StoreOpener {
	return func(signer ed25519.PrivateKey) (journal.Store, error) {
		return pgjournal.Open(s.ctx, dsn, pgjournal.Options{Clock: s.clock, Signer: signer, Create: s.found})
	}
}

// registerStore returns the StoreOpener of the register this run writes
// to through register.SubmitTo and SubmitOnceTo — the mail intake, the
// watch, a member's acknowledgement, call-back or interception decision:
// the register this session opened, where it is kept (PostgreSQL, the
// very journal it opened, or the journal file); with none open,
// PostgreSQL when a connection string is configured (registerDSN), else
// the journal file in -dir. It never creates a register.
func (s *session) registerStore() (register.StoreOpener, error) {
	if s.reg != nil {
		if !s.pg {
			return register.FileStore(journalPath(s.dir), s.clock), nil
		}
		id := s.reg.JournalID()
		return s.pgStore(s.dsn, &id), nil
	}
	dsn, err := s.registerDSN()
	if err != nil {
		return nil, err
	}
	if dsn != "" {
		return s.pgStore(dsn, nil), nil
	}
	return register.FileStore(journalPath(s.dir), s.clock), nil
}

// pgStore opens, for a writer, the register's journal in the PostgreSQL
// database at dsn — the journal id when it is set (the one this session
// opened), creating nothing.
func (s *session) pgStore(dsn string, id *[16]byte) register.StoreOpener {
	return func(signer ed25519.PrivateKey) (journal.Store, error) {
		return pgjournal.Open(s.ctx, dsn, pgjournal.Options{Clock: s.clock, Signer: signer, ID: id})
	}
}

// watchLockBase is the high half of the advisory lock that keeps the
// watches of a register in PostgreSQL to one at a time ("ccjw"); the low
// half is the oid of the journal's records table, as in pgjournal's own
// lock ("ccjk"), so that registers in two schemas of one database have a
// watch each.
const watchLockBase int64 = 0x63636a77 << 32

// watchLockSQL takes the watch's lock if no other session holds it.
const watchLockSQL = "SELECT pg_try_advisory_lock($1::bigint | 'ccjkit_journal_records'::regclass::oid::bigint)"

// watchLock takes, without waiting, the watch's advisory lock on the
// register in the PostgreSQL database at dsn, on a connection of its own
// that holds it until release: a session's lock, which the server also
// releases when the watch dies or its connection breaks. ok is false when
// another watch, on any machine, holds it.
func (s *session) watchLock(ctx context.Context, dsn string) (release func(), ok bool, err error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's error quotes the connection string: not here.
		return nil, false, fmt.Errorf("%w: the register's connection string does not parse", journal.ErrConfig)
	}
	// The server releases a session's lock when it finds the session
	// dead: with TCP keep-alives a minute after a watch's machine
	// vanished, not the two hours of Linux's defaults, during which every
	// other watch would skip its passes.
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["tcp_keepalives_idle"] = "30"
	cfg.RuntimeParams["tcp_keepalives_interval"] = "10"
	cfg.RuntimeParams["tcp_keepalives_count"] = "3"
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.ConnectConfig(cctx, cfg)
	if err != nil {
		// The driver's text names the host, the user and the database:
		// not in the watch's log.
		return nil, false, &quietError{msg: fmt.Sprintf("the watch's lock: %v", pgjournal.ErrUnreachable), err: pgjournal.ErrUnreachable}
	}
	release = func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		// Unlocked before the connection closes, so that the next watch
		// does not find it held by a session still ending.
		conn.Exec(rctx, "SELECT pg_advisory_unlock($1::bigint | 'ccjkit_journal_records'::regclass::oid::bigint)", watchLockBase)
		conn.Close(rctx)
	}
	if err := conn.QueryRow(cctx, watchLockSQL, watchLockBase).Scan(&ok); err != nil {
		release()
		why := pgjournal.ErrUnreachable
		if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "42P01" {
			why = pgjournal.ErrSchema // no journal table: desk migrate
		}
		return nil, false, &quietError{msg: fmt.Sprintf("the watch's lock: %v", why), err: why}
	}
	return release, ok, nil
}

// verifyPostgres verifies a register kept in PostgreSQL: every row's
// hash, link and signature and its columns against its frame, streaming
// in one snapshot, this machine's checkpoints included
// (pgjournal.Verify); then the register is opened, which replays every
// record under the roster's rules.
func (s *session) verifyPostgres(dsn string) error {
	opts := journal.ScanOptions{}
	if s.anchorDir != "" {
		opts.Checkpoints = s.anchors().Load
	}
	sum, err := pgjournal.Verify(s.ctx, dsn, opts)
	if err != nil {
		return err
	}
	if err := s.load(); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	s.close()
	if s.asJSON {
		return s.printJSON(map[string]any{"records": sum.Records, "signed": sum.Signed, "last": sum.Last.String()})
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("the register in PostgreSQL verifies: %[1]d records, %[2]d signed; every record replayed under the roster's rules", sum.Records, sum.Signed))
	return nil
}

// pgErrors are the errors of a register in PostgreSQL, each a sentence
// that says what happened without the connection's details.
var pgErrors = []error{pgjournal.ErrUnreachable, pgjournal.ErrReadOnly, pgjournal.ErrSchema, pgjournal.ErrNoJournal,
	pgjournal.ErrJournalID, pgjournal.ErrDiskFull, pgjournal.ErrInDoubt, pgjournal.ErrNotCommitted}

// quietError is an error said in fewer words than the one it wraps.
type quietError struct {
	msg string
	err error
}

func (e *quietError) Error() string { return e.msg }
func (e *quietError) Unwrap() error { return e.err }

// quietPG says an error of a register in PostgreSQL as the mail pipe may
// say it — the mail server quotes the pipe's standard error in its log
// and, when it gives up, in the bounce to the sender: what happened
// (pgErrors), never the database's host, port, user or name, which the
// driver's errors carry. errors.Is still finds everything err wraps.
// Another error is returned as it is.
func quietPG(err error) error {
	for _, e := range pgErrors {
		if errors.Is(err, e) {
			return &quietError{msg: fmt.Sprintf("%v: %v", intake.ErrRegister, e), err: err}
		}
	}
	return err
}

// registerFailsPostgres is the watch's daily check of a register kept in
// PostgreSQL, with no key: every row's hash, link and signature and its
// columns against its frame (pgjournal.Verify, streaming), then every
// record against the roster's rules (register.AuditRecords).
func (s *session) registerFailsPostgres(ctx context.Context, dsn string) error {
	if _, err := pgjournal.Verify(ctx, dsn, journal.ScanOptions{}); err != nil {
		return err
	}
	st, err := pgjournal.Open(ctx, dsn, pgjournal.Options{Clock: s.clock})
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = register.AuditRecords(st.Initial())
	return err
}

// migrateOptions are desk migrate's own flags.
type migrateOptions struct {
	appRole string
	timeout time.Duration
}

// migrateCommand is desk migrate: create or upgrade the schema of the
// register's PostgreSQL database.
func migrateCommand() command {
	o := &migrateOptions{}
	return command{"migrate", "", "create or upgrade the register's PostgreSQL schema (as the schema's owner; -app-role: the desks' role, granted SELECT and INSERT only)",
		func(s *session, fs *flag.FlagSet) {
			registerFlags(s, fs)
			fs.StringVar(&o.appRole, "app-role", "", "the `ROLE` the desks connect as, granted SELECT and INSERT and nothing else")
			fs.DurationVar(&o.timeout, "timeout", time.Minute, "how long to wait for the database, a `DURATION`")
		},
		func(s *session, args []string) error { return runMigrate(s, o, args) }}
}

// dsnFlag is -register-dsn.
func dsnFlag(s *session, fs *flag.FlagSet) {
	fs.StringVar(&s.dsnFile, "register-dsn", "", "a `FILE` (mode 0600) holding the PostgreSQL connection string of a register kept in PostgreSQL (or $"+registerDSNEnv+"; docs/postgres.md)")
}

// runMigrate applies the schema's steps not yet applied and says which.
func runMigrate(s *session, o *migrateOptions, args []string) error {
	if len(args) != 0 {
		return inputErr("migrate takes no argument")
	}
	if err := s.language(); err != nil {
		return err
	}
	if c, err := loadConfig(configPath(s.dir)); err == nil {
		s.cfg = c
	}
	dsn, err := s.registerDSN()
	if err != nil {
		return err
	}
	if dsn == "" {
		return inputErr("migrate: no PostgreSQL register — give -register-dsn FILE or $%s (a journal file needs no migration)", registerDSNEnv)
	}
	ctx, cancel := context.WithTimeout(s.ctx, o.timeout)
	defer cancel()
	steps, err := pgjournal.Migrate(ctx, dsn, pgjournal.MigrateOptions{AppRole: o.appRole})
	if err != nil {
		return err
	}
	p := printer(s.tag)
	if s.asJSON {
		names := []string{}
		for _, m := range steps {
			names = append(names, fmt.Sprintf("%04d_%s", m.Version, m.Name))
		}
		return s.printJSON(map[string]any{"applied": names, "version": pgjournal.SchemaVersion})
	}
	for _, m := range steps {
		fmt.Fprintln(s.out, p.Sprintf("applied: %[1]s %[2]s", fmt.Sprintf("%04d", m.Version), m.Name))
	}
	fmt.Fprintln(s.out, p.Sprintf("the register's schema is at version %d", pgjournal.SchemaVersion))
	return nil
}

// postgresSentences are the sentences of the PostgreSQL register.
func postgresSentences() [][]string {
	return [][]string{
		{"create or upgrade the register's PostgreSQL schema (as the schema's owner; -app-role: the desks' role, granted SELECT and INSERT only)",
			"créer ou mettre à niveau le schéma PostgreSQL du registre (en tant que propriétaire du schéma ; -app-role : le rôle des postes, qui reçoit SELECT et INSERT seulement)",
			"het PostgreSQL-schema van het register aanmaken of bijwerken (als eigenaar van het schema; -app-role: de rol van de desks, die enkel SELECT en INSERT krijgt)",
			"das PostgreSQL-Schema des Registers anlegen oder aktualisieren (als Eigentümer des Schemas; -app-role: die Rolle der Arbeitsplätze, die nur SELECT und INSERT erhält)"},
		{"the `ROLE` the desks connect as, granted SELECT and INSERT and nothing else",
			"le rôle sous lequel les postes se connectent, qui reçoit SELECT et INSERT et rien d'autre",
			"de rol waarmee de desks verbinden, die SELECT en INSERT krijgt en niets anders",
			"die Rolle, mit der sich die Arbeitsplätze verbinden, die SELECT und INSERT erhält und sonst nichts"},
		{"how long to wait for the database, a `DURATION`", "combien de temps attendre la base de données, une durée",
			"hoe lang op de database wachten, een duur", "wie lange auf die Datenbank gewartet wird, eine Dauer"},
		{"a `FILE` (mode 0600) holding the PostgreSQL connection string of a register kept in PostgreSQL (or $" + registerDSNEnv + "; docs/postgres.md)",
			"un fichier (mode 0600) contenant la chaîne de connexion PostgreSQL d'un registre tenu dans PostgreSQL (ou $" + registerDSNEnv + " ; docs/postgres.md)",
			"een bestand (modus 0600) met de PostgreSQL-verbindingsreeks van een register in PostgreSQL (of $" + registerDSNEnv + "; docs/postgres.md)",
			"eine Datei (Modus 0600) mit der PostgreSQL-Verbindungszeichenfolge eines in PostgreSQL geführten Registers (oder $" + registerDSNEnv + "; docs/postgres.md)"},
		{"a connection string on the command line is visible to every user (ps): give it in a file (-register-dsn FILE, mode 0600) or in $%s",
			"une chaîne de connexion sur la ligne de commande est visible de tous les utilisateurs (ps) : donnez-la dans un fichier (-register-dsn FICHIER, mode 0600) ou dans $%s",
			"een verbindingsreeks op de opdrachtregel is zichtbaar voor elke gebruiker (ps): geef ze in een bestand (-register-dsn BESTAND, modus 0600) of in $%s",
			"eine Verbindungszeichenfolge auf der Befehlszeile ist für jeden Benutzer sichtbar (ps): geben Sie sie in einer Datei (-register-dsn DATEI, Modus 0600) oder in $%s an"},
		{"%s: a connection string's file must be readable by its owner only (chmod 600)",
			"%s : le fichier d'une chaîne de connexion ne doit être lisible que par son propriétaire (chmod 600)",
			"%s: het bestand van een verbindingsreeks mag enkel door zijn eigenaar leesbaar zijn (chmod 600)",
			"%s: die Datei einer Verbindungszeichenfolge darf nur für ihren Eigentümer lesbar sein (chmod 600)"},
		{"%s: one line, the connection string (postgres://…)", "%s : une ligne, la chaîne de connexion (postgres://…)",
			"%s: één regel, de verbindingsreeks (postgres://…)", "%s: eine Zeile, die Verbindungszeichenfolge (postgres://…)"},
		{"the register in PostgreSQL verifies: %[1]d records, %[2]d signed; every record replayed under the roster's rules",
			"le registre dans PostgreSQL se vérifie : %[1]d enregistrements, %[2]d signés ; chaque enregistrement rejoué selon les règles du rôle",
			"het register in PostgreSQL klopt: %[1]d records, %[2]d ondertekend; elk record opnieuw afgespeeld volgens de regels van de ledenlijst",
			"das Register in PostgreSQL ist geprüft: %[1]d Einträge, %[2]d signiert; jeder Eintrag nach den Regeln der Mitgliederliste nachvollzogen"},
		{"migrate takes no argument", "migrate ne prend pas d'argument", "migrate neemt geen argument", "migrate nimmt kein Argument"},
		{"migrate: no PostgreSQL register — give -register-dsn FILE or $%s (a journal file needs no migration)",
			"migrate : pas de registre PostgreSQL — donnez -register-dsn FICHIER ou $%s (un fichier journal ne demande aucune migration)",
			"migrate: geen PostgreSQL-register — geef -register-dsn BESTAND of $%s (een journaalbestand heeft geen migratie nodig)",
			"migrate: kein PostgreSQL-Register — geben Sie -register-dsn DATEI oder $%s an (eine Journaldatei braucht keine Migration)"},
		{"applied: %[1]s %[2]s", "appliquée : %[1]s %[2]s", "toegepast: %[1]s %[2]s", "angewandt: %[1]s %[2]s"},
		{"the register's schema is at version %d", "le schéma du registre est à la version %d", "het schema van het register staat op versie %d", "das Schema des Registers ist auf Version %d"},
	}
}
