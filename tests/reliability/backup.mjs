// Backups under writes (issue #11, docs/reliability.md): while `chidoan serve` takes a steady
// stream of new members and contributions, three backups are made (`chidoan db backup` on SQLite;
// pg_dump --format=custom on PostgreSQL, as docs/operations.md says). Each is restored into a
// fresh database (`chidoan db restore`; pg_restore) and dumped as a bundle (`chidoan dump`).
//
// The writes do not stop for a backup, so the source has moved on by the time it is dumped. Each
// writer writes one after the other, so a backup holds a first part of each writer's writes: the
// restored dump must equal the source's dump with the later writes of each writer taken out —
// exactly, every other byte of the bundle the same — and hold every write acknowledged before the
// backup began.
//
//   node tests/reliability/backup.mjs
// On PostgreSQL when CHIDOAN_TEST_PG is set (throwaway databases of that server), else SQLite.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BIN, cli } from '../e2e/server.mjs';
import { sleep, startChidoan, stopProcess, which } from '../support/processes.mjs';
import { EMAIL_DOMAIN, contributionWriter, loadDemo, memberWriter, scratch, setUpWorld } from './world.mjs';

const execFileAsync = promisify(execFile);
const BACKUPS = 3;
const scratchRun = scratch('chidoan_backup');
const { dir, store: source } = scratchRun;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}
const pgBin = (name) => which(name, path.join(process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin', name));

/** A backup of the source into `file`, the way docs/operations.md says for the engine; run
 *  asynchronously, so that the writers go on writing while it runs. */
async function backup(file) {
  const [cmd, args] = source.engine === 'SQLite'
    ? [BIN, ['db', 'backup', '--db', source.db, '--to', file]]
    : [pgBin('pg_dump'), ['--format=custom', `--file=${file}`, source.db]];
  await execFileAsync(cmd, args, { timeout: 120_000 });
}

/** A new database holding the backup `file`. */
function restore(file, n) {
  const fresh = scratchRun.more(`chidoan_restored${n}`);
  if (source.engine === 'SQLite') cli(['db', 'restore', '--from', file, '--db', fresh.db]);
  else run(pgBin('pg_restore'), ['--no-owner', `--dbname=${fresh.db}`, file]);
  return fresh;
}

let dumps = 0;
function dump(db) {
  const file = path.join(dir, `dump-${++dumps}.json`);
  cli(['dump', '--db', db, '--org', 'TW', '--output', file]);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// A dump names members by refs counted in name order ("M0021"), which shift when members are
// added; they are replaced by the member itself (its fields but the ref) so that two dumps
// compare member for member.
function withoutRefs(doc) {
  const who = new Map(doc.members.map((m) => {
    const { ref, ...rest } = m;
    return [ref, JSON.stringify(rest)];
  }));
  const walk = (v) => {
    if (typeof v === 'string') return who.get(v) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc);
}

// The writes of the writers in a dump: { members: emails, contributions: notes }.
function writesIn(doc) {
  const emails = doc.members.map((m) => m.email).filter((e) => e?.endsWith(`@${EMAIL_DOMAIN}`));
  const notes = doc.fund.campaigns.flatMap((c) => c.contributions.map((x) => x.note)).filter((n) => /^w\d+n\d+$/.test(n));
  return new Set([...emails, ...notes]);
}

// `doc` without the writes not in `keep`.
function keepOnly(doc, keep) {
  const out = structuredClone(doc);
  const mine = (k) => k?.endsWith(`@${EMAIL_DOMAIN}`) || /^w\d+n\d+$/.test(k ?? '');
  out.members = out.members.filter((m) => !mine(m.email) || keep.has(m.email));
  for (const c of out.fund.campaigns) c.contributions = c.contributions.filter((x) => !mine(x.note) || keep.has(x.note));
  return out;
}

// ---------------------------------------------------------------------------------------- run

const token = loadDemo(source.db);
const server = await startChidoan(dir, 'source', source.db);
scratchRun.server = server;
const world = await setUpWorld(server.baseURL, token, (m) => { throw new Error(`set-up: ${m}`); });
const acked = []; // in order of acknowledgement: { key, at }
const stop = { now: false };
const onWrite = ({ key, status }) => {
  if (status === null || status >= 300) throw new Error(`a valid write was answered ${status}: ${key}`);
  acked.push(key);
};
const writers = [
  memberWriter(world, server.baseURL, 'w0', stop, { onWrite }),
  memberWriter(world, server.baseURL, 'w1', stop, { onWrite }),
  contributionWriter(world, server.baseURL, 'w2', stop, { onWrite }),
  contributionWriter(world, server.baseURL, 'w3', stop, { onWrite }),
];
const backups = [];
for (let n = 1; n <= BACKUPS; n++) {
  await sleep(700);
  const file = path.join(dir, `backup-${n}.${source.engine === 'SQLite' ? 'db' : 'dump'}`);
  const ackedBefore = acked.length;
  const t = Date.now();
  await backup(file);
  backups.push({ file, ackedBefore: acked.slice(0, ackedBefore), ms: Date.now() - t, during: acked.length - ackedBefore });
}
stop.now = true;
await Promise.all(writers);
assert.equal(await stopProcess(server.p), 0);
const full = dump(source.db);

let compared = 0;
backups.forEach((b, i) => {
  const restored = dump(restore(b.file, i + 1).db);
  const held = writesIn(restored);
  for (const key of b.ackedBefore) assert.ok(held.has(key), `backup ${i + 1} lacks ${key}, acknowledged before it began`);
  // A first part of each writer's writes, no gaps.
  for (const w of ['w0', 'w1', 'w2', 'w3']) {
    const ns = [...held].filter((k) => k.startsWith(`${w}n`)).map((k) => Number(/n(\d+)/.exec(k)[1])).sort((a, b) => a - b);
    ns.forEach((x, j) => assert.equal(x, j, `backup ${i + 1}: writer ${w}'s writes have a gap before ${x}`));
  }
  assert.deepEqual(withoutRefs(restored), withoutRefs(keepOnly(full, held)),
    `backup ${i + 1}: the restored bundle differs from the source's at the backup's moment`);
  compared++;
  console.log(`ok ${i + 1} - backup ${i + 1} (${b.ms} ms, ${b.during} writes acknowledged while it ran) restored: ` +
    `${held.size} of the writers' writes, the bundle equal to the source's at that moment`);
});
console.log(`# ${source.engine}: ${acked.length} writes acknowledged in all; ${compared} backups made under writes, each restored and equal`);
console.log(`# result: ${compared} passed, 0 failed`);
