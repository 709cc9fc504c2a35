package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/runfile"
)

// small is a configuration that trains in about a second.
var small = []string{"-digits", "0-4", "-hidden", "20", "-genes", "300", "-pop", "24", "-batch", "50", "-beta", "0.01", "-generations", "30", "-eval-every", "10", "-seed", "3"}

func trainJSON(t *testing.T, extra ...string) trainResult {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.json")
	var stdout, stderr bytes.Buffer
	args := append(append([]string{"train"}, small...), append(extra, "-json", out)...)
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("nnesim %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "gen     30") || !strings.Contains(stdout.String(), "ETA") {
		t.Errorf("progress output lacks a line for generation 30 with an ETA:\n%s", stdout.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res trainResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("JSON output does not parse: %v\n%s", err, b)
	}
	var fields map[string]any
	json.Unmarshal(b, &fields)
	for _, k := range []string{"algo", "config", "generations", "test_accuracy", "alleles_sha256", "curve", "seconds"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	return res
}

func TestTrainWritesJSONAndIsDeterministic(t *testing.T) {
	one := trainJSON(t, "-threads", "1")
	if one.Algo != "nne" || one.Generations != 30 || len(one.Curve) != 4 || one.Curve[3].Step != 30 || one.Curve[3].Unit != "generation" {
		t.Errorf("algo %q, %d generations, %d curve points; want nne, 30, 4 (generations 0, 10, 20, 30)", one.Algo, one.Generations, len(one.Curve))
	}
	if len(one.AllelesSHA256) != 64 || one.Config.Seed != 3 || one.Config.Hidden != 20 {
		t.Errorf("hash %q, seed %d, hidden %d", one.AllelesSHA256, one.Config.Seed, one.Config.Hidden)
	}
	if a := one.TestAccuracy; a <= 0 || a > 1 {
		t.Errorf("test accuracy %v outside (0, 1]", a)
	}
	two := trainJSON(t, "-threads", "2")
	if two.AllelesSHA256 != one.AllelesSHA256 {
		t.Errorf("1 and 2 threads: alleles %s vs %s", one.AllelesSHA256, two.AllelesSHA256)
	}
	for i := range one.Curve {
		a, b := one.Curve[i], two.Curve[i]
		if a.TestAccuracy != b.TestAccuracy || a.TrainAccuracy != b.TrainAccuracy || !reflect.DeepEqual(a.Signals, b.Signals) || len(a.Signals) != 2 {
			t.Errorf("curve point %d differs between 1 and 2 threads: %+v vs %+v", i, a, b)
		}
	}
	other := trainJSON(t, "-seed", "4")
	if other.AllelesSHA256 == one.AllelesSHA256 {
		t.Error("seeds 3 and 4 gave the same alleles")
	}
}

// TestTrainSaveResume stops a run at generation 10 with -save, resumes
// the file to generation 30, and compares with an uninterrupted run; a
// damaged file or a changed setting is refused with a message.
func TestTrainSaveResume(t *testing.T) {
	straight := trainJSON(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "run.nne")
	var stdout, stderr bytes.Buffer
	args := append(append([]string{"train"}, small...), "-generations", "10", "-save", file)
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	stdout.Reset()
	out := filepath.Join(dir, "resumed.json")
	csvFile := filepath.Join(dir, "curve.csv")
	if err := run([]string{"train", "-resume", file, "-generations", "30", "-json", out, "-csv", csvFile, "-threads", "1"}, &stdout, &stderr); err != nil {
		t.Fatalf("resume: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "resuming at generation 10") {
		t.Errorf("resume output:\n%s", stdout.String())
	}
	res := readResult(t, out)
	if res.AllelesSHA256 != straight.AllelesSHA256 || res.Generations != 30 || len(res.Curve) != len(straight.Curve) {
		t.Errorf("resumed run: %s at %d with %d curve points; uninterrupted: %s at 30 with %d", res.AllelesSHA256, res.Generations, len(res.Curve), straight.AllelesSHA256, len(straight.Curve))
	}
	// The CSV holds the same curve as the JSON, to the last digit.
	f, err := os.Open(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(res.Curve)+1 || strings.Join(rows[0], ",") != "step,unit,seconds,test_accuracy,train_accuracy,fixed_fraction,mean_fitness,dopamine,weights_sha256" {
		t.Fatalf("csv: %d rows, header %v; want %d points", len(rows), rows[0], len(res.Curve))
	}
	for i, pt := range res.Curve {
		want := []string{strconv.Itoa(pt.Step), strconv.FormatFloat(pt.TestAccuracy, 'g', -1, 64)}
		if got := []string{rows[i+1][0], rows[i+1][3]}; got[0] != want[0] || got[1] != want[1] || rows[i+1][1] != "generation" {
			t.Errorf("csv row %d = %v, want generation and test accuracy %v", i+1, rows[i+1], want)
		}
	}
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.nne")
	os.WriteFile(bad, good[:len(good)-3], 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-resume", bad}, "bad.nne: not a usable nnesim run file: truncated"},
		{[]string{"-resume", filepath.Join(dir, "missing.nne")}, "no such file"},
		{[]string{"-resume", file, "-genes", "100"}, "-genes: a resumed run keeps the settings of its file"},
		{[]string{"-resume", file, "-generations", "5"}, "already at generation 10"},
	} {
		err := run(append([]string{"train"}, tc.args...), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("train %v: error %v, want one containing %q", tc.args, err, tc.want)
		}
	}
}

func TestTrainBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-digits", "0-12"}, "-digits"},
		{[]string{"-digits", "7"}, "at least 2"},
		{[]string{"-genes", "0"}, "-genes=0: out of range; want 1 to 4194304"},
		{[]string{"-genes", "-5"}, "-genes=-5: out of range"},
		{[]string{"-pop", "1"}, "-pop=1: out of range; want 2 to"},
		{[]string{"-eps", "0"}, "-eps=0: out of range; want 0 < v"},
		{[]string{"-eps", "-1"}, "-eps=-1"},
		{[]string{"-eps", "NaN"}, "-eps=NaN: not a number"},
		{[]string{"-beta", "2"}, "-beta=2: out of range; want 0 < v ≤ 1"},
		{[]string{"-hidden", "0"}, "-hidden=0"},
		{[]string{"-hidden", "2.5"}, "-hidden=2.5: not a whole number"},
		{[]string{"-generations", "0"}, "-generations=0"},
		{[]string{"-batch", "-2"}, "-batch=-2"},
		{[]string{"-scale", "huge"}, "-scale=huge: want one of raw, fanin"},
		{[]string{"-preset", "fast"}, "-preset \"fast\""},
		{[]string{"-algo", "backprop"}, "-algo=backprop: unknown rule"},
		{[]string{"-threads", "-1"}, "threads=-1"},
		{[]string{"-genes", "4000000", "-hidden", "10000", "-beta", "0.5"}, "GiB"},
		{[]string{"-genes", "1e9"}, "-genes=1e9: out of range"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(append([]string{"train"}, tc.args...), &stdout, &stderr)
		msg := ""
		if err != nil {
			msg = err.Error() + " " + stderr.String()
		}
		if err == nil || !strings.Contains(msg, tc.want) {
			t.Errorf("train %v: error %q, want one containing %q", tc.args, msg, tc.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if err := run([]string{"frobnicate"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "unknown subcommand") {
		t.Errorf("unknown subcommand: %v", err)
	}
}

func TestLinear(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"linear", "-generations", "300", "-every", "300"}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	var cos float64
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if _, err := fmt.Sscanf(lines[len(lines)-1], "gen   300  cos(W·p, a) %f", &cos); err != nil || cos < 0.9 {
		t.Errorf("last line %q: cos %v (%v), want ≥ 0.9", lines[len(lines)-1], cos, err)
	}
	if err := run([]string{"linear", "-eps", "0"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "eps = 0") {
		t.Errorf("-eps 0: error %v", err)
	}
	// The sweep writes its file and plot, named for NNE's W.
	dir := t.TempDir()
	stdout.Reset()
	if err := run([]string{"linear", "-sweep", "-out", dir, "-ms", "4", "-ratios", "1,8", "-d", "2", "-draws", "5", "-seeds", "1", "-generations", "20"}, &stdout, &stderr); err != nil {
		t.Fatalf("-sweep: %v\n%s", err, stderr.String())
	}
	var f theorem2File
	if err := json.Unmarshal(mustRead(t, filepath.Join(dir, "theorem2-sign.json")), &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Results) != 2 || f.Scale != "sign" || f.Needed["4"] != 32 || len(f.Results[1].Cos) != 1 {
		t.Errorf("theorem2-sign.json: %+v", f)
	}
	if !strings.Contains(stdout.String(), "m = 4: W·p = a is reachable in 95% of draws from n = 32") {
		t.Errorf("output:\n%s", stdout.String())
	}
	if st, err := os.Stat(filepath.Join(dir, "theorem2-sign.png")); err != nil || st.Size() < 1000 {
		t.Errorf("theorem2-sign.png: %v", err)
	}
	wantError(t, "linear", "-sweep", "needs -out")
	wantError(t, "linear", "-sweep -out "+dir+" -ms 4,x", "-ms")
	wantError(t, "linear", "-sweep -out "+dir+" -ms 1 -d 3", "want d = 3 ≤ m")
}

// wantError runs nnesim sub with the space-separated args and checks that
// it fails with an error containing want.
func wantError(t *testing.T, sub, args, want string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(append([]string{sub}, strings.Fields(args)...), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s %s: %v, want an error containing %q", sub, args, err, want)
	}
}

// trainTo runs nnesim train with args, writing its JSON into dir, and
// returns the result.
func trainTo(t *testing.T, dir string, args ...string) trainResult {
	t.Helper()
	out := filepath.Join(dir, "r.json")
	var stdout, stderr bytes.Buffer
	if err := run(append(append([]string{"train"}, args...), "-json", out), &stdout, &stderr); err != nil {
		t.Fatalf("train %v: %v\n%s", args, err, stderr.String())
	}
	return readResult(t, out)
}

// readResult reads the JSON that nnesim train -json wrote to path.
func readResult(t *testing.T, path string) trainResult {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var res trainResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

// TestLearnAlgos runs each lifetime rule of nnesim train briefly and
// checks its JSON.
func TestLearnAlgos(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"-algo", "dnn", "-hidden", "50", "-epochs", "3", "-per-digit", "20"},
		{"-algo=sgd", "-net", "dense", "-hidden", "50", "-epochs", "3", "-per-digit", "20", "-digits", "3,8"},
		{"-algo", "signsgd", "-hidden", "50", "-epochs", "3", "-per-digit", "20"},
		{"-algo", "dnn", "-dnn-rule", "printed", "-fire-gate", "-hidden", "50", "-epochs", "2", "-per-digit", "20"},
		{"-algo", "nne-signsgd", "-preset", "quick", "-generations", "20", "-digits", "0-4", "-epochs", "2"},
	} {
		res := trainTo(t, dir, args...)
		if len(res.Curve) < 2 || res.TestAccuracy != res.Curve[len(res.Curve)-1].TestAccuracy || res.TestAccuracy <= 0 {
			t.Errorf("train %v: %d curve points, test accuracy %v", args, len(res.Curve), res.TestAccuracy)
		}
		if args[1] == "nne-signsgd" && (res.Generations != 20 || res.Epochs != 2 || res.Config.Digits != "0-4" || res.Config.Hidden != 100 || len(res.AllelesSHA256) != 64 || len(res.WeightsSHA256) != 64) {
			t.Errorf("nne-signsgd: %d generations, %d epochs, digits %s, hidden %d; want the quick NNE run of 20 generations on 0-4, then 2 epochs", res.Generations, res.Epochs, res.Config.Digits, res.Config.Hidden)
		}
	}
	for _, tc := range []struct{ args, want string }{
		{"-algo dnn -dnn-rule dopey", "-dnn-rule=dopey: want one of reward, printed, prose, signed"},
		{"-algo sgd -hidden 0", "-hidden=0: out of range"},
		{"-algo sgd -net deep", "-net=deep: want one of dense, sparse"},
		{"-algo dnn -genes 100", "-genes is not a setting of -algo dnn"},
		{"-algo dnn -preset quick", "presets are NNE settings; dnn has none"},
		{"-algo dopamine", "algo=dopamine: unknown rule; want one of " + strings.Join(learner.Names(), ", ")},
		{"-epochs 3", "-epochs is not a setting of -algo nne"},
		{"-algo signsgd -digits 0-11", "-digits"},
	} {
		wantError(t, "train", tc.args, tc.want)
	}
}

// TestReproduceTiny runs every table and figure at the tiny scale and
// checks the files it writes parse and hold every cell.
func TestReproduceTiny(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run([]string{"reproduce", "-tiny", "-out", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res results
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, c := range res.Cells {
		count[c.Table]++
		if len(c.Acc) != len(c.Seeds) || c.Command == "" || !strings.HasPrefix(c.Command, "nnesim ") {
			t.Errorf("cell %s %s %s: %d accuracies for %d seeds, command %q", c.Table, c.Row, c.Column, len(c.Acc), len(c.Seeds), c.Command)
		}
		for _, a := range c.Acc {
			if !(a > 0 && a <= 1) {
				t.Errorf("cell %s %s %s: accuracy %v", c.Table, c.Row, c.Column, a)
			}
		}
	}
	// Table 1: NNE and NNE + SignSGD (faithful and improved), each peer
	// rule beside the improved ones, and SGD, for 0-4 and 0-9; Table 2:
	// SGD, SignSGD, our DNN and 6 literal readings; Figure 1: 2 gene counts
	// for each digit set at the tiny scale; Figure 2: one run.
	want := map[string]int{"1": 10 + 2*peers(), "2": 9, "figure1": 4, "figure2": 1}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d cells, want %d", k, count[k], n)
		}
	}
	if res.Figure2 == nil || len(res.Figure2.Histograms) != 5 || len(res.Figure2.Curve) < 10 {
		t.Errorf("figure 2 data: %+v", res.Figure2)
	}
	rows, err := csv.NewReader(mustOpen(t, filepath.Join(dir, "results.csv"))).ReadAll()
	if err != nil || len(rows) != len(res.Cells)+1 {
		t.Errorf("results.csv: %d rows (%v), want %d", len(rows), err, len(res.Cells)+1)
	}
	md, err := os.ReadFile(filepath.Join(dir, "RESULTS.md"))
	if err != nil || !strings.Contains(string(md), "| NNE + SignSGD | MNIST 0-9 | improved | 85.60 |") {
		t.Errorf("RESULTS.md lacks the NNE + SignSGD 0-9 row: %v\n%s", err, md)
	}
	for _, f := range []string{"figure1-genes.png", "figure2-histograms.png", "figure2-fixation.png"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || len(b) < 1000 || string(b[1:4]) != "PNG" {
			t.Errorf("%s: %d bytes, %v", f, len(b), err)
		}
	}
	// -replot redraws the plots from results.json alone.
	for _, f := range []string{"figure1-genes.png", "figure2-histograms.png"} {
		os.Remove(filepath.Join(dir, f))
	}
	if err := run([]string{"reproduce", "-replot", "-out", dir}, &stdout, &stderr); err != nil {
		t.Errorf("-replot: %v", err)
	}
	for _, f := range []string{"figure1-genes.png", "figure2-histograms.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("-replot did not redraw %s: %v", f, err)
		}
	}
	os.WriteFile(filepath.Join(dir, "results.json"), []byte(`{"cells": [`), 0o644)
	if err := run([]string{"reproduce", "-replot", "-out", dir}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "results.json") {
		t.Errorf("-replot of a truncated results.json: %v", err)
	}
	if err := run([]string{"reproduce", "-table", "3", "-out", dir}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "want 1, 2 or all") {
		t.Errorf("-table 3: %v", err)
	}
}

func TestReproducePick(t *testing.T) {
	nne := &cell{Row: "NNE", Column: "MNIST 0-9", Setting: "faithful"}
	sign := &cell{Row: "NNE + SignSGD", Column: "MNIST 0-9", Setting: "faithful", source: nne}
	better := &cell{Row: "NNE", Column: "MNIST 0-9", Setting: "improved"}
	sgd := &cell{Row: "SGD (Adam, output layer)", Column: "h = 1000", Setting: "baseline"}
	dnn := &cell{Row: "DNN, ours: reward prediction error", Column: "h = 1000", Setting: "ours"}
	all := []*cell{nne, sign, better, sgd, dnn}
	for _, tc := range []struct {
		only, skip string
		want       []*cell
	}{
		{"signsgd", "", []*cell{nne, sign}}, // NNE + SignSGD needs its NNE runs
		{"NNE", "", []*cell{nne, sign, better}},
		{"Adam", "", []*cell{sgd}},
		{"ours, adam", "", []*cell{sgd, dnn}},
		{"sgd", "", []*cell{nne, sign, sgd}},
		{"", "faithful", []*cell{better, sgd, dnn}},
		{"0-9", "improved", []*cell{nne, sign}},
		{"", "NNE", []*cell{sgd, dnn}},
		{"backprop", "", nil},
		{" , ", "", nil},
	} {
		got := pick(all, tc.only, tc.skip)
		if !slices.Equal(got, tc.want) {
			var names []string
			for _, c := range got {
				names = append(names, c.Row+" "+c.Setting)
			}
			t.Errorf("pick(%q, %q) = %q", tc.only, tc.skip, names)
		}
	}
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run([]string{"reproduce", "-tiny", "-table", "2", "-only", "ours", "-out", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	md, _ := os.ReadFile(filepath.Join(dir, "RESULTS.md"))
	if n := strings.Count(string(md), "| DNN, ours"); n != 1 || strings.Contains(string(md), "SignSGD") {
		t.Errorf("-only ours: %d rows of our DNN, want 1 and no other row:\n%s", n, md)
	}
	if err := run([]string{"reproduce", "-tiny", "-table", "2", "-only", "backprop", "-out", dir}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "leave no cell") {
		t.Errorf("-only backprop: %v", err)
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestLifetimeSaveResume saves lifetime runs with -save, resumes them with
// a later stop and compares the hash with a run that went there directly;
// nne-signsgd -from an NNE run file equals the chained run.
func TestLifetimeSaveResume(t *testing.T) {
	dir := t.TempDir()
	train := func(args ...string) trainResult { t.Helper(); return trainTo(t, dir, args...) }
	for _, algo := range []string{"dnn", "signsgd", "sgd"} {
		base := []string{"-algo", algo, "-digits", "0-4", "-hidden", "40", "-per-digit", "20", "-eval-every", "1", "-seed", "6"}
		file := filepath.Join(dir, algo+".nne")
		half := train(append(base, "-epochs", "2", "-save", file)...)
		resumed := train("-resume", file, "-epochs", "4")
		straight := train(append(base, "-epochs", "4")...)
		if resumed.WeightsSHA256 != straight.WeightsSHA256 || resumed.Epochs != 4 || half.Epochs != 2 || half.WeightsSHA256 == straight.WeightsSHA256 {
			t.Errorf("%s: resumed to epoch %d with %s, straight %s", algo, resumed.Epochs, resumed.WeightsSHA256[:12], straight.WeightsSHA256[:12])
		}
		if len(resumed.Curve) != len(straight.Curve) {
			t.Errorf("%s: resumed curve of %d points, straight %d", algo, len(resumed.Curve), len(straight.Curve))
		}
	}
	nneFile := filepath.Join(dir, "nne.nne")
	train("-digits", "0-4", "-generations", "20", "-seed", "8", "-save", nneFile)
	from := train("-algo", "nne-signsgd", "-from", nneFile, "-epochs", "2")
	chained := train("-algo", "nne-signsgd", "-digits", "0-4", "-generations", "20", "-seed", "8", "-epochs", "2")
	if from.WeightsSHA256 != chained.WeightsSHA256 || from.AllelesSHA256 != chained.AllelesSHA256 {
		t.Errorf("-from the NNE run: %s, chained: %s", from.WeightsSHA256[:12], chained.WeightsSHA256[:12])
	}
	for _, tc := range []struct{ args, want string }{
		{"-algo nne-signsgd -from " + nneFile + " -digits 0-9", "-digits: the NNE run comes from the file"},
		{"-algo dnn -from " + nneFile, "-from is for -algo nne-signsgd"},
		{"-resume " + filepath.Join(dir, "dnn.nne") + " -epochs 1", "already at epoch 2"},
	} {
		wantError(t, "train", tc.args, tc.want)
	}
}

// TestRace races three rules with small settings and checks that racing
// changes no rule's result (each hash is its solo nnesim train run's),
// that the JSON holds one curve per rule and the PNG is drawn, and that
// bad races are refused with the reason.
func TestRace(t *testing.T) {
	dir := t.TempDir()
	common := []string{"-digits", "0-4", "-hidden", "40", "-per-digit", "40", "-eval-every", "10", "-seed", "3"}
	out, png := filepath.Join(dir, "race.json"), filepath.Join(dir, "race.png")
	var stdout, stderr bytes.Buffer
	args := append(append([]string{"race", "-algo", "nne,dnn,sgd", "-generations", "20", "-epochs", "3"}, common...), "-json", out, "-png", png)
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("race: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res raceResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	solo := map[string]string{
		"nne": trainTo(t, dir, append([]string{"-generations", "20", "-threads", "1"}, common...)...).AllelesSHA256,
		"dnn": trainTo(t, dir, append([]string{"-algo", "dnn", "-epochs", "3"}, common...)...).WeightsSHA256,
		"sgd": trainTo(t, dir, append([]string{"-algo", "sgd", "-epochs", "3"}, common...)...).WeightsSHA256,
	}
	if len(res.Runs) != 3 {
		t.Fatalf("%d runs, want 3", len(res.Runs))
	}
	for _, r := range res.Runs {
		if r.Hash != solo[r.Algo] || len(r.Curve) < 2 || r.Curve[len(r.Curve)-1].Step != r.Steps {
			t.Errorf("%s in the race: %s at %s %d with %d points; solo: %s", r.Algo, r.Hash, r.Unit, r.Steps, len(r.Curve), solo[r.Algo])
		}
	}
	if st, err := os.Stat(png); err != nil || st.Size() < 1000 {
		t.Errorf("race PNG: %v", err)
	}
	// The race file continues every run; a later stop gives each rule's
	// solo run to that stop.
	raceFile := filepath.Join(dir, "race.nne")
	stdout.Reset()
	if err := run(append(append([]string{"race", "-algo", "dnn,sgd:net=dense", "-epochs", "2"}, common...), "-save", raceFile), &stdout, &stderr); err != nil {
		t.Fatalf("race -save: %v", err)
	}
	if err := run([]string{"race", "-resume", raceFile, "-epochs", "3", "-json", out}, &stdout, &stderr); err != nil {
		t.Fatalf("race -resume: %v", err)
	}
	b, err = os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	res = raceResult{}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	dense := trainTo(t, dir, append([]string{"-algo", "sgd", "-net", "dense", "-epochs", "3"}, common...)...).WeightsSHA256
	if len(res.Runs) != 2 || res.Runs[0].Hash != solo["dnn"] || res.Runs[1].Hash != dense || res.Runs[1].Steps != 3 {
		t.Errorf("resumed race: %+v, want dnn %s and dense sgd %s at epoch 3", res.Runs, solo["dnn"], dense)
	}
	wantError(t, "train", "-resume "+raceFile, "this file holds a race of 2 runs (dnn, sgd); continue it with nnesim race -resume")
	for _, tc := range []struct{ args, want string }{
		{"-algo nne,backprop", "algo=backprop: unknown rule"},
		{"-algo dnn,dnn", "algo entries 1 and 2 are the same run (dnn)"},
		{"-algo dnn,sgd -genes 100", "genes: not a setting of any rule in the race (dnn, sgd)"},
		{"-algo nne,dnn:digits=0-4", "digits is shared by every run of a race"},
		{"-algo dnn -seconds -1", "-seconds=-1"},
		{"-digits 0-4", "-algo: name the rules to race"},
		{"-resume " + raceFile + " -lr 0.1", "-lr: a resumed race keeps the settings of its file"},
		{"-resume " + raceFile + " -epochs 1", "run 1 (dnn): -epochs=1, but the run file is already at epoch 2"},
		{"-resume " + raceFile + " -algo nne", "the race file holds its rules and settings"},
	} {
		wantError(t, "race", tc.args, tc.want)
	}
}

// TestReproducePlan plans the tiny reproduction as a job array, runs each
// job as an array task would (reproduce -cell DIR K), and collects: the
// same results.json as the tiny run on one machine, times aside. A
// missing job is named by -collect with its log, and a task whose job is
// done does nothing.
func TestReproducePlan(t *testing.T) {
	dir, local := t.TempDir(), t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run([]string{"reproduce", "-tiny", "-out", local}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if err := run([]string{"reproduce", "-tiny", "-plan", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("-plan: %v\n%s", err, stderr.String())
	}
	var p plan
	if err := json.Unmarshal(mustRead(t, filepath.Join(dir, "plan.json")), &p); err != nil {
		t.Fatal(err)
	}
	sbatch := string(mustRead(t, filepath.Join(dir, "reproduce.sbatch")))
	for _, want := range []string{fmt.Sprintf("#SBATCH --array=0-%d\n", len(p.Jobs)-1), "#SBATCH --cpus-per-task=1", "#SBATCH --requeue", "#SBATCH --time=0-00:1", "logs/%a.out", `reproduce -cell '` + dir + `' "$SLURM_ARRAY_TASK_ID"`} {
		if !strings.Contains(sbatch, want) {
			t.Errorf("reproduce.sbatch lacks %q:\n%s", want, sbatch)
		}
	}
	if k8s := string(mustRead(t, filepath.Join(dir, "reproduce-job.yaml"))); !strings.Contains(k8s, "completionMode: Indexed") || !strings.Contains(k8s, fmt.Sprintf("completions: %d", len(p.Jobs))) {
		t.Errorf("reproduce-job.yaml:\n%s", k8s)
	}
	// Every cell of Table 1's NNE runs gives NNE + SignSGD's too: 2 seeds
	// of 4 NNE cells and of 2 cells per peer rule, 2 SGD cells, 3 of Table
	// 2 and 6 literal readings (1 seed), 4 of Figure 1 (2 gene counts for
	// each digit set) and Figure 2's one run.
	if len(p.Jobs) != 2*4+2*2*peers()+2*2+3*2+6+4*2+1 || !(p.CoreHours > 0) {
		t.Fatalf("%d jobs, %v core-hours", len(p.Jobs), p.CoreHours)
	}
	for _, it := range p.Jobs {
		if it.Settings.Seed != it.Seed || it.Settings.Algo == "" || !strings.Contains(it.Command, fmt.Sprintf("-seed %d", it.Seed)) || !(it.Seconds > 0) {
			t.Errorf("job %d: settings %+v, command %q, %v s", it.Index, it.Settings, it.Command, it.Seconds)
		}
	}
	for k := range p.Jobs {
		if k == 3 {
			continue // a task that failed
		}
		if err := run([]string{"reproduce", "-cell", dir, strconv.Itoa(k)}, &stdout, &stderr); err != nil {
			t.Fatalf("-cell %d: %v", k, err)
		}
	}
	err := run([]string{"reproduce", "-collect", dir}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("1 of %d jobs have no result", len(p.Jobs))) || !strings.Contains(err.Error(), "job 3 (table 1 ") || !strings.Contains(err.Error(), filepath.Join(dir, "logs", "3.out")) {
		t.Fatalf("collect with a job missing: %v", err)
	}
	stdout.Reset()
	// Job 3 on two threads: the collected results below must still be
	// the local run's, whose runs had one.
	for _, args := range [][]string{{"3", "-threads", "2"}, {"0"}} {
		if err := run(append([]string{"reproduce", "-cell", dir}, args...), &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(stdout.String(), "job 0: done already") || strings.Contains(stdout.String(), "job 3: done already") {
		t.Errorf("rerun: %s", stdout.String())
	}
	if err := run([]string{"reproduce", "-collect", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("collect: %v", err)
	}
	a, b := withoutTimes(t, filepath.Join(local, "results.json")), withoutTimes(t, filepath.Join(dir, "results.json"))
	if a != b {
		t.Errorf("collected results differ from the local run:\n%s\nvs\n%s", b, a)
	}
	for _, tc := range []struct{ args, want string }{
		{"-cell " + dir + " 99", fmt.Sprintf("job \"99\": want 0 to %d", len(p.Jobs)-1)},
		{"-cell " + dir, "want -cell DIR K"},
		{"-cell " + dir + " 1 2", "want -cell DIR K [-threads N]"},
		{"-cell " + dir + " 1 -threads", "want -cell DIR K [-threads N]"},
		{"-cell " + dir + " 1 -threads=0", "-threads=0, want a whole number from 1 to 1024"},
		{"-cell " + dir + " -threads abc 1", "-threads=abc, want a whole number"},
		{"-collect " + t.TempDir(), "plan.json"},
	} {
		wantError(t, "reproduce", tc.args, tc.want)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withoutTimes returns a results.json with its seconds set to 0.
func withoutTimes(t *testing.T, path string) string {
	var res results
	if err := json.Unmarshal(mustRead(t, path), &res); err != nil {
		t.Fatal(err)
	}
	res.WallSeconds = 0
	for _, c := range res.Cells {
		c.Seconds = 0
	}
	b, _ := json.MarshalIndent(res, "", " ")
	return string(b)
}

// TestReproduceCheckpoint: a job stopped after a checkpoint (a preempted
// task) and run again resumes its run file and gives the outcome of an
// uninterrupted run, for an NNE + SignSGD job and a lifetime rule's.
func TestReproduceCheckpoint(t *testing.T) {
	r, err := setupReproduce([]string{"-tiny", "-only", "improved,ours", "-figure", "", "-table", "all"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	js := jobs(r.cells)
	var picked []job
	for _, j := range js {
		if c := r.cells[j.c]; j.i == 1 && (c.Row == "NNE" || strings.HasPrefix(c.Row, "DNN, ours")) {
			picked = append(picked, j)
		}
	}
	if len(picked) < 2 {
		t.Fatalf("picked %d jobs", len(picked))
	}
	for _, j := range picked {
		name := r.cells[j.c].Row + " " + r.cells[j.c].Column
		r.x.checkpoint, r.x.interrupt = "", nil
		clean, err := runJob(r.cells, j, io.Discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.x.checkpoint = filepath.Join(t.TempDir(), "job.nne")
		r.x.checkpointEvery = 0
		// NNE stops at generation 3, DNN in its epoch 1 (of 2).
		at := 1
		if r.cells[j.c].Row == "NNE" {
			at = 3
		}
		stopped := -1
		r.x.interrupt = func(step int) bool { stopped = step; return step >= at }
		if _, err := runJob(r.cells, j, io.Discard, nil); !errors.Is(err, errInterrupted) {
			t.Fatalf("%s: the interrupted run returned %v", name, err)
		}
		if _, err := os.Stat(r.x.checkpoint); err != nil || stopped < 1 {
			t.Fatalf("%s: no checkpoint (%v) or stopped at %d", name, err, stopped)
		}
		// The checkpoint keeps the run's time, and -collect's list of
		// missing jobs says where it stands. Say it had run 1000 s: the
		// resumed outcome must count them.
		sv, err := readCheckpoint(r.x.checkpoint)
		if err != nil || sv == nil || !(sv.Seconds > 0) {
			secs := -1.0
			if sv != nil {
				secs = sv.Seconds
			}
			t.Fatalf("%s: checkpoint with %v seconds (%v): want the seconds it ran", name, secs, err)
		}
		unit := "epoch"
		if r.cells[j.c].Row == "NNE" {
			unit = "generation"
		}
		if got, want := progress(r.x.checkpoint), fmt.Sprintf("; checkpoint at %s %d of ", unit, stopped); !strings.HasPrefix(got, want) || !strings.Contains(got, "test accuracy") || !strings.Contains(got, "saved ") {
			t.Errorf("%s: progress %q, want it to start %q and give the accuracy and the time saved", name, got, want)
		}
		sv.Seconds = 1000
		if err := os.WriteFile(r.x.checkpoint, runfile.Encode(sv), 0o644); err != nil {
			t.Fatal(err)
		}
		// The second run goes on from there: its first save is not before.
		first := -1
		r.x.interrupt = func(step int) bool {
			if first < 0 {
				first = step
			}
			return false
		}
		again, err := runJob(r.cells, j, io.Discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		if first < stopped {
			t.Errorf("%s: stopped at step %d, but the second run saved at step %d first: it started over", name, stopped, first)
		}
		if again.Acc != clean.Acc || (again.Derived == nil) != (clean.Derived == nil) || again.Derived != nil && *again.Derived != *clean.Derived {
			t.Errorf("%s: resumed %+v, uninterrupted %+v", name, again, clean)
		}
		if again.Seconds < 1000 {
			t.Errorf("%s: the resumed job took %v s, without the 1000 s it had run before", name, again.Seconds)
		}
	}
}

// TestTrainConfusion: every rule's -json ends with the confusion matrix
// of its last evaluation (rows: true digit) and the per-class recall, which
// agree with each other and with the test accuracy.
func TestTrainConfusion(t *testing.T) {
	dir := t.TempDir()
	small := []string{"-digits", "3,5,8", "-per-digit", "40", "-hidden", "40", "-seed", "2"}
	for _, args := range [][]string{
		{"-generations", "20"},
		{"-algo", "dnn", "-epochs", "2"},
		{"-algo", "sgd", "-epochs", "1"},
		{"-algo", "nne-signsgd", "-generations", "10", "-epochs", "1"},
	} {
		res := trainTo(t, dir, append(args, small...)...)
		if fmt.Sprint(res.Classes) != "[3 5 8]" || len(res.Confusion) != 3 || len(res.PerClassRecall) != 3 {
			t.Fatalf("%v: classes %v, confusion %v, recall %v", args, res.Classes, res.Confusion, res.PerClassRecall)
		}
		total, right := 0, 0
		for i, row := range res.Confusion {
			n := 0
			for _, v := range row {
				n += v
			}
			total, right = total+n, right+row[i]
			if n == 0 || math.Abs(res.PerClassRecall[i]-float64(row[i])/float64(n)) > 1e-12 {
				t.Errorf("%v: class %d: row %v, recall %v", args, res.Classes[i], row, res.PerClassRecall[i])
			}
		}
		if math.Abs(float64(right)/float64(total)-res.TestAccuracy) > 1e-12 {
			t.Errorf("%v: the confusion's diagonal is %d of %d, the test accuracy %v", args, right, total, res.TestAccuracy)
		}
		if (args[0] == "-algo" && args[1] == "nne-signsgd") != (res.NNEPerClassRecall != nil) {
			t.Errorf("%v: NNE's recall at the switch %v", args, res.NNEPerClassRecall)
		}
	}
	// NNE + SignSGD's NNE recall is that of NNE alone, stopped where it
	// switched.
	alone := trainTo(t, dir, append([]string{"-generations", "10"}, small...)...)
	chain := trainTo(t, dir, append([]string{"-algo", "nne-signsgd", "-generations", "10", "-epochs", "1"}, small...)...)
	if fmt.Sprint(chain.NNEPerClassRecall) != fmt.Sprint(alone.PerClassRecall) {
		t.Errorf("NNE + SignSGD: NNE's recall %v, NNE alone %v", chain.NNEPerClassRecall, alone.PerClassRecall)
	}
}

// peers counts the rules reproduce runs beside NNE (learner.Rule.Peer).
func peers() int {
	n := 0
	for _, r := range learner.Rules {
		if r.Peer {
			n++
		}
	}
	return n
}
