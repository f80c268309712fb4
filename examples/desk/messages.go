package main

import (
	"fmt"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// printer returns a printer of the desk's sentences in the language tag
// asks for. Should the catalogue not build (a malformed sentence, which
// TestCatalogue catches), the sentences are printed as written, in
// English.
func printer(tag language.Tag) *message.Printer {
	cat, err := catalogue()
	if err != nil {
		return message.NewPrinter(language.English)
	}
	return message.NewPrinter(tag, message.Catalog(cat))
}

// catalogue builds the desk's catalogue once, from sentences: each
// sentence's English text is its key.
var catalogue = sync.OnceValues(func() (catalog.Catalog, error) {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, row := range sentences {
		if len(row) != len(sentenceLanguages) {
			return nil, fmt.Errorf("desk: sentence %q has %d texts for %d languages", row[0], len(row), len(sentenceLanguages))
		}
		for i, tag := range sentenceLanguages {
			if err := b.SetString(tag, row[0], row[i]); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
})

// sentenceLanguages are the languages of the columns of sentences.
var sentenceLanguages = []language.Tag{language.English, language.French, language.Dutch, language.German}

// sentences are the desk's own sentences in English, French, Dutch and
// German. The labels of ccjkit's values (states, events, measures...)
// come from their Label methods.
var sentences = [][]string{
	// desk values
	{"A requisition (desk schema requisition; desk template MEASURE):", "Une réquisition (desk schema requisition ; desk template MESURE) :",
		"Een vordering (desk schema requisition; desk template MAATREGEL):", "Eine Anordnung (desk schema requisition; desk template MASSNAHME):"},
	{"at most %d month(s), %s", "au plus %d mois, %s", "ten hoogste %d maand(en), %s", "höchstens %d Monat(e), %s"},
	{"A technician's result (desk schema result):", "Le résultat d'un technicien (desk schema result) :",
		"Het resultaat van een technicus (desk schema result):", "Das Ergebnis eines Technikers (desk schema result):"},
	{"desk answer:", "desk answer :", "desk answer:", "desk answer:"},
	{"desk.json (desk schema desk):", "desk.json (desk schema desk) :", "desk.json (desk schema desk):", "desk.json (desk schema desk):"},
	{"an object from measure keys to services:", "un objet des clés de mesure vers les services :",
		"een object van maatregelsleutels naar diensten:", "ein Objekt von Maßnahmen-Schlüsseln zu Leistungen:"},
	{"Received", "Reçu", "Ontvangen", "Eingegangen"},
	{"when the cell recorded each step", "heure à laquelle la cellule a enregistré chaque étape", "wanneer de cel elke stap registreerde", "wann die Zelle jeden Schritt erfasste"},
	{"registered", "enregistrée", "geregistreerd", "erfasst"},
	{"State", "État", "Stand", "Stand"},
	{"Checks", "Contrôles", "Controles", "Prüfungen"},
	{"Deadline", "Délai", "Termijn", "Frist"},
	{"On call", "De garde", "Van wacht", "Bereitschaft"},
	{"Work order", "Ordre de travail", "Werkopdracht", "Arbeitsauftrag"},
	{"Result", "Résultat", "Resultaat", "Ergebnis"},
	{"Answer", "Réponse", "Antwoord", "Antwort"},
	{"History", "Historique", "Geschiedenis", "Verlauf"},
	{"Open cases at the end of the month", "Dossiers ouverts en fin de mois", "Open dossiers aan het einde van de maand", "Offene Vorgänge am Monatsende"},
	{"The cell", "La cellule", "De cel", "Die Zelle"},
	{"Cost statements", "États de frais", "Kostenstaten", "Kostenaufstellungen"},
	{"Statistics", "Statistiques", "Statistieken", "Statistiken"},
	{"The register", "Le registre", "Het register", "Das Register"},
	{"%d finding(s), none an error", "%d constat(s), aucune erreur", "%d vaststelling(en), geen fout", "%d Feststellung(en), kein Fehler"},
	{"%d finding(s): desk review %s shows them and records nothing", "%d constat(s) : desk review %s les montre et n'enregistre rien",
		"%d vaststelling(en): desk review %s toont ze en registreert niets", "%d Feststellung(en): desk review %s zeigt sie und erfasst nichts"},
	{"the register holds the same authority's reference (case %s): receiving it again makes a second case; give -duplicate if that is meant",
		"le registre contient la même référence de l'autorité (dossier %s) : la recevoir à nouveau crée un second dossier ; donnez -duplicate si c'est voulu",
		"het register bevat dezelfde referentie van de overheid (dossier %s): ze opnieuw ontvangen maakt een tweede dossier; geef -duplicate als dat de bedoeling is",
		"das Register enthält dasselbe Aktenzeichen der Behörde (Vorgang %s): erneut erfassen ergibt einen zweiten Vorgang; -duplicate angeben, wenn das gewollt ist"},
	{"desk: the register holds the same authority's reference (case %s): received as a new case all the same (-duplicate)",
		"desk : le registre contient la même référence de l'autorité (dossier %s) : reçue tout de même comme nouveau dossier (-duplicate)",
		"desk: het register bevat dezelfde referentie van de overheid (dossier %s): toch als nieuw dossier ontvangen (-duplicate)",
		"desk: das Register enthält dasselbe Aktenzeichen der Behörde (Vorgang %s): dennoch als neuer Vorgang erfasst (-duplicate)"},
	{"%s: recorded in the register: %s (%s); the case is now %s", "%s : enregistré au registre : %s (%s) ; le dossier est maintenant %s",
		"%s: in het register geregistreerd: %s (%s); het dossier is nu %s", "%s: im Register erfasst: %s (%s); der Vorgang ist jetzt %s"},
	{"Review of case %s at %s (%s): nothing is recorded", "Examen du dossier %s au %s (%s) : rien n'est enregistré",
		"Onderzoek van dossier %s op %s (%s): er wordt niets geregistreerd", "Prüfung des Vorgangs %s am %s (%s): nichts wird erfasst"},
	{"The case is %s: no decision on the order can be recorded in this state.", "Le dossier est %s : aucune décision sur la réquisition ne peut être enregistrée dans cet état.",
		"Het dossier is %s: in deze stand kan geen beslissing over de vordering worden geregistreerd.", "Der Vorgang ist %s: in diesem Stand kann keine Entscheidung über die Anforderung erfasst werden."},
	{"A rule is not met: desk check %s would record the contest (%s).", "Une règle n'est pas respectée : desk check %s enregistrerait la contestation (%s).",
		"Een regel is niet nageleefd: desk check %s zou de betwisting registreren (%s).", "Eine Regel ist nicht erfüllt: desk check %s würde den Widerspruch erfassen (%s)."},
	{"No finding is an error: desk check %s would record the order as lawful.", "Aucun constat n'est une erreur : desk check %s enregistrerait la réquisition comme régulière.",
		"Geen vaststelling is een fout: desk check %s zou de vordering als rechtmatig registreren.", "Keine Feststellung ist ein Fehler: desk check %s würde die Anforderung als rechtmäßig erfassen."},
	{"Each of these records a decision: desk check %s (as above), desk clarify %s -note TEXT (the authority was asked to clarify), desk contest %s -note TEXT (contested, with your reasons).",
		"Chacune de ces commandes enregistre une décision : desk check %s (comme ci-dessus), desk clarify %s -note TEXTE (l'autorité a été priée de préciser), desk contest %s -note TEXTE (contestée, avec vos motifs).",
		"Elk van deze registreert een beslissing: desk check %s (zoals hierboven), desk clarify %s -note TEKST (de overheid werd om verduidelijking gevraagd), desk contest %s -note TEKST (betwist, met uw redenen).",
		"Jeder dieser Befehle erfasst eine Entscheidung: desk check %s (wie oben), desk clarify %s -note TEXT (die Behörde wurde um Klarstellung gebeten), desk contest %s -note TEXT (mit Ihren Gründen widersprochen)."},
	{"case %s has no technician's result attached: attach it (desk result FILE), or say why the answer rests on none (-without-result REASON)",
		"le dossier %s n'a aucun résultat de technicien : joignez-le (desk result FICHIER), ou dites pourquoi la réponse n'en repose sur aucun (-without-result MOTIF)",
		"dossier %s heeft geen resultaat van een technicus: voeg het toe (desk result BESTAND), of zeg waarom het antwoord op geen enkel berust (-without-result REDEN)",
		"Vorgang %s hat kein Ergebnis eines Technikers: fügen Sie es bei (desk result DATEI), oder sagen Sie, warum die Antwort auf keinem beruht (-without-result GRUND)"},
	{"desk: clock not checked (%s): the times recorded are this machine's, unverified",
		"desk : horloge non vérifiée (%s) : les heures enregistrées sont celles de cette machine, sans preuve",
		"desk: klok niet gecontroleerd (%s): de geregistreerde tijden zijn die van deze machine, onbevestigd",
		"desk: Uhr nicht geprüft (%s): die erfassten Zeiten sind die dieser Maschine, unbestätigt"},
	{"%d finding(s):", "%d constat(s) :", "%d vaststelling(en):", "%d Feststellung(en):"},
	{"%d records, hash chain intact; last record %d, hash %s", "%d enregistrements, chaîne de hachage intacte ; dernier enregistrement %d, empreinte %s", "%d records, hashketen intact; laatste record %d, hash %s", "%d Einträge, Hash-Kette intakt; letzter Eintrag %d, Hash %s"},
	{"%s left (due %s)", "reste %s (échéance %s)", "nog %s (termijn %s)", "noch %s (fällig %s)"},
	{"%s — %s, by %s at %s", "%s — %s, par %s le %s", "%s — %s, door %s op %s", "%s — %s, von %s am %s"},
	{"%s, as the order states — %s, reference %s, %d target(s)", "%s, selon la réquisition — %s, référence %s, %d cible(s)",
		"%s, volgens de vordering — %s, referentie %s, %d doelwit(ten)", "%s, laut der Anforderung — %s, Aktenzeichen %s, %d Ziel(e)"},
	{"signatures: %s (%s) signed %d record(s)", "signatures : %s (%s) a signé %d enregistrement(s)", "handtekeningen: %s (%s) ondertekende %d record(s)", "Signaturen: %s (%s) hat %d Eintrag/Einträge signiert"},
	{"%d record(s) unsigned (earlier format): verified by the chain, attributed only by their sealed content", "%d enregistrement(s) non signé(s) (format antérieur) : vérifiés par la chaîne, attribués seulement par leur contenu scellé", "%d record(s) niet ondertekend (vroeger formaat): geverifieerd door de keten, enkel toegeschreven door hun verzegelde inhoud", "%d Eintrag/Einträge unsigniert (früheres Format): durch die Kette geprüft, nur durch ihren versiegelten Inhalt zugeordnet"},
	{"%d checkpoint(s) kept on this machine hold", "%d point(s) de contrôle gardé(s) sur cette machine tiennent", "%d controlepunt(en) bewaard op deze machine kloppen", "%d auf diesem Rechner aufbewahrte(r) Prüfpunkt(e) stimmen"},
	{"the journal ends with an incomplete write (never acknowledged); the next write sets it aside", "le journal se termine par une écriture incomplète (jamais confirmée) ; la prochaine écriture la met de côté", "het journaal eindigt met een onvolledige schrijfbewerking (nooit bevestigd); de volgende schrijfbewerking zet ze opzij", "das Journal endet mit einem unvollständigen Schreibvorgang (nie bestätigt); der nächste Schreibvorgang legt ihn beiseite"},
	{"every record opened and replayed: each step was signed by the member it names", "chaque enregistrement ouvert et rejoué : chaque étape a été signée par le membre qu'elle nomme", "elk record geopend en opnieuw afgespeeld: elke stap werd ondertekend door het lid dat ze noemt", "jeder Eintrag geöffnet und nachvollzogen: jeder Schritt wurde von dem Mitglied signiert, das er nennt"},
	{"%s: %d records, hash chain intact, from %s to %s; last hash %s", "%s : %d enregistrements, chaîne de hachage intacte, du %s au %s ; dernière empreinte %s", "%s: %d records, hashketen intact, van %s tot %s; laatste hash %s", "%s: %d Einträge, Hash-Kette intakt, von %s bis %s; letzter Hash %s"},
	{"%s; then %s", "%s ; ensuite %s", "%s; daarna %s", "%s; dann %s"},
	{"(%d more problems)", "(%d autres problèmes)", "(nog %d problemen)", "(%d weitere Probleme)"},
	{"(the temporary register and PDFs are removed on exit; -keep DIR keeps them)", "(le registre temporaire et les PDF sont supprimés à la fin ; -keep DIR les conserve)", "(het tijdelijke register en de pdf's worden op het einde verwijderd; -keep DIR bewaart ze)", "(das temporäre Register und die PDFs werden am Ende gelöscht; -keep DIR behält sie)"},
	{"NOT compliant (synchronised: %v, to the second: %v, traceable: %v)", "NON conforme (synchronisée : %v, à la seconde : %v, traçable : %v)", "NIET conform (gesynchroniseerd: %v, tot op de seconde: %v, herleidbaar: %v)", "NICHT konform (synchronisiert: %v, sekundengenau: %v, rückführbar: %v)"},
	{"PDF: written, and removed with the demonstration's temporary directory (desk demo -keep DIR keeps it)",
		"PDF : écrit, puis supprimé avec le répertoire temporaire de la démonstration (desk demo -keep DIR le garde)",
		"PDF: geschreven, en verwijderd met de tijdelijke map van de demonstratie (desk demo -keep DIR bewaart hem)",
		"PDF: geschrieben und mit dem temporären Verzeichnis der Vorführung entfernt (desk demo -keep DIR behält es)"},
	{"%s is not billed, so no cost statement was sent for it: close it instead", "%s n'est pas facturé, aucun état de frais n'a donc été envoyé : clôturez-le plutôt", "%s wordt niet gefactureerd, er is dus geen kostenstaat verstuurd: sluit het dossier af", "%s wird nicht abgerechnet, also wurde keine Kostenaufstellung gesandt: schließen Sie den Vorgang stattdessen"},
	{"Not billed:", "Non facturés :", "Niet gefactureerd:", "Nicht abgerechnet:"},
	{"OVERDUE by %s (due %s)", "EN RETARD de %s (échéance %s)", "%s TE LAAT (termijn %s)", "%s ÜBERFÄLLIG (fällig %s)"},
	{"PDF: %s", "PDF : %s", "PDF: %s", "PDF: %s"},
	{"Register: %s (sealed to %d members, hash-chained)", "Registre : %s (scellé pour %d membres, chaîné par hachage)", "Register: %s (verzegeld voor %d leden, met hashketen)", "Register: %s (für %d Mitglieder versiegelt, hash-verkettet)"},
	{"This machine's clock: %s; the sample's times are simulated and carry no clock evidence.", "Horloge de cette machine : %s ; les heures de l'exemple sont simulées et sans preuve d'horloge.", "Klok van deze machine: %s; de tijden van het voorbeeld zijn gesimuleerd, zonder klokbewijs.", "Uhr dieser Maschine: %s; die Zeiten des Beispiels sind simuliert und ohne Uhrnachweis."},
	{"This machine's clock: unknown (%s); the sample's times are simulated and carry no clock evidence.", "Horloge de cette machine : inconnue (%s) ; les heures de l'exemple sont simulées et sans preuve d'horloge.", "Klok van deze machine: onbekend (%s); de tijden van het voorbeeld zijn gesimuleerd, zonder klokbewijs.", "Uhr dieser Maschine: unbekannt (%s); die Zeiten des Beispiels sind simuliert und ohne Uhrnachweis."},
	{"before %s", "avant le %s", "vóór %s", "vor %s"},
	{"answer due: %s", "réponse attendue : %s", "antwoord verwacht: %s", "Antwort fällig: %s"},
	{"at %s:", "au %s :", "op %s:", "am %s:"},
	{"cannot be computed: %v", "impossible à calculer : %v", "niet te berekenen: %v", "nicht berechenbar: %v"},
	{"ccjkit desk — demonstration on sample data: %s, %d requisitions", "ccjkit desk — démonstration sur des données d'exemple : %s, %d réquisitions", "ccjkit desk — demonstratie op voorbeeldgegevens: %s, %d vorderingen", "ccjkit desk — Vorführung mit Beispieldaten: %s, %d Anforderungen"},
	{"clock NOT compliant", "horloge NON conforme", "klok NIET conform", "Uhr NICHT konform"},
	{"clock compliant", "horloge conforme", "klok conform", "Uhr konform"},
	{"clock not checked", "horloge non vérifiée", "klok niet gecontroleerd", "Uhr nicht geprüft"},
	{"deadline unknown: check the requisition's response policy", "délai inconnu : vérifiez la politique de réponse de la réquisition", "termijn onbekend: controleer het antwoordbeleid van de vordering", "Frist unbekannt: Antwortregel der Anforderung prüfen"},
	{"due %s", "échéance : %s", "termijn: %s", "fällig: %s"},
	{"no finding: the order meets every rule ccjkit checks", "aucun constat : l'ordre respecte toutes les règles que ccjkit vérifie", "geen vaststelling: het bevel voldoet aan elke regel die ccjkit controleert", "keine Feststellung: die Anordnung erfüllt jede Regel, die ccjkit prüft"},
	{"no open case", "aucun dossier ouvert", "geen open dossier", "kein offener Vorgang"},
	{"nobody: the rota has a gap", "personne : le planning a un trou", "niemand: de wachtlijst heeft een gat", "niemand: der Dienstplan hat eine Lücke"},
	{"received as case %s", "reçue comme dossier %s", "ontvangen als dossier %s", "eingegangen als Vorgang %s"},
	{"signed checkpoint of record %d verified with the auditor's public key alone (no key that opens the records)", "point de contrôle signé de l'enregistrement %d vérifié avec la seule clé publique de l'auditeur (sans clé qui ouvre les enregistrements)", "ondertekend controlepunt van record %d geverifieerd met enkel de publieke sleutel van de auditor (zonder sleutel die de records opent)", "signierter Prüfpunkt von Eintrag %d mit dem öffentlichen Schlüssel des Prüfers allein verifiziert (ohne Schlüssel, der die Einträge öffnet)"},
	{"synchronised to the second to %s", "synchronisée à la seconde sur %s", "tot op de seconde gesynchroniseerd met %s", "sekundengenau synchronisiert mit %s"},
	{"the cell meets every rule checked", "la cellule respecte toutes les règles vérifiées", "de cel voldoet aan elke gecontroleerde regel", "die Zelle erfüllt jede geprüfte Regel"},
	{"what the technician sees (%s):", "ce que voit le technicien (%s) :", "wat de technicus ziet (%s):", "was der Techniker sieht (%s):"},
}
