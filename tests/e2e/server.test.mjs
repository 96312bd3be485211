// The harness itself: the server starts on a fresh demo database, answers /healthz, Chromium
// reaches it, and SIGTERM stops it with exit code 0.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newContext, screenshot, startServer } from './server.mjs';

describe('harness', () => {
  let server;
  let browser;
  before(async () => {
    server = await startServer({ users: [] });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('GET /healthz answers {"status":"ok"}', async (t) => {
    const res = await fetch(`${server.baseURL}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
    t.diagnostic(`ready after ${server.readyMs} ms`);
  });

  test('Chromium reaches the server', async () => {
    const context = await newContext(browser, server);
    const page = await context.newPage();
    const res = await page.goto('/healthz');
    assert.equal(res.status(), 200);
    assert.match(await page.textContent('body'), /"status"\s*:\s*"ok"/);
    await page.goto('/login').catch(() => {}); // only a picture here; members.test.mjs checks the page
    await screenshot(page, '00-login');
    await context.close();
  });

  test('SIGTERM stops the server with exit code 0', async () => {
    const code = await server.stop();
    if (code !== 0) assert.fail(`exit ${code}; log:\n${server.log()}`);
  });
});
