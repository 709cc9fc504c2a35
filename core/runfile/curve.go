package train

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// curveHeader names the columns of WriteCurveCSV, after Point's fields.
var curveHeader = []string{"step", "unit", "seconds", "test_accuracy", "train_accuracy", "fixed_fraction", "mean_fitness", "dopamine", "weights_sha256"}

// WriteCurveCSV writes the curve as CSV with a header row, one row per
// evaluation; numbers are printed exactly (shortest round-trip form).
func WriteCurveCSV(w io.Writer, curve []Point) error {
	return WriteCurvesCSV(w, nil, [][]Point{curve})
}

// WriteCurvesCSV writes the curves of a race's runs as one CSV, as
// WriteCurveCSV does with a first column "run" holding each run's label
// (Race.Labels). Without labels it writes the first curve alone.
func WriteCurvesCSV(w io.Writer, labels []string, curves [][]Point) error {
	cw := csv.NewWriter(w)
	header := curveHeader
	if labels != nil {
		header = append([]string{"run"}, curveHeader...)
	} else {
		curves = curves[:min(1, len(curves))]
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("curve csv: %w", err)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for i, curve := range curves {
		for _, pt := range curve {
			row := []string{strconv.Itoa(pt.Step), pt.Unit, f(pt.Seconds), f(pt.TestAccuracy), f(pt.TrainAccuracy), f(pt.FixedFraction), f(pt.MeanFitness), f(pt.Dopamine), pt.Hash}
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
