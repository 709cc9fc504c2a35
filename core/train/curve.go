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
	cw := csv.NewWriter(w)
	if err := cw.Write(curveHeader); err != nil {
		return fmt.Errorf("curve csv: %w", err)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, pt := range curve {
		row := []string{strconv.Itoa(pt.Step), pt.Unit, f(pt.Seconds), f(pt.TestAccuracy), f(pt.TrainAccuracy), f(pt.FixedFraction), f(pt.MeanFitness), f(pt.Dopamine), pt.Hash}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("curve csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("curve csv: %w", err)
	}
	return nil
}
