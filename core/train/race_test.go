package train

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseRace(t *testing.T) {
	const mem = 1 << 30
	dnn, _ := Defaults("dnn", "")
	sgd, _ := Defaults("sgd", "")
	quick, _ := Defaults("nne", "")
	for _, tc := range []struct {
		query  string
		algos  []string
		check  func(r Race) bool
		labels []string
		errs   []string // substrings, one per error, in order
	}{
		{"algo=nne,dnn,sgd&digits=0-4&seed=3", []string{"nne", "dnn", "sgd"}, func(r Race) bool {
			for _, s := range r.Runs {
				if s.Digits != "0-4" || s.Seed != 3 {
					return false
				}
			}
			return r.Runs[1].LR == dnn.LR && r.Runs[2].LR == sgd.LR && r.Runs[0].Genes == quick.Genes
		}, []string{"nne", "dnn", "sgd"}, nil},
		// A setting applies to every run it is a setting of.
		{"algo=nne,nne-signsgd,dnn&lr=0.05&genes=500", []string{"nne", "nne-signsgd", "dnn"}, func(r Race) bool {
			return r.Runs[0].Genes == 500 && r.Runs[1].Genes == 500 && r.Runs[1].LR == 0.05 && r.Runs[2].LR == 0.05
		}, nil, nil},
		// An entry's own settings apply to its run alone; a rule races itself.
		{"algo=dnn:lr=0.1:explore=0,sgd,sgd:net=dense", []string{"dnn", "sgd", "sgd"}, func(r Race) bool {
			return r.Runs[0].LR == 0.1 && r.Runs[0].Explore == 0 && r.Runs[1].Net == "sparse" && r.Runs[2].Net == "dense"
		}, []string{"dnn lr=0.1", "sgd", "sgd dense"}, nil},
		{"algo=nne:preset=demo,nne-signsgd", []string{"nne", "nne-signsgd"}, func(r Race) bool {
			return r.Runs[0].Preset == "demo" && r.Runs[1].Preset == "quick"
		}, nil, nil},
		// One rule is ParseQuery's run.
		{"algo=dnn&lr=0.3", []string{"dnn"}, func(r Race) bool { return r.Runs[0].LR == 0.3 }, []string{"dnn"}, nil},
		{"algo=dnn,sgd&genes=100", []string{"dnn", "sgd"}, nil, nil, []string{"genes: not a setting of any rule in the race (dnn, sgd)"}},
		{"algo=dnn,sgd&preset=demo", []string{"dnn", "sgd"}, nil, nil, []string{"preset: not a setting of any rule in the race"}},
		{"algo=nne,dnn:digits=0-4", []string{"nne"}, nil, nil, []string{"digits is shared by every run of a race; set it once"}},
		{"algo=nne,dnn:genes=5,sgd:bogus=1,sgd:lr", []string{"nne"}, nil, nil, []string{"genes is not a setting of dnn", "bogus is not a setting", `"lr" is not name=value`}},
		{"algo=nne,backprop", []string{"nne"}, nil, nil, []string{"algo=backprop: unknown rule"}},
		{"algo=nne,nne", []string{"nne"}, nil, nil, []string{"algo entries 1 and 2 are the same run (nne)"}},
		{"algo=,,", []string{"nne"}, nil, nil, []string{"names no rule to run"}},
		// A shared parameter's error is said once; a run's own, with its name.
		{"algo=nne,dnn&seed=abc", []string{"nne", "dnn"}, nil, nil, []string{"seed=abc: want a whole number"}},
		{"algo=nne,dnn:lr=-1", []string{"nne", "dnn"}, func(r Race) bool { return r.Runs[1].LR == dnn.LR }, nil, []string{"dnn: lr=-1: out of range"}},
		{"algo=nne,dnn&__proto__=1", []string{"nne", "dnn"}, nil, nil, []string{"__proto__: unknown parameter"}},
		{"algo=" + strings.Repeat("dnn:lr=0.1,", 3) + "nne,sgd,signsgd,nne-signsgd,dnn,sgd:net=dense,signsgd:net=sparse,nne:genes=99", nil, nil, nil, []string{"a race has at most 8", "same run", "same run"}},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		r, errs := ParseRace(q, mem, 0, "autostart")
		if tc.algos != nil && !slices.Equal(r.Algos(), tc.algos) {
			t.Errorf("%s: runs %v, want %v", tc.query, r.Algos(), tc.algos)
		}
		if tc.check != nil && !tc.check(r) {
			t.Errorf("%s: wrong settings %+v", tc.query, r.Runs)
		}
		if tc.labels != nil && !slices.Equal(r.Labels(), tc.labels) {
			t.Errorf("%s: labels %q, want %q", tc.query, r.Labels(), tc.labels)
		}
		if len(errs) != len(tc.errs) {
			t.Errorf("%s: errors %v, want %d", tc.query, errs, len(tc.errs))
			continue
		}
		for i, e := range errs {
			if !strings.Contains(e.Error(), tc.errs[i]) {
				t.Errorf("%s: error %d %q, want it to contain %q", tc.query, i, e, tc.errs[i])
			}
		}
		// The canonical query reads back to the same race.
		if len(errs) == 0 {
			back, errs := ParseRace(r.Query(), mem, 0)
			if len(errs) > 0 || !reflect.DeepEqual(back, r) {
				t.Errorf("%s: Query %s reads back as %+v (%v)", tc.query, r.Query().Encode(), back.Runs, errs)
			}
		}
	}
}

func TestRaceQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"algo=nne,dnn,sgd&digits=0-4&seed=3", "algo=nne,dnn,sgd&digits=0-4&preset=quick&seed=3"},
		{"algo=dnn:lr=0.1,sgd", "algo=dnn:lr=0.1,sgd&digits=&epochs="},
		{"algo=sgd:net=dense,sgd", "algo=sgd:net=dense,sgd"},
		{"algo=nne,nne-signsgd,dnn&lr=0.05", "algo=nne,nne-signsgd,dnn&lr=0.05&preset=quick"},
	} {
		q, _ := url.ParseQuery(tc.in)
		r, errs := ParseRace(q, 1<<30, 0)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", tc.in, errs)
		}
		got := r.Query()
		// Compare as values: only the listed parameters, whatever order.
		want, _ := url.ParseQuery(tc.want)
		for k := range want {
			if got.Get(k) != want.Get(k) {
				t.Errorf("%s: Query %s, want %s=%s", tc.in, got.Encode(), k, want.Get(k))
			}
		}
	}
}

func TestRaceWorkers(t *testing.T) {
	for _, tc := range []struct {
		algos   string
		workers int
		want    []int
		duty    float64
	}{
		{"nne,dnn,sgd", 1, []int{1, 1, 1}, 1.0 / 3},
		{"nne,dnn,sgd", 2, []int{1, 1, 1}, 2.0 / 3},
		{"nne,dnn,sgd", 4, []int{2, 1, 1}, 1},
		{"nne,nne,dnn", 6, []int{3, 2, 1}, 1},
		{"nne,nne-signsgd", 3, []int{2, 1}, 1},
		{"dnn,sgd", 8, []int{1, 1}, 1},
		{"nne", 3, []int{3}, 1},
		{"nne,dnn", 0, []int{1, 1}, 1},
	} {
		algos := strings.Split(tc.algos, ",")
		if got := RaceWorkers(algos, tc.workers); !slices.Equal(got, tc.want) {
			t.Errorf("RaceWorkers(%s, %d) = %v, want %v", tc.algos, tc.workers, got, tc.want)
		}
		if d := RaceDuty(algos, tc.workers); tc.duty != 0 && d != tc.duty {
			t.Errorf("RaceDuty(%s, %d) = %v, want %v", tc.algos, tc.workers, d, tc.duty)
		}
		// Every copy of every run (NNE's coordinator and evaluators) has its
		// budget, and together they use the whole.
		b := RaceBudgets(algos, tc.workers, 1000)
		sum := 0.0
		for i, v := range b {
			copies := 1
			if algos[i] == "nne" && tc.workers > 0 {
				copies += tc.want[i]
			}
			sum += float64(copies) * v
		}
		if sum < 999.999 || sum > 1000.001 {
			t.Errorf("RaceBudgets(%s, %d) = %v: the copies use %v of 1000", tc.algos, tc.workers, b, sum)
		}
	}
}

// TestRaceMemory: a race that does not fit names the run; one run's
// budget is shared with its evaluators too.
func TestRaceMemoryOneRun(t *testing.T) {
	// The smallest genome two workers' copies cannot hold (its size
	// depends on the build: the vector kernel keeps W twice) …
	genes := 0
	for g := 10000; g <= 1000000 && genes == 0; g += 10000 {
		q, _ := url.ParseQuery(fmt.Sprintf("preset=paper&genes=%d", g))
		if r, errs := ParseRace(q, 1<<30, 2); len(errs) == 1 && r.Runs[0].Genes != g {
			genes = g
		}
	}
	if genes == 0 {
		t.Fatal("two workers took every genome up to a million genes")
	}
	// … fits one worker's.
	q, _ := url.ParseQuery(fmt.Sprintf("preset=paper&genes=%d", genes))
	if r, errs := ParseRace(q, 1<<30, 1); len(errs) != 0 || r.Runs[0].Genes != genes {
		t.Fatalf("one worker refused genes=%d, which two could not hold: %v", genes, errs)
	}
}

// TestRaceMemory: a race that does not fit names the run.
func TestRaceMemory(t *testing.T) {
	q, _ := url.ParseQuery("algo=nne,sgd&hidden=20000")
	r, errs := ParseRace(q, 1<<30, 0)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "sgd: ") || !strings.Contains(errs[0].Error(), "GiB") {
		t.Fatalf("errors %v, want one naming sgd and the memory", errs)
	}
	if r.Runs[1].Hidden == 20000 {
		t.Error("the run that does not fit kept its settings")
	}
}

// lifetimeSaved is a valid run-file state of a lifetime rule (the file
// layer does not read the state).
func lifetimeSaved(t testing.TB, algo string) *Saved {
	s, err := Defaults(algo, "")
	if err != nil {
		t.Fatal(err)
	}
	s.Digits = "0-9"
	return &Saved{Settings: s, Step: 3, Seconds: 2, State: []byte{1, 2, 3, 4},
		Curve: []Point{{Step: 0, Unit: "epoch", TestAccuracy: 0.1}, {Step: 3, Unit: "epoch", Seconds: 2, TestAccuracy: 0.7, Hash: "abc"}}}
}

func TestRaceFile(t *testing.T) {
	nne := smallSaved(t)
	nne.Settings.Digits = "0-9"
	runs := []*Saved{nne, lifetimeSaved(t, "dnn"), lifetimeSaved(t, "sgd")}
	b := EncodeRaceFile(runs)
	files, back, err := SplitRunFiles(b, 1<<30, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 || !reflect.DeepEqual(back, runs) {
		t.Fatalf("race file read back as %d runs %+v", len(files), back)
	}
	// A race of one is the run's file, and reads as itself.
	if one := EncodeRaceFile(runs[1:2]); string(one) != string(EncodeRunFile(runs[1])) {
		t.Error("a race of one run is not its run file")
	}
	if _, one, err := SplitRunFiles(EncodeRunFile(runs[1]), 1<<30, 2); err != nil || len(one) != 1 {
		t.Errorf("a run file splits into %d runs (%v)", len(one), err)
	}
	// nnesim train -resume of a race explains where it runs.
	if _, err := DecodeRunFile(b, 1<<30); !errors.Is(err, errRace) || !strings.Contains(err.Error(), "3 runs (nne, dnn, sgd)") || !strings.Contains(err.Error(), "nnesim race -resume") {
		t.Errorf("DecodeRunFile of a race: %v", err)
	}
	corrupt := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), b...)) }
	other := lifetimeSaved(t, "sgd")
	other.Settings.Seed = 9
	for name, tc := range map[string]struct {
		b    []byte
		want string
	}{
		"flipped":   {corrupt(func(b []byte) []byte { b[100] ^= 1; return b }), "checksum"},
		"truncated": {b[:len(b)-5], "announces"},
		"count":     {withBody(corrupt(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[runHeaderSize:], 1); return b })), "a race of 1 runs"},
		"unfair":    {EncodeRaceFile([]*Saved{runs[1], other}), "run 2 has seed=9 but run 1 seed=1"},
		"nested":    {JoinRunFiles([][]byte{b, EncodeRunFile(runs[1])}), "run 1 is itself a race"},
		"bad run":   {JoinRunFiles([][]byte{EncodeRunFile(runs[1]), EncodeRunFile(runs[2])[:40]}), "run 2 of the race"},
	} {
		if _, _, err := SplitRunFiles(tc.b, 1<<30, 2); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to say %q", name, err, tc.want)
		}
	}
}

// withBody rewrites the checksum of a file whose body was changed.
func withBody(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[24:], crcOf(b[runHeaderSize:]))
	return b
}

func crcOf(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
