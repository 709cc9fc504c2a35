package lesson

import (
	"encoding/json"
	"fmt"
)

// MaxStateBytes is the longest state string SetState reads: a race file
// of the page's largest race, in base64, with room to spare.
const MaxStateBytes = 64 << 20

// stateVersion is the version of State's form.
const stateVersion = 1

// State is what a course platform keeps of a student's page between
// visits (Open edX's JSInput getState and setState): the race's query,
// the student's prediction and the run file, which continues the run
// exactly where it was.
type State struct {
	Version    int    `json:"nnesim_state"`
	Query      string `json:"query"`
	Prediction string `json:"prediction,omitempty"` // the predicted run's label
	Run        []byte `json:"run,omitempty"`        // the run (or race) file, base64 in JSON
	// Result is the challenge's result when the state was taken, for a
	// grader that reads the state (not read back).
	Result *Result `json:"result,omitempty"`
}

// EncodeState writes s as the string a platform stores.
func EncodeState(s State) string {
	s.Version = stateVersion
	b, err := json.Marshal(s)
	if err != nil { // a State of strings, bytes and numbers always marshals
		return "{}"
	}
	return string(b)
}

// DecodeState reads a string of EncodeState. It refuses, with what was
// wrong, a string that is too long (before reading it), is not one, or
// is of a later version; the empty string and "{}" (a platform's state
// before the first save) are an empty State.
func DecodeState(str string) (State, error) {
	var s State
	if len(str) > MaxStateBytes {
		return s, fmt.Errorf("the saved state is %d MB, over the %d MB a state may be", len(str)>>20, MaxStateBytes>>20)
	}
	if str == "" || str == "{}" || str == "null" || str == `""` {
		return s, nil
	}
	if err := json.Unmarshal([]byte(str), &s); err != nil {
		return State{}, fmt.Errorf("the saved state is not nnesim's (%v)", err)
	}
	if s.Version == 0 {
		return State{}, fmt.Errorf("the saved state is not nnesim's (no nnesim_state)")
	}
	if s.Version > stateVersion {
		return State{}, fmt.Errorf("the saved state is of version %d, newer than this page's %d: open the course's newer nnesim", s.Version, stateVersion)
	}
	return s, nil
}
