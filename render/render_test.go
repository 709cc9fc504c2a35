package render

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nnesim/core/network"
)

func count(img *image.RGBA, r image.Rectangle, c color.RGBA) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) == c {
				n++
			}
		}
	}
	return n
}

// save writes img when NNESIM_RENDER_OUT names a folder, so the pictures
// can be looked at: NNESIM_RENDER_OUT=/tmp go test ./render.
func save(t *testing.T, name string, img image.Image) {
	dir := os.Getenv("NNESIM_RENDER_OUT")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestPictures(t *testing.T) {
	st, err := NewStyle(2)
	if err != nil {
		t.Fatal(err)
	}
	arch, err := network.NewArch(784, 12, 3, 0.1, 1)
	if err != nil {
		t.Fatal(err)
	}
	w := make([]float32, arch.Links())
	for i := range w {
		w[i] = float32(i%7) - 3
	}
	fields, linked := arch.Fields(w, 12)
	digit := make([]float32, 784)
	for y := 4; y < 24; y++ {
		digit[y*28+14] = 1
	}
	labels := []string{"0", "1", "2"}
	for _, tc := range []struct {
		name  string
		draw  func(dst *image.RGBA, r image.Rectangle)
		check func(t *testing.T, dst *image.RGBA, r image.Rectangle)
	}{
		{"digit", func(dst *image.RGBA, r image.Rectangle) { Digit(dst, r, digit) },
			func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
				used := Digit(dst, r, digit)
				k := used.Dx() / 28
				if n := count(dst, used, color.RGBA{0, 0, 0, 255}); n != 20*k*k {
					t.Errorf("%d black pixels, want the 20-pixel bar: %d", n, 20*k*k)
				}
			}},
		{"histogram", func(dst *image.RGBA, r image.Rectangle) {
			p := make([]float32, 1000)
			for i := range 300 {
				p[i] = 1
			}
			st.Histogram(dst, r, p, 20, 1)
		}, func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
			left := image.Rect(r.Min.X, r.Min.Y, r.Min.X+r.Dx()/20, r.Max.Y)
			right := image.Rect(r.Max.X-r.Dx()/20, r.Min.Y, r.Max.X, r.Max.Y)
			middle := image.Rect(r.Min.X+r.Dx()/3, r.Min.Y, r.Max.X-r.Dx()/3, r.Max.Y)
			l, rr, m := count(dst, left, Blue), count(dst, right, Blue), count(dst, middle, Blue)
			if m != 0 || rr == 0 || l < 2*rr {
				t.Errorf("blue pixels: %d in the p=0 bin, %d in the p=1 bin, %d in the middle; want 700:300 and none", l, rr, m)
			}
		}},
		{"plot", func(dst *image.RGBA, r image.Rectangle) {
			st.Plot(dst, r, []Series{{Name: "test", Color: Blue, X: []float64{0, 50, 100}, Y: []float64{0.2, 0.7, 0.9}}, {Name: "train", Color: Orange, X: []float64{0, 100}, Y: []float64{0.1, 1}}}, 100, 1, "%.2f", "100 generations")
		}, func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
			if n := count(dst, r, Blue); n < 200 {
				t.Errorf("%d blue pixels, want a line", n)
			}
		}},
		{"plot with a mark", func(dst *image.RGBA, r image.Rectangle) {
			st.Plot(dst, r, []Series{{Name: "test", Color: Blue, X: []float64{0, 100}, Y: []float64{0.2, 0.9}}, {Name: "switch", Color: Green, X: []float64{60}, Mark: true}}, 100, 1, "%.2f", "100 generations")
		}, func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
			// The mark is a dashed vertical line right of the middle.
			right := image.Rect(r.Min.X+r.Dx()/2, r.Min.Y+r.Dy()/4, r.Max.X, r.Max.Y)
			left := image.Rect(r.Min.X+st.Px(40), r.Min.Y+r.Dy()/4, r.Min.X+r.Dx()/2, r.Max.Y)
			if count(dst, right, Green) < 20 || count(dst, left, Green) != 0 {
				t.Errorf("mark: %d green pixels right of the middle, %d left", count(dst, right, Green), count(dst, left, Green))
			}
		}},
		{"bars", func(dst *image.RGBA, r image.Rectangle) { st.Bars(dst, r, labels, []float64{0.1, 0.7, 0.2}) },
			func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
				third := r.Dy() / 3
				if g := count(dst, image.Rect(r.Min.X, r.Min.Y+third, r.Max.X, r.Min.Y+2*third), Green); g == 0 || count(dst, r, Green) != g {
					t.Error("the green (most probable) bar is not the second")
				}
			}},
		{"tiles", func(dst *image.RGBA, r image.Rectangle) { st.Tiles(dst, r, fields, linked, 12) },
			func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
				// About 90% of each tile's pixels have no link (q = 0.1).
				un := count(dst, r, Unlinked)
				if un == 0 || count(dst, r, Background) == 0 {
					t.Errorf("%d unlinked pixels", un)
				}
			}},
		{"heatmap", func(dst *image.RGBA, r image.Rectangle) { st.HeatMap(dst, r, arch.Output(w), labels) },
			func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
				if count(dst, r, Diverging(1)) == 0 || count(dst, r, Diverging(-1)) == 0 {
					t.Error("heat map lacks the extreme colours of weights 3 and -3")
				}
			}},
		{"confusion", func(dst *image.RGBA, r image.Rectangle) {
			st.Confusion(dst, r, []int32{10, 0, 0, 0, 10, 0, 0, 0, 10}, labels)
		}, func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
			if count(dst, r, Green) == 0 || count(dst, r, Red) != 0 {
				t.Error("a perfect confusion matrix should be green on the diagonal only")
			}
		}},
		{"grid", func(dst *image.RGBA, r image.Rectangle) {
			imgs := append(append([]float32{}, digit...), digit...)
			st.DigitGrid(dst, r, imgs, []int32{1, 1}, []int32{1, 2}, labels)
		}, func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
			if count(dst, r, Red) < 100 {
				t.Error("the wrong prediction has no red frame")
			}
		}},
		// A run restored but not evaluated yet has no predictions: the
		// digits show, unjudged, and nothing fails.
		{"grid without predictions", func(dst *image.RGBA, r image.Rectangle) {
			imgs := append(append([]float32{}, digit...), digit...)
			st.DigitGrid(dst, r, imgs, []int32{1, 1}, []int32{}, labels)
		}, func(t *testing.T, dst *image.RGBA, r image.Rectangle) {
			if count(dst, r, Red) != 0 {
				t.Error("a digit without a prediction is marked wrong")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := image.NewRGBA(image.Rect(0, 0, 600, 400))
			r := st.Panel(dst, tc.name)
			if r.Dx() <= 0 || r.Dy() <= 0 || r.Min.Y < st.Px(20) {
				t.Fatalf("panel body %v", r)
			}
			tc.draw(dst, r)
			save(t, tc.name, dst)
			if n := count(dst, dst.Bounds(), Background); n == 600*400 {
				t.Fatal("picture is blank")
			}
			tc.check(t, dst, r)
		})
	}
}

func TestNewStyleRejectsBadScale(t *testing.T) {
	for _, s := range []float64{0, -1, 100} {
		if _, err := NewStyle(s); err == nil {
			t.Errorf("scale %v accepted", s)
		}
	}
}

func TestLayout(t *testing.T) {
	for _, tc := range []struct {
		width float64
		scale float64
		cols  int
	}{{360, 3, 1}, {800, 2, 2}, {1400, 1, 4}, {1920, 1, 4}} {
		st, err := NewStyle(tc.scale)
		if err != nil {
			t.Fatal(err)
		}
		rects, height := st.Layout(tc.width, AllPanels)
		xs := map[int]bool{}
		for i, r := range rects {
			xs[r.Min.X] = true
			if r.Min.X < 0 || r.Max.X > st.Px(tc.width) || r.Max.Y > height || r.Dx() < st.Px(300) {
				t.Errorf("width %v: panel %d at %v outside %d×%d or narrower than 300 CSS px", tc.width, i, r, st.Px(tc.width), height)
			}
			for j := range i {
				if r.Overlaps(rects[j]) {
					t.Errorf("width %v: panels %d and %d overlap", tc.width, i, j)
				}
			}
		}
		if len(xs) != tc.cols {
			t.Errorf("width %v: %d columns, want %d", tc.width, len(xs), tc.cols)
		}
	}
}

func TestLayoutHidden(t *testing.T) {
	st, err := NewStyle(1)
	if err != nil {
		t.Fatal(err)
	}
	_, full := st.Layout(800, AllPanels)
	for _, tc := range []struct {
		hide  string
		shown int
		cols  int
	}{
		{"", NumPanels, 2},
		{"pad,grid", NumPanels - 2, 2},
		{"pad, curves,histogram,tiles,heatmap,grid", 1, 1},
		{"pad,curves,histogram,tiles,heatmap,grid,confusion", 0, 0},
	} {
		shown, err := ParseHidden(tc.hide)
		if err != nil {
			t.Fatalf("%q: %v", tc.hide, err)
		}
		rects, height := st.Layout(800, shown)
		n, xs := 0, map[int]bool{}
		for k, r := range rects {
			if r.Empty() != !shown[k] {
				t.Errorf("%q: panel %d shown=%v but rect %v", tc.hide, k, shown[k], r)
			}
			if !r.Empty() {
				n++
				xs[r.Min.X] = true
			}
		}
		if n != tc.shown || len(xs) != tc.cols {
			t.Errorf("%q: %d panels in %d columns, want %d in %d", tc.hide, n, len(xs), tc.shown, tc.cols)
		}
		if tc.hide != "" && height >= full {
			t.Errorf("%q: height %d, not less than all panels' %d", tc.hide, height, full)
		}
	}
	for _, bad := range []string{"pads", "controls", "pad,,weights"} {
		if _, err := ParseHidden(bad); err == nil || !strings.Contains(err.Error(), "want some of pad, curves") {
			t.Errorf("ParseHidden(%q) = %v, want an error listing the panels", bad, err)
		}
	}
}

func TestFit(t *testing.T) {
	st, err := NewStyle(2)
	if err != nil {
		t.Fatal(err)
	}
	noPad := AllPanels
	noPad[PanelPad] = false
	for _, tc := range []struct {
		name          string
		width, height float64
		shown         Shown
		want          []int // the panels fitted
	}{
		{"course frame 700×460", 700, 460, AllPanels, []int{PanelPad, PanelCurves, PanelHistogram}},
		{"full HD", 1920, 1080, AllPanels, []int{PanelPad, PanelCurves, PanelHistogram, PanelTiles, PanelHeatMap, PanelGrid, PanelConfusion}},
		{"tiny", 360, 100, AllPanels, []int{PanelPad}},
		{"no pad", 700, 460, noPad, []int{PanelCurves, PanelHistogram, PanelTiles, PanelHeatMap}},
		{"phone", 390, 700, AllPanels, []int{PanelPad, PanelCurves, PanelHistogram}},
		{"phone, shorter", 390, 600, AllPanels, []int{PanelPad, PanelCurves}},
	} {
		rects, h, fitted := st.Fit(tc.width, tc.height, tc.shown)
		var got []int
		for k := range NumPanels {
			if fitted[k] {
				got = append(got, k)
			}
			if fitted[k] == rects[k].Empty() {
				t.Errorf("%s: panel %d fitted=%v with rect %v", tc.name, k, fitted[k], rects[k])
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: fitted %v, want %v", tc.name, got, tc.want)
		}
		if len(got) > 1 && h > st.Px(tc.height) {
			t.Errorf("%s: height %d device px, more than the frame's %d", tc.name, h, st.Px(tc.height))
		}
	}
}

// TestExplanations: every panel explains itself in a few sentences, and
// every tour step points at a panel or a control the page knows.
func TestExplanations(t *testing.T) {
	for k := range NumPanels {
		e := Explain(k)
		if e.Title == "" || len(e.About) < 80 || len(e.About) > 600 {
			t.Errorf("panel %s: explanation %q (%d characters), want a title and two or three sentences", PanelName(k), e.Title, len(e.About))
		}
	}
	if Explain(NumPanels) != (Explanation{}) || Explain(-1) != (Explanation{}) {
		t.Error("an unknown panel has an explanation")
	}
	controls := map[string]bool{"play": true, "info": true}
	for i, s := range Tour {
		if _, err := ParseHidden(s.Target); err != nil && !controls[s.Target] {
			t.Errorf("tour step %d points at %q, neither a panel nor a control", i, s.Target)
		}
	}
}

// TestDarkPaletteContrast: on the dark palette the text and every data
// colour keep a contrast of at least 4.5:1 with the panels (WCAG's
// relative luminance), as its doc comment promises.
func TestDarkPaletteContrast(t *testing.T) {
	lum := func(c color.RGBA) float64 {
		f := func(v uint8) float64 {
			x := float64(v) / 255
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*f(c.R) + 0.7152*f(c.G) + 0.0722*f(c.B)
	}
	ratio := func(a, b color.RGBA) float64 {
		la, lb := lum(a), lum(b)
		return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
	}
	d := Dark
	for name, c := range map[string]color.RGBA{"ink": d.Ink, "blue": d.Blue, "orange": d.Orange, "green": d.Green, "red": d.Red} {
		if r := ratio(c, d.Background); r < 4.5 {
			t.Errorf("dark %s on the panels: contrast %.2f, want ≥ 4.5", name, r)
		}
	}
	for i, c := range d.Runs {
		if r := ratio(c, d.Background); r < 4.5 {
			t.Errorf("dark run colour %d on the panels: contrast %.2f, want ≥ 4.5", i, r)
		}
	}
	if len(d.Runs) != len(Light.Runs) {
		t.Errorf("%d dark run colours for %d light ones", len(d.Runs), len(Light.Runs))
	}
}

// TestConfusionCell checks the press targets of a confusion matrix drawn
// at a known size: a cell, a row's label, a column's label, and the
// corner and the space past the cells, which are none.
func TestConfusionCell(t *testing.T) {
	st, err := NewStyle(1)
	if err != nil {
		t.Fatal(err)
	}
	r := image.Rect(10, 20, 210, 220) // 10 classes: labels 14 px, cells 18 px
	x0, y0, k := 10+14, 20+14, 18
	for _, c := range []struct {
		pt       image.Point
		row, col int
		ok       bool
	}{
		{image.Pt(x0+7*k+5, y0+3*k+5), 3, 7, true},
		{image.Pt(x0+1, y0+1), 0, 0, true},
		{image.Pt(x0+9*k+17, y0+9*k+17), 9, 9, true},
		{image.Pt(12, y0+2*k+3), 2, -1, true},
		{image.Pt(x0+4*k+2, 22), -1, 4, true},
		{image.Pt(12, 22), 0, 0, false},
		{image.Pt(x0+10*k+1, y0+5), 0, 0, false},
		{image.Pt(300, 50), 0, 0, false},
	} {
		row, col, ok := st.ConfusionCell(r, 10, c.pt)
		if row != c.row || col != c.col || ok != c.ok {
			t.Errorf("press at %v: row %d, col %d, %v; want %d, %d, %v", c.pt, row, col, ok, c.row, c.col, c.ok)
		}
	}
	// Every cell and label's rectangle is where a press finds it.
	for row := -1; row < 10; row++ {
		for col := -1; col < 10; col++ {
			cell := st.ConfusionCellRect(r, 10, row, col)
			if row < 0 && col < 0 {
				if !cell.Empty() {
					t.Errorf("the corner has a rectangle %v", cell)
				}
				continue
			}
			mid := image.Pt((cell.Min.X+cell.Max.X)/2, (cell.Min.Y+cell.Max.Y)/2)
			if gr, gc, ok := st.ConfusionCell(r, 10, mid); !ok || gr != row || gc != col {
				t.Errorf("the middle of (%d, %d)'s rectangle %v is (%d, %d, %v)", row, col, cell, gr, gc, ok)
			}
		}
	}
}
