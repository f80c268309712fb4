package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/ccjkit/ccjkit/requisition"
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

// languages are the languages the desk speaks (-lang): those of
// sentenceLanguages, and, in a test binary, the pseudo-locale.
func languages() []language.Tag {
	if testing.Testing() {
		return append(sentenceLanguages(), pseudoLocale())
	}
	return sentenceLanguages()
}

// sentenceLanguages are the languages of the columns of sentences: the
// library's (requisition.Languages), English first.
func sentenceLanguages() []language.Tag { return requisition.Languages() }

// pseudoLocale is the language of the tests that look for English in
// translated output (TestNoEnglishInPseudoLocale): en-XA, English whose
// every literal run is marked ⟦like this⟧ and whose arguments are left
// outside the marks, as in the library's catalogues (internal/i18n). Only
// a test binary speaks it.
func pseudoLocale() language.Tag { return language.MustParse("en-XA") }

// catalogue builds the desk's catalogue once, from sentences: each
// sentence's English text is its key. A text says how a word agrees with
// a number by a plural choice, {N:ONE|OTHER}: N is the argument (as in
// %[N]d) whose CLDR plural category, as x/text computes it for the text's
// language, picks ONE for "one" and OTHER for any other (French puts 0
// with 1); a text with a choice numbers all its verbs (%[1]d), since
// x/text formats the arguments of the choice again. The library's
// catalogues (internal/i18n) read the same form.
var catalogue = sync.OnceValues(func() (catalog.Catalog, error) {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	langs := sentenceLanguages()
	for _, row := range sentences() {
		if len(row) != len(langs) {
			return nil, fmt.Errorf("desk: sentence %q has %d texts for %d languages", row[0], len(row), len(langs))
		}
		for i, tag := range langs {
			if err := setSentence(b, tag, row[0], row[i]); err != nil {
				return nil, fmt.Errorf("desk: sentence %q: %w", row[0], err)
			}
		}
		if testing.Testing() {
			if err := setSentence(b, pseudoLocale(), row[0], pseudoText(row[0])); err != nil {
				return nil, fmt.Errorf("desk: sentence %q: %w", row[0], err)
			}
		}
	}
	return b, nil
})

// textPart is a run of a sentence's text, or (arg > 0) a plural choice.
type textPart struct {
	text       string
	arg        int
	one, other string
}

// splitPlurals splits text into runs and plural choices {N:ONE|OTHER}.
func splitPlurals(text string) ([]textPart, error) {
	var parts []textPart
	choice := false
	for rest := text; ; {
		i := strings.Index(rest, "{")
		var arg, n int
		if i >= 0 {
			n, _ = fmt.Sscanf(rest[i:], "{%d:", &arg)
		}
		if i < 0 || n != 1 {
			parts = append(parts, textPart{text: rest})
			break
		}
		end := strings.Index(rest[i:], "}")
		colon := strings.Index(rest[i:], ":")
		forms := []string{}
		if end > colon {
			forms = strings.Split(rest[i+colon+1:i+end], "|")
		}
		if end < 0 || arg < 1 || len(forms) != 2 || strings.ContainsAny(rest[i+colon+1:i+end], "{%") {
			return nil, fmt.Errorf("a plural choice is {N:ONE|OTHER}")
		}
		parts = append(parts, textPart{text: rest[:i]}, textPart{arg: arg, one: forms[0], other: forms[1]})
		rest, choice = rest[i+end+1:], true
	}
	for _, p := range parts {
		for _, v := range formatVerbs(p.text) {
			if choice && !strings.Contains(p.text[v[0]:v[1]], "[") {
				return nil, fmt.Errorf("a sentence with a plural choice numbers every verb (%%[1]d)")
			}
		}
	}
	return parts, nil
}

// setSentence sets key's text in language tag, its plural choices made
// catalog.Var selections by x/text's plural rules.
func setSentence(b *catalog.Builder, tag language.Tag, key, text string) error {
	parts, err := splitPlurals(text)
	if err != nil {
		return err
	}
	var msgs []catalog.Message
	var s strings.Builder
	for _, p := range parts {
		if p.arg == 0 {
			s.WriteString(p.text)
			continue
		}
		name := fmt.Sprintf("plural%d", len(msgs)+1)
		msgs = append(msgs, catalog.Var(name, plural.Selectf(p.arg, "%d", plural.One, p.one, plural.Other, p.other)))
		s.WriteString("${" + name + "}")
	}
	return b.Set(tag, key, append(msgs, catalog.String(s.String()))...)
}

// pseudoText is text in the pseudo-locale: each literal run between verbs
// marked, plural forms too.
func pseudoText(text string) string {
	parts, err := splitPlurals(text)
	if err != nil {
		return text // setSentence reports the error
	}
	var b strings.Builder
	for _, p := range parts {
		if p.arg != 0 {
			fmt.Fprintf(&b, "{%d:%s|%s}", p.arg, markRuns(p.one), markRuns(p.other))
		} else {
			b.WriteString(markRuns(p.text))
		}
	}
	return b.String()
}

// markRuns marks each literal run of s between verbs: ⟦…⟧.
func markRuns(s string) string {
	var b strings.Builder
	run := 0
	for _, v := range append(formatVerbs(s), [2]int{len(s), len(s)}) {
		if v[0] > run {
			b.WriteString("⟦" + s[run:v[0]] + "⟧")
		}
		b.WriteString(s[v[0]:v[1]])
		run = v[1]
	}
	return b.String()
}

// formatVerbs returns where fmt's verbs are in s, "%%" excepted.
func formatVerbs(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("+-# 0123456789.*[]", s[j]) >= 0 {
			j++
		}
		if j < len(s) {
			j++
		}
		out = append(out, [2]int{i, j})
		i = j - 1
	}
	return out
}

// sentences are the desk's own sentences in English, French, Dutch and
// German. The labels of ccjkit's values (states, events, measures...)
// come from their Label methods.
func sentences() [][]string {
	return append(append(append(append(retentionSentences(), demoRetentionSentences()...), demoNightSentences()...), demoInterceptSentences()...), [][]string{
		// desk values
		{"A requisition (desk schema requisition; desk template MEASURE):", "Une réquisition (desk schema requisition ; desk template MESURE) :",
			"Een vordering (desk schema requisition; desk template MAATREGEL):", "Eine Anordnung (desk schema requisition; desk template MASSNAHME):"},
		{"at most %[1]d {1:month|months}, %[2]s", "au plus %d mois, %s", "ten hoogste %[1]d {1:maand|maanden}, %[2]s", "höchstens %[1]d {1:Monat|Monate}, %[2]s"},
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
		{"%[1]d {1:finding|findings}: desk review %[2]s shows {1:it|them} and records nothing", "%[1]d {1:constat|constats} : desk review %[2]s {1:le|les} montre et n'enregistre rien",
			"%[1]d {1:vaststelling|vaststellingen}: desk review %[2]s toont {1:ze|ze} en registreert niets", "%[1]d {1:Feststellung|Feststellungen}: desk review %[2]s zeigt {1:sie|sie} und erfasst nichts"},
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
		{"%[1]d {1:finding|findings}:", "%[1]d {1:constat|constats} :", "%[1]d {1:vaststelling|vaststellingen}:", "%[1]d {1:Feststellung|Feststellungen}:"},
		{"%d records, hash chain intact; last record %d, hash %s", "%d enregistrements, chaîne de hachage intacte ; dernier enregistrement %d, empreinte %s", "%d records, hashketen intact; laatste record %d, hash %s", "%d Einträge, Hash-Kette intakt; letzter Eintrag %d, Hash %s"},
		{"%s left (due %s)", "reste %s (échéance %s)", "nog %s (termijn %s)", "noch %s (fällig %s)"},
		{"%s — %s, by %s at %s", "%s — %s, par %s le %s", "%s — %s, door %s op %s", "%s — %s, von %s am %s"},
		{"%[1]s, as the order states — %[2]s, reference %[3]s, %[4]d {4:target|targets}", "%[1]s, selon la réquisition — %[2]s, référence %[3]s, %[4]d {4:cible|cibles}",
			"%[1]s, volgens de vordering — %[2]s, referentie %[3]s, %[4]d {4:doelwit|doelwitten}", "%[1]s, laut der Anforderung — %[2]s, Aktenzeichen %[3]s, %[4]d {4:Ziel|Ziele}"},
		{"signatures: %[1]s (%[2]s) signed %[3]d {3:record|records}", "signatures : %[1]s (%[2]s) a signé %[3]d {3:enregistrement|enregistrements}", "handtekeningen: %[1]s (%[2]s) ondertekende %[3]d {3:record|records}", "Signaturen: %[1]s (%[2]s) hat %[3]d {3:Eintrag|Einträge} signiert"},
		{"%[1]d {1:record|records} unsigned (earlier format): verified by the chain, attributed only by {1:its|their} sealed content", "%[1]d {1:enregistrement non signé|enregistrements non signés} (format antérieur) : {1:vérifié|vérifiés} par la chaîne, {1:attribué|attribués} seulement par leur contenu scellé", "%[1]d {1:record|records} niet ondertekend (vroeger formaat): geverifieerd door de keten, enkel toegeschreven door de verzegelde inhoud", "%[1]d {1:Eintrag|Einträge} unsigniert (früheres Format): durch die Kette geprüft, nur durch den versiegelten Inhalt zugeordnet"},
		{"%[1]d {1:checkpoint|checkpoints} kept on this machine {1:holds|hold}", "%[1]d {1:point de contrôle gardé|points de contrôle gardés} sur cette machine {1:tient|tiennent}", "%[1]d {1:controlepunt|controlepunten} bewaard op deze machine {1:klopt|kloppen}", "%[1]d auf diesem Rechner {1:aufbewahrter Prüfpunkt stimmt|aufbewahrte Prüfpunkte stimmen}"},
		{"the journal ends with an incomplete write (never acknowledged); the next write sets it aside", "le journal se termine par une écriture incomplète (jamais confirmée) ; la prochaine écriture la met de côté", "het journaal eindigt met een onvolledige schrijfbewerking (nooit bevestigd); de volgende schrijfbewerking zet ze opzij", "das Journal endet mit einem unvollständigen Schreibvorgang (nie bestätigt); der nächste Schreibvorgang legt ihn beiseite"},
		{"every record opened and replayed: each step was signed by the member it names", "chaque enregistrement ouvert et rejoué : chaque étape a été signée par le membre qu'elle nomme", "elk record geopend en opnieuw afgespeeld: elke stap werd ondertekend door het lid dat ze noemt", "jeder Eintrag geöffnet und nachvollzogen: jeder Schritt wurde von dem Mitglied signiert, das er nennt"},
		{"%s: %d records, hash chain intact, from %s to %s; last hash %s", "%s : %d enregistrements, chaîne de hachage intacte, du %s au %s ; dernière empreinte %s", "%s: %d records, hashketen intact, van %s tot %s; laatste hash %s", "%s: %d Einträge, Hash-Kette intakt, von %s bis %s; letzter Hash %s"},
		{"%s; then %s", "%s ; ensuite %s", "%s; daarna %s", "%s; dann %s"},
		{"(%d more problems)", "(%d autres problèmes)", "(nog %d problemen)", "(%d weitere Probleme)"},
		{"(the temporary register and PDFs are removed on exit; -keep DIR keeps them)", "(le registre temporaire et les PDF sont supprimés à la fin ; -keep DIR les conserve)", "(het tijdelijke register en de pdf's worden op het einde verwijderd; -keep DIR bewaart ze)", "(das temporäre Register und die PDFs werden am Ende gelöscht; -keep DIR behält sie)"},
		{"yes", "oui", "ja", "ja"},
		{"no", "non", "nee", "nein"},
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
		// desk rota
		{"%[1]d {1:event|events} mapped to shifts (%[2]d new, %[3]d already in the rota), %[4]d not mapped, %[5]d cancelled",
			"%[1]d {1:événement lu|événements lus} comme {1:tour|tours} de garde (%[2]d {2:nouveau|nouveaux}, %[3]d déjà au planning), %[4]d non {4:lu|lus}, %[5]d {5:annulé|annulés}",
			"%[1]d {1:gebeurtenis|gebeurtenissen} als {1:wachtbeurt|wachtbeurten} gelezen (%[2]d nieuw, %[3]d al in het rooster), %[4]d niet gelezen, %[5]d geannuleerd",
			"%[1]d {1:Termin|Termine} als {1:Bereitschaftsdienst|Bereitschaftsdienste} gelesen (%[2]d neu, %[3]d schon im Plan), %[4]d nicht gelesen, %[5]d abgesagt"},
		{"new", "nouveau", "nieuw", "neu"},
		{"in the rota", "déjà au planning", "al in het rooster", "schon im Plan"},
		{"starts %s", "débute le %s", "begint op %s", "beginnt am %s"},
		{"%s drawn in %s", "%s dessiné dans %s", "%s getekend in %s", "%s gezeichnet in %s"},
		// desk keep
		{"Keeping: %[1]d {1:year|years} %[2]d {2:month|months} from a case's closing, at %[3]s",
			"Conservation : %[1]d {1:an|ans} %[2]d mois à partir de la clôture d'un dossier, au %[3]s",
			"Bewaring: %[1]d jaar %[2]d {2:maand|maanden} vanaf de afsluiting van een dossier, op %[3]s",
			"Aufbewahrung: %[1]d {1:Jahr|Jahre} %[2]d {2:Monat|Monate} ab dem Abschluss eines Vorgangs, am %[3]s"},
		{"the cell's decision: %s", "décision de la cellule : %s", "beslissing van de cel: %s", "Entscheidung der Zelle: %s"},
		{"Ended (%d): the period is over; the register deletes nothing (docs/recovery.md, \"The end of a keeping period\")",
			"Échus (%d) : la durée est écoulée ; le registre n'efface rien (docs/recovery.md, « The end of a keeping period »)",
			"Verlopen (%d): de termijn is voorbij; het register wist niets (docs/recovery.md, \"The end of a keeping period\")",
			"Abgelaufen (%d): die Frist ist vorbei; das Register löscht nichts (docs/recovery.md, „The end of a keeping period“)"},
		{"closed %s, kept to %s", "clôturé le %s, conservé jusqu'au %s", "afgesloten op %s, bewaard tot %s", "abgeschlossen am %s, aufbewahrt bis %s"},
		{"Kept (%d):", "Conservés (%d) :", "Bewaard (%d):", "Aufbewahrt (%d):"},
		{"Not closed, with nothing left to do (%d): their period has not begun; close them (desk close ID)",
			"Non clôturés, sans plus rien à faire (%d) : leur durée n'a pas commencé ; clôturez-les (desk close ID)",
			"Niet afgesloten, zonder nog iets te doen (%d): hun termijn is niet begonnen; sluit ze af (desk close ID)",
			"Nicht abgeschlossen, ohne dass etwas zu tun bleibt (%d): ihre Frist hat nicht begonnen; schließen Sie sie ab (desk close ID)"},
		{"Open: %d", "Ouverts : %d", "Open: %d", "Offen: %d"},
		{"Every case is closed and its period over: this register may be retired as a whole (docs/recovery.md).",
			"Chaque dossier est clôturé et sa durée écoulée : ce registre peut être retiré en entier (docs/recovery.md).",
			"Elk dossier is afgesloten en zijn termijn voorbij: dit register mag in zijn geheel buiten gebruik worden gesteld (docs/recovery.md).",
			"Jeder Vorgang ist abgeschlossen und seine Frist vorbei: dieses Register darf als Ganzes stillgelegt werden (docs/recovery.md)."},
		{"Findings (%d):", "Constats (%d) :", "Vaststellingen (%d):", "Feststellungen (%d):"},
		// desk init, desk member
		{"wrote %s: add the operator's details and billing", "%s écrit : ajoutez-y les coordonnées de l'opérateur et la facturation",
			"%s geschreven: vul de gegevens van de operator en de facturatie aan", "%s geschrieben: ergänzen Sie die Angaben des Betreibers und die Abrechnung"},
		{"the register in %s is founded by %s; add the other members with: desk member add", "le registre dans %s est fondé par %s ; ajoutez les autres membres avec : desk member add",
			"het register in %s is opgericht door %s; voeg de andere leden toe met: desk member add", "das Register in %s ist von %s gegründet; fügen Sie die anderen Mitglieder hinzu mit: desk member add"},
		{"copied the cell file to %s: the other commands read it there", "fichier de la cellule copié dans %s : les autres commandes l'y lisent",
			"celbestand gekopieerd naar %s: de andere commando's lezen het daar", "Zellendatei nach %s kopiert: die anderen Befehle lesen sie dort"},
		{"identity written to %s (keep it secret; a recovery identity belongs on paper, in a safe)", "identité écrite dans %s (gardez-la secrète ; une identité de secours se garde sur papier, dans un coffre)",
			"identiteit geschreven naar %s (houd ze geheim; een herstelidentiteit hoort op papier, in een kluis)", "Identität in %s geschrieben (halten Sie sie geheim; eine Wiederherstellungsidentität gehört auf Papier, in einen Tresor)"},
		{"give a member this line to add it:", "donnez cette ligne à un membre pour qu'il l'ajoute :", "geef een lid deze regel om ze toe te voegen:", "geben Sie einem Mitglied diese Zeile, damit es sie hinzufügt:"},
		{"identity written to %s: it keeps your age key (which opens the records written before) and adds a signing key", "identité écrite dans %s : elle garde votre clé age (qui ouvre les enregistrements antérieurs) et y ajoute une clé de signature",
			"identiteit geschreven naar %s: ze behoudt uw age-sleutel (die de eerdere records opent) en voegt een ondertekeningssleutel toe", "Identität in %s geschrieben: sie behält Ihren age-Schlüssel (der die früheren Einträge öffnet) und fügt einen Signaturschlüssel hinzu"},
		{"the register in %s is upgraded: its roster is founded by %s; add the other members with desk member add", "le registre dans %s est mis à niveau : sa liste des membres est fondée par %s ; ajoutez les autres membres avec desk member add",
			"het register in %s is bijgewerkt: de ledenlijst is opgericht door %s; voeg de andere leden toe met desk member add", "das Register in %s ist aktualisiert: seine Mitgliederliste ist von %s gegründet; fügen Sie die anderen Mitglieder mit desk member add hinzu"},
		{"%s added as %s by %s (record %d)", "%s ajouté comme %s par %s (enregistrement %d)", "%s toegevoegd als %s door %s (record %d)", "%s als %s von %s hinzugefügt (Eintrag %d)"},
		{"%s removed: a new epoch key was drawn for the identities that remain", "%s retiré : une nouvelle clé d'époque a été tirée pour les identités qui restent",
			"%s verwijderd: er werd een nieuwe tijdperksleutel getrokken voor de overblijvende identiteiten", "%s entfernt: für die verbleibenden Identitäten wurde ein neuer Epochenschlüssel erzeugt"},
		{"active", "actif", "actief", "aktiv"},
		{"removed %s by %s", "retiré le %s par %s", "verwijderd op %s door %s", "entfernt am %s von %s"},
		{"added %[1]s by %[2]s; %[3]s; %[4]d {4:record|records} signed", "ajouté le %[1]s par %[2]s ; %[3]s ; %[4]d {4:enregistrement signé|enregistrements signés}",
			"toegevoegd op %[1]s door %[2]s; %[3]s; %[4]d {4:record|records} ondertekend", "hinzugefügt am %[1]s von %[2]s; %[3]s; %[4]d {4:Eintrag|Einträge} signiert"},
		// desk repair
		{"the header-less file was set aside as %s; the next desk command creates a new journal (run desk init again)", "le fichier sans en-tête a été mis de côté sous %s ; la prochaine commande crée un nouveau journal (relancez desk init)",
			"het bestand zonder hoofding werd opzijgezet als %s; het volgende commando maakt een nieuw journaal (voer desk init opnieuw uit)", "die Datei ohne Kopf wurde als %s beiseitegelegt; der nächste Befehl legt ein neues Journal an (führen Sie desk init erneut aus)"},
		{"nothing to repair", "rien à réparer", "niets te herstellen", "nichts zu reparieren"},
		{"the incomplete last write was set aside (record %d records the repair)", "la dernière écriture incomplète a été mise de côté (l'enregistrement %d consigne la réparation)",
			"de onvolledige laatste schrijfbewerking werd opzijgezet (record %d registreert het herstel)", "der unvollständige letzte Schreibvorgang wurde beiseitegelegt (Eintrag %d erfasst die Reparatur)"},
		// the clock
		{"no chronyd answered", "aucun chronyd n'a répondu", "geen chronyd antwoordde", "kein chronyd hat geantwortet"},
		{"%s gave an answer that cannot be read; clockcheck says more", "%s a donné une réponse illisible ; clockcheck en dit plus", "%s gaf een onleesbaar antwoord; clockcheck zegt meer", "%s gab eine unlesbare Antwort; clockcheck sagt mehr"},
		{"%s did not answer; clockcheck says why", "%s n'a pas répondu ; clockcheck dit pourquoi", "%s antwoordde niet; clockcheck zegt waarom", "%s hat nicht geantwortet; clockcheck sagt warum"},
		// the sample month's cases, as the demonstration introduces them
		{"identification of an IPv6 address at a time, answered within the day", "identification d'une adresse IPv6 à un instant donné, répondue dans la journée",
			"identificatie van een IPv6-adres op een tijdstip, binnen de dag beantwoord", "Identifizierung einer IPv6-Adresse zu einem Zeitpunkt, am selben Tag beantwortet"},
		{"traffic data of a VPN user over two weeks, ordered by an investigating judge", "données de trafic d'un utilisateur VPN sur deux semaines, ordonnées par un juge d'instruction",
			"verkeersgegevens van een VPN-gebruiker over twee weken, bevolen door een onderzoeksrechter", "Verkehrsdaten eines VPN-Nutzers über zwei Wochen, angeordnet von einem Untersuchungsrichter"},
		{"real-time interception for one month, delivered to the NTSU-CTIF", "interception en temps réel pendant un mois, remise à la NTSU-CTIF",
			"interceptie in werkelijke tijd gedurende een maand, geleverd aan de NTSU-CTIF", "Echtzeitüberwachung für einen Monat, an die NTSU-CTIF übermittelt"},
		{"flagrant délit: the procureur orders traffic data at night; the judge must confirm within 24 hours", "flagrant délit : le procureur ordonne des données de trafic la nuit ; le juge doit confirmer dans les 24 heures",
			"ontdekking op heterdaad: de procureur beveelt 's nachts verkeersgegevens; de rechter moet binnen 24 uur bevestigen", "Ertappung auf frischer Tat: der Prokurator ordnet nachts Verkehrsdaten an; der Richter muss binnen 24 Stunden bestätigen"},
		{"traffic data ordered by the procureur outside flagrant délit in 2026: the text before 2016 would forbid it, the text in force is not in ccjkit, so the check warns and says what to verify; the cell executes it, since refusing a lawful order is an offence",
			"données de trafic ordonnées par le procureur hors flagrant délit en 2026 : le texte antérieur à 2016 l'interdirait, le texte en vigueur n'est pas dans ccjkit, le contrôle avertit donc et dit quoi vérifier ; la cellule exécute, car refuser un ordre régulier est une infraction",
			"verkeersgegevens bevolen door de procureur buiten heterdaad in 2026: de tekst van vóór 2016 zou het verbieden, de geldende tekst zit niet in ccjkit, dus de controle waarschuwt en zegt wat na te gaan; de cel voert uit, want een regelmatig bevel weigeren is een misdrijf",
			"Verkehrsdaten, 2026 vom Prokurator außerhalb einer Ertappung auf frischer Tat angeordnet: der Text vor 2016 würde es verbieten, der geltende Text ist nicht in ccjkit, also warnt die Prüfung und sagt, was zu prüfen ist; die Zelle führt aus, da die Verweigerung einer rechtmäßigen Anordnung eine Straftat ist"},
		{"an identification received late on a Friday, answered after its deadline on Monday", "une identification reçue tard un vendredi, répondue après son délai le lundi",
			"een identificatie laat op een vrijdag ontvangen, na de termijn op maandag beantwoord", "eine Identifizierung, spät an einem Freitag eingegangen, nach Fristablauf am Montag beantwortet"},
		{"an identification still open at the end of the month", "une identification encore ouverte en fin de mois", "een identificatie die aan het einde van de maand nog open is", "eine Identifizierung, die am Monatsende noch offen ist"},
		{"%[1]s: %[2]d {2:event|events} could not be mapped to shifts (listed above)", "%[1]s : %[2]d {2:événement n'a pas pu être lu|événements n'ont pas pu être lus} comme tour de garde (voir ci-dessus)",
			"%[1]s: %[2]d {2:gebeurtenis kon|gebeurtenissen konden} niet als wachtbeurt gelezen worden (zie hierboven)", "%[1]s: %[2]d {2:Termin konnte|Termine konnten} nicht als Bereitschaftsdienst gelesen werden (siehe oben)"},
		{"%[1]d {1:finding is an error|findings are errors}", "%[1]d {1:constat est une erreur|constats sont des erreurs}", "%[1]d {1:vaststelling is een fout|vaststellingen zijn fouten}", "%[1]d {1:Feststellung ist ein Fehler|Feststellungen sind Fehler}"},
		// desk help and COMMAND -h
		{"usage: desk [FLAGS] [COMMAND] [FLAGS] [ARGS]", "usage : desk [OPTIONS] [COMMANDE] [OPTIONS] [ARGUMENTS]", "gebruik: desk [OPTIES] [COMMANDO] [OPTIES] [ARGUMENTEN]", "Aufruf: desk [OPTIONEN] [BEFEHL] [OPTIONEN] [ARGUMENTE]"},
		{"With no command, desk runs the demonstration on sample data (desk demo -h).", "Sans commande, desk joue la démonstration sur des données d'exemple (desk demo -h).",
			"Zonder commando speelt desk de demonstratie op voorbeeldgegevens (desk demo -h).", "Ohne Befehl führt desk die Vorführung mit Beispieldaten aus (desk demo -h)."},
		{"Commands that write to the register (signed, kept for good):", "Commandes qui écrivent au registre (signé, conservé pour de bon) :", "Commando's die in het register schrijven (ondertekend, voorgoed bewaard):", "Befehle, die ins Register schreiben (signiert, dauerhaft aufbewahrt):"},
		{"Commands that read the register and record nothing:", "Commandes qui lisent le registre et n'enregistrent rien :", "Commando's die het register lezen en niets registreren:", "Befehle, die das Register lesen und nichts erfassen:"},
		{"Commands some of whose subcommands write to the register:", "Commandes dont certaines sous-commandes écrivent au registre :", "Commando's waarvan sommige subcommando's in het register schrijven:", "Befehle, von denen einige Unterbefehle ins Register schreiben:"},
		{"Commands that open no register:", "Commandes qui n'ouvrent aucun registre :", "Commando's die geen register openen:", "Befehle, die kein Register öffnen:"},
		{"Flags go before or after the command: desk -dir /srv/ccj list is desk list -dir /srv/ccj.", "Les options se placent avant ou après la commande : desk -dir /srv/ccj list est desk list -dir /srv/ccj.",
			"Opties staan voor of na het commando: desk -dir /srv/ccj list is desk list -dir /srv/ccj.", "Optionen stehen vor oder nach dem Befehl: desk -dir /srv/ccj list ist desk list -dir /srv/ccj."},
		{"the register's directory (default $CCJKIT_DIR, else the current directory)", "le répertoire du registre (par défaut $CCJKIT_DIR, sinon le répertoire courant)", "de map van het register (standaard $CCJKIT_DIR, anders de huidige map)", "das Verzeichnis des Registers (Vorgabe $CCJKIT_DIR, sonst das aktuelle Verzeichnis)"},
		{"your identity file (default $CCJKIT_IDENTITY)", "votre fichier d'identité (par défaut $CCJKIT_IDENTITY)", "uw identiteitsbestand (standaard $CCJKIT_IDENTITY)", "Ihre Identitätsdatei (Vorgabe $CCJKIT_IDENTITY)"},
		{"this machine's checkpoints (default $CCJKIT_ANCHORS)", "les points de contrôle de cette machine (par défaut $CCJKIT_ANCHORS)", "de controlepunten van deze machine (standaard $CCJKIT_ANCHORS)", "die Prüfpunkte dieses Rechners (Vorgabe $CCJKIT_ANCHORS)"},
		{"fr, nl, de or en (default from $LC_ALL, $LC_MESSAGES or $LANG, else en)", "fr, nl, de ou en (par défaut selon $LC_ALL, $LC_MESSAGES ou $LANG, sinon en)", "fr, nl, de of en (standaard volgens $LC_ALL, $LC_MESSAGES of $LANG, anders en)", "fr, nl, de oder en (Vorgabe nach $LC_ALL, $LC_MESSAGES oder $LANG, sonst en)"},
		{"the desk's version", "la version du desk", "de versie van de desk", "die Version des desk"},
		{"Before the command, -dir, -cell, -identity and -anchors are ignored by a command that does not take them.", "Avant la commande, -dir, -cell, -identity et -anchors sont ignorées par une commande qui ne les prend pas.",
			"Voor het commando worden -dir, -cell, -identity en -anchors genegeerd door een commando dat ze niet neemt.", "Vor dem Befehl werden -dir, -cell, -identity und -anchors von einem Befehl, der sie nicht nimmt, übergangen."},
		{"Run 'desk COMMAND -h' for a command's flags.", "Lancez « desk COMMANDE -h » pour les options d'une commande.", "Voer 'desk COMMANDO -h' uit voor de opties van een commando.", "Rufen Sie „desk BEFEHL -h“ für die Optionen eines Befehls auf."},
		{"usage: desk %s [FLAGS] %s", "usage : desk %s [OPTIONS] %s", "gebruik: desk %s [OPTIES] %s", "Aufruf: desk %s [OPTIONEN] %s"},
		{"Flags:", "Options :", "Opties:", "Optionen:"},
		{"(default %q)", "(par défaut %q)", "(standaard %q)", "(Vorgabe %q)"},
		{"Writes to the register: what it records is signed and kept for good.", "Écrit au registre : ce qu'elle enregistre est signé et conservé pour de bon.", "Schrijft in het register: wat het registreert, is ondertekend en wordt voorgoed bewaard.", "Schreibt ins Register: was er erfasst, ist signiert und wird dauerhaft aufbewahrt."},
		{"Reads the register and records nothing in it.", "Lit le registre et n'y enregistre rien.", "Leest het register en registreert er niets in.", "Liest das Register und erfasst nichts darin."},
		{"Writes to the register for add, remove and upgrade; keygen and list record nothing.", "Écrit au registre pour add, remove et upgrade ; keygen et list n'enregistrent rien.", "Schrijft in het register voor add, remove en upgrade; keygen en list registreren niets.", "Schreibt ins Register bei add, remove und upgrade; keygen und list erfassen nichts."},
		{"Does not open a register.", "N'ouvre aucun registre.", "Opent geen register.", "Öffnet kein Register."},
		// the commands' summaries
		{"run the demonstration on embedded sample data (the default)", "joue la démonstration sur les données d'exemple intégrées (par défaut)", "speelt de demonstratie op de ingebouwde voorbeeldgegevens (standaard)", "führt die Vorführung mit den eingebauten Beispieldaten aus (Vorgabe)"},
		{"create a register directory: desk.json and your key", "crée un répertoire de registre : desk.json et votre clé", "maakt een registermap: desk.json en uw sleutel", "legt ein Registerverzeichnis an: desk.json und Ihren Schlüssel"},
		{"record a requisition as received (a reference already in the register: -duplicate)", "enregistre une réquisition comme reçue (une référence déjà au registre : -duplicate)", "registreert een vordering als ontvangen (een referentie die al in het register staat: -duplicate)", "erfasst eine Anforderung als eingegangen (ein Aktenzeichen, das schon im Register steht: -duplicate)"},
		{"open cases, overdue first, with the time left", "les dossiers ouverts, en retard d'abord, avec le temps restant", "de open dossiers, te late eerst, met de resterende tijd", "die offenen Vorgänge, überfällige zuerst, mit der verbleibenden Zeit"},
		{"a case in full", "un dossier en entier", "een dossier volledig", "ein Vorgang vollständig"},
		{"acknowledge a case: you take it", "prend en charge un dossier : vous le prenez", "neemt een dossier in behandeling: u neemt het", "übernimmt einen Vorgang: Sie nehmen ihn"},
		{"a case's findings against the law, and what each decision would record", "les constats d'un dossier au regard de la loi, et ce que chaque décision enregistrerait", "de vaststellingen van een dossier tegenover de wet, en wat elke beslissing zou registreren", "die Feststellungen eines Vorgangs nach dem Gesetz, und was jede Entscheidung erfassen würde"},
		{"record the decision the findings point to: lawful, or contested with the rules not met", "enregistre la décision que les constats indiquent : régulière, ou contestée avec les règles non respectées", "registreert de beslissing waarop de vaststellingen wijzen: regelmatig, of betwist met de niet nageleefde regels", "erfasst die Entscheidung, auf die die Feststellungen weisen: rechtmäßig, oder angefochten mit den nicht erfüllten Regeln"},
		{"record that the authority was asked to clarify (-note)", "enregistre que l'autorité a été priée de préciser (-note)", "registreert dat de overheid om verduidelijking werd gevraagd (-note)", "erfasst, dass die Behörde um Klarstellung gebeten wurde (-note)"},
		{"contest a case, with reasons (-note)", "conteste un dossier, avec les motifs (-note)", "betwist een dossier, met de redenen (-note)", "ficht einen Vorgang an, mit Gründen (-note)"},
		{"issue a technician's work order and print it", "émet l'ordre de travail d'un technicien et l'imprime", "geeft een werkopdracht voor een technicus en drukt ze af", "erteilt einem Techniker einen Arbeitsauftrag und druckt ihn"},
		{"attach a technician's result", "joint le résultat d'un technicien", "voegt het resultaat van een technicus toe", "fügt das Ergebnis eines Technikers bei"},
		{"record the answer (-to, -channel, -at, -what; -without-result when no result is attached)", "enregistre la réponse (-to, -channel, -at, -what ; -without-result quand aucun résultat n'est joint)", "registreert het antwoord (-to, -channel, -at, -what; -without-result als geen resultaat is toegevoegd)", "erfasst die Antwort (-to, -channel, -at, -what; -without-result, wenn kein Ergebnis beigefügt ist)"},
		{"record that the cost statement was sent", "enregistre que l'état de frais a été envoyé", "registreert dat de kostenstaat werd verstuurd", "erfasst, dass die Kostenaufstellung versandt wurde"},
		{"close a case", "clôture un dossier", "sluit een dossier af", "schließt einen Vorgang ab"},
		{"record that the authority withdrew the order", "enregistre que l'autorité a retiré la réquisition", "registreert dat de overheid de vordering heeft ingetrokken", "erfasst, dass die Behörde die Anforderung zurückgezogen hat"},
		{"record that the order expired unanswered", "enregistre que la réquisition a expiré sans réponse", "registreert dat de vordering onbeantwoord is verlopen", "erfasst, dass die Anforderung unbeantwortet abgelaufen ist"},
		{"the month's cost statements, one per office or authority (-format text|csv|pdf; -o DIR/ or a pattern with {number})", "les états de frais du mois, un par office ou autorité (-format text|csv|pdf ; -o DIR/ ou un modèle avec {number})",
			"de kostenstaten van de maand, één per ambt of overheid (-format text|csv|pdf; -o DIR/ of een patroon met {number})", "die Kostenaufstellungen des Monats, eine je Behörde (-format text|csv|pdf; -o DIR/ oder ein Muster mit {number})"},
		{"statistics of a year or a month (-format text|csv|json)", "les statistiques d'une année ou d'un mois (-format text|csv|json)", "de statistieken van een jaar of een maand (-format text|csv|json)", "die Statistik eines Jahres oder Monats (-format text|csv|json)"},
		{"verify the register: chain, signatures, roster, this machine's checkpoints", "vérifie le registre : chaîne, signatures, liste des membres, points de contrôle de cette machine", "controleert het register: keten, handtekeningen, ledenlijst, controlepunten van deze machine", "prüft das Register: Kette, Signaturen, Mitgliederliste, Prüfpunkte dieses Rechners"},
		{"set aside a crash's incomplete write, or a header-less file", "met de côté l'écriture incomplète d'un plantage, ou un fichier sans en-tête", "zet de onvolledige schrijfbewerking van een crash opzij, of een bestand zonder hoofding", "legt den unvollständigen Schreibvorgang eines Absturzes beiseite, oder eine Datei ohne Kopf"},
		{"the register's identities", "les identités du registre", "de identiteiten van het register", "die Identitäten des Registers"},
		{"closed cases whose keeping period is over (-years, -months, -policy)", "les dossiers clôturés dont la durée de conservation est écoulée (-years, -months, -policy)", "de afgesloten dossiers waarvan de bewaartermijn voorbij is (-years, -months, -policy)", "die abgeschlossenen Vorgänge, deren Aufbewahrungsfrist vorbei ist (-years, -months, -policy)"},
		{"check the rota's coverage, export it as iCalendar, read a calendar against it, or draw a month (-svg FILE)", "vérifie la couverture du planning, l'exporte en iCalendar, lit un calendrier à son regard, ou dessine un mois (-svg FICHIER)",
			"controleert de dekking van het rooster, exporteert het als iCalendar, leest er een kalender tegen, of tekent een maand (-svg BESTAND)", "prüft die Abdeckung des Dienstplans, exportiert ihn als iCalendar, liest einen Kalender dagegen, oder zeichnet einen Monat (-svg DATEI)"},
		{"print the JSON Schema of a file: requisition, result, cell or desk", "affiche le JSON Schema d'un fichier : requisition, result, cell ou desk", "toont het JSON Schema van een bestand: requisition, result, cell of desk", "gibt das JSON Schema einer Datei aus: requisition, result, cell oder desk"},
		{"print a complete requisition for a measure, lawful now, to edit (desk values lists the keys)", "affiche une réquisition complète pour une mesure, régulière maintenant, à modifier (desk values liste les clés)",
			"toont een volledige vordering voor een maatregel, nu regelmatig, om aan te passen (desk values toont de sleutels)", "gibt eine vollständige, jetzt rechtmäßige Anforderung für eine Maßnahme zum Bearbeiten aus (desk values listet die Schlüssel)"},
		{"every key the files take: measures with their articles and data, authorities, offences...", "chaque clé que prennent les fichiers : les mesures avec leurs articles et données, les autorités, les infractions…",
			"elke sleutel die de bestanden nemen: de maatregelen met hun artikelen en gegevens, de overheden, de misdrijven…", "jeder Schlüssel, den die Dateien nehmen: die Maßnahmen mit ihren Artikeln und Daten, die Behörden, die Straftaten …"},
		// the flags (their `PLACEHOLDER` is the English text's)
		{"`DIR` outside the register where this machine keeps its signed checkpoints (default $CCJKIT_ANCHORS, else ~/.local/state/ccjkit/anchors)", "le répertoire, hors du registre, où cette machine garde ses points de contrôle signés (par défaut $CCJKIT_ANCHORS, sinon ~/.local/state/ccjkit/anchors)",
			"de map buiten het register waar deze machine haar ondertekende controlepunten bewaart (standaard $CCJKIT_ANCHORS, anders ~/.local/state/ccjkit/anchors)", "das Verzeichnis außerhalb des Registers, in dem dieser Rechner seine signierten Prüfpunkte aufbewahrt (Vorgabe $CCJKIT_ANCHORS, sonst ~/.local/state/ccjkit/anchors)"},
		{"a `NOTE` kept with the step (reasons, a reference)", "une note gardée avec l'étape (motifs, une référence)", "een notitie bewaard bij de stap (redenen, een referentie)", "eine Notiz, die beim Schritt aufbewahrt wird (Gründe, eine Referenz)"},
		{"and `N` months", "et N mois", "en N maanden", "und N Monate"},
		{"check: how many `DAYS` ahead; export: how many days from -from", "check : combien de jours à l'avance ; export : combien de jours à partir de -from", "check: hoeveel dagen vooruit; export: hoeveel dagen vanaf -from", "check: wie viele Tage im Voraus; export: wie viele Tage ab -from"},
		{"export: how long before each shift its alarm rings (`DURATION`, at most 24h; 0 for none)", "export : combien de temps avant chaque garde son alarme sonne (durée, 24h au plus ; 0 pour aucune)", "export: hoe lang voor elke wachtbeurt het alarm afgaat (duur, ten hoogste 24h; 0 voor geen)", "export: wie lange vor jedem Dienst sein Alarm ertönt (Dauer, höchstens 24h; 0 für keinen)"},
		{"export: the cell's e-mail `ADDRESS`, the events' organizer (default: the member on call)", "export : l'adresse e-mail de la cellule, organisatrice des événements (par défaut : le membre de garde)", "export: het e-mailadres van de cel, organisator van de gebeurtenissen (standaard: het lid van wacht)", "export: die E-Mail-Adresse der Zelle, Organisatorin der Termine (Vorgabe: das Mitglied in Bereitschaft)"},
		{"export: the first `DAY` of the window, YYYY-MM-DD in Brussels (default today)", "export : le premier jour de la fenêtre, YYYY-MM-DD à Bruxelles (par défaut aujourd'hui)", "export: de eerste dag van het venster, YYYY-MM-DD in Brussel (standaard vandaag)", "export: der erste Tag des Fensters, YYYY-MM-DD in Brüssel (Vorgabe heute)"},
		{"for keygen and upgrade: the new identity's `NAME`", "pour keygen et upgrade : le nom de la nouvelle identité", "voor keygen en upgrade: de naam van de nieuwe identiteit", "für keygen und upgrade: der Name der neuen Identität"},
		{"for keygen: member, recovery, service or watch", "pour keygen : member, recovery, service ou watch", "voor keygen: member, recovery, service of watch", "für keygen: member, recovery, service oder watch"},
		{"for pdf, where to write: a `DIR`ectory (existing, or ending in /), a pattern with {number} (claim-{number}.pdf, the default), or one file when there is one claim", "pour pdf, où écrire : un répertoire (existant, ou finissant par /), un modèle avec {number} (claim-{number}.pdf, par défaut), ou un fichier quand il y a un seul état",
			"voor pdf, waar te schrijven: een map (bestaand, of eindigend op /), een patroon met {number} (claim-{number}.pdf, standaard), of één bestand bij één staat", "für pdf, wohin geschrieben wird: ein Verzeichnis (vorhanden oder auf / endend), ein Muster mit {number} (claim-{number}.pdf, Vorgabe), oder eine Datei bei einer einzigen Aufstellung"},
		{"for upgrade: also found the roster of the register in -dir, written by an earlier version", "pour upgrade : fonde aussi la liste des membres du registre dans -dir, écrit par une version antérieure", "voor upgrade: richt ook de ledenlijst op van het register in -dir, geschreven door een eerdere versie", "für upgrade: gründet auch die Mitgliederliste des Registers in -dir, das eine frühere Version schrieb"},
		{"how: email, platform, post, hand, phone or handover (required)", "comment : email, platform, post, hand, phone ou handover (requis)", "hoe: email, platform, post, hand, phone of handover (vereist)", "wie: email, platform, post, hand, phone oder handover (erforderlich)"},
		{"keep the demonstration's register in `DIR` instead of a temporary directory", "garde le registre de la démonstration dans ce répertoire au lieu d'un répertoire temporaire", "bewaart het register van de demonstratie in deze map in plaats van een tijdelijke map", "behält das Register der Vorführung in diesem Verzeichnis statt in einem temporären"},
		{"language of the output: `fr`, nl, de or en (when not given: $LC_ALL, $LC_MESSAGES or $LANG)", "langue de la sortie : fr, nl, de ou en (sinon : $LC_ALL, $LC_MESSAGES ou $LANG)", "taal van de uitvoer: fr, nl, de of en (anders: $LC_ALL, $LC_MESSAGES of $LANG)", "Sprache der Ausgabe: fr, nl, de oder en (sonst: $LC_ALL, $LC_MESSAGES oder $LANG)"},
		{"receive it although a case holds the same authority's reference (an order sent twice is one case)", "la recevoir bien qu'un dossier porte la même référence de l'autorité (une réquisition envoyée deux fois est un seul dossier)",
			"ontvang ze hoewel een dossier dezelfde referentie van de overheid draagt (een tweemaal verstuurde vordering is één dossier)", "sie erfassen, obwohl ein Vorgang dasselbe Aktenzeichen der Behörde trägt (eine zweimal gesandte Anforderung ist ein Vorgang)"},
		{"show: draw the month as SVG into `FILE` (- for standard output)", "show : dessine le mois en SVG dans ce fichier (- pour la sortie standard)", "show: tekent de maand als SVG in dit bestand (- voor de standaarduitvoer)", "show: zeichnet den Monat als SVG in diese Datei (- für die Standardausgabe)"},
		{"show: the `MONTH`, YYYY-MM (default this month)", "show : le mois, YYYY-MM (par défaut ce mois-ci)", "show: de maand, YYYY-MM (standaard deze maand)", "show: der Monat, YYYY-MM (Vorgabe dieser Monat)"},
		{"text, csv or json", "text, csv ou json", "text, csv of json", "text, csv oder json"},
		{"text, csv or pdf", "text, csv ou pdf", "text, csv of pdf", "text, csv oder pdf"},
		{"the `REASON` the answer rests on no technician's result: needed when none is attached (desk result), kept with the answer", "la raison pour laquelle la réponse ne repose sur aucun résultat de technicien : requise quand aucun n'est joint (desk result), gardée avec la réponse",
			"de reden waarom het antwoord op geen resultaat van een technicus berust: vereist als er geen is toegevoegd (desk result), bewaard bij het antwoord", "der Grund, warum die Antwort auf keinem Ergebnis eines Technikers beruht: nötig, wenn keines beigefügt ist (desk result), bei der Antwort aufbewahrt"},
		{"the `RECIPIENT` the requisition says to answer (required)", "le destinataire auquel la réquisition dit de répondre (requis)", "de bestemmeling aan wie de vordering zegt te antwoorden (vereist)", "der Empfänger, dem laut Anforderung zu antworten ist (erforderlich)"},
		{"the case's `ID` in the cell (default: the next YYYY-NNNN)", "l'identifiant du dossier dans la cellule (par défaut : le prochain YYYY-NNNN)", "de identificatie van het dossier in de cel (standaard: de volgende YYYY-NNNN)", "die Kennung des Vorgangs in der Zelle (Vorgabe: die nächste YYYY-NNNN)"},
		{"the cell `FILE` (default DIR/cell.json)", "le fichier de la cellule (par défaut DIR/cell.json)", "het celbestand (standaard DIR/cell.json)", "die Zellendatei (Vorgabe DIR/cell.json)"},
		{"the cell's `DECISION` that sets the period (\"keeping policy of the cell, approved 2026-01-05\"): no Belgian text ccjkit holds sets it", "la décision de la cellule qui fixe la durée (« politique de conservation de la cellule, approuvée le 05/01/2026 ») : aucun texte belge que ccjkit connaît ne la fixe",
			"de beslissing van de cel die de termijn vastlegt (\"bewaarbeleid van de cel, goedgekeurd op 05/01/2026\"): geen Belgische tekst die ccjkit kent legt hem vast", "die Entscheidung der Zelle, die die Frist festlegt („Aufbewahrungsrichtlinie der Zelle, genehmigt am 05.01.2026“): kein belgischer Text, den ccjkit kennt, legt sie fest"},
		{"the keeping period: `N` years from a case's closing", "la durée de conservation : N ans à partir de la clôture d'un dossier", "de bewaartermijn: N jaar vanaf de afsluiting van een dossier", "die Aufbewahrungsfrist: N Jahre ab dem Abschluss eines Vorgangs"},
		{"the kinds of data delivered, comma-separated (default those asked)", "les types de données remises, séparés par des virgules (par défaut ceux demandés)", "de soorten geleverde gegevens, gescheiden door komma's (standaard de gevraagde)", "die Arten der übermittelten Daten, durch Kommas getrennt (Vorgabe die verlangten)"},
		{"the register's `DIR`ectory (desk.json, ccj.journal; default $CCJKIT_DIR, else the current directory)", "le répertoire du registre (desk.json, ccj.journal ; par défaut $CCJKIT_DIR, sinon le répertoire courant)", "de map van het register (desk.json, ccj.journal; standaard $CCJKIT_DIR, anders de huidige map)", "das Verzeichnis des Registers (desk.json, ccj.journal; Vorgabe $CCJKIT_DIR, sonst das aktuelle Verzeichnis)"},
		{"what was delivered, in words", "ce qui a été remis, en mots", "wat werd geleverd, in woorden", "was übermittelt wurde, in Worten"},
		{"when it was delivered, Brussels `TIME` (default now)", "quand elle a été remise, heure de Bruxelles (par défaut maintenant)", "wanneer het werd geleverd, Brusselse tijd (standaard nu)", "wann sie übermittelt wurde, Brüsseler Zeit (Vorgabe jetzt)"},
		{"when the result is needed: a `DURATION` (4h) or a Brussels time; default the case's deadline", "quand le résultat est attendu : une durée (4h) ou une heure de Bruxelles ; par défaut le délai du dossier", "wanneer het resultaat nodig is: een duur (4h) of een Brusselse tijd; standaard de termijn van het dossier", "wann das Ergebnis gebraucht wird: eine Dauer (4h) oder eine Brüsseler Zeit; Vorgabe die Frist des Vorgangs"},
		{"write JSON, for scripts", "écrit du JSON, pour les scripts", "schrijft JSON, voor scripts", "schreibt JSON, für Skripte"},
		{"your identity `FILE` (default $CCJKIT_IDENTITY): your name and keys", "votre fichier d'identité (par défaut $CCJKIT_IDENTITY) : votre nom et vos clés", "uw identiteitsbestand (standaard $CCJKIT_IDENTITY): uw naam en sleutels", "Ihre Identitätsdatei (Vorgabe $CCJKIT_IDENTITY): Ihr Name und Ihre Schlüssel"},
		{"your member `ID` in the cell file, when init creates your identity", "votre identifiant de membre dans le fichier de la cellule, quand init crée votre identité", "uw identificatie als lid in het celbestand, wanneer init uw identiteit maakt", "Ihre Mitgliedskennung in der Zellendatei, wenn init Ihre Identität anlegt"},
		{"the smallest `N` shown as a number; smaller counts are hidden (1 shows every count: for the cell's own eyes, not for publication)", "le plus petit nombre affiché tel quel ; les nombres inférieurs sont masqués (1 les montre tous : pour la cellule seule, pas pour publication)",
			"het kleinste aantal dat als getal wordt getoond; kleinere aantallen worden verborgen (1 toont alle: voor de cel zelf, niet voor publicatie)", "die kleinste Zahl, die als Zahl erscheint; kleinere werden verborgen (1 zeigt alle: nur für die Zelle, nicht zur Veröffentlichung)"},
		// placeholders of arguments and flags (desk help, COMMAND -h)
		{"FILE", "FICHIER", "BESTAND", "DATEI"},
		{"DIR", "RÉP", "MAP", "VERZ"},
		{"MONTH", "MOIS", "MAAND", "MONAT"},
		{"DAY", "JOUR", "DAG", "TAG"},
		{"DAYS", "JOURS", "DAGEN", "TAGE"},
		{"DURATION", "DURÉE", "DUUR", "DAUER"},
		{"ADDRESS", "ADRESSE", "ADRES", "ADRESSE"},
		{"NAME", "NOM", "NAAM", "NAME"},
		{"NOTE", "NOTE", "NOTITIE", "NOTIZ"},
		{"TIME", "HEURE", "TIJD", "ZEIT"},
		{"RECIPIENT", "DESTINATAIRE", "BESTEMMELING", "EMPFÄNGER"},
		{"REASON", "MOTIF", "REDEN", "GRUND"},
		{"DECISION", "DÉCISION", "BESLISSING", "ENTSCHEIDUNG"},
		{"MEASURE", "MESURE", "MAATREGEL", "MASSNAHME"},
		{"LANG", "LANGUE", "TAAL", "SPRACHE"},
		{"VALUE", "VALEUR", "WAARDE", "WERT"},
		{"PREFIX", "PRÉFIXE", "PREFIX", "PRÄFIX"},
		// bad input: the desk's own messages (a library's errors are Go's, in English)
		{"desk: unknown command: 'desk help' lists the commands", "desk : commande inconnue : « desk help » liste les commandes", "desk: onbekend commando: 'desk help' toont de commando's", "desk: unbekannter Befehl: „desk help“ listet die Befehle"},
		{"desk: -%s needs a value: 'desk help' lists the flags", "desk : -%s demande une valeur : « desk help » liste les options", "desk: -%s heeft een waarde nodig: 'desk help' toont de opties", "desk: -%s braucht einen Wert: „desk help“ listet die Optionen"},
		{"an unknown flag, or a flag written wrongly", "une option inconnue, ou mal écrite", "een onbekende optie, of een verkeerd geschreven optie", "eine unbekannte oder falsch geschriebene Option"},
		{"-%s needs a value", "-%s demande une valeur", "-%s heeft een waarde nodig", "-%s braucht einen Wert"},
		{"-%s: a value of the wrong form", "-%s : une valeur de forme incorrecte", "-%s: een waarde van de verkeerde vorm", "-%s: ein Wert der falschen Form"},
		{"desk %s: %s: 'desk %s -h' lists its flags", "desk %s : %s : « desk %s -h » liste ses options", "desk %s: %s: 'desk %s -h' toont de opties", "desk %s: %s: „desk %s -h“ listet die Optionen"},
		{"%s exists already", "%s existe déjà", "%s bestaat al", "%s existiert bereits"},
		{"%s exists already: init does not replace it (leave out -cell to use it)", "%s existe déjà : init ne le remplace pas (omettez -cell pour l'utiliser)", "%s bestaat al: init vervangt het niet (laat -cell weg om het te gebruiken)", "%s existiert bereits: init ersetzt sie nicht (lassen Sie -cell weg, um sie zu nutzen)"},
		{"%s exists already: init founds a new register (to join one, a member adds you: desk member add)", "%s existe déjà : init fonde un nouveau registre (pour en rejoindre un, un membre vous ajoute : desk member add)",
			"%s bestaat al: init richt een nieuw register op (om bij een register te komen, voegt een lid u toe: desk member add)", "%s existiert bereits: init gründet ein neues Register (um einem beizutreten, fügt ein Mitglied Sie hinzu: desk member add)"},
		{"%s is not a member of the cell in %s: add them there first", "%s n'est pas membre de la cellule dans %s : ajoutez-le d'abord", "%s is geen lid van de cel in %s: voeg het daar eerst toe", "%s ist kein Mitglied der Zelle in %s: fügen Sie es dort zuerst hinzu"},
		{"%s: %v; write the offset after the time, as in %s", "%s : %v ; écrivez le décalage après l'heure, comme dans %s", "%s: %v; schrijf de verschuiving na de tijd, zoals in %s", "%s: %v; schreiben Sie den Versatz nach der Zeit, wie in %s"},
		{"%s: a Brussels time such as 2026-11-23 10:12:07, or with its offset, 2026-10-25 02:30:00 +01:00%s", "%s : une heure de Bruxelles telle que 2026-11-23 10:12:07, ou avec son décalage, 2026-10-25 02:30:00 +01:00%s",
			"%s: een Brusselse tijd zoals 2026-11-23 10:12:07, of met de verschuiving, 2026-10-25 02:30:00 +01:00%s", "%s: eine Brüsseler Zeit wie 2026-11-23 10:12:07, oder mit Versatz, 2026-10-25 02:30:00 +01:00%s"},
		{"%s: at most %d bytes of UTF-8, with no control character", "%s : au plus %d octets d'UTF-8, sans caractère de contrôle", "%s: ten hoogste %d bytes UTF-8, zonder stuurteken", "%s: höchstens %d Bytes UTF-8, ohne Steuerzeichen"},
		{"%s: at most %d bytes of UTF-8, with no control character but tab and line feed", "%s : au plus %d octets d'UTF-8, sans caractère de contrôle sauf tabulation et saut de ligne",
			"%s: ten hoogste %d bytes UTF-8, zonder stuurteken behalve tab en regeleinde", "%s: höchstens %d Bytes UTF-8, ohne Steuerzeichen außer Tabulator und Zeilenvorschub"},
		{"case ID", "identifiant de dossier", "dossieridentificatie", "Vorgangskennung"},
		{"requisition file", "fichier de réquisition", "vorderingsbestand", "Anforderungsdatei"},
		{"result file", "fichier de résultat", "resultaatbestand", "Ergebnisdatei"},
		{"month (YYYY-MM)", "mois (YYYY-MM)", "maand (YYYY-MM)", "Monat (YYYY-MM)"},
		{"year (YYYY) or month (YYYY-MM)", "année (YYYY) ou mois (YYYY-MM)", "jaar (YYYY) of maand (YYYY-MM)", "Jahr (YYYY) oder Monat (YYYY-MM)"},
		{"%s: cannot read it", "%s : illisible", "%s: onleesbaar", "%s: nicht lesbar"},
		{"%s: larger than %d bytes", "%s : plus de %d octets", "%s: groter dan %d bytes", "%s: größer als %d Bytes"},
		{"%s: no journal", "%s : pas de journal", "%s: geen journaal", "%s: kein Journal"},
		{"%s: offices: an office's key must be the key it is listed under", "%s : offices : la clé d'un office doit être celle sous laquelle il est listé", "%s: offices: de sleutel van een ambt moet die zijn waaronder het vermeld staat", "%s: offices: der Schlüssel einer Behörde muss der sein, unter dem sie steht"},
		{"%s: your identity's name is not a member of the cell in %s", "%s : le nom de votre identité n'est pas un membre de la cellule dans %s", "%s: de naam van uw identiteit is geen lid van de cel in %s", "%s: der Name Ihrer Identität ist kein Mitglied der Zelle in %s"},
		{"your identity's name is not a member of the cell in %s", "le nom de votre identité n'est pas un membre de la cellule dans %s", "de naam van uw identiteit is geen lid van de cel in %s", "der Name Ihrer Identität ist kein Mitglied der Zelle in %s"},
		{"-alarm: 0 (none) to %v", "-alarm : de 0 (aucune) à %v", "-alarm: 0 (geen) tot %v", "-alarm: 0 (keiner) bis %v"},
		{"-days: 1 to %d days", "-days : de 1 à %d jours", "-days: 1 tot %d dagen", "-days: 1 bis %d Tage"},
		{"-due: a duration such as 4h, or a Brussels time such as 2026-11-24 10:00", "-due : une durée telle que 4h, ou une heure de Bruxelles telle que 2026-11-24 10:00", "-due: een duur zoals 4h, of een Brusselse tijd zoals 2026-11-24 10:00", "-due: eine Dauer wie 4h, oder eine Brüsseler Zeit wie 2026-11-24 10:00"},
		{"-format: text, csv or json", "-format : text, csv ou json", "-format: text, csv of json", "-format: text, csv oder json"},
		{"-format: text, csv or pdf", "-format : text, csv ou pdf", "-format: text, csv of pdf", "-format: text, csv oder pdf"},
		{"-from: a day YYYY-MM-DD, such as 2026-11-23", "-from : un jour YYYY-MM-DD, tel que 2026-11-23", "-from: een dag YYYY-MM-DD, zoals 2026-11-23", "-from: ein Tag YYYY-MM-DD, wie 2026-11-23"},
		{"-id: a case ID is 1 to %d printable ASCII characters, no space", "-id : un identifiant de dossier compte de 1 à %d caractères ASCII imprimables, sans espace", "-id: een dossieridentificatie telt 1 tot %d afdrukbare ASCII-tekens, zonder spatie", "-id: eine Vorgangskennung hat 1 bis %d druckbare ASCII-Zeichen, ohne Leerzeichen"},
		{"-identity: the file to keep your identity in (your name and secret keys)", "-identity : le fichier où garder votre identité (votre nom et vos clés secrètes)", "-identity: het bestand om uw identiteit in te bewaren (uw naam en geheime sleutels)", "-identity: die Datei, in der Ihre Identität aufbewahrt wird (Ihr Name und Ihre geheimen Schlüssel)"},
		{"-lang: one of fr, nl, de, en", "-lang : fr, nl, de ou en", "-lang: fr, nl, de of en", "-lang: fr, nl, de oder en"},
		{"-month: a month YYYY-MM, such as 2026-11", "-month : un mois YYYY-MM, tel que 2026-11", "-month: een maand YYYY-MM, zoals 2026-11", "-month: ein Monat YYYY-MM, wie 2026-11"},
		{"-name: your member ID in %s, to make your identity", "-name : votre identifiant de membre dans %s, pour créer votre identité", "-name: uw identificatie als lid in %s, om uw identiteit te maken", "-name: Ihre Mitgliedskennung in %s, um Ihre Identität anzulegen"},
		{"-o: %d claims to write: give a directory or a pattern with {number}", "-o : %d états à écrire : donnez un répertoire ou un modèle avec {number}", "-o: %d staten te schrijven: geef een map of een patroon met {number}", "-o: %d Aufstellungen zu schreiben: geben Sie ein Verzeichnis oder ein Muster mit {number} an"},
		{"-policy: name the cell's decision that sets the keeping period (no Belgian text ccjkit holds sets it)", "-policy : nommez la décision de la cellule qui fixe la durée de conservation (aucun texte belge que ccjkit connaît ne la fixe)",
			"-policy: noem de beslissing van de cel die de bewaartermijn vastlegt (geen Belgische tekst die ccjkit kent legt hem vast)", "-policy: nennen Sie die Entscheidung der Zelle, die die Aufbewahrungsfrist festlegt (kein belgischer Text, den ccjkit kennt, legt sie fest)"},
		{"-svg: cannot write the file: %v", "-svg : impossible d'écrire le fichier : %v", "-svg: kan het bestand niet schrijven: %v", "-svg: die Datei kann nicht geschrieben werden: %v"},
		{"-threshold: a whole number, 1 or more", "-threshold : un nombre entier, 1 ou plus", "-threshold: een geheel getal, 1 of meer", "-threshold: eine ganze Zahl, 1 oder mehr"},
		{"-to: the recipient is needed", "-to : le destinataire est requis", "-to: de bestemmeling is vereist", "-to: der Empfänger ist erforderlich"},
		{"a month as YYYY-MM", "un mois au format YYYY-MM", "een maand als YYYY-MM", "ein Monat als YYYY-MM"},
		{"a year as YYYY", "une année au format YYYY", "een jaar als YYYY", "ein Jahr als YYYY"},
		{"give one %s", "donnez un seul %s", "geef één %s", "geben Sie genau ein %s an"},
		{"give one measure: %s", "donnez une seule mesure : %s", "geef één maatregel: %s", "geben Sie genau eine Maßnahme an: %s"},
		{"give one of %s (desk schema NAME > NAME.schema.json)", "donnez l'un de %s (desk schema NOM > NOM.schema.json)", "geef een van %s (desk schema NAAM > NAAM.schema.json)", "geben Sie eines von %s an (desk schema NAME > NAME.schema.json)"},
		{"init takes no argument", "init ne prend aucun argument", "init neemt geen argument", "init nimmt kein Argument"},
		{"keep takes no argument", "keep ne prend aucun argument", "keep neemt geen argument", "keep nimmt kein Argument"},
		{"list takes no argument", "list ne prend aucun argument", "list neemt geen argument", "list nimmt kein Argument"},
		{"member list takes no argument", "member list ne prend aucun argument", "member list neemt geen argument", "member list nimmt kein Argument"},
		{"repair takes no argument", "repair ne prend aucun argument", "repair neemt geen argument", "repair nimmt kein Argument"},
		{"values takes no argument", "values ne prend aucun argument", "values neemt geen argument", "values nimmt kein Argument"},
		{"verify takes no argument", "verify ne prend aucun argument", "verify neemt geen argument", "verify nimmt kein Argument"},
		{"the demonstration takes no argument", "la démonstration ne prend aucun argument", "de demonstratie neemt geen argument", "die Vorführung nimmt kein Argument"},
		{"rota %s takes no argument", "rota %s ne prend aucun argument", "rota %s neemt geen argument", "rota %s nimmt kein Argument"},
		{"member add: give one public identity line (or file holding it)", "member add : donnez une ligne d'identité publique (ou le fichier qui la contient)", "member add: geef één publieke identiteitsregel (of het bestand dat ze bevat)", "member add: geben Sie eine öffentliche Identitätszeile an (oder die Datei, die sie enthält)"},
		{"member keygen -name NAME [-role member|recovery|service|watch] -identity FILE", "member keygen -name NOM [-role member|recovery|service|watch] -identity FICHIER", "member keygen -name NAAM [-role member|recovery|service|watch] -identity BESTAND", "member keygen -name NAME [-role member|recovery|service|watch] -identity DATEI"},
		{"member remove: give one name", "member remove : donnez un nom", "member remove: geef één naam", "member remove: geben Sie einen Namen an"},
		{"member upgrade -name NAME OLD-AGE-KEY-FILE NEW-IDENTITY-FILE", "member upgrade -name NOM ANCIEN-FICHIER-CLÉ-AGE NOUVEAU-FICHIER-IDENTITÉ", "member upgrade -name NAAM OUD-AGE-SLEUTELBESTAND NIEUW-IDENTITEITSBESTAND", "member upgrade -name NAME ALTE-AGE-SCHLÜSSELDATEI NEUE-IDENTITÄTSDATEI"},
		{"no identity: give -identity FILE or set CCJKIT_IDENTITY to your identity file (desk member keygen makes one)", "pas d'identité : donnez -identity FICHIER ou mettez dans CCJKIT_IDENTITY votre fichier d'identité (desk member keygen en crée un)",
			"geen identiteit: geef -identity BESTAND of zet CCJKIT_IDENTITY op uw identiteitsbestand (desk member keygen maakt er een)", "keine Identität: geben Sie -identity DATEI an oder setzen Sie CCJKIT_IDENTITY auf Ihre Identitätsdatei (desk member keygen legt eine an)"},
		{"rota import: give one FILE.ics", "rota import : donnez un FICHIER.ics", "rota import: geef één BESTAND.ics", "rota import: geben Sie eine DATEI.ics an"},
		{"rota show: give -svg FILE, where the month is drawn (- for standard output)", "rota show : donnez -svg FICHIER, où le mois est dessiné (- pour la sortie standard)", "rota show: geef -svg BESTAND, waar de maand getekend wordt (- voor de standaarduitvoer)", "rota show: geben Sie -svg DATEI an, wohin der Monat gezeichnet wird (- für die Standardausgabe)"},
		{"rota: check, export, import FILE.ics or show", "rota : check, export, import FICHIER.ics ou show", "rota: check, export, import BESTAND.ics of show", "rota: check, export, import DATEI.ics oder show"},
		{"member: keygen, add, remove, list or upgrade", "member : keygen, add, remove, list ou upgrade", "member: keygen, add, remove, list of upgrade", "member: keygen, add, remove, list oder upgrade"},
	}...)
}
