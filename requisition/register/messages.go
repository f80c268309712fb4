package register

import (
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ccjkit/ccjkit/internal/i18n"
	"github.com/ccjkit/ccjkit/requisition"
)

func printer(tag language.Tag) *message.Printer { return messages().Printer(tag) }

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
		{"Received:  %s", "Reçue :     %s", "Ontvangen:  %s", "Eingegangen: %s"},
		{"Due:       before %s", "Délai :     avant %s", "Termijn:    vóór %s", "Frist:       vor %s"},
		{"Due:       %s", "Délai :     %s", "Termijn:    %s", "Frist:       %s"},
		{"Delivered: %s", "Remise :    %s", "Geleverd:   %s", "Übermittelt: %s"},
		{"To:        %s", "À :         %s", "Aan:        %s", "An:          %s"},
		{"Channel:   %s", "Canal :     %s", "Kanaal:     %s", "Weg:         %s"},
		{"Data:      %s", "Données :   %s", "Gegevens:   %s", "Daten:       %s"},
		{"Content:   %s", "Contenu :   %s", "Inhoud:     %s", "Inhalt:      %s"},
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
		{"Too few cases in this period to publish a breakdown that hides them.", "Trop peu de dossiers sur cette période pour publier une ventilation qui les protège.", "Te weinig dossiers in deze periode om een uitsplitsing te publiceren die ze beschermt.", "Zu wenige Vorgänge in diesem Zeitraum, um eine schützende Aufschlüsselung zu veröffentlichen."},
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
	})
	entries := make([][]string, 0, len(keyed)+len(english))
	entries = append(entries, keyed...)
	entries = append(entries, english...)
	return i18n.MustNew(requisition.Languages(), entries)
})
