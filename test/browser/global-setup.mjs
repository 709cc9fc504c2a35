// global-setup.mjs starts one nnesim serve on public/ for the whole run;
// the workers find its URL in NNESIM_BASE. The function it returns stops
// the server at the end of the run.
import fs from 'node:fs';
import path from 'node:path';
import { root, serve } from './harness.mjs';

export default async function globalSetup() {
  fs.mkdirSync(path.join(root, 'test/browser/out'), { recursive: true });
  const server = await serve();
  process.env.NNESIM_BASE = server.base;
  return async () => server.stop();
}
