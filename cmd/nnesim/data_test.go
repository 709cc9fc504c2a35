package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nnesim/core/mnist"
	"nnesim/core/runfile"
)

// writeIDX writes an IDX file of unsigned bytes.
func writeIDX(t *testing.T, path string, dims []int, data []byte) {
	t.Helper()
	var b bytes.Buffer
	b.Write([]byte{0, 0, 8, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(data)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fiveClassFolder writes a dataset folder made of real MNIST images: the
// training pool's and the test set's images of digits 0-4, flipped left
// to right (a second dataset of the same shape), as raw IDX files.
func fiveClassFolder(t *testing.T) string {
	t.Helper()
	pool, test, err := mnist.LoadPool("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, part := range []struct {
		set            *mnist.Set
		images, labels string
	}{{pool, mnist.TrainImagesName, mnist.TrainLabelsName}, {test, mnist.TestImagesName, mnist.TestLabelsName}} {
		var img, lbl []byte
		for i, l := range part.set.Labels {
			if l > 4 {
				continue
			}
			x := part.set.Image(i)
			for r := range mnist.Height {
				for c := range mnist.Width {
					img = append(img, x[r*mnist.Width+mnist.Width-1-c])
				}
			}
			lbl = append(lbl, l)
		}
		writeIDX(t, filepath.Join(dir, part.images), []int{len(lbl), mnist.Height, mnist.Width}, img)
		writeIDX(t, filepath.Join(dir, part.labels), []int{len(lbl)}, lbl)
	}
	return dir
}

// TestTrainOtherData trains on a five-class dataset folder: the quick10
// preset (ten digits) learns the five classes the data holds without
// -digits, with a line that says so; -digits 0-9 is refused, naming the
// missing ones; -test-data scores the run on another folder's test pair.
func TestTrainOtherData(t *testing.T) {
	dir := fiveClassFolder(t)
	out := filepath.Join(t.TempDir(), "r.json")
	var stdout, stderr bytes.Buffer
	args := []string{"train", "-data", dir, "-preset", "quick10", "-generations", "60", "-eval-every", "60", "-per-digit", "100", "-seed", "2", "-json", out}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "digits 0-4: the classes the data holds") {
		t.Errorf("no line on the digits:\n%s", stdout.String())
	}
	var res trainResult
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Config.Digits != "0-4" || len(res.PerClassRecall) != 5 || res.TestAccuracy < 0.5 {
		t.Errorf("digits %s, %d classes, test accuracy %.3f; want 0-4, 5, above chance (0.2) by far", res.Config.Digits, len(res.PerClassRecall), res.TestAccuracy)
	}
	err := run([]string{"train", "-data", dir, "-digits", "0-9", "-generations", "1"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "the data has no image of 5-9 (its classes: 0-4)") {
		t.Errorf("-digits 0-9 on five classes: %v", err)
	}
	// The same run scored on the flipped set's test pair alone gives the
	// same test accuracy as on its own folder.
	testOnly := t.TempDir()
	for _, n := range []string{mnist.TestImagesName, mnist.TestLabelsName} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(testOnly, n), b, 0o644)
	}
	short := []string{"-data", dir, "-preset", "quick10", "-generations", "60", "-eval-every", "60", "-per-digit", "100", "-seed", "2"}
	res2 := resultOf(t, append([]string{"-test-data", testOnly}, short...)...)
	if res2.TestAccuracy != res.TestAccuracy || res2.AllelesSHA256 != res.AllelesSHA256 {
		t.Errorf("-test-data with the same test pair: %.4f, want %.4f", res2.TestAccuracy, res.TestAccuracy)
	}
	if err := run([]string{"train", "-test-data", t.TempDir(), "-generations", "1"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "-test-data") || !strings.Contains(err.Error(), mnist.TestImagesName) {
		t.Errorf("an empty -test-data folder: %v", err)
	}
	// The same pair as the digits drawn that a run file carries (the
	// page's Export run after My digits) scores the same.
	// 300 drawings (a set holds at most mnist.MaxMine), also as a folder.
	test, err := mnist.LoadTest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var small mnist.Mine
	small.Set = mnist.Set{Labels: test.Labels[:300], Images: test.Images[:300*mnist.Pixels]}
	images, labels := small.IDX()
	smallDir := t.TempDir()
	os.WriteFile(filepath.Join(smallDir, mnist.TestImagesName), images, 0o644)
	os.WriteFile(filepath.Join(smallDir, mnist.TestLabelsName), labels, 0o644)
	resSmall := resultOf(t, append([]string{"-test-data", smallDir}, short...)...)
	saved := filepath.Join(t.TempDir(), "r.nne")
	if err := run([]string{"train", "-data", dir, "-preset", "quick10", "-generations", "1", "-per-digit", "100", "-save", saved}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	plain, _ := os.ReadFile(saved)
	withDrawn, err := runfile.Attach(plain, []runfile.Attachment{{Name: runfile.DrawnImages, Data: images}, {Name: runfile.DrawnLabels, Data: labels}})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(saved, withDrawn, 0o644)
	res3 := resultOf(t, append([]string{"-test-data", saved}, short...)...)
	if res3.TestAccuracy != resSmall.TestAccuracy || res3.TestAccuracy == res.TestAccuracy {
		t.Errorf("-test-data of a run file's drawn digits: %.4f, want %.4f (the folder of the same 300), not %.4f (all)", res3.TestAccuracy, resSmall.TestAccuracy, res.TestAccuracy)
	}
	os.WriteFile(saved, plain, 0o644)
	if err := run([]string{"train", "-test-data", saved, "-generations", "1"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "carries no digits drawn") {
		t.Errorf("-test-data of a run file without drawings: %v", err)
	}
}

// resultOf runs nnesim train with args and -json, and returns its result.
func resultOf(t *testing.T, args ...string) trainResult {
	t.Helper()
	out := filepath.Join(t.TempDir(), "r.json")
	var stdout, stderr bytes.Buffer
	if err := run(append(append([]string{"train"}, args...), "-json", out), &stdout, &stderr); err != nil {
		t.Fatalf("nnesim train %v: %v\n%s", args, err, stderr.String())
	}
	var res trainResult
	b, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(b, &res)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRunFileNamesItsData checks that a run file of a run on another
// dataset continues only on that dataset, and an MNIST run's only on
// MNIST, natively for train and race.
func TestRunFileNamesItsData(t *testing.T) {
	dir := fiveClassFolder(t)
	tmp := t.TempDir()
	other, mnistRun, race := filepath.Join(tmp, "other.nne"), filepath.Join(tmp, "mnist.nne"), filepath.Join(tmp, "race.nne")
	var stdout, stderr bytes.Buffer
	for _, args := range [][]string{
		{"train", "-data", dir, "-generations", "5", "-eval-every", "5", "-seed", "2", "-save", other},
		{"train", "-generations", "5", "-eval-every", "5", "-seed", "2", "-save", mnistRun},
		{"race", "-data", dir, "-algo", "nne,sgd", "-generations", "5", "-epochs", "1", "-seed", "2", "-save", race},
	} {
		if err := run(args, &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
	}
	base := filepath.Base(dir)
	wantError(t, "train", "-resume "+other+" -generations 10", "the run learned from the folder "+base+" (data ")
	wantError(t, "train", "-resume "+other+" -generations 10", "and MNIST is other data (data "+mnist.MNISTID+")")
	wantError(t, "train", "-data "+dir+" -resume "+mnistRun+" -generations 10", "the file names no data, so the run learned from MNIST (data "+mnist.MNISTID+"), or was written before run files named their data, and the folder "+base+" is other data")
	wantError(t, "race", "-resume "+race+" -generations 10", "the run learned from the folder "+base)
	// A file that is no run file is refused as such, not for its data.
	junk := filepath.Join(tmp, "junk.nne")
	os.WriteFile(junk, []byte("not a run"), 0o644)
	wantError(t, "train", "-data "+dir+" -resume "+junk+" -generations 10", "not a usable nnesim run file")
	for _, args := range [][]string{
		{"train", "-data", dir, "-resume", other, "-generations", "10"},
		{"train", "-resume", mnistRun, "-generations", "10"},
		{"race", "-data", dir, "-resume", race, "-generations", "10"},
	} {
		if err := run(args, &stdout, &stderr); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}
