package lesson

import (
	"encoding/base64"
	"fmt"
)

// MaxStateBytes is the longest state string the page reads: a race file
// of the page's largest race, in base64, with room to spare.
const MaxStateBytes = 64 << 20

// stateVersion is the version of State's form.
const stateVersion = 1

// State is what a course platform keeps of a student's page between
// visits (Open edX's JSInput getState and setState): the race's query,
// the student's prediction and the run file, which continues the run
// exactly where it was. The page writes Map with JSON.stringify and
// reads it back with JSON.parse and StateFrom (the canvas app links no
// encoding/json).
type State struct {
	Query      string
	Prediction string // the predicted run's label ("": none)
	Run        []byte // the run (or race) file
	// Result is the challenge's result when the state was taken, for a
	// grader that reads the state (not read back).
	Result *Result
}

// Map is s as plain values (strings, numbers, maps; the run file in
// base64) under the keys a platform stores: nnesim_state (the form's
// version), query, prediction, run and result.
func (s State) Map() map[string]any {
	m := map[string]any{"nnesim_state": stateVersion, "query": s.Query}
	if s.Prediction != "" {
		m["prediction"] = s.Prediction
	}
	if len(s.Run) > 0 {
		m["run"] = base64.StdEncoding.EncodeToString(s.Run)
	}
	if s.Result != nil {
		m["result"] = s.Result.Map()
	}
	return m
}

// StateKeys are the keys of Map's form that StateFrom reads.
var StateKeys = []string{"nnesim_state", "query", "prediction", "run"}

// CheckStateSize refuses a state string of n bytes that is too long to
// read, before it is parsed.
func CheckStateSize(n int) error {
	if n > MaxStateBytes {
		return fmt.Errorf("the saved state is %d MB, over the %d MB a state may be", n>>20, MaxStateBytes>>20)
	}
	return nil
}

// StateFrom reads a state of Map's form as JSON.parse gives it back (nil
// for the empty state "{}" or null a platform starts with: an empty
// State). It refuses, with what was wrong, a value that is not one, is
// of a later version, or whose fields are of the wrong type.
func StateFrom(v any) (State, error) {
	var s State
	if v == nil {
		return s, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return s, fmt.Errorf("the saved state is not nnesim's (not an object)")
	}
	if len(m) == 0 {
		return s, nil
	}
	ver, ok := m["nnesim_state"].(float64)
	if !ok {
		return s, fmt.Errorf("the saved state is not nnesim's (no nnesim_state)")
	}
	if ver > stateVersion {
		return s, fmt.Errorf("the saved state is of version %v, newer than this page's %d: open the course's newer nnesim", ver, stateVersion)
	}
	str := func(key string) (string, error) {
		x, ok := m[key]
		if !ok || x == nil {
			return "", nil
		}
		if t, ok := x.(string); ok {
			return t, nil
		}
		return "", fmt.Errorf("the saved state's %s is not a string", key)
	}
	var err error
	if s.Query, err = str("query"); err != nil {
		return State{}, err
	}
	if s.Prediction, err = str("prediction"); err != nil {
		return State{}, err
	}
	run, err := str("run")
	if err != nil {
		return State{}, err
	}
	if s.Run, err = base64.StdEncoding.DecodeString(run); err != nil {
		return State{}, fmt.Errorf("the saved state's run is not base64 (%v)", err)
	}
	if len(s.Run) == 0 {
		s.Run = nil
	}
	return s, nil
}

// Map is r as plain values under its JSON names, for the page (the
// canvas app links no encoding/json).
func (r Result) Map() map[string]any {
	runs := make([]any, len(r.Evidence.Runs))
	for i, e := range r.Evidence.Runs {
		runs[i] = map[string]any{"label": e.Label, "rule": e.Rule, "step": e.Step, "unit": e.Unit, "accuracy": e.Accuracy, "hash": e.Hash}
	}
	ev := map[string]any{"query": r.Evidence.Query, "runs": runs}
	if r.Evidence.Prediction != "" {
		ev["prediction"] = r.Evidence.Prediction
	}
	return map[string]any{"kind": r.Kind, "met": r.Met, "final": r.Final, "predict": r.Predict, "score": r.Score,
		"task": r.Task, "text": r.Text, "evidence": ev}
}
