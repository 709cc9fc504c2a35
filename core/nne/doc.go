// Package nne implements neural net evolution (NNE), Sections 2 and 3.1 of
// Gorantla, Louis, Papadimitriou, Vempala and Yadati, "Biologically
// Plausible Neural Networks via Evolutionary Dynamics and Dopaminergic
// Plasticity".
//
// # The model
//
// A genotype is a bit string x ∈ {0,1}ⁿ: n genes with two alleles each. A
// population is described by its allele frequencies p ∈ [0,1]ⁿ; a genotype
// is drawn by setting x(i) = 1 with probability p(i), independently.
//
// The network's m link weights are a sparse linear function of the
// genotype, W·x, where W is the m×n weight-generation matrix (Genome): each
// entry is nonzero with probability β (the paper uses 0.0025) and then
// uniform on [−1, 1]. W is fixed for a run; only p evolves.
//
// A Task scores the weights of one genotype on a minibatch. Classifier is
// the paper's MNIST network (package network: 784 inputs, h ReLU units fed
// by a random graph of density 0.1, C softmax outputs) with the fitness of
// Section 3.1,
//
//	δ_x = (1/B) Σ_s max{0, α² − L(NNE_x(s), ℓ(s))²},   α = ln C,
//
// and Linear is the linear-target task of Section 2.1 with fitness −L.
//
// # The paper's fitness and ours
//
// The fitness above is the paper's and the faithful one (FitnessPaper, the
// default of the paper, demo and quick presets). On ten digits it can lose
// a class for good: an example whose loss is above α adds nothing, so once
// every example of a class is there no genotype is rewarded for raising
// it. FitnessOutrank (fitness.go) is ours, used by the quick10 preset: it
// adds λα²·r/(C−1) per example, r the number of classes the true class
// outranks, which rewards lifting a class past another however far off it
// is. Both are one scalar per genotype from its minibatch answers, and both
// move p only through eq. 3. docs/TUNING.md ("Ten digits that keep every
// class") gives the variants we measured and their numbers.
//
// # One generation
//
// Population.Step runs generation t:
//
//  1. draw a minibatch of B training examples (DrawBatch);
//
//  2. sample N genotypes from pᵗ (Evaluator.Sample), generate each one's
//     weights W·x (Genome.Weights) and score it (Scorer), in parallel;
//
//  3. collect Σ δ_x x(i), Σ x(i), Σ δ_x into Sums, from which Sums.Rewards
//     gives the per-allele rewards of Section 3.1,
//     f(i) = Σ δ_x x(i) / Σ x(i) and f̄(i) = Σ δ_x (1−x(i)) / Σ (1−x(i));
//
//  4. apply the weak-selection update of eq. 3 (Update, in update.go):
//
//     pᵗ⁺¹(i) = pᵗ(i)(1 + ε f(i)) / (1 + ε f̄(i) + ε pᵗ(i)(f(i) − f̄(i))).
//
// Lemma 1 says f(i) − f̄(i) = −∂𝓛/∂p(i) for the expected loss 𝓛(p) when the
// rewards are exact expectations (eqs. 1–2), so NNE follows a gradient of
// 𝓛 in evolutionary time; lemma_test.go checks this numerically.
//
// At test time the network uses the mean genotype's weights W·p
// (MeanWeights) or the most likely genotype's, x̂(i) = [p(i) > ½]
// (LikelyWeights).
//
// # Settings that decide whether it learns
//
//   - Eps (ε of eq. 3): how strongly fitness moves p. With δ ∈ [0, α²],
//     ε ≈ 10 moves p visibly each generation; ε ≤ 1 barely moves it in
//     thousands of generations. The paper does not give its ε.
//   - Scale: ScaleRaw keeps W's entries on [−1, 1] as printed (Section 2);
//     ScaleFanIn rescales each row so a weight has variance 1/fan-in at
//     p = ½, like LeCun's initialisation.
//   - The α multiplier (NewClassifier's alphaScale): α = ln C is the loss of
//     a uniform guess; a larger α also rewards less confident correct
//     answers.
//   - Batch (B): the paper's δ_x averages over the whole training sample
//     S; a minibatch makes a generation cheaper and noisier.
//
// # Determinism
//
// Every random choice comes from a stream keyed by the seed (package rng):
// genotype k of generation t from (seed, t, k), the minibatch from
// (seed, t), W and p¹ from the seed. Fitness values are rounded to
// multiples of 2⁻²⁴ and summed as integers, so partial Sums from any number
// of goroutines or browser workers merge to the same bits, and p after T
// generations is bitwise identical whatever the parallelism.
package nne
