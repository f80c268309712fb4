package requisition

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ccjkit/ccjkit/internal/i18n"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Languages are the languages findings and labels are written in: French,
// Dutch and German, Belgium's official languages, and English.
func Languages() []language.Tag {
	return []language.Tag{language.English, language.French, language.Dutch, language.German}
}

// phrase is an English text used as an argument of a message, translated
// like the message itself.
type phrase string

// labelled is implemented by the arguments of messages that are translated:
// the enumerations with a Label method, and phrases. labelKey returns the
// catalogue key, or "" for a value shown as it is (a value outside its
// enumeration).
type labelled interface {
	labelKey() string
}

func (p phrase) labelKey() string { return string(p) }

func (m Measure) labelKey() string {
	if slices.Contains(measures(), m) {
		return "measure:" + m.String()
	}
	return ""
}

func (a Authority) labelKey() string {
	if slices.Contains(authorities(), a) {
		return "authority:" + a.String()
	}
	return ""
}

func (i Item) labelKey() string {
	if slices.Contains(items(), i) {
		return "item:" + i.String()
	}
	return ""
}

func (r MonthRule) labelKey() string {
	if slices.Contains(monthRules(), r) {
		return fmt.Sprintf("month-rule:%d", uint8(r))
	}
	return ""
}

func (k ResponseKind) labelKey() string {
	if slices.Contains(responseKinds(), k) {
		return "response:" + k.key()
	}
	return ""
}

// label returns v's translated name, or v formatted with %v when it has
// none.
func label(tag language.Tag, v labelled) string {
	if k := v.labelKey(); k != "" {
		return printer(tag).Sprintf(k)
	}
	return fmt.Sprint(v)
}

// Label returns the measure's name in the language tag asks for, such as
// "le repérage et la localisation"; a value outside the enumeration is
// formatted with %v.
func (m Measure) Label(tag language.Tag) string { return label(tag, m) }

// Label returns the authority's name in the language tag asks for, such as
// "juge d'instruction" or "onderzoeksrechter"; a value outside the
// enumeration is formatted with %v.
func (a Authority) Label(tag language.Tag) string { return label(tag, a) }

// Label returns the item's name in the language tag asks for, such as
// "l'adresse IP et le port"; a value outside the enumeration is formatted
// with %v.
func (i Item) Label(tag language.Tag) string { return label(tag, i) }

// Label describes the month rule in the language tag asks for; a value
// outside the enumeration is formatted with %v.
func (r MonthRule) Label(tag language.Tag) string { return label(tag, r) }

// Label returns when the answer is due in the language tag asks for, such
// as "en temps réel"; a value outside the enumeration (the zero value
// included) is formatted with %v.
func (k ResponseKind) Label(tag language.Tag) string { return label(tag, k) }

// yearMonth is a month of a year, an argument of a message: written as
// timesync.DisplayMonth writes it.
type yearMonth struct {
	year  int
	month time.Month
}

// CiteArticle returns the article src cites and its certainty tag, in
// the language tag asks for: "art. 46bis [V]"; an article written with
// English words ("…, citing loi du 13 juin 2005 art. 145 §3 and §3bis")
// is said in that language.
func CiteArticle(src provenance.Source, tag language.Tag) string {
	article := src.Article
	if article != "" && messages().Has(tag, "source:"+article) {
		article = printer(tag).Sprintf("source:" + article)
	}
	return strings.TrimSpace(article + " " + src.Certainty.String())
}

// localize formats msg, a catalogue key, with its arguments in the language
// tag asks for: arguments with a label are translated first, days and
// instants written as people read them in that language
// (timesync.DisplayDay, timesync.Timestamp.Display).
func localize(tag language.Tag, msg string, args ...any) string {
	p := printer(tag)
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
		switch a := a.(type) {
		case labelled:
			if k := a.labelKey(); k != "" {
				out[i] = p.Sprintf(k)
			}
		case date.Date:
			out[i] = timesync.DisplayDay(a, tag)
		case timesync.Timestamp:
			out[i] = a.Display(tag)
		case yearMonth:
			out[i] = timesync.DisplayMonth(a.year, a.month, tag)
		}
	}
	return p.Sprintf(msg, out...)
}

func printer(tag language.Tag) *message.Printer { return messages().Printer(tag) }

// messages builds the package's catalogue once. It is never changed
// afterwards; no other package's catalogue is touched.
var messages = sync.OnceValue(func() *i18n.Catalogue {
	entries := make([][]string, 0, 128)
	for _, t := range translations() {
		entries = append(entries, t[:])
	}
	return i18n.MustNew(Languages(), entries)
})

// translations returns {key, English, French, Dutch, German} for every
// message and label. For messages the key is the English text.
func translations() [][5]string {
	msgs := [][4]string{
		// validation: required fields and dates
		{"%s is missing", "%s manque", "%s ontbreekt", "%s fehlt"},
		{"reference is longer than %d bytes", "la référence dépasse %d octets", "de referentie is langer dan %d bytes", "die Referenz ist länger als %d Bytes"},
		{"the request was received before the order is dated", "la demande a été reçue avant la date de l'ordonnance", "het verzoek werd ontvangen vóór de datum van het bevel", "die Anfrage ging vor dem Datum der Anordnung ein"},
		{"the order is dated after the moment of the check", "l'ordonnance est datée après le moment du contrôle", "het bevel draagt een datum na het ogenblik van de controle", "die Anordnung ist nach dem Zeitpunkt der Prüfung datiert"},
		{"this offence is not in the catalogue: requisition.Offences lists the IDs (desk values prints them)",
			"cette infraction ne figure pas au catalogue : requisition.Offences en donne les identifiants (desk values les affiche)",
			"dit misdrijf staat niet in de catalogus: requisition.Offences geeft de identificatoren (desk values toont ze)",
			"diese Straftat steht nicht im Katalog: requisition.Offences listet die Kennungen (desk values zeigt sie)"},
		// the law by date
		{"under the text before the laws of 2016: %s", "selon le texte antérieur aux lois de 2016 : %s",
			"volgens de tekst van vóór de wetten van 2016: %s", "nach dem Text vor den Gesetzen von 2016: %s"},
		{" — the order states no date, so ccjkit took the day of the check, %s; it has not seen the text in force then (%s): find the order's date and check the text in force on it by hand before acting on this finding",
			" — la réquisition n'est pas datée : ccjkit a pris le jour de l'examen, le %s ; il n'a pas vu le texte alors en vigueur (%s) : trouvez la date de la réquisition et vérifiez vous-même le texte en vigueur ce jour-là avant d'agir sur ce constat",
			" — de vordering is niet gedateerd: ccjkit nam de dag van het onderzoek, %s; het heeft de toen geldende tekst niet gezien (%s): zoek de datum van de vordering en controleer zelf de tekst die toen van kracht was voor u op deze vaststelling handelt",
			" — die Anforderung ist nicht datiert: ccjkit hat den Tag der Prüfung genommen, den %s; es hat den damals geltenden Text nicht gesehen (%s): ermitteln Sie das Datum der Anforderung und prüfen Sie selbst den an diesem Tag geltenden Text, bevor Sie auf diesen Befund hin handeln"},
		{" — ccjkit has not seen the text in force on %s (%s): check it by hand before acting on this finding",
			" — ccjkit n'a pas vu le texte en vigueur le %s (%s) : vérifiez-le vous-même avant d'agir sur ce constat",
			" — ccjkit heeft de tekst die op %s van kracht was niet gezien (%s): controleer hem zelf voor u op deze vaststelling handelt",
			" — ccjkit hat den am %s geltenden Text nicht gesehen (%s): prüfen Sie ihn selbst, bevor Sie auf diesen Befund hin handeln"},
		{"; refusing a lawful order is itself an offence", " ; refuser un ordre régulier est en soi une infraction",
			"; een regelmatig bevel weigeren is zelf een misdrijf", "; eine rechtmäßige Anordnung zu verweigern ist selbst eine Straftat"},
		// reasoned orders
		{"in extreme urgency an officer may act on the procureur's prior oral agreement; record that agreement and expect the written confirmation",
			"en cas d'extrême urgence, un officier peut agir avec l'accord oral et préalable du procureur du Roi ; consignez cet accord et attendez la confirmation écrite",
			"bij uiterst dringende noodzakelijkheid mag een officier handelen met de voorafgaande mondelinge toestemming van de procureur des Konings; noteer die toestemming en wacht de schriftelijke bevestiging af",
			"bei äußerster Dringlichkeit darf ein Offizier mit der vorherigen mündlichen Zustimmung des Prokurators des Königs handeln; halten Sie diese Zustimmung fest und erwarten Sie die schriftliche Bestätigung"},
		{"identification needs a reasoned written decision of the procureur du Roi", "l'identification requiert une décision écrite et motivée du procureur du Roi",
			"de identificatie vereist een schriftelijke en met redenen omklede beslissing van de procureur des Konings", "die Identifizierung erfordert eine schriftliche, mit Gründen versehene Entscheidung des Prokurators des Königs"},
		{"the measure needs a reasoned order", "la mesure requiert une ordonnance motivée", "de maatregel vereist een met redenen omkleed bevel", "die Maßnahme erfordert eine mit Gründen versehene Anordnung"},
		// authorities
		{"the authority (%s) may not order %s here: %s", "l'autorité (%s) ne peut pas ordonner ici %s : %s", "de overheid (%s) mag hier %s niet bevelen: %s", "die Behörde (%s) darf hier %s nicht anordnen: %s"},
		{"only the procureur du Roi, or an officer in extreme urgency with his oral agreement", "seul le procureur du Roi, ou un officier en cas d'extrême urgence avec son accord oral",
			"enkel de procureur des Konings, of een officier bij uiterst dringende noodzakelijkheid met zijn mondelinge toestemming", "nur der Prokurator des Königs oder ein Offizier bei äußerster Dringlichkeit mit dessen mündlicher Zustimmung"},
		// German: « Ertappung auf frischer Tat » is the term of the official German
		// translation of the Code for « flagrant délit » in art. 88bis, as a legal
		// translators' concordance gives it [S]:
		// http://www.wordscope.be/duits/nederlands/ertappung+auf+frischer.html
		{"the procureur du Roi may order it only in flagrant délit for an offence of art. 90ter §§2-4, or at a plaintiff's request for Telecom Act art. 145 §3 or §3bis",
			"le procureur du Roi ne peut l'ordonner qu'en cas de flagrant délit pour une infraction visée à l'art. 90ter §§2-4, ou à la demande d'un plaignant pour l'art. 145 §3 ou §3bis de la loi du 13 juin 2005",
			"de procureur des Konings mag ze enkel bevelen bij ontdekking op heterdaad voor een misdrijf bedoeld in art. 90ter §§2-4, of op verzoek van een klager voor art. 145 §3 of §3bis van de wet van 13 juni 2005",
			"der Prokurator des Königs darf sie nur bei Ertappung auf frischer Tat für eine Straftat nach Art. 90ter §§2-4 anordnen, oder auf Antrag eines Klägers für Art. 145 §3 oder §3bis des Gesetzes vom 13. Juni 2005"},
		{"only the juge d'instruction", "seul le juge d'instruction", "enkel de onderzoeksrechter", "nur der Untersuchungsrichter"},
		{"only the juge d'instruction (or, since 2016, the procureur du Roi under art. 39bis)", "seul le juge d'instruction (ou, depuis 2016, le procureur du Roi en vertu de l'art. 39bis)",
			"enkel de onderzoeksrechter (of, sinds 2016, de procureur des Konings op grond van art. 39bis)", "nur der Untersuchungsrichter (oder seit 2016 der Prokurator des Königs nach Art. 39bis)"},
		{"only the juge d'instruction, or a judicial police officer he delegated", "seul le juge d'instruction, ou un officier de police judiciaire délégué par lui",
			"enkel de onderzoeksrechter, of een door hem gemachtigde officier van gerechtelijke politie", "nur der Untersuchungsrichter oder ein von ihm beauftragter Offizier der Gerichtspolizei"},
		{"the article names the procureur du Roi; the auditeur du travail is taken to hold the same power in social criminal law (not verified)",
			"l'article vise le procureur du Roi ; l'auditeur du travail est réputé avoir le même pouvoir en droit pénal social (non vérifié)",
			"het artikel noemt de procureur des Konings; de arbeidsauditeur wordt geacht in het sociaal strafrecht dezelfde bevoegdheid te hebben (niet geverifieerd)",
			"der Artikel nennt den Prokurator des Königs; der Arbeitsauditor gilt im Sozialstrafrecht als gleich befugt (nicht überprüft)"},
		{"the article names the procureur du Roi; a juge d'instruction orders it under the powers of the investigation (not verified)",
			"l'article vise le procureur du Roi ; le juge d'instruction l'ordonne en vertu des pouvoirs de l'instruction (non vérifié)",
			"het artikel noemt de procureur des Konings; de onderzoeksrechter beveelt het krachtens zijn bevoegdheden in het gerechtelijk onderzoek (niet geverifieerd)",
			"der Artikel nennt den Prokurator des Königs; der Untersuchungsrichter ordnet sie kraft seiner Ermittlungsbefugnisse an (nicht überprüft)"},
		{"an officer acting in extreme urgency needs the procureur's prior oral agreement: check it is recorded",
			"un officier agissant en extrême urgence a besoin de l'accord oral et préalable du procureur du Roi : vérifiez qu'il est consigné",
			"een officier die bij uiterst dringende noodzakelijkheid handelt, heeft de voorafgaande mondelinge toestemming van de procureur nodig: controleer of die genoteerd is",
			"ein Offizier, der bei äußerster Dringlichkeit handelt, braucht die vorherige mündliche Zustimmung des Prokurators: prüfen Sie, ob sie festgehalten ist"},
		{"interception needs an offence of art. 90ter §§2-4", "l'interception requiert une infraction visée à l'art. 90ter §§2-4",
			"de interceptie vereist een misdrijf bedoeld in art. 90ter §§2-4", "die Überwachung erfordert eine Straftat nach Art. 90ter §§2-4"},
		{"under the text before 2016 only the juge d'instruction extends a search; since the law of 25 December 2016 art. 39bis lets the procureur extend one to a system reachable without codes: check which applies",
			"selon le texte antérieur à 2016, seul le juge d'instruction étend une recherche ; depuis la loi du 25 décembre 2016, l'art. 39bis permet au procureur de l'étendre à un système accessible sans code : vérifiez le régime applicable",
			"volgens de tekst van vóór 2016 kan enkel de onderzoeksrechter een zoeking uitbreiden; sinds de wet van 25 december 2016 laat art. 39bis de procureur toe ze uit te breiden tot een systeem dat zonder codes toegankelijk is: controleer welke regeling geldt",
			"nach dem Text vor 2016 erweitert nur der Untersuchungsrichter eine Suche; seit dem Gesetz vom 25. Dezember 2016 erlaubt Art. 39bis dem Prokurator, sie auf ein ohne Codes zugängliches System zu erweitern: prüfen Sie, welche Regelung gilt"},
		// flagrant délit confirmation
		{"for hostage-taking or extortion no confirmation is needed, but only while the flagrant délit lasts: check that it still does",
			"pour la prise d'otages ou l'extorsion, aucune confirmation n'est requise, mais seulement tant que dure le flagrant délit : vérifiez qu'il perdure",
			"voor gijzelneming of afpersing is geen bevestiging nodig, maar enkel zolang de heterdaad duurt: ga na of die nog duurt",
			"bei Geiselnahme oder Erpressung ist keine Bestätigung nötig, aber nur solange die Ertappung auf frischer Tat andauert: prüfen Sie, ob sie noch andauert"},
		{"confirmed at %s, not within the 24 hours that ran out at %s", "confirmée le %s, hors des 24 heures expirées le %s", "bevestigd op %s, niet binnen de 24 uur die verstreken op %s", "bestätigt am %s, nicht innerhalb der 24 Stunden, die am %s abliefen"},
		{"the confirmation is dated before the order", "la confirmation est datée d'avant l'ordonnance", "de bevestiging draagt een datum vóór het bevel", "die Bestätigung ist vor der Anordnung datiert"},
		{"the confirmation is dated after the moment of the check", "la confirmation est datée d'après le moment du contrôle", "de bevestiging draagt een datum na het ogenblik van de controle", "die Bestätigung ist nach dem Zeitpunkt der Prüfung datiert"},
		{"not confirmed by the juge d'instruction within 24 hours (by %s): the measure may not be carried out",
			"non confirmée par le juge d'instruction dans les 24 heures (avant le %s) : la mesure ne peut pas être exécutée",
			"niet binnen 24 uur door de onderzoeksrechter bevestigd (vóór %s): de maatregel mag niet worden uitgevoerd",
			"nicht binnen 24 Stunden vom Untersuchungsrichter bestätigt (bis %s): die Maßnahme darf nicht ausgeführt werden"},
		{"the juge d'instruction must confirm the order by %s", "le juge d'instruction doit confirmer l'ordonnance avant le %s", "de onderzoeksrechter moet het bevel bevestigen vóór %s", "der Untersuchungsrichter muss die Anordnung bis %s bestätigen"},
		// periods
		{"the stated period ends before it starts", "la période indiquée se termine avant de commencer", "de vermelde periode eindigt vóór ze begint", "der angegebene Zeitraum endet, bevor er beginnt"},
		{"the period the order states ended at %s", "la période indiquée par l'ordonnance a pris fin le %s", "de in het bevel vermelde periode is geëindigd op %s", "der in der Anordnung angegebene Zeitraum endete am %s"},
		{"the order must state how long the measure applies (at most %[1]d {1:month|months})", "l'ordonnance doit préciser la durée de la mesure (au plus %d mois)",
			"het bevel moet vermelden hoe lang de maatregel geldt (ten hoogste %[1]d {1:maand|maanden})", "die Anordnung muss angeben, wie lange die Maßnahme gilt (höchstens %[1]d {1:Monat|Monate})"},
		{"the order states a period to %[1]s, beyond the %[2]d {2:month|months} the law allows (to %[3]s, %[4]s)", "l'ordonnance indique une période jusqu'au %s, au-delà des %d mois permis par la loi (jusqu'au %s, %s)",
			"het bevel vermeldt een periode tot %[1]s, voorbij de %[2]d {2:maand|maanden} die de wet toelaat (tot %[3]s, %[4]s)", "die Anordnung gibt einen Zeitraum bis %[1]s an, über {2:den gesetzlich erlaubten|die gesetzlich erlaubten} %[2]d {2:Monat|Monate} hinaus (bis %[3]s, %[4]s)"},
		{"the %d-month period from the order ran out at %s (%s); a renewal is a new order", "le délai de %d mois à dater de l'ordonnance a expiré le %s (%s) ; un renouvellement est une nouvelle ordonnance",
			"de termijn van %[1]d {1:maand|maanden} vanaf het bevel is verstreken op %[2]s (%[3]s); een verlenging is een nieuw bevel", "die Frist von %[1]d {1:Monat|Monaten} ab der Anordnung lief am %[2]s ab (%[3]s); eine Verlängerung ist eine neue Anordnung"},
		{"an 88quater §2 order may not be made against the inculpé or a person of art. 156", "une ordonnance 88quater §2 ne peut être prise à l'égard de l'inculpé ni des personnes visées à l'article 156",
			"een bevel op grond van art. 88quater §2 mag niet worden gegeven ten aanzien van de inverdenkinggestelde of de personen bedoeld in art. 156",
			"eine Anordnung nach Art. 88quater §2 darf nicht gegen den Beschuldigten oder die in Art. 156 genannten Personen ergehen"},
		{"data not covered by the measure (%s): %s", "données non couvertes par la mesure (%s) : %s", "gegevens die niet onder de maatregel (%s) vallen: %s", "von der Maßnahme (%s) nicht erfasste Daten: %s"},
		{"circumstance is not one ccjkit knows", "circonstance inconnue de ccjkit", "omstandigheid die ccjkit niet kent", "ccjkit unbekannter Umstand"},
		{"addressee is not one ccjkit knows", "destinataire inconnu de ccjkit", "geadresseerde die ccjkit niet kent", "ccjkit unbekannter Adressat"},
		{"an 88quater order must say whether it asks for information (§1) or for operating the system or its data (§2)",
			"une ordonnance 88quater doit préciser si elle demande des informations (§1) ou la mise en œuvre du système ou de ses données (§2)",
			"een bevel op grond van art. 88quater moet vermelden of het inlichtingen vraagt (§1) dan wel het bedienen van het systeem of zijn gegevens (§2)",
			"eine Anordnung nach Art. 88quater muss angeben, ob sie Auskünfte verlangt (§1) oder die Bedienung des Systems oder seiner Daten (§2)"},
		{"the month rule is not one ccjkit knows", "règle de computation des mois inconnue de ccjkit", "regel voor de berekening van maanden die ccjkit niet kent", "ccjkit unbekannte Regel zur Berechnung von Monaten"},
		{"this item is listed twice", "cette donnée figure deux fois", "dit gegeven staat er twee keer", "diese Angabe steht zweimal da"},
		{"this target is listed twice", "cette cible figure deux fois", "dit doel staat er twee keer", "dieses Ziel steht zweimal da"},
		{"the maximum period cannot be computed for this date", "le délai maximal ne peut être calculé pour cette date", "de maximale termijn kan voor deze datum niet berekend worden", "die Höchstfrist kann für dieses Datum nicht berechnet werden"},
		{"the requisition's response policy is not recorded: real time, immediately or a stated moment", "le délai de réponse de la réquisition n'est pas consigné : temps réel, immédiatement ou un moment indiqué",
			"de antwoordtermijn van de vordering is niet genoteerd: werkelijke tijd, onmiddellijk of een vermeld tijdstip", "die Antwortfrist der Anforderung ist nicht erfasst: Echtzeit, unverzüglich oder ein angegebener Zeitpunkt"},
		// targets
		{"the value is empty", "la valeur est vide", "de waarde is leeg", "der Wert ist leer"},
		{"addr, prefix and port belong to ip and prefix targets only", "addr, prefix et port ne valent que pour les cibles ip et prefix", "addr, prefix en port gelden enkel voor doelen ip en prefix", "addr, prefix und port gelten nur für Ziele ip und prefix"},
		{"an ip target needs addr", "une cible ip requiert addr", "een doel ip vereist addr", "ein Ziel ip erfordert addr"},
		{"an ip target has only addr and port", "une cible ip n'a que addr et port", "een doel ip heeft enkel addr en port", "ein Ziel ip hat nur addr und port"},
		{"a prefix target needs prefix", "une cible prefix requiert prefix", "een doel prefix vereist prefix", "ein Ziel prefix erfordert prefix"},
		{"the prefix has host bits set", "le préfixe a des bits d'hôte", "het prefix heeft hostbits", "das Präfix hat gesetzte Host-Bits"},
		{"a prefix target has only prefix", "une cible prefix n'a que prefix", "een doel prefix heeft enkel prefix", "ein Ziel prefix hat nur prefix"},
		{"the phone number is not in E.164 form (+ then 8 to 15 digits)", "le numéro n'est pas au format E.164 (+ puis 8 à 15 chiffres)", "het nummer is niet in E.164-vorm (+ en dan 8 tot 15 cijfers)", "die Nummer ist nicht im E.164-Format (+ und dann 8 bis 15 Ziffern)"},
		{"the e-mail address is not local@domain", "l'adresse e-mail n'est pas de la forme local@domaine", "het e-mailadres is niet van de vorm lokaal@domein", "die E-Mail-Adresse hat nicht die Form lokal@domain"},
		{"the IMEI is not 15 digits with a valid check digit", "l'IMEI n'a pas 15 chiffres avec un chiffre de contrôle valable", "het IMEI telt geen 15 cijfers met een geldig controlecijfer", "die IMEI hat keine 15 Ziffern mit gültiger Prüfziffer"},
		{"the IMSI is not 6 to 15 digits", "l'IMSI n'a pas de 6 à 15 chiffres", "het IMSI telt geen 6 tot 15 cijfers", "die IMSI hat keine 6 bis 15 Ziffern"},
		{"the MAC address is not six hexadecimal octets separated by ':' or '-'", "l'adresse MAC n'est pas six octets hexadécimaux séparés par ':' ou '-'", "het MAC-adres bestaat niet uit zes hexadecimale octetten gescheiden door ':' of '-'", "die MAC-Adresse besteht nicht aus sechs hexadezimalen Oktetten, getrennt durch ':' oder '-'"},
		{"unknown target kind", "type de cible inconnu", "onbekend soort doel", "unbekannte Zielart"},
		{"the value is longer than %d bytes", "la valeur dépasse %d octets", "de waarde is langer dan %d bytes", "der Wert ist länger als %d Bytes"},
		{"an address means nothing without its moment: from and until are required", "une adresse ne dit rien sans son moment : from et until sont requis", "een adres zegt niets zonder zijn tijdstip: from en until zijn vereist", "eine Adresse sagt ohne ihren Zeitpunkt nichts: from und until sind erforderlich"},
		{"from is not before until", "from n'est pas avant until", "from ligt niet vóór until", "from liegt nicht vor until"},
		// deadline steps
		{"the order is dated, in Belgian civil time", "l'ordonnance est datée, en heure légale belge", "het bevel is gedateerd, in Belgische wettelijke tijd", "die Anordnung ist datiert, in belgischer gesetzlicher Zeit"},
		{"the day of the order is not counted; the period starts the next day", "le jour de l'ordonnance n'est pas compté ; le délai commence le lendemain", "de dag van het bevel wordt niet meegerekend; de termijn begint de volgende dag", "der Tag der Anordnung wird nicht mitgezählt; die Frist beginnt am Folgetag"},
		{"the day of the order is the first day of the period", "le jour de l'ordonnance est le premier jour du délai", "de dag van het bevel is de eerste dag van de termijn", "der Tag der Anordnung ist der erste Tag der Frist"},
		{"zero months: the period is empty and ended the day before it started", "zéro mois : le délai est vide et a pris fin la veille de son début", "nul maanden: de termijn is leeg en eindigde de dag vóór zijn begin", "null Monate: die Frist ist leer und endete am Tag vor ihrem Beginn"},
		{"%[1]d {1:month|months} on, %[2]s has no day %[3]d: the period ends on that month's last day", "%d mois plus tard, %s n'a pas de jour %d : le délai se termine le dernier jour de ce mois", "%[1]d {1:maand|maanden} later heeft %[2]s geen dag %[3]d: de termijn eindigt op de laatste dag van die maand", "%[1]d {1:Monat|Monate} später hat %[2]s keinen Tag %[3]d: die Frist endet am letzten Tag dieses Monats"},
		{"%[1]d {1:month|months} on is %[2]v; the period ends the day before (veille de quantième)", "%d mois plus tard, c'est le %v ; le délai se termine la veille (veille de quantième)", "%[1]d {1:maand|maanden} later is het %[2]v; de termijn eindigt de dag ervoor", "%[1]d {1:Monat|Monate} später ist der %[2]v; die Frist endet am Vortag"},
		{"the period runs to the end of its last day, 24:00 Brussels time", "le délai court jusqu'à la fin de son dernier jour, 24 h, heure de Bruxelles", "de termijn loopt tot het einde van zijn laatste dag, 24 uur Brusselse tijd", "die Frist läuft bis zum Ende ihres letzten Tages, 24 Uhr Brüsseler Zeit"},
		{"the order was made", "l'ordonnance a été prise", "het bevel werd gegeven", "die Anordnung wurde erlassen"},
		{"24 elapsed hours later, whatever the wall clock does", "24 heures écoulées plus tard, quoi qu'indique l'horloge", "24 verstreken uren later, wat de klok ook aanwijst", "24 verstrichene Stunden später, was immer die Uhr anzeigt"},
		{"received", "reçue", "ontvangen", "eingegangen"},
		{"answer in real time: the minimum time the task needs by the rules of the art, without interruption, with adequate means and staff; the law sets no number",
			"répondre en temps réel : le temps minimum nécessaire à la tâche selon les règles de l'art, sans interruption, avec les moyens et le personnel adéquats ; la loi ne fixe aucun chiffre",
			"antwoorden in werkelijke tijd: de minimale tijd die de taak volgens de regels van de kunst vergt, zonder onderbreking, met gepaste middelen en personeel; de wet legt geen cijfer vast",
			"in Echtzeit antworten: die Mindestzeit, die die Aufgabe nach den Regeln der Kunst ohne Unterbrechung mit geeigneten Mitteln und Personal erfordert; das Gesetz nennt keine Zahl"},
		{"execute immediately", "exécuter immédiatement", "onmiddellijk uitvoeren", "unverzüglich ausführen"},
		{"the requisition states the moment the answer is due", "la réquisition indique le moment où la réponse est due", "de vordering vermeldt het tijdstip waarop het antwoord gegeven moet worden", "die Anforderung gibt den Zeitpunkt an, zu dem die Antwort fällig ist"},
		{"as soon as possible", "dès que possible", "zo snel mogelijk", "so bald wie möglich"},
		{"%s: %s", "%s : %s", "%s: %s", "%s: %s"}, // a deadline's step and its result
		{"no fixed instant (%s)", "pas d'instant fixé (%s)", "geen vast tijdstip (%s)", "kein fester Zeitpunkt (%s)"},
		{"confirmation within 24 hours", "confirmation dans les 24 heures", "bevestiging binnen 24 uur", "Bestätigung binnen 24 Stunden"},
		// response
		{"unknown response kind", "type de réponse inconnu", "onbekend soort antwoord", "unbekannte Antwortart"},
		{"the answer is due at a stated moment, but none is given", "la réponse est due à un moment indiqué, mais aucun n'est donné", "het antwoord moet op een vermeld tijdstip gegeven worden, maar er is er geen opgegeven", "die Antwort ist zu einem angegebenen Zeitpunkt fällig, aber keiner ist angegeben"},
		{"the stated moment %s is before receipt: ask the authority", "le moment indiqué %s précède la réception : interrogez l'autorité", "het vermelde tijdstip %s ligt vóór de ontvangst: vraag het de bevoegde autoriteit", "der angegebene Zeitpunkt %s liegt vor dem Eingang: fragen Sie die Behörde"},
		{"a stated moment is given but the answer is due %s", "un moment est indiqué mais la réponse est due %s", "er is een tijdstip vermeld, maar het antwoord moet %s gegeven worden", "ein Zeitpunkt ist angegeben, aber die Antwort ist %s fällig"},
	}
	labels := [][5]string{
		{"measure:identification", "identification", "l'identification", "de identificatie", "die Identifizierung"},
		{"measure:traffic-location", "tracing and localisation", "le repérage et la localisation", "de opsporing en lokalisatie", "die Rückverfolgung und Lokalisierung"},
		{"measure:interception", "interception", "l'interception", "de interceptie", "die Überwachung"},
		{"measure:extended-search", "an extended search", "l'extension de la recherche", "de uitgebreide zoeking", "die erweiterte Suche"},
		{"measure:cooperation", "ordered cooperation", "la collaboration requise", "de bevolen medewerking", "die angeordnete Mitwirkung"},
		{"authority:juge-instruction", "juge d'instruction", "juge d'instruction", "onderzoeksrechter", "Untersuchungsrichter"},
		{"authority:procureur-du-roi", "procureur du Roi", "procureur du Roi", "procureur des Konings", "Prokurator des Königs"},
		{"authority:auditeur-du-travail", "auditeur du travail", "auditeur du travail", "arbeidsauditeur", "Arbeitsauditor"},
		{"authority:officier-police-judiciaire", "judicial police officer", "officier de police judiciaire", "officier van gerechtelijke politie", "Offizier der Gerichtspolizei"},
		{"item:identity", "the subscriber's identity", "l'identité de l'abonné", "de identiteit van de abonnee", "die Identität des Teilnehmers"},
		{"item:address", "the address", "l'adresse", "het adres", "die Anschrift"},
		{"item:billing-address", "the billing address", "l'adresse de facturation", "het facturatieadres", "die Rechnungsanschrift"},
		{"item:contract", "the contract", "le contrat", "het contract", "der Vertrag"},
		{"item:imei", "the IMEI", "l'IMEI", "het IMEI", "die IMEI"},
		{"item:imsi", "the IMSI", "l'IMSI", "het IMSI", "die IMSI"},
		{"item:ip-address-port", "the IP address and port", "l'adresse IP et le port", "het IP-adres en de poort", "die IP-Adresse und der Port"},
		{"item:mac", "the MAC address", "l'adresse MAC", "het MAC-adres", "die MAC-Adresse"},
		{"item:services", "the services subscribed or used", "les services souscrits ou utilisés", "de geabonneerde of gebruikte diensten", "die abonnierten oder genutzten Dienste"},
		{"item:traffic-records", "traffic records", "les données de trafic", "de verkeersgegevens", "die Verkehrsdaten"},
		{"item:location-records", "location records", "les données de localisation", "de locatiegegevens", "die Standortdaten"},
		{"item:content", "the content of communications", "le contenu des communications", "de inhoud van de communicatie", "der Inhalt der Kommunikation"},
		{"item:system-access", "access to a system", "l'accès à un système", "de toegang tot een systeem", "der Zugang zu einem System"},
		{"month-rule:0", "months counted from the next day (Code judiciaire)", "mois comptés à partir du lendemain (Code judiciaire)", "maanden gerekend vanaf de volgende dag (Gerechtelijk Wetboek)", "Monate ab dem Folgetag gezählt (Gerichtsgesetzbuch)"},
		{"month-rule:1", "months counted from the order's day", "mois comptés à partir du jour de l'ordonnance", "maanden gerekend vanaf de dag van het bevel", "Monate ab dem Tag der Anordnung gezählt"},
		{"response:real-time", "in real time", "en temps réel", "in werkelijke tijd", "in Echtzeit"},
		{"response:immediately", "immediately", "immédiatement", "onmiddellijk", "unverzüglich"},
		{"response:at-stated-moment", "at the stated moment", "au moment indiqué", "op het vermelde tijdstip", "zum angegebenen Zeitpunkt"},
		// The offences (Offence.LabelIn).
		{"offence:penal-347bis", "hostage-taking (Penal Code art. 347bis)", "prise d'otages (Code pénal art. 347bis)", "gijzelneming (Strafwetboek art. 347bis)", "Geiselnahme (Strafgesetzbuch Art. 347bis)"},
		{"offence:penal-470", "extortion (Penal Code art. 470)", "extorsion (Code pénal art. 470)", "afpersing (Strafwetboek art. 470)", "Erpressung (Strafgesetzbuch Art. 470)"},
		{"offence:telecom-145-3", "fraudulent or harmful use of electronic communications (Telecom Act art. 145 §3)", "utilisation frauduleuse ou dommageable des communications électroniques (loi du 13 juin 2005 art. 145 §3)", "bedrieglijk of schadelijk gebruik van elektronische communicatie (wet van 13 juni 2005 art. 145 §3)", "betrügerische oder schädigende Nutzung elektronischer Kommunikation (Gesetz vom 13. Juni 2005 Art. 145 §3)"},
		{"offence:telecom-145-3bis", "use of electronic communications to harass a correspondent (Telecom Act art. 145 §3bis)", "utilisation des communications électroniques pour importuner son correspondant (loi du 13 juin 2005 art. 145 §3bis)", "gebruik van elektronische communicatie om een correspondent overlast te bezorgen (wet van 13 juni 2005 art. 145 §3bis)", "Nutzung elektronischer Kommunikation zur Belästigung eines Gesprächspartners (Gesetz vom 13. Juni 2005 Art. 145 §3bis)"},
		{"offence:90ter-attack-on-the-king", "attacks on the King, the royal family or the government", "attentats contre le Roi, la famille royale ou le gouvernement", "aanslagen op de Koning, de koninklijke familie of de regering", "Anschläge auf den König, die königliche Familie oder die Regierung"},
		{"offence:90ter-humanitarian-law", "serious violations of international humanitarian law", "violations graves du droit international humanitaire", "ernstige schendingen van het internationaal humanitair recht", "schwere Verstöße gegen das humanitäre Völkerrecht"},
		{"offence:90ter-terrorism", "terrorist offences", "infractions terroristes", "terroristische misdrijven", "terroristische Straftaten"},
		{"offence:90ter-abuse-by-officials", "violations of constitutional rights by public officials", "atteintes aux droits garantis par la Constitution commises par des fonctionnaires", "aantastingen door openbare ambtenaren van de door de Grondwet gewaarborgde rechten", "Verletzungen verfassungsmäßiger Rechte durch öffentliche Bedienstete"},
		{"offence:90ter-computer-crime", "computer crime", "criminalité informatique", "informaticacriminaliteit", "Computerkriminalität"},
		{"offence:90ter-corruption", "corruption", "corruption", "omkoping", "Bestechung"},
		{"offence:90ter-secrecy-of-communications", "illegal interception and breaches of the secrecy of communications", "interception illégale et atteintes au secret des communications", "onrechtmatige interceptie en schendingen van het communicatiegeheim", "rechtswidrige Überwachung und Verletzungen des Kommunikationsgeheimnisses"},
		{"offence:90ter-serious-threats", "serious threats", "menaces graves", "ernstige bedreigingen", "schwere Drohungen"},
		{"offence:90ter-criminal-organisation", "criminal organisation", "organisation criminelle", "criminele organisatie", "kriminelle Organisation"},
		{"offence:90ter-sexual-offences", "sexual offences and sexual exploitation of minors, grooming", "infractions sexuelles et exploitation sexuelle de mineurs, grooming", "seksuele misdrijven en seksuele uitbuiting van minderjarigen, grooming", "Sexualstraftaten und sexuelle Ausbeutung Minderjähriger, Grooming"},
		{"offence:90ter-murder", "murder", "meurtre", "doodslag", "Totschlag"},
		{"offence:90ter-kidnapping-of-minors", "kidnapping of minors", "enlèvement de mineurs", "ontvoering van minderjarigen", "Entführung Minderjähriger"},
		{"offence:90ter-trafficking", "trafficking in human beings and in organs", "traite des êtres humains et trafic d'organes", "mensenhandel en orgaanhandel", "Menschenhandel und Organhandel"},
		{"offence:90ter-serious-theft", "serious theft, robbery with murder", "vol grave, vol avec meurtre", "zware diefstal, roofmoord", "schwerer Diebstahl, Raubmord"},
		{"offence:90ter-nuclear-material", "offences involving nuclear material", "infractions relatives aux matières nucléaires", "misdrijven met kernmateriaal", "Straftaten mit Kernmaterial"},
		{"offence:90ter-counterfeiting", "counterfeiting", "contrefaçon", "namaak", "Fälschung"},
		{"offence:90ter-fraud", "certain frauds and fencing", "certaines escroqueries et le recel", "bepaalde oplichtingen en heling", "bestimmte Betrugsdelikte und Hehlerei"},
		{"offence:90ter-arson-explosives", "certain arson and explosives offences", "certains incendies volontaires et infractions relatives aux explosifs", "bepaalde brandstichtingen en misdrijven met springstoffen", "bestimmte Brandstiftungen und Sprengstoffdelikte"},
		{"offence:90ter-drugs", "drug offences", "infractions en matière de stupéfiants", "drugsmisdrijven", "Betäubungsmitteldelikte"},
		{"offence:90ter-telecom-abuse", "abuse of telecommunications", "usage abusif des télécommunications", "misbruik van telecommunicatie", "Missbrauch der Telekommunikation"},
		{"offence:90ter-arms", "arms offences", "infractions en matière d'armes", "wapenmisdrijven", "Waffendelikte"},
		{"offence:90ter-smuggling-of-persons", "smuggling of persons", "trafic d'êtres humains", "mensensmokkel", "Menschenschmuggel"},
		{"offence:90ter-hormones", "hormone offences", "infractions en matière d'hormones", "hormonenmisdrijven", "Hormondelikte"},
		{"source:art. 88bis §1 al. 6, citing loi du 13 juin 2005 art. 145 §3 and §3bis", "art. 88bis §1 al. 6, citing loi du 13 juin 2005 art. 145 §3 and §3bis",
			"art. 88bis §1 al. 6, qui vise la loi du 13 juin 2005, art. 145 §3 et §3bis", "art. 88bis §1 al. 6, dat verwijst naar de wet van 13 juni 2005, art. 145 §3 en §3bis",
			"Art. 88bis §1 Abs. 6, der auf das Gesetz vom 13. Juni 2005, Art. 145 §3 und §3bis verweist"},
		// Technical sources, named in English in the code, as the
		// deadlines' steps cite them (i18n's Cite).
		{"source:the requisition", "the requisition", "la réquisition", "de vordering", "die Anforderung"},
		{"source:the moment it states", "the moment it states", "(l'instant qu'elle indique)", "(het tijdstip dat ze vermeldt)", "(der darin angegebene Zeitpunkt)"},
		{"source:no response policy recorded", "no response policy recorded", "aucun délai de réponse consigné", "geen antwoordtermijn genoteerd", "keine Antwortfrist erfasst"},
		{"source:an order's day is its calendar day in Belgian civil time", "an order's day is its calendar day in Belgian civil time",
			"le jour d'une ordonnance est son jour civil en heure légale belge", "de dag van een bevel is zijn kalenderdag in Belgische wettelijke tijd", "der Tag einer Anordnung ist ihr Kalendertag in belgischer gesetzlicher Zeit"},
		{"source:stricter reading offered where Code judiciaire arts. 52-54 may not apply", "stricter reading offered where Code judiciaire arts. 52-54 may not apply",
			"lecture plus stricte proposée là où les art. 52-54 du Code judiciaire pourraient ne pas s'appliquer",
			"strengere lezing voor wanneer de art. 52-54 van het Gerechtelijk Wetboek mogelijk niet gelden",
			"strengere Lesart für den Fall, dass Art. 52-54 des Gerichtsgesetzbuchs nicht gelten"},
	}
	out := make([][5]string, 0, len(msgs)+len(labels))
	for _, m := range msgs {
		out = append(out, [5]string{m[0], m[0], m[1], m[2], m[3]})
	}
	return append(out, labels...)
}
