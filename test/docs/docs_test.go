package docs

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// maxReadmeLines is the README's budget: a newcomer's page, with the rest
// in docs/.
const maxReadmeLines = 200

// thisFile is this test, which spells the paths it looks for.
const thisFile = "test/docs/docs_test.go"

// root returns the module root: the nearest folder above the test's
// working directory that holds go.mod.
func root(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the working directory; run the test with go test ./test/docs from the repository")
		}
		dir = up
	}
}

func TestReadmeLength(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	if n > maxReadmeLines {
		t.Errorf("README.md has %d lines, more than %d: keep it a newcomer's page (what nnesim is, the two commands, the main features, links) and move the details into docs/ (USING.md, CLI.md, PERFORMANCE.md, DESIGN.md)", n, maxReadmeLines)
	}
	for _, cmd := range []string{"./build.sh serve", "./build.sh test"} {
		if !bytes.Contains(b, []byte(cmd)) {
			t.Errorf("README.md does not show the command %q: keep the two commands (build and serve, run every test) in it", cmd)
		}
	}
}

// machinePath matches a path that exists on one machine only: a home or
// work folder, or a named file or folder under /tmp. It must start a word
// (after a space, a quote, a backtick, a bracket, = or :), so that URLs
// (https://host/home/…) and relative paths (docs/work/…) do not count.
var machinePath = regexp.MustCompile(`(^|[\s"'(=:` + "`" + `])(/work/|/home/|/root/|/Users/|/tmp/[A-Za-z])`)

// checkedExt are the kinds of text files the path check reads.
var checkedExt = map[string]bool{".md": true, ".go": true, ".js": true, ".mjs": true, ".html": true, ".sh": true, ".json": true, ".txt": true, ".css": true}

// trackedFiles returns the files git tracks under dir, and the new files
// it does not ignore, relative to dir with forward slashes; it skips the
// test outside a git checkout.
func trackedFiles(t *testing.T, dir string) []string {
	t.Helper()
	// Tracked files and new ones not yet added (but not ignored ones), so
	// that a document is checked before its first commit.
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("git ls-files failed (%v): not a git checkout, so the tracked files are unknown", err)
	}
	var files []string
	for _, f := range strings.Split(string(out), "\x00") {
		if f != "" {
			files = append(files, f)
		}
	}
	return files
}

// TestNoMachinePaths fails if a text file of the repository names a path
// of one machine (/work/…, /home/…, /root/…, /Users/…, /tmp/name): such a
// path means nothing on a fresh clone, and a log of one session does not
// belong in the repository. Every tracked (or new, unignored) file of the
// kinds in checkedExt is read, code included: code that needs a scratch
// folder uses t.TempDir or os.TempDir, not a literal path, so no file is
// exempt but testdata and this file, which spells the patterns.
func TestNoMachinePaths(t *testing.T) {
	dir := root(t)
	checked := 0
	for _, f := range trackedFiles(t, dir) {
		if f == thisFile || !checkedExt[path.Ext(f)] || strings.HasPrefix(f, "testdata/") || strings.Contains(f, "/testdata/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			if os.IsNotExist(err) {
				continue // deleted in the working tree, not yet in the index
			}
			t.Fatal(err)
		}
		checked++
		for i, line := range strings.Split(string(b), "\n") {
			ms := machinePath.FindAllStringSubmatchIndex(line, -1)
			if ms == nil {
				continue
			}
			var found []string
			for _, m := range ms {
				end := m[5] + strings.IndexFunc(line[m[5]:]+" ", func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("\"'`),;", r) })
				found = append(found, line[m[4]:end])
			}
			t.Errorf("%s:%d names a path of one machine (%s)\n\twrite a placeholder instead (PLAN/cells/K.nne, \"$PLAN\", RUN.nne, YOUR-HOST) or a path relative to the repository, and keep session logs out of the repository",
				f, i+1, strings.Join(found, ", "))
		}
	}
	if checked == 0 {
		t.Error("no tracked file was checked: git ls-files listed none of the kinds " + fmt.Sprint(keys(checkedExt)))
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// markdownFiles returns README.md and docs/*.md (and the Markdown of
// docs' subfolders), relative to dir.
func markdownFiles(t *testing.T, dir string) []string {
	t.Helper()
	files := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(dir, "docs"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var (
	// fence is a fenced code block; inline is a code span. Links in code
	// are examples, not links.
	fence  = regexp.MustCompile("(?ms)^[ \t]*(```|~~~).*?^[ \t]*(```|~~~)[ \t]*$")
	inline = regexp.MustCompile("`[^`\n]*`")
	// link is an inline link or image: [text](target) or [text](target "title").
	link = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	// heading is an ATX heading.
	heading = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(.+?)[ \t#]*$`)
	scheme  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

// anchors returns the anchors GitHub gives the headings of a Markdown
// text: lower case, punctuation and symbols dropped, spaces to hyphens,
// and -1, -2, … for repeats.
func anchors(md string) map[string]bool {
	md = fence.ReplaceAllString(md, "")
	out := map[string]bool{}
	seen := map[string]int{}
	for _, m := range heading.FindAllStringSubmatch(md, -1) {
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
				b.WriteRune(r)
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out[fmt.Sprintf("%s-%d", a, n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

// TestRelativeLinks fails if a relative link in README.md or docs/
// points at a file that does not exist, or at a heading its file does not
// have.
func TestRelativeLinks(t *testing.T) {
	dir := root(t)
	texts := map[string]string{}
	read := func(f string) (string, error) {
		if s, ok := texts[f]; ok {
			return s, nil
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			return "", err
		}
		texts[f] = string(b)
		return texts[f], nil
	}
	for _, f := range markdownFiles(t, dir) {
		md, err := read(f)
		if err != nil {
			t.Fatal(err)
		}
		body := inline.ReplaceAllString(fence.ReplaceAllString(md, ""), "")
		for _, m := range link.FindAllStringSubmatch(body, -1) {
			target := m[1]
			if scheme.MatchString(target) || strings.HasPrefix(target, "//") {
				continue // a URL: not checked here
			}
			file, frag, _ := strings.Cut(target, "#")
			file, _, _ = strings.Cut(file, "?")
			if p, err := url.PathUnescape(file); err == nil {
				file = p
			}
			dest := f // a bare #anchor points into this file
			if file != "" {
				if strings.HasPrefix(file, "/") {
					dest = strings.TrimPrefix(path.Clean(file), "/")
				} else {
					dest = path.Join(path.Dir(f), file)
				}
				if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(dest))); err != nil {
					t.Errorf("%s: link %q points at %s, which does not exist: fix the path (relative to %s), or restore or drop the target", f, m[0], dest, path.Dir(f))
					continue
				}
			}
			if frag == "" || !strings.HasSuffix(dest, ".md") {
				continue
			}
			text, err := read(dest)
			if err != nil {
				continue // a folder named *.md
			}
			if !anchors(text)[frag] {
				t.Errorf("%s: link %q points at #%s, which no heading of %s gives: link to one of its headings (GitHub's anchor: lower case, punctuation dropped, spaces to hyphens)", f, m[0], frag, dest)
			}
		}
	}
}
