// theme.js picks the page's colour scheme: the system's
// (prefers-color-scheme) unless the reader chose light or dark with the
// page's theme button, which is remembered (localStorage 'nnesim-theme').
// It sets class "dark" on <html> at once, before the page draws, and
// tells its listeners when the scheme changes. Every page of the site
// loads it; the canvas frame hears changes through engine.js.
'use strict';
(() => {
  const key = 'nnesim-theme';
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const valid = (m) => (m === 'light' || m === 'dark' ? m : null);
  let chosen = null;
  try { chosen = valid(localStorage.getItem(key)); } catch (err) { /* storage off (a sandboxed frame) */ }
  const listeners = [];
  const dark = () => (chosen || (media.matches ? 'dark' : 'light')) === 'dark';
  function apply() {
    const d = dark();
    document.documentElement.classList.toggle('dark', d);
    document.documentElement.style.colorScheme = d ? 'dark' : 'light';
    for (const f of listeners) f(d);
  }
  media.addEventListener('change', () => { if (!chosen) apply(); });
  // Another page of the site (or this one's frame) chose.
  window.addEventListener('storage', (ev) => { if (ev.key === key) { chosen = valid(ev.newValue); apply(); } });
  self.nnesimTheme = {
    dark,
    // chosen is 'light', 'dark' or null (follow the system).
    chosen: () => chosen,
    choose(mode) {
      chosen = valid(mode);
      try {
        if (chosen) localStorage.setItem(key, chosen); else localStorage.removeItem(key);
      } catch (err) { /* not remembered where storage is off */ }
      apply();
    },
    onChange(f) { listeners.push(f); },
  };
  apply();
})();
