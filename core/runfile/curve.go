package runfile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"nnesim/core/learner"
)

// curveHeader names the columns of WriteCurveCSV: a point's fields, a
// column per signal of every rule (learner.SignalNames; empty where the
// point has none) and the weights' hash.
func curveHeader() []string {
	h := []string{"step", "unit", "seconds", "test_accuracy", "train_accuracy"}
	return append(append(h, learner.SignalNames()...), "weights_sha256")
}

// WriteCurveCSV writes the curve as CSV with a header row, one row per
// evaluation; numbers are printed exactly (shortest round-trip form).
func WriteCurveCSV(w io.Writer, curve []learner.Point) error {
	return WriteCurvesCSV(w, nil, [][]learner.Point{curve})
}

// WriteCurvesCSV writes the curves of a race's runs as one CSV, as
// WriteCurveCSV does with a first column "run" holding each run's label
// (race.Race.Labels). Without labels it writes the first curve alone.
func WriteCurvesCSV(w io.Writer, labels []string, curves [][]learner.Point) error {
	cw := csv.NewWriter(w)
	header := curveHeader()
	signals := learner.SignalNames()
	if labels != nil {
		header = append([]string{"run"}, header...)
	} else {
		curves = curves[:min(1, len(curves))]
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("curve csv: %w", err)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for i, curve := range curves {
		for _, pt := range curve {
			row := []string{strconv.Itoa(pt.Step), pt.Unit, f(pt.Seconds), f(pt.TestAccuracy), f(pt.TrainAccuracy)}
			for _, name := range signals {
				v, ok := pt.Signal(name)
				if ok {
					row = append(row, f(v))
				} else {
					row = append(row, "")
				}
			}
			row = append(row, pt.Hash)
			if labels != nil {
				row = append([]string{labels[i]}, row...)
			}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("curve csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("curve csv: %w", err)
	}
	return nil
}
