package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// WatchConfig is desk.json's watch section: which of the cell's standing
// duties desk watch checks, how often, and how far ahead. A duty found
// failing is a cell alert (paging.Condition): recorded in the register,
// paged to the member on call and escalated like a request, until it is
// acknowledged or the watch finds it gone. Without the section, every
// duty is checked with the defaults below.
type WatchConfig struct {
	// Checks are the conditions checked: clock, register, rota, advice,
	// retention. Absent means all; [] means none (the watch then only
	// pages requests).
	Checks *[]paging.Condition `json:"checks,omitempty"`
	// ClockEvery is how often the clock is checked, a Go duration
	// (default 1m): chronyd's verdict, as every step the desk records
	// takes it.
	ClockEvery string `json:"clock_every,omitempty"`
	// Chronyc is the chronyc program asked (default "chronyc" on PATH),
	// ChronySocket chronyd's command socket (default chronyc's).
	Chronyc      string `json:"chronyc,omitempty"`
	ChronySocket string `json:"chrony_socket,omitempty"`
	// RotaDays is how many days ahead the rota must leave no gap
	// (default 14); AdviceDays how early an expiring security advice
	// raises an alert (default 90). Both are checked once a day, with
	// the register's verification and the retention housekeeping.
	RotaDays   int `json:"rota_days,omitempty"`
	AdviceDays int `json:"advice_days,omitempty"`
	// Retention is the retention store the watch purges of what is past
	// its period, and verifies, once a day. Without it the retention
	// check finds nothing to do.
	Retention *WatchRetention `json:"retention,omitempty"`
}

// WatchRetention is the retention store desk watch keeps: the same
// directories and periods as desk retention's flags.
type WatchRetention struct {
	// Store is the store's directory (default DIR/retention).
	Store string `json:"store,omitempty"`
	// Keys is the keys' directory, outside the store. Required.
	Keys string `json:"keys"`
	// MappingMonths and MappingPolicy are how long NAT mappings are
	// kept and the document that decides it (desk retention
	// -mapping-months, -mapping-policy).
	MappingMonths int    `json:"mapping_months,omitempty"`
	MappingPolicy string `json:"mapping_policy,omitempty"`
}

// checks returns the conditions the watch checks.
func (c *WatchConfig) checks() []paging.Condition {
	if c == nil || c.Checks == nil {
		return paging.Conditions()
	}
	return *c.Checks
}

// clockEvery returns how often the clock is checked.
func (c *WatchConfig) clockEvery() (time.Duration, error) {
	if c == nil || c.ClockEvery == "" {
		return time.Minute, nil
	}
	d, err := time.ParseDuration(c.ClockEvery)
	if err != nil || d < time.Second {
		return 0, inputErr("desk.json: watch.clock_every is a Go duration of a second or more (1m)")
	}
	return d, nil
}

func (c *WatchConfig) days() (rota, advice int) {
	rota, advice = 14, 90
	if c != nil && c.RotaDays > 0 {
		rota = c.RotaDays
	}
	if c != nil && c.AdviceDays > 0 {
		advice = c.AdviceDays
	}
	return rota, advice
}

// watchState is what a running watch remembers between passes: when it
// last checked the clock, and on which Brussels day it last made the
// daily checks. A restart forgets it and checks everything at its first
// pass.
type watchState struct {
	clockAt time.Time
	day     string
	// pendingDay is the day whose checks were made but not yet recorded.
	pendingDay string
}

// checkDuties checks the conditions that are due at the clock's now —
// the clock every ClockEvery, the others once a Brussels day — and
// returns, for each one checked, whether it holds (the duty fails).
// Every check is a fact the watch can see without reading a case: the
// clock's verdict, the register's verification, the rota and the
// members' advices, the retention store's housekeeping.
func (s *session) checkDuties(ctx context.Context, reg *register.Register, cell ccj.Cell, st *watchState, log *slog.Logger) (map[paging.Condition]bool, error) {
	wc := s.cfg.Watch
	every, err := wc.clockEvery()
	if err != nil {
		return nil, err
	}
	now := s.now()
	today := timesync.Day(now).String()
	daily := st.day != today
	out := map[paging.Condition]bool{}
	for _, c := range wc.checks() {
		switch c {
		case paging.ClockCondition:
			if !st.clockAt.IsZero() && now.Sub(st.clockAt) < every {
				continue
			}
			vouched := s.clockVouched(ctx)
			if ctx.Err() != nil {
				continue // stopped during the check: no verdict, no alert
			}
			st.clockAt = now
			out[c] = !vouched
		case paging.RegisterCondition:
			if daily {
				out[c] = s.registerFails(ctx, log)
			}
		case paging.RotaCondition, paging.AdviceCondition:
			if daily {
				rota, advice := wc.days()
				findings := cell.Report(now, ccj.ReportOptions{Horizon: time.Duration(rota) * 24 * time.Hour, RenewalNotice: time.Duration(advice) * 24 * time.Hour})
				out[c] = reportHolds(c, findings)
			}
		case paging.RetentionCondition:
			if daily {
				out[c] = s.retentionFails(reg, log)
			}
		}
	}
	if daily {
		st.pendingDay = today
	}
	return out, nil
}

// recorded tells the state that the checks' results were recorded: the
// day's checks are done. Until then, each pass checks them again, so that
// a result the register could not take is found, logged and offered
// again at every pass.
func (st *watchState) recorded() {
	if st.pendingDay != "" {
		st.day, st.pendingDay = st.pendingDay, ""
	}
}

// clockVouched reports whether chronyd vouches for the clock to the
// second (timesync.Verdict.Compliant).
func (s *session) clockVouched(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	src := timesync.Chrony{Timeout: 2 * time.Second}
	if wc := s.cfg.Watch; wc != nil {
		src.Command, src.Socket = wc.Chronyc, wc.ChronySocket
	}
	return timesync.Check(ctx, s.clock, timesync.Policy{}, src).Compliant()
}

// registerFails verifies the register's journal as desk verify does
// (chain, signatures, roster), streaming it — in PostgreSQL, every row
// against its frame too (registerFailsPostgres).
func (s *session) registerFails(ctx context.Context, log *slog.Logger) bool {
	dsn, err := s.registerDSN()
	if err == nil && dsn != "" {
		err = s.registerFailsPostgres(ctx, dsn)
	}
	if err != nil {
		log.Error("the register does not verify: run desk verify", "error", errorText(err, s.tag))
		return true
	}
	if dsn != "" {
		return false
	}
	path := journalPath(s.dir)
	audit, sum, scanErr := register.AuditJournal(path, journal.ScanOptions{})
	if err := s.verifyProblem(path, audit, sum, scanErr, nil); err != nil {
		log.Error("the register does not verify: run desk verify", "error", errorText(err, s.tag))
		return true
	}
	return false
}

// reportHolds reports whether the cell's compliance report shows the
// condition: a gap in the rota over the horizon, or an advice that
// expires within the notice (or no member with a valid one).
func reportHolds(c paging.Condition, findings []provenance.Finding) bool {
	return slices.ContainsFunc(findings, func(f provenance.Finding) bool {
		switch c {
		case paging.RotaCondition:
			return f.Rule == "coverage" && f.Severity == provenance.Error
		case paging.AdviceCondition:
			return f.Rule == "advice-renewal" || (f.Rule == "advice" && f.Severity == provenance.Error)
		}
		return false
	})
}

// retentionFails purges the retention store of what is past its period
// and verifies its files, as desk retention purge and verify do, without
// opening any record (the watch holds no reader's key): a period that a
// hold keeps in part needs a member to separate it, and fails here until
// one runs desk retention purge.
func (s *session) retentionFails(reg *register.Register, log *slog.Logger) bool {
	wc := s.cfg.Watch
	if wc == nil || wc.Retention == nil {
		return false
	}
	r := wc.Retention
	st, err := s.openRetention(reg, nil, retentionSpec{store: r.Store, keys: r.Keys, mappingMonths: r.MappingMonths, mappingPolicy: r.MappingPolicy})
	if err != nil {
		log.Error("retention: the store does not open", "error", errorText(err, s.tag))
		return true
	}
	defer st.Close()
	rep, err := st.Purge()
	if len(rep.Destroyed) > 0 {
		log.Info("retention purge", "periods destroyed", len(rep.Destroyed))
	}
	if err != nil {
		log.Error("retention: the purge failed", "error", errorText(err, s.tag))
		return true
	}
	if _, err := st.Verify(); err != nil {
		log.Error("retention: the store does not verify", "error", errorText(err, s.tag))
		return true
	}
	return false
}

// trustedAlerts returns the alerts the register's watch records tell:
// alert records signed by a watch identity, anything else left out.
func trustedAlerts(reg *register.Register) []paging.Alert {
	members := reg.Members()
	var records []paging.AlertRecord
	for _, sub := range reg.Submissions() {
		if sub.Type != paging.AlertRecordType {
			continue
		}
		if role, _ := register.RoleAt(members, sub.By, sub.Seq); role != register.RoleWatch {
			continue
		}
		if r, err := paging.DecodeAlertRecord(sub.Data); err == nil {
			records = append(records, r)
		}
	}
	return paging.Alerts(records)
}

// recordAlerts opens an alert for each condition that holds and has none
// open, and clears the open one of each condition checked that no longer
// holds, signed by id. It reports whether it recorded anything.
func (s *session) recordAlerts(reg *register.Register, id register.Identity, checked map[paging.Condition]bool) (bool, error) {
	open := map[paging.Condition]paging.Alert{}
	for _, a := range trustedAlerts(reg) {
		if a.Open() {
			open[a.Condition] = a
		}
	}
	now := timesync.Now(s.clock).Time()
	wrote := false
	for _, c := range paging.Conditions() {
		holds, checkedNow := checked[c]
		a, isOpen := open[c]
		var rec paging.AlertRecord
		switch {
		case !checkedNow:
			continue
		case holds && !isOpen:
			rec = paging.AlertRecord{Alert: paging.AlertID(c, now)}
		case !holds && isOpen:
			rec = paging.AlertRecord{Alert: a.ID, Cleared: paging.ClearAt(a.ID, now)}
		default:
			continue
		}
		if err := rec.Check(); err != nil {
			return wrote, err
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return wrote, err
		}
		store, err := s.registerStore()
		if err == nil {
			_, err = register.SubmitTo(store, id, paging.AlertRecordType, b)
		}
		if err != nil {
			return wrote, errors.Join(errors.New("an alert could not be recorded"), err)
		}
		wrote = true
	}
	return wrote, nil
}
