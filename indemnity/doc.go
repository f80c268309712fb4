// Package indemnity prices the judicial requests an operator executed and
// writes the claim (état de frais / kostenstaat) the State pays.
//
// The State pays operators a fixed amount per executed request: royal
// decree of 9 January 2003, annex, as replaced by the royal decree of 31
// January 2013 and then by the royal decree of 8 November 2016, in force 1
// January 2017. Only part of those annexes is known to ccjkit.
//
// # The tariff, with its gaps
//
// [Tariff] reads the embedded tariff.csv — the one source of truth, parsed
// at run time, so code and data cannot drift. Each [Line] has a code, the
// annex's own French and Dutch wording where retrieved, ccjkit's labels in
// four languages (German and English unofficial), its unit, its amount as
// an exact decimal, its source and certainty, and the days it is in force:
//
//	BE2017-1  real-time observation          92.00  per request  [S]
//	BE2017-2  historical data observation    80.00  per request  [S]
//	BE2017-3  observation in a network      115.00  per request  [V]
//	BE2017-4  fourth tariff (interception?) unknown per request  [U]
//	BE2017-F  annual forfait                unknown per year     [S]
//	BE2017-S  specific requests             unknown              [S]
//	BE2013-IP   IP address identification    8.00  per request  [S]  (2013 edition)
//	BE2013-INT  interception activation     12.50  per request  [S]  (2013 edition)
//
// An unknown amount is never guessed: pricing a request that needs it is
// an error ([ErrUnknownAmount]) naming the line and its source. The caller
// may supply the amount through [Overrides], with the source it comes from;
// the claim prints that source.
//
// # Pricing and the claim
//
// A [Pricer] maps each [Executed] request to the line in force on the day
// of execution (or of the order: [DateBasis]) and explains the price.
// [NewClaim] prices a list of executed requests — reporting every request
// it cannot price, not just the first, each as a [provenance.Finding] of
// one [*provenance.Problems] (the one problem-list error of ccjkit, which
// [DecodeClaim] and [ParseTariff] return too) — and builds a [Claim] with
// exact totals. Money is an [Amount]: an exact decimal that is never a float,
// rounded to the cent half away from zero only where a caller-supplied
// [Rate] (a multiplier, VAT) creates fractions of a cent. VAT and
// multipliers have no default: the caller supplies them with their source,
// and the claim says which were applied.
//
// # Rendering
//
// [Claim.Text] writes the claim in French, Dutch, German or English with
// Belgian money formats ([Amount.Format]: 436,00 € in French, € 436,00 in
// Dutch); [Claim.CSV] and encoding/json serve accounting tools. The
// printable PDF is in the sub-package indemnity/pdf, so that importers who
// do not print pull no PDF dependency.
package indemnity
