// slowest.mjs is a reporter that prints, at the end of a run, the ten
// slowest tests and their durations.
export default class Slowest {
  constructor() { this.done = []; }

  onTestEnd(test, result) {
    this.done.push({ title: test.title, project: test.parent.project()?.name || '', ms: result.duration, status: result.status });
  }

  onEnd() {
    const top = this.done.sort((a, b) => b.ms - a.ms).slice(0, 10);
    if (!top.length) return;
    console.log('\nThe 10 slowest tests:');
    for (const t of top) {
      console.log(`  ${(t.ms / 1000).toFixed(1).padStart(6)} s  [${t.project}] ${t.title.length > 110 ? t.title.slice(0, 109) + '…' : t.title}${t.status === 'passed' ? '' : ' (' + t.status + ')'}`);
    }
  }

  printsToStdio() { return true; }
}
