// Package theory is the linear target of Section 2.1 run live, for the
// page's Theory view: NNE evolves the allele frequencies p so that the
// network W·p approaches a target a (Theorem 2 says a p with W·p = a
// exists once there are enough genes), a generation at a time, with the
// curve of cos(W·p, a) and the allele frequencies the view draws.
// nnesim linear runs the same experiment from the command line, and its
// sweep (package theorem) the theorem's claims over many sizes.
package theory

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"nnesim/core/nne"
)

// Settings are a run's: the task (links m, the inputs, ‖a‖), NNE's
// population and W, and the stop. The names are nnesim linear's flags
// and the Theory view's URL parameters.
type Settings struct {
	Dim         int     // m, the input dimension: links of the one output
	Examples    int     // inputs drawn uniformly from the unit ball
	Norm        float64 // ‖a‖ of the target, in (0, 1]
	Genes       int     // n
	Pop         int     // N, genotypes per generation
	Batch       int     // B, inputs per generation (0: all)
	Beta        float64 // β, the density of W
	Eps         float64 // ε, the selection strength of eq. 3
	Scale       string  // W's entries: fanin, raw or sign (Theorem 2's ±√(1/β))
	Generations int     // the stop
	Seed        uint64
}

// Defaults are nnesim linear's: ten links and 400 genes, W scaled by its
// fan-in, which reaches cos(W·p, a) ≈ 0.98 in 400 generations.
func Defaults() Settings {
	return Settings{Dim: 10, Examples: 500, Norm: 0.9, Genes: 400, Pop: 200, Batch: 100, Beta: 0.05, Eps: 2, Scale: "fanin", Generations: 1000, Seed: 1}
}

// A param is one setting: its name, what it is, and how to read and
// write it, with its range (so that a typo is refused before anything
// is allocated).
type param struct {
	name, about string
	set         func(s *Settings, v string) error
	get         func(s *Settings) string
	choices     []string // the values it takes, if a list (the form's menu)
}

func intParam(name, about string, lo, hi int, f func(s *Settings) *int) param {
	return param{name, about,
		func(s *Settings, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < lo || n > hi {
				return fmt.Errorf("%s=%.40q: want a whole number from %d to %d", name, v, lo, hi)
			}
			*f(s) = n
			return nil
		},
		func(s *Settings) string { return strconv.Itoa(*f(s)) }, nil}
}

func floatParam(name, about string, lo, hi float64, f func(s *Settings) *float64) param {
	return param{name, about,
		func(s *Settings, v string) error {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || !(x > lo && x <= hi) {
				return fmt.Errorf("%s=%.40q: want a number over %g and at most %g", name, v, lo, hi)
			}
			*f(s) = x
			return nil
		},
		func(s *Settings) string { return strconv.FormatFloat(*f(s), 'g', -1, 64) }, nil}
}

// params are the settings in the order the view's form lists them.
var params = []param{
	intParam("dim", "links m (the input dimension)", 1, 200, func(s *Settings) *int { return &s.Dim }),
	intParam("genes", "genes n", 1, 4000, func(s *Settings) *int { return &s.Genes }),
	floatParam("eps", "selection strength ε", 0, 100, func(s *Settings) *float64 { return &s.Eps }),
	floatParam("beta", "density β of W", 0, 1, func(s *Settings) *float64 { return &s.Beta }),
	{"scale", "W's entries: fanin, raw or sign (Theorem 2's)",
		func(s *Settings, v string) error {
			if _, err := nne.ParseScale(v); err != nil {
				return fmt.Errorf("scale=%.40q: want %s", v, strings.Join(scales, ", "))
			}
			s.Scale = v
			return nil
		},
		func(s *Settings) string { return s.Scale }, scales},
	intParam("pop", "population N", 2, 2000, func(s *Settings) *int { return &s.Pop }),
	intParam("batch", "inputs per generation B (0: all)", 0, 5000, func(s *Settings) *int { return &s.Batch }),
	intParam("examples", "inputs drawn from the unit ball", 1, 5000, func(s *Settings) *int { return &s.Examples }),
	floatParam("norm", "‖a‖ of the target", 0, 1, func(s *Settings) *float64 { return &s.Norm }),
	intParam("generations", "generations to run", 1, 100000, func(s *Settings) *int { return &s.Generations }),
	{"seed", "random seed",
		func(s *Settings, v string) error {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return fmt.Errorf("seed=%.40q: want a whole number from 0", v)
			}
			s.Seed = n
			return nil
		},
		func(s *Settings) string { return strconv.FormatUint(s.Seed, 10) }, nil},
}

// scales are W's scalings, by name (nne.ParseScale's).
var scales = nne.ScaleNames()

// Names lists the settings' names, in the form's order.
func Names() []string {
	out := make([]string, len(params))
	for i, p := range params {
		out[i] = p.name
	}
	return out
}

// Abouts says what each setting is, by name.
func Abouts() map[string]string {
	out := make(map[string]string, len(params))
	for _, p := range params {
		out[p.name] = p.about
	}
	return out
}

// Choices returns the values of each setting that takes one of a list,
// by name (the others are typed).
func Choices() map[string][]string {
	out := map[string][]string{}
	for _, p := range params {
		if p.choices != nil {
			out[p.name] = p.choices
		}
	}
	return out
}

// Parse reads the settings of a URL query over Defaults. It keeps every
// good value and returns a message for each bad one and for each name
// that is not a setting (the page's own theme= and tour= excepted).
func Parse(query string) (Settings, []string) {
	s := Defaults()
	var errs []string
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		errs = append(errs, "the link's query: "+err.Error())
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i := slices.IndexFunc(params, func(p param) bool { return p.name == k })
		if i < 0 {
			if k != "theme" && k != "tour" {
				errs = append(errs, fmt.Sprintf("%.40q is not a setting of the Theory view (its settings: %s)", k, strings.Join(Names(), ", ")))
			}
			continue
		}
		if err := params[i].set(&s, q.Get(k)); err != nil {
			errs = append(errs, err.Error())
		}
	}
	return s, errs
}

// Query returns the settings as a URL query, each setting that differs
// from Defaults in the form's order: the view's shareable link.
func (s Settings) Query() string {
	d := Defaults()
	var parts []string
	for _, p := range params {
		if v := p.get(&s); v != p.get(&d) {
			parts = append(parts, p.name+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// Values returns every setting by name, as the form shows them.
func (s Settings) Values() map[string]string {
	out := make(map[string]string, len(params))
	for _, p := range params {
		out[p.name] = p.get(&s)
	}
	return out
}

// A Point is the run at one generation.
type Point struct {
	Generation int
	Cos        float64 // cos(W·p, a)
	Dist       float64 // ‖W·p − a‖
	Fixed      float64 // the share of genes fixed (nne.FixedTol)
}

// maxPoints bounds the curve: past it every other point is dropped and
// points are kept half as often, so a long run's curve stays small.
const maxPoints = 2000

// Run is NNE on one linear target.
type Run struct {
	s     Settings
	task  *nne.Linear
	pop   *nne.Population
	curve []Point
	every int // a point is kept every this many generations
}

// New draws the target, the inputs and W of s, and returns the run at
// generation 0.
func New(s Settings) (*Run, error) {
	sc, err := nne.ParseScale(s.Scale)
	if err != nil {
		return nil, fmt.Errorf("theory: %w", err)
	}
	task, err := nne.NewLinear(s.Dim, s.Examples, s.Norm, s.Seed)
	if err != nil {
		return nil, fmt.Errorf("theory: %w", err)
	}
	pop, err := nne.New(task, nne.Config{Genes: s.Genes, Pop: s.Pop, Beta: s.Beta, Eps: s.Eps, Batch: s.Batch, Scale: sc, Seed: s.Seed, Threads: 1})
	if err != nil {
		return nil, fmt.Errorf("theory: %w", err)
	}
	r := &Run{s: s, task: task, pop: pop, every: 1}
	r.curve = append(r.curve, r.Now())
	return r, nil
}

// Settings returns the run's settings.
func (r *Run) Settings() Settings { return r.s }

// Generation returns the generations done.
func (r *Run) Generation() int { return r.pop.Generation }

// Done reports whether the run is at its stop.
func (r *Run) Done() bool { return r.pop.Generation >= r.s.Generations }

// Step runs one generation (none at the stop). A selection strength too
// large for eq. 3 (1 + ε·f ≤ 0 for some gene) stops it with an error that
// says so.
func (r *Run) Step() error {
	if r.Done() {
		return nil
	}
	if err := r.pop.Step(); err != nil {
		return fmt.Errorf("generation %d: %w", r.pop.Generation+1, err)
	}
	if g := r.pop.Generation; g%r.every == 0 || r.Done() {
		if len(r.curve) >= maxPoints {
			kept := r.curve[:0]
			for i, p := range r.curve {
				if i == 0 || p.Generation%(2*r.every) == 0 {
					kept = append(kept, p)
				}
			}
			r.curve, r.every = kept, 2*r.every
		}
		if g%r.every == 0 || r.Done() {
			r.curve = append(r.curve, r.Now())
		}
	}
	return nil
}

// Now returns the run's point at the current generation.
func (r *Run) Now() Point {
	w := r.pop.MeanWeights()
	return Point{Generation: r.pop.Generation, Cos: r.task.Cosine(w), Dist: r.task.Distance(w), Fixed: nne.FixedFraction(r.pop.P, nne.FixedTol)}
}

// Curve returns the points kept so far, the last at the latest
// generation a point was kept.
func (r *Run) Curve() []Point { return r.curve }

// P returns the allele frequencies.
func (r *Run) P() []float32 { return r.pop.P }

// Close releases the population.
func (r *Run) Close() { r.pop.Close() }

// Passed returns the milestones of cos(W·p, a) that the step from
// before to now crossed (0.5, 0.9, 0.95, 0.99), for the view's screen
// reader line.
func Passed(before, now float64) []float64 {
	var out []float64
	for _, m := range []float64{0.5, 0.9, 0.95, 0.99} {
		if before < m && now >= m {
			out = append(out, m)
		}
	}
	return out
}
