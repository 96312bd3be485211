// Two `chidoan serve` processes on one database behind nginx (docs/operations.md, "Deployment"):
// sessions live in the database, so a login made on one server is good on the other and through
// the proxy, and a logout on one ends it everywhere.
//
//   1. one database with the demo and the demo secretary: a throwaway database on the PostgreSQL
//      of CHIDOAN_TEST_PG (scripts/test exports it; its role needs CREATEDB), else — outside CI
//      only — one SQLite file;
//   2. servers A and B on it, on two loopback ports, and nginx (a config generated in a temp dir,
//      no root needed) with an upstream of both, round-robin, one worker;
//   3. log in through A with the login form (Chromium), then go to B directly with the same
//      cookie: B shows an authenticated page, refuses a POST without the CSRF token and adds a
//      member through its form; A shows the new member, also in the member list and page it
//      had kept rendered from before;
//   4. twelve requests through nginx alternate between A and B (nginx names the upstream in an
//      X-Upstream header) and all are signed in;
//   5. log out through B: A and nginx refuse the old cookie.
// Processes, the temp dir and the PostgreSQL database are removed even when a step fails (and on
// process exit, should the after hook not run). CHIDOAN_E2E_KEEP=1 keeps the temp dir (logs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BIN, PASSWORD, SECRETARY, fold, launchBrowser, loadDemoDatabase, screenshot,
} from './server.mjs';
import {
  readLog, sleep, spawnLogged, startChidoan, stopProcess, throwawayDatabase, waitReady, which, withPortRetry,
} from '../support/processes.mjs';

const PG_URL = process.env.CHIDOAN_TEST_PG || '';
const IN_CI = process.env.CI === 'true';
const KIND = PG_URL ? 'PostgreSQL' : 'SQLite';
const SESSION_COOKIE = 'chidoan_session';

const nginxBin = () => process.env.CHIDOAN_NGINX ?? which('nginx', '/usr/sbin/nginx'); // /usr/sbin: not on a user's PATH

// The shape of the nginx config in docs/operations.md, without TLS, on loopback, everything in `prefix`.
function nginxConf(prefix, port, upstreams) {
  return `daemon off;
master_process on;
worker_processes 1;
${process.getuid?.() === 0 ? 'user root;' : ''}
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  upstream chidoan {
${upstreams.map((u) => `    server ${u};`).join('\n')}
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 32m;
    location = /metrics { return 404; }
    location / {
      proxy_pass http://chidoan;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream off;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

function startNginx(dir, upstreams) {
  const prefix = path.join(dir, 'nginx');
  fs.mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
  return withPortRetry(async (port) => {
    const conf = path.join(prefix, 'nginx.conf');
    fs.writeFileSync(conf, nginxConf(prefix, port, upstreams));
    const logPath = path.join(prefix, 'error.log');
    const p = spawnLogged(nginxBin(), ['-p', prefix, '-e', logPath, '-c', conf], path.join(prefix, 'stderr.log'));
    const baseURL = `http://127.0.0.1:${port}`;
    const ready = await waitReady(p, `${baseURL}/healthz`);
    return { name: 'nginx', p, port, baseURL, logPath, ready };
  });
}

// ---------------------------------------------------------------------------------------- test

describe(`two servers on one ${KIND} database behind nginx`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chidoan-cluster-'));
  let store = null; // the throwaway database, once created
  let db = null;
  let A = null;
  let B = null;
  let N = null; // nginx
  let browser = null;
  let context = null;
  let page = null;
  let branchId = null;
  let session = null; // the session cookie's value, from the login through A
  let memberPath = null;
  let listedBefore = null; // the branch's member count in A's list before B adds one

  // Synchronous, so that it also works from process.on('exit'); idempotent.
  let cleaned = false;
  function cleanupSync() {
    if (cleaned) return;
    cleaned = true;
    for (const s of [N, A, B]) if (s && s.p.exit === null) s.p.proc.kill('SIGKILL');
    store?.drop();
    if (!process.env.CHIDOAN_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`# kept ${dir}`);
  }
  process.once('exit', cleanupSync);

  before(async () => {
    try {
      if (!fs.existsSync(BIN)) throw new Error(`${BIN} does not exist: build first (cmake --build build)`);
      if (!PG_URL && IN_CI) throw new Error('CI must run this test on PostgreSQL: CHIDOAN_TEST_PG is not set');
      store = throwawayDatabase(dir, PG_URL, 'chidoan_cluster');
      db = store.db;
      loadDemoDatabase(db, [SECRETARY]);

      const started = await Promise.allSettled([startChidoan(dir, 'A', db), startChidoan(dir, 'B', db)]);
      [A, B] = started.map((r) => (r.status === 'fulfilled' ? r.value : null)); // so cleanup stops either
      for (const r of started) if (r.status === 'rejected') throw r.reason;
      N = await startNginx(dir, [A.addr, B.addr]);
      browser = await launchBrowser();
      context = await browser.newContext({
        baseURL: A.baseURL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1280, height: 900 },
      });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
    } catch (e) {
      await browser?.close().catch(() => {});
      cleanupSync();
      throw e;
    }
  });

  after(async () => {
    await browser?.close().catch(() => {});
    const codes = { nginx: await stopProcess(N?.p), A: await stopProcess(A?.p), B: await stopProcess(B?.p) };
    const logs = [A, B].filter(Boolean).map((s) => `--- ${s.name}\n${readLog(s.logPath)}`).join('\n');
    cleanupSync();
    for (const s of ['A', 'B']) {
      if (codes[s] !== null && codes[s] !== 0) assert.fail(`server ${s} should exit 0 on SIGTERM, got ${codes[s]}\n${logs}`);
    }
  });

  const step = (name, shot, fn) => test(name, { timeout: 30_000 }, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      if (page) await screenshot(page, `fail-cluster-${shot}`);
      throw e;
    }
  });
  const needLogin = () => assert.ok(session, 'not logged in (the login step failed)');
  const json = { Accept: 'application/json' };
  /** A request with only the given session cookie (no browser): for the checks after logout. */
  const withCookie = (url, value) => fetch(url, { headers: { ...json, Cookie: `${SESSION_COOKIE}=${value}` }, redirect: 'manual' });

  step(`A and B answer on one ${KIND} database, nginx in front of both`, 'start', async (t) => {
    t.diagnostic(`database: ${KIND} (${db}); A ${A.addr}, B ${B.addr}, nginx ${N.baseURL}`);
    for (const s of [A, B]) {
      const res = await fetch(`${s.baseURL}/healthz`);
      assert.deepEqual(await res.json(), { status: 'ok' }, `${s.name} is healthy`);
    }
    assert.notEqual(A.port, B.port);
  });

  step('logs in with the form on server A', 'login', async () => {
    await page.goto(`${A.baseURL}/login`);
    await page.locator('input[name="username"]').fill(SECRETARY.username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').first().click();
    await page.waitForURL((url) => url.pathname === '/');
    const cookie = (await context.cookies(A.baseURL)).find((c) => c.name === SESSION_COOKIE);
    assert.ok(cookie?.value, 'A set the session cookie');
    const res = await context.request.get(`${A.baseURL}/api/v1/orgs`, { headers: json });
    assert.equal(res.status(), 200);
    branchId = (await res.json()).items.find((o) => o.code === SECRETARY.org)?.id;
    assert.ok(branchId, `org ${SECRETARY.org} is visible`);
    session = cookie.value;
  });

  step('server B accepts the same cookie: a page, CSRF checked, a member added', 'server-b', async () => {
    needLogin();
    // The cookie is for 127.0.0.1, any port: the browser sends the very same value to B.
    const sent = (await context.cookies(B.baseURL)).find((c) => c.name === SESSION_COOKIE);
    assert.equal(sent?.value, session, 'the cookie B gets is the one A set');

    const me = await withCookie(`${B.baseURL}/api/v1/me`, session);
    assert.equal(me.status, 200, 'B knows the session');
    assert.equal((await me.json()).username, SECRETARY.username);

    // A state-changing request on B without the CSRF token is refused: the token is the session's.
    const forged = await fetch(`${B.baseURL}/orgs/${branchId}/members`, {
      method: 'POST', redirect: 'manual',
      headers: { Cookie: `${SESSION_COOKIE}=${session}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'family_name=X&given_name=Y',
    });
    assert.equal(forged.status, 403, 'B refuses a POST without the CSRF token');

    // A keeps the branch's member list rendered (the API's and the page) from before the member
    // is added through B; the next step asks A again.
    const listURL = `${A.baseURL}/api/v1/orgs/${branchId}/members?limit=500`;
    const before = await context.request.get(listURL, { headers: json });
    assert.equal(before.status(), 200);
    listedBefore = (await before.json()).total;
    const again = await context.request.get(listURL, { headers: { ...json, 'If-None-Match': before.headers().etag } });
    assert.equal(again.status(), 304, 'A answers from its kept list');
    const pageBefore = await (await context.request.get(`${A.baseURL}/orgs/${branchId}/members?limit=500`)).text();
    assert.ok(!fold(pageBefore).includes('le thi cum'), 'not on the page yet');

    await page.goto(`${B.baseURL}/orgs/${branchId}/members/new`);
    assert.equal(new URL(page.url()).pathname, `/orgs/${branchId}/members/new`, 'B did not send us to /login');
    const form = page.locator('form:has([name="cccd"])');
    const suffix = String(Date.now() % 1_000_000).padStart(6, '0');
    const fields = {
      family_name: 'Lê', middle_name: 'Thị', given_name: 'Cụm', birth_date: '2001-09-02',
      cccd: `068301${suffix}`, phone: '0987654321', joined_union_on: '2018-03-26', branch_since: '2021-06-01',
    };
    for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).fill(value);
    await form.locator('select[name="sex"]').selectOption('female');
    const unit = form.locator('select[name="unit_id"]');
    const units = await unit.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    await unit.selectOption(units[0]);
    await form.locator('button[type="submit"], input[type="submit"]').first().click();
    await page.waitForURL((url) => url.port === String(B.port) && /^\/members\/\d+$/.test(url.pathname));
    memberPath = new URL(page.url()).pathname;
  });

  step('the member added through B is visible through A', 'visible-on-a', async () => {
    assert.ok(memberPath, 'the member was not added (the previous step failed)');
    await page.goto(`${A.baseURL}${memberPath}`);
    assert.equal(new URL(page.url()).pathname, memberPath);
    assert.ok(fold(await page.locator('main').innerText()).includes('le thi cum'), 'A shows "Lê Thị Cụm"');
    const res = await context.request.get(`${A.baseURL}/api/v1/orgs/${branchId}/members?q=le%20thi%20cum`, { headers: json });
    assert.equal(res.status(), 200);
    assert.ok((await res.json()).items.some((m) => `/members/${m.id}` === memberPath), 'A lists the member');
    // The lists A kept from before (previous step) are made again: the branch's roll version, in
    // the database, moved with the write on B.
    const list = await context.request.get(`${A.baseURL}/api/v1/orgs/${branchId}/members?limit=500`, { headers: json });
    assert.equal((await list.json()).total, listedBefore + 1, "A's member list counts the member added through B");
    const html = await (await context.request.get(`${A.baseURL}/orgs/${branchId}/members?limit=500`)).text();
    assert.ok(fold(html).includes('le thi cum'), "A's member page shows the member added through B");
  });

  step('twelve requests through nginx alternate between A and B, all signed in', 'nginx', async (t) => {
    needLogin();
    const seen = [];
    for (let i = 0; i < 12; i++) {
      const url = i % 2 ? `${N.baseURL}/orgs/${branchId}` : `${N.baseURL}/api/v1/me`;
      const res = await context.request.get(url, { headers: i % 2 ? {} : json, maxRedirects: 0 });
      assert.equal(res.status(), 200, `request ${i + 1} (${url}) through nginx: ${res.status()}`);
      if (i % 2 === 0) assert.equal((await res.json()).username, SECRETARY.username);
      else assert.ok((await res.text()).includes('action="/logout"'), 'an authenticated page');
      seen.push(res.headers()['x-upstream']);
    }
    t.diagnostic(`upstreams: ${seen.join(' ')}`);
    assert.deepEqual(new Set(seen), new Set([A.addr, B.addr]), 'both servers answered');
    for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1], `round-robin: ${seen.join(' ')}`);
    // Every proxied request comes from the proxy's loopback address, which /metrics trusts: the
    // proxy must not pass it on (docs/operations.md); the scraper asks each server directly.
    assert.equal((await fetch(`${N.baseURL}/metrics`)).status, 404, 'nginx keeps /metrics to itself');
    assert.match(await (await fetch(`${A.baseURL}/metrics`)).text(), /^chidoan_http_requests_total\{/m);
  });

  step('logs out through B; A and nginx refuse the session afterwards', 'logout', async () => {
    needLogin();
    await page.goto(`${B.baseURL}/`);
    await page.locator('form[action="/logout"] button').first().click();
    await page.waitForURL((url) => url.port === String(B.port) && url.pathname === '/login');

    for (const base of [A.baseURL, B.baseURL, N.baseURL, N.baseURL]) {
      const res = await withCookie(`${base}/api/v1/me`, session);
      assert.equal(res.status, 401, `${base} refuses the old session`);
    }
    const home = await fetch(`${A.baseURL}/`, { headers: { Cookie: `${SESSION_COOKIE}=${session}` }, redirect: 'manual' });
    assert.ok(home.status >= 300 && home.status < 400, `A redirects the old session (${home.status})`);
    assert.match(home.headers.get('location') ?? '', /^\/login/);
    await page.goto(`${A.baseURL}/`);
    assert.equal(new URL(page.url()).pathname, '/login', 'the browser on A is at the login page');
  });
});
