// sw.js is nnesim's service worker, written by `nnesim site` from
// cmd/nnesim/sitefiles/sw.js: after one visit the page works with no
// network. It keeps this build's files (ASSETS) in a cache named by their
// content hash (VERSION), answers for them from that cache, and leaves
// every other request to the network. A new build is a new sw.js: the
// browser installs it beside the old one, the page offers to reload, and
// on reload the new worker takes over and deletes the old build's cache,
// so no stale wasm outlives an update.
'use strict';
const VERSION = '{{VERSION}}';
const ASSETS = {{ASSETS}};
const CACHE = 'nnesim-' + VERSION;
const scope = new URL(self.registration.scope);
const cached = new Set(ASSETS.map((a) => new URL(a, scope).pathname));

// The page registers this worker once it is ready, so the files it has
// just downloaded are in the browser's HTTP cache: 'no-cache' revalidates
// them (a 304, not a second copy) and fetches only what the page did not.
self.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS.map((a) => new Request(new URL(a, scope), {cache: 'no-cache'})))));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('nnesim-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The page asks a waiting worker (a new build) to take over.
self.addEventListener('message', (ev) => {
  if (ev.data && ev.data.type === '{{ACTIVATE}}') self.skipWaiting();
});

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== scope.origin || !cached.has(url.pathname)) return;
  // The page's own URL carries the run's settings: any query is the same
  // file.
  ev.respondWith(caches.open(CACHE)
    .then((c) => c.match(url.pathname, {ignoreSearch: true}))
    .then((hit) => hit || fetch(req)));
});
