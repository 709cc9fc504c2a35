// Package slurm tests nnesim reproduce's cluster mode on a real
// single-node Slurm cluster started on this machine: munged, slurmctld
// and slurmd as background processes with a generated slurm.conf in a
// temporary directory (as root, no systemd), stopped by PID at the end.
// ./build.sh test installs Debian's slurm-wlm and munge and sets
// NNESIM_REQUIRE_SLURM=1, which turns missing tools into a failure.
package slurm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

const requireEnv = "NNESIM_REQUIRE_SLURM"

// cluster is a running single-node Slurm cluster.
type cluster struct {
	dir  string
	env  []string // SLURM_CONF
	pids []string // pid files of the daemons, stopped in reverse order
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv(requireEnv) == "1" {
				t.Fatalf("%s is missing (%s=1): install slurm-wlm and munge", tool, requireEnv)
			}
			t.Skipf("%s is missing: install slurm-wlm and munge to test the cluster mode (./build.sh test does)", tool)
		}
	}
	if os.Getuid() != 0 {
		if os.Getenv(requireEnv) == "1" {
			t.Fatalf("the test cluster runs its daemons as root (%s=1)", requireEnv)
		}
		t.Skip("the test cluster runs its daemons as root")
	}
}

// start starts munged, slurmctld and slurmd with their files under a
// temporary directory and waits until the node is idle.
func start(t *testing.T) *cluster {
	dir, err := os.MkdirTemp("", "nnesim-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{dir: dir}
	t.Cleanup(func() { c.stop(t) })
	for _, sub := range []string{"munge", "state", "spool", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	key := make([]byte, 1024)
	for i := range key {
		key[i] = byte(rand.IntN(256))
	}
	if err := os.WriteFile(filepath.Join(dir, "munge", "munge.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(dir, "munge", "munge.socket")
	c.daemon(t, filepath.Join(dir, "munge", "munged.pid"), "munged", "--force", "--key-file="+filepath.Join(dir, "munge", "munge.key"),
		"--socket="+socket, "--pid-file="+filepath.Join(dir, "munge", "munged.pid"),
		"--log-file="+filepath.Join(dir, "munge", "munged.log"), "--seed-file="+filepath.Join(dir, "munge", "munged.seed"))
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	host, _, _ = strings.Cut(host, ".")
	port := 20000 + rand.IntN(20000)
	conf := fmt.Sprintf(`ClusterName=nnesimtest
SlurmctldHost=%[1]s
SlurmctldPort=%[4]d
SlurmdPort=%[5]d
AuthType=auth/munge
AuthInfo=socket=%[3]s
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=%[2]s/state
SlurmdSpoolDir=%[2]s/spool
SlurmctldPidFile=%[2]s/slurmctld.pid
SlurmdPidFile=%[2]s/slurmd.pid
SlurmctldLogFile=%[2]s/log/slurmctld.log
SlurmdLogFile=%[2]s/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=%[1]s CPUs=%[6]d State=UNKNOWN
PartitionName=test Nodes=%[1]s Default=YES MaxTime=INFINITE State=UP
`, host, dir, socket, port, port+1, runtime.NumCPU())
	confPath := filepath.Join(dir, "slurm.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	c.env = append(os.Environ(), "SLURM_CONF="+confPath)
	c.daemon(t, filepath.Join(dir, "slurmctld.pid"), "slurmctld", "-f", confPath)
	c.daemon(t, filepath.Join(dir, "slurmd.pid"), "slurmd", "-f", confPath)
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _ := c.cmd("sinfo", "-h", "-o", "%T").CombinedOutput()
		if strings.TrimSpace(string(out)) == "idle" {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the node is not idle after 60 s (sinfo: %q); slurmctld log:\n%s\nslurmd log:\n%s", out, c.log("slurmctld.log"), c.log("slurmd.log"))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func (c *cluster) log(name string) string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "log", name))
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

// daemon runs a daemon that forks into the background and writes pid.
func (c *cluster) daemon(t *testing.T, pid string, name string, args ...string) {
	t.Helper()
	if out, err := c.cmd(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	c.pids = append(c.pids, pid)
}

func (c *cluster) cmd(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = c.env
	return cmd
}

// stop stops the daemons by their pid files, waits for them to go, and
// removes the directory.
func (c *cluster) stop(t *testing.T) {
	for i := len(c.pids) - 1; i >= 0; i-- {
		b, err := os.ReadFile(c.pids[i])
		if err != nil {
			continue
		}
		var pid int
		if _, err := fmt.Sscan(string(b), &pid); err != nil || pid <= 1 {
			continue
		}
		syscall.Kill(pid, syscall.SIGTERM)
		for range 50 {
			if syscall.Kill(pid, 0) != nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		syscall.Kill(pid, syscall.SIGKILL)
	}
	os.RemoveAll(c.dir)
}

// nnesim builds cmd/nnesim into dir.
func nnesim(t *testing.T, dir string) string {
	bin := filepath.Join(dir, "nnesim")
	cmd := exec.Command("go", "build", "-o", bin, "nnesim/cmd/nnesim")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// withoutTimes returns a results.json with its times set to 0.
func withoutTimes(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	res["wall_seconds"] = 0
	for _, c := range res["cells"].([]any) {
		c.(map[string]any)["seconds"] = 0
	}
	out, _ := json.MarshalIndent(res, "", " ")
	return string(out)
}

// TestReproduceOnSlurm plans the tiny reproduction, submits it with
// sbatch --wait, collects it, and compares with the same reproduction
// run on this machine: the same cells and accuracies, the same
// results.json but for the times. Then a job whose result is lost (a
// failed task) is named by -collect, and resubmitting runs only it.
func TestReproduceOnSlurm(t *testing.T) {
	need(t, "munged", "slurmctld", "slurmd", "sbatch", "sinfo")
	work := t.TempDir()
	bin := nnesim(t, work)
	c := start(t)
	plan := filepath.Join(c.dir, "plan") // under the cluster's directory: every "node" sees it
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := c.cmd(name, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s\nslurmctld log:\n%s", name, strings.Join(args, " "), err, out.String(), c.log("slurmctld.log"))
		}
		return out.String()
	}
	run(bin, "reproduce", "-tiny", "-plan", plan)
	local := filepath.Join(work, "local")
	run(bin, "reproduce", "-tiny", "-out", local)
	run("sbatch", "--wait", filepath.Join(plan, "reproduce.sbatch"))
	run(bin, "reproduce", "-collect", plan)
	if a, b := withoutTimes(t, filepath.Join(local, "results.json")), withoutTimes(t, filepath.Join(plan, "results.json")); a != b {
		t.Fatalf("the cluster's results differ from this machine's:\n%s\nvs\n%s", b, a)
	}
	for _, f := range []string{"results.csv", "RESULTS.md"} {
		if _, err := os.Stat(filepath.Join(plan, f)); err != nil {
			t.Errorf("collect wrote no %s: %v", f, err)
		}
	}
	// A lost result: collect names the job and its log, and a resubmitted
	// array reruns only it.
	if err := os.Remove(filepath.Join(plan, "cells", "5.json")); err != nil {
		t.Fatal(err)
	}
	cmd := c.cmd(bin, "reproduce", "-collect", plan)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "job 5 (") || !strings.Contains(string(out), filepath.Join(plan, "logs", "5.out")) {
		t.Fatalf("collect with job 5 lost: %v\n%s", err, out)
	}
	run("sbatch", "--wait", filepath.Join(plan, "reproduce.sbatch"))
	log0, _ := os.ReadFile(filepath.Join(plan, "logs", "0.out"))
	log5, _ := os.ReadFile(filepath.Join(plan, "logs", "5.out"))
	if !strings.Contains(string(log0), "job 0: done already") || strings.Contains(string(log5), "done already") {
		t.Errorf("resubmitted: job 0 says %q, job 5 says %q", log0, log5)
	}
	run(bin, "reproduce", "-collect", plan)
	if a, b := withoutTimes(t, filepath.Join(local, "results.json")), withoutTimes(t, filepath.Join(plan, "results.json")); a != b {
		t.Fatalf("after the rerun the results differ from this machine's")
	}
}
