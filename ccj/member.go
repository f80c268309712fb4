package ccj

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/internal/ident"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// ChannelKind is how a member is reached.
type ChannelKind string

// The channels a contact sheet knows.
const (
	Phone  ChannelKind = "phone"  // E.164, "+32..."
	Email  ChannelKind = "email"  // local@domain
	Signal ChannelKind = "signal" // free text: number or username
	Matrix ChannelKind = "matrix" // free text: @user:server
	Other  ChannelKind = "other"  // free text
	// Ntfy is an ntfy topic the member's phone subscribes to, as the URL
	// a page is published to: "https://ntfy.example.be/ccj-alice-7f3a"
	// (https://docs.ntfy.sh/publish/). Anyone who knows a topic on a
	// public server can read and publish to it, so its name is a secret:
	// it is a paging channel, not one the contact sheet prints.
	Ntfy ChannelKind = "ntfy"
	// Webhook is an address a page is posted to as JSON, for a member's
	// own relay (a home server, a gateway): "https://hooks.example.be/ccj".
	// A program's endpoint, not printed on the contact sheet either.
	Webhook ChannelKind = "webhook"
)

// Channel is one way to reach a member.
type Channel struct {
	Kind  ChannelKind `json:"kind"`
	Value string      `json:"value"`
}

// Role is a member's standing in the cell.
type Role string

// The roles of members.
const (
	// CellMember is a member of the operator's own staff or association.
	CellMember Role = "member"
	// ThirdParty is a person or firm the operator appointed under contract
	// to act as (a member of) its cell, as practitioners describe for
	// small operators (Timelex, "outsourcing your justice coordination
	// cell" [S]).
	ThirdParty Role = "third-party"
)

// AdviceStatus is where a member's security advice stands.
type AdviceStatus string

// The states of a security advice (avis de sécurité, under the law of 11
// December 1998 on classification and security clearances). "Expired" is
// not a state of its own: it follows from the date, see [Advice.ValidOn].
const (
	AdviceNone     AdviceStatus = ""         // not applied for
	AdvicePending  AdviceStatus = "pending"  // applied for, no decision yet
	AdvicePositive AdviceStatus = "positive" // granted
	AdviceNegative AdviceStatus = "negative" // refused
)

// AdviceYears is how long a positive security advice lasts: it is renewed
// every five years (Timelex's note on the cell [S], also in Neutrinet's
// post of 10 February 2021, the project's seed).
const AdviceYears = 5

// Advice is a member's security advice.
type Advice struct {
	Status AdviceStatus `json:"status"`
	// Granted is the day the positive advice was given.
	Granted date.Date `json:"granted,omitzero"`
	// Reference is the advice's reference number.
	Reference string `json:"reference,omitempty"`
}

// LastDay returns the last day on which a positive advice is valid: the
// day before the fifth anniversary of Granted, by ccjkit's calendar rule
// [T] (the text that sets the five years was not retrieved, so neither was
// its counting rule). Granted 2021-06-15, the last day is 2026-06-14. An
// advice granted on 29 February lasts to the last day of February of the
// fifth year, so that it lasts at least five full years: granted
// 2024-02-29, last day 2029-02-28, lapsed from 2029-03-01 00:00. It
// returns the zero Date when Granted is zero.
// Ends follow timesync's convention: [Advice.End] is the first instant too
// late.
func (a Advice) LastDay() date.Date {
	if a.Granted == 0 {
		return 0
	}
	y, m, d := a.Granted.Date()
	return date.New(y+AdviceYears, m, d) - 1 // time.Date normalises 29 February to 1 March
}

// End returns the first instant at which the advice has lapsed: 00:00
// Brussels time on the day after [Advice.LastDay] (timesync.DayEnd). The
// member may answer requisitions at instants strictly before End. It
// returns the zero time when Granted is zero.
func (a Advice) End() time.Time {
	if a.Granted == 0 {
		return time.Time{}
	}
	return timesync.DayEnd(a.LastDay())
}

// ValidOn reports whether the advice is positive and in force on day d.
func (a Advice) ValidOn(d date.Date) bool {
	return a.Status == AdvicePositive && a.Granted != 0 && a.Granted <= d && d <= a.LastDay()
}

// Member is a person of the cell.
type Member struct {
	// ID is a short stable identifier, used by the rota ("alice").
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Channels []Channel `json:"channels"`
	// ResidesInBelgium says the member lives in Belgium now, and
	// ResidentSince since when. YearsInBelgium is how many years in all a
	// member who lives abroad has lived in Belgium: practitioners describe
	// a member as "a person in Belgium, or one who has lived in Belgium
	// for at least five years" (Timelex [S]).
	ResidesInBelgium bool      `json:"resides_in_belgium"`
	ResidentSince    date.Date `json:"resident_since,omitzero"`
	YearsInBelgium   int       `json:"years_in_belgium,omitzero"`
	Role             Role      `json:"role"`
	// Contract is the reference of the contract that appoints a
	// third-party member.
	Contract string `json:"contract,omitempty"`
	Advice   Advice `json:"advice"`
}

// Eligible reports whether the member may answer requests on day d: only
// members with a valid positive security advice may (BIPT, practical
// information for operators [V]).
func (m Member) Eligible(d date.Date) bool { return m.Advice.ValidOn(d) }

// Phone returns the member's first phone number, or "": the number
// [Member.Contact] gives to call.
func (m Member) Phone() string { return m.first(Phone) }

// first returns the value of the member's first channel of kind k, or "".
func (m Member) first(k ChannelKind) string {
	for _, c := range m.Channels {
		if c.Kind == k {
			return c.Value
		}
	}
	return ""
}

// Contact is how to reach a member, read from the member's channels. It is
// the one reading of them that the calendar ([Cell.ExportICalendar]: the
// ATTENDEE and the DESCRIPTION), the contact sheet ([Cell.ContactSheet])
// and paging use, so that none of them says something else.
type Contact struct {
	// ID and Name are the member's.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Phone is the member's first phone channel (E.164), "" for none: the
	// number to call.
	Phone string `json:"phone,omitempty"`
	// Email is the member's first e-mail channel, "" for none: the
	// member's address in a calendar.
	Email string `json:"email,omitempty"`
	// Paging lists, in the member's order, the channels an alert may be
	// sent to: every phone (a call or a text message), Signal, Matrix,
	// ntfy and webhook channel. E-mail is left out, as nobody is woken by
	// it, and so is "other", free text no program can send to [T].
	Paging []Channel `json:"paging,omitempty"`
	// Channels are the member's channels in their order, for people to
	// read (the contact sheet lists them): all but the ntfy topics and
	// webhooks, addresses for programs whose knowledge lets anyone page
	// the member.
	Channels []Channel `json:"channels"`
}

// Contact returns how to reach the member.
func (m Member) Contact() Contact {
	c := Contact{ID: m.ID, Name: m.Name, Phone: m.Phone(), Email: m.first(Email), Channels: []Channel{}}
	for _, ch := range m.Channels {
		switch ch.Kind {
		case Phone, Signal, Matrix, Ntfy, Webhook:
			c.Paging = append(c.Paging, ch)
		}
		if ch.Kind != Ntfy && ch.Kind != Webhook {
			c.Channels = append(c.Channels, ch)
		}
	}
	return c
}

// Contact returns how to reach the member with the given ID.
func (c Cell) Contact(id string) (Contact, bool) {
	m, ok := c.Member(id)
	if !ok {
		return Contact{}, false
	}
	return m.Contact(), true
}

// calendarAddress is the contact's address in a calendar (RFC 5545
// CAL-ADDRESS, a URI): mailto: the e-mail, else tel: the phone (RFC 3966),
// else "" (no address: the calendar names the member without one).
func (c Contact) calendarAddress() string {
	switch {
	case c.Email != "":
		return "mailto:" + c.Email
	case c.Phone != "":
		return "tel:" + c.Phone
	}
	return ""
}

// validate returns every problem with the member's papers on day d: name,
// channels, role, residence and advice. Its identifier is the cell's
// concern ([Cell.Check]).
func (m Member) validate(d date.Date, field string) []provenance.Finding {
	var out []provenance.Finding
	add := func(sev provenance.Severity, sub string, msg string, args ...any) {
		out = append(out, memberFinding(sev, field+sub, msg, args...))
	}
	if strings.TrimSpace(m.Name) == "" {
		add(provenance.Error, ".name", "the member has no name")
	}
	if len(m.Channels) == 0 {
		add(provenance.Error, ".channels", "the member cannot be reached: no contact channel")
	}
	for i, c := range m.Channels {
		sub := fmt.Sprintf(".channels[%d]", i)
		switch c.Kind {
		case Phone:
			if !ident.IsE164(c.Value) {
				add(provenance.Error, sub, "the phone number is not in E.164 form (+ then 8 to 15 digits)")
			}
		case Email:
			if a, err := mail.ParseAddress(c.Value); err != nil || a.Address != c.Value {
				add(provenance.Error, sub, "the e-mail address is not local@domain")
			}
		case Signal, Matrix, Other:
			if strings.TrimSpace(c.Value) == "" {
				add(provenance.Error, sub, "the channel is empty")
			}
		case Ntfy, Webhook:
			if !pagingURL(c.Kind, c.Value) {
				add(provenance.Error, sub, "the address is not an https URL without credentials (http only on this machine's loopback)")
			}
		default:
			add(provenance.Error, sub, "unknown channel kind")
		}
	}
	switch m.Role {
	case CellMember:
	case ThirdParty:
		if m.Contract == "" {
			add(provenance.Error, ".contract", "a third-party member needs the reference of the contract that appoints them")
		}
	default:
		add(provenance.Error, ".role", "the role is neither member nor third-party")
	}
	if m.ResidentSince != 0 && m.ResidentSince > d {
		add(provenance.Error, ".resident_since", "the residence starts in the future")
	}
	if m.YearsInBelgium < 0 || m.YearsInBelgium > 150 {
		add(provenance.Error, ".years_in_belgium", "the years lived in Belgium are out of range")
	}
	switch m.Advice.Status {
	case AdviceNone, AdvicePending, AdviceNegative:
		if m.Advice.Granted != 0 {
			add(provenance.Error, ".advice.granted", "a grant date is recorded for an advice that is not positive")
		}
	case AdvicePositive:
		if m.Advice.Granted == 0 {
			add(provenance.Error, ".advice.granted", "a positive advice needs its grant date")
		} else if m.Advice.Granted > d {
			add(provenance.Error, ".advice.granted", "the advice is granted in the future")
		}
		if m.Advice.Reference == "" {
			add(provenance.Warning, ".advice.reference", "the positive advice has no reference number")
		}
	default:
		add(provenance.Error, ".advice.status", "unknown advice status")
	}
	return out
}

// pagingURL reports whether s is an address an ntfy or webhook channel
// may hold: an absolute https URL — http only to a loopback host
// (localhost, 127.0.0.0/8, ::1), where nothing crosses a network in the
// clear — with a host, no user or password (a secret in the address
// would be shown wherever the address is) and no fragment; an ntfy
// topic's URL also names the topic (a path) and has no query, since the
// page's own headers say the rest [T].
func pagingURL(k ChannelKind, s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return false
		}
	default:
		return false
	}
	if k == Ntfy && (strings.Trim(u.Path, "/") == "" || u.RawQuery != "" || u.ForceQuery) {
		return false
	}
	return true
}

// loopback reports whether host names this machine: localhost or a
// loopback address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validID reports whether id is a short identifier without spaces,
// commas or slashes, as the rota and the register name members.
func validID(id string) bool {
	return strings.TrimSpace(id) != "" && !strings.ContainsAny(id, " \t\r\n,/")
}

func memberFinding(sev provenance.Severity, field, key string, args ...any) provenance.Finding {
	return newFinding("member", sev, field, technicalSource("member records"), ErrMember, key, args...)
}
