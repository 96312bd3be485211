// Processes and databases for the scripts and tests that run the real binary outside a browser:
// the cluster test (tests/e2e/cluster.test.mjs) and the reliability scripts (tests/reliability/).
//
//   const store = throwawayDatabase(dir, pgUrl);   // a PostgreSQL database of pgUrl, or one SQLite file
//   const s = await startChidoan(dir, 'A', store.db);
//   ... s.baseURL ...
//   await stopProcess(s.p);  store.drop();
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, freePort } from '../e2e/server.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `name` from PATH, else `fallback`. */
export function which(name, fallback) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : fallback;
}

// psql: else PG_BIN's (scripts/lib/pg.sh's default).
const psqlBin = () => which('psql', path.join(process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin', 'psql'));

/** Runs `sql` with psql on `url`; returns what it printed, unaligned, one row a line, fields by "|". */
export function psql(url, sql) {
  const r = spawnSync(psqlBin(), ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 << 20 });
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql -c "${sql}" exited ${r.status ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

/** Runs `sql` with the sqlite3 shell on the file `file`; the same output shape as psql(). */
export function sqlite(file, sql) {
  const r = spawnSync('sqlite3', ['-batch', '-bail', '-separator', '|', file, sql],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 << 20 });
  if (r.error) throw new Error(`sqlite3: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sqlite3 "${sql}" exited ${r.status ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

/** The URL `url` with its database name replaced (postgresql://user@host:port/DB?params). */
export function withDatabase(url, name) {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error(`not a postgresql:// URL: ${url}`);
  return `${m[1]}/${name}${m[2] ?? ''}`;
}

/**
 * A database for one run: with `pgUrl`, a new database on that server (its role needs CREATEDB),
 * else the SQLite file `dir`/`name`.db. { db: the --db URL, engine, query(sql) → rows of fields,
 * drop() } — drop() is synchronous so that it also works from process.on('exit').
 */
export function throwawayDatabase(dir, pgUrl, name = 'chidoan') {
  if (pgUrl) {
    const pgName = `${name}_${process.pid}_${Date.now() % 1_000_000}`;
    psql(pgUrl, `CREATE DATABASE "${pgName}" ENCODING 'UTF8' TEMPLATE template0`);
    const db = withDatabase(pgUrl, pgName);
    let dropped = false;
    return {
      db, engine: 'PostgreSQL',
      query: (sql) => rows(psql(db, sql)),
      drop() {
        if (dropped) return;
        dropped = true;
        try {
          psql(pgUrl, `DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
        } catch (e) {
          console.log(`# could not drop database ${pgName}: ${e.message}`);
        }
      },
    };
  }
  const file = path.join(dir, `${name}.db`);
  return { db: `sqlite:${file}`, file, engine: 'SQLite', query: (sql) => rows(sqlite(file, sql)), drop() {} };
}

const rows = (out) => out.split('\n').filter((l) => l !== '').map((l) => l.split('|'));

/** Spawns `cmd args` with its output in `logPath`; the result knows whether it has exited. */
export function spawnLogged(cmd, args, logPath) {
  const log = fs.openSync(logPath, 'a');
  const proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const p = { proc, exit: null };
  p.exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => resolve(p.exit ??= { code, signal }));
    proc.on('error', (error) => resolve(p.exit ??= { code: null, signal: null, error })); // e.g. not installed
  });
  return p;
}

/** Polls `url` until it answers 200 (and `check(body)` holds); false if `p` exits or time runs out. */
export async function waitReady(p, url, check = () => true, timeoutMs = 15_000) {
  const started = Date.now();
  while (p.exit === null && Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok && check(await res.text())) return true;
    } catch { /* not listening yet */ }
    await sleep(25);
  }
  return false;
}

/** SIGTERM (SIGKILL after `graceMs`); resolves with the exit code or "signal X". */
export async function stopProcess(p, graceMs = 10_000) {
  if (!p) return null;
  if (p.exit === null) {
    p.proc.kill('SIGTERM');
    const t = setTimeout(() => p.proc.kill('SIGKILL'), graceMs);
    await p.exited;
    clearTimeout(t);
  }
  return p.exit.signal ? `signal ${p.exit.signal}` : p.exit.code;
}

export const readLog = (file) => { try { return fs.readFileSync(file, 'utf8'); } catch { return ''; } };

/** One retry when the port, found free a moment before, was taken in between. */
export async function withPortRetry(start) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const r = await start(port);
    if (r.ready) return r;
    if (r.p.exit === null) r.p.proc.kill('SIGKILL');
    await r.p.exited;
    const log = readLog(r.logPath);
    if (attempt < 2 && /address already in use|bind/i.test(log)) continue;
    throw new Error(`${r.name} did not become ready on port ${port} ` +
      `(${r.p.exit?.error?.message ?? `exit ${r.p.exit?.code ?? r.p.exit?.signal}`}); log:\n${log}`);
  }
}

/** `chidoan serve` on `db` on a free loopback port, ready (GET /healthz ok); its log in `dir`. */
export function startChidoan(dir, name, db, extraArgs = ['--workers', '2']) {
  return withPortRetry(async (port) => {
    const logPath = path.join(dir, `server-${name}.log`);
    const p = spawnLogged(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...extraArgs], logPath);
    const baseURL = `http://127.0.0.1:${port}`;
    const ready = await waitReady(p, `${baseURL}/healthz`, (b) => JSON.parse(b).status === 'ok');
    return { name: `chidoan serve ${name}`, p, port, baseURL, addr: `127.0.0.1:${port}`, logPath, ready };
  });
}
