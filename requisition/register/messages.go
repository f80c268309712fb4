package register

import (
	"sync"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ccjkit/ccjkit/internal/i18n"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
)

func printer(tag language.Tag) *message.Printer { return messages().Printer(tag) }

// text is a message of the register's catalogue and its arguments: a
// [provenance.Message] said in the reader's language, its days and
// instants as that language writes them. A pointer, so that findings stay
// comparable.
type text struct {
	msg  string
	args []any
}

// Text returns the message in the language tag asks for (French, Dutch,
// German; English otherwise).
func (m *text) Text(tag language.Tag) string {
	args := make([]any, len(m.args))
	for i, a := range m.args {
		switch a := a.(type) {
		case date.Date:
			args[i] = timesync.DisplayDay(a, tag)
		case timesync.Timestamp:
			args[i] = a.Display(tag)
		default:
			args[i] = a
		}
	}
	return printer(tag).Sprintf(m.msg, args...)
}

// messages builds the package's catalogue once; it is never changed
// afterwards. Languages: English, French, Dutch, German.
var messages = sync.OnceValue(func() *i18n.Catalogue {
	keyed := [][]string{
		{"target:ip", "IP address %s", "adresse IP %s", "IP-adres %s", "IP-Adresse %s"},
		{"target:prefix", "IP range %s", "plage d'adresses IP %s", "IP-bereik %s", "IP-Adressbereich %s"},
		{"target:phone", "telephone number %s", "numéro de téléphone %s", "telefoonnummer %s", "Telefonnummer %s"},
		{"target:email", "e-mail address %s", "adresse électronique %s", "e-mailadres %s", "E-Mail-Adresse %s"},
		{"target:username", "user name %s", "nom d'utilisateur %s", "gebruikersnaam %s", "Benutzername %s"},
		{"target:imei", "IMEI %s", "IMEI %s", "IMEI %s", "IMEI %s"},
		{"target:imsi", "IMSI %s", "IMSI %s", "IMSI %s", "IMSI %s"},
		{"target:mac", "MAC address %s", "adresse MAC %s", "MAC-adres %s", "MAC-Adresse %s"},
		{"target:subscriber", "subscriber %s", "abonné %s", "abonnee %s", "Teilnehmer %s"},
		{"channel:email", "e-mail", "courrier électronique", "e-mail", "E-Mail"},
		{"channel:platform", "the authority's secure platform", "plateforme sécurisée de l'autorité", "beveiligd platform van de overheid", "gesicherte Plattform der Behörde"},
		{"channel:post", "registered post", "envoi recommandé", "aangetekende zending", "Einschreiben"},
		{"channel:hand", "by hand", "remise en main propre", "persoonlijke overhandiging", "persönliche Übergabe"},
		{"channel:phone", "telephone", "téléphone", "telefoon", "Telefon"},
		{"channel:handover", "interception handover to the NTSU-CTIF", "interface de remise à la NTSU-CTIF", "overdrachtsinterface naar de NTSU-CTIF", "Übergabeschnittstelle zur NTSU-CTIF"},
		{"timeliness:on-time", "within the deadline", "dans le délai", "binnen de termijn", "fristgerecht"},
		{"timeliness:late", "LATE", "EN RETARD", "TE LAAT", "VERSPÄTET"},
		{"timeliness:deadline-unknown", "deadline unknown", "délai inconnu", "termijn onbekend", "Frist unbekannt"},
		{"timeliness:no-fixed-deadline", "no fixed deadline", "pas de délai fixe", "geen vaste termijn", "keine feste Frist"},
		{"state:received", "received", "reçu", "ontvangen", "eingegangen"},
		{"state:acknowledged", "acknowledged", "pris en charge", "in behandeling genomen", "übernommen"},
		{"state:lawful", "checked: lawful", "vérifié : régulier", "gecontroleerd: regelmatig", "geprüft: rechtmäßig"},
		{"state:clarification-asked", "clarification asked", "précisions demandées", "verduidelijking gevraagd", "Klarstellung erbeten"},
		{"state:contested", "contested", "contesté", "betwist", "angefochten"},
		{"state:in-progress", "in progress", "en cours", "in uitvoering", "in Bearbeitung"},
		{"state:answered", "answered", "répondu", "beantwoord", "beantwortet"},
		{"state:invoiced", "invoiced", "facturé", "gefactureerd", "abgerechnet"},
		{"state:closed", "closed", "clôturé", "afgesloten", "abgeschlossen"},
		{"state:expired", "expired", "expiré", "verlopen", "abgelaufen"},
		{"state:cancelled", "withdrawn", "retiré", "ingetrokken", "zurückgezogen"},
		{"event:receive", "received", "reçu", "ontvangen", "eingegangen"},
		{"event:acknowledge", "acknowledged", "pris en charge", "opgenomen", "übernommen"},
		{"event:check-lawful", "found lawful", "jugé régulier", "regelmatig bevonden", "als rechtmäßig geprüft"},
		{"event:ask-clarification", "clarification asked", "précisions demandées", "verduidelijking gevraagd", "Klarstellung erbeten"},
		{"event:contest", "contested", "contesté", "betwist", "angefochten"},
		{"event:work-order", "work order issued", "ordre de travail émis", "werkopdracht gegeven", "Arbeitsauftrag erteilt"},
		{"event:result", "result attached", "résultat joint", "resultaat toegevoegd", "Ergebnis beigefügt"},
		{"event:answer", "answered", "répondu", "beantwoord", "beantwortet"},
		{"event:invoice", "invoiced", "facturé", "gefactureerd", "abgerechnet"},
		{"event:close", "closed", "clôturé", "afgesloten", "abgeschlossen"},
		{"event:expire", "expired", "expiré", "verlopen", "abgelaufen"},
		{"event:cancel", "withdrawn", "retiré", "ingetrokken", "zurückgezogen"},
		{"result:found", "found", "trouvé", "gevonden", "gefunden"},
		{"result:nothing-held", "no such data held", "aucune donnée de ce type", "geen dergelijke gegevens", "keine solchen Daten"},
		{"result:not-possible", "not possible", "impossible", "niet mogelijk", "nicht möglich"},
		{"role:member", "member", "membre", "lid", "Mitglied"},
		{"role:recovery", "recovery identity", "identité de secours", "herstelidentiteit", "Wiederherstellungsidentität"},
		{"role:service", "service", "service", "dienst", "Dienst"},
		{"role:watch", "watch", "veille", "wacht", "Wache"},
		{"outcome:answered", "answered", "répondu", "beantwoord", "beantwortet"},
		{"outcome:contested", "contested", "contesté", "betwist", "angefochten"},
		{"outcome:cancelled", "withdrawn by the authority", "retiré par l'autorité", "ingetrokken door de overheid", "von der Behörde zurückgezogen"},
		{"outcome:expired", "expired", "expiré", "verlopen", "abgelaufen"},
		{"outcome:open", "still open", "en cours", "nog open", "noch offen"},
	}
	english := i18n.EnglishKeyed([][]string{
		{"Work order %s", "Ordre de travail %s", "Werkopdracht %s", "Arbeitsauftrag %s"},
		{"Issued: %s", "Émis : %s", "Uitgereikt: %s", "Ausgestellt: %s"},
		{"Due before: %s", "À rendre avant : %s", "In te leveren vóór: %s", "Abzugeben vor: %s"},
		{"%s, source port %s", "%s, port source %s", "%s, bronpoort %s", "%s, Quellport %s"},
		{"at %s", "le %s", "op %s", "am %s"},
		{"from %s", "à partir du %s", "vanaf %s", "ab %s"},
		{"from %s to %s", "du %s au %s", "van %s tot %s", "von %s bis %s"},
		{"Return the result with the reference %s only. Keep this order secret.",
			"Renvoyez le résultat sous la seule référence %s. Cet ordre est secret.",
			"Stuur het resultaat terug met enkel de referentie %s. Deze opdracht is geheim.",
			"Senden Sie das Ergebnis nur unter der Referenz %s zurück. Dieser Auftrag ist geheim."},
		{"Answer to case %s", "Réponse au dossier %s", "Antwoord op dossier %s", "Antwort zum Vorgang %s"},
		{"Requisition %s: %s; authority: %s", "Réquisition %s : %s ; autorité : %s", "Vordering %s: %s; overheid: %s", "Anforderung %s: %s; Behörde: %s"},
		{"Received:  %s (the order's time of receipt, as it states)", "Reçue :     %s (heure de réception que la réquisition indique)",
			"Ontvangen:  %s (tijdstip van ontvangst volgens de vordering)", "Eingegangen: %s (Eingangszeit laut der Anforderung)"},
		{"Due:       before %s", "Délai :     avant %s", "Termijn:    vóór %s", "Frist:       vor %s"},
		{"Due:       %s", "Délai :     %s", "Termijn:    %s", "Frist:       %s"},
		{"Delivered: %s", "Remise :    %s", "Geleverd:   %s", "Übermittelt: %s"},
		{"To:        %s", "À :         %s", "Aan:        %s", "An:          %s"},
		{"Channel:   %s", "Canal :     %s", "Kanaal:     %s", "Weg:         %s"},
		{"Data:      %s", "Données :   %s", "Gegevens:   %s", "Daten:       %s"},
		{"Content:   %s", "Contenu :   %s", "Inhoud:     %s", "Inhalt:      %s"},
		{"Answered without a technician's result: %s", "Réponse sans résultat de technicien : %s",
			"Beantwoord zonder resultaat van een technicus: %s", "Beantwortet ohne Ergebnis eines Technikers: %s"},
		{"Response time: %s (%s)", "Temps de réponse : %s (%s)", "Antwoordtijd: %s (%s)", "Antwortzeit: %s (%s)"},
		{"Recorded by %s at %s", "Enregistrée par %s le %s", "Geregistreerd door %s op %s", "Erfasst von %s am %s"},
		{"Clock: not checked at that moment; the time is the machine's, unverified",
			"Horloge : non vérifiée à ce moment ; l'heure est celle de la machine, sans preuve",
			"Klok: op dat moment niet gecontroleerd; de tijd is die van de machine, onbevestigd",
			"Uhr: zu diesem Zeitpunkt nicht geprüft; die Zeit ist die der Maschine, unbestätigt"},
		{"Clock: synchronised to the second to a traceable reference (%s), error at most %s",
			"Horloge : synchronisée à la seconde sur une référence traçable (%s), erreur d'au plus %s",
			"Klok: tot op de seconde gesynchroniseerd met een herleidbare referentie (%s), fout hoogstens %s",
			"Uhr: sekundengenau mit einer rückführbaren Referenz synchronisiert (%s), Fehler höchstens %s"},
		{"Clock: NOT compliant at that moment (synchronised: %s, to the second: %s, traceable: %s)",
			"Horloge : NON conforme à ce moment (synchronisée : %s, à la seconde : %s, traçable : %s)",
			"Klok: op dat moment NIET conform (gesynchroniseerd: %s, tot op de seconde: %s, herleidbaar: %s)",
			"Uhr: zu diesem Zeitpunkt NICHT konform (synchronisiert: %s, sekundengenau: %s, rückführbar: %s)"},
		{"yes", "oui", "ja", "ja"},
		{"no", "non", "nee", "nein"},
		{"Requisitions received from %s to %s: %s", "Réquisitions reçues du %s au %s : %s", "Vorderingen ontvangen van %s tot %s: %s", "Anforderungen eingegangen von %s bis %s: %s"},
		{"(counts below %d are shown as \"< %d\"; \"c\" hides a count that would reveal one of them)",
			"(les nombres inférieurs à %d sont notés « < %d » ; « c » masque un nombre qui permettrait de les retrouver)",
			"(aantallen onder %d worden weergegeven als \"< %d\"; \"c\" verbergt een aantal waaruit ze af te leiden zijn)",
			"(Zahlen unter %d erscheinen als „< %d“; „c“ verbirgt eine Zahl, aus der sie sich ableiten ließen)"},
		{"Too few cases in this period for a breakdown that protects them: the total is shown, every other count is \"x\" (not published, zeros included) and no response time is given. A longer period (a year) may allow one: publish it or its months, never both, or the difference gives these counts back.",
			"Trop peu de dossiers sur cette période pour une ventilation qui les protège : le total est affiché, tout autre nombre est « x » (non publié, zéros compris) et aucun délai de réponse n'est donné. Une période plus longue (un an) peut le permettre : publiez-la ou ses mois, jamais les deux, sinon la différence redonne ces nombres.",
			"Te weinig dossiers in deze periode voor een uitsplitsing die ze beschermt: het totaal wordt getoond, elk ander aantal staat als \"x\" (niet gepubliceerd, nullen inbegrepen) en er worden geen antwoordtijden gegeven. Een langere periode (een jaar) kan dat mogelijk maken: publiceer die of haar maanden, nooit beide, anders geeft het verschil deze aantallen terug.",
			"Zu wenige Vorgänge in diesem Zeitraum für eine schützende Aufschlüsselung: Die Summe wird angezeigt, jede andere Zahl als „x“ (nicht veröffentlicht, Nullen eingeschlossen), und es werden keine Antwortzeiten angegeben. Ein längerer Zeitraum (ein Jahr) kann sie erlauben: Veröffentlichen Sie ihn oder seine Monate, nie beides, sonst ergibt die Differenz diese Zahlen."},
		{"Too few cases in this period for a breakdown that protects them, or even for its total: every count is \"x\" (not published, zeros included) and no response time is given. A longer period (a year) may allow one: publish it or its months, never both, or the difference gives these counts back.",
			"Trop peu de dossiers sur cette période pour une ventilation qui les protège, ni même pour leur total : tout nombre est « x » (non publié, zéros compris) et aucun délai de réponse n'est donné. Une période plus longue (un an) peut le permettre : publiez-la ou ses mois, jamais les deux, sinon la différence redonne ces nombres.",
			"Te weinig dossiers in deze periode voor een uitsplitsing die ze beschermt, zelfs niet voor het totaal: elk aantal staat als \"x\" (niet gepubliceerd, nullen inbegrepen) en er worden geen antwoordtijden gegeven. Een langere periode (een jaar) kan dat mogelijk maken: publiceer die of haar maanden, nooit beide, anders geeft het verschil deze aantallen terug.",
			"Zu wenige Vorgänge in diesem Zeitraum für eine schützende Aufschlüsselung, nicht einmal für die Summe: Jede Zahl steht als „x“ (nicht veröffentlicht, Nullen eingeschlossen), und es werden keine Antwortzeiten angegeben. Ein längerer Zeitraum (ein Jahr) kann sie erlauben: Veröffentlichen Sie ihn oder seine Monate, nie beides, sonst ergibt die Differenz diese Zahlen."},
		{"By measure", "Par mesure", "Per maatregel", "Nach Maßnahme"},
		{"By authority", "Par autorité", "Per overheid", "Nach Behörde"},
		{"By outcome", "Par issue", "Per afloop", "Nach Ergebnis"},
		{"Response times (receipt to delivery, hours:minutes:seconds)", "Temps de réponse (de la réception à la remise, heures:minutes:secondes)", "Antwoordtijden (van ontvangst tot levering, uren:minuten:seconden)", "Antwortzeiten (vom Eingang bis zur Übermittlung, Stunden:Minuten:Sekunden)"},
		{"answered", "répondues", "beantwoord", "beantwortet"},
		{"median", "médiane", "mediaan", "Median"},
		{"95th pct.", "95e centile", "95e percentiel", "95. Perzentil"},
		{"worst", "le plus long", "langste", "längste"},
		{"on time", "à temps", "tijdig", "fristgerecht"},
		{"late", "en retard", "te laat", "verspätet"},
		{"all measures", "toutes mesures", "alle maatregelen", "alle Maßnahmen"},
		// what Check records (CheckSummary)
		{"rules not met: %s", "règles non respectées : %s", "niet nageleefde regels: %s", "nicht erfüllte Regeln: %s"},
		{"%[1]d {1:finding|findings}, none an error", "%[1]d {1:constat|constats}, aucune erreur", "%[1]d {1:vaststelling|vaststellingen}, geen fout", "%[1]d {1:Feststellung|Feststellungen}, kein Fehler"},
		{"%[1]d {1:finding|findings}, none an error; %[2]d {2:warning|warnings} to check",
			"%[1]d {1:constat|constats}, aucune erreur ; %[2]d {2:avertissement|avertissements} à vérifier",
			"%[1]d {1:vaststelling|vaststellingen}, geen fout; %[2]d {2:waarschuwing|waarschuwingen} om na te gaan",
			"%[1]d {1:Feststellung|Feststellungen}, kein Fehler; %[2]d {2:Warnung|Warnungen} zu prüfen"},
		// keeping
		{"a keeping period is 1 to %d months in all (years and months, neither negative)",
			"une durée de conservation compte de 1 à %d mois en tout (années et mois, aucun négatif)",
			"een bewaartermijn telt in totaal 1 tot %d maanden (jaren en maanden, geen van beide negatief)",
			"eine Aufbewahrungsfrist umfasst insgesamt 1 bis %d Monate (Jahre und Monate, keines negativ)"},
		{"say where the period comes from: the cell's written policy (PolicySource) or the text that sets it",
			"dites d'où vient la durée : la politique écrite de la cellule (PolicySource) ou le texte qui la fixe",
			"zeg waar de termijn vandaan komt: het schriftelijke beleid van de cel (PolicySource) of de tekst die hem vastlegt",
			"geben Sie an, woher die Frist kommt: die schriftliche Richtlinie der Zelle (PolicySource) oder der Text, der sie festlegt"},
		{"the keeping period is the cell's own policy: ccjkit found no Belgian text that sets how long a cell keeps a closed case (Telecom Act art. 127/3 was not retrieved); state it in the operator's record of processing, justified by its purpose, and have the data-protection officer check it",
			"la durée de conservation est la politique propre de la cellule : ccjkit n'a trouvé aucun texte belge fixant combien de temps une cellule garde un dossier clôturé (l'art. 127/3 de la loi du 13 juin 2005 n'a pas été consulté) ; inscrivez-la au registre des activités de traitement de l'opérateur, justifiée par sa finalité, et faites-la vérifier par le délégué à la protection des données",
			"de bewaartermijn is het eigen beleid van de cel: ccjkit vond geen Belgische tekst die bepaalt hoe lang een cel een afgesloten dossier bewaart (art. 127/3 van de wet van 13 juni 2005 werd niet geraadpleegd); vermeld hem in het register van de verwerkingsactiviteiten van de operator, verantwoord door zijn doel, en laat hem nagaan door de functionaris voor gegevensbescherming",
			"die Aufbewahrungsfrist ist die eigene Richtlinie der Zelle: ccjkit hat keinen belgischen Text gefunden, der festlegt, wie lange eine Zelle einen abgeschlossenen Vorgang aufbewahrt (Art. 127/3 des Gesetzes vom 13. Juni 2005 wurde nicht abgerufen); tragen Sie sie in das Verzeichnis der Verarbeitungstätigkeiten des Betreibers ein, begründet durch ihren Zweck, und lassen Sie sie vom Datenschutzbeauftragten prüfen"},
		{"personal data are kept no longer than necessary for their purpose: when a case's period ends, the register lists it, and the cell archives or destroys the journal that holds it (docs/recovery.md); the register itself deletes nothing",
			"les données à caractère personnel ne sont pas conservées plus longtemps que nécessaire à leur finalité : quand la durée d'un dossier prend fin, le registre le signale, et la cellule archive ou détruit le journal qui le contient (docs/recovery.md) ; le registre lui-même n'efface rien",
			"persoonsgegevens worden niet langer bewaard dan nodig voor hun doel: wanneer de termijn van een dossier afloopt, vermeldt het register het, en de cel archiveert of vernietigt het journaal dat het bevat (docs/recovery.md); het register zelf wist niets",
			"personenbezogene Daten werden nicht länger aufbewahrt, als es ihr Zweck erfordert: Endet die Frist eines Vorgangs, nennt ihn das Register, und die Zelle archiviert oder vernichtet das Journal, das ihn enthält (docs/recovery.md); das Register selbst löscht nichts"},
		{"the cost statements the cell sends (the invoice step) are the operator's invoices, and its accounting books are kept seven years from 1 January of the year after their closing: keep the statements with the accounting, not only through this register",
			"les états de frais que la cellule envoie (l'étape de facturation) sont des factures de l'opérateur, dont les livres comptables sont conservés sept ans à partir du 1er janvier de l'année qui suit leur clôture : gardez les états avec la comptabilité, pas seulement dans ce registre",
			"de kostenstaten die de cel verstuurt (de facturatiestap) zijn facturen van de operator, wiens boekhouding zeven jaar bewaard wordt vanaf 1 januari van het jaar na de afsluiting: bewaar de staten bij de boekhouding, niet enkel in dit register",
			"die Kostenaufstellungen, die die Zelle versendet (der Abrechnungsschritt), sind Rechnungen des Betreibers, dessen Bücher sieben Jahre ab dem 1. Januar des Jahres nach ihrem Abschluss aufbewahrt werden: bewahren Sie die Aufstellungen bei der Buchhaltung auf, nicht nur in diesem Register"},
		{"the text the keeping period comes from is not in force on %s: check which period applies",
			"le texte dont vient la durée de conservation n'est pas en vigueur le %s : vérifiez quelle durée s'applique",
			"de tekst waaruit de bewaartermijn komt, is op %s niet van kracht: ga na welke termijn geldt",
			"der Text, aus dem die Aufbewahrungsfrist stammt, ist am %s nicht in Kraft: prüfen Sie, welche Frist gilt"},
		{"%[1]d {1:case|cases} can only be closed but {1:was|were} not: {1:its|their} keeping period has not begun (a member closes {1:it|them})",
			"%[1]d {1:dossier ne peut|dossiers ne peuvent} plus qu'être {1:clôturé|clôturés} mais ne {1:l'a|l'ont} pas été : {1:sa|leur} durée de conservation n'a pas commencé (un membre {1:le|les} clôture)",
			"%[1]d {1:dossier kan|dossiers kunnen} enkel nog afgesloten worden maar {1:werd|werden} het niet: de bewaartermijn is niet begonnen (een lid sluit {1:het|ze} af)",
			"%[1]d {1:Vorgang kann|Vorgänge können} nur noch abgeschlossen werden, {1:wurde|wurden} es aber nicht: die Aufbewahrungsfrist hat nicht begonnen (ein Mitglied schließt {1:ihn|sie} ab)"},
	})
	entries := make([][]string, 0, len(keyed)+len(english))
	entries = append(entries, keyed...)
	entries = append(entries, english...)
	return i18n.MustNew(requisition.Languages(), entries)
})
