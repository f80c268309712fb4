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
// So ccjkit judges an order by the text in force on the day it was
// signed (the powers and periods of the text that authorises it): an
// order signed before 17 January 2017, the day of publication — the
// earliest the law can have applied — by the text before the law, [V];
// one signed from that day by a text ccjkit has not seen, [U] (from 17 to
// 26 January which text was in force is itself unknown) — its rules are
// then warnings that say what to check, never errors
// ([provenance.MaxSeverity]).

// Law2016InForce returns the first day the law of 25 December 2016 is
// taken to be in force: 27 January 2017, the tenth day after its
// publication in the Moniteur belge of 17 January 2017 (the general rule;
// the law's own date of entry into force was not read [U]).
func Law2016InForce() date.Date { return date.New(2017, 1, 27) }

// Law2016Published returns the day the law of 25 December 2016 was
// published in the Moniteur belge, 17 January 2017 [V]: the earliest day
// it can have been in force. [Edition] judges orders signed from that day
// on the text as that law rewrote it.
func Law2016Published() date.Date { return date.New(2017, 1, 17) }

// law2016 is the source of the law of 25 December 2016 itself.
func law2016() provenance.Source {
	return provenance.Source{Instrument: "loi du 25 décembre 2016 portant des modifications diverses au Code d'instruction criminelle et au Code pénal (Moniteur belge 17-01-2017, numac 2017030017)",
		Certainty: provenance.Verified, URL: "https://etaamb.openjustice.be/nl/wet-van-25-december-2016_n2017030017.html", From: Law2016InForce()}
}

// Edition returns the source of a rule of the Code d'instruction
// criminelle as in force on day d: pre, the text before the law of 25
// December 2016 (bounded to end the day before that law's publication,
// the earliest day it can have applied), when d is before it; otherwise
// the same article as later laws left it — rewritten by the law of 25
// December 2016, possibly amended since (the law of 20 July 2022 touched
// the Code too) — whose text ccjkit has not retrieved [U], so that a rule
// judged on it is a warning naming what to check.
func Edition(pre provenance.Source, d date.Date) provenance.Source {
	pre.Until = Law2016Published()
	if pre.InForce(d) {
		return pre
	}
	return provenance.Source{Instrument: pre.Instrument, Article: pre.Article,
		Edition: "as in force after the law of 25 December 2016 (published 17 January 2017, in force then or on 27 January); text not retrieved by ccjkit", Certainty: provenance.Unverified,
		From: Law2016Published(), URL: law2016().URL}
}
