// What the reliability scripts write into: the demo in a database, the demo branch's secretary
// with an API token, a fresh open campaign of the branch, one of its 2021 activities and its roll.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, loadDemoDatabase } from '../e2e/server.mjs';
import { throwawayDatabase } from '../support/processes.mjs';

const USER = { username: 'sangpv', role: 'branch_secretary', org: 'VPUBND' }; // the demo's branch secretary

/** A day in Vietnam's calendar, which the server's "today" is: today + `offsetDays`. */
export const vnDay = (offsetDays) => new Date(Date.now() + 7 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);

/** Migrates the new database `db`, loads the demo and adds the secretary; returns an API token. */
export function loadDemo(db) {
  loadDemoDatabase(db, [USER]);
  return cli(['token', 'create', '--db', db, '--user', USER.username, '--name', 'reliability']).trim().split(/\s+/).pop();
}

/**
 * Prepares, through the server at `base` on a database loadDemo() made: { branch, campaign,
 * activity, roll (member ids), api(base, method, url, body) }. `fail(message)` is called (and
 * must not return) when a step is refused.
 */
export async function setUpWorld(base, token, fail) {

  async function api(at, method, url, body) {
    const res = await fetch(at + url, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : null, text };
  }
  async function must(method, url, body) {
    const r = await api(base, method, url, body);
    if (r.status >= 300) fail(`${method} ${url} answered ${r.status}: ${r.text}`);
    return r.json;
  }

  const orgs = await must('GET', '/api/v1/orgs');
  const branch = orgs.items.find((o) => o.code === 'VPUBND').id;
  const campaign = (await must('POST', `/api/v1/orgs/${branch}/campaigns`, {
    name: 'Quỹ kiểm thử độ bền', purpose: 'Kiểm thử', starts_on: vnDay(-1), ends_on: vnDay(60), rounds: '1',
  })).id;
  const activities = (await must('GET', `/api/v1/orgs/${branch}/activities?year=2021`)).items;
  const activity = activities[activities.length - 1].id;
  const roll = (await must('GET', `/api/v1/orgs/${branch}/members?limit=50`)).items.map((m) => m.id);
  return { branch, campaign, activity, roll, api };
}

/** The domain of the emails of the members the writers add: a member is found by it. */
export const EMAIL_DOMAIN = 'reliability.test';

// What one write asks and what came of it: `key` (the member's email or the contribution's note),
// `status` (null when no answer came: the connection was cut), `invalid` (sent to be refused),
// and the writer's own details (`receipt`).

/**
 * Adds members to the branch one after the other until `stop.now`, their emails
 * `${tag}n${n}@${EMAIL_DOMAIN}`; a share `invalidShare` of them with an impossible birth date.
 * `onWrite({ key, status, invalid })` after each.
 */
export async function memberWriter(world, base, tag, stop, { random = Math.random, invalidShare = 0, onWrite }) {
  const given = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Khánh', 'Lan', 'Minh', 'Ngọc', 'Phúc', 'Quang', 'Thảo', 'Trung', 'Vy', 'Yến'];
  for (let n = 0; !stop.now; n++) {
    const key = `${tag}n${n}@${EMAIL_DOMAIN}`;
    const invalid = random() < invalidShare;
    const status = await send(world, base, 'POST', `/api/v1/orgs/${world.branch}/members`, {
      family_name: 'Kiểm', middle_name: 'Thử', given_name: given[Math.floor(random() * given.length)],
      sex: random() < 0.5 ? 'male' : 'female', birth_date: invalid ? '2000-02-30' : '2000-05-10', email: key,
    });
    onWrite({ key, status, invalid });
  }
}

/**
 * Records money contributions to the world's campaign until `stop.now`, their notes `${tag}n${n}`;
 * a share `invalidShare` with a negative amount, a share `receiptShare` asking for a receipt.
 * `onWrite({ key, status, invalid, receipt })` after each.
 */
export async function contributionWriter(world, base, tag, stop,
  { random = Math.random, invalidShare = 0, receiptShare = 0, onWrite }) {
  for (let n = 0; !stop.now; n++) {
    const key = `${tag}n${n}`;
    const invalid = random() < invalidShare;
    const receipt = random() < receiptShare;
    const status = await send(world, base, 'POST', `/api/v1/campaigns/${world.campaign}/contributions`, {
      round_no: '1', kind: 'money', amount_vnd: invalid ? '-5000' : String(1000 * (1 + Math.floor(random() * 500))),
      method: 'cash', contributor_kind: 'person', contributor_name: 'Người kiểm thử', on_date: vnDay(0), note: key,
      receipt: receipt ? '1' : '0',
    });
    onWrite({ key, status, invalid, receipt });
  }
}

/** The status of one request, or null when the connection was cut (the outcome is unknown). */
export async function send(world, base, method, url, body) {
  try {
    return (await world.api(base, method, url, body)).status;
  } catch {
    return null;
  }
}

/**
 * A run's scratch: a temp dir and a database in it (PostgreSQL when CHIDOAN_TEST_PG is set),
 * removed with every database made by more() and the server in `server` (killed) when the
 * process exits. fail(message) prints it with where to look, and exits 1.
 */
export function scratch(name) {
  const pgUrl = process.env.CHIDOAN_TEST_PG || '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name.replaceAll('_', '-')}-`));
  const stores = [throwawayDatabase(dir, pgUrl, name)];
  const run = {
    dir, store: stores[0], server: null,
    /** Another database of the same engine. */
    more(other) {
      stores.push(throwawayDatabase(dir, pgUrl, other));
      return stores.at(-1);
    },
    fail(message) {
      console.log(`not ok: ${message}`);
      console.log(`# database ${run.store.db}; server log ${run.server?.logPath ?? '-'}`);
      process.exit(1);
    },
  };
  process.once('exit', () => {
    if (run.server && run.server.p.exit === null) run.server.p.proc.kill('SIGKILL');
    for (const s of stores) s.drop();
    if (!process.env.CHIDOAN_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`# kept ${dir}`);
  });
  return run;
}
