package render

// Explanation is what a panel of the canvas says about itself (its ⓘ):
// a short title and two or three plain sentences on what it shows, which
// equation or figure of the paper it is, and what to look for as training
// goes on. The page shows it; the text lives only here.
type Explanation struct {
	Title string `json:"title"`
	About string `json:"about"`
}

// explanations are the panels' explanations, by panel kind.
var explanations = [NumPanels]Explanation{
	PanelPad: {"Draw a digit",
		"Draw a digit with the mouse or a finger, or drop a photo of one (PNG or JPEG; Picture of a digit… under Settings and files): every run classifies it with its current weights, and the bars are its class probabilities (the softmax of the network's outputs, Section 3.1). " +
			"The small 28×28 square is what the networks read: the ink cropped, fitted to 20×20 and centred by mass, as MNIST's digits were made. " +
			"NNE's raw weights give large outputs, so its probabilities sit near 0 or 1: it is certain even when it is wrong."},
	PanelCurves: {"Accuracy as it learns",
		"Test accuracy (on digits the run never trains on) and training accuracy as training goes on: each rule counts its own steps, the evolving rules generations, the lifetime rules epochs. " +
			"Hover or tap a curve to read a point; below it is the run's own signal, NNE's mean fitness δ (Section 3.1's, or our outrank variant in quick10) or DNN's dopamine (eq. 5). " +
			"In a race, the x: seconds | steps switch compares the rules by time or by their own steps."},
	PanelHistogram: {"Allele frequencies (Figure 2)",
		"Each gene i has an allele frequency p(i), the chance that a genotype carries allele 1; this histogram shows how they are spread (the paper's Figure 2). " +
			"They start uniform, and weak selection (eq. 3) moves p(i) by ε·p(i)(1 − p(i)) times how much the allele helps fitness, so alleles drift to 0 and 1 and fix: " +
			"watch the outer bars grow and the fixed share in the title rise."},
	PanelTiles: {"Hidden units' input weights",
		"Each tile is one hidden unit's weights from the 28×28 pixels: red positive, blue negative, grey where the sparse input graph (each link present with probability q = 0.1) has none. " +
			"For NNE these are W·p, the weights of the mean genotype. With a tenth of the pixels linked, a tile is a scatter of dots, not a stroke: " +
			"look for where its red and blue dots gather, the pixels that turn the unit on and off, and watch them grow stronger as alleles fix. " +
			"DNN and SignSGD never change this layer (only the output layer learns), so their tiles stay as they started."},
	PanelHeatMap: {"Output weights",
		"The output layer: a row per class, a column per hidden unit, red positive and blue negative. " +
			"The lifetime rules train only this layer (SignSGD by eq. 4, DNN by the dopamine rule); NNE evolves it with the input weights."},
	PanelGrid: {"Test digits",
		"Test images with the run's answer; a wrong answer is framed red and shows true→predicted. " +
			"Press a cell of the confusion matrix (or a row's or column's label) to see its images here, ‹ prev and next › to page through them, and all digits to go back to the whole test set."},
	PanelConfusion: {"Confusion matrix",
		"The test images counted by true class (rows) and predicted class (columns): the diagonal is right. " +
			"A row with little on its diagonal is a class the run has not learned, or has lost. Press a cell to show its test images in the digit grid."},
}

// Explain returns the explanation of panel kind k (the zero Explanation
// for an unknown kind).
func Explain(k int) Explanation {
	if k < 0 || k >= NumPanels {
		return Explanation{}
	}
	return explanations[k]
}

// A TourStep is one step of the page's first-visit tour: the text, and
// what it points at, a panel's name or a control of the page ("play").
type TourStep struct {
	Target string `json:"target"`
	Text   string `json:"text"`
}

// Tour is the page's first-visit tour, in order.
var Tour = []TourStep{
	{"play", "Press Play: the network starts learning handwritten digits. NNE learns without backpropagation: each generation samples a population of genotypes, scores them, and moves the allele frequencies toward the better ones."},
	{"curves", "Watch the accuracy rise: test accuracy is measured on digits the network never trained on."},
	{"histogram", "Here the alleles fix: selection pushes each gene's frequency toward 0 or 1, as in the paper's Figure 2."},
	{"pad", "Draw a digit here and see what the network thinks it is, with its probabilities for every class."},
	{"info", "Every panel has an ⓘ that explains what it shows, and “How it works” explains the model with the paper's equations."},
}
