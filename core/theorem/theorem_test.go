package theorem

import (
	"testing"

	"nnesim/core/nne"
)

// TestReachable checks Theorem 2's first claim as Reachable decides it:
// with n well above m a sign genome reaches a random target, and the p it
// returns is a distribution with W·p = a; with n below m, or with the
// target out of W's reach (every entry of a above what W·1 can give), it
// does not.
func TestReachable(t *testing.T) {
	const m = 8
	task, err := nne.NewLinear(m, 10, 0.9, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n    int
		far  bool
		want bool
	}{
		{64, false, true},
		{4, false, false},
		{64, true, false},
	} {
		g, err := nne.NewSignGenome(m, c.n, 3.0/m, 1)
		if err != nil {
			t.Fatal(err)
		}
		a := task.Target
		if c.far {
			a = make([]float64, m)
			for i := range a {
				a[i] = 1e3
			}
		}
		p, ok, err := Reachable(g, a)
		if err != nil {
			t.Fatal(err)
		}
		if ok != c.want {
			t.Errorf("n = %d, far %v: reachable %v, want %v", c.n, c.far, ok, c.want)
		}
		if !ok {
			continue
		}
		w := make([]float32, m)
		p32 := make([]float32, len(p))
		for i, v := range p {
			p32[i] = float32(v)
		}
		g.MeanWeights(w, p32)
		for i := range w {
			if d := float64(w[i]) - a[i]; d > 1e-4 || d < -1e-4 {
				t.Errorf("n = %d: (W·p)[%d] = %g, a = %g", c.n, i, w[i], a[i])
			}
		}
	}
}

// TestSweep runs a small sweep: more genes reach more targets, every
// NNE number is a cosine or a distance, and bad settings are refused.
func TestSweep(t *testing.T) {
	c := Config{Ms: []int{4}, Ratios: []float64{1, 8}, D: 2, Norm: 0.9, Draws: 6, Seeds: []uint64{1, 2},
		Examples: 50, Pop: 20, Batch: 20, Generations: 50, Eps0: 0.5, Scale: nne.ScaleSign}
	var seen []Result
	res, err := Sweep(c, func(r Result) { seen = append(seen, r) })
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || len(seen) != 2 || res[0].N != 4 || res[1].N != 32 || res[0].Beta != 0.5 {
		t.Fatalf("results %+v, want n = 4 and 32 at β = 0.5", res)
	}
	if res[1].Reached < res[0].Reached || res[1].Reached < 5 || res[0].Reached > 1 {
		t.Errorf("reached %d of 6 at n = m and %d at n = 8m; want few, then nearly all", res[0].Reached, res[1].Reached)
	}
	for _, r := range res {
		for i := range r.Cos {
			if !(r.Cos[i] >= -1 && r.Cos[i] <= 1 && r.CosHat[i] >= -1 && r.CosHat[i] <= 1 && r.Dist[i] >= 0 && r.Fixed[i] >= 0 && r.Fixed[i] <= 1) {
				t.Errorf("n = %d, seed %d: cos %g, cos x̂ %g, distance %g, fixed %g", r.N, i+1, r.Cos[i], r.CosHat[i], r.Dist[i], r.Fixed[i])
			}
		}
		if len(r.Cos) != 2 {
			t.Errorf("n = %d: %d NNE runs, want 2", r.N, len(r.Cos))
		}
	}
	if n, ok := Needed(res, 4, 0.8); !ok || n != 32 {
		t.Errorf("Needed: %d, %v; want 32", n, ok)
	}
	if _, ok := Needed(res, 5, 0.8); ok {
		t.Error("Needed found an m that was not swept")
	}
	for _, bad := range []func(*Config){
		func(c *Config) { c.Ms = nil },
		func(c *Config) { c.D = 0 },
		func(c *Config) { c.Ms = []int{1} }, // m below d
		func(c *Config) { c.Ratios = []float64{2000} },
		func(c *Config) { c.Eps0 = 0 },
		func(c *Config) { c.Draws = -1 },
	} {
		b := c
		bad(&b)
		if _, err := Sweep(b, nil); err == nil {
			t.Errorf("Sweep(%+v) ran", b)
		}
	}
}
