package main

import (
	"flag"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// serve runs a static file server for the site folder: the right MIME
// type for .wasm, precompressed .br and .gz twins for browsers that accept them,
// and revalidation so a rebuilt page is never served stale.
func serve(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "public", "the static site folder (built by ./build.sh)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		return fmt.Errorf("serve: %s has no index.html; build the site first with ./build.sh", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w (is another server on %s? pass -addr)", err, *addr)
	}
	fmt.Fprintf(stdout, "serving %s at http://%s/\n", *dir, ln.Addr())
	srv := &http.Server{Handler: siteHandler(*dir), ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

func init() {
	mime.AddExtensionType(".wasm", "application/wasm")
	mime.AddExtensionType(".js", "text/javascript; charset=utf-8")
	mime.AddExtensionType(".nnd", "application/octet-stream")
}

// contentPolicy is the site's Content-Security-Policy for a page served
// from origin. The page needs: its own scripts and wasm compilation
// ('wasm-unsafe-eval'); workers and their scripts from blob: URLs in a
// sandboxed embed; fetches of its own files; blob: and data: pictures
// (downloads, the canvas); a dataset's files (data=) from any https
// site, or this machine's (pageurl's rule); inline style (ebiten sizes its canvas with
// style attributes). A page in a sandboxed iframe has an opaque origin,
// so the site's origin is named besides 'self'. Anyone may embed it (no
// frame-ancestors).
func contentPolicy(origin string) string {
	self := strings.TrimSpace("'self' " + origin)
	return strings.Join([]string{
		"default-src " + self,
		"script-src " + self + " blob: 'wasm-unsafe-eval'",
		"worker-src " + self + " blob:",
		"connect-src " + self + " https: http://127.0.0.1:* http://localhost:* blob: data:",
		"img-src " + self + " blob: data:",
		"style-src " + self + " 'unsafe-inline'",
		"frame-src " + self,
		"object-src 'none'",
		"base-uri 'none'",
		"form-action " + self,
	}, "; ")
}

// hostChars are the characters of a Host header that may be named in the
// policy; any other (a quote, a semicolon) leaves the origin out.
const hostChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]"

// siteHandler serves the files under dir.
func siteHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		origin := ""
		if r.Host != "" && !strings.ContainsFunc(r.Host, func(c rune) bool { return !strings.ContainsRune(hostChars, c) }) {
			origin = scheme + "://" + r.Host
		}
		w.Header().Set("Content-Security-Policy", contentPolicy(origin))
		w.Header().Set("Referrer-Policy", "no-referrer")
		if strings.ContainsFunc(r.URL.Path, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			http.Error(w, "bad request: control character in the path", http.StatusBadRequest)
			return
		}
		// One range at most: a list of many tiny ranges costs more to
		// answer than the file (the whole file is sent instead).
		if strings.Contains(r.Header.Get("Range"), ",") {
			r.Header.Del("Range")
		}
		name := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		file := filepath.Join(dir, filepath.FromSlash(name))
		if st, err := os.Stat(file); err == nil && st.IsDir() {
			file = filepath.Join(file, "index.html")
			name = path.Join(name, "index.html")
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// A page embedded with sandbox="allow-scripts" has an opaque origin,
		// so its fetches of the site's own files are cross-origin; static
		// hosts such as GitHub Pages allow them the same way.
		w.Header().Set("Access-Control-Allow-Origin", "*")
		// The loading bar counts bytes on the wire by the encoding.
		w.Header().Set("Access-Control-Expose-Headers", "Content-Encoding")
		if isPrecompressed(name) {
			w.Header().Add("Vary", "Accept-Encoding")
			for _, enc := range encodings {
				if !accepts(r, enc.name) {
					continue
				}
				if f, st, err := open(file + enc.suffix); err == nil {
					defer f.Close()
					w.Header().Set("Content-Encoding", enc.name)
					http.ServeContent(w, r, name, st.ModTime(), f)
					return
				}
			}
		}
		f, st, err := open(file)
		if err != nil {
			// A name the file system refuses (too long, not valid for
			// it, not readable) is as absent as one it does not have.
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}

func open(name string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return nil, nil, os.ErrNotExist
	}
	return f, st, nil
}

// encodings are the precompressed twins nnesim site writes, the
// smallest first: serve sends the first one the browser accepts.
var encodings = []struct{ name, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// accepts reports whether r's Accept-Encoding takes the coding name (not
// with q=0).
func accepts(r *http.Request, name string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == name && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
