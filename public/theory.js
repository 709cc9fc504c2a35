// theory.js wires the Theory view (theory.html) to theory.wasm (Go's
// wasm/theory, which holds the run, its pace and its pictures): the
// buttons, the settings form built from Go's list, the two canvases drawn
// from Go's pixels, the ⓘ texts and the screen reader's sentences.
'use strict';
(async () => {
  const $ = (id) => document.getElementById(id);
  const canvases = [$('curve'), $('alleles')];
  const showErrors = (lines) => {
    $('errors').hidden = lines.length === 0;
    $('errors').textContent = lines.join('\n');
  };
  let api;
  try {
    const go = new Go();
    const res = await fetch('theory.wasm');
    if (!res.ok) throw new Error('theory.wasm: HTTP ' + res.status + ' (was the site built with ./build.sh?)');
    const {instance} = await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
    go.run(instance).then(() => showErrors(['The Theory view stopped: its Go runtime exited.']));
    api = self.nnesimTheory;
    if (!api) throw new Error('theory.wasm did not start');
  } catch (err) {
    showErrors(['The Theory view could not load: ' + (err.message || err)]);
    return;
  }

  let running = false, dirty = true, query = location.search;
  const setRunning = (on) => {
    running = on;
    $('play').textContent = on ? 'Pause' : 'Play';
  };
  // start begins a run of q's settings; the link becomes the run's.
  function start(q) {
    const r = api.start(q);
    showErrors(r.errors.concat(r.fatal ? ['The run could not start: ' + r.fatal] : []));
    query = r.query ? '?' + r.query : '';
    history.replaceState(null, '', location.pathname + query + location.hash);
    fillForm();
    setRunning(false);
    dirty = true;
    show(api.advance(performance.now(), false, 1));
  }
  function fillForm() {
    const box = $('fields');
    box.textContent = '';
    for (const f of api.form()) {
      const label = document.createElement('label');
      label.textContent = f.about;
      const input = document.createElement(f.choices ? 'select' : 'input');
      for (const c of f.choices || []) input.add(new Option(c, c));
      input.name = f.name;
      input.value = f.value;
      label.appendChild(input);
      box.appendChild(label);
    }
  }
  function show(r) {
    $('where').textContent = r.stop ? `generation ${r.generation} of ${r.stop} · cos(W·p, a) ${r.cos.toFixed(3)}` : '';
    if (r.said) $('said').textContent = r.said;
    if (r.done && running) setRunning(false);
    if (r.changed) dirty = true;
  }
  function draw() {
    const dark = !!(self.nnesimTheme && self.nnesimTheme.dark());
    canvases.forEach((c, i) => {
      const d = api.draw(i, c.clientWidth, c.clientHeight, window.devicePixelRatio || 1, dark);
      if (!d) return;
      c.width = d.width;
      c.height = d.height;
      c.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(d.pixels.buffer), d.width, d.height), 0, 0);
    });
    dirty = false;
  }
  function frame() {
    show(api.advance(performance.now(), running, Number($('speed').value)));
    if (dirty) draw();
    requestAnimationFrame(frame);
  }

  $('play').onclick = () => setRunning(!running);
  $('stepone').onclick = () => { setRunning(false); show(api.step()); };
  $('reset').onclick = () => start(query);
  $('settings').onsubmit = (ev) => {
    ev.preventDefault();
    start('?' + new URLSearchParams(new FormData($('settings'))).toString());
  };
  $('defaults').onclick = () => start('');
  const texts = api.explain();
  for (const b of document.querySelectorAll('button.info')) {
    const t = texts[Number(b.dataset.panel)];
    const cap = b.closest('figure').querySelector('.about');
    b.setAttribute('aria-label', 'About: ' + t.title);
    cap.textContent = t.title + '. ' + t.about;
    b.onclick = () => {
      cap.hidden = !cap.hidden;
      b.setAttribute('aria-expanded', String(!cap.hidden));
    };
  }
  new ResizeObserver(() => { dirty = true; }).observe(canvases[0]);
  if (self.nnesimTheme) self.nnesimTheme.onChange(() => { dirty = true; });
  start(query);
  requestAnimationFrame(frame);
})();
