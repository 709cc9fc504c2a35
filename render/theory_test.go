package render

import (
	"image"
	"testing"
)

// TestTheoryPanels: the curve panel draws its two lines (blue and orange
// pixels in the plot) and an early stop's reason in red; the histogram
// panel draws its bars.
func TestTheoryPanels(t *testing.T) {
	st, err := NewStyle(1)
	if err != nil {
		t.Fatal(err)
	}
	count := func(img *image.RGBA, c [4]uint8) int {
		n := 0
		for i := 0; i+3 < len(img.Pix); i += 4 {
			if img.Pix[i] == c[0] && img.Pix[i+1] == c[1] && img.Pix[i+2] == c[2] {
				n++
			}
		}
		return n
	}
	rgba := func(c interface{ RGBA() (r, g, b, a uint32) }) [4]uint8 {
		r, g, b, a := c.RGBA()
		return [4]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
	}
	curve := TheoryCurve{Gens: []float64{0, 100, 200}, Cos: []float64{-0.2, 0.8, 0.97}, Fixed: []float64{0, 0.02, 0.05}, Generation: 200, Stop: 400, CosNow: 0.97, Dist: 0.1}
	img := image.NewRGBA(image.Rect(0, 0, 500, 300))
	st.TheoryCurvePanel(img, curve)
	if n := count(img, rgba(st.Pal.Blue)); n < 100 {
		t.Errorf("the cos line has %d pixels", n)
	}
	if n := count(img, rgba(st.Pal.Orange)); n < 100 {
		t.Errorf("the fixed share's line has %d pixels", n)
	}
	// Text is antialiased: count the reddish pixels.
	reddish := func(img *image.RGBA) int {
		n := 0
		for i := 0; i+3 < len(img.Pix); i += 4 {
			if r, g, b := int(img.Pix[i]), int(img.Pix[i+1]), int(img.Pix[i+2]); r > g+80 && r > b+80 {
				n++
			}
		}
		return n
	}
	before := reddish(img)
	curve.Error = "generation 3: ε too large"
	st.TheoryCurvePanel(img, curve)
	if n := reddish(img); n < before+50 {
		t.Errorf("an early stop drew %d reddish pixels, %d without it", n, before)
	}
	p := make([]float32, 400)
	for i := range p {
		p[i] = float32(i%2) * 0.999
	}
	h := image.NewRGBA(image.Rect(0, 0, 500, 250))
	st.TheoryAllelesPanel(h, p, 1, 200)
	if n := count(h, rgba(st.Pal.Blue)); n < 1000 {
		t.Errorf("the histogram has %d bar pixels", n)
	}
}
