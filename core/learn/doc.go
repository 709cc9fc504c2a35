// Package learn holds the lifetime learning rules the paper compares NNE
// with: a trained output layer over a fixed first layer (Section 3.2's
// DNN architecture, and NNE + SignSGD over an evolved first layer), and
// the whole sparse network trained by Adam (Table 1's SGD).
//
// The output layer is a Readout: hidden×classes weights over the hidden
// activations of a fixed first layer (Features). A Rule moves it one
// minibatch at a time:
//
//   - Adam: gradient descent on the cross-entropy with Adam (Table 2 SGD);
//   - SignSGD: eq. 4, w −= ε'·sign(∂L/∂w);
//   - Dopamine: Section 3.2, in each reading of the paper's ambiguous rule
//     (Printed, Prose, Signed, each with or without the firing gate) and
//     ours, Reward: presynaptic firing × postsynaptic spike surprise × a
//     global dopamine signal (reward minus its running mean).
//
// Net trains both layers of the sparse network of package network with
// Adam, by backpropagation (the baseline NNE is measured against).
package learn
