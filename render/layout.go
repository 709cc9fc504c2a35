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
		h := st.Px(panelHeight[k])
		rects[k] = image.Rect(x, tops[c], x+colW, tops[c]+h)
		tops[c] += h + gap
	}
	for _, t := range tops {
		height = max(height, t)
	}
	return rects, height
}
