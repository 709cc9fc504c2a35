// overlay.js lays HTML over the canvas panels of this frame (app.html), so
// that the pictures explain themselves and can be read without seeing
// them. Each panel gets:
//   - a text alternative: an element with role="img" over the panel whose
//     label says what it shows now (accuracy, generation, fixed share, the
//     pad's answers), updated as it changes;
//   - an ⓘ button that opens the panel's explanation: what it shows, which
//     equation or figure of the paper it is, what to look for.
// And the pad's Clear button and the digit grid's pager get real buttons
// over them, and the confusion matrix a keyboard ring: Tab reaches it,
// the arrow keys move from cell to cell (and to a row's label), and Enter
// or Space shows that cell's test digits, as a click does.
// The ⓘ is the letter i in a circle drawn by app.html's style. The words
// are Go's (nnesimApp.panels(): render.Explain and the app's
// describe); this file only places them.
'use strict';
(() => {
  const layer = document.createElement('div');
  layer.id = 'overlay';
  document.body.appendChild(layer);
  const items = new Map(); // panel name → {box, button, note}
  const clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'pad-clear';
  clear.textContent = 'Clear';
  clear.setAttribute('aria-label', 'Clear the pad');
  clear.hidden = true;
  clear.addEventListener('click', (ev) => { ev.stopPropagation(); if (window.nnesimApp) window.nnesimApp.clearPad(); });
  layer.appendChild(clear);
  let open = null;         // the item whose explanation is shown

  // The grid's pager: prev, next and all, pressed as a click presses them
  // (engine.js's self.nnesimPress).
  const centre = (r) => [r.x + r.width / 2, r.y + r.height / 2];
  const pager = {};
  for (const [name, label] of [['prev', 'Previous page of test digits'], ['next', 'Next page of test digits'], ['all', 'Show all test digits again']]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'grid-btn';
    b.setAttribute('aria-label', label);
    b.hidden = true;
    b.addEventListener('click', (ev) => { ev.stopPropagation(); if (pager[name].rect && self.nnesimPress) self.nnesimPress(...centre(pager[name].rect)); });
    b.addEventListener('keydown', (ev) => { if (ev.key === ' ' || ev.key === 'Enter') ev.stopPropagation(); }); // not the page's shortcuts
    layer.appendChild(b);
    pager[name] = {button: b, rect: null};
  }
  // The confusion matrix's ring: the cell (t, p) of class indices, p = -1
  // for the row's label.
  const conf = document.createElement('div');
  conf.className = 'conf-keys';
  conf.tabIndex = 0;
  conf.setAttribute('role', 'group');
  conf.setAttribute('aria-label', 'Confusion matrix cells: the arrow keys choose a cell, Enter shows its test digits in the grid');
  const ring = document.createElement('div');
  ring.className = 'conf-ring';
  ring.hidden = true;
  const said = document.createElement('div');
  said.className = 'sronly';
  said.setAttribute('aria-live', 'polite');
  conf.hidden = true;
  layer.append(conf, ring, said);
  const cell = {t: 0, p: 0};
  function showRing() {
    const r = document.activeElement === conf && window.nnesimApp ? window.nnesimApp.confusionCell(cell.t, cell.p) : null;
    ring.hidden = !r;
    if (r) Object.assign(ring.style, {left: r.x + 'px', top: r.y + 'px', width: r.width + 'px', height: r.height + 'px'});
  }
  conf.addEventListener('focus', () => { showRing(); said.textContent = cellWords(); });
  conf.addEventListener('blur', () => { ring.hidden = true; });
  function cellWords() { return cell.p < 0 ? 'row of class ' + (cell.t + 1) + ': every test image of it' : 'true class ' + (cell.t + 1) + ', read as class ' + (cell.p + 1); }
  conf.addEventListener('keydown', (ev) => {
    const app = window.nnesimApp;
    if (!app) return;
    const moves = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
    if (moves[ev.key]) {
      const [dt, dp] = moves[ev.key];
      const t = cell.t + dt, p = Math.max(-1, cell.p + dp);
      if (app.confusionCell(t, Math.max(0, p))) { cell.t = t; cell.p = p; }
      showRing();
      said.textContent = cellWords();
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      const r = app.confusionCell(cell.t, cell.p);
      if (r && self.nnesimPress) self.nnesimPress(...centre(r));
    } else {
      return;
    }
    ev.preventDefault();
    ev.stopPropagation(); // not the page's shortcuts
  });

  function show(it, on) {
    if (open && open !== it) show(open, false);
    it.note.hidden = !on;
    it.button.setAttribute('aria-expanded', String(on));
    open = on ? it : null;
  }

  function create(name) {
    const box = document.createElement('div');
    box.className = 'panel-alt';
    box.setAttribute('role', 'img');
    const button = document.createElement('button');
    button.className = 'panel-info';
    button.type = 'button';
    button.textContent = 'i'; // drawn as ⓘ by app.html's style (not every font has the glyph)
    button.dataset.panel = name;
    const note = document.createElement('div');
    note.className = 'panel-note';
    note.id = 'about-' + name;
    note.setAttribute('role', 'note');
    note.hidden = true;
    button.setAttribute('aria-controls', note.id);
    button.setAttribute('aria-expanded', 'false');
    const it = {box, button, note, hoveredAt: -Infinity};
    // A click or tap toggles it; a mouse hovering opens it too (so the
    // click that follows a hover keeps it open), and leaving closes it.
    button.addEventListener('click', (ev) => {
      ev.stopPropagation();
      const justHovered = performance.now() - it.hoveredAt < 1000; // only the click that follows the hover
      it.hoveredAt = -Infinity;
      show(it, note.hidden || justHovered);
    });
    button.addEventListener('pointerenter', (ev) => { if (ev.pointerType === 'mouse') { it.hoveredAt = performance.now(); show(it, true); } });
    button.addEventListener('pointerleave', (ev) => { if (ev.pointerType === 'mouse' && !note.matches(':hover')) show(it, false); });
    note.addEventListener('pointerleave', (ev) => { if (ev.pointerType === 'mouse') show(it, false); });
    layer.append(box, button, note);
    items.set(name, it);
    return it;
  }

  // refresh places every shown panel's elements and updates their words.
  function refresh() {
    const app = window.nnesimApp;
    if (!app) return;
    const seen = new Set();
    let confPanel = null;
    for (const p of app.panels()) {
      seen.add(p.name);
      if (p.name === 'confusion') confPanel = p;
      const it = items.get(p.name) || create(p.name);
      Object.assign(it.box.style, {left: p.x + 'px', top: p.y + 'px', width: p.width + 'px', height: p.height + 'px'});
      it.box.setAttribute('aria-label', p.title + '. ' + p.alt);
      it.button.style.left = (p.x + p.width - 30) + 'px';
      it.button.style.top = (p.y + 4) + 'px';
      it.button.setAttribute('aria-label', 'About: ' + p.title);
      it.button.title = 'About: ' + p.title;
      it.note.textContent = p.about;
      const w = Math.min(360, p.width - 16);
      Object.assign(it.note.style, {left: Math.max(p.x + 8, p.x + p.width - 8 - w) + 'px', top: (p.y + 32) + 'px', width: w + 'px'});
    }
    // The pad's Clear button, as a real button over the drawn one: a
    // quick tap (shorter than a frame) and the keyboard press it.
    const place = (el, r) => { el.hidden = !r; if (r) Object.assign(el.style, {left: r.x + 'px', top: r.y + 'px', width: r.width + 'px', height: r.height + 'px'}); };
    place(clear, app.clearRect());
    const g = app.gridButtons();
    // (The app keeps the pager's last places while the grid is not shown.)
    for (const name of Object.keys(pager)) { pager[name].rect = seen.has('grid') ? g[name] : null; place(pager[name].button, pager[name].rect); }
    place(conf, confPanel);
    showRing();
    for (const [name, it] of items) {
      if (seen.has(name)) continue;
      if (open === it) open = null;
      it.box.remove(); it.button.remove(); it.note.remove();
      items.delete(name);
    }
  }

  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && open) { open.button.focus(); show(open, false); } });
  document.addEventListener('pointerdown', (ev) => { if (open && !open.note.contains(ev.target) && ev.target !== open.button) show(open, false); });
  window.addEventListener('resize', () => setTimeout(refresh, 50));
  setInterval(refresh, 1000);
  self.nnesimOverlay = {refresh};
})();
