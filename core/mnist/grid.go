package mnist

// GridView is what the page's test-digit grid shows: the scored images
// whose true class is Truth and whose predicted class is Pred (−1: any),
// a page of them at a time. The zero value's classes are 0; AllDigits is
// the unfiltered view.
type GridView struct {
	Truth, Pred int
	Page        int
}

// AllDigits is the grid view of every scored image, first page.
var AllDigits = GridView{Truth: -1, Pred: -1}

// Filtered reports whether v shows only some images.
func (v GridView) Filtered() bool { return v.Truth >= 0 || v.Pred >= 0 }

// GridPage returns the indices of the images of page v.Page of view v,
// size to a page, among images whose classes are class and predicted
// classes predicted (nil before the first evaluation: then Pred is not
// applied), with the number of images in the view and the page shown:
// v.Page clamped to the pages there are.
func GridPage(class, predicted []int32, v GridView, size int) (idx []int, total, page int) {
	if size < 1 {
		return nil, 0, 0
	}
	match := func(i int) bool {
		if v.Truth >= 0 && int(class[i]) != v.Truth {
			return false
		}
		return v.Pred < 0 || predicted == nil || i < len(predicted) && int(predicted[i]) == v.Pred
	}
	for i := range class {
		if match(i) {
			total++
		}
	}
	pages := max(1, (total+size-1)/size)
	page = min(max(v.Page, 0), pages-1)
	skip := page * size
	for i := range class {
		if !match(i) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if len(idx) == size {
			break
		}
		idx = append(idx, i)
	}
	return idx, total, page
}
