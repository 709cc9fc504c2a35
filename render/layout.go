package render

import "image"

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

// panelHeight is each panel's height in CSS pixels.
var panelHeight = [NumPanels]float64{300, 300, 230, 320, 190, 330, 300}

// Layout places the panels in columns at least 340 CSS pixels wide (up to
// four), each panel into the shortest column so far. width is the CSS
// width; the rectangles and the height are in device pixels of st.
func (st *Style) Layout(width float64) (rects [NumPanels]image.Rectangle, height int) {
	gap := st.Px(8)
	w := st.Px(width)
	cols := min(4, max(1, int(width/340)))
	colW := (w - gap*(cols+1)) / cols
	tops := make([]int, cols)
	for i := range tops {
		tops[i] = gap
	}
	for k := range NumPanels {
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
