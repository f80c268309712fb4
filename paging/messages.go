package paging

import (
	"sync"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/internal/i18n"
)

// Languages are the languages of pages and of the policy's findings.
func Languages() []language.Tag {
	return []language.Tag{language.English, language.French, language.Dutch, language.German}
}

var messages = sync.OnceValue(func() *i18n.Catalogue { return i18n.MustNew(Languages(), i18n.EnglishKeyed(translations())) })

// translations returns {key = English, French, Dutch, German}.
func translations() [][]string {
	return [][]string{
		// titles
		{"CCJ %[1]s: new request", "CCJ %[1]s\u00a0: nouvelle réquisition", "CCJ %[1]s: nieuwe vordering", "CCJ %[1]s: neue Anforderung"},
		{"CCJ %[1]s: not acknowledged", "CCJ %[1]s\u00a0: réception non confirmée", "CCJ %[1]s: ontvangst niet bevestigd", "CCJ %[1]s: Empfang nicht bestätigt"},
		{"CCJ %[1]s: %[2]d%% of the time used", "CCJ %[1]s\u00a0: %[2]d\u00a0%% du délai écoulé", "CCJ %[1]s: %[2]d%% van de termijn verstreken", "CCJ %[1]s: %[2]d\u00a0%% der Frist verstrichen"},
		// texts
		{"New judicial request %[1]s received at %[2]s.", "Nouvelle réquisition judiciaire %[1]s reçue le %[2]s.",
			"Nieuwe gerechtelijke vordering %[1]s ontvangen op %[2]s.", "Neue gerichtliche Anforderung %[1]s eingegangen am %[2]s."},
		{"Judicial request %[1]s received at %[2]s has not been acknowledged by the member on call.",
			"La réception de la réquisition judiciaire %[1]s du %[2]s n'a pas été confirmée par le membre de garde.",
			"De ontvangst van gerechtelijke vordering %[1]s van %[2]s is niet bevestigd door het lid met wachtdienst.",
			"Der Empfang der gerichtlichen Anforderung %[1]s vom %[2]s wurde vom Mitglied in Bereitschaft nicht bestätigt."},
		{"Judicial request %[1]s received at %[2]s: %[3]d%% of the time to its deadline, %[4]s, has passed.",
			"Réquisition judiciaire %[1]s reçue le %[2]s\u00a0: %[3]d\u00a0%% du délai, qui expire le %[4]s, est écoulé.",
			"Gerechtelijke vordering %[1]s ontvangen op %[2]s: %[3]d%% van de termijn, die op %[4]s verstrijkt, is voorbij.",
			"Gerichtliche Anforderung %[1]s eingegangen am %[2]s: %[3]d\u00a0%% der Frist, die am %[4]s abläuft, sind verstrichen."},
		{"Deadline: urgent, within hours.", "Délai\u00a0: urgent, en heures.", "Termijn: dringend, binnen enkele uren.", "Frist: dringend, binnen Stunden."},
		{"Deadline: ordinary, within days.", "Délai\u00a0: ordinaire, en jours.", "Termijn: gewoon, binnen enkele dagen.", "Frist: gewöhnlich, binnen Tagen."},
		{"Deadline: not read yet, treat as urgent.", "Délai\u00a0: pas encore lu, à traiter comme urgent.", "Termijn: nog niet gelezen, als dringend behandelen.", "Frist: noch nicht gelesen, als dringend behandeln."},
		{"Acknowledge: %[1]s", "Confirmez la réception\u00a0: %[1]s", "Bevestig de ontvangst: %[1]s", "Empfang bestätigen: %[1]s"},
		// alerts (AlertID)
		{"CCJ alert: %[1]s", "Alerte CCJ\u00a0: %[1]s", "CCJ-alarm: %[1]s", "CCJ-Alarm: %[1]s"},
		{"CCJ alert: %[1]s, not acknowledged", "Alerte CCJ\u00a0: %[1]s, non confirmée", "CCJ-alarm: %[1]s, niet bevestigd", "CCJ-Alarm: %[1]s, nicht bestätigt"},
		{"clock not vouched for", "horloge non garantie", "klok niet gegarandeerd", "Uhr nicht verbürgt"},
		{"register does not verify", "registre non vérifiable", "register niet verifieerbaar", "Register nicht prüfbar"},
		{"gap in the rota", "trou dans le planning de garde", "gat in het wachtrooster", "Lücke im Bereitschaftsplan"},
		{"security advice expiring", "avis de sécurité bientôt expiré", "veiligheidsadvies verloopt", "Sicherheitsgutachten läuft ab"},
		{"retention housekeeping failed", "entretien de la conservation en échec", "onderhoud van de bewaring mislukt", "Pflege der Vorratsspeicherung fehlgeschlagen"},
		{"Cell alert %[1]s since %[2]s: %[3]s", "Alerte de la cellule %[1]s depuis le %[2]s\u00a0: %[3]s",
			"Celalarm %[1]s sinds %[2]s: %[3]s", "Alarm der Zelle %[1]s seit %[2]s: %[3]s"},
		{"The member on call has not acknowledged it.", "Le membre de garde ne l'a pas confirmée.",
			"Het lid met wachtdienst heeft het niet bevestigd.", "Das Mitglied in Bereitschaft hat ihn nicht bestätigt."},
		{"It concerns no request. Acknowledge: %[1]s", "Elle ne concerne aucune réquisition. Confirmez\u00a0: %[1]s",
			"Het betreft geen vordering. Bevestig: %[1]s", "Er betrifft keine Anforderung. Bestätigen: %[1]s"},
		{"the cell's clock cannot be vouched for to the second; check chrony (clockcheck).",
			"l'horloge de la cellule n'est plus garantie à la seconde\u00a0; vérifiez chrony (clockcheck).",
			"de klok van de cel is niet meer tot op de seconde gegarandeerd; controleer chrony (clockcheck).",
			"die Uhr der Zelle ist nicht mehr sekundengenau verbürgt; prüfen Sie chrony (clockcheck)."},
		{"the register does not verify or cannot be read; see the recovery procedure.",
			"le registre ne se vérifie pas ou ne peut être lu\u00a0; suivez la procédure de récupération.",
			"het register is niet verifieerbaar of niet leesbaar; volg de herstelprocedure.",
			"das Register ist nicht prüfbar oder nicht lesbar; folgen Sie dem Wiederherstellungsverfahren."},
		{"nobody is on call for part of the coming days; complete the rota.",
			"personne n'est de garde pendant une partie des prochains jours\u00a0; complétez le planning.",
			"een deel van de komende dagen is niemand van wacht; vul het rooster aan.",
			"in einem Teil der kommenden Tage hat niemand Bereitschaft; ergänzen Sie den Plan."},
		{"a member's security advice expires soon; start its renewal.",
			"l'avis de sécurité d'un membre expire bientôt\u00a0; lancez son renouvellement.",
			"het veiligheidsadvies van een lid verloopt binnenkort; start de vernieuwing.",
			"das Sicherheitsgutachten eines Mitglieds läuft bald ab; leiten Sie die Erneuerung ein."},
		{"a scheduled purge or check of retained data failed; data may be kept past its period.",
			"une purge ou un contrôle planifié des données conservées a échoué\u00a0; des données peuvent être gardées au-delà de leur délai.",
			"een geplande wissing of controle van bewaarde gegevens is mislukt; gegevens kunnen langer dan hun termijn bewaard worden.",
			"eine geplante Löschung oder Prüfung gespeicherter Daten ist fehlgeschlagen; Daten können über ihre Frist hinaus aufbewahrt werden."},
		// the month's acknowledgement figures (Figures.Text)
		{"Pages from %[1]s to %[2]s: no case was paged.", "Appels du %[1]s au %[2]s\u00a0: aucun dossier n'a été appelé.",
			"Oproepen van %[1]s tot %[2]s: geen enkel dossier werd opgeroepen.", "Benachrichtigungen vom %[1]s bis %[2]s: kein Fall wurde gemeldet."},
		{"Pages from %[1]s to %[2]s: %[3]d {3:case or intake|cases or intakes} paged, %[4]d acknowledged, %[5]d needed escalation.",
			"Appels du %[1]s au %[2]s\u00a0: %[3]d {3:dossier ou réception appelé|dossiers ou réceptions appelés}, %[4]d pris en charge, %[5]d ayant exigé une escalade.",
			"Oproepen van %[1]s tot %[2]s: %[3]d {3:dossier of ontvangst|dossiers of ontvangsten} opgeroepen, %[4]d bevestigd, %[5]d met escalatie.",
			"Benachrichtigungen vom %[1]s bis %[2]s: %[3]d {3:Fall oder Eingang|Fälle oder Eingänge} gemeldet, %[4]d quittiert, %[5]d mit Eskalation."},
		{"Time to acknowledge: nothing was acknowledged.", "Délai de prise en charge\u00a0: rien n'a été pris en charge.",
			"Tijd tot bevestiging: niets werd bevestigd.", "Zeit bis zur Quittierung: nichts wurde quittiert."},
		{"Time to acknowledge from the first page: median %[1]s, worst %[2]s.", "Délai de prise en charge depuis le premier appel\u00a0: médiane %[1]s, pire %[2]s.",
			"Tijd tot bevestiging vanaf de eerste oproep: mediaan %[1]s, slechtste %[2]s.", "Zeit bis zur Quittierung ab der ersten Benachrichtigung: Median %[1]s, schlechteste %[2]s."},
		{"Every member paged acknowledged at least once.", "Chaque membre appelé a pris en charge au moins une fois.",
			"Elk opgeroepen lid heeft minstens één keer bevestigd.", "Jedes benachrichtigte Mitglied hat mindestens einmal quittiert."},
		{"Paged, never acknowledged: %[1]s.", "Appelés, sans jamais prendre en charge\u00a0: %[1]s.",
			"Opgeroepen, nooit bevestigd: %[1]s.", "Benachrichtigt, nie quittiert: %[1]s."},
		// the policy's findings
		{"the delay to acknowledge is not between %[1]s and %[2]s", "le délai de confirmation n'est pas compris entre %[1]s et %[2]s",
			"de termijn om te bevestigen ligt niet tussen %[1]s en %[2]s", "die Frist zur Bestätigung liegt nicht zwischen %[1]s und %[2]s"},
		{"the night's start or end is not a time hh:mm, or they are equal", "le début ou la fin de la nuit n'est pas une heure hh:mm, ou ils sont égaux",
			"het begin of einde van de nacht is geen tijdstip uu:mm, of ze zijn gelijk", "Beginn oder Ende der Nacht ist keine Uhrzeit hh:mm, oder beide sind gleich"},
		{"the reminders are not percentages from 1 to 99 in increasing order, at most %[1]d", "les rappels ne sont pas des pourcentages de 1 à 99 en ordre croissant, au plus %[1]d",
			"de herinneringen zijn geen percentages van 1 tot 99 in stijgende volgorde, hoogstens %[1]d", "die Erinnerungen sind keine Prozentsätze von 1 bis 99 in aufsteigender Folge, höchstens %[1]d"},
		{"the attempts per channel are not from 1 to %[1]d", "le nombre de tentatives par canal n'est pas de 1 à %[1]d",
			"het aantal pogingen per kanaal ligt niet tussen 1 en %[1]d", "die Zahl der Versuche je Kanal liegt nicht zwischen 1 und %[1]d"},
		{"the first wait between attempts is not between %[1]s and %[2]s", "la première attente entre deux tentatives n'est pas comprise entre %[1]s et %[2]s",
			"de eerste wachttijd tussen pogingen ligt niet tussen %[1]s en %[2]s", "die erste Wartezeit zwischen Versuchen liegt nicht zwischen %[1]s und %[2]s"},
		{"the factor between waits is not from 1 to 10", "le facteur entre deux attentes n'est pas de 1 à 10",
			"de factor tussen wachttijden ligt niet tussen 1 en 10", "der Faktor zwischen Wartezeiten liegt nicht zwischen 1 und 10"},
		{"the longest wait is not between the first wait and %[1]s", "l'attente la plus longue n'est pas comprise entre la première attente et %[1]s",
			"de langste wachttijd ligt niet tussen de eerste wachttijd en %[1]s", "die längste Wartezeit liegt nicht zwischen der ersten Wartezeit und %[1]s"},
		{"the time given to one attempt is not between %[1]s and %[2]s", "le temps accordé à une tentative n'est pas compris entre %[1]s et %[2]s",
			"de tijd voor één poging ligt niet tussen %[1]s en %[2]s", "die Zeit für einen Versuch liegt nicht zwischen %[1]s und %[2]s"},
		{"an acknowledgement code's validity is not between %[1]s and %[2]s", "la validité d'un code de confirmation n'est pas comprise entre %[1]s et %[2]s",
			"de geldigheid van een bevestigingscode ligt niet tussen %[1]s en %[2]s", "die Gültigkeit eines Bestätigungscodes liegt nicht zwischen %[1]s und %[2]s"},
		{"the limit of an urgent deadline is not between %[1]s and %[2]s", "la limite d'un délai urgent n'est pas comprise entre %[1]s et %[2]s",
			"de grens van een dringende termijn ligt niet tussen %[1]s en %[2]s", "die Grenze einer dringenden Frist liegt nicht zwischen %[1]s und %[2]s"},
		{"the language is not one of %[1]s", "la langue n'est pas l'une de %[1]s", "de taal is niet een van %[1]s", "die Sprache ist keine von %[1]s"},
		{"trying every channel of a member (%[1]s for three) may take longer than the night's delay to acknowledge (%[2]s): the next step would be paged before the last channel is tried",
			"essayer tous les canaux d'un membre (%[1]s pour trois) peut durer plus que le délai de confirmation de nuit (%[2]s)\u00a0: l'étape suivante serait appelée avant que le dernier canal soit essayé",
			"alle kanalen van een lid proberen (%[1]s voor drie) kan langer duren dan de termijn om 's nachts te bevestigen (%[2]s): de volgende stap zou worden opgeroepen voordat het laatste kanaal is geprobeerd",
			"alle Kanäle eines Mitglieds zu versuchen (%[1]s für drei) kann länger dauern als die nächtliche Frist zur Bestätigung (%[2]s): die nächste Stufe würde gerufen, bevor der letzte Kanal versucht ist"},
	}
}
