// clip.js: nnesimClip(v) quotes a value from outside (a URL parameter, a
// message) for an error: whole if short, else its first 24 characters,
// an ellipsis and its length — the rule of settings.Clip in Go, so that a
// hostile 100 kB value cannot flood the page.
'use strict';
self.nnesimClip = (v) => {
  const s = Array.from(String(v));
  return s.length <= 48 ? s.join('') : s.slice(0, 24).join('') + '… (' + s.length + ' characters)';
};
