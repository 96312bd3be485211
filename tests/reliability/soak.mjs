// Soak (issue #11, docs/reliability.md): mixed reads and writes (tests/reliability/soak.lua) at
// 256 connections for 10 minutes against `chidoan serve` on the demo. Holds:
//   - zero 5xx (and zero other errors: every request of the mix is valid);
//   - zero lost writes: every write answered 201 is in the database afterwards;
//   - RSS flat: its mean over the last minute less than 10% above its mean over the first minute
//     after the warm-up.
//
//   node tests/reliability/soak.mjs [--minutes 10] [--connections 256] [--warmup 60]
// On PostgreSQL when CHIDOAN_TEST_PG is set (a throwaway database of that server), else SQLite.
// Needs wrk (Debian's package). Prints the RSS samples, the mix's figures and a summary line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../e2e/server.mjs';
import { sleep, startChidoan, stopProcess, which } from '../support/processes.mjs';
import { loadDemo, scratch, setUpWorld, vnDay } from './world.mjs';

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    connections: { type: 'string', default: '256' },
    warmup: { type: 'string', default: '60' }, // seconds
  },
});
const SECONDS = Math.round(Number(opts.minutes) * 60);
const WARMUP = Number(opts.warmup);

const run = scratch('chidoan_soak');
const { dir, store, fail } = run;

const wrk = which('wrk', '');
if (!wrk) fail('wrk is not installed (apt install wrk)');

const token = loadDemo(store.db);
// As many workers as cores: the deployment's default shape (docs/operations.md).
const server = await startChidoan(dir, 'soak', store.db, []);
run.server = server;
const world = await setUpWorld(server.baseURL, token, (m) => fail(`set-up: ${m}`));
const pid = server.p.proc.pid;

function rssMiB() {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) / 1024;
}

const load = spawn(wrk, ['-t2', `-c${opts.connections}`, `-d${SECONDS}s`, '--timeout', '10s', '--latency',
  '-s', path.join(ROOT, 'tests/reliability/soak.lua'), server.baseURL], {
  env: {
    ...process.env, SOAK_TOKEN: token, SOAK_BRANCH: String(world.branch), SOAK_CAMPAIGN: String(world.campaign),
    SOAK_MEMBER: String(world.roll[0]), SOAK_DAY: vnDay(0), SOAK_DIR: dir,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let wrkOut = '';
load.stdout.on('data', (d) => { wrkOut += d; });
const wrkDone = new Promise((resolve) => load.on('exit', resolve));

// RSS every 5 s while the load runs.
const samples = [];
const t0 = Date.now();
let running = true;
wrkDone.then(() => { running = false; });
while (running) {
  if (server.p.exit !== null) fail(`the server exited during the soak: ${JSON.stringify(server.p.exit)}`);
  samples.push({ t: Math.round((Date.now() - t0) / 1000), rss: rssMiB() });
  await Promise.race([sleep(5000), wrkDone]);
}
const code = await wrkDone;
if (code !== 0) fail(`wrk exited ${code}:\n${wrkOut}`);
const line = wrkOut.split('\n').find((l) => l.startsWith('SOAK '));
if (!line) fail(`wrk printed no figures:\n${wrkOut}`);
const figures = JSON.parse(line.slice(5));
await sleep(1000); // the last writes in flight when wrk stopped finish
const exit = await stopProcess(server.p);
if (exit !== 0) fail(`the server should exit 0 on SIGTERM, got ${exit}`);

// Every acknowledged write, looked up.
const acked = fs.readdirSync(dir).filter((f) => f.startsWith('acked-'))
  .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));
const emails = new Set(store.query("SELECT email FROM members WHERE email LIKE '%@soak.test'").map((r) => r[0]));
const notes = new Set(store.query(`SELECT note FROM contributions WHERE campaign_id = ${world.campaign}`).map((r) => r[0]));
const lost = acked.filter((k) => !(k.includes('@') ? emails : notes).has(k));

// Growth is the trend, not the sampling's ripple (a few MiB either way as requests come and go):
// the mean of the last minute against the mean of the first minute after the warm-up.
const mean = (xs) => xs.reduce((a, s) => a + s.rss, 0) / xs.length;
const warm = samples.filter((s) => s.t >= WARMUP);
const last = samples.at(-1)?.t ?? 0;
const base = mean(warm.filter((s) => s.t < WARMUP + 60));
const end = mean(warm.filter((s) => s.t > last - 60));
const peak = Math.max(...warm.map((s) => s.rss));
const growth = (end - base) / base;
console.log(`# RSS (MiB) every 5 s: ${samples.map((s) => s.rss.toFixed(0)).join(' ')}`);
const statuses = Object.entries(figures.statuses).map(([s, n]) => `${s}: ${n}`).join(', ');
const rate = (figures.requests / SECONDS).toFixed(0);
console.log(`# ${store.engine}: ${SECONDS} s at ${opts.connections} connections: ${figures.requests} requests ` +
  `(${rate}/s; p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms); statuses ${statuses}; ` +
  `socket errors ${JSON.stringify(figures.errors)}`);
console.log(`# writes acknowledged ${acked.length} (${emails.size} members, ${notes.size} contributions in the database), ` +
  `lost ${lost.length}; RSS (mean of a minute) after the ${WARMUP} s warm-up ${base.toFixed(1)} MiB, at the end ` +
  `${end.toFixed(1)} MiB (${(growth * 100).toFixed(1)}%), peak ${peak.toFixed(1)} MiB`);

const problems = [];
const fivexx = Object.entries(figures.statuses).filter(([s]) => Number(s) >= 500).reduce((a, [, n]) => a + n, 0);
const other = Object.entries(figures.statuses).filter(([s]) => !['200', '201'].includes(s)).reduce((a, [, n]) => a + n, 0);
if (fivexx) problems.push(`${fivexx} responses were 5xx`);
if (other - fivexx) problems.push(`${other - fivexx} responses were neither 200 nor 201`);
if (figures.errors.timeout) problems.push(`${figures.errors.timeout} requests timed out (10 s)`);
if (lost.length) problems.push(`${lost.length} acknowledged writes are lost, e.g. ${lost.slice(0, 3).join(', ')}`);
if (acked.length === 0) problems.push('no write was acknowledged: the soak tested nothing');
if (!(growth < 0.10)) problems.push(`RSS grew ${(growth * 100).toFixed(1)}% after the warm-up`);
for (const p of problems) console.log(`not ok: ${p}`);
console.log(`# result: ${problems.length ? 0 : 1} passed, ${problems.length ? 1 : 0} failed`);
process.exitCode = problems.length ? 1 : 0;
