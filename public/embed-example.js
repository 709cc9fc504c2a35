// embed-example.js is the course page's own script (embed-example.html):
// it embeds nnesim, follows its status messages and sends it commands.
'use strict';
const sim = document.getElementById('sim');
const q = new URLSearchParams(location.search);
if (!q.has('embed')) q.set('embed', '1');
if (!q.has('preset')) q.set('preset', 'quick');
sim.src = 'index.html?' + q.toString();
// In a race, when each run passed 90% test accuracy (training seconds).
const passed = new Map();
// Events from the simulator, for tests and for the curious.
window.nnesimEvents = [];
window.addEventListener('message', (ev) => {
  if (ev.source !== sim.contentWindow || !ev.data || typeof ev.data.type !== 'string') return;
  const m = ev.data;
  window.nnesimEvents.push(m);
  if (m.type === 'nnesim:status' && m.runs && m.runs.length > 1) {
    // A race (?algo=nne,dnn,sgd): which rule passed 90% first, in
    // training seconds, from the messages alone.
    for (const r of m.runs) {
      if (r.testAccuracy >= 0.9 && !passed.has(r.label)) passed.set(r.label, r.seconds);
    }
    const order = Array.from(passed).sort((a, b) => a[1] - b[1]);
    document.getElementById('progress').textContent = m.runs.map((r) => r.label + ' ' + (r.testAccuracy === null ? '—' : (100 * r.testAccuracy).toFixed(1) + '%')).join(' · ');
    if (order.length > 0) {
      const race = document.getElementById('race');
      race.hidden = false;
      race.textContent = 'First past 90%: ' + order.map(([label, s]) => label + ' (' + s.toFixed(1) + ' s)').join(', then ');
    }
  } else if (m.type === 'nnesim:status') {
    const acc = m.testAccuracy === null ? '—' : (100 * m.testAccuracy).toFixed(1) + '%';
    document.getElementById('progress').textContent = 'Generation ' + m.generation + ', test accuracy ' + acc;
    if (m.testAccuracy >= 0.8 && document.getElementById('quiz').hidden) {
      document.getElementById('at').textContent = m.generation;
      document.getElementById('quiz').hidden = false;
    }
  } else if (m.type === 'nnesim:resize') {
    // The height the simulator's content needs: every panel shows.
    sim.style.height = m.height + 'px';
  } else if (m.type === 'nnesim:pad') {
    // The student drew: what each run read.
    document.getElementById('drawn').textContent = 'You drew a digit; ' +
      m.predictions.filter((p) => p).map((p) => p.run + ' reads ' + p.label).join(', ') + '.';
  } else if (m.type === 'nnesim:runfile') {
    // The run file, asked for with the command export: this page only
    // says it has it; a course would store it for the student.
    const kept = document.getElementById('kept');
    kept.hidden = false;
    kept.textContent = 'Kept ' + m.name + ' (' + m.data.byteLength + ' bytes).';
  } else if (m.type === 'nnesim:error') {
    document.getElementById('log').textContent = 'nnesim: ' + m.message;
  }
});
document.getElementById('keep').addEventListener('click', () => sim.contentWindow.postMessage({type: 'nnesim:command', command: 'export'}, '*'));
for (const c of ['play', 'pause']) {
  document.getElementById(c).addEventListener('click', () =>
    sim.contentWindow.postMessage({type: 'nnesim:command', command: c === 'play' ? 'start' : 'pause'}, '*'));
}
