package register_test

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A case from receipt to answer: every step is journaled, sealed to the
// cell's members, timed by the clock and kept with the clock's verdict; the
// answer's record gives every time to the second, in Brussels time.
func ExampleRegister_Answer() {
	dir, _ := os.MkdirTemp("", "register")
	defer os.RemoveAll(dir)
	alice, _ := register.NewIdentity("alice", register.RoleMember)
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	reg, _, _ := register.Open(filepath.Join(dir, "ccj.journal"), register.Config{
		Clock: clock, Identity: alice, Found: true,
	})
	defer reg.Close()
	verdict := timesync.Verdict{At: clock.Now(), Synchronised: true, ToTheSecond: true, Traceable: true,
		ErrorBound: 3 * time.Millisecond, Reference: "GPS via chrony"}

	req, _ := requisition.Decode([]byte(`{
		"reference": "BR.12.34.567890/26", "measure": "identification",
		"authority": "procureur-du-roi", "reasoned": true,
		"ordered": "2026-11-23T09:30:00+01:00", "received": "2026-11-23T10:00:00+01:00",
		"items": ["identity", "address"],
		"targets": [{"kind": "ip", "addr": "2001:db8::1",
			"from": "2026-11-20T14:03:12+01:00", "until": "2026-11-20T14:03:13+01:00"}],
		"response": {"kind": "at-stated-moment", "stated": "2026-11-24T10:00:00+01:00"}}`))
	reg.Receive("2026-0042", req, "alice", verdict)
	for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful} {
		clock.Advance(7 * time.Minute)
		reg.Apply("2026-0042", ev, "alice", verdict, "")
	}
	wo, _ := reg.IssueWorkOrder("2026-0042", nil, time.Time{}, "alice", verdict)
	clock.Advance(41*time.Minute + 7*time.Second)
	reg.AttachResult(register.WorkResult{Ref: wo.Ref, By: "tech-1", Completed: timesync.Now(clock),
		Outcome: register.Found, Data: "(subscriber record)"}, "alice", verdict)
	clock.Advance(5 * time.Minute)
	reg.Answer("2026-0042", register.Delivery{To: "FCCU Bruxelles", Channel: register.ByEmail,
		Items: []requisition.Item{requisition.ItemIdentity, requisition.ItemAddress}}, "alice", verdict)

	_, err := reg.Apply("2026-0042", register.Acknowledge, "alice", verdict, "")
	fmt.Println(err)
	rec, _ := reg.AnswerRecord("2026-0042")
	fmt.Print(rec.Text(language.French))
	// Output:
	// register: transition not allowed: acknowledge from answered
	// Réponse au dossier 2026-0042
	// Réquisition BR.12.34.567890/26 : l'identification ; autorité : procureur du Roi
	// Reçue :     23/11/2026 10:00:00 +01:00 (heure de réception que la réquisition indique)
	// Délai :     avant 24/11/2026 10:00:00 +01:00
	// Remise :    23/11/2026 11:00:07 +01:00
	// À :         FCCU Bruxelles
	// Canal :     courrier électronique
	// Données :   l'identité de l'abonné, l'adresse
	// Temps de réponse : 1 h 00 min 07 s (dans le délai)
	// Enregistrée par alice le 23/11/2026 11:00:07 +01:00
	// Horloge : synchronisée à la seconde sur une référence traçable (GPS via chrony), erreur d'au plus 3ms
}

// A work order as the technician sees it: what to extract, by when, and a
// reference — nothing that leads back to the case.
func ExampleWorkOrder_Text() {
	wo := register.WorkOrder{
		Ref:    "wo-7k3m2q5xv4bnd6fj5hc6tw3r",
		Issued: timesync.Unix(1795424400), // 2026-11-23 10:00:00 +01:00
		Due:    timesync.Unix(1795510800),
		Lookups: []register.Lookup{{
			Items: []requisition.Item{requisition.ItemIdentity, requisition.ItemAddress},
			Target: requisition.Target{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("2001:db8::1"),
				From: timesync.Unix(1795179792), Until: timesync.Unix(1795179793)},
		}},
	}
	fmt.Print(wo.Text(language.Dutch))
	// Output:
	// Werkopdracht wo-7k3m2q5xv4bnd6fj5hc6tw3r
	// Uitgereikt: 23/11/2026 10:00:00 +01:00
	// In te leveren vóór: 24/11/2026 10:00:00 +01:00
	// 1. de identiteit van de abonnee, het adres — IP-adres 2001:db8::1 op 20/11/2026 14:03:12 +01:00
	// Stuur het resultaat terug met enkel de referentie wo-7k3m2q5xv4bnd6fj5hc6tw3r. Deze opdracht is geheim.
}

// Members join and leave without anything being rewritten: Bob, added
// after a case was received, reads it; once removed, a new epoch key is
// drawn that he does not hold. Every record names its signer, which an
// auditor checks without any key.
func ExampleRegister_AddMember() {
	dir, _ := os.MkdirTemp("", "register")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ccj.journal")
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	alice, _ := register.NewIdentity("alice", register.RoleMember)
	bob, _ := register.NewIdentity("bob", register.RoleMember)

	reg, _, _ := register.Open(path, register.Config{Clock: clock, Identity: alice, Found: true}) // alice founds it
	req, _ := requisition.Decode([]byte(`{"reference": "BR.12.34.567890/26", "measure": "identification",
		"authority": "procureur-du-roi", "reasoned": true,
		"ordered": "2026-11-23T09:30:00+01:00", "received": "2026-11-23T10:00:00+01:00",
		"items": ["identity"], "targets": [{"kind": "ip", "addr": "2001:db8::1",
		"from": "2026-11-20T14:03:12+01:00", "until": "2026-11-20T14:03:13+01:00"}],
		"response": {"kind": "at-stated-moment", "stated": "2026-11-24T10:00:00+01:00"}}`))
	reg.ReceiveNext(req, "alice", timesync.Verdict{})
	reg.AddMember(bob.Public(), timesync.Verdict{})

	bobs, _, _ := register.Open(path, register.Config{Clock: clock, Identity: bob})
	_, ok := bobs.Case("2026-0001")
	fmt.Println("bob reads the case received before he joined:", ok)
	bobs.Apply("2026-0001", register.Acknowledge, "bob", timesync.Verdict{}, "")
	bobs.Close()

	reg.RemoveMember("bob", timesync.Verdict{})
	reg.Close()
	_, _, err := register.Open(path, register.Config{Clock: clock, Identity: bob})
	fmt.Println("after he left:", errors.Is(err, register.ErrActor))

	recs, _ := journal.ReadFile(path)
	audit, _ := register.AuditRecords(recs)
	for _, m := range audit.Members {
		fmt.Printf("%s: active %v, %d record(s) signed\n", m.Name, m.Active, m.Records)
	}
	fmt.Println("epoch", audit.Epoch)
	// Output:
	// bob reads the case received before he joined: true
	// after he left: true
	// alice: active true, 9 record(s) signed
	// bob: active false, 1 record(s) signed
	// epoch 1
}
