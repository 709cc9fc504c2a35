//go:build js && wasm

package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"slices"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"nnesim/core/mnist"
	"nnesim/render"
	"nnesim/wasm/lesson"
)

// minRedraw is the shortest time between two redraws of the training
// panels (curves, weights, digits).
const minRedraw = 250 * time.Millisecond

// padRaster is the resolution at which the pad's strokes are rasterized
// before Normalize, and strokeWidth the pen width as a fraction of the pad.
const (
	padRaster   = 112
	strokeWidth = 0.075
)

// model is what the app knows of the run, updated from worker snapshots:
// the learner's pictures (learner.Pictures), not its network, so that any
// rule draws the same way.
type model struct {
	label  string // the run's name in the race (race.Race.Labels)
	color  int    // its colour, render.RunColor
	labels []string
	digits []int
	algo   string // the rule's name (learner.Rules)
	title  string // what its network is called (learner.Rule.Network)
	// The rule's phases (unit and stop), the signal of its own panel and
	// the pictures it fills (learner.Rule).
	phases   []phase
	plot     string
	pictures []string
	unit     string // what a step counts: "generation" or "epoch"
	fields   []float32
	linked   []bool
	output   []float32
	p        []float32 // NNE only
	fixed    float64
	gen      int // steps in unit
	seconds  float64
	rate     float64

	curveX, testY, trainY []float64
	secY                  []float64 // each point's training seconds
	curveU                []string  // each point's unit (NNE + SignSGD changes unit)
	plotY                 []float64 // the rule's own signal (plot) at each point
	fitX, fitY            []float64

	confusion           []int32
	gridImages          []float32
	gridTruth, gridPred []int32
	// grid is the view the grid shows (the coordinator's, as of the last
	// snapshot with pictures), gridTotal the images in it.
	grid         mnist.GridView
	gridTotal    int
	testAccuracy float64
	numTest      int
	shown        bool // a snapshot with pictures arrived

	// The run's answer for the pad's input of probsVersion (Game.padVersion).
	probs        []float64
	probsVersion int
}

// phase is one phase of a run's rule: the unit of its steps and its stop.
type phase struct {
	unit string
	stop int
	does string // what one step does (learner.Phase.Does)
}

// panel is one picture on the canvas with its pixels.
type panel struct {
	rect  image.Rectangle
	rgba  *image.RGBA
	img   *ebiten.Image
	dirty bool
}

// Game wires the model and the draw pad to ebiten.
type Game struct {
	mu sync.Mutex
	// challenge is the page's challenge (nil: none) and predicted the
	// run the student predicts for a predict challenge (−1: none).
	challenge *lesson.Challenge
	predicted int
	// predictionRan: the race has run with the prediction, which then
	// stays for this race (a Reset would otherwise let the student see
	// the winner and predict again).
	predictionRan bool
	// mine is the student's own drawn digits ("My digits"), and
	// mineScores each run's last score on them, by label: drawings read
	// and read right (a draw challenge reads it; a change of the
	// drawings drops it).
	mine       mnist.Mine
	mineScores map[string][2]int
	runs       []model // the race's runs (one: a single run)
	sel        int     // the run whose pictures the per-run panels show
	// xSeconds puts training seconds on the curves' x-axis instead of
	// steps (the default in a race, where the rules' steps differ).
	xSeconds bool
	axisBtn  image.Rectangle // the curves' seconds/steps switch
	// The confusion matrix's cells and the grid's pager, in device pixels,
	// as last drawn (empty when not shown): a press there changes the
	// grid's view (jsTap).
	confRect                    image.Rectangle
	gridPrev, gridNext, gridAll image.Rectangle
	// hover is the point whose curve value is shown, if hovering.
	hover    image.Point
	hovering bool

	style   *render.Style
	palette *render.Palette // Light or Dark (setTheme)
	scale   float64
	width   float64 // CSS width
	height  float64 // CSS height of the canvas (used when fit)
	panels  [render.NumPanels]panel
	shown   render.Shown
	laidOut render.Shown // the panels of the last layout (visible)
	// fit lays the panels out in the canvas's own height (an embed): the
	// panels that fit, in order of importance, and no scrolling.
	fit bool
	// drawn is the screen size last filled; the zero size forces the next
	// frame to redraw everything.
	drawn image.Point
	// redrawn is when a training panel was last drawn.
	redrawn time.Time

	// Draw pad: strokes in pad units (0..1), the current one growing.
	strokes  [][]mnist.Point
	drawing  bool
	touchID  ebiten.TouchID
	raster   []float32
	input    []float32
	hasInput bool
	// dropped is a dropped picture's ink (droppedW×droppedH, mnist.FromImage)
	// shown on the pad in place of strokes; nil when the pad holds strokes.
	dropped            []float32
	droppedW, droppedH int
	// padVersion counts changes of the pad's input and of the runs'
	// weights; the page has each run classify the input of each version
	// (the runs live in the workers) and hands back its probs. inputVersion
	// is the version of the input's last change.
	padVersion   int
	inputVersion int
	padRect      image.Rectangle
	clearBtn     image.Rectangle
	touches      []ebiten.TouchID
}

func newGame() *Game {
	return &Game{predicted: -1, palette: &render.Light, shown: render.AllPanels, raster: make([]float32, padRaster*padRaster), input: make([]float32, mnist.Pixels), runs: []model{{grid: mnist.AllDigits}}}
}

// setRace makes the race's runs those labelled, keeping the runs that
// keep their place and label.
func (g *Game) setRace(labels []string) {
	if len(labels) == 0 {
		return
	}
	runs := make([]model, len(labels))
	for i, l := range labels {
		if i < len(g.runs) && g.runs[i].label == l {
			runs[i] = g.runs[i]
		} else {
			runs[i].grid = mnist.AllDigits
		}
		runs[i].label, runs[i].color = l, i
	}
	if len(runs) != len(g.runs) {
		g.xSeconds = len(runs) > 1
	}
	// A prediction names a run by its place and label: another race
	// drops it.
	if g.predicted >= len(runs) || g.predicted >= len(g.runs) || (g.predicted >= 0 && g.runs[g.predicted].label != labels[g.predicted]) {
		g.predicted, g.predictionRan = -1, false
	}
	g.runs = runs
	g.sel = min(g.sel, len(runs)-1)
	for k := range g.panels {
		g.panels[k].dirty = true
	}
	g.relayoutIfChanged()
}

// relayoutIfChanged lays the panels out again if the runs' rules now fill
// other panels than the last layout's (visible).
func (g *Game) relayoutIfChanged() {
	if g.style != nil && g.visible() != g.laidOut {
		g.relayout(g.scale, g.width)
	}
}

// cur is the run whose pictures the per-run panels show.
func (g *Game) cur() *model { return &g.runs[g.sel] }

// setHover shows the curve value nearest pt (on is false when the
// pointer left).
func (g *Game) setHover(pt image.Point, on bool) {
	if !on && !g.hovering {
		return
	}
	g.hover, g.hovering = pt, on
	g.markDirty(render.PanelCurves)
}

// markDirty asks for the given panels to be redrawn.
func (g *Game) markDirty(kinds ...int) {
	for _, k := range kinds {
		g.panels[k].dirty = true
	}
}

// Update handles the pointer on the draw pad.
func (g *Game) Update() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	x, y, pressed := 0, 0, false
	g.touches = ebiten.AppendTouchIDs(g.touches[:0])
	if len(g.touches) > 0 {
		id := g.touches[0]
		if g.drawing {
			for _, t := range g.touches {
				if t == g.touchID {
					id = t
				}
			}
		}
		g.touchID = id
		x, y = ebiten.TouchPosition(id)
		pressed = true
	} else if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		x, y = ebiten.CursorPosition()
		pressed = true
	}
	pt := image.Pt(x, y)
	switch {
	case pressed && !g.drawing && pt.In(g.clearBtn):
		g.clearPad()
		g.drawing = true // swallow the rest of this press
		g.strokes = append(g.strokes, nil)
	case pressed && !g.drawing && pt.In(g.padRect):
		if g.dropped != nil { // a stroke replaces a dropped picture
			g.dropped = nil
			g.strokes = g.strokes[:0]
		}
		g.drawing = true
		g.strokes = append(g.strokes, nil)
		fallthrough
	case pressed && g.drawing && len(g.strokes) > 0 && g.padRect.Dx() > 0:
		if !pt.In(g.padRect) && len(g.strokes[len(g.strokes)-1]) == 0 {
			break
		}
		r := g.padRect
		p := mnist.Point{X: float64(x-r.Min.X) / float64(r.Dx()), Y: float64(y-r.Min.Y) / float64(r.Dy())}
		p.X, p.Y = min(1, max(0, p.X)), min(1, max(0, p.Y))
		s := &g.strokes[len(g.strokes)-1]
		if n := len(*s); n == 0 || (*s)[n-1] != p {
			*s = append(*s, p)
			g.padChanged()
		}
	case !pressed:
		g.drawing = false
	}
	return nil
}

func (g *Game) clearPad() {
	g.strokes = g.strokes[:0]
	g.dropped = nil
	g.padChanged()
}

// setPicture puts a picture of a digit on the pad (RGBA, w×h): the input
// is made from it as from a drawing (mnist.FromImage). On an error the
// pad is unchanged.
func (g *Game) setPicture(rgba []byte, w, h int) error {
	in := make([]float32, mnist.Pixels)
	ink, err := mnist.FromImage(in, rgba, w, h)
	if err != nil {
		return err
	}
	g.strokes = g.strokes[:0]
	g.dropped, g.droppedW, g.droppedH = ink, w, h
	copy(g.input, in)
	g.hasInput = true
	g.inputChanged()
	return nil
}

// padChanged recomputes the model input from the strokes; the page asks
// the run to classify it (padInput, setProbs).
func (g *Game) padChanged() {
	mnist.Rasterize(g.raster, padRaster, g.strokes, 1, strokeWidth)
	g.hasInput = mnist.Normalize(g.input, g.raster, padRaster, padRaster)
	g.inputChanged()
}

// inputChanged makes the pad's new input one the runs classify again.
func (g *Game) inputChanged() {
	g.padVersion++
	g.inputVersion = g.padVersion
	for i := range g.runs {
		g.runs[i].probs = nil
	}
	g.markDirty(render.PanelPad)
}

// LayoutF makes the canvas as large as the page in device pixels, so
// pictures are crisp on high-DPI screens.
func (g *Game) LayoutF(w, h float64) (float64, float64) {
	s := ebiten.Monitor().DeviceScaleFactor()
	g.mu.Lock()
	defer g.mu.Unlock()
	if s != g.scale || w != g.width || g.fit && h != g.height {
		g.height = h
		g.relayout(s, w)
	}
	g.height = h
	return w * s, h * s
}

// layout returns the panels' rectangles and the height they need, in
// device pixels: all shown panels (the page sizes the frame to fit them),
// or in fit mode those that fit the canvas's height.
func (g *Game) layout() ([render.NumPanels]image.Rectangle, int) {
	if g.fit {
		rects, h, _ := g.style.Fit(g.width, g.height, g.visible())
		return rects, h
	}
	return g.style.Layout(g.width, g.visible())
}

// Layout is not used (ebiten calls LayoutF), but ebiten.Game requires it.
func (g *Game) Layout(w, h int) (int, int) { return w, h }

func (g *Game) relayout(scale, width float64) {
	if scale != g.scale {
		st, err := render.NewStyle(min(8, max(0.5, scale)))
		if err != nil {
			return
		}
		st.Pal = g.palette
		g.style = st
	}
	g.scale, g.width = scale, width
	g.drawn = image.Point{}
	g.laidOut = g.visible()
	rects, _ := g.layout()
	for k := range g.panels {
		p := &g.panels[k]
		if p.rect.Size() != rects[k].Size() {
			if p.img != nil {
				p.img.Deallocate()
			}
			p.rgba, p.img = nil, nil
			if !rects[k].Empty() {
				p.rgba = image.NewRGBA(image.Rectangle{Max: rects[k].Size()})
				p.img = ebiten.NewImage(rects[k].Dx(), rects[k].Dy())
			}
		}
		p.rect = rects[k]
		p.dirty = true
	}
	g.padGeometry()
}

// setTheme draws with the dark palette or the light one from the next
// frame on.
func (g *Game) setTheme(dark bool) {
	g.palette = &render.Light
	if dark {
		g.palette = &render.Dark
	}
	if g.style != nil {
		g.style.Pal = g.palette
		for k := range g.panels {
			g.panels[k].dirty = true
		}
		g.drawn = image.Point{}
	}
}

// visible returns the panels on the canvas: those shown (hide=…) that
// some run's rule fills (learner.Rule.Pictures; the pad and the curves
// are every run's). Before a rule is known, every shown panel.
func (g *Game) visible() render.Shown {
	v := g.shown
	known := false
	for k := range v {
		if k == render.PanelPad || k == render.PanelCurves {
			continue
		}
		filled := false
		for i := range g.runs {
			known = known || g.runs[i].pictures != nil
			filled = filled || slices.Contains(g.runs[i].pictures, render.PanelName(k))
		}
		v[k] = v[k] && filled
	}
	if !known {
		return g.shown
	}
	return v
}

// setShown changes which panels are on the canvas.
func (g *Game) setShown(shown render.Shown) {
	g.shown = shown
	if g.style != nil {
		g.relayout(g.scale, g.width)
	}
}

// picture composes the shown panels as they are on the canvas, in device
// pixels, on the page background.
func (g *Game) picture() *image.RGBA {
	if g.style == nil {
		return nil
	}
	_, h := g.layout()
	img := image.NewRGBA(image.Rect(0, 0, g.style.Px(g.width), h))
	draw.Draw(img, img.Bounds(), image.NewUniform(g.style.Pal.Page), image.Point{}, draw.Src)
	for k := range g.panels {
		p := &g.panels[k]
		if p.rgba == nil {
			continue
		}
		if p.dirty {
			g.drawPanel(k, p.rgba)
			p.img.WritePixels(p.rgba.Pix)
			p.dirty = false
			g.drawn = image.Point{} // the screen has not got this yet
		}
		draw.Draw(img, p.rect, p.rgba, image.Point{}, draw.Src)
	}
	return img
}

// padGeometry places the pad square and the clear button in the pad panel.
func (g *Game) padGeometry() {
	st := g.style
	r := g.panels[render.PanelPad].rect
	if r.Empty() { // hidden
		g.padRect, g.clearBtn = image.Rectangle{}, image.Rectangle{}
		return
	}
	body := image.Rect(r.Min.X+st.Px(8), r.Min.Y+st.Px(30), r.Max.X-st.Px(8), r.Max.Y-st.Px(8))
	// The Clear button is a touch target of 44 CSS pixels (overlay.js
	// lays an HTML button over it, for quick taps and the keyboard).
	side := min(body.Dy()-st.Px(50), body.Dx()*55/100)
	g.padRect = image.Rect(body.Min.X, body.Min.Y, body.Min.X+side, body.Min.Y+side)
	g.clearBtn = image.Rect(body.Min.X, g.padRect.Max.Y+st.Px(6), body.Min.X+st.Px(80), g.padRect.Max.Y+st.Px(50))
}

// Draw redraws the panels whose state changed and puts all on the screen.
func (g *Game) Draw(screen *ebiten.Image) {
	g.mu.Lock()
	defer g.mu.Unlock()
	// The screen is kept between frames (main turns off ebiten's clearing),
	// so a frame redraws only the panels that changed: idle frames cost
	// nothing, which keeps the page smooth while training.
	full := screen.Bounds().Size() != g.drawn
	if full {
		screen.Fill(g.style.Pal.Page)
		g.drawn = screen.Bounds().Size()
	}
	if g.style == nil {
		return
	}
	// All changed panels are drawn in the same frame: a changed frame is
	// what costs (the browser composites the whole canvas), not a panel.
	// So the training panels change at most every minRedraw (a race's runs
	// each send snapshots), while the pad answers the pen at once.
	now := time.Now()
	training := full || now.Sub(g.redrawn) >= minRedraw
	for k := range g.panels {
		p := &g.panels[k]
		if p.rgba == nil || !p.dirty && !full || !training && k != render.PanelPad && !full {
			continue
		}
		if k != render.PanelPad {
			g.redrawn = now
		}
		if p.dirty {
			g.drawPanel(k, p.rgba)
			p.img.WritePixels(p.rgba.Pix)
			p.dirty = false
		}
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(float64(p.rect.Min.X), float64(p.rect.Min.Y))
		screen.DrawImage(p.img, op)
	}
}

// drawPanel renders panel k into dst (whose origin is the panel's corner).
func (g *Game) drawPanel(k int, dst *image.RGBA) {
	st, m := g.style, g.cur()
	switch k {
	case render.PanelPad:
		g.drawPad(dst)
	case render.PanelCurves:
		g.drawCurves(dst)
	case render.PanelHistogram:
		r := st.Panel(dst, g.ofRun("Allele frequencies p (paper Fig. 2)"))
		if m.p != nil {
			st.Histogram(dst, r, m.p, 20, m.fixed)
		} else if m.algo != "" {
			render.Text(dst, st.Small, r.Min.X, r.Min.Y+st.Small.Metrics().Ascent.Ceil(), 0, m.algo+" learns within one life: only NNE evolves alleles", g.style.Pal.Faint)
		}
	case render.PanelTiles:
		r := st.Panel(dst, g.ofRun("Hidden units' input weights (red +, blue −, grey: no link)"))
		st.Tiles(dst, r, m.fields, m.linked, 24)
	case render.PanelHeatMap:
		r := st.Panel(dst, g.ofRun("Output weights (classes × hidden units)"))
		st.HeatMap(dst, r, m.output, m.labels)
	case render.PanelGrid:
		r := st.Panel(dst, g.ofRun(m.gridTitle()))
		off := g.panels[render.PanelGrid].rect.Min
		size := max(1, len(m.gridTruth))
		total := max(m.gridTotal, m.numTest*b2i(!m.grid.Filtered()))
		label := "none"
		if total > 0 {
			label = fmt.Sprintf("%d–%d of %d", m.grid.Page*size+1, min(total, (m.grid.Page+1)*size), total)
		}
		if m.grid.Filtered() {
			label += " · " + m.gridFilter()
		}
		rest, prev, next, all := st.Pager(dst, r, label, m.grid.Page > 0, (m.grid.Page+1)*size < total, m.grid.Filtered())
		g.gridPrev, g.gridNext, g.gridAll = prev.Add(off), next.Add(off), all.Add(off)
		st.DigitGrid(dst, rest, m.gridImages, m.gridTruth, m.gridPred, m.labels)
	case render.PanelConfusion:
		r := st.Panel(dst, g.ofRun("Confusion (rows: true, columns: predicted) · press a cell"))
		g.confRect = image.Rectangle{}
		if m.confusion != nil {
			st.Confusion(dst, r, m.confusion, m.labels)
			g.confRect = r.Add(g.panels[render.PanelConfusion].rect.Min)
		}
	}
}

// gridTitle is the grid panel's title: what it shows.
func (m *model) gridTitle() string {
	switch {
	case m.grid.Filtered():
		return "Test digits · " + m.gridFilter()
	case m.gen > 0:
		return fmt.Sprintf("Test digits · %.1f%% of %d right", 100*m.testAccuracy, m.numTest)
	}
	return "Test digits (first of the test set)"
}

// gridFilter says which images a filtered grid shows.
func (m *model) gridFilter() string {
	label := func(c int) string {
		if c >= 0 && c < len(m.labels) {
			return m.labels[c]
		}
		return "?"
	}
	switch v := m.grid; {
	case v.Truth >= 0 && v.Pred >= 0:
		return "true " + label(v.Truth) + ", read as " + label(v.Pred)
	case v.Truth >= 0:
		return "true " + label(v.Truth)
	case v.Pred >= 0:
		return "read as " + label(v.Pred)
	}
	return "all"
}

// gridTap returns the grid view a press at pt asks for (a confusion
// cell or label, or the pager's buttons), and whether it asks for one.
func (g *Game) gridTap(pt image.Point) (mnist.GridView, bool) {
	m := g.cur()
	v := m.grid
	switch {
	case pt.In(g.confRect):
		row, col, ok := g.style.ConfusionCell(g.confRect, len(m.labels), pt)
		if !ok {
			return v, false
		}
		return mnist.GridView{Truth: row, Pred: col}, true
	case pt.In(g.gridPrev):
		v.Page--
	case pt.In(g.gridNext):
		v.Page++
	case pt.In(g.gridAll):
		v = mnist.AllDigits
	default:
		return v, false
	}
	return v, true
}

// b2i is 1 for true.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ofRun prefixes a per-run panel's title with the run it shows, in a
// race.
func (g *Game) ofRun(title string) string {
	if len(g.runs) < 2 {
		return title
	}
	return g.cur().label + " · " + title
}

// curveAxis returns the curve's x positions, the axis's end and label,
// and where NNE + SignSGD switched to SignSGD (−1 if it has not, or is
// another rule). NNE + SignSGD's epochs follow its generations, each
// taking a quarter of the evolution's span shared among them, so one curve
// runs across both phases.
func (m *model) curveAxis() (xs []float64, xmax float64, label string, mark float64) {
	xmax = float64(max(m.gen, 1))
	label = fmt.Sprintf("%.0f %ss", xmax, m.unit)
	if len(m.phases) < 2 {
		return m.curveX, xmax, label, -1
	}
	g, per := m.chainScale()
	xs = make([]float64, len(m.curveX))
	mark = -1
	for i, x := range m.curveX {
		xs[i] = x
		if i < len(m.curveU) && m.curveU[i] == m.phases[1].unit {
			xs[i], mark = g+x*per, g
		}
	}
	if mark < 0 {
		return xs, xmax, fmt.Sprintf("%.0f %ss", xmax, m.phases[0].unit), -1
	}
	return xs, g + float64(m.phases[1].stop)*per, fmt.Sprintf("%d %ss, then %d %ss", m.phases[0].stop, m.phases[0].unit, m.phases[1].stop, m.phases[1].unit), mark
}

// chainScale returns where NNE + SignSGD's epochs start on its steps
// axis (after its generations) and the span of one epoch there.
func (m *model) chainScale() (g, per float64) {
	g = float64(max(1, m.phases[0].stop))
	return g, max(1, g/float64(4*max(1, m.phases[1].stop)))
}

func clock(s float64) string {
	t := int(s)
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}

// drawPad draws the pad, the clear button, the 28×28 input and the bars.
func (g *Game) drawPad(dst *image.RGBA) {
	st := g.style
	off := g.panels[render.PanelPad].rect.Min
	st.Panel(dst, "Draw a digit")
	pad := g.padRect.Sub(off)
	render.Fill(dst, pad, g.style.Pal.Grid)
	inner := pad.Inset(max(1, st.Px(1)))
	// The pad is a sheet of paper in either palette: strokes are dark.
	render.Fill(dst, inner, render.Light.Background)
	// The strokes at the pad's own resolution.
	side := inner.Dx()
	if side > 0 && g.dropped != nil {
		// The dropped picture's ink, fitted to the pad.
		k := float64(max(g.droppedW, g.droppedH)) / float64(side)
		ox, oy := (side-int(float64(g.droppedW)/k))/2, (side-int(float64(g.droppedH)/k))/2
		for y := range side {
			for x := range side {
				sx, sy := int(float64(x-ox)*k), int(float64(y-oy)*k)
				if x < ox || y < oy || sx >= g.droppedW || sy >= g.droppedH {
					continue
				}
				if v := g.dropped[sy*g.droppedW+sx]; v > 0 {
					dst.SetRGBA(inner.Min.X+x, inner.Min.Y+y, render.Grey(v))
				}
			}
		}
	} else if side > 0 && len(g.strokes) > 0 {
		buf := make([]float32, side*side)
		mnist.Rasterize(buf, side, g.strokes, 1, strokeWidth)
		for y := range side {
			for x := range side {
				if v := buf[y*side+x]; v > 0 {
					dst.SetRGBA(inner.Min.X+x, inner.Min.Y+y, render.Grey(v))
				}
			}
		}
	} else {
		render.Text(dst, st.Small, (inner.Min.X+inner.Max.X)/2, (inner.Min.Y+inner.Max.Y)/2, 0.5, "draw here", render.Light.Faint)
	}
	btn := g.clearBtn.Sub(off)
	render.Fill(dst, btn, g.style.Pal.Grid)
	render.Text(dst, st.Small, (btn.Min.X+btn.Max.X)/2, (btn.Min.Y+btn.Max.Y+st.Small.Metrics().Ascent.Ceil())/2, 0.5, "Clear", g.style.Pal.Ink)
	// Right column: the input the model sees, then one bar per class.
	right := image.Rect(pad.Max.X+st.Px(10), pad.Min.Y, dst.Bounds().Max.X-st.Px(8), dst.Bounds().Max.Y-st.Px(8))
	in := image.Rect(right.Min.X, right.Min.Y, right.Min.X+st.Px(56), right.Min.Y+st.Px(56))
	render.Fill(dst, in, g.style.Pal.Grid)
	render.Digit(dst, in.Inset(max(1, st.Px(1))), g.input)
	render.Text(dst, st.Small, in.Max.X+st.Px(4), in.Min.Y+st.Small.Metrics().Ascent.Ceil(), 0, "28×28", g.style.Pal.Faint)
	bars := image.Rect(right.Min.X, in.Max.Y+st.Px(6), right.Max.X, right.Max.Y)
	if len(g.runs) > 1 {
		// Every run's answer, a row each in its colour.
		names, colors := make([]string, len(g.runs)), make([]color.RGBA, len(g.runs))
		classes, probs := make([][]string, len(g.runs)), make([][]float64, len(g.runs))
		for i := range g.runs {
			m := &g.runs[i]
			names[i], colors[i], classes[i] = m.label, g.style.Pal.Run(m.color), m.labels
			probs[i] = m.probs // nil until it answers, or with no input
		}
		st.RunBars(dst, bars, names, colors, classes, probs)
		return
	}
	m := g.cur()
	probs := m.probs
	if probs == nil {
		probs = make([]float64, len(m.labels))
	}
	st.Bars(dst, bars, m.labels, probs)
}
