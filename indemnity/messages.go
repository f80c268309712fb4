package indemnity

import (
	"sync"

	"github.com/ccjkit/ccjkit/internal/i18n"
)

// messages is the package's own catalogue, built once.
var messages = sync.OnceValue(func() *i18n.Catalogue {
	return i18n.MustNew(Languages(), translations())
})

// translations returns {key = English, English, French, Dutch, German}.
func translations() [][]string {
	t := [][]string{
		{"Cost statement", "État de frais", "Kostenstaat", "Kostenaufstellung"},
		{"Judicial requisitions: indemnity of operators (royal decree of 9 January 2003, annex)",
			"Réquisitions judiciaires : indemnisation des opérateurs (arrêté royal du 9 janvier 2003, annexe)",
			"Gerechtelijke vorderingen: vergoeding van de operatoren (koninklijk besluit van 9 januari 2003, bijlage)",
			"Gerichtliche Anforderungen: Entschädigung der Betreiber (Königlicher Erlass vom 9. Januar 2003, Anlage)"},
		{"Number", "Numéro", "Nummer", "Nummer"},
		{"Issued", "Date", "Datum", "Datum"},
		{"Operator", "Opérateur", "Operator", "Betreiber"},
		{"Enterprise number", "Numéro d'entreprise", "Ondernemingsnummer", "Unternehmensnummer"},
		{"Account", "Compte", "Rekening", "Konto"},
		{"Addressed to", "Destinataire", "Bestemmeling", "Empfänger"},
		{"Operator's address", "Adresse de l'opérateur", "Adres van de operator", "Anschrift des Betreibers"},
		{"Addressee's address", "Adresse du destinataire", "Adres van de bestemmeling", "Anschrift des Empfängers"},
		{"Reference", "Référence", "Referentie", "Referenz"},
		{"Period", "Période", "Periode", "Zeitraum"},
		{"%s to %s", "du %s au %s", "van %s tot %s", "vom %s bis %s"},
		{"Line", "Ligne", "Regel", "Posten"},
		{"Description", "Description", "Omschrijving", "Beschreibung"},
		{"Day", "Jour", "Dag", "Tag"},
		{"Qty", "Qté", "Aantal", "Menge"},
		{"Unit price", "Prix unitaire", "Eenheidsprijs", "Einzelpreis"},
		{"Amount", "Montant", "Bedrag", "Betrag"},
		{"Subtotal", "Sous-total", "Subtotaal", "Zwischensumme"},
		{"Multiplier %s applied to each line (%s)", "Coefficient %s appliqué à chaque ligne (%s)", "Coëfficiënt %s toegepast op elke regel (%s)", "Faktor %s auf jeden Posten angewandt (%s)"},
		{"VAT %s%%", "TVA %s\u00a0%%", "btw %s%%", "MwSt. %s\u00a0%%"},
		{"VAT rate: %s", "Taux de TVA\u00a0: %s", "Btw-tarief: %s", "MwSt.-Satz: %s"},
		{"%s: %s", "%s\u00a0: %s", "%s: %s", "%s: %s"},
		{"%s:", "%s\u00a0:", "%s:", "%s:"},
		{"edition %s", "édition %s", "editie %s", "Ausgabe %s"},
		{"(in-force date not verified)", "(date d'entrée en vigueur non vérifiée)", "(datum van inwerkingtreding niet geverifieerd)", "(Datum des Inkrafttretens nicht überprüft)"},
		// Why an answered case is not billed (Unbilled.Text).
		{"not billable — %s, amount unknown %s", "non facturable — %s, montant inconnu %s", "niet factureerbaar — %s, bedrag onbekend %s", "nicht abrechenbar — %s, Betrag unbekannt %s"},
		{"not billable per request — %s is priced per year", "non facturable par demande — %s est tarifé par an", "niet factureerbaar per aanvraag — %s wordt per jaar aangerekend", "nicht pro Anfrage abrechenbar — %s wird jährlich berechnet"},
		{"no tariff line in force for the service %s", "aucune ligne du tarif en vigueur pour le service %s", "geen tarieflijn van kracht voor de dienst %s", "keine geltende Tarifzeile für den Dienst %s"},
		{"answered nothing held: whether that is claimed is not known [U] and the cell has not decided",
			"réponse « aucune donnée » : on ne sait pas si elle est indemnisée [U] et la cellule n'a pas tranché",
			"antwoord „geen gegevens”: of dat vergoed wordt is niet bekend [U] en de cel heeft niet beslist",
			"Antwort „keine Daten“: ob sie entschädigt wird, ist nicht bekannt [U], und die Zelle hat nicht entschieden"},
		{"answered nothing held, which the cell does not claim", "réponse « aucune donnée », que la cellule ne facture pas", "antwoord „geen gegevens”, dat de cel niet aanrekent", "Antwort „keine Daten“, die die Zelle nicht abrechnet"},
		{"its orders give its office different names, addresses or languages: correct them", "ses réquisitions donnent à son office des noms, adresses ou langues différents : corrigez-les",
			"de vorderingen geven het ambt verschillende namen, adressen of talen: verbeter ze", "die Anforderungen geben der Behörde verschiedene Namen, Anschriften oder Sprachen: berichtigen Sie sie"},
		{"its office is not valid: correct the order", "son office n'est pas valide : corrigez la réquisition", "het ambt is niet geldig: verbeter de vordering", "die Behörde ist ungültig: berichtigen Sie die Anforderung"},
		{"no billing entry for its measure", "aucune entrée de facturation pour sa mesure", "geen factureringsregel voor de maatregel", "kein Abrechnungseintrag für die Maßnahme"},
		{"the request cannot be priced", "la demande ne peut pas être tarifée", "de aanvraag kan niet geprijsd worden", "die Anfrage kann nicht bepreist werden"},
		{"No VAT applied", "Pas de TVA appliquée", "Geen btw toegepast", "Keine MwSt. angewandt"},
		{"Total", "Total", "Totaal", "Gesamtbetrag"},
		{"Sources", "Sources", "Bronnen", "Quellen"},
		{"* amount supplied by the operator: %s", "* montant fourni par l'opérateur : %s", "* bedrag opgegeven door de operator: %s", "* vom Betreiber angegebener Betrag: %s"},
		{"Amounts of the tariff with their certainty: [V] official text, [S] secondary source, [U] not verified.",
			"Montants du tarif avec leur degré de certitude : [V] texte officiel, [S] source secondaire, [U] non vérifié.",
			"Bedragen van het tarief met hun zekerheid: [V] officiële tekst, [S] secundaire bron, [U] niet geverifieerd.",
			"Tarifbeträge mit ihrer Gewissheit: [V] amtlicher Text, [S] Sekundärquelle, [U] nicht überprüft."},
		// Whole phrases, so that each language makes its own article and
		// elision ("date de l'exécution", "date de la réquisition").
		{"the execution date", "date de l'exécution", "datum van de uitvoering", "Datum der Ausführung"},
		{"the order date", "date de la réquisition", "datum van de vordering", "Datum der Anforderung"},
		{"%s (%s, edition %s in force on %s, %s): %s, amount supplied by the operator",
			"%s (%s, édition %s en vigueur le %s, %s) : %s, montant fourni par l'opérateur",
			"%s (%s, editie %s van kracht op %s, %s): %s, bedrag opgegeven door de operator",
			"%s (%s, Ausgabe %s in Kraft am %s, %s): %s, vom Betreiber angegebener Betrag"},
		{"%s (%s, edition %s in force on %s, %s): %s — %s",
			"%s (%s, édition %s en vigueur le %s, %s) : %s — %s",
			"%s (%s, editie %s van kracht op %s, %s): %s — %s",
			"%s (%s, Ausgabe %s in Kraft am %s, %s): %s — %s"},
	}
	return i18n.EnglishKeyed(t)
}
