package mnist

import (
	"slices"
	"testing"
)

func TestGridPage(t *testing.T) {
	class := []int32{0, 1, 1, 2, 1, 0, 1, 2, 1}
	pred := []int32{0, 2, 1, 2, 2, 0, 2, 1, 2}
	for _, c := range []struct {
		name        string
		v           GridView
		size        int
		pred        []int32
		idx         []int
		total, page int
	}{
		{"all, first page", AllDigits, 4, pred, []int{0, 1, 2, 3}, 9, 0},
		{"all, last page", GridView{-1, -1, 2}, 4, pred, []int{8}, 9, 2},
		{"past the last page", GridView{-1, -1, 7}, 4, pred, []int{8}, 9, 2},
		{"before the first", GridView{-1, -1, -3}, 4, pred, []int{0, 1, 2, 3}, 9, 0},
		{"true 1 predicted 2", GridView{1, 2, 0}, 2, pred, []int{1, 4}, 4, 0},
		{"true 1 predicted 2, page 2", GridView{1, 2, 1}, 2, pred, []int{6, 8}, 4, 1},
		{"true 2, any answer", GridView{2, -1, 0}, 5, pred, []int{3, 7}, 2, 0},
		{"answered 1", GridView{-1, 1, 0}, 5, pred, []int{2, 7}, 2, 0},
		{"an empty cell", GridView{0, 1, 0}, 5, pred, nil, 0, 0},
		{"no predictions yet", GridView{1, 2, 0}, 5, nil, []int{1, 2, 4, 6, 8}, 5, 0},
	} {
		idx, total, page := GridPage(class, c.pred, c.v, c.size)
		if !slices.Equal(idx, c.idx) || total != c.total || page != c.page {
			t.Errorf("%s: %v, %d images, page %d; want %v, %d, %d", c.name, idx, total, page, c.idx, c.total, c.page)
		}
	}
}
