package render

import (
	"image"
	"testing"

	"nnesim/core/network"
)

// BenchmarkPanels measures drawing each picture into a 440×320 panel at
// scale 1, the size of a panel on a laptop screen; the browser app draws
// one changed panel per frame, so each must fit well inside 16 ms (wasm
// runs these loops 2-3× slower than native).
func BenchmarkPanels(b *testing.B) {
	st, err := NewStyle(1)
	if err != nil {
		b.Fatal(err)
	}
	arch, err := network.NewArch(784, 100, 5, 0.1, 1)
	if err != nil {
		b.Fatal(err)
	}
	w := make([]float32, arch.Links())
	for i := range w {
		w[i] = float32(i%7) - 3
	}
	fields, linked := arch.Fields(w, 24)
	p := make([]float32, 4000)
	for i := range p {
		p[i] = float32(i%101) / 100
	}
	xs, ys := make([]float64, 120), make([]float64, 120)
	for i := range xs {
		xs[i], ys[i] = float64(50*i), float64(i)/120
	}
	labels := []string{"0", "1", "2", "3", "4"}
	conf := make([]int32, 25)
	for i := range conf {
		conf[i] = int32(i * 7)
	}
	grid := make([]float32, 40*784)
	truth, pred := make([]int32, 40), make([]int32, 40)
	dst := image.NewRGBA(image.Rect(0, 0, 440, 320))
	for _, bc := range []struct {
		name string
		draw func(r image.Rectangle)
	}{
		{"histogram", func(r image.Rectangle) { st.Histogram(dst, r, p, 20, 0.3) }},
		{"curves", func(r image.Rectangle) {
			st.Plot(dst, r, []Series{{Name: "test", Color: Blue, X: xs, Y: ys}, {Name: "train", Color: Orange, X: xs, Y: ys}}, 6000, 1, "%.2f", "100 generations")
		}},
		{"tiles", func(r image.Rectangle) { st.Tiles(dst, r, fields, linked, 24) }},
		{"heatmap", func(r image.Rectangle) { st.HeatMap(dst, r, arch.Output(w), labels) }},
		{"confusion", func(r image.Rectangle) { st.Confusion(dst, r, conf, labels) }},
		{"grid", func(r image.Rectangle) { st.DigitGrid(dst, r, grid, truth, pred, labels) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.draw(st.Panel(dst, "title"))
			}
		})
	}
}
