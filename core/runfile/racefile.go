package runfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"nnesim/core/learner"
	"nnesim/core/race"
)

// A race file holds every run of a race: a run file (version 3) whose
// body is the number of runs, uint32, then per run its length, uint64,
// and a whole run file (version 4; 2 in older files, with its own header
// and checksum).
// A race of one run is written as that run's file.
const raceVersion = 3

// EncodeRace returns the race file of runs.
func EncodeRace(runs []*learner.Saved) []byte {
	files := make([][]byte, len(runs))
	for i, sv := range runs {
		files[i] = Encode(sv)
	}
	return Join(files)
}

// Join returns the race file holding the given run files (one
// file is returned as it is).
func Join(files [][]byte) []byte {
	if len(files) == 1 {
		return files[0]
	}
	var body bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&body, le, uint32(len(files))) // bytes.Buffer writes never fail
	for _, f := range files {
		binary.Write(&body, le, uint64(len(f)))
		body.Write(f)
	}
	return withHeader(raceVersion, body.Bytes())
}

// Split returns the run files in a race file, checking each (Decode with
// the memory budgets gives its run; maxBytes for a run file alone) and
// that they race fairly (the same digits, sample and seed); a run file is
// returned alone. Any defect is an error and nothing is returned.
func Split(b []byte, maxBytes float64, budgets race.Budgets) ([][]byte, []*learner.Saved, error) {
	fail := func(format string, a ...any) ([][]byte, []*learner.Saved, error) {
		return nil, nil, fmt.Errorf("%w: %s", errRunFile, fmt.Sprintf(format, a...))
	}
	b, _, err := Detach(b) // a file with attachments: its run or race
	if err != nil {
		return nil, nil, err
	}
	le := binary.LittleEndian
	if len(b) < runHeaderSize || string(b[:8]) != runMagic || le.Uint32(b[8:]) != raceVersion {
		sv, err := Decode(b, maxBytes)
		if err != nil {
			return nil, nil, err
		}
		return [][]byte{b}, []*learner.Saved{sv}, nil
	}
	body, bad := sealed(b)
	if bad != "" {
		return fail("%s", bad)
	}
	r := reader{b: body}
	count := r.u32()
	if r.err != nil || count < 2 || count > race.MaxRuns {
		return fail("a race of %d runs, want 2 to %d", count, race.MaxRuns)
	}
	var files [][]byte
	for range count {
		l := r.u64()
		if r.err == nil && l > uint64(len(body)) {
			return fail("truncated: a run of %d bytes announced", l)
		}
		f := r.bytes(int(l))
		if r.err != nil {
			return fail("%v", r.err)
		}
		if len(f) >= runHeaderSize && le.Uint32(f[8:]) == raceVersion {
			return fail("run %d is itself a race", len(files)+1)
		}
		files = append(files, f)
	}
	if r.off != len(body) {
		return fail("%d unexpected bytes after the runs", len(body)-r.off)
	}
	// Each run's algo comes first from its own file's settings.
	algos := make([]string, len(files))
	for i, f := range files {
		algos[i] = learner.DefaultRule().Name
		if sv, err := Decode(f, maxBytes); err == nil {
			algos[i] = sv.Settings.Algo
		}
	}
	shares := budgets(algos)
	runs := make([]*learner.Saved, len(files))
	for i, f := range files {
		sv, err := Decode(f, shares[i])
		if err != nil {
			return nil, nil, fmt.Errorf("run %d of the race: %w", i+1, err)
		}
		runs[i] = sv
		for _, name := range race.Shared {
			p, _ := learner.ParamNamed(name)
			if a, b := p.Get(&runs[0].Settings), p.Get(&sv.Settings); a != b {
				return fail("run %d has %s=%s but run 1 %s=%s; a race shares them", i+1, name, b, name, a)
			}
		}
	}
	return files, runs, nil
}

// errRace is returned by Decode for a race file.
var errRace = errors.New("this file holds a race")

// raceError explains that b is a race file, naming its runs.
func raceError(b []byte) error {
	files, runs, err := Split(b, 1<<62, race.Even(1<<62))
	if err != nil {
		return fmt.Errorf("%w: %v", errRace, err)
	}
	algos := make([]string, len(runs))
	for i, sv := range runs {
		algos[i] = sv.Settings.Algo
	}
	return fmt.Errorf("%w of %d runs (%s); continue it with nnesim race -resume, or in the browser with Import run", errRace, len(files), strings.Join(algos, ", "))
}
