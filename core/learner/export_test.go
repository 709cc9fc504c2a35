package learner

// ResumeNNERun lets the external tests (package learner_test, which may
// import runfile) resume an NNE run from a run file's state on its own,
// as the old train.Resume did, without the Learner around it.
var ResumeNNERun = resumeNNERun
