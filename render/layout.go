package render

import (
	"fmt"
	"image"
	"strings"
)

// Panel kinds of the app, in the order they are laid out.
const (
	PanelPad = iota
	PanelCurves
	PanelHistogram
	PanelTiles
	PanelHeatMap
	PanelGrid
	PanelConfusion
	NumPanels
)

// panelNames name the panels in URLs (hide=…) and messages.
var panelNames = [NumPanels]string{"pad", "curves", "histogram", "tiles", "heatmap", "grid", "confusion"}

// PanelNames returns the panels' names in URLs (hide=…) and messages,
// in panel order.
func PanelNames() []string { return panelNames[:] }

// PanelGroups names groups of panels that hide=… may name at once.
var PanelGroups = map[string][]string{"weights": {"tiles", "heatmap"}, "digits": {"grid", "confusion"}}

// PanelName returns the name of panel kind k in URLs and messages.
func PanelName(k int) string {
	if k < 0 || k >= NumPanels {
		return ""
	}
	return panelNames[k]
}

// Shown is the set of panels on the canvas.
type Shown [NumPanels]bool

// AllPanels shows every panel.
var AllPanels = Shown{true, true, true, true, true, true, true}

// ParseHidden returns every panel except those named in the comma-separated
// list (panel names as in panelNames; an empty list hides nothing).
func ParseHidden(list string) (Shown, error) {
	shown := AllPanels
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		k := -1
		for i, n := range panelNames {
			if n == name {
				k = i
			}
		}
		if k < 0 {
			return AllPanels, fmt.Errorf("unknown panel %q: want some of %s", name, strings.Join(panelNames[:], ", "))
		}
		shown[k] = false
	}
	return shown, nil
}

// panelHeight is each panel's height in CSS pixels.
var panelHeight = [NumPanels]float64{300, 300, 230, 320, 190, 330, 300}

// Layout places the shown panels in columns at least 340 CSS pixels wide
// (up to four, and no more than there are panels), each panel into the
// shortest column so far; a hidden panel gets the empty rectangle. width is
// the CSS width; the rectangles and the height are in device pixels of st.
func (st *Style) Layout(width float64, shown Shown) (rects [NumPanels]image.Rectangle, height int) {
	return st.layout(width, shown, 1)
}

// fitScales are the panel heights Fit tries, largest first: below 0.75
// the draw pad gets too small to draw on with a finger.
var fitScales = []float64{1, 0.9, 0.8, 0.75}

// Fit lays out as many of the shown panels as fit in width × height CSS
// pixels with no scrolling, in the order of importance PanelPad,
// PanelCurves, PanelHistogram, … (the order of the constants): it tries
// panel heights from full down to 75%, and keeps the layout that shows the
// most panels, the taller on a tie. It returns the layout, its height in
// device pixels and the panels it shows; a frame too small even for the
// first shown panel gets that one panel alone.
func (st *Style) Fit(width, height float64, shown Shown) (rects [NumPanels]image.Rectangle, h int, fitted Shown) {
	limit := st.Px(height)
	best := -1
	for _, sc := range fitScales {
		var try Shown
		n := 0
		for k := range NumPanels {
			if !shown[k] {
				continue
			}
			try[k] = true
			if _, th := st.layout(width, try, sc); th > limit {
				try[k] = false
				break // keep the order of importance: no later panel jumps the queue
			}
			n++
		}
		if n > best {
			best, fitted = n, try
			rects, h = st.layout(width, try, sc)
		}
	}
	if best == 0 {
		for k := range NumPanels {
			if shown[k] {
				fitted[k] = true
				break
			}
		}
		rects, h = st.layout(width, fitted, fitScales[len(fitScales)-1])
	}
	return rects, h, fitted
}

// layout is Layout with every panel's height scaled by hs.
func (st *Style) layout(width float64, shown Shown, hs float64) (rects [NumPanels]image.Rectangle, height int) {
	count := 0
	for _, s := range shown {
		if s {
			count++
		}
	}
	gap := st.Px(8)
	w := st.Px(width)
	cols := min(4, max(1, int(width/340)), max(1, count))
	colW := (w - gap*(cols+1)) / cols
	tops := make([]int, cols)
	for i := range tops {
		tops[i] = gap
	}
	for k := range NumPanels {
		if !shown[k] {
			continue
		}
		c := 0
		for i := range tops {
			if tops[i] < tops[c] {
				c = i
			}
		}
		x := gap + c*(colW+gap)
		h := st.Px(panelHeight[k] * hs)
		rects[k] = image.Rect(x, tops[c], x+colW, tops[c]+h)
		tops[c] += h + gap
	}
	for _, t := range tops {
		height = max(height, t)
	}
	return rects, height
}
