// Scanned papers in the help desk in a browser (issue 7): a demo volunteer opens one of the
// citizens they helped in November 2021, uploads two photos of the first paper of the dossier
// at once, turns the sideways one upright, makes the PDF, downloads it under the paper's name,
// and the photos are gone afterwards.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  PASSWORD, SECRETARY, cli, launchBrowser, newContext, screenshot, signIn, startServer, stepper,
} from './server.mjs';

// Ngô Thị Kim Oanh (M0019 in the demo), the volunteer with the most entries in November 2021.
const VOLUNTEER = { username: 'oanhntk', role: 'member', org: 'VPUBND' };

/** A photo of a printed line, made by the browser itself: PNG bytes. */
async function photo(context, line, turned = false) {
  const page = await context.newPage();
  await page.setContent(`<body style="margin:0;background:#fff">
    <div id="p" style="display:inline-block;padding:24px 32px;background:#fff;font:28px 'Noto Sans',sans-serif;color:#111;
      ${turned ? 'transform:rotate(-90deg);transform-origin:center;margin:200px 0' : ''}">${line}</div></body>`);
  const png = await page.locator('#p').screenshot({ type: 'png' });
  await page.close();
  return png;
}

describe('scanned papers as a volunteer of the help desk', () => {
  let server;
  let browser;
  let page;
  let volunteer;
  let paperUrl = null;
  let paperName = null;

  before(async () => {
    server = await startServer({ users: [SECRETARY] });
    browser = await launchBrowser();
    // The secretary finds the volunteer's member record; the volunteer's login is linked to it.
    const admin = await newContext(browser, server);
    const { orgId } = await signIn(admin, SECRETARY);
    const res = await admin.request.get(`/api/v1/orgs/${orgId}/members?q=ngo%20thi%20kim%20oanh`, { headers: { Accept: 'application/json' } });
    const member = (await res.json()).items[0];
    assert.ok(member, 'the demo volunteer');
    await admin.close();
    cli(['user', 'add', '--db', server.db, '--username', VOLUNTEER.username, '--role', VOLUNTEER.role, '--org', VOLUNTEER.org,
      '--member', String(member.id)], { input: `${PASSWORD}\n` });
    volunteer = await newContext(browser, server, { viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
    ({ page } = await signIn(volunteer, VOLUNTEER));
  });

  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0);
  });

  const step = stepper(test, () => page);

  step('opens an assist of November 2021 and uploads two photos at once', 'upload', async () => {
    const res = await volunteer.request.get('/api/v1/me', { headers: { Accept: 'application/json' } });
    const me = await res.json();
    await page.goto(`/orgs/${me.org_id}/desk`);
    await page.locator('a[href^="/desk/centers/"]').first().click();
    await page.waitForURL((url) => /^\/desk\/centers\/\d+$/.test(url.pathname));
    await page.goto(`${new URL(page.url()).pathname}/assists?month=2021-11`);
    await page.locator('a.papers-link').first().click();
    await page.waitForURL((url) => /^\/desk\/assists\/\d+\/papers$/.test(url.pathname));
    const text = await page.locator('main').textContent();
    assert.ok(text.includes('7 ngày'), 'the retention is stated');
    await screenshot(page, '70-scan-papers');

    const first = page.locator('#papers > li').first();
    paperName = (await first.locator('.doc-name').textContent()).trim();
    const input = first.locator('input[type="file"][name="pages"]');
    assert.equal(await input.getAttribute('accept'), 'image/jpeg,image/png,image/tiff,application/pdf');
    assert.notEqual(await input.getAttribute('multiple'), null);
    await input.setInputFiles([
      { name: 'trang-1.png', mimeType: 'image/png', buffer: await photo(volunteer, 'Tờ khai đề nghị của người dân') },
      { name: 'trang-2.png', mimeType: 'image/png', buffer: await photo(volunteer, 'Họ và tên, ngày sinh, nơi cư trú', true) },
    ]);
    await first.locator('button[type="submit"]').click();
    await page.waitForURL((url) => /^\/desk\/papers\/\d+$/.test(url.pathname));
    paperUrl = new URL(page.url()).pathname;
    assert.equal(await page.locator('li.thumb').count(), 2);
    assert.equal(await page.locator('li.thumb img').count(), 2, 'thumbnails');
    await screenshot(page, '71-scan-uploaded');
  });

  step('turns the sideways photo upright', 'rotate', async () => {
    await page.locator('li.thumb').nth(1).locator('button.rotate-right').click();
    await page.waitForURL((url) => url.pathname === paperUrl);
    await page.locator('li.thumb img.rot-90').waitFor();
    assert.ok((await page.locator('li.thumb').nth(1).textContent()).includes('90°'));
    await screenshot(page, '72-scan-rotated');
  });

  step('makes the PDF, downloads it named after the paper, and the photos are gone', 'pdf', async () => {
    await page.locator('form[action$="/pdf"] button[type="submit"]').click();
    await page.locator('#pdf').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#report tbody tr').count(), 2, 'a report line per page');
    assert.equal(await page.locator('li.thumb').count(), 0, 'the uploads are deleted');
    const text = await page.locator('main').textContent();
    assert.ok(text.includes('không thể sửa hay tạo lại'), 'says it cannot be remade');
    await screenshot(page, '73-scan-pdf');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
    const name = download.suggestedFilename();
    assert.ok(name.startsWith(paperName.replaceAll('/', '-')), `${name} for ${paperName}`);
    assert.ok(name.endsWith('.pdf'), name);
    const bytes = fs.readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
  });
});
