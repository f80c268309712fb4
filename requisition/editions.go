package requisition

import (
	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
)

// The law of 25 December 2016 rewrote the articles of the Code
// d'instruction criminelle on identification, traffic and location data,
// interception and ordered cooperation. Its identity is verified: numac
// 2017030017, published in the Moniteur belge of 17 January 2017 [V]
// (https://etaamb.openjustice.be/nl/wet-van-25-december-2016_n2017030017.html).
// Its entry into force was not read: the general rule, the tenth day after
// publication, gives 27 January 2017 [U]. Its new texts of arts. 46bis,
// 88bis, 88quater and 90ter-90quater were not retrieved [U].
//
// Half a year earlier, the law of 29 May 2016 on the collection and
// retention of data in the electronic communications sector (Moniteur
// belge 18 July 2016, in force 28 July 2016 [V]) amended the Code too, in
// its arts. 8 to 11 [V]; which articles of the Code those are, and how
// they read afterwards, was not retrieved [U] (a secondary source says it
// limited how far back an art. 88bis order may reach [S]). The
// Constitutional Court annulled that law on 22 April 2021 (arrêt 57/2021)
// [V, fact sheet §3.2]; whether the annulment reached its amendments of
// the Code, and what it means for orders of July 2016 to January 2017,
// was not retrieved [U] — one more reason that span is [U]. The texts
// ccjkit holds are older than both laws.
//
// So ccjkit judges an order by the text in force on the day it was
// signed (the powers and periods of the text that authorises it), in
// three editions ([EditionChanges] lists the days they change):
//
//   - signed before 28 July 2016: the text before 2016, which ccjkit
//     holds [V];
//   - signed from 28 July 2016 to 16 January 2017: that text as the law
//     of 29 May 2016 may have amended it, not retrieved [U];
//   - signed from 17 January 2017, the day the law of 25 December 2016
//     was published and the earliest it can have applied: the text as
//     that law rewrote it, not retrieved [U] (from 17 to 26 January which
//     text was in force is itself unknown).
//
// On an [U] edition a rule's findings are warnings that say what to
// check, never errors ([provenance.MaxSeverity]).

// Law2016InForce returns the first day the law of 25 December 2016 is
// taken to be in force: 27 January 2017, the tenth day after its
// publication in the Moniteur belge of 17 January 2017 (the general rule;
// the law's own date of entry into force was not read [U]).
func Law2016InForce() date.Date { return date.New(2017, 1, 27) }

// Law2016RetentionInForce returns the day the law of 29 May 2016 on the
// collection and retention of data came into force, 28 July 2016 [V]
// (fact sheet §3.2, JUSTEL). It amended the Code d'instruction criminelle
// (its arts. 8 to 11); as which articles was not retrieved, ccjkit holds
// the earlier text of every article it cites as verified only up to the
// day before.
func Law2016RetentionInForce() date.Date { return date.New(2016, 7, 28) }

// lawRetention2016 is the source of the law of 29 May 2016.
func lawRetention2016() provenance.Source {
	return provenance.Source{Instrument: "loi du 29 mai 2016 relative à la collecte et à la conservation des données dans le secteur des communications électroniques (Moniteur belge 18-07-2016)",
		Edition:   "as published; it amended the Code in its arts. 8-11 (which articles not retrieved) and was annulled by the Constitutional Court on 22 April 2021 (arrêt 57/2021)",
		Certainty: provenance.Verified, From: Law2016RetentionInForce(),
		URL: "https://www.ejustice.just.fgov.be/cgi_loi/loi_a1.pl?language=nl&la=N&table_name=wet&cn=2016052903&&caller=list&N&fromtab=wet&tri=dd+AS+RANK&rech=1&numero=1&sql=(text+contains+(''))"}
}

// EditionChanges returns, in order, the days on which a rule of the Code
// d'instruction criminelle changes edition: 28 July 2016
// ([Law2016RetentionInForce]) and 17 January 2017 ([Law2016Published]),
// where [Edition] changes, and 27 January 2017 ([Law2016InForce]), where
// the penalties ([LookupPenalty]) change. Tests and generators draw dates
// on both sides of each. A new slice is returned on each call.
func EditionChanges() []date.Date {
	return []date.Date{Law2016RetentionInForce(), Law2016Published(), Law2016InForce()}
}

// Law2016Published returns the day the law of 25 December 2016 was
// published in the Moniteur belge, 17 January 2017 [V]: the earliest day
// it can have been in force. [Edition] judges orders signed from that day
// on the text as that law rewrote it.
func Law2016Published() date.Date { return date.New(2017, 1, 17) }

// Law2016Source returns the source of the law of 25 December 2016 itself,
// in force from [Law2016InForce] [U: taken as the tenth day after its
// publication].
func Law2016Source() provenance.Source { return law2016() }

// LawRetention2016Source returns the source of the law of 29 May 2016 on
// data retention, in force from [Law2016RetentionInForce] [V].
func LawRetention2016Source() provenance.Source { return lawRetention2016() }

// law2016 is the source of the law of 25 December 2016 itself.
func law2016() provenance.Source {
	return provenance.Source{Instrument: "loi du 25 décembre 2016 portant des modifications diverses au Code d'instruction criminelle et au Code pénal (Moniteur belge 17-01-2017, numac 2017030017)",
		Edition:   "its identity and publication [V]; its entry into force taken as the tenth day after publication, 27 January 2017 [U]",
		Certainty: provenance.Verified, URL: "https://etaamb.openjustice.be/nl/wet-van-25-december-2016_n2017030017.html", From: Law2016InForce()}
}

// Edition returns the source of a rule of the Code d'instruction
// criminelle as in force on day d: pre, the text before 2016 (bounded to
// end on 27 July 2016, the day before the law of 29 May 2016 came into
// force), when d is before 28 July 2016; from then to 16 January 2017 the
// same article as the law of 29 May 2016 may have amended it; from 17
// January 2017 the article as later laws left it — rewritten by the law
// of 25 December 2016, possibly amended since (the law of 20 July 2022
// touched the Code too). ccjkit has retrieved neither later text [U], so
// a rule judged on them is a warning naming what to check. Edition is
// idempotent: Edition(Edition(pre, d), d) == Edition(pre, d); and it never
// returns a source surer than the one it is given.
func Edition(pre provenance.Source, d date.Date) provenance.Source {
	if pre.Certainty == provenance.Unverified && pre.InForce(d) {
		return pre // an edition already given for d, or no surer than one
	}
	r := Law2016RetentionInForce()
	unknown := func(from, until date.Date) provenance.Source {
		return provenance.Source{Instrument: pre.Instrument, Article: pre.Article,
			Edition: "no text of this article known to ccjkit for that day", Certainty: provenance.Unverified, From: from, Until: until}
	}
	if pre.From < r && (pre.Until == 0 || pre.Until > r) {
		pre.Until = r // an earlier text: only ever shortened, to the eve of the first later law
	}
	switch {
	case pre.InForce(d):
		return pre
	case d < pre.From:
		return unknown(0, pre.From)
	case d < r:
		return unknown(pre.Until, r) // the text ended before the laws of 2016
	case d < Law2016Published():
		return provenance.Source{Instrument: pre.Instrument, Article: pre.Article,
			Edition: "as the law of 29 May 2016 (in force 28 July 2016) may have amended it; text not retrieved by ccjkit", Certainty: provenance.Unverified,
			From: r, Until: Law2016Published(), URL: lawRetention2016().URL}
	}
	return provenance.Source{Instrument: pre.Instrument, Article: pre.Article,
		Edition: "as in force after the law of 25 December 2016 (published 17 January 2017, in force then or on 27 January); text not retrieved by ccjkit", Certainty: provenance.Unverified,
		From: Law2016Published(), URL: law2016().URL}
}
