// shell.js is the page around the canvas frame: the controls, the URL
// parameters, the loading bar, error messages and the automation API
// window.nnesim used by tests and course pages.
//
// Embedded in a course page (an iframe, usually with embed=1), it posts
// nnesim:status {generation, testAccuracy, …} to the parent after every
// update and nnesim:error {message} on errors, and takes nnesim:command
// {command: 'start' | 'pause' | 'step' | 'reset'}: the page messages of
// Go's table, wasm/protocol (protocol.Page), which names.js gives this
// script as P.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const frame = $('view');
  const form = $('settings');
  const params = new URLSearchParams(location.search);
  const autostart = params.get('autostart');
  // Lists defined in Go, written into names.js by nnesim site.
  const names = self.nnesimNames;
  const P = self.nnesimMessages.page; // message types (wasm/protocol)
  const H = self.nnesimMessages.host; // course platforms' own (wasm/protocol: Host)
  // Parameters of the page rather than of the run (learner.PageParams); the
  // URL keeps them.
  const page = {};
  for (const k of names.pageParams) if (params.has(k)) page[k] = params.get(k);

  // hide=… names groups to leave out: parts of this page (Go's
  // pageurl.Groups, each with its body class), or panels of the canvas
  // (render.PanelNames), some under a group name (render.PanelGroups).
  // This only looks names up, as own keys (hide=constructor is no
  // group): Go's pageurl.Parse names the wrong ones, with the run's
  // errors, once the race is configured.
  const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const clip = self.nnesimClip;
  const hiddenPanels = [];
  for (const name of (params.get('hide') || '').split(',').map((x) => x.trim())) {
    if (has(names.pageGroups, name)) document.body.classList.add(names.pageGroups[name]);
    else if (has(names.panelGroups, name)) hiddenPanels.push(...names.panelGroups[name]);
    else if (names.panels.includes(name)) hiddenPanels.push(name);
  }
  // On a narrow screen the settings and file buttons fold away, so that
  // the first screen shows the controls, the pad and the curve.
  if (window.matchMedia('(max-width: 700px)').matches) $('more').open = false;
  if (params.get('embed') === '1') {
    document.body.classList.add('embed');
    $('full').hidden = false;
    // "Open in nnesim ↗" takes the run along: a plain click opens the full
    // page with handoff=1 and sends it the run when it asks (a modified
    // click opens the link as it is, with the settings only).
    $('full').addEventListener('click', (ev) => {
      const s = api.status();
      if (locked('open')) { ev.preventDefault(); return; }
      if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey || !s || !(s.generation > 0)) return;
      const url = new URL($('full').href);
      url.searchParams.set('handoff', '1');
      const w = window.open(url.toString(), '_blank');
      if (!w) return; // popups blocked: the link opens as it is
      ev.preventDefault();
      handoffFrom = w;
    });
    // A notice sits in the embed's bar, one line (its whole text on
    // hover and to screen readers), so that it covers no panel and
    // takes no height from them.
    $('controls').insertBefore($('notices'), $('full'));
  }
  frame.src = 'app.html' + (hiddenPanels.length ? '?hide=' + encodeURIComponent(hiddenPanels.join(',')) : '');

  // The parent page, when this one is embedded (a course page).
  const parentWin = window.parent !== window ? window.parent : null;
  function tellParent(type, detail) {
    if (parentWin) parentWin.postMessage(Object.assign({type}, detail), '*');
  }
  // With events=1 (Go's pageurl: off unless the host asks) the course
  // page hears what the student does, as nnesim:event.
  function event(name, detail) {
    if (page.events === '1') tellParent(P.event, {event: name, step: api.status().generation, detail: detail === undefined ? null : detail});
  }

  // syncURL writes the run's settings (and always the seed) into the
  // address bar, so the link reproduces the run.
  function syncURL(query, settings) {
    const q = new URLSearchParams(query);
    q.set('seed', settings.seed);
    for (const [k, v] of Object.entries(page)) q.set(k, v);
    try {
      history.replaceState(null, '', location.pathname + '?' + q.toString());
    } catch (err) {
      // A sandboxed frame may not rewrite its URL; links are built below.
    }
    runQuery = q;
    const full = new URLSearchParams(q);
    full.delete('embed');
    full.delete('hide');
    $('full').href = pageURL(full);
  }
  let runQuery = params; // the run's settings and the page parameters
  // handoff=1: this tab was opened by an embed's "Open in nnesim ↗", which
  // sends its run once this tab is ready (handoffWaiting: not asked yet;
  // handoffExpected: until it came). handoffFrom is, in the embed, the
  // tab it opened, until that tab asks.
  let handoffWaiting = page.handoff === '1' && !!window.opener;
  let handoffExpected = handoffWaiting;
  let handoffFrom = null;
  let presets = {}; // every preset's settings, from the coordinator (settings.Presets; the rule's own values, learner.Defaults, in rules[i].presets)
  function pageURL(q) { return location.origin + location.pathname + '?' + q.toString(); }
  let shareNote = null; // the link, when the clipboard cannot take it
  let firstFrameMs = null; // since navigation start, for the loading budget
  let loadStart = null; // when the first bytes of the app arrived
  let loadSaid = '', loadAt = 0, loadTimer = null; // the loading bar's words, when bytes last came, its clock

  // engine is the frame's window.nnesimEngine when this page may touch it.
  // In a sandboxed iframe every frame has its own opaque origin, and the
  // page reaches the engine by message instead (engine.js 'nnesim:call'):
  // there its methods return promises and status() is the last one heard.
  let lastStatus = null;
  const calls = new Map();
  let callID = 0;
  function call(method, ...args) {
    return new Promise((resolve, reject) => {
      const id = ++callID;
      calls.set(id, {resolve, reject});
      frame.contentWindow.postMessage({type: P.call, id, method, args}, '*');
    });
  }
  const proxy = {status: () => lastStatus};
  for (const m of self.nnesimMessages.methods) { // wasm/protocol: Methods
    if (m !== 'status') proxy[m] = (...args) => call(m, ...args);
  }
  function engine() {
    try {
      return frame.contentWindow && frame.contentWindow.nnesimEngine;
    } catch (err) {
      return proxy;
    }
  }

  function showErrors(list) {
    const box = $('errors');
    const all = list || [];
    if (all.length === 0) { box.hidden = true; box.textContent = ''; return; }
    box.hidden = false;
    box.textContent = all.map((e) => '⚠ ' + e).join('\n');
    tellParent(P.error, {message: all.join('\n')});
  }

  showErrors([]);

  // showHint puts a one-line hint about the controls under the status.
  function showHint(text) {
    $('hint').textContent = text;
    $('hint').hidden = !text;
  }

  // showNotices shows the notices not dismissed with ✕ (a new one shows
  // the box again).
  const dismissed = new Set();
  let noticesShown = [];
  function showNotices(list) {
    noticesShown = (list || []).filter((e) => !dismissed.has(e));
    $('notices').hidden = noticesShown.length === 0;
    $('noticetext').textContent = noticesShown.map((e) => 'ℹ ' + e).join('\n');
    $('notices').title = $('noticetext').textContent;
  }
  $('dismiss').addEventListener('click', () => {
    for (const e of noticesShown) dismissed.add(e);
    showNotices([]);
  });

  // fillForm shows settings in the form. In a race (others: every run's
  // settings) a field shows the first run's value that has it, and says
  // in its title when the runs differ. applied marks the form as the run's
  // own: Apply then sends only the fields changed since (formEdit).
  let filled = {};
  function fillForm(settings, others, applied) {
    const runs = others && others.length ? others : [settings];
    // A locked field keeps the run's value (the lesson's).
    if (settings.algo && (applied || !locked('algo'))) form.elements.algo.value = settings.algo;
    for (const el of form.elements) {
      if (!el.name || el.name === 'algo' || (!applied && locked(el.name))) continue;
      const having = runs.filter((r) => r && r[el.name] !== undefined && ofRule(el.name, r.algo));
      const v = settings[el.name] !== undefined && !others ? settings[el.name] : having.length ? having[0][el.name] : settings[el.name];
      if (v === undefined) continue;
      if (el.type === 'checkbox') el.checked = v === 'true';
      else el.value = v;
      const label = el.closest('label');
      const differ = having.filter((r) => r[el.name] !== having[0][el.name]).length > 0;
      if (label) {
        label.title = differ ? 'The runs differ: ' + having.map((r) => r.algo + ' ' + r[el.name]).join(', ') + '. A value typed here sets it for every run that has it.' : '';
      }
    }
    if (settings.preset && (applied || !locked('preset'))) form.elements.preset.value = settings.preset;
    if (applied) {
      filled = {};
      for (const el of form.elements) if (el.name) filled[el.name] = fieldValue(el);
    }
    showRuleFields();
  }
  function fieldValue(el) { return el.type === 'checkbox' ? String(el.checked) : el.value.trim(); }

  // The rules and parameters come from Go (the 'run' message: learner.Rules,
  // learner.Params): the Algorithm menu lists the rules, "Race against" the
  // others, each select its words, and the form shows only the settings of
  // the chosen rules.
  let rules = [];
  let paramInfo = {};
  function learnMenus(m) {
    if (m.rules && m.rules.length && rules.length === 0) {
      rules = m.rules;
      const sel = form.elements.algo;
      sel.textContent = '';
      for (const r of rules) {
        const o = new Option(r.title, r.name);
        o.title = r.about || '';
        sel.add(o);
      }
      const boxes = $('raceboxes');
      boxes.textContent = '';
      for (const r of rules) {
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.dataset.algo = r.name;
        box.addEventListener('change', () => {
          showRuleFields();
          showHint('The race changed: press Apply to start it.');
        });
        label.append(box, ' ' + (r.short || r.name));
        label.title = r.title;
        boxes.append(label);
      }
    }
    if (m.params) {
      paramInfo = m.params;
      addFields();
      for (const el of form.elements) {
        if (el.tagName === 'SELECT' && el.name !== 'algo' && has(paramInfo, el.name) && paramInfo[el.name].choices) {
          const v = el.value;
          el.textContent = '';
          const info = paramInfo[el.name];
          info.choices.forEach((c, i) => el.add(new Option(info.titles && info.titles[i] ? info.titles[i] : c, c)));
          if (v) el.value = v;
        }
      }
    }
  }
  // addFields adds a field for each parameter that has a label but no
  // field in the form (a rule's own, learner.Rule.Own), before Workers.
  function addFields() {
    for (const name of Object.keys(paramInfo)) {
      const info = paramInfo[name];
      if (!info.label || form.elements[name]) continue;
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.name = name;
      input.inputMode = 'decimal';
      input.title = info.usage;
      label.append(info.label + ' ', input);
      form.elements.workers.closest('label').before(label);
    }
  }
  // ofRule reports whether form field name is a setting of algo.
  function ofRule(name, algo) {
    if (name === 'workers' || name === 'algo') return true;
    if (!has(paramInfo, name)) return true;
    return paramInfo[name].rules === null || paramInfo[name].rules.includes(algo);
  }
  function ofRace(name, algos) { return algos.some((a) => ofRule(name, a)); }
  // raceAlgos lists the rules the form asks for: the Algorithm, then the
  // rules ticked under "Race against". The current race's order is kept,
  // with each of its runs (a rule may race itself: sgd,sgd:net=dense);
  // newly ticked rules come after it.
  function raceAlgos() {
    const first = form.elements.algo.value;
    const ticked = Array.from($('raceboxes').querySelectorAll('input')).filter((b) => b.checked && b.dataset.algo !== first).map((b) => b.dataset.algo);
    const order = (runQuery.get('algo') || '').split(',').map((e) => e.split(':')[0].trim()).filter((a) => a);
    const rest = order.filter((a) => a === first || ticked.includes(a));
    if (rest.includes(first)) rest.splice(rest.indexOf(first), 1);
    return [first].concat(rest, ticked.filter((a) => !order.includes(a)));
  }
  function showRuleFields() {
    const algos = raceAlgos();
    for (const el of form.elements) {
      const label = el.closest('label');
      if (el.name && label) label.hidden = !ofRace(el.name, algos);
    }
    for (const b of $('raceboxes').querySelectorAll('input')) b.closest('label').hidden = b.dataset.algo === form.elements.algo.value;
  }
  function tickRace(algos) {
    for (const b of $('raceboxes').querySelectorAll('input')) b.checked = algos.slice(1).includes(b.dataset.algo);
  }

  // formEdit is what Apply asks of the race (Go's race.Edit makes the
  // race of it): the chosen rules in order, and the fields typed since
  // the form showed the run, each for every run that has it (an empty
  // one: each run's default). A run kept keeps its own settings, a rule
  // added starts from its defaults.
  function formEdit() {
    const algos = raceAlgos();
    const set = {};
    for (const el of form.elements) {
      if (!el.name || el.name === 'algo' || el.name === 'workers' || !ofRace(el.name, algos) || locked(el.name)) continue;
      const v = fieldValue(el);
      if (v !== filled[el.name]) set[el.name] = v;
    }
    return {algos, set};
  }
  // baseQuery is the current race's query, with the workers asked.
  function baseQuery() {
    const q = new URLSearchParams(runQuery);
    const workers = form.elements.workers.value.trim();
    if (workers) q.set('workers', workers); else q.delete('workers');
    return q.toString();
  }

  // fit sizes the canvas frame. On the page it is as tall as all its
  // panels, so the page scrolls as a whole; an embed fills its own frame
  // (CSS) and the canvas shows the panels that fit in it.
  const embedded = document.body.classList.contains('embed');
  function fit() {
    const e = engine();
    if (!e) return;
    if (embedded) {
      Promise.resolve(e.fit(true)).catch(() => {});
      tellHeight();
      return;
    }
    Promise.resolve(e.contentHeight(frame.clientWidth)).then((h) => {
      if (h > 0) frame.style.height = Math.ceil(h) + 'px';
    }, () => {});
  }
  window.addEventListener('resize', fit);

  // tellHeight tells a course page how tall the embed's content is: its
  // bar, notices and errors, and every panel at this width (Go's
  // contentHeight), on load and whenever that changes, both as Canvas
  // LMS's {subject: 'lti.frameResize', height} and as nnesim's own resize
  // message. A host that sizes its frame to it shows every panel.
  let toldHeight = 0;
  // contentHeight resolves with the embed's content height (0 if not
  // known yet).
  function contentHeight() {
    const e = engine();
    if (!e) return Promise.resolve(0);
    const main = document.querySelector('main');
    return Promise.resolve(e.contentHeight(main.clientWidth)).then((panels) => {
      if (!(panels > 0)) return 0;
      const rest = document.documentElement.clientHeight - main.getBoundingClientRect().height;
      return Math.ceil(rest + panels);
    }, () => 0);
  }
  function tellHeight() {
    if (!parentWin || !embedded) return;
    contentHeight().then((height) => {
      if (!height || height === toldHeight) return;
      toldHeight = height;
      parentWin.postMessage({subject: H.lti, height}, '*');
      tellParent(P.resize, {height});
      if (resizerID !== null) tellResizer('size');
    });
  }
  // A host page that sizes its frames with iframe-resizer (version 4,
  // iFrameResize({checkOrigin: false}) for a sandboxed frame) sends
  // '[iFrameSizer]ID:…' when the frame loads: the embed answers as the
  // library's script for frames would, '[iFrameSizer]ID:height:width:init',
  // then sends its height whenever it changes.
  const RESIZER = H.resizer;
  let resizerID = null;
  function tellResizer(type) {
    contentHeight().then((height) => {
      if (height) parentWin.postMessage(RESIZER + resizerID + ':' + height + ':' + document.documentElement.clientWidth + ':' + type, '*');
    });
  }
  function resizer(text) {
    const body = text.slice(RESIZER.length);
    const fields = body.split(':');
    if (fields.length > 1) {
      resizerID = fields[0];
      tellResizer('init');
    } else if (resizerID !== null && body === 'resize') {
      tellResizer('resizeParent');
    }
  }
  if (embedded && typeof ResizeObserver === 'function') {
    // Notices, errors and hints come and go in the bar.
    const bar = new ResizeObserver(() => tellHeight());
    for (const id of ['controls', 'notices', 'errors', 'resumebar', 'updatebar', 'challenge', 'racesummary', 'mine', 'pictures']) if ($(id)) bar.observe($(id));
  }

  function render(s) {
    if (!s) return;
    lastStatus = s;
    // Opened by an embed's "Open in nnesim ↗": once ready, ask it for its
    // run (handoff).
    if (handoffWaiting && s.ready && s.settings) {
      handoffWaiting = false;
      window.opener.postMessage({type: P.handoffReady}, '*');
    }
    tellParent(P.status, {generation: s.generation, running: s.running, done: s.done, testAccuracy: s.testAccuracy,
      trainAccuracy: s.trainAccuracy, gensPerSecond: s.gensPerSecond, algo: s.algo, query: s.query,
      seed: s.settings ? Number(s.settings.seed) : null, allelesHash: s.allelesHash, runs: s.runs, challenge: s.challenge || null});
    showChallenge(s);
    showRaceSummary(s.raceSummary || []);
    showTimeline(s);
    $('play').textContent = s.running ? '❚❚ Pause' : '▶ Play';
    // The live region (the status line itself changes every frame).
    if (s.announce && $('announce').textContent !== s.announce) $('announce').textContent = s.announce;
    showTabs(s);
    if (s.runs && s.runs.length > 1) {
      // A race: each run's step and accuracy, and how the workers were split.
      const pct = (a) => a === null ? '—' : (100 * a).toFixed(1) + '%';
      $('status').textContent = 'Race of ' + s.runs.length + (s.done ? ', finished' : '') + ' · ' +
        s.runs.map((r) => r.label + ' ' + (r.unit === 'epoch' ? 'epoch ' : 'gen ') + r.step + ' ' + pct(r.testAccuracy) + (r.done ? ' ✓' : '')).join(' · ') +
        ' · workers ' + s.runs.map((r) => r.label + ' ' + r.workers).join(', ');
      if (!s.done && $('hint').textContent.startsWith('The r')) showHint('');
      showNotices((s.notices || []).concat(shareNote ? [shareNote] : []));
      return;
    }
    const acc = s.testAccuracy === null ? '—' : (100 * s.testAccuracy).toFixed(1) + '%';
    const p = s.progress;
    const unit = s.unit || 'generation';
    const rate = s.done ? 'finished at ' + unit + ' ' + s.generation
      : unit === 'epoch' ? (s.seconds || 0).toFixed(0) + ' s of training'
      : p ? 'computing generation ' + p.generation + (p.slices > 1 ? ': ' + p.slicesDone + ' of ' + p.slices + ' slices' : '') +
        ', ' + p.seconds.toFixed(0) + ' s'
        : s.gensPerSecond.toFixed(1) + ' gen/s';
    $('status').textContent = (unit === 'epoch' ? 'Epoch ' : 'Generation ') + s.generation + ' · test accuracy ' + acc +
      ' · ' + rate + ' · ' + s.workers + (s.workers === 1 ? ' worker' : ' workers');
    if (!s.done && $('hint').textContent.startsWith('The run finished')) showHint('');
    showNotices((s.notices || []).concat(shareNote ? [shareNote] : []));
  }

  // Locks (lock=: Go's lesson.Locks, from the 'run' message) keep the
  // fields and controls they name shown but disabled, titled with why:
  // the form's fields by name, the controls by their data-lock.
  let locks = {settings: [], controls: [], titles: {}};
  const locked = (name) => locks.settings.includes(name) || locks.controls.includes(name);
  function lockEl(el, name) {
    const on = locked(name);
    if (el.dataset.title === undefined) el.dataset.title = el.title || '';
    el.title = on ? locks.titles[name] || '' : el.dataset.title;
    if (el.tagName === 'A') {
      el.classList.toggle('locked', on);
      if (on) el.setAttribute('aria-disabled', 'true'); else el.removeAttribute('aria-disabled');
    } else {
      el.disabled = on;
    }
  }
  function applyLocks(l) {
    if (l) locks = {settings: l.settings || [], controls: l.controls || [], titles: l.titles || {}};
    for (const el of document.querySelectorAll('[data-lock]')) lockEl(el, el.dataset.lock);
    for (const el of form.elements) if (el.name && el.name !== 'workers') lockEl(el, el.name);
    for (const b of $('raceboxes').querySelectorAll('input')) lockEl(b, 'algo');
  }
  // lockedHint says that a control is locked, for a key or command that
  // asked for it.
  function lockedHint(name) {
    showHint(locks.titles[name] || 'The lesson locked this.');
  }

  // My digits (Go's mnist.Mine, through the engine): a box above the
  // canvas asks for a digit at a time; Keep keeps the pad's drawing as
  // it, and when the round is done every run of the race is scored on
  // the drawings: its accuracy, the first run's confusion, and the
  // drawings a run read wrong with every run's answer.
  function showMine(s) {
    $('minecount').textContent = s.kept ? '· ' + s.kept + (s.kept === 1 ? ' drawing kept' : ' drawings kept') : '';
    $('minekeep').hidden = $('mineskip').hidden = !s.asking;
    $('minestart').hidden = s.asking;
    $('minescore').disabled = $('mineexport').disabled = $('mineforget').disabled = !s.kept;
    $('mineprompt').textContent = s.asking ? 'Draw a ' + s.prompt + ' on the pad, then press Keep (' + (s.at + 1) + ' of ' + s.of + ').'
      : s.kept ? 'Press Score every run to see how each reads your handwriting, or draw more.' : 'Draw ' + names.mine.each + ' of each digit of the run when asked; then every run reads them.';
  }
  async function mineDo(action, each) {
    try {
      const s = await api.mine(action, each);
      showMine(s);
      return s;
    } catch (err) {
      const why = err.message.replace(/^my digits: /, '');
      $('mineprompt').textContent = why.charAt(0).toUpperCase() + why.slice(1) + '.';
      return null;
    }
  }
  function mineOpen() {
    $('mine').hidden = false;
    mineDo('state');
  }
  $('minebtn').addEventListener('click', () => { if ($('mine').hidden) mineOpen(); else $('mine').hidden = true; });
  $('mineclose').addEventListener('click', () => { $('mine').hidden = true; });
  $('minestart').textContent = 'Draw ' + names.mine.each + ' of each';
  $('minestart').addEventListener('click', () => { $('mineresult').textContent = ''; mineDo('start', names.mine.each); });
  $('mineskip').addEventListener('click', () => mineDo('skip'));
  $('mineforget').addEventListener('click', async () => { await mineDo('forget'); $('mineresult').textContent = ''; });
  $('minekeep').addEventListener('click', async () => {
    const s = await mineDo('keep');
    if (s && !s.asking && s.of > 0) mineScore();
  });
  $('minescore').addEventListener('click', () => mineScore());
  $('mineexport').addEventListener('click', async () => {
    try {
      const p = await api.mineExport();
      for (const [name, data] of [[names.mine.images, p.images], [names.mine.labels, p.labels]]) {
        const a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([data], {type: 'application/octet-stream'}));
        a.download = name;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      }
      event('export', 'my digits');
    } catch (err) {
      showErrors(['Export of your digits failed: ' + err.message]);
    }
  });
  async function mineScore() {
    const box = $('mineresult');
    box.textContent = 'Every run is reading your digits…';
    let r;
    try {
      r = await api.mineScore();
    } catch (err) {
      box.textContent = err.message + '.';
      return;
    }
    box.textContent = '';
    const table = document.createElement('table');
    const cell = (row, tag, text) => { const c = document.createElement(tag); c.textContent = text; row.append(c); };
    let row = table.insertRow();
    for (const h of ['run', 'read right', 'accuracy on your digits']) cell(row, 'th', h);
    for (const run of r.runs) {
      row = table.insertRow();
      cell(row, 'th', run.label);
      cell(row, 'td', run.right + ' of ' + run.total);
      cell(row, 'td', (100 * run.accuracy).toFixed(1) + '%');
    }
    box.append(table);
    // The first run's confusion on the digits drawn.
    const drawn = Array.from(new Set(r.labels)).sort((a, b) => a - b);
    const conf = document.createElement('table');
    conf.setAttribute('aria-label', 'Your confusion matrix for ' + r.runs[0].label + ': rows the digit you drew, columns the digit read');
    row = conf.insertRow();
    cell(row, 'th', r.runs[0].label + ': drew ↓ read →');
    for (const d of drawn) cell(row, 'th', String(d));
    for (const t of drawn) {
      row = conf.insertRow();
      cell(row, 'th', String(t));
      for (const p of drawn) cell(row, 'td', String(r.runs[0].confusion[t][p] || ''));
    }
    box.append(conf);
    // Your drawings, a page at a time: those some run read wrong (at
    // first, if any), or all of them, each with what every run read.
    const p = document.createElement('p');
    const only = document.createElement('input');
    only.type = 'checkbox';
    only.checked = r.wrong.length > 0;
    only.id = 'minewrongonly';
    const onlyLabel = document.createElement('label');
    onlyLabel.htmlFor = only.id;
    onlyLabel.textContent = ' only those some run read wrong';
    const pager = document.createElement('p');
    pager.className = 'minepager';
    const prev = document.createElement('button'), next = document.createElement('button'), at = document.createElement('span');
    prev.type = next.type = 'button';
    prev.textContent = '‹ Previous';
    next.textContent = 'Next ›';
    at.setAttribute('role', 'status');
    pager.append(prev, ' ', at, ' ', next);
    const grid = document.createElement('div');
    grid.className = 'wrong';
    let page = 0;
    const draw = () => {
      const list = only.checked ? r.wrong : r.drawings;
      const pages = Math.max(1, Math.ceil(list.length / MINE_PAGE));
      page = Math.min(page, pages - 1);
      p.firstChild.textContent = r.wrong.length ? r.wrong.length + ' of your ' + r.drawings.length + ' drawings were read wrong by some run. Showing ' : 'Every run read every drawing right. Showing ';
      only.disabled = !r.wrong.length;
      at.textContent = list.length ? (page * MINE_PAGE + 1) + '–' + Math.min(list.length, (page + 1) * MINE_PAGE) + ' of ' + list.length : 'none';
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      pager.hidden = pages < 2;
      grid.replaceChildren(...list.slice(page * MINE_PAGE, (page + 1) * MINE_PAGE).map((w) => drawingFigure(r, w)));
    };
    p.append('', only, onlyLabel, ':');
    only.addEventListener('change', () => { page = 0; draw(); });
    prev.addEventListener('click', () => { page--; draw(); });
    next.addEventListener('click', () => { page++; draw(); });
    draw();
    box.append(p, pager, grid);
  }
  // MINE_PAGE is how many drawings a page of My digits' results shows.
  const MINE_PAGE = 24;
  // drawingFigure shows drawing w of a score r (its 28×28 input, what
  // the runs read) with every run's answer.
  function drawingFigure(r, w) {
    const fig = document.createElement('figure');
    if (w.wrong) fig.className = 'misread';
    const c = document.createElement('canvas');
    const side = Math.round(Math.sqrt(r.size));
    c.width = c.height = side;
    const img = c.getContext('2d').createImageData(side, side);
    for (let i = 0; i < r.size; i++) {
      const v = Math.round(255 * r.pixels[w.index * r.size + i]);
      img.data.set([v, v, v, 255], 4 * i);
    }
    c.getContext('2d').putImageData(img, 0, 0);
    const cap = document.createElement('figcaption');
    cap.textContent = 'your ' + w.digit + ': ' + r.runs.map((run, k) => run.label + ' ' + (w.answers[k] < 0 ? '—' : w.answers[k])).join(', ');
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', cap.textContent);
    fig.append(c, cap);
    return fig;
  }

  // The timeline scrubs a paused or finished run back to step t: runs
  // are deterministic, so the run is trained again from its seed to t
  // (the same bits as the first time) and its pictures are exactly step
  // t's. The run as it was is kept in memory (its file), and "Back to
  // step T" continues it. A race's runs count different steps, and a
  // rule of two phases would go on into its second, so both go without.
  let keptRun = null; // {bytes, step, unit}: the run before a replay
  let replaying = null; // the step a replay trains to
  function showTimeline(s) {
    const r = s.runs && s.runs.length === 1 ? s.runs[0] : null;
    const one = r && r.phases && r.phases.length === 1;
    const last = keptRun ? keptRun.step : s.generation;
    // A lesson's challenge reads the run's curve, and its locks hold the
    // controls a replay would use: both go without a timeline.
    const lessonHolds = !!s.challenge || locked('play') || locked('reset') || (one && locked(r.phases[0].param));
    $('timeline').hidden = !one || lessonHolds || (s.running && !keptRun) || last < 2;
    if ($('timeline').hidden) return;
    const unit = r.unit || 'step';
    const range = $('replayat');
    if (Number(range.max) !== last) {
      range.max = String(last);
      if (Number(range.value) > last || document.activeElement !== range) range.value = String(Math.max(1, Math.min(last, s.generation)));
    }
    $('replayout').textContent = unit + ' ' + range.value + ' of ' + last;
    range.setAttribute('aria-valuetext', $('replayout').textContent);
    $('replay').disabled = s.running;
    $('latest').hidden = !keptRun;
    if (keptRun) $('latest').textContent = 'Back to ' + unit + ' ' + keptRun.step;
    if (replaying !== null && s.done && s.generation === replaying) {
      showHint(`${unit.charAt(0).toUpperCase() + unit.slice(1)} ${replaying}, recomputed from the seed: the run was trained again to it, with the same bits, so these are exactly its pictures.`);
      replaying = null;
    }
  }
  $('replayat').addEventListener('input', () => render(api.status()));
  $('replay').addEventListener('click', async () => {
    const s = api.status();
    const r = s.runs && s.runs[0];
    const t = Number($('replayat').value);
    if (!r || !r.phases || r.phases.length !== 1 || !(t >= 1)) return;
    try {
      if (!keptRun) keptRun = {bytes: await api.exportRun(), step: s.generation};
      const q = new URLSearchParams(runQuery);
      q.set(r.phases[0].param, String(t));
      replaying = t;
      engine().configure(q.toString(), true);
      engine().start();
      event('replay', t);
      showHint(`Training the run again from its seed to ${r.unit || 'step'} ${t}…`);
    } catch (err) {
      showErrors(['Replay failed: ' + err.message]);
    }
  });
  $('latest').addEventListener('click', async () => {
    if (!keptRun) return;
    try {
      await api.importRun(keptRun.bytes);
      showHint('Back where the run was, paused: ▶ Play goes on.');
      keptRun = null;
      replaying = null;
    } catch (err) {
      showErrors(['Back to the run failed: ' + err.message]);
    }
  });

  // showRaceSummary shows who is ahead in a race and why (Go's
  // render.RaceSummary), folded under its summary line.
  let raceLines = '';
  function showRaceSummary(lines) {
    const key = lines.join('\n');
    if (key === raceLines) return;
    raceLines = key;
    $('racesummary').hidden = lines.length === 0;
    const ul = $('racesummary').querySelector('ul');
    ul.textContent = '';
    for (const l of lines) {
      const li = document.createElement('li');
      li.textContent = l;
      ul.append(li);
    }
  }

  // showChallenge shows the course's challenge (Go's lesson.Result in the
  // status) and tells the course page when it changes: nnesim's own
  // challenge message and, once it is final, the pass/fail string of
  // Khan Academy-style iframe exercises ({testsPassed, message}).
  let challengeKey = '';
  let predictKey = '';
  function showChallenge(s) {
    const c = s.challenge;
    $('challenge').hidden = !c;
    if (!c) return;
    $('challengetask').textContent = 'Challenge: ' + c.task;
    $('challengetext').textContent = c.text;
    $('challenge').classList.toggle('met', c.met);
    $('challengepick').hidden = !c.predict;
    if (c.predict) {
      const runs = s.runs || [];
      const key = runs.map((r) => r.label).join(',');
      const sel = $('prediction');
      if (key !== predictKey) {
        predictKey = key;
        sel.length = 1;
        for (const [i, r] of runs.entries()) sel.add(new Option(r.label, String(i)));
      }
      const i = runs.findIndex((r) => r.label === c.evidence.prediction);
      sel.value = i >= 0 ? String(i) : '';
      sel.disabled = !c.open;
      sel.title = sel.disabled ? 'A prediction is made before the race first starts, and stays for the race.' : '';
    }
    const key = JSON.stringify([c.met, c.final, c.score, c.text]);
    if (key === challengeKey) return;
    challengeKey = key;
    tellParent(P.challenge, {challenge: c});
    if (c.final) event('challenge', c);
    if (c.final && parentWin) parentWin.postMessage(JSON.stringify({[H.passFail]: c.met, message: c.text}), '*');
  }
  $('prediction').addEventListener('change', () => {
    const v = $('prediction').value;
    if (v === '') return;
    api.predict(Number(v)).then(() => { render(api.status()); event('predict', $('prediction').selectedOptions[0].textContent); })
      .catch((err) => showErrors(['Prediction: ' + err.message]));
  });

  // Open edX's JSInput problems (sop="false") call this page through
  // jschannel: JSON strings {id, method: 'JSInput::getGrade', params},
  // answered by {id, result} or {id, error, message}, after a
  // 'JSInput::__ready' ping and pong. getGrade gives the challenge's
  // result (or that there is none), getState and setState keep and
  // restore the run (Go's lesson.State).
  // Open edX passes the answers of getGrade and getState through
  // decodeURI, which a bare % in the result's words ("85.0% test
  // accuracy") would make throw: they go encodeURI'd, and come back as
  // they were. Open edX calls setState once, at the handshake, before
  // the simulator has loaded: every call waits for the first run.
  const JSINPUT = H.jsinput;
  const jsinputMethods = {
    getGrade: () => encodeURI(JSON.stringify(api.status().challenge || {met: false, score: 0, text: 'This page sets no challenge (challenge= in its link).'})),
    getState: () => api.getState().then(encodeURI),
    setState: (params) => api.setState(typeof params === 'string' ? params : ''),
  };
  function jsinput(text) {
    let m;
    try { m = JSON.parse(text); } catch (err) { return; }
    if (!m || typeof m !== 'object' || typeof m.method !== 'string' || !m.method.startsWith(JSINPUT)) return;
    const post = (o) => parentWin.postMessage(JSON.stringify(o), '*');
    const method = m.method.slice(JSINPUT.length);
    if (method === '__ready') {
      if (m.params === 'ping') post({method: JSINPUT + '__ready', params: 'pong'});
      return;
    }
    if (!Number.isInteger(m.id)) return; // a notification: nothing to answer
    if (!has(jsinputMethods, method)) {
      post({id: m.id, error: 'unknown_method', message: 'JSInput ' + clip(method) + ': want one of ' + Object.keys(jsinputMethods).join(', ')});
      return;
    }
    firstRun.then(() => jsinputMethods[method](m.params)).then(
      (result) => post({id: m.id, result: typeof result === 'string' ? result : JSON.stringify(result)}),
      (err) => post({id: m.id, error: 'runtime_error', message: 'JSInput ' + method + ': ' + err.message}));
  }
  if (parentWin) parentWin.postMessage(JSON.stringify({method: JSINPUT + '__ready', params: 'ping'}), '*');
  // firstRun resolves at the first run: the simulator has loaded.
  let ranFirst = null;
  const firstRun = new Promise((resolve) => { ranFirst = resolve; });

  // showTabs offers, in a race, a tab per run: the canvas's per-run
  // panels (weights, histogram, digits, confusion) show the chosen run.
  let tabsShown = '';
  function showTabs(s) {
    const runs = s.runs || [];
    const key = runs.length > 1 ? runs.map((r) => r.label + ' ' + r.color).join(',') + '|' + s.selected : '';
    if (key === tabsShown) return;
    tabsShown = key;
    const tabs = $('tabs');
    tabs.hidden = runs.length < 2;
    tabs.textContent = '';
    if (runs.length < 2) return;
    runs.forEach((r, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(i === (s.selected || 0)));
      if (r.color) b.style.borderLeftColor = r.color; // the run's colour on the canvas (render.Palette.Runs)
      b.textContent = r.label;
      b.title = 'Show the pictures of ' + r.label;
      b.addEventListener('click', () => {
        Promise.resolve(engine().select(i)).then(() => render(api.status()), () => {});
        tabsShown = '';
        render(Object.assign({}, api.status(), {selected: i}));
      });
      tabs.append(b);
    });
  }

  window.addEventListener('message', (ev) => {
    const m = ev.data || {};
    if (parentWin && ev.source === parentWin && typeof ev.data === 'string') {
      if (ev.data.startsWith(RESIZER)) { if (embedded) resizer(ev.data); } else jsinput(ev.data);
      return;
    }
    if (parentWin && ev.source === parentWin && m.type === P.command) {
      onCommand(m.command);
      return;
    }
    // The embed's run, sent to the tab its "Open in nnesim ↗" opened.
    if (handoffFrom && ev.source === handoffFrom && m.type === P.handoffReady) {
      handoffFrom = null;
      runFileBuffer().then((buf) => ev.source.postMessage({type: P.handoff, data: buf}, '*', [buf])).catch(() => {});
      return;
    }
    if (handoffExpected && window.opener && ev.source === window.opener && m.type === P.handoff && m.data instanceof ArrayBuffer) {
      handoffExpected = false;
      delete page.handoff;
      api.importRun(new Uint8Array(m.data)).then(() => {
        showHint('The embed\'s run continues here, paused where it was: ▶ Play goes on.');
      }).catch((err) => showErrors(['The embed\'s run could not be continued here: ' + err.message]));
      return;
    }
    if (ev.source !== frame.contentWindow) return;
    switch (m.type) {
    case P.reply: {
      const c = calls.get(m.id);
      calls.delete(m.id);
      if (c && 'error' in m) c.reject(new Error(m.error));
      else if (c) c.resolve(m.result);
      break;
    }
    case P.progress: {
      const pct = m.total > 0 ? Math.min(100, 100 * m.loaded / m.total) : 0;
      $('fill').style.width = pct.toFixed(1) + '%';
      // Bytes on the wire, and the time left at the rate so far.
      const now = performance.now();
      if (loadStart === null) loadStart = now;
      const rate = m.loaded / Math.max(1, now - loadStart); // bytes per ms
      const left = rate > 0 && now - loadStart > 500 ? (m.total - m.loaded) / rate / 1000 : null;
      loadSaid = 'Loading ' + (m.loaded / 1e6).toFixed(1) + ' of ' + (m.total / 1e6).toFixed(1) + ' MB';
      loadAt = now;
      $('loadtext').textContent = loadSaid + (left === null ? '' : left < 1.5 ? ' · almost there' : ' · about ' + Math.round(left) + ' s left');
      if (!loadTimer) {
        // Bytes that stop coming (a slow network, a busy machine) are
        // said, and counted: the bar never stands still.
        loadTimer = setInterval(() => {
          const quiet = (performance.now() - loadAt) / 1000;
          if ($('loading').hidden || !/^Loading /.test($('loadtext').textContent)) { clearInterval(loadTimer); return; }
          if (quiet >= 1) $('loadtext').textContent = loadSaid + ' · waiting for the network, ' + Math.floor(quiet) + ' s';
        }, 500);
      }
      break;
    }
    case P.frame:
      firstFrameMs = performance.now();
      break;
    case P.loaded:
      $('loadtext').textContent = 'Starting…';
      break;
    case P.run:
      ranFirst();
      offline(); // once, at the first run: the page is ready
      $('loading').hidden = true;
      showErrors(m.errors);
      presets = m.presets || presets;
      learnMenus(m);
      tickRace((m.race || []).map((r) => r.algo));
      fillForm(Object.assign({}, m.settings, {preset: new URLSearchParams(m.query).get('preset') || m.settings.preset,
        workers: String(m.workers || m.status.workers)}), m.race && m.race.length > 1 ? m.runSettings : null, true);
      applyLocks(m.locks);
      // A run that is not a replay's drops the run a replay kept.
      if (replaying === null) keptRun = null;
      syncURL(m.query, m.settings);
      if (m.advice) showHint(m.advice); // a preset made for these digits (Go's settings.Advice)
      fit();
      render(m.status);
      break;
    case P.autosaved: {
      const mins = Math.max(0, Math.round((Date.now() - m.savedAt) / 60000));
      const seed = new URLSearchParams(m.query).get('seed');
      $('resumetext').textContent = (m.runs > 1 ? 'A race of ' + m.runs + ' runs was saved' : 'A run was saved at generation ' + m.generation) + (seed ? ' (seed ' + seed + ')' : '') +
        ', ' + (mins < 1 ? 'moments' : mins + ' min') + ' ago. Continue it exactly where it stopped?';
      $('resumebar').hidden = false;
      break;
    }
    case P.status:
      render(m.status);
      break;
    case P.dataset:
      showDataset(m);
      tellParent(P.dataset, Object.assign({}, m, {sample: undefined}));
      break;
    case P.pictures:
      // Several pictures dropped on the canvas.
      if (Array.isArray(m.files)) putPictures(m.files);
      break;
    case P.pad:
      // What the student drew and what each run read: for a course page.
      tellParent(P.pad, {stroke: m.stroke, pixels: m.pixels, predictions: m.predictions});
      event('draw', m.predictions);
      break;
    case P.key:
      onKey(m.key);
      break;
    case P.error:
      $('loading').hidden = true;
      showErrors([m.message]);
      break;
    }
  });

  let frameLoaded = false;
  // The theme button cycles: follow the system, light, dark (theme.js
  // remembers the choice); the canvas frame follows the page.
  const theme = self.nnesimTheme;
  function showTheme() {
    const c = theme.chosen();
    $('theme').textContent = 'Theme: ' + (c || 'auto');
    $('theme').setAttribute('aria-label', 'Theme: ' + (c || 'auto') + (c ? '' : ', following the system (now ' + (theme.dark() ? 'dark' : 'light') + ')') + '; press to change');
  }
  $('theme').addEventListener('click', () => {
    const next = {null: 'light', light: 'dark', dark: null}[String(theme.chosen())];
    theme.choose(next);
  });
  theme.onChange((d) => {
    showTheme();
    if (frameLoaded) Promise.resolve(engine().setTheme(d)).catch(() => {});
  });
  showTheme();

  // Offline: the service worker (sw.js, written by nnesim site) keeps this
  // build's files after one visit, so the page works with no network. It
  // is registered once the run is ready, so that its copy of the files
  // does not compete with the page's first download of them (and comes
  // from the browser's cache, revalidated). A
  // new build installs beside the old one; the bar offers to switch, and
  // the page reloads once the new worker has taken over. A sandboxed frame
  // (opaque origin) or a host without sw.js goes without.
  let offlineStarted = false;
  function offline() {
    if (offlineStarted) return;
    offlineStarted = true;
    let sw;
    try { sw = self.origin !== 'null' && navigator.serviceWorker; } catch (err) { return; }
    if (!sw) return;
    let switching = false;
    const offer = (w) => {
      if (!w || !sw.controller) return; // the first install: nothing to switch from
      $('updatebar').hidden = false;
      $('update').onclick = () => { switching = true; w.postMessage({type: P.activate}); };
    };
    sw.addEventListener('controllerchange', () => { if (switching) location.reload(); });
    sw.register('sw.js').then((reg) => {
      offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const w = reg.installing;
        if (w) w.addEventListener('statechange', () => { if (w.state === 'installed') offer(w); });
      });
    }).catch(() => {});
  }

  frame.addEventListener('load', () => {
    frameLoaded = true;
    const e = engine();
    e.setTheme(theme.dark());
    e.configure(params.toString());
    if (autostart === '1') e.start();
    fit();
  });

  // onCommand runs a command from the parent page.
  function onCommand(command) {
    const commands = {start: () => api.start(), pause: () => api.pause(), step: () => api.step(), reset: () => api.reset(),
      export: async () => {
        try {
          const buf = await runFileBuffer();
          if (parentWin) parentWin.postMessage({type: P.runfile, name: runFileName(), data: buf}, '*', [buf]);
        } catch (err) {
          tellParent(P.error, {message: P.command + ' export: ' + err.message});
        }
      }};
    if (typeof command !== 'string' || !has(commands, command)) {
      const what = typeof command === 'string' ? '"' + clip(command) + '"' : 'of type ' + typeof command;
      tellParent(P.error, {message: P.command + ' ' + what + ': want one of ' + Object.keys(commands).join(', ')});
      return;
    }
    if (!frameLoaded) {
      tellParent(P.error, {message: P.command + ' ' + command + ': the simulator is still loading; try again after its first ' + P.status});
      return;
    }
    const control = {start: 'play', pause: 'play', step: 'step', reset: 'reset'}[command];
    if (control && locked(control)) {
      tellParent(P.error, {message: P.command + ' ' + command + ': locked by the lesson (lock=' + control + ')'});
      return;
    }
    commands[command]();
  }

  const api = {
    status() {
      const e = engine();
      if (e && e.status()) return Object.assign({}, e.status(), {firstFrameMs});
      return {generation: 0, running: false, algo: names.defaultRule, testAccuracy: null, trainAccuracy: null,
        gensPerSecond: 0, workers: 0, prediction: null};
    },
    start() { engine().start(); },
    pause() { engine().pause(); },
    step() { engine().step(); },
    reset() { engine().reset(); },
    classify(pixels) { return engine().classify(pixels); },
    // classifyAll resolves with every run's probabilities for an input:
    // [{algo, label, probs}] (784 numbers in, 10 probabilities per run).
    classifyAll(pixels) { return engine().classifyAll(pixels); },
    // select(i) shows run i's pictures in the canvas's per-run panels.
    select(i) { return engine().select(i); },
    // exportRun resolves with the run file's bytes; importRun(bytes)
    // continues that run, paused, or rejects with the reason (and the
    // current run is untouched).
    exportRun() { return engine().exportRun(); },
    // exportCurves resolves with the curve as CSV text, exportPNG with the
    // canvas pictures as PNG bytes.
    exportCurves() { return engine().exportCurves(); },
    exportPNG() { return engine().exportPNG(); },
    // resumeSaved continues the autosaved run offered at start-up.
    resumeSaved() { $('resumebar').hidden = true; return engine().resumeSaved(); },
    discardSaved() { $('resumebar').hidden = true; engine().discardSaved(); },
    importRun(bytes) { return engine().importRun(bytes); },
    // predict(i) makes run i the student's prediction for a predict
    // challenge (before the race starts); getState resolves with the
    // page's state for a course platform and setState(s) restores one
    // (Open edX JSInput's contract, also called through jschannel).
    predict(i) { return Promise.resolve().then(() => engine().predict(i)); },
    // mine(action, each) runs a step of My digits (start, keep, skip,
    // stop, forget, state) and resolves with the drawn set's state;
    // mineScore() with every run's score on it; mineExport() with it as
    // an IDX pair {images, labels}.
    mine(action, each) { return Promise.resolve().then(() => engine().mine(action, each)); },
    mineScore() { return Promise.resolve().then(() => engine().mineScore()); },
    mineExport() { return Promise.resolve().then(() => engine().mineExport()); },
    getState() { return Promise.resolve().then(() => engine().getState()); },
    setState(s) { return Promise.resolve().then(() => engine().setState(s)); },
    // readPictures(files) resolves with what every run reads in each
    // picture, the pad untouched: [{name, pixels, runs} or {name, error}].
    readPictures(files) { return Promise.resolve().then(() => engine().readPictures(Array.from(files))); },
    // loadDataset(files) trains every run on another dataset's four IDX
    // files (Files, or {name: bytes}) and resolves with it, or rejects
    // with what was wrong, the runs untouched; useMNIST() goes back.
    loadDataset(files) { return Promise.resolve().then(() => engine().loadDataset(files && typeof files.length === 'number' ? Array.from(files) : files)); },
    useMNIST() { return Promise.resolve().then(() => engine().useMNIST()); },
    // padPicture(file) puts a picture of a digit on the pad.
    padPicture(file) { return Promise.resolve(engine().padPicture(file)); },
    // panels() resolves with the canvas panels' rectangles in this page's
    // viewport, with their explanations; tour() with the tour's steps.
    async panels() {
      const f = frame.getBoundingClientRect();
      return (await engine().panels()).map((p) => Object.assign({}, p, {x: f.left + p.x, y: f.top + p.y}));
    },
    tour() { return Promise.resolve(engine().tour()); },
    padRect() {
      const r = engine().padRect();
      if (!r) return null;
      const f = frame.getBoundingClientRect();
      return {x: f.left + r.x, y: f.top + r.y, width: r.width, height: r.height};
    },
  };
  window.nnesim = api;

  // A finished run goes on when its stop moves later: Play and Step say so.
  function finishedHint(s) {
    if (!s || !s.done) return false;
    if (s.runs && s.runs.length > 1) {
      showHint('Every run of the race finished. Raise the stops (Stop at generation, Epochs) or change a setting, and press Apply.');
      return true;
    }
    if (s.unit === 'epoch') {
      showHint('The run finished at epoch ' + s.generation + '. Change a setting and press Apply for another run.');
      return true;
    }
    showHint('The run finished at generation ' + s.generation + '. Raise “Stop at generation” and press Apply to go on.');
    if (!document.body.classList.contains('embed')) { $('more').open = true; form.elements.generations.focus({preventScroll: true}); }
    return true;
  }
  function toggle() {
    const s = api.status();
    if (s && s.running) { api.pause(); event('pause'); }
    else if (!finishedHint(s)) { api.start(); event('play'); }
  }
  function step() { if (!finishedHint(api.status())) { api.step(); event('step'); } }
  function reset() { api.reset(); event('reset'); }
  $('play').addEventListener('click', toggle);
  $('step').addEventListener('click', step);
  $('reset').addEventListener('click', reset);
  // fileName is nnesim-seedS-genG.ext for the run of status s.
  const fileName = (s, ext) => 'nnesim-seed' + s.settings.seed + '-gen' + s.generation + '.' + ext;
  const runFileName = () => fileName(api.status(), names.runFileExtension);
  // runFileBuffer resolves with the run file as an ArrayBuffer of its own,
  // to transfer to another window (a course page, the tab an embed opened).
  const runFileBuffer = () => api.exportRun().then((data) => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  // download offers what get() resolves with as a file named
  // nnesim-seedS-genG.ext.
  async function download(what, get, ext, type) {
    try {
      const data = await get();
      const s = api.status();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([data], {type}));
      a.download = fileName(s, ext);
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (err) {
      showErrors([what + ' failed: ' + err.message]);
    }
  }
  // A sandboxed frame cannot tell whether its sandbox allows downloads
  // (the browser drops a download it forbids without a word), so an embed
  // without its own origin says what to do if no file came.
  for (const id of ['export', 'saverun']) {
    $(id).addEventListener('click', async () => {
      await download('Export', api.exportRun, names.runFileExtension, 'application/octet-stream');
      event('export');
      if (parentWin && self.origin === 'null') {
        showHint('If no file arrived, the course page\'s frame does not allow downloads (its sandbox needs allow-downloads, as the Embed snippet has): open the run with Open in nnesim ↗ and export it there.');
      }
    });
  }
  $('csv').addEventListener('click', () => download('Curves CSV', api.exportCurves, 'csv', 'text/csv'));
  $('png').addEventListener('click', () => download('Picture PNG', api.exportPNG, 'png', 'image/png'));
  // The snippet embeds the current run, compact, in the frame of Go's
  // pageurl.Snippet (snippet.js: a sandbox that lets its "Open in nnesim
  // ↗" link open a normal tab and its Export run button download the
  // run), as tall as its panels need at its width plus the embed's bar,
  // so it shows all it includes.
  const snippet = self.nnesimSnippet;
  $('embed').addEventListener('click', async () => {
    const q = new URLSearchParams(runQuery);
    q.set('embed', '1');
    q.delete('autostart');
    const panels = await Promise.resolve(engine().contentHeight(snippet.width)).catch(() => 0);
    const height = Math.ceil(panels > 0 ? panels + snippet.barHeight : 720);
    $('snippet').value = snippet.iframe(pageURL(q), height);
    $('embedbox').hidden = false;
    $('snippet').select();
  });
  $('copysnippet').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('snippet').value);
      $('copysnippet').textContent = 'Copied';
    } catch (err) {
      $('snippet').select();
      $('copysnippet').textContent = 'Press Ctrl+C';
    }
    setTimeout(() => { $('copysnippet').textContent = 'Copy'; }, 2000);
  });
  $('import').addEventListener('click', () => $('importfile').click());
  // A picture of a digit, chosen or dropped on the page, goes on the pad
  // (the canvas frame takes drops on itself).
  async function putPicture(file) {
    try {
      await api.padPicture(file);
      showErrors([]);
      showHint('The pad shows ' + file.name + ' as ink; the 28×28 beside it is what the networks read.');
    } catch (err) {
      showErrors([err.message]);
    }
  }
  // Several pictures are read by every run into a table: each one's
  // 28×28 input and what each run reads, the pad untouched.
  async function putPictures(files) {
    $('pictures').hidden = false;
    const box = $('picturestable');
    box.textContent = 'Every run is reading ' + files.length + ' pictures…';
    let rows;
    try {
      rows = await api.readPictures(files);
    } catch (err) {
      box.textContent = '';
      showErrors([err.message]);
      return;
    }
    box.textContent = '';
    const table = document.createElement('table');
    const cell = (row, tag, text) => { const c = document.createElement(tag); c.textContent = text; row.append(c); return c; };
    const labels = (rows.find((r) => r.runs) || {runs: []}).runs.map((r) => r.label);
    let row = table.insertRow();
    for (const h of ['what the networks see', 'picture'].concat(labels.map((l) => l + ' reads'))) cell(row, 'th', h);
    for (const r of rows) {
      row = table.insertRow();
      const c = document.createElement('canvas');
      const side = r.pixels ? Math.round(Math.sqrt(r.pixels.length)) : 1;
      c.width = c.height = side;
      row.insertCell().append(c);
      cell(row, 'td', r.name);
      if (r.error) {
        cell(row, 'td', '⚠ ' + r.error).colSpan = Math.max(1, labels.length);
        continue;
      }
      const img = c.getContext('2d').createImageData(side, side);
      r.pixels.forEach((v, i) => { const g = Math.round(255 * v); img.data.set([g, g, g, 255], 4 * i); });
      c.getContext('2d').putImageData(img, 0, 0);
      c.setAttribute('role', 'img');
      c.setAttribute('aria-label', 'the 28×28 input of ' + r.name);
      for (const run of r.runs) {
        if (!run.probs) { cell(row, 'td', '—'); continue; }
        const d = run.probs.indexOf(Math.max(...run.probs));
        cell(row, 'td', d + ' (' + Math.round(100 * run.probs[d]) + '%)');
      }
    }
    box.append(table);
  }
  $('picturesclose').addEventListener('click', () => { $('pictures').hidden = true; });
  // The dataset the runs learn (engine.js: data=, or IDX files dropped
  // or chosen): its classes, sizes and one image of each class; or why it
  // was refused. MNIST shows nothing.
  function showDataset(m) {
    const box = $('dataset');
    box.classList.toggle('error', !!m.error);
    if (!m.source && !m.error) { box.hidden = true; return; }
    box.hidden = false;
    $('usemnist').hidden = !m.classes;
    $('datasetrow').hidden = !m.sample;
    const where = m.source === 'dropped files' ? 'your files' : m.source;
    if (m.loading) { $('datasettext').textContent = m.text || 'reading ' + where + '…'; return; }
    if (m.error) { $('datasettext').textContent = m.error; return; }
    const n = (x) => x.toLocaleString('en');
    $('datasettext').textContent = where + ': ' + m.classList.length + ' classes (' + m.classes + '), ' + n(m.train) + ' training images (the runs sample from the first ' +
      n(m.pool) + '), ' + n(m.test) + ' test images. ' + m.notice;
    const c = $('datasetsample'), k = m.classList.length;
    c.width = 28 * k;
    const img = c.getContext('2d').createImageData(28 * k, 28);
    for (let i = 0; i < k; i++) {
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const v = 255 - m.sample[i * 784 + y * 28 + x], o = 4 * (y * 28 * k + i * 28 + x);
          img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
          img.data[o + 3] = 255;
        }
      }
    }
    c.getContext('2d').putImageData(img, 0, 0);
    const named = m.classList.map((d) => d + (m.names && m.names[d] ? ' ' + m.names[d] : ''));
    $('datasetnames').textContent = named.join(' · ');
    c.setAttribute('aria-label', 'One training image of each class: ' + named.join(', '));
  }
  function datasetFiles(files) {
    api.loadDataset(files).catch((err) => showErrors(['The dataset was not read: ' + err.message + '. The runs go on as they were.']));
  }
  $('datasetbtn').addEventListener('click', () => $('datafile').click());
  $('datafile').addEventListener('change', (ev) => {
    const files = Array.from(ev.target.files);
    ev.target.value = '';
    if (files.length) datasetFiles(files);
  });
  $('usemnist').addEventListener('click', () => api.useMNIST());
  function pictureFiles(files) {
    if (files.length > 1) putPictures(files);
    else if (files.length === 1) putPicture(files[0]);
  }
  $('picture').addEventListener('click', () => $('picturefile').click());
  $('picturefile').addEventListener('change', (ev) => {
    const files = Array.from(ev.target.files);
    ev.target.value = '';
    pictureFiles(files);
  });
  document.addEventListener('dragover', (ev) => { if (ev.dataTransfer && Array.from(ev.dataTransfer.types).includes('Files')) ev.preventDefault(); });
  document.addEventListener('drop', (ev) => {
    const files = ev.dataTransfer ? Array.from(ev.dataTransfer.files) : [];
    if (!files.length) return;
    ev.preventDefault();
    if (files.some((f) => self.nnesimIsDataFile(f.name))) datasetFiles(files);
    else pictureFiles(files);
  });
  $('resume').addEventListener('click', () => api.resumeSaved().catch((err) => showErrors(['Resume failed: ' + err.message])));
  $('discard').addEventListener('click', () => api.discardSaved());
  $('importfile').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    try {
      await api.importRun(new Uint8Array(await file.arrayBuffer()));
      showErrors([]);
      event('import', file.name);
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
    engine().configure(baseQuery(), false, formEdit());
    event('apply', baseQuery());
  });
  $('share').addEventListener('click', async () => {
    const link = pageURL(runQuery);
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
  // Choosing a preset fills the form with its values (from Go, see the
  // 'run' message), keeping the typed seed and workers; like every other
  // field it takes effect with Apply.
  // Choosing a rule fills the form with its defaults (from Go), keeping
  // the typed seed, digits and workers, and waits for Apply too.
  form.elements.algo.addEventListener('change', () => {
    const r = rules.find((x) => x.name === form.elements.algo.value);
    if (!r) return;
    const keep = {seed: form.elements.seed.value, digits: form.elements.digits.value, workers: form.elements.workers.value};
    fillForm(Object.assign({}, r.defaults, keep, {algo: r.name}));
    showHint(r.title + ' filled in: press Apply to start it. ' + (r.about || ''));
  });
  form.elements.preset.addEventListener('change', () => {
    const rule = rules.find((x) => x.name === form.elements.algo.value);
    const p = (rule && rule.presets ? rule.presets : presets)[form.elements.preset.value];
    if (!p) return;
    const keep = {seed: form.elements.seed.value, workers: form.elements.workers.value};
    fillForm(Object.assign({}, p, keep, {preset: form.elements.preset.value}));
    showHint('Preset ' + form.elements.preset.value + ' filled in: press Apply to start it.');
  });
  function onKey(key) {
    const k = key === ' ' ? ['play', toggle] : key === 's' || key === 'S' ? ['step', step] : key === 'r' || key === 'R' ? ['reset', reset] : null;
    if (!k) return false;
    if (locked(k[0])) lockedHint(k[0]); else k[1]();
    return true;
  }
  document.addEventListener('keydown', (ev) => {
    if (ev.target.closest && ev.target.closest('input, select, textarea, button')) return;
    if (onKey(ev.key)) ev.preventDefault();
  });
})();
