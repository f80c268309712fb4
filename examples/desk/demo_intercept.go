package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/tasking"
	"github.com/ccjkit/ccjkit/timesync"
)

// demoNE is the demonstration's point of interception: an X1 NE that
// keeps its tasks in memory, served over HTTPS with mutual TLS on a
// loopback port, and the ADMF's client to it — certificates made for the
// run by a CA of its own, as the cell's would be made once.
type demoNE struct {
	name   string
	mem    *x1.Memory
	srv    *http.Server
	ln     net.Listener
	client *x1.Client
	out    bytes.Buffer
}

// demoNEName is the NE's name: the cell's VPN endpoint.
const demoNEName = "vpn-1"

// startDemoNE starts the NE and the ADMF's client to it.
func startDemoNE(clock timesync.Clock) (*demoNE, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := clock.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "demonstration CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(90 * 24 * time.Hour)}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, _ := x509.ParseCertificate(caDER)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	issue := func(cn string, serial int64) (tls.Certificate, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return tls.Certificate{}, err
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn}, DNSNames: []string{cn},
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(90 * 24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return tls.Certificate{}, err
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
	}
	neCert, err := issue(demoNEName, 2)
	if err != nil {
		return nil, err
	}
	admfCert, err := issue("cell-admf", 3)
	if err != nil {
		return nil, err
	}
	stls, err := x1.ServerTLS(neCert, pool)
	if err != nil {
		return nil, err
	}
	// The certificates are made for the demonstration's month and judged
	// by its clock, not the machine's: the demonstration runs the same
	// whatever the day.
	stls.Time = clock.Now
	ne := &demoNE{name: demoNEName, mem: x1.NewMemory()}
	ne.srv, err = x1.NewHTTPServer("127.0.0.1:0", &x1.Server{NE: ne.mem, Identifier: demoNEName, ADMF: "cell-admf", BindADMFToCertificate: true, Clock: clock}, stls)
	if err != nil {
		return nil, err
	}
	if ne.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	go ne.srv.ServeTLS(ne.ln, "", "")
	ctls, err := x1.ClientTLS(admfCert, pool)
	if err != nil {
		ne.close()
		return nil, err
	}
	ctls.Time = clock.Now
	if ne.client, err = x1.NewClient("https://"+ne.ln.Addr().String(), ctls, "cell-admf", demoNEName, clock); err != nil {
		ne.close()
		return nil, err
	}
	return ne, nil
}

func (ne *demoNE) close() {
	if ne.client != nil {
		ne.client.Close()
	}
	if ne.srv != nil {
		ne.srv.Close()
	}
}

// playIntercept is desk intercept start by actor, then the ADMF's pass
// (desk intercept sync, or the watch's): the decision recorded in the
// register, the NE tasked over X1, each step recorded.
func (d *demo) playIntercept(id, actor string, st Step) error {
	if d.ne == nil {
		ne, err := startDemoNE(d.clock)
		if err != nil {
			return err
		}
		d.ne = ne
	}
	reg := d.regs[actor]
	if err := reg.Refresh(); err != nil {
		return err
	}
	dec := tasking.Decision{Case: id, Action: tasking.Start, LIID: st.LIID}
	if err := dec.Check(); err != nil {
		return err
	}
	b, err := json.Marshal(dec)
	if err != nil {
		return err
	}
	rec, err := register.Submit(journalPath(d.dir), d.ids[actor], d.clock, tasking.DecisionType, b)
	if err != nil {
		return err
	}
	if err := reg.Refresh(); err != nil {
		return err
	}
	acts, err := d.reconcile(reg, actor)
	if err != nil {
		return err
	}
	p, tag := d.p, d.s.tag
	fmt.Fprintln(&d.ne.out, stamp(rec.Time, tag)+"  "+p.Sprintf("%[1]s starts the interception of %[2]s under the LIID the NTSU-CTIF gave (desk intercept start); the ADMF tasks %[3]s over X1, with mutual TLS: %[4]s",
		actor, id, d.ne.name, d.actionsText(acts)))
	return nil
}

// reconcile runs the ADMF's pass at the clock's now and records each
// step, signed by actor.
func (d *demo) reconcile(reg *register.Register, actor string) ([]tasking.Action, error) {
	orders, _ := tasking.Desired(reg.JournalID(), reg.Cases(), tasking.Decisions(reg), d.clock.Now())
	acts := tasking.Reconcile(d.s.ctx, d.ne.client, d.ne.name, orders, tasking.Ours(reg.JournalID(), reg.Cases()), nil, d.clock.Now())
	for _, a := range acts {
		b, err := json.Marshal(a)
		if err == nil {
			_, err = register.Submit(journalPath(d.dir), d.ids[actor], d.clock, tasking.ActionType, b)
		}
		if err != nil {
			return nil, err
		}
	}
	return acts, nil
}

// actionsText says what a pass did, in a few words.
func (d *demo) actionsText(acts []tasking.Action) string {
	if len(acts) == 0 {
		return d.p.Sprintf("nothing to do")
	}
	var s string
	for i, a := range acts {
		if i > 0 {
			s += ", "
		}
		if a.Error != "" {
			s += d.p.Sprintf("%[1]s failed", string(a.Step))
		} else {
			s += d.p.Sprintf("task %[1]s", string(a.Step))
		}
	}
	return s
}

// showIntercept shows the interception's tasking: what the NE holds at
// the month's end, and the watch's pass at the order's end, which
// removes the task by itself.
func (d *demo) showIntercept() error {
	if d.ne == nil {
		return nil
	}
	p, tag := d.p, d.s.tag
	d.section("Interception tasked over X1")
	fmt.Fprintln(d.s.out, p.Sprintf("The cell's ADMF (package tasking) turns the register's lawful interception orders into X1 tasks (ETSI TS 103 221-1) on each point of interception; the demonstration runs one, %[1]s, on this machine.", d.ne.name))
	fmt.Fprint(d.s.out, d.ne.out.String())
	ctx := context.Background()
	xids, _, err := d.ne.client.ListAllDetails(ctx)
	if err != nil {
		return err
	}
	for _, x := range xids {
		td, err := d.ne.client.GetTaskDetails(ctx, x)
		if err != nil {
			return err
		}
		for _, m := range td.Task.Mediation {
			what := p.Sprintf("IRI and content")
			switch m.Delivery {
			case intercept.IRIOnly:
				what = p.Sprintf("IRI only")
			case intercept.CCOnly:
				what = p.Sprintf("content only")
			}
			fmt.Fprintln(d.s.out, p.Sprintf("%[1]s holds %[2]d {2:target|targets} under LIID %[3]s, delivering %[4]s, until %[5]s", d.ne.name, len(td.Task.Targets), m.LIID, what, stamp(timesync.FromTime(m.End), tag)))
		}
	}
	// The watch's pass when the order ends: the task goes by itself.
	reg := d.reg
	if err := reg.Refresh(); err != nil {
		return err
	}
	orders, _ := tasking.Desired(reg.JournalID(), reg.Cases(), tasking.Decisions(reg), d.clock.Now())
	for _, o := range orders {
		// At that second, the orders still in force are what they were.
		later, _ := tasking.Desired(reg.JournalID(), reg.Cases(), tasking.Decisions(reg), o.End)
		acts := tasking.Reconcile(ctx, d.ne.client, d.ne.name, later, tasking.Ours(reg.JournalID(), reg.Cases()), nil, o.End)
		fmt.Fprintln(d.s.out, stamp(timesync.FromTime(o.End), tag)+"  "+p.Sprintf("the order of %[1]s ends; desk watch's pass at that second: %[2]s — nobody needs to be awake (shown here ahead of time, not recorded)", o.Case, d.actionsText(acts)))
	}
	return nil
}

// demoInterceptSentences are the sentences of the demonstration's
// interception.
func demoInterceptSentences() [][]string {
	return [][]string{
		{"Interception tasked over X1", "Interception chargée par X1", "Interceptie ingesteld via X1", "Überwachung über X1 beauftragt"},
		{"The cell's ADMF (package tasking) turns the register's lawful interception orders into X1 tasks (ETSI TS 103 221-1) on each point of interception; the demonstration runs one, %[1]s, on this machine.",
			"L'ADMF de la cellule (paquet tasking) transforme les ordonnances d'interception légales du registre en tâches X1 (ETSI TS 103 221-1) sur chaque point d'interception ; la démonstration en fait tourner un, %[1]s, sur cette machine.",
			"De ADMF van de cel (pakket tasking) zet de wettige interceptiebevelen van het register om in X1-taken (ETSI TS 103 221-1) op elk interceptiepunt; de demonstratie draait er één, %[1]s, op deze machine.",
			"Die ADMF der Zelle (Paket tasking) macht aus den rechtmäßigen Überwachungsanordnungen des Registers X1-Aufgaben (ETSI TS 103 221-1) auf jedem Überwachungspunkt; die Demonstration betreibt einen, %[1]s, auf diesem Rechner."},
		{"%[1]s starts the interception of %[2]s under the LIID the NTSU-CTIF gave (desk intercept start); the ADMF tasks %[3]s over X1, with mutual TLS: %[4]s",
			"%[1]s lance l'interception de %[2]s sous le LIID donné par le NTSU-CTIF (desk intercept start) ; l'ADMF charge %[3]s par X1, en TLS mutuel : %[4]s",
			"%[1]s start de interceptie van %[2]s onder de LIID die het NTSU-CTIF gaf (desk intercept start); de ADMF geeft %[3]s de taak via X1, met wederzijdse TLS: %[4]s",
			"%[1]s startet die Überwachung von %[2]s unter der LIID des NTSU-CTIF (desk intercept start); die ADMF beauftragt %[3]s über X1, mit gegenseitigem TLS: %[4]s"},
		{"nothing to do", "rien à faire", "niets te doen", "nichts zu tun"},
		{"IRI and content", "IRI et contenu", "IRI en inhoud", "IRI und Inhalt"},
		{"IRI only", "IRI seulement", "alleen IRI", "nur IRI"},
		{"content only", "contenu seulement", "alleen inhoud", "nur Inhalt"},
		{"%[1]s failed", "%[1]s en échec", "%[1]s mislukt", "%[1]s fehlgeschlagen"},
		{"task %[1]s", "tâche %[1]s", "taak %[1]s", "Aufgabe %[1]s"},
		{"%[1]s holds %[2]d {2:target|targets} under LIID %[3]s, delivering %[4]s, until %[5]s",
			"%[1]s tient %[2]d {2:cible|cibles} sous le LIID %[3]s, livrant %[4]s, jusqu'au %[5]s",
			"%[1]s houdt %[2]d {2:doel|doelen} onder LIID %[3]s, levert %[4]s, tot %[5]s",
			"%[1]s hält %[2]d {2:Ziel|Ziele} unter LIID %[3]s, liefert %[4]s, bis %[5]s"},
		{"the order of %[1]s ends; desk watch's pass at that second: %[2]s — nobody needs to be awake (shown here ahead of time, not recorded)",
			"l'ordonnance de %[1]s prend fin ; passage de desk watch à cette seconde : %[2]s — personne n'a besoin d'être éveillé (montré ici à l'avance, non consigné)",
			"het bevel van %[1]s loopt af; doorloop van desk watch op die seconde: %[2]s — niemand hoeft wakker te zijn (hier vooraf getoond, niet vastgelegd)",
			"die Anordnung von %[1]s endet; Durchlauf von desk watch in dieser Sekunde: %[2]s — niemand muss wach sein (hier vorab gezeigt, nicht festgehalten)"},
	}
}
