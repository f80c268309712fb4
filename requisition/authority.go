package requisition

import (
	"fmt"
	"slices"
	"sync"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
)

// Authority is who signs the order.
type Authority uint8

const (
	// JugeInstruction: the investigating judge (onderzoeksrechter,
	// Untersuchungsrichter).
	JugeInstruction Authority = iota + 1
	// ProcureurDuRoi: the public prosecutor (procureur des Konings,
	// Prokurator des Königs).
	ProcureurDuRoi
	// AuditeurDuTravail: the labour prosecutor (arbeidsauditeur,
	// Arbeitsauditor), who holds the procureur's powers for social
	// criminal law.
	AuditeurDuTravail
	// OfficierPoliceJudiciaire: a judicial police officer (OPJ), acting by
	// delegation of a magistrate or, for art. 46bis, in extreme urgency
	// with the procureur's prior oral agreement.
	OfficierPoliceJudiciaire
)

// Authorities returns every authority, in the order of their constants.
func Authorities() []Authority { return authorities() }

func authorities() []Authority {
	return []Authority{JugeInstruction, ProcureurDuRoi, AuditeurDuTravail, OfficierPoliceJudiciaire}
}

// String returns the key: "juge-instruction", "procureur-du-roi",
// "auditeur-du-travail" or "officier-police-judiciaire".
func (a Authority) String() string {
	switch a {
	case JugeInstruction:
		return "juge-instruction"
	case ProcureurDuRoi:
		return "procureur-du-roi"
	case AuditeurDuTravail:
		return "auditeur-du-travail"
	case OfficierPoliceJudiciaire:
		return "officier-police-judiciaire"
	}
	return fmt.Sprintf("Authority(%d)", uint8(a))
}

// MarshalText returns the key; an unknown Authority is an error.
func (a Authority) MarshalText() ([]byte, error) { return marshalKey(a, authorities()) }

// UnmarshalText accepts the keys [Authority.String] returns.
func (a *Authority) UnmarshalText(b []byte) error {
	return unmarshalKey(a, b, authorities(), "authority")
}

// Circumstance is the situation the order invokes, which decides what an
// authority other than the juge d'instruction may order.
type Circumstance uint8

const (
	// Ordinary: no special circumstance. The zero value.
	Ordinary Circumstance = iota
	// FlagrantDelit: the offence is being or has just been committed
	// (heterdaad; in German « Ertappung auf frischer Tat », wordscope.be [S]).
	FlagrantDelit
	// ExtremeUrgency: "en cas d'extrême urgence" (art. 46bis).
	ExtremeUrgency
	// Delegation: an OPJ acts on a magistrate's delegation (art. 88quater).
	Delegation
	// PlaintiffRequest: a plaintiff asked for the measure (art. 88bis §1
	// last al., for offences of Telecom Act art. 145 §3 and §3bis).
	PlaintiffRequest
)

func circumstances() []Circumstance {
	return []Circumstance{Ordinary, FlagrantDelit, ExtremeUrgency, Delegation, PlaintiffRequest}
}

// String returns the key: "ordinary", "flagrant-delit", "extreme-urgency",
// "delegation" or "plaintiff-request".
func (c Circumstance) String() string {
	switch c {
	case Ordinary:
		return "ordinary"
	case FlagrantDelit:
		return "flagrant-delit"
	case ExtremeUrgency:
		return "extreme-urgency"
	case Delegation:
		return "delegation"
	case PlaintiffRequest:
		return "plaintiff-request"
	}
	return fmt.Sprintf("Circumstance(%d)", uint8(c))
}

// MarshalText returns the key; an unknown Circumstance is an error.
func (c Circumstance) MarshalText() ([]byte, error) { return marshalKey(c, circumstances()) }

// UnmarshalText accepts the keys [Circumstance.String] returns.
func (c *Circumstance) UnmarshalText(b []byte) error {
	return unmarshalKey(c, b, circumstances(), "circumstance")
}

// Addressee is who an order names as the person who must cooperate, where
// the law protects some persons from it.
type Addressee uint8

const (
	// AnyPerson: the operator or a person of its staff. The zero value.
	AnyPerson Addressee = iota
	// Inculpe: the person charged (inculpé, verdachte).
	Inculpe
	// Article156Person: a person art. 156 of the Code d'instruction
	// criminelle excuses from testifying against the accused (close
	// relatives).
	Article156Person
)

func addressees() []Addressee { return []Addressee{AnyPerson, Inculpe, Article156Person} }

// String returns "any", "inculpe" or "article-156".
func (a Addressee) String() string {
	switch a {
	case AnyPerson:
		return "any"
	case Inculpe:
		return "inculpe"
	case Article156Person:
		return "article-156"
	}
	return fmt.Sprintf("Addressee(%d)", uint8(a))
}

// MarshalText returns the key; an unknown Addressee is an error.
func (a Addressee) MarshalText() ([]byte, error) { return marshalKey(a, addressees()) }

// UnmarshalText accepts the keys [Addressee.String] returns.
func (a *Addressee) UnmarshalText(b []byte) error {
	return unmarshalKey(a, b, addressees(), "addressee")
}

// CooperationKind is which paragraph of art. 88quater an order uses.
type CooperationKind uint8

const (
	// CooperationInformation: §1 — information on how a system works and
	// how to access it or its data, in an understandable form; by a
	// reasoned order.
	CooperationInformation CooperationKind = iota + 1
	// CooperationOperation: §2 — operating the system, or searching,
	// making accessible, copying, making inaccessible or removing data;
	// not against the inculpé or the persons of art. 156.
	CooperationOperation
)

func cooperationKinds() []CooperationKind {
	return []CooperationKind{CooperationInformation, CooperationOperation}
}

// String returns "information" or "operation".
func (k CooperationKind) String() string {
	switch k {
	case CooperationInformation:
		return "information"
	case CooperationOperation:
		return "operation"
	}
	return fmt.Sprintf("CooperationKind(%d)", uint8(k))
}

// MarshalText returns the key; "" for the zero value.
func (k CooperationKind) MarshalText() ([]byte, error) { return marshalKey(k, cooperationKinds()) }

// UnmarshalText accepts "information", "operation" or "".
func (k *CooperationKind) UnmarshalText(b []byte) error {
	return unmarshalKey(k, b, cooperationKinds(), "cooperation kind")
}

// Hint lists the valid text forms, for decoding errors.
func (CooperationKind) Hint() string { return hint(cooperationKinds()) }

// OffenceList is a list of offences the law refers to.
type OffenceList uint8

const (
	// List90ter: the offences of art. 90ter §§2-4 of the Code d'instruction
	// criminelle, for which interception — and, in flagrant délit, an 88bis
	// order of the procureur — may be ordered.
	List90ter OffenceList = iota + 1
	// ListNoConfirmation: Penal Code arts. 347bis (hostage-taking) and 470
	// (extortion), for which the procureur's flagrant-délit 88bis order
	// needs no confirmation while the flagrant délit lasts (art. 88bis §1
	// al. 5).
	ListNoConfirmation
	// ListPlaintiff: Telecom Act art. 145 §3 and §3bis, for which the
	// procureur may order an 88bis measure at a plaintiff's request (art.
	// 88bis §1 last al.).
	ListPlaintiff
)

func offenceLists() []OffenceList { return []OffenceList{List90ter, ListNoConfirmation, ListPlaintiff} }

// String returns "90ter", "no-confirmation" or "plaintiff".
func (l OffenceList) String() string {
	switch l {
	case List90ter:
		return "90ter"
	case ListNoConfirmation:
		return "no-confirmation"
	case ListPlaintiff:
		return "plaintiff"
	}
	return fmt.Sprintf("OffenceList(%d)", uint8(l))
}

// MarshalText returns the key; an unknown list is an error.
func (l OffenceList) MarshalText() ([]byte, error) { return marshalKey(l, offenceLists()) }

// UnmarshalText accepts the keys [OffenceList.String] returns.
func (l *OffenceList) UnmarshalText(b []byte) error {
	return unmarshalKey(l, b, offenceLists(), "offence list")
}

// Offence is an offence or group of offences an order may invoke.
type Offence struct {
	// ID is the stable key used in requisitions, such as "penal-347bis" or
	// "90ter-terrorism".
	ID string `json:"id"`
	// Label describes the offence in English, for people; the law's own
	// wording is in the source.
	Label  string            `json:"label"`
	Lists  []OffenceList     `json:"lists"`
	Source provenance.Source `json:"source"`
}

// Offences returns the catalogue of offences the rules refer to. The art.
// 90ter §§2-4 entries are the categories the European Judicial Network's
// Belgian fiche lists [V, paraphrased]; the precise articles of the Penal
// Code behind each category are in art. 90ter itself, not retrieved in full
// [U]. A new slice is returned on each call.
func Offences() []Offence {
	out := slices.Clone(offenceCatalogue())
	for i := range out {
		out[i].Lists = slices.Clone(out[i].Lists)
	}
	return out
}

// offenceCatalogue is built once and never modified; Offences hands out
// copies.
var offenceCatalogue = sync.OnceValue(buildOffences)

func buildOffences() []Offence {
	ejn := provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 90ter §§2-4", Edition: "categories as listed by the EJN Belgian fiche",
		Certainty: provenance.Verified, URL: "https://www.ejn-crimjust.europa.eu/ejn2021/FichesBelgesDetail/EN/A.50/230/-1"}
	penal88bis := provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88bis §1 al. 5", Edition: pre2016, Certainty: provenance.Verified, URL: seedURL}
	plaintiff := provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88bis §1 al. 6, citing loi du 13 juin 2005 art. 145 §3 and §3bis",
		Edition: pre2016, Certainty: provenance.Verified, URL: seedURL}
	out := []Offence{
		{"penal-347bis", "hostage-taking (Penal Code art. 347bis)", []OffenceList{List90ter, ListNoConfirmation}, penal88bis},
		{"penal-470", "extortion (Penal Code art. 470)", []OffenceList{ListNoConfirmation}, penal88bis},
		{"telecom-145-3", "fraudulent or harmful use of electronic communications (Telecom Act art. 145 §3)", []OffenceList{ListPlaintiff}, plaintiff},
		{"telecom-145-3bis", "use of electronic communications to harass a correspondent (Telecom Act art. 145 §3bis)", []OffenceList{ListPlaintiff}, plaintiff},
	}
	for _, c := range [][2]string{
		{"attack-on-the-king", "attacks on the King, the royal family or the government"},
		{"humanitarian-law", "serious violations of international humanitarian law"},
		{"terrorism", "terrorist offences"},
		{"abuse-by-officials", "violations of constitutional rights by public officials"},
		{"computer-crime", "computer crime"},
		{"corruption", "corruption"},
		{"secrecy-of-communications", "illegal interception and breaches of the secrecy of communications"},
		{"serious-threats", "serious threats"},
		{"criminal-organisation", "criminal organisation"},
		{"sexual-offences", "sexual offences and sexual exploitation of minors, grooming"},
		{"murder", "murder"},
		{"kidnapping-of-minors", "kidnapping of minors"},
		{"trafficking", "trafficking in human beings and in organs"},
		{"serious-theft", "serious theft, robbery with murder"},
		{"nuclear-material", "offences involving nuclear material"},
		{"counterfeiting", "counterfeiting"},
		{"fraud", "certain frauds and fencing"},
		{"arson-explosives", "certain arson and explosives offences"},
		{"drugs", "drug offences"},
		{"telecom-abuse", "abuse of telecommunications"},
		{"arms", "arms offences"},
		{"smuggling-of-persons", "smuggling of persons"},
		{"hormones", "hormone offences"},
	} {
		out = append(out, Offence{"90ter-" + c[0], c[1], []OffenceList{List90ter}, ejn})
	}
	return out
}

// LookupOffence returns the catalogue entry with the given ID.
func LookupOffence(id string) (Offence, bool) {
	for _, o := range offenceCatalogue() {
		if o.ID == id {
			o.Lists = slices.Clone(o.Lists)
			return o, true
		}
	}
	return Offence{}, false
}

// In reports whether the offence is on list l.
func (o Offence) In(l OffenceList) bool { return slices.Contains(o.Lists, l) }

// LabelIn describes the offence in the language tag asks for (French,
// Dutch, German; English otherwise): Label, translated. An offence
// outside the catalogue is described by its Label as it is.
func (o Offence) LabelIn(tag language.Tag) string {
	key := "offence:" + o.ID
	if !messages().Has(tag, key) {
		return o.Label
	}
	return printer(tag).Sprintf(key)
}

// Hint lists the valid text forms, for decoding errors.
func (Authority) Hint() string { return hint(authorities()) }

// Hint lists the valid text forms, for decoding errors.
func (Circumstance) Hint() string { return hint(circumstances()) }

// Hint lists the valid text forms, for decoding errors.
func (Addressee) Hint() string { return hint(addressees()) }

// Hint lists the valid text forms, for decoding errors.
func (OffenceList) Hint() string { return hint(offenceLists()) }
