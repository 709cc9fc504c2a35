package mnist

import (
	"strings"
	"testing"
)

// picture draws MNIST image img (light on black) as an RGBA picture the
// way a phone would photograph it: scale times larger, at (ox, oy) on a
// w×h sheet, in ink of grey level inkGrey on paper of paperGrey.
func picture(img []float32, scale, ox, oy, w, h int, paperGrey, inkGrey float32) []byte {
	b := make([]byte, 4*w*h)
	for y := range h {
		for x := range w {
			v := float32(0)
			if sx, sy := (x-ox)/scale, (y-oy)/scale; x >= ox && y >= oy && sx < Width && sy < Height {
				v = img[sy*Width+sx]
			}
			g := byte(255 * (paperGrey + v*(inkGrey-paperGrey)))
			i := 4 * (y*w + x)
			b[i], b[i+1], b[i+2], b[i+3] = g, g, g, 255
		}
	}
	return b
}

// TestFromImage photographs real MNIST test digits in several ways and
// checks that the input FromImage makes of each is the digit itself:
// dark on light paper (inverted), light on dark, grey paper, off centre.
func TestFromImage(t *testing.T) {
	_, test := realMNIST(t)
	for _, c := range []struct {
		name                string
		scale, ox, oy, w, h int
		paper, ink          float32
	}{
		{"black on white, 3×, off centre", 3, 40, 10, 150, 120, 1, 0},
		{"white on black, 2×", 2, 5, 5, 70, 70, 0, 1},
		{"dark grey on light grey paper, 4×", 4, 0, 30, 140, 200, 0.85, 0.2},
	} {
		for _, i := range []int{0, 1, 7, 42} {
			img := Floats(nil, test.Image(i))
			want := make([]float32, Pixels)
			Normalize(want, img, Width, Height)
			got := make([]float32, Pixels)
			if _, err := FromImage(got, picture(img, c.scale, c.ox, c.oy, c.w, c.h, c.paper, c.ink), c.w, c.h); err != nil {
				t.Fatalf("%s, image %d: %v", c.name, i, err)
			}
			if r := correlation(got, want); r < 0.9 {
				t.Errorf("%s, image %d: correlation %.3f with the digit, want ≥ 0.9", c.name, i, r)
			}
		}
	}
	dst := make([]float32, Pixels)
	for _, c := range []struct {
		name string
		rgba []byte
		w, h int
		want string
	}{
		{"blank", picture(make([]float32, Pixels), 1, 0, 0, 28, 28, 1, 0), 28, 28, "no ink"},
		{"too wide", nil, MaxImageSide + 1, 10, "want 1 to 1024"},
		{"short", make([]byte, 10), 4, 4, "want 64 (RGBA)"},
		{"empty", nil, 0, 0, "want 1 to 1024"},
	} {
		if _, err := FromImage(dst, c.rgba, c.w, c.h); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}
