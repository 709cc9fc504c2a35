package render

import (
	"fmt"
	"golang.org/x/image/font"
	"image"
	"image/color"
	"math"
)

// Digit draws a 28×28 image (values in [0, 1]) scaled into r, keeping
// square pixels; it returns the rectangle used.
func Digit(dst *image.RGBA, r image.Rectangle, pix []float32) image.Rectangle {
	return cells(dst, r, 28, 28, func(x, y int) color.RGBA { return Grey(pix[y*28+x]) })
}

// cells draws a w×h grid of square cells centred in r, the colour of each
// given by at; it returns the rectangle used. Cells need not be a whole
// number of pixels: their edges are rounded.
func cells(dst *image.RGBA, r image.Rectangle, w, h int, at func(x, y int) color.RGBA) image.Rectangle {
	k := math.Min(float64(r.Dx())/float64(w), float64(r.Dy())/float64(h))
	if k < 0.5 {
		return image.Rectangle{}
	}
	if k >= 1 {
		k = math.Floor(k) // whole pixels when they fit: crisper
	}
	fx := float64(r.Min.X) + (float64(r.Dx())-k*float64(w))/2
	fy := float64(r.Min.Y) + (float64(r.Dy())-k*float64(h))/2
	edge := func(o float64, i int) int { return int(math.Round(o + float64(i)*k)) }
	for y := range h {
		for x := range w {
			Fill(dst, image.Rect(edge(fx, x), edge(fy, y), edge(fx, x+1), edge(fy, y+1)), at(x, y))
		}
	}
	return image.Rect(edge(fx, 0), edge(fy, 0), edge(fx, w), edge(fy, h))
}

// Histogram draws the allele-frequency histogram of p in bins (paper
// Fig. 2) into r, with the fraction of fixed alleles.
func (st *Style) Histogram(dst *image.RGBA, r image.Rectangle, p []float32, bins int, fixed float64) {
	counts := make([]int, bins)
	top := 1
	for _, v := range p {
		b := min(bins-1, max(0, int(v*float32(bins))))
		counts[b]++
		top = max(top, counts[b])
	}
	lh := LineHeight(st.Small)
	plot := image.Rect(r.Min.X, r.Min.Y+lh, r.Max.X, r.Max.Y-lh)
	Text(dst, st.Small, r.Min.X, r.Min.Y+st.Small.Metrics().Ascent.Ceil(), 0,
		fmt.Sprintf("%d genes, %.1f%% fixed (p within 0.01 of 0 or 1)", len(p), 100*fixed), st.Pal.Faint)
	Fill(dst, image.Rect(plot.Min.X, plot.Max.Y, plot.Max.X, plot.Max.Y+max(1, st.Px(1))), st.Pal.Ink)
	for b, c := range counts {
		x0 := plot.Min.X + b*plot.Dx()/bins
		x1 := plot.Min.X + (b+1)*plot.Dx()/bins - max(1, st.Px(1))
		h := int(math.Round(float64(c) / float64(top) * float64(plot.Dy())))
		Fill(dst, image.Rect(x0, plot.Max.Y-h, x1, plot.Max.Y), st.Pal.Blue)
	}
	base := plot.Max.Y + st.Small.Metrics().Ascent.Ceil() + st.Px(2)
	Text(dst, st.Small, plot.Min.X, base, 0, "p = 0", st.Pal.Faint)
	Text(dst, st.Small, (plot.Min.X+plot.Max.X)/2, base, 0.5, "0.5", st.Pal.Faint)
	Text(dst, st.Small, plot.Max.X, base, 1, "1", st.Pal.Faint)
}

// Series is one line of a plot.
type Series struct {
	Name  string
	Color color.RGBA
	X, Y  []float64
	// Mark draws a vertical line at X[0] (an event, such as NNE +
	// SignSGD's switch) with its name in the legend and no value.
	Mark bool
}

// Plot draws series into r with x from 0 to xmax and y from 0 to ymax,
// grid lines at quarters, a legend (on as many lines as it needs), and
// xlabel at the x-axis's end (such as "3000 generations"). It returns the
// plot's area (PlotArea), where a point (x, y) is drawn at PlotPoint.
func (st *Style) Plot(dst *image.RGBA, r image.Rectangle, series []Series, xmax, ymax float64, yfmt, xlabel string) image.Rectangle {
	lh := LineHeight(st.Small)
	asc := st.Small.Metrics().Ascent.Ceil()
	plot := st.PlotArea(r, series, yfmt)
	if plot.Dx() < 10 || plot.Dy() < 10 {
		return image.Rectangle{}
	}
	xmax = math.Max(xmax, 1e-9)
	ymax = math.Max(ymax, 1e-9)
	for k := 0; k <= 4; k++ {
		y := plot.Max.Y - k*plot.Dy()/4
		Fill(dst, image.Rect(plot.Min.X, y, plot.Max.X, y+max(1, st.Px(1))), st.Pal.Grid)
		Text(dst, st.Small, plot.Min.X-st.Px(3), y+asc/2, 1, fmt.Sprintf(yfmt, ymax*float64(k)/4), st.Pal.Faint)
	}
	Text(dst, st.Small, plot.Min.X, plot.Max.Y+asc+st.Px(2), 0, "0", st.Pal.Faint)
	Text(dst, st.Small, plot.Max.X, plot.Max.Y+asc+st.Px(2), 1, xlabel, st.Pal.Faint)
	for _, e := range st.legend(r, series, yfmt) {
		s := series[e.series]
		y := e.line*lh + r.Min.Y
		if s.Mark {
			Fill(dst, image.Rect(e.x, y+asc/2, e.x+st.Px(3), y+asc/2+st.Px(8)), s.Color)
		} else {
			Fill(dst, image.Rect(e.x, y+asc/2, e.x+st.Px(10), y+asc/2+st.Px(3)), s.Color)
		}
		Text(dst, st.Small, e.x+e.swatch, y+asc, 0, e.text, st.Pal.Ink)
	}
	for _, s := range series {
		if s.Mark {
			if len(s.X) == 0 {
				continue
			}
			mx := plot.Min.X + int(s.X[0]/xmax*float64(plot.Dx()))
			for y := plot.Min.Y; y < plot.Max.Y; y += st.Px(6) {
				Fill(dst, image.Rect(mx, y, mx+max(1, st.Px(1)), min(plot.Max.Y, y+st.Px(3))), s.Color)
			}
			continue
		}
		n := min(len(s.X), len(s.Y))
		xs, ys := make([]float32, n), make([]float32, n)
		for i := range n {
			p := PlotPoint(plot, s.X[i], s.Y[i], xmax, ymax)
			xs[i], ys[i] = p[0], p[1]
		}
		st.Polyline(dst, xs, ys, float32(2*st.Scale), s.Color)
	}
	return plot
}

// PlotPoint returns where Plot draws (x, y) in plot, as (x, y) pixels.
func PlotPoint(plot image.Rectangle, x, y, xmax, ymax float64) [2]float32 {
	xmax, ymax = math.Max(xmax, 1e-9), math.Max(ymax, 1e-9)
	return [2]float32{float32(plot.Min.X) + float32(x/xmax)*float32(plot.Dx()),
		float32(plot.Max.Y) - float32(math.Min(y, ymax)/ymax)*float32(plot.Dy())}
}

// legendEntry is one series' place in a plot's legend.
type legendEntry struct {
	series, line, x, swatch int
	text                    string
}

// legend lays out the series' names (and last values) in rows across r.
func (st *Style) legend(r image.Rectangle, series []Series, yfmt string) []legendEntry {
	var out []legendEntry
	x, line := r.Min.X+st.Px(30), 0
	d := font.Drawer{Face: st.Small}
	for i, s := range series {
		text, swatch := s.Name, st.Px(13)
		if s.Mark {
			swatch = st.Px(6)
		} else if n := min(len(s.X), len(s.Y)); n > 0 {
			text = fmt.Sprintf("%s "+yfmt, s.Name, s.Y[n-1])
		}
		w := swatch + d.MeasureString(text).Ceil()
		if x+w > r.Max.X && x > r.Min.X+st.Px(30) {
			x, line = r.Min.X+st.Px(30), line+1
		}
		out = append(out, legendEntry{series: i, line: line, x: x, swatch: swatch, text: text})
		x += w + st.Px(10)
	}
	return out
}

// PlotArea returns the rectangle of r where Plot draws the curves of
// series, below their legend and left of nothing.
func (st *Style) PlotArea(r image.Rectangle, series []Series, yfmt string) image.Rectangle {
	lh := LineHeight(st.Small)
	lines := 1
	if e := st.legend(r, series, yfmt); len(e) > 0 {
		lines = e[len(e)-1].line + 1
	}
	return image.Rect(r.Min.X+st.Px(30), r.Min.Y+lines*lh, r.Max.X-st.Px(4), r.Max.Y-lh)
}

// Tip draws a tooltip: a dot of colour c at (x, y) and the lines of text
// in a box beside it, kept inside bounds.
func (st *Style) Tip(dst *image.RGBA, bounds image.Rectangle, x, y int, lines []string, c color.RGBA) {
	dot := st.Px(4)
	Fill(dst, image.Rect(x-dot, y-dot, x+dot, y+dot), c)
	d := font.Drawer{Face: st.Small}
	w := 0
	for _, l := range lines {
		w = max(w, d.MeasureString(l).Ceil())
	}
	lh := LineHeight(st.Small)
	pad := st.Px(5)
	box := image.Rect(0, 0, w+2*pad, len(lines)*lh+2*pad)
	at := image.Pt(x+st.Px(8), y-box.Dy()-st.Px(6))
	if at.X+box.Dx() > bounds.Max.X {
		at.X = x - st.Px(8) - box.Dx()
	}
	at.X = max(bounds.Min.X, at.X)
	if at.Y < bounds.Min.Y {
		at.Y = y + st.Px(8)
	}
	box = box.Add(at)
	Fill(dst, box, c)
	Fill(dst, box.Inset(max(1, st.Px(1))), st.Pal.Background)
	for i, l := range lines {
		Text(dst, st.Small, box.Min.X+pad, box.Min.Y+pad+i*lh+st.Small.Metrics().Ascent.Ceil(), 0, l, st.Pal.Ink)
	}
}

// RunBars draws each run's answer for one input on its own row: its name
// in its colour and the winning class with its probability, over a strip
// of one cell per class filled in proportion to the class's probability
// (the winner in green). probs[i] is nil while run i has no answer (a
// dash and an empty strip).
func (st *Style) RunBars(dst *image.RGBA, r image.Rectangle, names []string, colors []color.RGBA, classes [][]string, probs [][]float64) {
	n := len(names)
	if n == 0 {
		return
	}
	row := min(r.Dy()/n, st.Px(40))
	asc := st.Small.Metrics().Ascent.Ceil()
	for i, name := range names {
		y := r.Min.Y + i*row
		Text(dst, st.Small, r.Min.X, y+asc, 0, name, colors[i])
		strip := image.Rect(r.Min.X, y+asc+st.Px(3), r.Max.X, y+row-st.Px(4))
		p := probs[i]
		if p == nil || len(p) == 0 {
			Text(dst, st.Small, r.Max.X, y+asc, 1, "—", st.Pal.Faint)
			Fill(dst, strip, st.Pal.Grid)
			continue
		}
		best := 0
		for c, v := range p {
			if v > p[best] {
				best = c
			}
		}
		label := fmt.Sprint(best)
		if best < len(classes[i]) {
			label = classes[i][best]
		}
		Text(dst, st.Small, r.Max.X, y+asc, 1, fmt.Sprintf("%s · %.0f%%", label, 100*p[best]), st.Pal.Ink)
		if strip.Dy() < 2 {
			continue
		}
		gap := max(1, st.Px(1))
		for c, v := range p {
			x0 := strip.Min.X + c*strip.Dx()/len(p)
			x1 := strip.Min.X + (c+1)*strip.Dx()/len(p) - gap
			cell := image.Rect(x0, strip.Min.Y, x1, strip.Max.Y)
			Fill(dst, cell, st.Pal.Grid)
			h := int(math.Round(v * float64(cell.Dy())))
			col := colors[i]
			if c == best {
				col = st.Pal.Green
			}
			Fill(dst, image.Rect(x0, cell.Max.Y-h, x1, cell.Max.Y), col)
		}
	}
}

// Bars draws one horizontal bar per class with its probability, the most
// probable in green.
func (st *Style) Bars(dst *image.RGBA, r image.Rectangle, labels []string, probs []float64) {
	if len(probs) == 0 {
		return
	}
	best := 0
	for i, p := range probs {
		if p > probs[best] {
			best = i
		}
	}
	row := r.Dy() / len(probs)
	asc := st.Small.Metrics().Ascent.Ceil()
	lw := st.Px(14)
	vw := st.Px(38)
	for i, p := range probs {
		y := r.Min.Y + i*row
		Text(dst, st.Small, r.Min.X+lw/2, y+(row+asc)/2, 0.5, labels[i], st.Pal.Ink)
		bar := image.Rect(r.Min.X+lw, y+row/6, r.Max.X-vw, y+row-row/6)
		Fill(dst, bar, st.Pal.Grid)
		c := st.Pal.Blue
		if i == best {
			c = st.Pal.Green
		}
		Fill(dst, image.Rect(bar.Min.X, bar.Min.Y, bar.Min.X+int(math.Round(p*float64(bar.Dx()))), bar.Max.Y), c)
		Text(dst, st.Small, r.Max.X, y+(row+asc)/2, 1, fmt.Sprintf("%.0f%%", 100*p), st.Pal.Faint)
	}
}

// Tiles draws the receptive fields of the first count hidden units as
// 28×28 tiles: fields[k·784+i] is unit k's weight from pixel i, red for
// positive weights, blue for negative, grey where linked (if not nil) says
// the pixel has no link to the unit. Each tile is scaled to its own
// largest weight.
func (st *Style) Tiles(dst *image.RGBA, r image.Rectangle, fields []float32, linked []bool, count int) {
	count = min(count, len(fields)/784)
	if count < 1 || linked != nil && len(linked) < count*784 {
		return
	}
	// Columns and tile size that fill r best.
	gap := max(1, st.Px(2))
	tile, cols := 0, 1
	for c := 1; c <= count; c++ {
		rows := (count + c - 1) / c
		k := min((r.Dx()-gap*(c-1))/c, (r.Dy()-gap*(rows-1))/rows)
		if k > tile {
			tile, cols = k, c
		}
	}
	field := fields
	for j := range count {
		var m float32
		for _, v := range field[j*784 : (j+1)*784] {
			m = max(m, v, -v)
		}
		m = max(m, 1e-12)
		x0 := r.Min.X + (j%cols)*(tile+gap)
		y0 := r.Min.Y + (j/cols)*(tile+gap)
		cells(dst, image.Rect(x0, y0, x0+tile, y0+tile), 28, 28, func(x, y int) color.RGBA {
			if linked != nil && !linked[j*784+y*28+x] {
				return st.Pal.Unlinked
			}
			return st.diverging(float64(field[j*784+y*28+x] / m))
		})
	}
}

// HeatMap draws the output weights out (hidden rows of len(labels)
// classes) as a diverging heat map of classes × the first hidden units,
// with the class labels on the left.
func (st *Style) HeatMap(dst *image.RGBA, r image.Rectangle, out []float32, labels []string) {
	classes := len(labels)
	if classes == 0 || len(out) < classes {
		return
	}
	hidden := len(out) / classes
	cols := min(hidden, max(1, r.Dx()/max(1, st.Px(3))))
	var m float32
	for _, v := range out {
		m = max(m, v, -v)
	}
	m = max(m, 1e-12)
	lw := st.Px(14)
	inner := image.Rect(r.Min.X+lw, r.Min.Y, r.Max.X, r.Max.Y)
	row := inner.Dy() / classes
	asc := st.Small.Metrics().Ascent.Ceil()
	for c := range classes {
		y0 := inner.Min.Y + c*row
		Text(dst, st.Small, r.Min.X+lw/2, y0+(row+asc)/2, 0.5, labels[c], st.Pal.Ink)
		for j := range cols {
			x0 := inner.Min.X + j*inner.Dx()/cols
			x1 := inner.Min.X + (j+1)*inner.Dx()/cols
			Fill(dst, image.Rect(x0, y0, x1, y0+row-max(1, st.Px(1))), st.diverging(float64(out[j*classes+c]/m)))
		}
	}
}

// Confusion draws the C×C confusion matrix (counts[true·C+predicted]):
// rows are true classes, columns predictions, shaded by row share.
func (st *Style) Confusion(dst *image.RGBA, r image.Rectangle, counts []int32, labels []string) {
	c := len(labels)
	x0, y0, k := st.confusionGeom(r, c)
	if k < 2 {
		return
	}
	asc := st.Small.Metrics().Ascent.Ceil()
	face := st.Small
	showCounts := k >= st.Px(26)
	for i := range c {
		Text(dst, face, x0+i*k+k/2, r.Min.Y+asc, 0.5, labels[i], st.Pal.Faint)
		Text(dst, face, (r.Min.X+x0)/2, y0+i*k+(k+asc)/2, 0.5, labels[i], st.Pal.Faint)
		var total int32
		for j := range c {
			total += counts[i*c+j]
		}
		for j := range c {
			n := counts[i*c+j]
			share := float64(n) / math.Max(1, float64(total))
			base := st.Pal.Red
			if i == j {
				base = st.Pal.Green
			}
			cell := image.Rect(x0+j*k, y0+i*k, x0+(j+1)*k-1, y0+(i+1)*k-1)
			Fill(dst, cell, st.mix(base, math.Sqrt(share)))
			if showCounts && n > 0 {
				ink := st.Pal.Ink
				if share > 0.45 {
					ink = st.Pal.Background
				}
				Text(dst, face, cell.Min.X+k/2, cell.Min.Y+(k+asc)/2, 0.5, fmt.Sprint(n), ink)
			}
		}
	}
}

// confusionGeom is where Confusion draws in r: the corner of its
// cells and their side.
func (st *Style) confusionGeom(r image.Rectangle, classes int) (x0, y0, k int) {
	lw := st.Px(14)
	if classes < 1 {
		return 0, 0, 0
	}
	return r.Min.X + lw, r.Min.Y + lw, min((r.Dx()-lw)/classes, (r.Dy()-lw)/classes)
}

// ConfusionCell returns what a press at pt on a Confusion drawn in r with
// classes classes points at: a cell (true class row, predicted class
// col), a row's label (col −1: every image of that true class) or a
// column's label (row −1); ok is false elsewhere.
func (st *Style) ConfusionCell(r image.Rectangle, classes int, pt image.Point) (row, col int, ok bool) {
	x0, y0, k := st.confusionGeom(r, classes)
	if k < 2 || !pt.In(r) {
		return 0, 0, false
	}
	at := func(v, origin int) int {
		if v < origin {
			return -1
		}
		if i := (v - origin) / k; i < classes {
			return i
		}
		return -2
	}
	row, col = at(pt.Y, y0), at(pt.X, x0)
	if row == -2 || col == -2 || row == -1 && col == -1 {
		return 0, 0, false
	}
	return row, col, true
}

// ConfusionCellRect is the rectangle of cell (row, col) of a Confusion
// drawn in r with classes classes, or of a row's label (col −1) or a
// column's (row −1): where ConfusionCell finds it.
func (st *Style) ConfusionCellRect(r image.Rectangle, classes, row, col int) image.Rectangle {
	x0, y0, k := st.confusionGeom(r, classes)
	if k < 2 || row < -1 || col < -1 || row >= classes || col >= classes || row < 0 && col < 0 {
		return image.Rectangle{}
	}
	x, y := x0+col*k, y0+row*k
	if col < 0 {
		x, k = r.Min.X, x0-r.Min.X
	}
	if row < 0 {
		y = r.Min.Y
	}
	h := k
	if row < 0 {
		h = y0 - r.Min.Y
	}
	w := k
	if col < 0 {
		w = x0 - r.Min.X
	}
	return image.Rect(x, y, x+w, y+h)
}

// Pager draws a row of the grid's page controls along the bottom of r:
// ‹ and › (when there is a page that way), label between them, and an
// "all digits" button when filtered is set. It returns r less that row,
// and the buttons' rectangles (empty when not drawn).
func (st *Style) Pager(dst *image.RGBA, r image.Rectangle, label string, prev, next, filtered bool) (rest, prevR, nextR, allR image.Rectangle) {
	asc := st.Small.Metrics().Ascent.Ceil()
	h := asc + st.Px(12)
	row := image.Rect(r.Min.X, r.Max.Y-h, r.Max.X, r.Max.Y)
	rest = image.Rect(r.Min.X, r.Min.Y, r.Max.X, row.Min.Y-st.Px(4))
	button := func(x0 int, text string, on bool) image.Rectangle {
		w := TextWidth(st.Small, text) + st.Px(16)
		b := image.Rect(x0, row.Min.Y, x0+w, row.Max.Y)
		ink := st.Pal.Faint
		if on {
			Fill(dst, b, st.Pal.Grid)
			ink = st.Pal.Ink
		}
		Text(dst, st.Small, (b.Min.X+b.Max.X)/2, b.Min.Y+st.Px(6)+asc, 0.5, text, ink)
		if !on {
			return image.Rectangle{}
		}
		return b
	}
	prevR = button(row.Min.X, "‹ prev", prev)
	x := row.Min.X + TextWidth(st.Small, "‹ prev") + st.Px(16) + st.Px(6)
	nextR = button(x, "next ›", next)
	x += TextWidth(st.Small, "next ›") + st.Px(16) + st.Px(8)
	if filtered {
		allW := TextWidth(st.Small, "all digits") + st.Px(16)
		allR = button(row.Max.X-allW, "all digits", true)
	}
	room := row.Max.X - x
	if filtered {
		room -= allR.Dx() + st.Px(8)
	}
	Text(dst, st.Small, x, row.Min.Y+st.Px(6)+asc, 0, FitTitle(st.Small, label, room), st.Pal.Faint)
	return rest, prevR, nextR, allR
}

// mix blends the panel's background with c by t in [0, 1].
func (st *Style) mix(c color.RGBA, t float64) color.RGBA {
	bg := st.Pal.Background
	f := func(b, v uint8) uint8 { return uint8(float64(b) - t*(float64(b)-float64(v))) }
	return color.RGBA{f(bg.R, c.R), f(bg.G, c.G), f(bg.B, c.B), 255}
}

// diverging is Diverging on a light palette; on a dark one it runs from
// the panel's background to the palette's red (v = 1) or blue (v = −1),
// so that a weight near 0 is dark rather than a white speck.
func (st *Style) diverging(v float64) color.RGBA {
	if st.Pal.Name != "dark" {
		return Diverging(v)
	}
	v = math.Max(-1, math.Min(1, v))
	if v >= 0 {
		return st.mix(st.Pal.Red, v)
	}
	return st.mix(st.Pal.Blue, -v)
}

// DigitGrid draws test images with their predicted labels; wrong ones get
// a red frame and "truth→predicted". images holds 784 values per image.
func (st *Style) DigitGrid(dst *image.RGBA, r image.Rectangle, images []float32, truth, pred []int32, labels []string) {
	n := len(truth)
	if n == 0 {
		return
	}
	lh := LineHeight(st.Small)
	gap := st.Px(4)
	best, cols := 0, 1
	for c := 1; c <= n; c++ {
		rows := (n + c - 1) / c
		k := min((r.Dx()-gap*(c-1))/c, (r.Dy()-rows*(lh+gap))/rows)
		if k > best {
			best, cols = k, c
		}
	}
	if best < 8 {
		return
	}
	asc := st.Small.Metrics().Ascent.Ceil()
	if len(pred) < n {
		pred = nil // no predictions for these images (yet)
	}
	for i := range n {
		x0 := r.Min.X + (i%cols)*(best+gap)
		y0 := r.Min.Y + (i/cols)*(best+lh+gap)
		box := image.Rect(x0, y0, x0+best, y0+best)
		ok := pred == nil || pred[i] == truth[i]
		frame := st.Pal.Grid
		if !ok {
			frame = st.Pal.Red
		}
		Fill(dst, box, frame)
		box = box.Inset(max(1, st.Px(2)))
		Fill(dst, box, st.Pal.Background)
		Digit(dst, box, images[i*784:(i+1)*784])
		label, c := "?", st.Pal.Faint
		switch {
		case pred == nil:
		case ok:
			label, c = labels[pred[i]], st.Pal.Green
		default:
			label, c = labels[truth[i]]+"→"+labels[pred[i]], st.Pal.Red
		}
		Text(dst, st.Small, x0+best/2, y0+best+asc, 0.5, label, c)
	}
}
