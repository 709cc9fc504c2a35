package learner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"nnesim/core/settings"
)

// Point is one evaluation of a run of any rule: where (Step, in Unit:
// Generation or Epoch), after how much training, how accurate, and the
// rule's own signals (Rule.Signals) by name.
type Point struct {
	Step          int
	Unit          string
	Seconds       float64
	TestAccuracy  float64
	TrainAccuracy float64
	// Signals are the rule's own series at this point, in the order of
	// its entry's Signals: NNE's fixed fraction and mean fitness, DNN's
	// dopamine signal…
	Signals []Signal
	// Hash is, for the rules that keep weights, the SHA-256 of the
	// weights at this point.
	Hash string
}

// Signal is one named value of a point (Rule.Signals).
type Signal struct {
	Name  string
	Value float64
}

// Signal returns the value of the signal called name, and whether the
// point has it.
func (p *Point) Signal(name string) (float64, bool) {
	for _, s := range p.Signals {
		if s.Name == name {
			return s.Value, true
		}
	}
	return 0, false
}

// SignalNames lists every signal of every rule, in the registry's order:
// the columns of a curve's CSV.
func SignalNames() []string {
	var names []string
	for _, r := range Rules {
		for _, s := range r.Signals {
			if !slices.Contains(names, s) {
				names = append(names, s)
			}
		}
	}
	return names
}

// pointKeys are the JSON names of a point's fields; its signals go by
// their own names between the accuracies and the hash.
var pointKeys = []string{"step", "unit", "seconds", "test_accuracy", "train_accuracy", "weights_sha256"}

// MarshalJSON writes the point as one object: its fields and each signal
// by name (as nnesim train -json and reproduce's result files hold it).
func (p Point) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	put := func(k string, v any) {
		if b.Len() > 0 {
			b.WriteByte(',')
		} else {
			b.WriteByte('{')
		}
		kb, _ := json.Marshal(k) // a string always marshals
		vb, _ := json.Marshal(v) // so does a finite number or a string
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	put("step", p.Step)
	put("unit", p.Unit)
	put("seconds", p.Seconds)
	put("test_accuracy", p.TestAccuracy)
	put("train_accuracy", p.TrainAccuracy)
	for _, s := range p.Signals {
		if slices.Contains(pointKeys, s.Name) {
			return nil, fmt.Errorf("learner: a signal named %q", s.Name)
		}
		if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			return nil, fmt.Errorf("learner: signal %s is %v", s.Name, s.Value)
		}
		put(s.Name, s.Value)
	}
	if p.Hash != "" {
		put("weights_sha256", p.Hash)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes: every key that is not a
// field is a signal, in the order of SignalNames, then by name.
func (p *Point) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var q Point
	for k, dst := range map[string]any{"step": &q.Step, "unit": &q.Unit, "seconds": &q.Seconds, "test_accuracy": &q.TestAccuracy,
		"train_accuracy": &q.TrainAccuracy, "weights_sha256": &q.Hash} {
		if v, ok := m[k]; ok {
			if err := json.Unmarshal(v, dst); err != nil {
				return fmt.Errorf("point %s: %w", k, err)
			}
			delete(m, k)
		}
	}
	order := SignalNames()
	names := slices.Collect(maps.Keys(m))
	rank := func(n string) int {
		if i := slices.Index(order, n); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for _, n := range names {
		var v float64
		if err := json.Unmarshal(m[n], &v); err != nil {
			return fmt.Errorf("point signal %s: %w", n, err)
		}
		q.Signals = append(q.Signals, Signal{n, v})
	}
	*p = q
	return nil
}

// Saved is a run as a run file holds it.
type Saved struct {
	Settings settings.Settings
	// Step is the position in the rule's unit: generations for NNE,
	// epochs for the lifetime rules, and for NNE + SignSGD generations
	// until State is set (its second phase), then epochs.
	Step    int
	Seconds float64
	P       []float32 // NNE's allele frequencies (nne, nne-signsgd)
	State   []byte    // a rule's own state (a lifetime rule's learn.Trainer.State, ES's θ and moments)
	Curve   []Point
}

// Save returns the state of r; seconds is its training time so far.
func (r *NNERun) Save(seconds float64) *Saved {
	return &Saved{Settings: r.Settings, Step: r.Generation(), Seconds: seconds,
		P: append([]float32(nil), r.Pop.P...), Curve: append([]Point(nil), r.Curve...)}
}

// Resume rebuilds the run sv was saved from, at its generation: the same
// genome and data (functions of the settings), p, and the curve. Stepping
// it continues the run bit for bit as if it had never stopped.
func resumeNNERun(sv *Saved, d Data) (*NNERun, error) {
	r, err := newNNERun(sv.Settings, d)
	if err != nil {
		return nil, err
	}
	if sv.State != nil {
		r.Close()
		return nil, fmt.Errorf("learner: the run file is past NNE (a lifetime rule's state); resume it with its rule")
	}
	if err := r.Pop.Restore(sv.P, sv.Step); err != nil {
		r.Close()
		return nil, err
	}
	r.Curve = append([]Point(nil), sv.Curve...)
	r.Classify()
	return r, nil
}
