// embed-example.js is the course page's own script (embed-example.html):
// it embeds nnesim, follows its status messages and sends it commands.
'use strict';
const sim = document.getElementById('sim');
const q = new URLSearchParams(location.search);
if (!q.has('embed')) q.set('embed', '1');
if (!q.has('preset')) q.set('preset', 'quick');
sim.src = 'index.html?' + q.toString();
// Events from the simulator, for tests and for the curious.
window.nnesimEvents = [];
window.addEventListener('message', (ev) => {
  if (ev.source !== sim.contentWindow || !ev.data || typeof ev.data.type !== 'string') return;
  const m = ev.data;
  window.nnesimEvents.push(m);
  if (m.type === 'nnesim:status') {
    const acc = m.testAccuracy === null ? '—' : (100 * m.testAccuracy).toFixed(1) + '%';
    document.getElementById('progress').textContent = 'Generation ' + m.generation + ', test accuracy ' + acc;
    if (m.testAccuracy >= 0.8 && document.getElementById('quiz').hidden) {
      document.getElementById('at').textContent = m.generation;
      document.getElementById('quiz').hidden = false;
    }
  } else if (m.type === 'nnesim:error') {
    document.getElementById('log').textContent = 'nnesim: ' + m.message;
  }
});
for (const c of ['play', 'pause']) {
  document.getElementById(c).addEventListener('click', () =>
    sim.contentWindow.postMessage({type: 'nnesim:command', command: c === 'play' ? 'start' : 'pause'}, '*'));
}
