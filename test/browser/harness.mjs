// harness.mjs starts what the browser tests and the benchmark share: the
// site served by bin/nnesim serve on a random local port, and Debian's
// headless Chromium in a throw-away profile.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// serve starts nnesim serve on public/ and resolves with its base URL and
// a stop function.
export async function serve() {
  const port = 18000 + Math.floor(Math.random() * 2000);
  const server = spawn(path.join(root, 'bin/nnesim'), ['serve', '-dir', path.join(root, 'public'), '-addr', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(); });
    server.on('exit', (code) => reject(new Error('nnesim serve exited with ' + code)));
  });
  return { base: `http://127.0.0.1:${port}/`, stop: () => server.kill() };
}

// throttled starts a proxy to target (a base URL) that sends every answer
// through one shared link of mbit Mbit/s, each after latency ms, as a
// phone's connection is shared by the page, its frame, its workers and
// its service worker (DevTools' network emulation throttles a page's own
// requests, not its workers'). The link is shared fairly: each tick, the
// answers with bytes waiting split its bytes. It resolves with {base,
// bytes() (body bytes sent so far), close()}.
export async function throttled(target, { mbit, latency }) {
  const up = new URL(target);
  const perMs = mbit * 1e6 / 8 / 1000;
  const tick = 5;
  const active = new Set(); // {res, chunks, ended}
  let sent = 0, spare = 0;
  const timer = setInterval(() => {
    let budget = perMs * tick + spare;
    while (budget >= 1 && active.size) {
      const share = Math.max(1, Math.floor(budget / active.size));
      let used = 0;
      for (const a of [...active]) {
        let room = share;
        while (room > 0 && a.chunks.length) {
          const c = a.chunks[0];
          const n = Math.min(room, c.length);
          a.res.write(c.subarray(0, n));
          if (n === c.length) a.chunks.shift(); else a.chunks[0] = c.subarray(n);
          room -= n; used += n;
        }
        if (!a.chunks.length && a.ended) { a.res.end(); active.delete(a); }
      }
      sent += used;
      budget -= used;
      if (!used) break; // what waits has not come from the server yet
    }
    spare = Math.min(budget, perMs * tick);
  }, tick);
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      const fwd = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        const a = { res, chunks: [], ended: false };
        active.add(a);
        r.on('data', (c) => a.chunks.push(c));
        r.on('end', () => { a.ended = true; });
      });
      fwd.on('error', () => { res.statusCode = 502; res.end(); });
      req.pipe(fwd);
    }, latency);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}/`,
    bytes: () => sent,
    close: () => { clearInterval(timer); server.closeAllConnections(); server.close(); },
  };
}

// launch opens headless Chromium (software GL) with a fresh profile and the
// given context options; close() also removes the profile. The profile
// has seen the first-visit tour (so that it covers nothing the tests
// click) unless options.firstVisit is true.
export async function launch(options = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnesim-chromium-'));
  const { firstVisit, ...rest } = options;
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 900 },
    ...rest,
  });
  if (!firstVisit) await ctx.addInitScript(() => { try { localStorage.setItem('nnesim-tour', 'done'); } catch (err) { /* storage off */ } });
  ctx.closeAll = async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return ctx;
}

// tabMemory returns the memory of Chromium's renderer processes, where
// the page and its workers live: {rss} (resident, which counts the shared
// libraries' pages too) and {private} (what Chrome's task manager calls
// the tab's memory footprint: Private_Clean + Private_Dirty of
// /proc/PID/smaps_rollup), in bytes.
export function tabMemory() {
  const pids = execFileSync('ps', ['-C', 'chromium', '-o', 'pid=,args='], { encoding: 'utf8' })
    .split('\n').filter((l) => /--type=renderer/.test(l) && !/--extension-process|top-chrome/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
  const field = (text, name) => Number((text.match(new RegExp('^' + name + ':\\s+(\\d+) kB', 'm')) || [0, 0])[1]) * 1024;
  let rss = 0, priv = 0;
  for (const pid of pids) {
    try {
      const t = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += field(t, 'Rss');
      priv += field(t, 'Private_Clean') + field(t, 'Private_Dirty');
    } catch (err) { /* the process ended */ }
  }
  return { rss, private: priv };
}
