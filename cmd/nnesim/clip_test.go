package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"nnesim/core/settings"
)

// TestClipSameInJS checks that the page's scripts quote a value as Go
// does: names.js's nnesimClip, run under Node.js, against settings.Clip,
// for short, long, multi-byte and astral values around the limit.
func TestClipSameInJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("NNESIM_REQUIRE_CROSS") == "1" {
			t.Fatal("Node.js is not installed")
		}
		t.Skip("Node.js is not installed")
	}
	dir := t.TempDir()
	if err := writeNames(dir); err != nil {
		t.Fatal(err)
	}
	k := settings.ClipKeep
	inputs := []string{"", "x", strings.Repeat("a", 2*k), strings.Repeat("a", 2*k+1), strings.Repeat("é", 2*k),
		strings.Repeat("é", 2*k+1), strings.Repeat("😀", 2*k+5), "__proto__", strings.Repeat("x", 100000)}
	in, _ := json.Marshal(inputs)
	script := "globalThis.self = globalThis; require(" + jsString(filepath.Join(dir, namesFile)) + ");" +
		"process.stdout.write(JSON.stringify(" + string(in) + ".map(self.nnesimClip)));"
	out, err := exec.Command(node, "-e", script).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(inputs) {
		t.Fatalf("node printed %.200s (%v)", out, err)
	}
	for i, v := range inputs {
		if want := settings.Clip(v); got[i] != want {
			t.Errorf("input %d (%d bytes): JS %q, Go %q", i, len(v), got[i], want)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
