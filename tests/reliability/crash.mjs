// Crash safety (issue #11, docs/reliability.md): `chidoan serve` is killed with SIGKILL at random
// moments during a stream of writes — new members, contributions (some receipted), attendance —
// and restarted, ROUNDS times. After every kill, before the restart, the database must hold:
//   - every write that was answered 2xx, whole (a member with its stay in the branch, its
//     entry event and its audit row; a contribution with its audit row, its receipt number
//     when it asked for one, and the running sums of the campaign agreeing with the ledger);
//   - nothing of a write that was answered with an error (the streams send some invalid ones);
//   - of a write cut off by the kill (no answer), all of it or none of it;
//   - no rows nobody asked for, receipt numbers without gaps, and on SQLite
//     `PRAGMA integrity_check` = ok and no foreign key violations.
//
//   node tests/reliability/crash.mjs [--rounds 100] [--seed 1]
// On PostgreSQL when CHIDOAN_TEST_PG is set (a throwaway database of that server), else SQLite.
// Prints one line a round and a summary; exits 1 on the first broken promise, with the details.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { sleep, startChidoan, stopProcess } from '../support/processes.mjs';
import {
  EMAIL_DOMAIN, contributionWriter, loadDemo, memberWriter, scratch, send, setUpWorld,
} from './world.mjs';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' } },
});
const ROUNDS = Number(opts.rounds);

// A small deterministic generator (mulberry32), so that a failing run can be repeated by its seed.
let seed = Number(opts.seed) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(random() * xs.length)];

const run = scratch('chidoan_crash');
const { dir, store, fail } = run;
console.log(`# seed ${opts.seed}`);

// ---------------------------------------------------------------------------------- set-up

const token = loadDemo(store.db);
run.server = await startChidoan(dir, 'set-up', store.db);
const world = await setUpWorld(run.server.baseURL, token, (m) => fail(`set-up: ${m}`));
const { campaign, activity } = world;
await stopProcess(run.server.p);

// ---------------------------------------------------------------------------------- the ledger

// What the client knows of every write it sent: 'acked' (2xx), 'refused' (an error status) or
// 'unknown' (no answer: the kill cut it off). Unknowns are settled by what the database shows.
const members = new Map();       // email -> { state, receipt }
const contributions = new Map(); // note -> { state, receipt }
// Attendance is taken for the whole register at once (the members not listed are marked absent):
// one writer, and the register's state is what is compared.
const marked = new Map(store.query(`SELECT member_id, status FROM attendance WHERE activity_id = ${activity}`)
  .map(([m, s]) => [Number(m), s])); // the demo's own register of the activity
const register = [...marked.keys()].sort((a, b) => a - b);
const registerKey = (statuses) => register.map((m) => statuses.get(m) ?? '-').join(',');
const attendance = { acked: registerKey(marked), maybe: new Set() };
const counts = { acked: 0, refused: 0, unknown: 0, server_errors: 0 };

function settle(entry, status) {
  if (status === null) entry.state = 'unknown';
  else if (status >= 200 && status < 300) entry.state = 'acked';
  else entry.state = 'refused';
  counts[entry.state]++;
  if (status !== null && status >= 500) counts.server_errors++;
}

// Each writer writes until `stop.now`; a fifth of its writes are invalid on purpose.
const memberStream = (base, round, stream, stop) => memberWriter(world, base, `r${round}s${stream}`, stop, {
  random, invalidShare: 0.2, onWrite: ({ key, status }) => settle(members.set(key, {}).get(key), status),
});
const contributionStream = (base, round, stream, stop) => contributionWriter(world, base, `r${round}s${stream}`, stop, {
  random, invalidShare: 0.2, receiptShare: 0.3,
  onWrite: ({ key, status, receipt }) => settle(contributions.set(key, { receipt }).get(key), status),
});

async function attendanceStream(base, stop) {
  while (!stop.now) {
    const invalid = random() < 0.2;
    const statuses = new Map(register.map((m) => [m, pick(['present', 'excused', 'absent'])]));
    if (invalid) statuses.set(pick(register), 'maybe');
    const entry = {};
    settle(entry, await send(world, base, 'POST', `/api/v1/activities/${activity}/attendance`,
      { statuses: Object.fromEntries(statuses) }));
    if (entry.state === 'acked') {
      attendance.acked = registerKey(statuses);
      attendance.maybe.clear();
    } else if (entry.state === 'unknown') {
      attendance.maybe.add(registerKey(statuses));
    }
  }
}

// ---------------------------------------------------------------------------------- the checks

const q = (sql) => store.query(sql);

function check(round) {
  if (store.engine === 'SQLite') {
    const ok = q('PRAGMA integrity_check').map((r) => r[0]);
    if (ok.length !== 1 || ok[0] !== 'ok') fail(`round ${round}: integrity_check: ${ok.join('; ')}`);
    const fk = q('PRAGMA foreign_key_check');
    if (fk.length) fail(`round ${round}: foreign key violations: ${JSON.stringify(fk.slice(0, 5))}`);
  }

  // Members: whole, or not there at all.
  const seen = new Map(q(`SELECT m.email,
      (SELECT count(*) FROM member_periods p WHERE p.member_id = m.id),
      (SELECT count(*) FROM member_events e WHERE e.member_id = m.id AND e.kind IN ('admit', 'enter')),
      (SELECT count(*) FROM audit_log a WHERE a.entity = 'member' AND a.entity_id = m.id AND a.action = 'create')
    FROM members m WHERE m.email LIKE '%@${EMAIL_DOMAIN}'`).map(([email, ...n]) => [email, n.map(Number)]));
  for (const [email, n] of seen) {
    if (!members.has(email)) fail(`round ${round}: a member nobody created: ${email}`);
    if (n.join() !== '1,1,1') fail(`round ${round}: member ${email} is half there (periods, entry events, audit rows: ${n})`);
  }
  settleAll(round, 'member', members, seen);

  // Contributions: whole (with its audit row, its receipt when asked), or not there.
  // The audit rows of the campaign's contributions, counted by the contribution they name.
  const audits = new Map();
  for (const [detail] of q(`SELECT detail FROM audit_log WHERE entity = 'campaign' AND entity_id = ${campaign} AND action = 'contribution'`)) {
    const id = String(JSON.parse(detail).contribution_id);
    audits.set(id, (audits.get(id) ?? 0) + 1);
  }
  const rows = q(`SELECT note, receipt_no, id FROM contributions WHERE campaign_id = ${campaign}`);
  const got = new Map(rows.map(([note, receipt, id]) => [note, { receipt, audits: audits.get(id) ?? 0 }]));
  for (const [note, c] of got) {
    const sent = contributions.get(note);
    if (!sent) fail(`round ${round}: a contribution nobody recorded: ${note}`);
    if (c.audits !== 1) fail(`round ${round}: contribution ${note} has ${c.audits} audit rows`);
    if (sent.receipt !== (c.receipt !== '')) fail(`round ${round}: contribution ${note}: receipt ${sent.receipt ? 'asked for but missing' : 'not asked for'}`);
  }
  settleAll(round, 'contribution', contributions, got);
  const receipts = rows.map((r) => r[1]).filter((r) => r !== '').map(Number).sort((a, b) => a - b);
  receipts.forEach((no, i) => { if (no !== i + 1) fail(`round ${round}: receipt numbers have a gap or a repeat at ${no}`); });
  const [[last]] = q(`SELECT last_receipt FROM campaigns WHERE id = ${campaign}`);
  if (Number(last) !== receipts.length) fail(`round ${round}: the campaign's receipt counter is ${last}, ${receipts.length} receipts exist`);
  const [[ledger, entries]] = q(`SELECT coalesce(sum(amount_vnd), 0), count(*) FROM contributions WHERE campaign_id = ${campaign}`);
  const [[sums, sumEntries]] = q(`SELECT coalesce(sum(amount_vnd), 0), coalesce(sum(entries), 0) FROM contribution_sums WHERE campaign_id = ${campaign}`);
  if (ledger !== sums || entries !== sumEntries) {
    fail(`round ${round}: the running sums (${sums} VND, ${sumEntries} entries) disagree with the ledger (${ledger} VND, ${entries} entries)`);
  }

  // Attendance: the last acknowledged register, or one sent after it whose answer was lost.
  const now = registerKey(new Map(q(`SELECT member_id, status FROM attendance WHERE activity_id = ${activity}`)
    .map(([m, st]) => [Number(m), st])));
  if (now !== attendance.acked && !attendance.maybe.has(now)) {
    fail(`round ${round}: the register is ${now}; acknowledged ${attendance.acked}, maybe ${[...attendance.maybe].join(' | ')}`);
  }
  attendance.acked = now;
  attendance.maybe.clear();
}

// An acknowledged write must be there, a refused one must not; an unknown one becomes what the
// database shows, so that later rounds hold it to that.
function settleAll(round, what, sent, present) {
  for (const [key, entry] of sent) {
    const there = present.has(key);
    if (entry.state === 'acked' && !there) fail(`round ${round}: an acknowledged ${what} is lost: ${key}`);
    if (entry.state === 'refused' && there) fail(`round ${round}: a refused ${what} was written: ${key}`);
    if (entry.state === 'unknown' || entry.state === 'sending') entry.state = there ? 'acked' : 'refused';
  }
}

// ---------------------------------------------------------------------------------- the rounds

const started = Date.now();
let cutOff = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const server = await startChidoan(dir, `round-${round}`, store.db);
  run.server = server;
  const stop = { now: false };
  const base = server.baseURL;
  const streams = [
    memberStream(base, round, 0, stop), memberStream(base, round, 1, stop),
    contributionStream(base, round, 0, stop), contributionStream(base, round, 1, stop),
    attendanceStream(base, stop),
  ];
  const before = counts.unknown;
  await sleep(30 + Math.floor(random() * 700));
  stop.now = true; // the writes in flight now are the ones the kill cuts off
  server.p.proc.kill('SIGKILL');
  await server.p.exited;
  await Promise.all(streams);
  cutOff += counts.unknown - before;
  check(round);
  fs.rmSync(server.logPath, { force: true });
  console.log(`ok ${round} - killed; ${members.size} members, ${contributions.size} contributions sent so far; ` +
    `${counts.unknown - before} writes cut off`);
}
run.server = null;
const secs = ((Date.now() - started) / 1000).toFixed(0);
console.log(`# ${store.engine}: ${ROUNDS} kills in ${secs} s; writes ${counts.acked} acknowledged, ` +
  `${counts.refused} refused (${counts.server_errors} with 5xx), ${cutOff} cut off by a kill; none lost, none half there`);
if (counts.server_errors > 0) fail(`${counts.server_errors} writes were answered 5xx`);
if (counts.acked === 0 || counts.refused === 0) fail('the streams wrote nothing or refused nothing: the test tested nothing');
console.log(`# result: ${ROUNDS} passed, 0 failed`);
