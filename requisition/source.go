package requisition

import "github.com/ccjkit/ccjkit/provenance"

// The instruments cited most, spelled once.
const (
	codeInstructionCriminelle = "Code d'instruction criminelle"
	codeJudiciaire            = "Code judiciaire"
	arrete2003                = "arrêté royal du 9 janvier 2003"
	pre2016                   = "text before the laws of 29 May and 25 December 2016"
	seedURL                   = "https://sherloc.unodc.org/cld/en/legislation/bel/code_dinstruction_criminelle/livre_primer/articles_88bisterquater/article_88-bisterquater.html"
)

// technical is the Source of one of ccjkit's own rules.
func technical(rule string) provenance.Source { return provenance.Rule(rule) }
