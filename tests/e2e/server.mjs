// Test harness for the browser tests: a throwaway chidoan server on a fresh SQLite demo database,
// and a Chromium from Debian (/usr/bin/chromium) driven by playwright-core.
//
//   const server = await startServer();        // migrate + load demo + users, serve, wait healthz
//   const browser = await launchBrowser();
//   ...
//   await browser.close();
//   assert.equal(await server.stop(), 0);      // SIGTERM; resolves with the exit code
//
// Environment: CHIDOAN_BIN (default build/chidoan), CHIDOAN_E2E_CHROMIUM (default /usr/bin/chromium),
// CHIDOAN_E2E_KEEP=1 keeps the temp dir (database and server log) for a look afterwards.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(ROOT, process.env.CHIDOAN_BIN ?? 'build/chidoan');
export const DEMO = path.join(ROOT, 'data/demo/lam-dong-2021.json');
export const ARTIFACTS = path.join(ROOT, 'tests/e2e/artifacts');
export const PASSWORD = 'chidoan-e2e-2021';

// The demo secretary of "Chi đoàn Văn phòng UBND tỉnh" (org code VPUBND).
export const SECRETARY = { username: 'sangpv', role: 'branch_secretary', org: 'VPUBND' };
/** The committee of the level above the branch (the Đoàn khối): approves ratings, records awards. */
export const UPPER = { username: 'doankhoi', role: 'org_manager', org: 'DKCQ' };

/** Runs a chidoan CLI command to completion; throws with its output when it fails. */
export function cli(args, { input } = {}) {
  const r = spawnSync(BIN, args, { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`${BIN} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${BIN} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

/** Migrates the new database `db`, loads the demo bundle and adds `users` (password PASSWORD). */
export function loadDemoDatabase(db, users) {
  cli(['db', 'migrate', '--db', db]);
  cli(['load', DEMO, '--db', db]);
  for (const u of users) {
    cli(['user', 'add', '--db', db, '--username', u.username, '--role', u.role, '--org', u.org],
      { input: `${PASSWORD}\n` });
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes a temp dir with a migrated SQLite database holding the demo bundle and the given users
 * (password PASSWORD for all), starts `chidoan serve` on a free loopback port and waits until
 * GET /healthz answers {"status":"ok"}.
 */
export async function startServer({ users = [SECRETARY], timeoutMs = 15_000 } = {}) {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} does not exist: build first (cmake --build build)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chidoan-e2e-'));
  const db = `sqlite:${path.join(dir, 'e2e.db')}`;
  loadDemoDatabase(db, users);

  // The port is found free, then handed over: a tiny race, retried once if the bind fails.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const logPath = path.join(dir, 'server.log');
    const log = fs.openSync(logPath, 'a');
    const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
      { cwd: ROOT, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    let exitInfo = null;
    exited.then((e) => { exitInfo = e; });

    const started = Date.now();
    let ready = false;
    while (!ready && exitInfo === null && Date.now() - started < timeoutMs) {
      try {
        const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) {
          const body = await res.json();
          ready = body?.status === 'ok';
        }
      } catch { /* not listening yet */ }
      if (!ready) await sleep(25);
    }
    let keptLog = null; // the log's text once the temp dir is gone
    const readLog = () => keptLog ?? fs.readFileSync(logPath, 'utf8');
    if (!ready) {
      if (exitInfo === null) proc.kill('SIGKILL');
      if (exitInfo !== null && attempt < 2 && /address already in use|bind/i.test(readLog())) continue;
      throw new Error(`chidoan serve did not become ready on ${baseURL} ` +
        `(${exitInfo ? `exited ${exitInfo.code ?? exitInfo.signal}` : 'timeout'}); log:\n${readLog()}`);
    }

    let stopped = null;
    return {
      baseURL, port, db, dir, proc, readyMs: Date.now() - started, log: readLog,
      /** SIGTERM, then the exit code (null and SIGKILL after 10 s if it does not stop). */
      stop(graceMs = 10_000) {
        stopped ??= (async () => {
          if (exitInfo === null) {
            proc.kill('SIGTERM');
            const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
            await exited;
            clearTimeout(t);
          }
          keptLog = readLog();
          if (!process.env.CHIDOAN_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
          else console.log(`# kept ${dir}`);
          return exitInfo.signal ? `signal ${exitInfo.signal}` : exitInfo.code;
        })();
        return stopped;
      },
    };
  }
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium through playwright-core (which never downloads a browser). */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHIDOAN_E2E_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** A browser context on the server: Vietnamese locale and time zone, base URL set. */
export async function newContext(browser, server, options = {}) {
  return browser.newContext({
    baseURL: server.baseURL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 1280, height: 900 }, ...options,
  });
}

/** Saves tests/e2e/artifacts/NAME.png (full page); never throws. */
export async function screenshot(page, name) {
  try {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  } catch (e) {
    console.log(`# screenshot ${name} failed: ${e.message}`);
  }
}

/** Folds Vietnamese text for comparisons: no marks, đ→d, lower case, single spaces. */
export function fold(s) {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
    .toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Signs `user` in on a fresh page of `context` and returns { page, orgId }: the page on the home
 * page, and the id of the user's org (by its code).
 */
export async function signIn(context, user) {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto('/login');
  await page.locator('input[name="username"]').fill(user.username);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').first().click();
  await page.waitForURL((url) => url.pathname === '/');
  const res = await context.request.get('/api/v1/orgs', { headers: { Accept: 'application/json' } });
  const orgId = (await res.json()).items.find((o) => o.code === user.org).id;
  return { page, orgId };
}

/**
 * A test step that saves a screenshot "fail-SHOT" of the page when it fails:
 * const step = stepper(test, () => page); step('name', 'shot', async () => { … }).
 */
export function stepper(test, getPage, timeout = 60_000) {
  return (name, shot, fn) => test(name, { timeout }, async () => {
    try {
      await fn();
    } catch (e) {
      await screenshot(getPage(), `fail-${shot}`);
      throw e;
    }
  });
}
