package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/render"
)

// TestSiteHandler checks the static server against odd and hostile
// requests: control characters and absurd names are 400/404 (never 500),
// a many-range request gets the whole file once, and every answer carries
// the security headers.
func TestSiteHandler(t *testing.T) {
	dir := t.TempDir()
	body := strings.Repeat("0123456789abcdef", 256) // 4 kB
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	many := "bytes=" + strings.Repeat("1-1,", 2999) + "1-1"
	h := siteHandler(dir)
	for _, tc := range []struct {
		name, path, rangeHdr string
		code                 int
		maxLen               int
	}{
		{"index", "/", "", 200, len(body)},
		{"NUL", "/%00", "", 400, 200},
		{"control character", "/a%0Ab", "", 400, 200},
		{"missing", "/nothing.js", "", 404, 200},
		{"name too long", "/" + strings.Repeat("a", 5000), "", 404, 200},
		{"one range", "/index.html", "bytes=0-9", 206, 10},
		{"3000 ranges", "/index.html", many, 200, len(body)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080"+tc.path, nil)
			if tc.rangeHdr != "" {
				req.Header.Set("Range", tc.rangeHdr)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.code {
				t.Errorf("%s: status %d, want %d", tc.path[:min(len(tc.path), 40)], rec.Code, tc.code)
			}
			if rec.Body.Len() > tc.maxLen {
				t.Errorf("%s: %d bytes of body, want at most %d", tc.name, rec.Body.Len(), tc.maxLen)
			}
			csp := rec.Header().Get("Content-Security-Policy")
			for _, want := range []string{"script-src 'self' http://127.0.0.1:8080 blob: 'wasm-unsafe-eval'", "worker-src 'self' http://127.0.0.1:8080 blob:", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy %q, want no-referrer", got)
			}
		})
	}
	// A Host header that would add a directive is left out of the policy.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Host = "evil; script-src *"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if csp := rec.Header().Get("Content-Security-Policy"); strings.Contains(csp, "evil") || !strings.HasPrefix(csp, "default-src 'self';") {
		t.Errorf("policy for a hostile Host: %q", csp)
	}
}

// TestWriteNames checks names.js, the lists the scripts read from Go: it
// sets self.nnesimNames to the panels, their groups (every member a
// panel) and the page's parameters, and self.nnesimMessages.
func TestWriteNames(t *testing.T) {
	dir := t.TempDir()
	if err := writeNames(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, namesFile))
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "self.nnesimNames = "
	s := string(b)
	i := strings.Index(s, prefix)
	j := strings.Index(s[max(i, 0):], ";\n")
	if i < 0 || j < 0 || !strings.Contains(s, "self.nnesimMessages = ") {
		t.Fatalf("names.js does not set self.nnesimNames and self.nnesimMessages:\n%s", s)
	}
	var names pageNames
	if err := json.Unmarshal([]byte(s[i+len(prefix):i+j]), &names); err != nil {
		t.Fatalf("names.js: %v\n%s", err, s)
	}
	if !slices.Equal(names.Panels, render.PanelNames()) || len(names.Panels) != render.NumPanels {
		t.Errorf("panels %v, want %v", names.Panels, render.PanelNames())
	}
	if len(names.PanelGroups) == 0 {
		t.Error("no panel groups")
	}
	for g, members := range names.PanelGroups {
		for _, m := range members {
			if !slices.Contains(names.Panels, m) {
				t.Errorf("group %s has %q, not a panel", g, m)
			}
		}
	}
	if !slices.Equal(names.PageParams, learner.PageParams) || !slices.Contains(names.PageParams, "hide") {
		t.Errorf("page parameters %v, want %v", names.PageParams, learner.PageParams)
	}
}

// TestSettingsTableInDocs checks that docs/CLI.md's tables of the rules
// and settings are the registry's (nnesim settings), so that a rule or a
// parameter added shows in the docs, and the docs say nothing else.
func TestSettingsTableInDocs(t *testing.T) {
	md, err := os.ReadFile("../../docs/CLI.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- settings table: written by `nnesim settings` from the registry; a test checks it -->\n", "<!-- end of settings table -->"
	_, rest, ok := strings.Cut(string(md), begin)
	got, _, ok2 := strings.Cut(rest, end)
	if !ok || !ok2 {
		t.Fatal("docs/CLI.md has no settings table between its markers")
	}
	var want strings.Builder
	if err := settingsDoc(&want); err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		t.Errorf("docs/CLI.md's settings table is not the registry's; write it again with nnesim settings:\n%s", want.String())
	}
}

// TestSiteHandlerEncodings checks that serve sends the smallest twin a
// browser accepts: .br to one that takes br, .gz to one that takes only
// gzip (or refuses br with q=0), the file itself otherwise, and that a
// missing twin falls back to the next.
func TestSiteHandlerEncodings(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"app.wasm": "raw", "app.wasm.br": "brotli", "app.wasm.gz": "gzip", "data.js": "raw js", "data.js.gz": "gzip js"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := siteHandler(dir)
	for _, tc := range []struct{ path, accept, body, encoding string }{
		{"/app.wasm", "gzip, deflate, br, zstd", "brotli", "br"},
		{"/app.wasm", "br;q=0, gzip", "gzip", "gzip"},
		{"/app.wasm", "gzip", "gzip", "gzip"},
		{"/app.wasm", "", "raw", ""},
		{"/data.js", "gzip, br", "gzip js", "gzip"}, // no .br twin
	} {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080"+tc.path, nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Body.String() != tc.body || rec.Header().Get("Content-Encoding") != tc.encoding {
			t.Errorf("%s with Accept-Encoding %q: body %q, Content-Encoding %q; want %q, %q",
				tc.path, tc.accept, rec.Body.String(), rec.Header().Get("Content-Encoding"), tc.body, tc.encoding)
		}
		if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: no Vary: Accept-Encoding", tc.path)
		}
	}
}
