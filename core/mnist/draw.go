package mnist

import "math"

// Point is a position on a drawing pad, in pad units (any scale; Rasterize
// takes the pad's size in the same units).
type Point struct{ X, Y float64 }

// Rasterize draws strokes (polylines; a single point is a dot) of the given
// width onto a size×size grey image with values in [0, 1], anti-aliased by
// distance to the stroke. pad is the side of the square pad in the units of
// the points.
func Rasterize(dst []float32, size int, strokes [][]Point, pad, width float64) {
	clear(dst[:size*size])
	k := float64(size) / pad
	r := width * k / 2
	for _, st := range strokes {
		for i := range st {
			a := st[i]
			b := a
			if i+1 < len(st) {
				b = st[i+1]
			} else if len(st) > 1 {
				continue
			}
			segment(dst, size, Point{a.X * k, a.Y * k}, Point{b.X * k, b.Y * k}, r)
		}
	}
}

// segment paints the capsule of radius r around segment ab, keeping the
// brighter value where strokes overlap.
func segment(dst []float32, size int, a, b Point, r float64) {
	x0 := max(0, int(math.Floor(min(a.X, b.X)-r-1)))
	x1 := min(size-1, int(math.Ceil(max(a.X, b.X)+r+1)))
	y0 := max(0, int(math.Floor(min(a.Y, b.Y)-r-1)))
	y1 := min(size-1, int(math.Ceil(max(a.Y, b.Y)+r+1)))
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := float64(dx*dx) + float64(dy*dy)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := 0.0
			if l2 > 0 {
				t = min(1, max(0, (float64((px-a.X)*dx)+float64((py-a.Y)*dy))/l2))
			}
			ex, ey := px-(a.X+float64(t*dx)), py-(a.Y+float64(t*dy))
			v := float32(min(1, max(0, r+0.5-math.Sqrt(float64(ex*ex)+float64(ey*ey)))))
			if i := y*size + x; v > dst[i] {
				dst[i] = v
			}
		}
	}
}

// Normalize turns a w×h grey drawing (values in [0, 1], 0 = background)
// into an MNIST input the way the MNIST images were made (LeCun et al.):
// the drawing's bounding box is scaled to fit a 20×20 box keeping its
// aspect ratio, with area averaging for anti-aliasing, and placed so that
// its centre of mass is at the centre of the 28×28 field (pixel (14, 14),
// whose centre is at 14.5 from the top-left corner, as in MNIST). It writes Pixels
// values into dst and reports false, leaving dst zero, for an empty drawing.
func Normalize(dst []float32, src []float32, w, h int) bool {
	clear(dst[:Pixels])
	const eps, centre = 1e-3, Width/2 + 0.5
	bx0, by0, bx1, by1 := w, h, -1, -1
	var mass, mx, my float64
	for y := range h {
		for x := range w {
			v := float64(src[y*w+x])
			if v <= eps {
				continue
			}
			bx0, by0 = min(bx0, x), min(by0, y)
			bx1, by1 = max(bx1, x), max(by1, y)
			mass += v
			mx += float64(v * (float64(x) + 0.5))
			my += float64(v * (float64(y) + 0.5))
		}
	}
	if bx1 < 0 {
		return false
	}
	side := float64(max(bx1-bx0+1, by1-by0+1))
	s := 20 / side // output pixels per source pixel
	// Source point (x, y) goes to ((x−cx)·s + 14.5, (y−cy)·s + 14.5).
	cx, cy := mx/mass, my/mass
	for y := by0; y <= by1; y++ {
		oy0 := float64((float64(y)-cy)*s) + centre
		for x := bx0; x <= bx1; x++ {
			v := src[y*w+x]
			if v <= eps {
				continue
			}
			ox0 := float64((float64(x)-cx)*s) + centre
			splat(dst, ox0, oy0, s, float64(v))
		}
	}
	for i, v := range dst[:Pixels] {
		dst[i] = min(1, v)
	}
	return true
}

// splat adds v times the overlap of the square [x0, x0+s]×[y0, y0+s] with
// each output pixel, so each output pixel gets the area average.
func splat(dst []float32, x0, y0, s, v float64) {
	for oy := max(0, int(math.Floor(y0))); oy < min(Height, int(math.Ceil(y0+s))); oy++ {
		hy := min(float64(oy+1), y0+s) - max(float64(oy), y0)
		if hy <= 0 {
			continue
		}
		for ox := max(0, int(math.Floor(x0))); ox < min(Width, int(math.Ceil(x0+s))); ox++ {
			hx := min(float64(ox+1), x0+s) - max(float64(ox), x0)
			if hx > 0 {
				dst[oy*Width+ox] += float32(v * hx * hy)
			}
		}
	}
}
