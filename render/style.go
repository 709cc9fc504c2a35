// Package render turns model state into pictures: digits, receptive-field
// tiles, allele-frequency histograms, accuracy curves, probability bars and
// confusion matrices. It draws into plain *image.RGBA values, knows nothing
// of ebiten or the browser, and so is tested natively; wasm/app puts the
// pictures on the canvas.
package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Colours of the pictures.
var (
	Background = color.RGBA{0xff, 0xff, 0xff, 0xff}
	Ink        = color.RGBA{0x1f, 0x29, 0x33, 0xff}
	Faint      = color.RGBA{0x6b, 0x72, 0x80, 0xff}
	Grid       = color.RGBA{0xe5, 0xe7, 0xeb, 0xff}
	Blue       = color.RGBA{0x25, 0x63, 0xeb, 0xff}
	Orange     = color.RGBA{0xea, 0x58, 0x0c, 0xff}
	Green      = color.RGBA{0x16, 0xa3, 0x4a, 0xff}
	Red        = color.RGBA{0xdc, 0x26, 0x26, 0xff}
	Unlinked   = color.RGBA{0xee, 0xf0, 0xf3, 0xff}
)

// RunColors are the colours of a race's runs, in the race's order: each
// run keeps its colour in every panel, on the page and in nnesim race's
// PNG.
var RunColors = []color.RGBA{
	Blue,
	{0x7c, 0x3a, 0xed, 0xff}, // violet
	Green,
	Orange,
	Red,
	{0x0e, 0x74, 0x90, 0xff}, // teal
	{0xa1, 0x62, 0x07, 0xff}, // amber
	{0xdb, 0x27, 0x77, 0xff}, // pink
}

// RunColor returns the colour of run i of a race on a light background.
func RunColor(i int) color.RGBA { return Light.Run(i) }

// Palette is the colours of the pictures: the chrome (the page around the
// panels, a panel's background, text, grid lines, unlinked pixels) and the
// data (the accuracy series, right and wrong, a race's runs). A Style
// draws with one; the page picks Light or Dark to follow the system's
// colour scheme or the reader's choice.
type Palette struct {
	Name                                         string
	Page, Background, Ink, Faint, Grid, Unlinked color.RGBA
	Blue, Orange, Green, Red                     color.RGBA
	Runs                                         []color.RGBA
}

// Run returns the colour of run i of a race.
func (p *Palette) Run(i int) color.RGBA {
	return p.Runs[(i%len(p.Runs)+len(p.Runs))%len(p.Runs)]
}

// Light is the palette on a white page: the package's colours.
var Light = Palette{Name: "light", Page: color.RGBA{0xf3, 0xf4, 0xf6, 0xff}, Background: Background, Ink: Ink, Faint: Faint, Grid: Grid, Unlinked: Unlinked,
	Blue: Blue, Orange: Orange, Green: Green, Red: Red, Runs: RunColors}

// Dark is the palette on a dark page: light text, dim chrome, and the
// data's colours a step lighter so that they keep their contrast with
// the dark panels (each at least 4.5:1 against Background).
var Dark = Palette{Name: "dark",
	Page:       color.RGBA{0x0f, 0x14, 0x1a, 0xff},
	Background: color.RGBA{0x1a, 0x20, 0x29, 0xff},
	Ink:        color.RGBA{0xe5, 0xe7, 0xeb, 0xff},
	Faint:      color.RGBA{0x9c, 0xa3, 0xaf, 0xff},
	Grid:       color.RGBA{0x33, 0x3d, 0x4a, 0xff},
	Unlinked:   color.RGBA{0x26, 0x2e, 0x38, 0xff},
	Blue:       color.RGBA{0x60, 0xa5, 0xfa, 0xff},
	Orange:     color.RGBA{0xfb, 0x92, 0x3c, 0xff},
	Green:      color.RGBA{0x4a, 0xde, 0x80, 0xff},
	Red:        color.RGBA{0xf8, 0x71, 0x71, 0xff},
	Runs: []color.RGBA{
		{0x60, 0xa5, 0xfa, 0xff}, // blue
		{0xa7, 0x8b, 0xfa, 0xff}, // violet
		{0x4a, 0xde, 0x80, 0xff}, // green
		{0xfb, 0x92, 0x3c, 0xff}, // orange
		{0xf8, 0x71, 0x71, 0xff}, // red
		{0x22, 0xd3, 0xee, 0xff}, // teal
		{0xfb, 0xbf, 0x24, 0xff}, // amber
		{0xf4, 0x72, 0xb6, 0xff}, // pink
	},
}

// Style holds what every picture shares: the scale from CSS pixels to
// device pixels (so pictures are crisp on high-DPI screens) and the fonts.
type Style struct {
	Scale float64
	Pal   *Palette  // the colours, Light unless set
	Face  font.Face // body text
	Small font.Face // axis labels
	z     *vector.Rasterizer
}

// NewStyle returns a style for the given device pixel ratio.
func NewStyle(scale float64) (*Style, error) {
	if !(scale >= 0.5 && scale <= 8) {
		return nil, fmt.Errorf("render: scale %v, want 0.5 to 8", scale)
	}
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("render: font: %w", err)
	}
	face := func(size float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: size * scale, DPI: 72, Hinting: font.HintingFull})
	}
	st := &Style{Scale: scale, Pal: &Light, z: vector.NewRasterizer(1, 1)}
	if st.Face, err = face(13); err != nil {
		return nil, fmt.Errorf("render: font: %w", err)
	}
	if st.Small, err = face(10.5); err != nil {
		return nil, fmt.Errorf("render: font: %w", err)
	}
	return st, nil
}

// Px converts CSS pixels to device pixels.
func (st *Style) Px(css float64) int { return int(math.Round(css * st.Scale)) }

// Fill paints r with c.
func Fill(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// Text draws s with its baseline at y, starting at x; align is 0 for
// left, 0.5 for centred and 1 for right-aligned at x. It returns the width.
func Text(dst *image.RGBA, face font.Face, x, y int, align float64, s string, c color.Color) int {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face}
	w := d.MeasureString(s)
	d.Dot = fixed.Point26_6{X: fixed.I(x) - fixed.Int26_6(float64(w)*align), Y: fixed.I(y)}
	d.DrawString(s)
	return w.Ceil()
}

// TextWidth returns the width of s in face.
func TextWidth(face font.Face, s string) int { return font.MeasureString(face, s).Ceil() }

// LineHeight returns the height of a line of face.
func LineHeight(face font.Face) int { return face.Metrics().Height.Ceil() }

// Panel clears dst, draws title at the top and returns the rectangle
// left for the picture.
func (st *Style) Panel(dst *image.RGBA, title string) image.Rectangle {
	return st.PanelBeside(dst, title, 0)
}

// InfoWidth is the CSS width at the right of a panel's title row that
// the page's ⓘ button takes (public/overlay.js).
const InfoWidth = 30

// PanelBeside is Panel with right more device pixels of the title row
// kept free (a control drawn there), besides the ⓘ's InfoWidth. A title
// too long for what is left is shortened by FitTitle, never drawn under
// them.
func (st *Style) PanelBeside(dst *image.RGBA, title string, right int) image.Rectangle {
	b := dst.Bounds()
	Fill(dst, b, st.Pal.Background)
	pad := st.Px(8)
	lh := LineHeight(st.Face)
	room := b.Dx() - pad - st.Px(InfoWidth) - right
	Text(dst, st.Face, b.Min.X+pad, b.Min.Y+pad+st.Face.Metrics().Ascent.Ceil(), 0, FitTitle(st.Face, title, room), st.Pal.Ink)
	return image.Rect(b.Min.X+pad, b.Min.Y+pad+lh+st.Px(4), b.Max.X-pad, b.Max.Y-pad)
}

// FitTitle shortens title to at most width pixels in face: it drops the
// parts after the first of a title made of parts joined by " · ", the
// last first, then cuts the rest with an ellipsis.
func FitTitle(face font.Face, title string, width int) string {
	parts := strings.Split(title, " · ")
	for len(parts) > 1 && TextWidth(face, strings.Join(parts, " · ")) > width {
		parts = parts[:len(parts)-1]
	}
	t := strings.Join(parts, " · ")
	if TextWidth(face, t) <= width {
		return t
	}
	r := []rune(t)
	for len(r) > 0 && TextWidth(face, string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	if len(r) == 0 {
		return ""
	}
	return string(r) + "…"
}

// Polyline strokes the points (x[i], y[i]) with an anti-aliased line of
// the given width in device pixels.
func (st *Style) Polyline(dst *image.RGBA, x, y []float32, width float32, c color.RGBA) {
	if len(x) < 2 {
		return
	}
	b := dst.Bounds()
	z := st.z
	z.Reset(b.Dx(), b.Dy())
	h := width / 2
	ox, oy := float32(b.Min.X), float32(b.Min.Y)
	for i := 0; i+1 < len(x); i++ {
		ax, ay, bx, by := x[i]-ox, y[i]-oy, x[i+1]-ox, y[i+1]-oy
		dx, dy := bx-ax, by-ay
		l := float32(math.Hypot(float64(dx), float64(dy)))
		if l == 0 {
			continue
		}
		// A quad around the segment, extended by h at both ends so joints close.
		nx, ny := -dy/l*h, dx/l*h
		ex, ey := dx/l*h, dy/l*h
		z.MoveTo(ax-ex+nx, ay-ey+ny)
		z.LineTo(bx+ex+nx, by+ey+ny)
		z.LineTo(bx+ex-nx, by+ey-ny)
		z.LineTo(ax-ex-nx, ay-ey-ny)
		z.ClosePath()
	}
	z.Draw(dst, b, image.NewUniform(c), image.Point{})
}

// Diverging maps v in [−1, 1] to blue (negative), white (0) and red
// (positive).
func Diverging(v float64) color.RGBA {
	v = math.Max(-1, math.Min(1, v))
	if v >= 0 {
		k := uint8(255 - 200*v)
		return color.RGBA{255, k, uint8(255 - 215*v), 255}
	}
	k := uint8(255 + 200*v)
	return color.RGBA{uint8(255 + 215*v), k, 255, 255}
}

// Grey maps ink v in [0, 1] to white (0) through black (1), as MNIST
// digits are shown.
func Grey(v float32) color.RGBA {
	g := uint8(255 - 255*math.Max(0, math.Min(1, float64(v))))
	return color.RGBA{g, g, g, 255}
}
