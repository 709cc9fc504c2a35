package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"nnesim/core/learner"
	"nnesim/core/network"
	"nnesim/core/settings"
)

// A reproduction on a cluster: -plan DIR writes DIR/plan.json (every job:
// one run of one cell for one seed, with the command that runs it alone),
// DIR/reproduce.sbatch (a Slurm job array, one task per job) and
// DIR/reproduce-job.yaml (a Kubernetes Indexed Job, untested here); each
// task runs nnesim reproduce -cell DIR K, which writes DIR/cells/K.json
// atomically and does nothing if it is there; -collect DIR merges the
// outcomes into DIR's results as a run on one machine writes them. DIR
// must be on a filesystem every node sees.

// plan is DIR/plan.json.
type plan struct {
	// Args are reproduce's flags that build the cells; every task builds
	// them again from these and runs its one job.
	Args   []string   `json:"args"`
	Binary string     `json:"binary"`
	Scale  string     `json:"scale"`
	Jobs   []planItem `json:"jobs"`
	// Seconds is the cost model's estimate of all jobs on one core,
	// CoreHours the same in core-hours.
	Seconds   float64 `json:"seconds"`
	CoreHours float64 `json:"core_hours"`
}

// planItem is one job of a plan.
type planItem struct {
	Index   int    `json:"index"`
	Table   string `json:"table"`
	Row     string `json:"row"`
	Column  string `json:"column"`
	Setting string `json:"setting"`
	Seed    uint64 `json:"seed"`
	// Settings are the run's (for a tiny plan, before its smaller NNE
	// network), Command the cell's own command for this seed.
	Settings settings.Settings `json:"settings"`
	Command  string            `json:"command"`
	Task     string            `json:"task"`    // what the array task runs
	Seconds  float64           `json:"seconds"` // the cost model's estimate
}

const (
	// A task's time limit is its estimate times slack, plus a start-up.
	slack   = 3
	startup = 10 * 60
)

// costSeconds estimates the seconds of one run of settings s on one core
// running this binary's NNE kernel (the rule's Cost at learner.Speeds).
func costSeconds(s settings.Settings) float64 {
	r, err := learner.RuleOf(s.Algo)
	if err != nil {
		return 0
	}
	return r.Cost(&s, learner.Speeds[network.Kernel()])
}

// writePlan writes the plan of r into r.plan and prints its cost.
func writePlan(r *reproduction, stdout io.Writer) error {
	dir, err := filepath.Abs(r.plan)
	if err != nil {
		return fmt.Errorf("reproduce -plan: %w", err)
	}
	bin, err := os.Executable()
	if err != nil {
		return fmt.Errorf("reproduce -plan: %w", err)
	}
	for _, sub := range []string{"cells", "logs"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("reproduce -plan: %w", err)
		}
	}
	p := plan{Args: r.args, Binary: bin, Scale: r.scaleName}
	longest := 0.0
	for k, j := range jobs(r.cells) {
		c := r.cells[j.c]
		seed := c.Seeds[j.i]
		sec := costSeconds(c.settings)
		longest = max(longest, sec)
		p.Seconds += sec
		set := c.settings
		set.Seed = seed
		p.Jobs = append(p.Jobs, planItem{Index: k, Table: c.Table, Row: c.Row, Column: c.Column, Setting: c.Setting, Seed: seed, Settings: set,
			Command: strings.ReplaceAll(c.Command, "SEED", strconv.FormatUint(seed, 10)),
			Task:    fmt.Sprintf("%s reproduce -cell %s %d", bin, dir, k), Seconds: sec})
	}
	p.CoreHours = p.Seconds / 3600
	if err := writeJSON(filepath.Join(dir, "plan.json"), p); err != nil {
		return fmt.Errorf("reproduce -plan: %w", err)
	}
	limit := slurmTime(slack*longest + startup)
	sbatch := fmt.Sprintf(`#!/bin/sh
# A Slurm job array for nnesim reproduce %s: one task per job of
# %s/plan.json (%d jobs, about %.1f core-hours by the cost model).
# Submit with: sbatch %s/reproduce.sbatch   then: nnesim reproduce -collect %s
# A task whose job is done (cells/K.json) does nothing, so resubmitting
# after a failure runs only what is missing; a requeued task goes on.
#SBATCH --job-name=nnesim-reproduce
#SBATCH --array=0-%d
#SBATCH --cpus-per-task=1
#SBATCH --ntasks=1
#SBATCH --time=%s
#SBATCH --requeue
#SBATCH --output=%s/logs/%%a.out
exec %s reproduce -cell %s "$SLURM_ARRAY_TASK_ID"
`, strings.Join(r.args, " "), dir, len(p.Jobs), p.CoreHours, dir, dir, len(p.Jobs)-1, limit, dir, shellQuote(bin), shellQuote(dir))
	if err := os.WriteFile(filepath.Join(dir, "reproduce.sbatch"), []byte(sbatch), 0o755); err != nil {
		return fmt.Errorf("reproduce -plan: %w", err)
	}
	k8s := fmt.Sprintf(`# A Kubernetes Indexed Job for nnesim reproduce: one pod per job of
# plan.json, its index in JOB_COMPLETION_INDEX. Untested here (see
# README "Running on a cluster"): set the image to one holding nnesim at
# %s, and the volume to storage every pod shares, mounted at %s.
apiVersion: batch/v1
kind: Job
metadata:
  name: nnesim-reproduce
spec:
  completionMode: Indexed
  completions: %d
  parallelism: %d
  backoffLimit: %d
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: cell
        image: REPLACE-WITH-AN-IMAGE-WITH-NNESIM
        command: ["/bin/sh", "-c", "exec %s reproduce -cell %s \"$JOB_COMPLETION_INDEX\""]
        resources:
          requests: {cpu: "1", memory: "2Gi"}
        volumeMounts:
        - {name: shared, mountPath: %s}
      volumes:
      - name: shared
        persistentVolumeClaim: {claimName: REPLACE-WITH-A-SHARED-CLAIM}
`, bin, dir, len(p.Jobs), min(len(p.Jobs), 100), 3*len(p.Jobs), bin, dir, dir)
	if err := os.WriteFile(filepath.Join(dir, "reproduce-job.yaml"), []byte(k8s), 0o644); err != nil {
		return fmt.Errorf("reproduce -plan: %w", err)
	}
	fmt.Fprintf(stdout, "planned %d jobs in %s: about %.1f core-hours (%s on one core), the longest %s; each task's limit %s\n",
		len(p.Jobs), dir, p.CoreHours, humanDuration(p.Seconds), humanDuration(longest), limit)
	fmt.Fprintf(stdout, "submit: sbatch %s\nthen:   %s reproduce -collect %s\n", filepath.Join(dir, "reproduce.sbatch"), bin, dir)
	return nil
}

// slurmTime formats seconds as Slurm's D-HH:MM:SS.
func slurmTime(sec float64) string {
	t := int(math.Ceil(sec))
	return fmt.Sprintf("%d-%02d:%02d:%02d", t/86400, t/3600%24, t/60%60, t%60)
}

func humanDuration(sec float64) string {
	return (time.Duration(sec) * time.Second).Round(time.Second).String()
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// readPlan reads DIR/plan.json and builds its cells again.
func readPlan(dir string) (*plan, *reproduction, error) {
	b, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		return nil, nil, fmt.Errorf("%w (write a plan with nnesim reproduce … -plan %s)", err, dir)
	}
	var p plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, "plan.json"), err)
	}
	r, err := setupReproduce(p.Args, io.Discard)
	if err != nil {
		return nil, nil, err
	}
	if r == nil || len(jobs(r.cells)) != len(p.Jobs) {
		return nil, nil, fmt.Errorf("%s: the plan's %d jobs are not those its flags make now (was it written by another nnesim?)", filepath.Join(dir, "plan.json"), len(p.Jobs))
	}
	return &p, r, nil
}

// cellFile is where job k of a plan in dir writes its outcome.
func cellFile(dir string, k int) string { return filepath.Join(dir, "cells", strconv.Itoa(k)+".json") }

// runPlannedCell runs job k of the plan in dir (reproduce -cell DIR K), its
// run on threads threads, unless its outcome is there already.
func runPlannedCell(dir, ks string, threads int, stdout io.Writer) error {
	p, r, err := readPlan(dir)
	if err != nil {
		return fmt.Errorf("reproduce -cell: %w", err)
	}
	k, err := strconv.Atoi(ks)
	if err != nil || k < 0 || k >= len(p.Jobs) {
		return fmt.Errorf("reproduce -cell: job %q: want 0 to %d", ks, len(p.Jobs)-1)
	}
	path := cellFile(dir, k)
	if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(stdout, "job %d: done already (%s)\n", k, path)
		return nil
	}
	// A long run saves itself beside its result, and a requeued task
	// resumes it.
	r.x.checkpoint, r.x.checkpointEvery = checkpointFile(dir, k), checkpointEvery
	r.x.threads = threads
	o, err := runJob(r.cells, jobs(r.cells)[k], stdout, nil)
	if err != nil {
		return fmt.Errorf("reproduce -cell: job %d: %w", k, err)
	}
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFile(path, append(b, '\n')); err != nil {
		return fmt.Errorf("reproduce -cell: %w", err)
	}
	os.Remove(r.x.checkpoint) // done: the result stands for it
	return nil
}

// checkpointEvery is how often a task saves its run.
const checkpointEvery = 5 * time.Minute

// checkpointFile is the run file a task of job k saves its run to.
func checkpointFile(dir string, k int) string {
	return filepath.Join(dir, "cells", strconv.Itoa(k)+".nne")
}

// progress says where the run checkpointed at path stands, for -collect's
// list of missing jobs: its step of its stop, its last test accuracy, its
// training time and when it was saved (a task still running saves every
// checkpointEvery). It is empty if there is no checkpoint.
func progress(path string) string {
	sv, err := readCheckpoint(path)
	if err != nil {
		return "; " + err.Error()
	}
	if sv == nil {
		return ""
	}
	s := sv.Settings
	rule, err := learner.RuleOf(s.Algo)
	if err != nil {
		return "; " + err.Error()
	}
	phase := max(0, rule.PhaseOf(sv.P != nil, sv.State != nil))
	at := fmt.Sprintf("%s %d of %d", rule.Phases[phase].Unit, sv.Step, rule.Stop(&s, phase))
	for i := phase + 1; i < len(rule.Phases); i++ {
		at += fmt.Sprintf(", then %d %ss", rule.Stop(&s, i), rule.Phases[i].Unit)
	}
	msg := "; checkpoint at " + at
	if n := len(sv.Curve); n > 0 {
		pt := sv.Curve[n-1]
		msg += fmt.Sprintf(" (test accuracy %.2f%% at %s %d)", 100*pt.TestAccuracy, pt.Unit, pt.Step)
	}
	if sv.Seconds > 0 {
		msg += ", " + humanDuration(sv.Seconds) + " of training"
	}
	if fi, err := os.Stat(path); err == nil {
		msg += ", saved " + fi.ModTime().UTC().Format("2006-01-02 15:04 UTC")
	}
	return msg
}

// collect merges the outcomes of a plan's jobs into dir's results, as a
// run on one machine writes them; missing or unreadable jobs are listed
// with their log and make it fail.
func collect(dir string, stdout io.Writer) error {
	p, r, err := readPlan(dir)
	if err != nil {
		return fmt.Errorf("reproduce -collect: %w", err)
	}
	outs := make([]outcome, len(p.Jobs))
	var missing []string
	total := 0.0
	for k, it := range p.Jobs {
		b, err := os.ReadFile(cellFile(dir, k))
		if err == nil {
			err = json.Unmarshal(b, &outs[k])
		}
		if err != nil {
			why := "no result"
			if !errors.Is(err, os.ErrNotExist) {
				why = err.Error()
			}
			why += progress(checkpointFile(dir, k))
			missing = append(missing, fmt.Sprintf("job %d (table %s %s / %s, %s, seed %d): %s; log %s",
				k, it.Table, it.Row, it.Column, it.Setting, it.Seed, why, filepath.Join(dir, "logs", strconv.Itoa(k)+".out")))
			continue
		}
		total += outs[k].Seconds + outs[k].DerivedSeconds
	}
	if len(missing) > 0 {
		return fmt.Errorf("reproduce -collect: %d of %d jobs have no result; resubmit %s to run them:\n  %s",
			len(missing), len(p.Jobs), filepath.Join(dir, "reproduce.sbatch"), strings.Join(missing, "\n  "))
	}
	fig2 := assemble(r.cells, jobs(r.cells), outs)
	if err := writeResults(dir, r.scaleName, r.cells, fig2, time.Duration(total*float64(time.Second))); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "collected %d jobs into %s (results.json, results.csv, RESULTS.md and plots); %.1f core-hours of jobs\n", len(p.Jobs), dir, total/3600)
	return nil
}
