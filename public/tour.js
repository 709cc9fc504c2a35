// tour.js is the first-visit tour of index.html: four or five steps, each
// pointing at a control or a canvas panel (the steps and their words are
// Go's, render.Tour, read through window.nnesim.tour()). It shows once per
// browser (remembered in localStorage 'nnesim-tour'), never in an embed
// unless the URL says tour=1; tour=0 turns it off, tour=1 shows it even
// after it was seen. Skip, Done or Escape end it. It opens only over a
// page that is not training, and it lets strokes through to the pad
// below it: only its buttons take the pointer.
'use strict';
(() => {
  const key = 'nnesim-tour';
  const params = new URLSearchParams(location.search);
  const want = params.get('tour');
  const embedded = params.get('embed') === '1' || window.parent !== window;
  let seen = false;
  try { seen = localStorage.getItem(key) === 'done'; } catch (err) { /* storage off */ }
  if (want === '0' || (want !== '1' && (seen || embedded))) return;

  const api = () => window.nnesim;
  let steps = [], at = 0, box = null, marked = null, mark = null;

  function remember() {
    try { localStorage.setItem(key, 'done'); } catch (err) { /* not remembered where storage is off */ }
  }

  function end() {
    remember();
    unmark();
    if (box) box.remove();
    box = null;
    document.removeEventListener('keydown', onKey, true);
    window.removeEventListener('resize', place);
  }

  function onKey(ev) {
    if (ev.key === 'Escape') { ev.preventDefault(); end(); }
  }

  function unmark() {
    if (marked) marked.classList.remove('tour-target');
    marked = null;
    if (mark) mark.remove();
    mark = null;
  }

  // target returns the viewport rectangle the step points at.
  async function target(step) {
    if (step.target === 'play') {
      const el = document.getElementById('play');
      el.scrollIntoView({block: 'nearest'});
      return {el, rect: el.getBoundingClientRect()};
    }
    const panels = await api().panels();
    const name = step.target === 'info' ? 'curves' : step.target;
    const p = panels.find((q) => q.name === name);
    if (!p) return null;
    if (step.target === 'info') return {rect: {left: p.x + p.width - 34, top: p.y, width: 34, height: 34}};
    return {rect: {left: p.x, top: p.y, width: p.width, height: p.height}};
  }

  async function place() {
    if (!box) return;
    const step = steps[at];
    unmark();
    const t = await target(step);
    const vw = window.innerWidth, vh = window.innerHeight;
    let left = 16, top = 16;
    if (t) {
      const r = t.rect;
      if (t.el) {
        marked = t.el;
        marked.classList.add('tour-target');
      } else {
        mark = document.createElement('div');
        mark.className = 'tour-target';
        Object.assign(mark.style, {position: 'fixed', left: r.left + 'px', top: r.top + 'px', width: r.width + 'px', height: r.height + 'px',
          pointerEvents: 'none', zIndex: 19, borderRadius: '6px'});
        document.body.append(mark);
      }
      const w = Math.min(340, vw - 32);
      const h = box.offsetHeight || 160;
      // Beside the target if there is room, else below it, else above.
      if (r.left + r.width + 16 + w <= vw) { left = r.left + r.width + 16; top = r.top; }
      else if (r.top + r.height + 12 + h <= vh) { left = r.left; top = r.top + r.height + 12; }
      else { left = r.left; top = r.top - h - 12; }
      left = Math.max(8, Math.min(left, vw - w - 8));
      top = Math.max(8, Math.min(top, vh - h - 8));
    }
    Object.assign(box.style, {left: left + 'px', top: top + 'px'});
  }

  function show() {
    const step = steps[at];
    box.querySelector('p').textContent = step.text;
    box.querySelector('.tourstep').textContent = (at + 1) + ' of ' + steps.length;
    box.querySelector('.back').hidden = at === 0;
    box.querySelector('.next').textContent = at === steps.length - 1 ? 'Done' : 'Next';
    place();
    box.querySelector('.next').focus({preventScroll: true});
  }

  async function open() {
    steps = await api().tour();
    if (!steps || steps.length === 0) return;
    box = document.createElement('div');
    box.id = 'tour';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Tour of nnesim');
    box.innerHTML = '<p id="tourtext"></p><div class="tourbuttons"><span class="tourstep"></span>' +
      '<button type="button" class="skip">Skip tour</button><button type="button" class="back">Back</button>' +
      '<button type="button" class="next primary">Next</button></div>';
    box.setAttribute('aria-describedby', 'tourtext');
    box.querySelector('.skip').addEventListener('click', end);
    box.querySelector('.back').addEventListener('click', () => { at = Math.max(0, at - 1); show(); });
    box.querySelector('.next').addEventListener('click', () => { if (at === steps.length - 1) end(); else { at++; show(); } });
    document.body.append(box);
    document.addEventListener('keydown', onKey, true);
    window.addEventListener('resize', place);
    show();
  }

  // Start once the canvas has drawn its panels (the first status), unless
  // a run already trains (autostart=1, a resumed race): the tour's first
  // step says "Press Play", so it waits for the next visit.
  const started = setInterval(() => {
    const s = api() && api().status();
    if (s && s.settings) {
      clearInterval(started);
      const idle = () => !api().status().running && params.get('autostart') !== '1';
      if (idle()) setTimeout(() => { if (idle()) open().catch(() => {}); }, 300);
    }
  }, 200);
  self.nnesimTour = {end};
})();
