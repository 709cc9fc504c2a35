package learner

import (
	"fmt"
	"slices"
	"strings"

	"nnesim/core/settings"
)

// Rules is the registry: one entry per learning rule, in the order a menu
// lists them. The command line, reproduce, the race, the browser's workers
// and the page read a rule's entry; none of them compares its name.
var Rules = []Rule{
	{
		Name:  "nne",
		Short: "NNE",
		Title: "NNE (evolution)",
		About: "Evolution, with no learning in life: the weights are a sparse linear function W·x of a genotype of n genes, a population of N genotypes is drawn from the allele frequencies p, each is scored on a minibatch, and weak selection (eq. 3) moves p toward the fitter alleles. The network shown is the mean genotype's, W·p; watch the alleles fix.",
		Phases: []Phase{
			{Unit: Generation, Stop: "generations", FanOut: true, Alleles: true, Does: evolves},
		},
		Params:   append(shared, nneParams...),
		Presets:  true,
		Defaults: presetDefaults("nne"),
		Check:    checkNNE,
		New:      newNNE,
		Cost:     nneCost,
		Work:     nneWork,
		Costly:   []string{"pop", "batch", "hidden", "genes"},
		Signals:  []string{SignalFixed, SignalFitness},
		Pictures: []string{PictureFields, PictureOutput, PictureAlleles, PictureTest, PictureConfusion},
		Plot:     SignalFitness,
		Network:  func(*settings.Settings) string { return "mean genotype W·p" },
	},
	{
		Name:  "nne-signsgd",
		Short: "NNE + SignSGD",
		Title: "NNE + SignSGD (evolution, then eq. 4 on the output layer)",
		About: "NNE evolves the network first; then SignSGD (eq. 4) trains only its output layer for a few epochs, over the evolved first layer, as Table 1's second row. The curve switches from generations to epochs where the second phase starts.",
		Phases: []Phase{
			{Unit: Generation, Stop: "generations", Alleles: true, Does: evolves},
			{Unit: Epoch, Stop: "epochs", Alleles: true, State: true, Does: passes("stepping the output layer of W·p's network by the signs of the gradient (eq. 4)")},
		},
		Params:   append(append(shared, nneParams...), "epochs", "lr"),
		Presets:  true,
		From:     "nne",
		Defaults: chainDefaults,
		Check:    checkChain,
		New:      newChain,
		Cost:     chainCost,
		Work:     nneWork,
		Costly:   []string{"pop", "batch", "hidden", "genes"},
		Signals:  []string{SignalFixed, SignalFitness},
		Pictures: []string{PictureFields, PictureOutput, PictureAlleles, PictureTest, PictureConfusion},
	},
	{
		Name:  "es",
		Short: "ES",
		Title: "ES (evolution strategies: Gaussian perturbations, Adam)",
		About: "The gradient-free peer of NNE (Salimans et al. 2017): one network's weights θ are perturbed by Gaussian noise in antithetic pairs θ ± σε, each perturbed network is scored by NNE's fitness on NNE's minibatch, and Adam climbs the gradient those scores estimate, with ranks in place of the scores. A generation costs the network evaluations of an NNE generation of the same population.",
		Phases: []Phase{
			{Unit: Generation, Stop: "generations", State: true, Does: func(s *settings.Settings) string {
				return fmt.Sprintf("scores %d Gaussian perturbations of the weights on %s and moves the weights toward the better ones", s.Pop, batchOf(s))
			}},
		},
		Params:   append(slices.Clone(shared), "pop", "alpha", "fitness", "generations", "lr"),
		Own:      []settings.Param{esSigma},
		Peer:     true,
		Presets:  true,
		Defaults: esDefaults,
		Check:    checkES,
		New:      newES,
		Work:     esWork,
		Costly:   []string{"pop", "batch", "hidden"},
		Cost:     esCost,
		Signals:  []string{SignalFitness},
		Pictures: []string{PictureFields, PictureOutput, PictureTest, PictureConfusion},
		Plot:     SignalFitness,
		Network:  func(*settings.Settings) string { return "θ" },
	},
	{
		Name:   "dnn",
		Short:  "DNN",
		Title:  "DNN (dopaminergic plasticity)",
		About:  "A fixed random first layer and an output layer trained in life by a dopamine-like signal (Section 3.2): a synapse changes by presynaptic firing times postsynaptic surprise times a global reward signal, with no gradient sent back. The paper's formula is ambiguous; reward is our reading that learns, the others are the paper's literal ones.",
		Phases: []Phase{{Unit: Epoch, Stop: "epochs", State: true, Does: passes("changing the output layer by the dopamine signal, with no gradient")}},
		Params: append(slices.Clone(lifetimeParams), "dnn-rule", "fire-gate", "eps0", "eps1", "explore"),
		// Our reward rule and its step; the literal readings' ε₀ and ε₁
		// are the paper's.
		Defaults: lifetimeDefaults("dnn", func(s *settings.Settings) {
			s.LR, s.DNNRule, s.Eps0, s.Eps1, s.Explore = 0.2, "reward", 0.75, 1, 0.1
		}),
		Check:    checkLifetime,
		New:      newDopamine,
		Cost:     lifetimeCost,
		Signals:  []string{SignalDopamine},
		Pictures: []string{PictureFields, PictureOutput, PictureTest, PictureConfusion},
		Plot:     SignalDopamine,
		Network:  func(s *settings.Settings) string { return "dnn, " + s.DNNRule + " reading" },
	},
	{
		Name:     "signsgd",
		Short:    "SignSGD",
		Title:    "SignSGD (eq. 4)",
		About:    "The output layer over a fixed random first layer, trained by eq. 4: each weight moves a fixed step against the sign of its gradient. A baseline of Table 2.",
		Phases:   []Phase{{Unit: Epoch, Stop: "epochs", State: true, Does: passes("stepping the output layer by the signs of the gradient (eq. 4)")}},
		Params:   lifetimeParams,
		Defaults: lifetimeDefaults("signsgd", func(s *settings.Settings) { s.LR = 1e-4 }), // Table 2
		Check:    checkLifetime,
		New:      newLifetime,
		Cost:     lifetimeCost,
		Pictures: []string{PictureFields, PictureOutput, PictureTest, PictureConfusion},
	},
	{
		Name:  "sgd",
		Short: "SGD (Adam)",
		Title: "SGD (Adam, by backpropagation)",
		About: "Backpropagation: Adam on the gradient of the cross-entropy, on the whole sparse network (Table 1) or on the output layer over a fixed dense first layer (Table 2). The baseline the other rules are measured against.",
		Phases: []Phase{{Unit: Epoch, Stop: "epochs", State: true, Does: func(s *settings.Settings) string {
			if s.Net == "dense" {
				return passes("training the output layer by Adam's gradient steps")(s)
			}
			return passes("training the whole network by backpropagation and Adam")(s)
		}}},
		Params: lifetimeParams,
		// Table 1's SGD: Adam on the whole sparse network.
		Defaults: lifetimeDefaults("sgd", func(s *settings.Settings) { s.Net, s.Epochs, s.LR = "sparse", 100, 1e-3 }),
		Check:    checkLifetime,
		New:      newLifetime,
		Cost:     adamCost,
		Pictures: []string{PictureFields, PictureOutput, PictureTest, PictureConfusion},
	},
}

// Parameter sets the entries share: every rule's, NNE's population and
// fitness, and the lifetime rules'.
var (
	shared         = []string{"digits", "per-digit", "val", "hidden", "q", "batch", "seed", "eval-every"}
	nneParams      = []string{"genes", "pop", "eps", "beta", "alpha", "fitness", "scale", "generations"}
	lifetimeParams = append(slices.Clone(shared), "net", "epochs", "lr")
)

// Rule is a learning rule's registry entry: everything the rest of the
// program knows of it.
type Rule struct {
	Name  string
	Short string // for people, in a word or two (the race's checkboxes)
	Title string // for people, with what it is (the page's menus)
	// About explains the rule in two or three plain sentences: what it
	// changes, by which equation of the paper, and what to watch (the
	// page shows it with the rule's menu; How it works has the rest).
	About string
	// Phases are the rule's stages in order; a run counts the steps of
	// its current phase in that phase's unit.
	Phases []Phase
	// Params names the rule's settings of the common table
	// (settings.Params); "algo" and "preset" are not among them.
	Params []string
	// Own are the parameters the rule declares for itself
	// (settings.OwnFloat), each a setting of this rule alone.
	Own []settings.Param
	// From, if not empty, names a rule whose run file this rule may start
	// from (nnesim train -from): that run, stopped where the file is,
	// becomes this rule's first phase.
	From string
	// Peer marks a gradient-free rule that nnesim reproduce runs beside
	// NNE's improved Table 1 cells, at NNE's preset, task, population,
	// minibatch and generations: the same number of network evaluations.
	Peer bool
	// Presets reports whether the rule starts from a named preset
	// (settings.Presets).
	Presets bool
	// Defaults returns the settings a run starts from: the named preset
	// ("" for settings.DefaultPreset) if Presets, else the rule's own (the
	// preset must be "").
	Defaults func(preset string) (settings.Settings, error)
	// Check judges the settings together, beyond each parameter's range:
	// that the run fits in maxBytes, with classes classes.
	Check func(s *settings.Settings, classes int, maxBytes float64) error
	// New builds the run of s at step 0 (sv nil) or resumes the run sv
	// was saved from, at its position.
	New func(s settings.Settings, sv *Saved, d Data) (Learner, error)
	// Work, if not nil, estimates the multiply-adds of one step of the
	// first phase (the browser's time bound and the cluster's plan).
	Work func(s *settings.Settings) float64
	// Costly names the parameters Work grows with, which a refusal names.
	Costly []string
	// Cost estimates the seconds of the whole run of s on one core of a
	// machine of the given speed (nnesim reproduce's cluster plan).
	Cost func(s *settings.Settings, sp Speed) float64
	// Signals names the series the rule adds to each point of its curve
	// beside accuracy (Point.Signal).
	Signals []string
	// Pictures names the panels the rule's Pictures fill.
	Pictures []string
	// Plot names the signal the page plots in the rule's own panel (""
	// for none).
	Plot string
	// Network, if not nil, says which network of the run the page draws
	// and classifies with (default: the rule's name).
	Network func(s *settings.Settings) string
}

// Phase is one stage of a rule.
type Phase struct {
	// Unit names a step: Generation or Epoch.
	Unit string
	// Stop is the parameter that sets the phase's length.
	Stop string
	// FanOut reports that the page spreads each step's population over
	// evaluator workers (Population).
	FanOut bool
	// Alleles and State say what a run file of this phase holds: NNE's
	// allele frequencies, and the rule's own state (Saved.State).
	Alleles, State bool
	// Does says what one step of the phase does with settings s, for
	// people (a race's summary: "a generation of nne scores …").
	Does func(s *settings.Settings) string
}

// evolves is what a generation of NNE does.
func evolves(s *settings.Settings) string {
	return fmt.Sprintf("scores %d genotypes on %s and moves the allele frequencies by eq. 3", s.Pop, batchOf(s))
}

// batchOf names the images a generation scores on.
func batchOf(s *settings.Settings) string {
	if s.Batch <= 0 {
		return "the whole training sample"
	}
	return fmt.Sprintf("%d training images", s.Batch)
}

// passes is what an epoch does: every training image once, doing what.
func passes(what string) func(*settings.Settings) string {
	return func(*settings.Settings) string { return "passes every training image once, " + what }
}

// Step units.
const (
	Generation = "generation"
	Epoch      = "epoch"
)

// Names of the signals a point may carry (Point.Signal), and of the
// panels a rule's pictures fill.
const (
	SignalFixed    = "fixed_fraction"
	SignalFitness  = "mean_fitness"
	SignalDopamine = "dopamine"

	// The pictures are the canvas's panels of the same names
	// (render.PanelNames).
	PictureFields    = "tiles"     // the hidden units' input weights
	PictureOutput    = "heatmap"   // the output weights
	PictureAlleles   = "histogram" // NNE's allele frequencies (Fig. 2)
	PictureTest      = "grid"      // test digits with their predictions
	PictureConfusion = "confusion" // the confusion matrix
)

// Names lists the names of Rules.
func Names() []string {
	names := make([]string, len(Rules))
	for i, r := range Rules {
		names[i] = r.Name
	}
	return names
}

// DefaultRule is the rule of a run that names none: the first entry.
func DefaultRule() *Rule { return &Rules[0] }

// RuleOf returns the rule named algo.
func RuleOf(algo string) (*Rule, error) {
	for i := range Rules {
		if Rules[i].Name == algo {
			return &Rules[i], nil
		}
	}
	return nil, fmt.Errorf("algo=%s: unknown rule; want one of %s", settings.Clip(algo), strings.Join(Names(), ", "))
}

// Has reports whether the parameter called name is a setting of r.
func (r *Rule) Has(name string) bool {
	return slices.Contains(r.Params, name) || slices.ContainsFunc(r.Own, func(p settings.Param) bool { return p.Name == name })
}

// NetworkOf returns what the page calls the network of s it draws
// (Rule.Network).
func (r *Rule) NetworkOf(s *settings.Settings) string {
	if r.Network == nil {
		return r.Name
	}
	return r.Network(s)
}

// Evolving reports whether r's first phase evolves a population whose
// allele frequencies a run file keeps.
func (r *Rule) Evolving() bool { return r.Phases[0].Alleles }

// FansOut reports whether the page spreads r's steps over evaluators.
func (r *Rule) FansOut() bool { return r.Phases[0].FanOut }

// PhaseOf returns the index of the phase a saved run is in: the first
// whose contents (allele frequencies, state) are the file's, or -1.
func (r *Rule) PhaseOf(alleles, state bool) int {
	for i, p := range r.Phases {
		if p.Alleles == alleles && p.State == state {
			return i
		}
	}
	return -1
}

// Stop returns the length of phase i in s (its Stop parameter).
func (r *Rule) Stop(s *settings.Settings, i int) int {
	p, _ := ParamNamed(r.Phases[i].Stop)
	var n int
	fmt.Sscan(p.Get(s), &n)
	return n
}

// Defaults returns the settings a run of algo starts from (Rule.Defaults).
func Defaults(algo, preset string) (settings.Settings, error) {
	r, err := RuleOf(algo)
	if err != nil {
		return settings.Settings{}, err
	}
	s, err := r.Defaults(preset)
	if err != nil {
		return settings.Settings{}, err
	}
	s.Algo = r.Name
	return s, nil
}

// Params returns every setting a query may hold but the preset: the rule
// (algo), settings.Params, then each rule's own (Rule.Own).
func Params() []settings.Param {
	ps := append([]settings.Param{settings.Choice("algo", "learning rule", Names(), func(s *settings.Settings) *string { return &s.Algo })},
		settings.Params()...)
	for _, r := range Rules {
		ps = append(ps, r.Own...)
	}
	return ps
}

// ParamNamed returns the parameter called name (Params).
func ParamNamed(name string) (settings.Param, bool) {
	for _, p := range Params() {
		if p.Name == name {
			return p, true
		}
	}
	return settings.Param{}, false
}

// RuleParams returns the parameters of algo, in the order of Params
// (algo first).
func RuleParams(algo string) []settings.Param {
	r, err := RuleOf(algo)
	var out []settings.Param
	for _, p := range Params() {
		if p.Name == "algo" || err == nil && r.Has(p.Name) {
			out = append(out, p)
		}
	}
	return out
}

// ParamOf reports whether the parameter called name is a setting of the
// rule algo (algo is every rule's).
func ParamOf(name, algo string) bool {
	r, err := RuleOf(algo)
	return name == "algo" || err == nil && r.Has(name)
}

// PresetRules returns the rules that start from a preset.
func PresetRules() []string {
	var out []string
	for _, r := range Rules {
		if r.Presets {
			out = append(out, r.Name)
		}
	}
	return out
}

// presetDefaults returns the Defaults of a rule that starts from a
// preset.
func presetDefaults(algo string) func(string) (settings.Settings, error) {
	return func(preset string) (settings.Settings, error) {
		if preset == "" {
			preset = settings.DefaultPreset
		}
		s, err := settings.Preset(preset)
		s.Algo = algo
		return s, err
	}
}

// noPreset refuses a preset for a rule that has none.
func noPreset(algo, preset string) error {
	if preset != "" {
		return fmt.Errorf("preset=%s: presets are NNE settings; %s has none", settings.Clip(preset), algo)
	}
	return nil
}

// RulesWith returns the rules that have the parameter called name, or nil
// if every rule has it.
func RulesWith(name string) []string {
	var out []string
	for _, r := range Rules {
		if r.Has(name) {
			out = append(out, r.Name)
		}
	}
	if len(out) == len(Rules) {
		return nil
	}
	return out
}

// Evolver is a Learner that evolves a population with NNE (in its first
// phase): NNE itself, NNE + SignSGD.
type Evolver interface {
	// Evolution returns the evolution phase's learner.
	Evolution() *NNE
}
