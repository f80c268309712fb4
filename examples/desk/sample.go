package main

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

//go:embed sample/*.json
var sample embed.FS

// Month is the demonstration's script: requisitions, and what the cell
// does with each, step by step.
type Month struct {
	Month string             `json:"month"`
	Now   timesync.Timestamp `json:"now"`
	Cases []SampleCase       `json:"cases"`
}

// SampleCase is one requisition and its script.
type SampleCase struct {
	ID          string          `json:"id"`
	About       string          `json:"about"`
	Requisition json.RawMessage `json:"requisition"`
	Script      []Step          `json:"script"`
}

// Step is one thing the cell does, some time after the one before.
type Step struct {
	After   string `json:"after"` // a Go duration; "d" days are allowed
	Do      string `json:"do"`
	Due     string `json:"due,omitempty"` // work-order: a duration
	Outcome string `json:"outcome,omitempty"`
	Data    string `json:"data,omitempty"`
	To      string `json:"to,omitempty"`
	Channel string `json:"channel,omitempty"`
	LIID    string `json:"liid,omitempty"` // intercept: the LIID the agency gave
}

// parseAfter reads a duration with optional days: "2d16h10m".
func parseAfter(s string) (time.Duration, error) {
	var days time.Duration
	if d, rest, ok := strings.Cut(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err != nil {
			return 0, err
		}
		days, s = time.Duration(n)*24*time.Hour, rest
	}
	if s == "" {
		return days, nil
	}
	d, err := time.ParseDuration(s)
	return days + d, err
}

// scheduled is a step of case c, due at instant at.
type scheduled struct {
	at   time.Time
	c    int
	step Step
}

func readSample(name string, v any) error {
	b, err := sample.ReadFile("sample/" + name)
	if err != nil {
		return err
	}
	return fileFormat().Decode(b, v)
}

// sampleData is the demonstration's data: the cell's desk.json and cell
// file, the month's requisitions and every step of their scripts, in
// the order they happen.
type sampleData struct {
	cfg   Config
	month Month
	cell  ccj.Cell
	reqs  []requisition.Requisition
	plan  []scheduled
}

// loadSample reads the embedded sample files.
func loadSample() (sampleData, error) {
	var d sampleData
	for name, v := range map[string]any{"desk.json": &d.cfg, "month.json": &d.month} {
		if err := readSample(name, v); err != nil {
			return d, fmt.Errorf("sample %s: %w", name, err)
		}
	}
	b, err := sample.ReadFile("sample/cell.json")
	if err != nil {
		return d, err
	}
	if d.cell, err = ccj.DecodeCell(b); err != nil {
		return d, fmt.Errorf("sample cell.json: %w", err)
	}
	d.reqs, d.plan, err = schedule(d.month)
	return d, err
}

// schedule decodes the month's requisitions and lays out their scripts:
// each case is received when its requisition says, and each step comes
// its After later than the one before.
func schedule(m Month) ([]requisition.Requisition, []scheduled, error) {
	reqs := make([]requisition.Requisition, len(m.Cases))
	var plan []scheduled
	for i, sc := range m.Cases {
		r, err := requisition.Decode(sc.Requisition)
		if err != nil {
			return nil, nil, fmt.Errorf("sample case %s: %w", sc.ID, err)
		}
		reqs[i] = r
		at := r.Received.Time()
		plan = append(plan, scheduled{at, i, Step{Do: "receive"}})
		for _, st := range sc.Script {
			d, err := parseAfter(st.After)
			if err != nil {
				return nil, nil, fmt.Errorf("sample case %s: %w", sc.ID, err)
			}
			at = at.Add(d)
			plan = append(plan, scheduled{at, i, st})
		}
	}
	slices.SortStableFunc(plan, func(a, b scheduled) int { return a.at.Compare(b.at) })
	return reqs, plan, nil
}

// play performs one scripted step of a sample case.
func play(reg *register.Register, sc SampleCase, req requisition.Requisition, st Step, actor string, cfg Config, v timesync.Verdict, at time.Time) error {
	// Another member may have acted since this one last looked.
	if err := reg.Refresh(); err != nil {
		return err
	}
	var err error
	switch st.Do {
	case "receive":
		_, err = reg.Receive(sc.ID, req, actor, v)
	case "check":
		_, _, err = reg.Check(sc.ID, cfg.MonthRule, actor, v)
	case "work-order":
		err = playWorkOrder(reg, sc.ID, st, actor, v, at)
	case "result":
		err = playResult(reg, sc.ID, st, actor, v, at)
	case "answer":
		_, err = reg.Answer(sc.ID, register.Delivery{To: st.To, Channel: register.Channel(st.Channel), Items: req.Items}, actor, v)
	default:
		_, err = reg.Apply(sc.ID, register.Event(st.Do), actor, v, "")
	}
	return err
}

// playWorkOrder issues a work order due st.Due after at, or by the
// case's deadline.
func playWorkOrder(reg *register.Register, id string, st Step, actor string, v timesync.Verdict, at time.Time) error {
	var due time.Time
	if st.Due != "" {
		d, err := parseAfter(st.Due)
		if err != nil {
			return err
		}
		due = at.Add(d)
	}
	_, err := reg.IssueWorkOrder(id, nil, due, actor, v)
	return err
}

// playResult attaches the technician's result of the case's last work
// order, completed at at.
func playResult(reg *register.Register, id string, st Step, actor string, v timesync.Verdict, at time.Time) error {
	c, _ := reg.Case(id)
	if len(c.WorkOrders) == 0 {
		return errors.New("no work order")
	}
	var o register.Outcome
	if err := o.UnmarshalText([]byte(st.Outcome)); err != nil {
		return err
	}
	_, err := reg.AttachResult(register.WorkResult{Ref: c.WorkOrders[len(c.WorkOrders)-1].Ref, By: "tech-1",
		Completed: timesync.FromTime(at), Outcome: o, Data: st.Data}, actor, v)
	return err
}

// demoClock is the demonstration's clock: the sample month's time, set
// step by step as the script plays. It is safe for concurrent use, as a
// timesync.Clock must be.
type demoClock struct {
	mu  sync.Mutex
	now time.Time
}

func newDemoClock(t time.Time) *demoClock { return &demoClock{now: t} }

// Now returns the time the clock was last set to.
func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set sets the clock to t.
func (c *demoClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
