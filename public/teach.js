// teach.js is the lesson builder's wiring (teach.html): its form is made
// from the lists Go writes into names.js (the rules, presets, panels,
// page groups, settings, and wasm/lesson's challenges and controls), its
// outputs are the page's URL parameters, and the preview is the embed
// itself, whose own parser (Go's pageurl and learner) names every wrong
// value: the builder checks nothing twice.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const N = self.nnesimNames;
  const form = $('lesson');
  const snippet = self.nnesimSnippet;

  function box(parent, name, value, text, checked, title) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = name;
    input.value = value;
    input.checked = !!checked;
    label.append(input, ' ' + text);
    if (title) label.title = title;
    parent.append(label);
  }
  N.rules.forEach((r, i) => box($('rules'), 'algo', r, r, i === 0));
  for (const g of Object.keys(N.pageGroups)) box($('hide'), 'hide', g, 'hide the ' + g);
  for (const g of Object.keys(N.panelGroups)) box($('hide'), 'hide', g, 'hide the ' + g + ' panels');
  for (const p of N.panels) box($('hide'), 'hide', p, 'hide the ' + p + ' panel');
  for (const c of N.lesson.controls) box($('locks'), 'lock', c.name, c.name, false, c.covers);
  box($('locks'), 'lock', N.lesson.allSettings, 'every setting');
  for (const s of N.settings) box($('locks'), 'lock', s, s);
  for (const p of N.presets) form.elements.preset.add(new Option(p, p));
  for (const r of N.rules) form.elements.rule.add(new Option(r, r));
  for (const k of N.lesson.kinds) form.elements.challenge.add(new Option(k.name, k.name));

  const checked = (name) => Array.from(form.querySelectorAll('input[name="' + name + '"]')).filter((b) => b.checked).map((b) => b.value);
  const value = (name) => form.elements[name].value.trim();

  // query is the embed's URL query for the form: the run's settings,
  // then the page's parameters.
  function query() {
    const q = new URLSearchParams(value('extra').replace(/^[?&]+/, ''));
    const rules = checked('algo');
    if (rules.length) q.set('algo', rules.join(','));
    for (const k of ['digits', 'preset', 'seed']) if (value(k)) q.set(k, value(k));
    const hide = checked('hide');
    if (hide.length) q.set('hide', hide.join(','));
    if (value('tour')) q.set('tour', value('tour'));
    if (form.elements.autostart.checked) q.set('autostart', '1');
    const kind = N.lesson.kinds.find((k) => k.name === value('challenge'));
    if (kind) {
      q.set('challenge', kind.name);
      // A parameter the builder has no field for is left to its default
      // (and named below, for the builder to gain one).
      for (const p of kind.params) if (form.elements[p] && value(p)) q.set(p, value(p));
    }
    const locks = checked('lock');
    if (locks.length) q.set('lock', locks.join(','));
    return q;
  }
  function showKind() {
    const kind = N.lesson.kinds.find((k) => k.name === value('challenge'));
    const missing = kind ? kind.params.filter((p) => !form.elements[p]) : [];
    $('kinddoc').textContent = kind ? kind.doc + (missing.length ? ' (this page has no field for ' + missing.join(', ') + ': its default holds)' : '') : '';
    for (const label of form.querySelectorAll('[data-param]')) label.hidden = !kind || !kind.params.includes(label.dataset.param);
  }

  const site = new URL('./', location.href);
  let height = 600;
  let shown = '';
  let timer = 0;
  function update() {
    showKind();
    const q = query();
    const full = new URL('index.html?' + q.toString(), site);
    q.set('embed', '1');
    const embed = new URL('index.html?' + q.toString(), site).toString();
    $('outlink').value = full.toString();
    $('outsnippet').value = snippet.iframe(embed, height);
    $('outxml').value = snippet.jsinput(embed, height);
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (embed === shown) return;
      shown = embed;
      errors = [];
      showErrors();
      $('preview').src = embed;
    }, 400);
  }
  // The preview is framed as the snippet frames it.
  $('preview').setAttribute('sandbox', N.snippet.sandbox);
  $('preview').width = snippet.width;

  // The preview says what is wrong (nnesim:error) and how tall it is
  // (nnesim:resize): the builder shows the one and sizes the frame and
  // the snippet by the other.
  let errors = [];
  function showErrors() {
    $('teacherrors').hidden = errors.length === 0;
    $('teacherrors').textContent = errors.map((e) => '⚠ ' + e).join('\n');
  }
  const P = self.nnesimMessages.page;
  window.addEventListener('message', (ev) => {
    if (ev.source !== $('preview').contentWindow || !ev.data || typeof ev.data !== 'object') return;
    const m = ev.data;
    if (m.type === P.error && typeof m.message === 'string') {
      errors = Array.from(new Set(errors.concat(m.message.split('\n'))));
      showErrors();
    } else if (m.type === P.resize && m.height > 0) {
      height = Math.ceil(m.height);
      $('preview').height = height;
      $('outsnippet').value = snippet.iframe(shown, height);
      $('outxml').value = snippet.jsinput(shown, height);
    }
  });
  for (const b of document.querySelectorAll('[data-copy]')) {
    b.addEventListener('click', async () => {
      const t = $(b.dataset.copy);
      const label = b.textContent;
      try {
        await navigator.clipboard.writeText(t.value);
        b.textContent = 'Copied';
      } catch (err) {
        t.select();
        b.textContent = 'Press Ctrl+C';
      }
      setTimeout(() => { b.textContent = label; }, 2000);
    });
  }
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (ev) => ev.preventDefault());
  update();
})();
