// Package lesson is what a course page sets its student, pure Go: a
// challenge read from the URL, checked against the race's curves and
// graded (for Open edX's JSInput, an iframe-exercise host and status()),
// and the locks on settings and controls that keep the student on the
// lesson.
//
// The page's scripts only show what it decides: the app reads the URL
// with Parse (through pageurl), checks the challenge after every
// snapshot with Check, and keeps the student's prediction (Predict).
package lesson

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"nnesim/core/mnist"
	"nnesim/core/settings"
)

// A Kind is one kind of challenge: its name in challenge=, the
// parameters it reads and what it asks.
type Kind struct {
	Name   string   `json:"name"`
	Params []string `json:"params"`
	Doc    string   `json:"doc"`
}

// Kinds are the challenges a course may set.
var Kinds = []Kind{
	{"reach", []string{"goal", "within", "rule"},
		"reach goal% test accuracy with the run of rule (default: the first run) by step within of its first phase (generations for NNE and ES, epochs for the others), by choosing its settings; checked at the run's evaluations (eval-every), so within is best a multiple of it"},
	{"predict", []string{"goal", "by"},
		"predict, before the race starts, which run passes goal% test accuracy first, by training seconds (by=seconds, the default, as the race's chart shows it) or by steps (by=steps)"},
	{"draw", []string{"goal", "count", "rule"},
		"draw at least count digits with My digits (default 10) of which the run of rule (default: the first run) reads goal% right, scored with Score every run"},
}

// Params are the URL parameters of a challenge; challenge= names its
// kind. They are page parameters (learner.PageParams), with Lock.
var Params = []string{"challenge", "goal", "within", "rule", "by", "count"}

// LockParam is the URL parameter that locks settings and controls.
const LockParam = "lock"

// MaxWithin is the most steps a reach challenge may allow.
const MaxWithin = 10_000_000

// MaxCount is the most drawings a draw challenge may ask for: as many
// as My digits keeps.
const MaxCount = mnist.MaxMine

// defaultCount is how many drawings a draw challenge asks for without
// count=.
const defaultCount = 10

// Challenge is what a course asks of its student.
type Challenge struct {
	Kind string `json:"kind"`
	// Goal is the test accuracy to pass, a fraction in (0, 1].
	Goal float64 `json:"goal"`
	// Within is reach's last step, in the unit of the run's first phase.
	Within int `json:"within,omitempty"`
	// Rule is reach's run: the first run of this rule ("" the first
	// run of the race).
	Rule string `json:"rule,omitempty"`
	// By is what predict compares: "seconds" or "steps".
	By string `json:"by,omitempty"`
	// Count is the fewest drawings a draw challenge scores.
	Count int `json:"count,omitempty"`
}

// Parse reads the challenge of q: nil when q sets none. rules are the
// rule names rule= may take. A wrong parameter is reported in words that
// name it, quote the value (settings.Clip) and say what it takes; a
// challenge with a wrong parameter is dropped whole, so that a student
// is never graded against a goal the teacher did not write.
func Parse(q url.Values, rules []string) (*Challenge, []string) {
	get := func(name string) (string, bool) {
		vs, ok := q[name]
		if !ok || len(vs) == 0 {
			return "", false
		}
		return strings.TrimSpace(vs[len(vs)-1]), true
	}
	kindName, ok := get("challenge")
	if !ok || kindName == "" {
		var errs []string
		for _, p := range Params[1:] {
			if _, set := get(p); set {
				errs = append(errs, p+"= is a challenge's parameter, but the URL sets no challenge=; want challenge="+strings.Join(kindNames(), " or "))
			}
		}
		return nil, errs
	}
	i := slices.IndexFunc(Kinds, func(k Kind) bool { return k.Name == kindName })
	if i < 0 {
		return nil, []string{"challenge=" + settings.Clip(kindName) + ": want " + strings.Join(kindNames(), " or ")}
	}
	kind := Kinds[i]
	c := &Challenge{Kind: kind.Name}
	var errs []string
	for _, p := range Params[1:] {
		if _, set := get(p); set && !slices.Contains(kind.Params, p) {
			errs = append(errs, p+"= is not a parameter of challenge="+kind.Name+"; it takes "+strings.Join(kind.Params, ", "))
		}
	}
	goal, ok := get("goal")
	if !ok {
		errs = append(errs, "challenge="+kind.Name+" needs goal=, the test accuracy to pass in % (for example goal=85)")
	} else if g, err := strconv.ParseFloat(strings.TrimSuffix(goal, "%"), 64); err != nil || math.IsNaN(g) || g <= 1 || g > 100 {
		errs = append(errs, "goal="+settings.Clip(goal)+": want a test accuracy in % above 1 and at most 100 (85 means 85%)")
	} else {
		c.Goal = g / 100
	}
	if slices.Contains(kind.Params, "within") {
		w, ok := get("within")
		if !ok {
			errs = append(errs, "challenge=reach needs within=, the step by which to reach the goal (for example within=2000)")
		} else if k, err := strconv.Atoi(w); err != nil || k < 1 || k > MaxWithin {
			errs = append(errs, fmt.Sprintf("within=%s: want a whole number of steps from 1 to %d", settings.Clip(w), MaxWithin))
		} else {
			c.Within = k
		}
	}
	if r, ok := get("rule"); ok && slices.Contains(kind.Params, "rule") {
		if !slices.Contains(rules, r) {
			errs = append(errs, "rule="+settings.Clip(r)+": want one of "+strings.Join(rules, ", "))
		} else {
			c.Rule = r
		}
	}
	if slices.Contains(kind.Params, "count") {
		c.Count = defaultCount
		if v, ok := get("count"); ok {
			if k, err := strconv.Atoi(v); err != nil || k < 1 || k > MaxCount {
				errs = append(errs, fmt.Sprintf("count=%s: want a whole number of drawings from 1 to %d", settings.Clip(v), MaxCount))
			} else {
				c.Count = k
			}
		}
	}
	if slices.Contains(kind.Params, "by") {
		c.By = "seconds"
		if b, ok := get("by"); ok {
			if b != "seconds" && b != "steps" {
				errs = append(errs, "by="+settings.Clip(b)+": want seconds or steps")
			} else {
				c.By = b
			}
		}
	}
	if errs != nil {
		return nil, append(errs, "the challenge is left out until the URL is right")
	}
	return c, nil
}

func kindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = k.Name
	}
	return out
}

// Mark is one point of a run's curve: where, and how accurate.
type Mark struct {
	Step     int
	Unit     string
	Seconds  float64
	Accuracy float64
}

// Run is what Check reads of one run of the race.
type Run struct {
	Label string // its name in the race
	Rule  string // its rule's name
	Unit  string // the unit of its first phase's steps
	Curve []Mark
	Done  bool
	Hash  string // the hash of its weights or alleles (evidence)
	// Drawn is how many of the student's drawings (My digits) the run
	// read when they were last scored, DrawnRight how many of them right
	// (0 and 0: not scored since they changed).
	Drawn, DrawnRight int
}

// Result is the state of a challenge: what a course grades.
type Result struct {
	Kind string `json:"kind"`
	// Met: the challenge is met now. Final: the result can no longer
	// change for this run (it was met, or its chance has passed); a
	// new run (Apply, Reset) starts over.
	Met   bool `json:"met"`
	Final bool `json:"final"`
	// Predict: the student chooses a run of the race (Predict).
	Predict bool    `json:"predict"`
	Score   float64 `json:"score"` // in [0, 1]: 1 when met
	// Task says what is asked, Text how it stands, for the student.
	Task string `json:"task"`
	Text string `json:"text"`
	// Evidence: the run's settings and where each run stands, with its
	// hash, so that a grader can reproduce the run.
	Evidence Evidence `json:"evidence"`
}

// Evidence is what a result rests on.
type Evidence struct {
	Query string        `json:"query"`
	Runs  []RunEvidence `json:"runs"`
	// Prediction is predict's answer, the label of the run chosen ("":
	// none).
	Prediction string `json:"prediction,omitempty"`
}

// RunEvidence is one run's place in Evidence.
type RunEvidence struct {
	Label    string  `json:"label"`
	Rule     string  `json:"rule"`
	Step     int     `json:"step"`
	Unit     string  `json:"unit"`
	Accuracy float64 `json:"accuracy"`
	Hash     string  `json:"hash"`
}

// pct writes a fraction as a percentage for the student.
func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

// Task says what c asks of the student, with the race's runs.
func (c *Challenge) Task(runs []Run) string {
	switch c.Kind {
	case "reach":
		r, ok := c.reachRun(runs)
		name, unit := "the run", "step"
		if ok {
			name, unit = r.Label, firstUnit(r)
		}
		return fmt.Sprintf("Reach %s test accuracy with %s by %s %d. Choose its settings, then press Play.", pct(c.Goal), name, unit, c.Within)
	case "draw":
		name := "the run"
		if r, ok := c.reachRun(runs); ok {
			name = r.Label
		}
		return fmt.Sprintf("Draw at least %d digits with ✎ My digits that %s reads right, %s of them, then press Score every run.", c.Count, name, pct(c.Goal))
	default:
		by := "in training seconds"
		if c.By == "steps" {
			by = "in steps"
		}
		return fmt.Sprintf("Which run passes %s test accuracy first (%s)? Choose your prediction before the race starts, then press Play.", pct(c.Goal), by)
	}
}

// reachRun is the run a reach challenge reads.
func (c *Challenge) reachRun(runs []Run) (Run, bool) {
	for _, r := range runs {
		if c.Rule == "" || r.Rule == c.Rule {
			return r, true
		}
	}
	return Run{}, false
}

// firstUnit is the unit of the run's first phase (its first point's
// without Unit, "step" without either).
func firstUnit(r Run) string {
	if r.Unit != "" {
		return r.Unit
	}
	if len(r.Curve) == 0 || r.Curve[0].Unit == "" {
		return "step"
	}
	return r.Curve[0].Unit
}

// Check says where challenge c stands with the race's runs, the race's
// query (evidence) and, for predict, the run predicted (−1: none).
func (c *Challenge) Check(runs []Run, query string, predicted int) Result {
	res := Result{Kind: c.Kind, Task: c.Task(runs), Evidence: evidence(runs, query)}
	if predicted >= 0 && predicted < len(runs) {
		res.Evidence.Prediction = runs[predicted].Label
	}
	switch c.Kind {
	case "reach":
		c.reach(runs, &res)
	case "draw":
		c.draw(runs, &res)
	default:
		res.Predict = true
		c.predict(runs, predicted, &res)
	}
	return res
}

func evidence(runs []Run, query string) Evidence {
	e := Evidence{Query: query, Runs: []RunEvidence{}}
	for _, r := range runs {
		re := RunEvidence{Label: r.Label, Rule: r.Rule, Hash: r.Hash}
		if n := len(r.Curve); n > 0 {
			last := r.Curve[n-1]
			re.Step, re.Unit, re.Accuracy = last.Step, last.Unit, last.Accuracy
		}
		e.Runs = append(e.Runs, re)
	}
	return e
}

// reach: met at the first point of the run's first phase, at or before
// step Within, with the goal's accuracy; final once it is met, or once
// the run is past Within or done without it. The score is the best
// accuracy by Within over the goal.
func (c *Challenge) reach(runs []Run, res *Result) {
	r, ok := c.reachRun(runs)
	if !ok {
		res.Text = "The race has no " + c.Rule + " run; this challenge needs one. Add it to the race and press Apply."
		return
	}
	unit := firstUnit(r)
	best, bestAt, past := -1.0, 0, false
	for _, m := range r.Curve {
		if m.Unit != unit || m.Step > c.Within {
			past = past || m.Unit != unit || m.Step > c.Within
			continue
		}
		if m.Accuracy >= c.Goal {
			res.Met, res.Final, res.Score = true, true, 1
			res.Text = fmt.Sprintf("Met: %s reached %s at %s %d (the goal: %s by %d).", r.Label, pct(m.Accuracy), unit, m.Step, pct(c.Goal), c.Within)
			return
		}
		if m.Accuracy > best {
			best, bestAt = m.Accuracy, m.Step
		}
		past = past || m.Step == c.Within // no later point counts
	}
	if best >= 0 {
		res.Score = math.Round(math.Min(best/c.Goal, 1)*1e4) / 1e4
	}
	if past || r.Done {
		res.Final = true
		if best < 0 {
			res.Text = fmt.Sprintf("Not met: %s has no test accuracy by %s %d. Change its settings and press Apply to try again.", r.Label, unit, c.Within)
			return
		}
		res.Text = fmt.Sprintf("Not met: the best by %s %d was %s (at %d), short of %s. Change the settings and press Apply to try again.", unit, c.Within, pct(best), bestAt, pct(c.Goal))
		return
	}
	if best < 0 {
		res.Text = "Not yet: press Play."
		return
	}
	res.Text = fmt.Sprintf("Not yet: the best so far is %s at %s %d of %d.", pct(best), unit, bestAt, c.Within)
}

// draw: met once the run has read at least Count of the student's
// drawings, Goal of them right, when they were last scored; the score
// is the share right over the goal, times the share of the drawings
// asked for, each at most 1. It is final once met: the student may
// always draw more.
func (c *Challenge) draw(runs []Run, res *Result) {
	r, ok := c.reachRun(runs)
	switch {
	case !ok:
		res.Text = "The race has no " + c.Rule + " run; this challenge needs one. Add it to the race and press Apply."
		return
	case r.Drawn == 0:
		res.Text = "Not yet: draw your digits with ✎ My digits, then press Score every run."
		return
	}
	acc := float64(r.DrawnRight) / float64(r.Drawn)
	res.Score = math.Round(math.Min(acc/c.Goal, 1)*math.Min(float64(r.Drawn)/float64(c.Count), 1)*1e4) / 1e4
	read := fmt.Sprintf("%s read %d of your %d drawings right (%s)", r.Label, r.DrawnRight, r.Drawn, pct(acc))
	switch {
	case r.Drawn < c.Count:
		res.Text = fmt.Sprintf("Not yet: %s; draw at least %d.", read, c.Count)
	case acc < c.Goal:
		res.Text = fmt.Sprintf("Not yet: %s, short of %s. Draw more, or train more and score again.", read, pct(c.Goal))
	default:
		res.Met, res.Final, res.Score = true, true, 1
		res.Text = "Met: " + read + "."
	}
}

// Predict reports why the student may not predict run i of a race of n
// runs now ("" when they may): only before the race starts, when every
// run is at step 0, and not again once it has run with a prediction
// (started is true then too: the page keeps the first prediction for
// the race, so that Reset does not let a student see the winner and
// predict again).
func Predict(i, n int, started bool) string {
	switch {
	case n < 2:
		return "a prediction needs a race of two runs or more"
	case i < 0 || i >= n:
		return fmt.Sprintf("run %d: want one of the race's %d runs", i+1, n)
	case started:
		return "the race has started: a prediction is made before it first starts, and stays for the race"
	}
	return ""
}

// predict: decided once a run has passed the goal and every other run
// has either passed it too, is done, or was last seen further on (in
// seconds or steps) without having passed it; the winners are the runs
// that passed first (a tie has several). Met when the prediction is one.
func (c *Challenge) predict(runs []Run, predicted int, res *Result) {
	pos := func(m Mark) float64 {
		if c.By == "steps" {
			return float64(m.Step)
		}
		return m.Seconds
	}
	first := math.Inf(1)
	crossed := make([]float64, len(runs))
	for i, r := range runs {
		crossed[i] = math.Inf(1)
		for _, m := range r.Curve {
			if m.Accuracy >= c.Goal {
				crossed[i] = pos(m)
				break
			}
		}
		first = math.Min(first, crossed[i])
	}
	decided := !math.IsInf(first, 1)
	allDone := true
	for i, r := range runs {
		allDone = allDone && r.Done
		if !math.IsInf(crossed[i], 1) || r.Done {
			continue
		}
		if n := len(r.Curve); n == 0 || pos(r.Curve[n-1]) < first {
			decided = false
		}
	}
	var winners []string
	for i, r := range runs {
		if decided && crossed[i] == first {
			winners = append(winners, r.Label)
		}
	}
	guess := "no prediction"
	if predicted >= 0 && predicted < len(runs) {
		guess = "your prediction, " + runs[predicted].Label
	}
	switch {
	case len(runs) < 2:
		res.Text = "This challenge needs a race of two runs or more."
	case !decided && allDone:
		res.Final = true
		res.Text = "No run passed " + pct(c.Goal) + ", so no run won; " + guess + " is not graded as right."
	case !decided:
		if predicted < 0 {
			res.Text = "Not yet: choose your prediction, then press Play."
		} else {
			res.Text = "Not yet: the race is on, with " + guess + "."
		}
	default:
		res.Final = true
		res.Met = predicted >= 0 && predicted < len(runs) && slices.Contains(winners, runs[predicted].Label)
		won := strings.Join(winners, " and ")
		if res.Met {
			res.Score = 1
			res.Text = "Met: " + won + " passed " + pct(c.Goal) + " first, as you predicted."
		} else if predicted < 0 {
			res.Text = "Not met: " + won + " passed " + pct(c.Goal) + " first, and no prediction was made before the race started."
		} else {
			res.Text = "Not met: " + won + " passed " + pct(c.Goal) + " first, not " + runs[predicted].Label + "."
		}
	}
}
