package ccj

import "github.com/ccjkit/ccjkit/internal/i18n"

// translations returns {key = English, English, French, Dutch, German}.
func translations() [][]string {
	t := [][]string{
		// members
		{"the member needs a short identifier without spaces", "le membre doit avoir un identifiant court sans espace", "het lid heeft een korte identificatiecode zonder spaties nodig", "das Mitglied braucht eine kurze Kennung ohne Leerzeichen"},
		{"the member has no name", "le membre n'a pas de nom", "het lid heeft geen naam", "das Mitglied hat keinen Namen"},
		{"the member cannot be reached: no contact channel", "le membre est injoignable : aucun moyen de contact", "het lid is onbereikbaar: geen contactkanaal", "das Mitglied ist nicht erreichbar: kein Kontaktweg"},
		{"the phone number is not in E.164 form (+ then 8 to 15 digits)", "le numéro n'est pas au format E.164 (+ puis 8 à 15 chiffres)", "het nummer is niet in E.164-vorm (+ en dan 8 tot 15 cijfers)", "die Nummer ist nicht im E.164-Format (+ und dann 8 bis 15 Ziffern)"},
		{"the e-mail address is not local@domain", "l'adresse e-mail n'est pas de la forme local@domaine", "het e-mailadres is niet van de vorm lokaal@domein", "die E-Mail-Adresse hat nicht die Form lokal@domain"},
		{"the channel is empty", "le moyen de contact est vide", "het contactkanaal is leeg", "der Kontaktweg ist leer"},
		{"unknown channel kind", "type de moyen de contact inconnu", "onbekend soort contactkanaal", "unbekannte Art von Kontaktweg"},
		{"a third-party member needs the reference of the contract that appoints them", "un membre tiers doit avoir la référence du contrat qui le désigne", "een extern lid heeft de referentie nodig van het contract dat hem aanstelt", "ein externes Mitglied braucht die Referenz des Vertrags, der es bestellt"},
		{"the role is neither member nor third-party", "le rôle n'est ni membre ni tiers", "de rol is noch lid noch extern", "die Rolle ist weder Mitglied noch extern"},
		{"the residence starts in the future", "la résidence commence dans le futur", "de verblijfplaats begint in de toekomst", "der Wohnsitz beginnt in der Zukunft"},
		{"a grant date is recorded for an advice that is not positive", "une date d'octroi est indiquée pour un avis qui n'est pas positif", "er is een toekenningsdatum vermeld voor een advies dat niet positief is", "für eine nicht positive Stellungnahme ist ein Erteilungsdatum angegeben"},
		{"a positive advice needs its grant date", "un avis positif doit avoir sa date d'octroi", "een positief advies heeft zijn toekenningsdatum nodig", "eine positive Stellungnahme braucht ihr Erteilungsdatum"},
		{"the advice is granted in the future", "l'avis est octroyé dans le futur", "het advies wordt in de toekomst toegekend", "die Stellungnahme wird in der Zukunft erteilt"},
		{"the positive advice has no reference number", "l'avis positif n'a pas de numéro de référence", "het positieve advies heeft geen referentienummer", "die positive Stellungnahme hat keine Referenznummer"},
		{"unknown advice status", "statut d'avis inconnu", "onbekende status van het advies", "unbekannter Status der Stellungnahme"},
		{"two members share the identifier %s", "deux membres ont l'identifiant %s", "twee leden hebben de identificatiecode %s", "zwei Mitglieder haben die Kennung %s"},
		// rota
		{"the shift names %s, who is not a member of the cell", "le tour de garde désigne %s, qui n'est pas membre de la cellule", "de wachtbeurt noemt %s, die geen lid van de cel is", "der Bereitschaftsdienst nennt %s; diese Person ist kein Mitglied der Zelle"},
		{"the escalation list names %s, who is not a member of the cell", "la liste d'appel désigne %s, qui n'est pas membre de la cellule", "de oproeplijst noemt %s, die geen lid van de cel is", "die Anrufliste nennt %s; diese Person ist kein Mitglied der Zelle"},
		{"%s is on the rota but is not a member of the cell", "%s figure au tour de garde mais n'est pas membre de la cellule", "%s staat op het wachtrooster maar is geen lid van de cel", "%s steht im Bereitschaftsplan, ist aber kein Mitglied der Zelle"},
		{"the years lived in Belgium are out of range", "le nombre d'années vécues en Belgique est hors limites", "het aantal jaren in België is ongeldig", "die Zahl der in Belgien verbrachten Jahre ist ungültig"},
		{"%s is on call on %s without a valid security advice: not eligible", "%s est de garde le %s sans avis de sécurité valable : non éligible", "%s heeft wacht op %s zonder geldig veiligheidsadvies: niet in aanmerking", "%s hat am %s Bereitschaft ohne gültige Sicherheitsstellungnahme: nicht berechtigt"},
		{"the shift ends before it starts", "le tour de garde se termine avant de commencer", "de wachtbeurt eindigt vóór ze begint", "der Bereitschaftsdienst endet, bevor er beginnt"},
		{"the shift has no primary", "le tour de garde n'a pas de titulaire", "de wachtbeurt heeft geen titularis", "der Bereitschaftsdienst hat keine Hauptperson"},
		{"the primary and the backup are the same person", "le titulaire et le suppléant sont la même personne", "de titularis en de plaatsvervanger zijn dezelfde persoon", "Haupt- und Ersatzperson sind dieselbe Person"},
		// compliance
		{"the cell is established in Belgium", "la cellule est établie en Belgique", "de cel is in België gevestigd", "die Zelle ist in Belgien niedergelassen"},
		{"the cell must be established in Belgium; its address is not Belgian", "la cellule doit être établie en Belgique ; son adresse n'est pas belge", "de cel moet in België gevestigd zijn; haar adres is niet Belgisch", "die Zelle muss in Belgien niedergelassen sein; ihre Anschrift ist nicht belgisch"},
		{"members with a valid security advice: %d", "membres ayant un avis de sécurité valable\u00a0: %d", "leden met een geldig veiligheidsadvies: %d", "Mitglieder mit gültiger Sicherheitsstellungnahme: %d"},
		{"no member holds a valid security advice: nobody may answer a requisition", "aucun membre n'a d'avis de sécurité valable : personne ne peut répondre à une réquisition", "geen enkel lid heeft een geldig veiligheidsadvies: niemand mag op een vordering antwoorden", "kein Mitglied hat eine gültige Sicherheitsstellungnahme: niemand darf eine Anforderung beantworten"},
		{"%s has no valid security advice and may not answer requisitions", "%s n'a pas d'avis de sécurité valable et ne peut pas répondre aux réquisitions", "%s heeft geen geldig veiligheidsadvies en mag niet op vorderingen antwoorden", "%s hat keine gültige Sicherheitsstellungnahme und darf keine Anforderungen beantworten"},
		{"the cell is covered around the clock from %s to %s", "la cellule est joignable en permanence du %s au %s", "de cel is voortdurend bereikbaar van %s tot %s", "die Zelle ist vom %s bis %s rund um die Uhr erreichbar"},
		{"nobody eligible is on call from %s to %s (%s)", "personne d'éligible n'est de garde du %s au %s (%s)", "niemand die in aanmerking komt heeft wacht van %s tot %s (%s)", "niemand Berechtigtes hat Bereitschaft vom %s bis %s (%s)"},
		{"the security advice of %s expires on %s: start the renewal", "l'avis de sécurité de %s expire le %s : lancez le renouvellement", "het veiligheidsadvies van %s verloopt op %s: start de hernieuwing", "die Sicherheitsstellungnahme von %s läuft am %s ab: Erneuerung einleiten"},
		{"%s neither lives in Belgium nor has lived there five years, as practitioners expect of a member", "%s ne vit pas en Belgique et n'y a pas vécu cinq ans, comme les praticiens l'attendent d'un membre", "%s woont niet in België en heeft er geen vijf jaar gewoond, zoals de praktijk van een lid verwacht", "%s lebt nicht in Belgien und hat dort keine fünf Jahre gelebt, wie es die Praxis von einem Mitglied erwartet"},

		{"the contact sheet lacks %s", "la fiche de contact ne mentionne pas %s", "op de contactfiche ontbreekt %s", "auf dem Kontaktblatt fehlt %s"},
		{"the cell's name", "le nom de la cellule", "de naam van de cel", "der Name der Zelle"},
		{"the operator", "l'opérateur", "de operator", "der Betreiber"},
		{"a phone number for %s, who is on the rota", "un numéro de téléphone pour %s, qui est au tour de garde", "een telefoonnummer voor %s, die op het wachtrooster staat", "eine Telefonnummer für %s (im Bereitschaftsplan)"},
		{"the contact sheet is complete", "la fiche de contact est complète", "de contactfiche is volledig", "das Kontaktblatt ist vollständig"},
		{"the internal procedure for requisitions is on file (%s) and dated %s", "la procédure interne de traitement des réquisitions est au dossier (%s), datée du %s", "de interne procedure voor vorderingen is aanwezig (%s), gedateerd %s", "das interne Verfahren für Anforderungen liegt vor (%s), datiert %s"},
		{"no internal procedure for handling requisitions is on file", "aucune procédure interne de traitement des réquisitions n'est au dossier", "er is geen interne procedure voor de behandeling van vorderingen", "kein internes Verfahren zur Behandlung von Anforderungen liegt vor"},
		{"the cell's contact details were updated on BIPT's platform on %s", "les coordonnées de la cellule ont été mises à jour sur la plateforme de l'IBPT le %s", "de contactgegevens van de cel werden op %s bijgewerkt op het platform van het BIPT", "die Kontaktdaten der Zelle wurden am %s auf der Plattform des BIPT aktualisiert"},
		{"no update of the cell's contact details on BIPT's platform is recorded", "aucune mise à jour des coordonnées de la cellule sur la plateforme de l'IBPT n'est consignée", "er is geen bijwerking van de contactgegevens van de cel op het platform van het BIPT genoteerd", "keine Aktualisierung der Kontaktdaten der Zelle auf der Plattform des BIPT ist erfasst"},
		{"members changed after the last update on BIPT's platform (%s): update it", "la composition de la cellule a changé après la dernière mise à jour sur la plateforme de l'IBPT (%s) : mettez-la à jour", "de samenstelling van de cel is gewijzigd na de laatste bijwerking op het platform van het BIPT (%s): werk het bij", "die Zusammensetzung der Zelle hat sich nach der letzten Aktualisierung auf der Plattform des BIPT (%s) geändert: aktualisieren"},
		// contact sheet
		{"Justice Coordination Cell", "Cellule de Coordination de la Justice", "Coördinatiecel Justitie", "Koordinierungszelle Justiz"},
		{"Operator", "Opérateur", "Operator", "Betreiber"},
		{"Address", "Adresse", "Adres", "Anschrift"},
		{"Order of calls", "Ordre d'appel", "Volgorde van oproepen", "Anrufreihenfolge"},
		{"on call now", "de garde maintenant", "nu van wacht", "jetzt in Bereitschaft"},
		{"backup", "suppléant", "plaatsvervanger", "Ersatz"},
		{"then", "ensuite", "daarna", "danach"},
		{"Members with a valid security advice", "Membres ayant un avis de sécurité valable", "Leden met een geldig veiligheidsadvies", "Mitglieder mit gültiger Sicherheitsstellungnahme"},
		{"valid until %s", "valable jusqu'au %s", "geldig tot %s", "gültig bis %s"},
		{"NTSU-CTIF (interceptions): duty desk", "NTSU-CTIF (interceptions) : permanence", "NTSU-CTIF (intercepties): permanentie", "NTSU-CTIF (Überwachungen): Bereitschaft"},
		{"%s: %s", "%s\u00a0: %s", "%s: %s", "%s: %s"},
		{"phone", "téléphone", "telefoon", "Telefon"},
		{"email", "e-mail", "e-mail", "E-Mail"},
		{"signal", "Signal", "Signal", "Signal"},
		{"matrix", "Matrix", "Matrix", "Matrix"},
		{"other", "autre", "ander", "andere"},
		{"Sheet drawn up on %s", "Fiche établie le %s", "Fiche opgesteld op %s", "Blatt erstellt am %s"},
	}
	return i18n.EnglishKeyed(t)
}
