// shell.js is the page around the canvas frame: the controls, the URL
// parameters, the loading bar, error messages and the automation API
// window.nnesim used by tests and course pages.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const frame = $('view');
  const form = $('settings');
  const params = new URLSearchParams(location.search);
  const autostart = params.get('autostart');
  // Parameters of the page rather than of the run; the URL keeps them.
  const page = {};
  for (const k of ['workers', 'embed', 'hide', 'autostart']) if (params.has(k)) page[k] = params.get(k);

  // syncURL writes the run's settings (and always the seed) into the
  // address bar, so the link reproduces the run.
  function syncURL(query, settings) {
    const q = new URLSearchParams(query);
    q.set('seed', settings.seed);
    for (const [k, v] of Object.entries(page)) q.set(k, v);
    history.replaceState(null, '', location.pathname + '?' + q.toString());
  }
  let shareNote = null; // the link, when the clipboard cannot take it
  let firstFrameMs = null; // since navigation start, for the loading budget

  const engine = () => frame.contentWindow && frame.contentWindow.nnesimEngine;

  function showErrors(list) {
    const box = $('errors');
    if (!list || list.length === 0) { box.hidden = true; box.textContent = ''; return; }
    box.hidden = false;
    box.textContent = list.map((e) => '⚠ ' + e).join('\n');
  }

  if (autostart !== null && autostart !== '0' && autostart !== '1') {
    showErrors(['autostart=' + autostart + ': want 0 or 1']);
  }

  function showNotices(list) {
    const box = $('notices');
    box.hidden = !list || list.length === 0;
    box.textContent = box.hidden ? '' : list.map((e) => 'ℹ ' + e).join('\n');
  }

  function fillForm(settings) {
    for (const el of form.elements) {
      if (el.name && settings[el.name] !== undefined) el.value = settings[el.name];
    }
    if (settings.preset) form.elements.preset.value = settings.preset;
  }

  function formQuery() {
    const q = new URLSearchParams();
    q.set('preset', form.elements.preset.value);
    for (const el of form.elements) {
      if (el.name && el.name !== 'preset' && el.value !== '') q.set(el.name, el.value.trim());
    }
    return q.toString();
  }

  function fit() {
    const e = engine();
    if (!e) return;
    const h = e.contentHeight(frame.clientWidth);
    if (h > 0) frame.style.height = Math.ceil(h) + 'px';
  }
  window.addEventListener('resize', fit);

  function render(s) {
    $('play').textContent = s.running ? '❚❚ Pause' : '▶ Play';
    const acc = s.testAccuracy === null ? '—' : (100 * s.testAccuracy).toFixed(1) + '%';
    $('status').textContent = 'Generation ' + s.generation + (s.done ? ' (done)' : '') + ' · test accuracy ' + acc +
      ' · ' + s.gensPerSecond.toFixed(1) + ' gen/s · ' + s.workers + (s.workers === 1 ? ' worker' : ' workers');
    showNotices((s.notices || []).concat(shareNote ? [shareNote] : []));
  }

  window.addEventListener('message', (ev) => {
    if (ev.source !== frame.contentWindow) return;
    const m = ev.data || {};
    switch (m.type) {
    case 'nnesim:progress': {
      const pct = m.total > 0 ? Math.min(100, 100 * m.loaded / m.total) : 0;
      $('fill').style.width = pct.toFixed(1) + '%';
      $('loadtext').textContent = 'Loading ' + (m.loaded / 1e6).toFixed(1) + ' of ' + (m.total / 1e6).toFixed(1) + ' MB';
      break;
    }
    case 'nnesim:frame':
      firstFrameMs = performance.now();
      break;
    case 'nnesim:loaded':
      $('loadtext').textContent = 'Starting…';
      break;
    case 'nnesim:run':
      $('loading').hidden = true;
      showErrors(m.errors);
      fillForm(Object.assign({}, m.settings, {preset: new URLSearchParams(m.query).get('preset'),
        workers: String(engine().status().workers)}));
      syncURL(m.query, m.settings);
      fit();
      render(engine().status());
      break;
    case 'nnesim:autosaved': {
      const mins = Math.max(0, Math.round((Date.now() - m.savedAt) / 60000));
      const seed = new URLSearchParams(m.query).get('seed');
      $('resumetext').textContent = 'A run was saved at generation ' + m.generation + (seed ? ' (seed ' + seed + ')' : '') +
        ', ' + (mins < 1 ? 'moments' : mins + ' min') + ' ago. Continue it exactly where it stopped?';
      $('resumebar').hidden = false;
      break;
    }
    case 'nnesim:status':
      render(m.status);
      break;
    case 'nnesim:key':
      onKey(m.key);
      break;
    case 'nnesim:error':
      $('loading').hidden = true;
      showErrors([m.message]);
      break;
    }
  });

  frame.addEventListener('load', () => {
    const e = engine();
    e.configure(params.toString());
    if (autostart === '1') e.start();
    fit();
  });

  const api = {
    status() {
      const e = engine();
      if (e) return Object.assign(e.status(), {firstFrameMs});
      return {generation: 0, running: false, algo: 'nne', testAccuracy: null, trainAccuracy: null,
        gensPerSecond: 0, workers: 0, prediction: null};
    },
    start() { engine().start(); },
    pause() { engine().pause(); },
    step() { engine().step(); },
    reset() { engine().reset(); },
    classify(pixels) { return engine().classify(pixels); },
    // exportRun resolves with the run file's bytes; importRun(bytes)
    // continues that run, paused, or rejects with the reason (and the
    // current run is untouched).
    exportRun() { return engine().exportRun(); },
    // resumeSaved continues the autosaved run offered at start-up.
    resumeSaved() { $('resumebar').hidden = true; return engine().resumeSaved(); },
    discardSaved() { $('resumebar').hidden = true; engine().discardSaved(); },
    importRun(bytes) { return engine().importRun(bytes); },
    padRect() {
      const r = engine().padRect();
      if (!r) return null;
      const f = frame.getBoundingClientRect();
      return {x: f.left + r.x, y: f.top + r.y, width: r.width, height: r.height};
    },
  };
  window.nnesim = api;

  function toggle() { const s = api.status(); if (s.running) api.pause(); else api.start(); }
  $('play').addEventListener('click', toggle);
  $('step').addEventListener('click', () => api.step());
  $('reset').addEventListener('click', () => api.reset());
  $('export').addEventListener('click', async () => {
    try {
      const bytes = await api.exportRun();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([bytes], {type: 'application/octet-stream'}));
      a.download = 'nnesim-seed' + api.status().settings.seed + '-gen' + api.status().generation + '.nne';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (err) {
      showErrors(['Export failed: ' + err.message]);
    }
  });
  $('import').addEventListener('click', () => $('importfile').click());
  $('resume').addEventListener('click', () => api.resumeSaved().catch((err) => showErrors(['Resume failed: ' + err.message])));
  $('discard').addEventListener('click', () => api.discardSaved());
  $('importfile').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    try {
      await api.importRun(new Uint8Array(await file.arrayBuffer()));
      showErrors([]);
    } catch (err) {
      showErrors(['Import of ' + file.name + ' refused: ' + err.message + '. The current run was not changed.']);
    }
  });
  function setWorkers(v) {
    if (v) page.workers = v; else delete page.workers;
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    setWorkers(form.elements.workers.value.trim());
    engine().configure(formQuery());
  });
  $('share').addEventListener('click', async () => {
    const link = location.href;
    try {
      await navigator.clipboard.writeText(link);
      $('share').textContent = 'Link copied';
    } catch (err) {
      // No clipboard (an insecure page or a sandbox): show the link instead.
      shareNote = 'Copy this link to share the run: ' + link;
      showNotices([shareNote]);
    }
    setTimeout(() => { $('share').textContent = 'Share'; }, 2000);
  });
  form.elements.preset.addEventListener('change', () => {
    const w = form.elements.workers.value.trim();
    setWorkers(w);
    engine().configure('preset=' + form.elements.preset.value + (w ? '&workers=' + encodeURIComponent(w) : ''));
  });
  function onKey(key) {
    if (key === ' ') toggle();
    else if (key === 's' || key === 'S') api.step();
    else if (key === 'r' || key === 'R') api.reset();
    else return false;
    return true;
  }
  document.addEventListener('keydown', (ev) => {
    if (ev.target.closest && ev.target.closest('input, select, textarea, button')) return;
    if (onKey(ev.key)) ev.preventDefault();
  });
})();
