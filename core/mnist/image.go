package mnist

import (
	"fmt"
	"slices"
)

// MaxImageSide bounds the side of an image FromImage reads.
const MaxImageSide = 1024

// PictureSide is the longest side the page scales a dropped picture to
// before FromImage (ten times MNIST's 28 pixels: enough for the 20×20
// box), and MaxPictureBytes the largest file it decodes.
const (
	PictureSide     = 280
	MaxPictureBytes = 20 << 20
)

// inkFloor is the share of full ink below which a pixel of a picture
// counts as paper: the paper of a photo is not one grey.
const inkFloor = 0.2

// FromImage turns a picture of a digit (RGBA, w×h, 4 bytes a pixel, as
// a canvas gives it) into an MNIST input in dst the way a drawing on the
// pad is (Normalize): grey levels; inverted when the paper is lighter
// than the ink (the border's mean grey above ½), as MNIST's digits are
// light on black; the paper's own grey taken away and the darkest ink
// stretched to 1, with what is left under inkFloor dropped; then
// cropped, fitted to 20×20 and centred by mass in 28×28. It returns the
// ink raster (w×h, values in [0, 1]) it normalized, and an error, dst
// left zero, for a picture of no ink or of a wrong size.
func FromImage(dst []float32, rgba []byte, w, h int) ([]float32, error) {
	clear(dst[:Pixels])
	switch {
	case w < 1 || h < 1 || w > MaxImageSide || h > MaxImageSide:
		return nil, fmt.Errorf("a %d×%d picture; want 1 to %d pixels a side", w, h, MaxImageSide)
	case len(rgba) != 4*w*h:
		return nil, fmt.Errorf("%d bytes for a %d×%d picture; want %d (RGBA)", len(rgba), w, h, 4*w*h)
	}
	grey := make([]float32, w*h)
	for i := range grey {
		r, g, b, a := float32(rgba[4*i]), float32(rgba[4*i+1]), float32(rgba[4*i+2]), float32(rgba[4*i+3])/255
		// Luminance over white paper where the picture is transparent.
		l := (float32(0.299*r) + float32(0.587*g) + float32(0.114*b)) / 255
		grey[i] = float32(a*l) + (1 - a)
	}
	var border []float32
	for x := range w {
		border = append(border, grey[x], grey[(h-1)*w+x])
	}
	for y := range h {
		border = append(border, grey[y*w], grey[y*w+w-1])
	}
	slices.Sort(border)
	paper := border[len(border)/2] // the median: a stroke touching the edge does not count
	light := paper > 0.5
	ink := make([]float32, w*h)
	var top float32
	for i, v := range grey {
		if light {
			v = paper - v
		} else {
			v -= paper
		}
		ink[i] = max(0, v)
		top = max(top, ink[i])
	}
	if top < 0.1 {
		return nil, fmt.Errorf("the picture has no ink: its darkest and lightest greys differ by %.0f%%", 100*top)
	}
	for i, v := range ink {
		v /= top
		if v < inkFloor {
			v = 0
		}
		ink[i] = v
	}
	if !Normalize(dst, ink, w, h) {
		return nil, fmt.Errorf("the picture has no ink")
	}
	return ink, nil
}
