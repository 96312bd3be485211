// The help desk in a browser (issue 6): the secretary finds the demo center, reads the roster of
// November 2021 with its checked hours, opens next month's roster, and the automatic roster
// explains which shifts it cannot fill instead of writing half a roster.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SECRETARY, launchBrowser, newContext, screenshot, signIn, startServer, stepper } from './server.mjs';

describe('the help desk as the branch secretary', () => {
  let server;
  let browser;
  let context;
  let page;
  let branchId = null;
  let centerUrl = null;

  before(async () => {
    server = await startServer({ users: [SECRETARY] });
    browser = await launchBrowser();
    context = await newContext(browser, server);
    ({ page, orgId: branchId } = await signIn(context, SECRETARY));
  });

  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0);
  });

  const step = stepper(test, () => page);

  step('the demo center and its November 2021 roster', 'center', async () => {
    await page.goto(`/orgs/${branchId}/desk`);
    await page.locator('a[href^="/desk/centers/"]').first().click();
    await page.waitForURL((url) => /^\/desk\/centers\/\d+$/.test(url.pathname));
    centerUrl = new URL(page.url()).pathname;
    await screenshot(page, '61-desk-center');
    await page.locator('a[href^="/desk/periods/"]', { hasText: '11/2021' }).click();
    await page.waitForURL((url) => /^\/desk\/periods\/\d+$/.test(url.pathname));
    const text = await page.locator('main').textContent();
    assert.ok(text.includes('Thứ Hai 01/11'), 'days listed');
    assert.ok(text.includes('vắng không báo'), 'the no-show of 17/11');
    assert.ok(text.includes('Giờ trực đã ghi'), 'hours table');
    assert.equal(await page.locator('.shift').count(), 44);
    await screenshot(page, '62-desk-roster');
  });

  step('next month: a period opens and the automatic roster names what it cannot fill', 'roster', async () => {
    await page.goto(centerUrl);
    await page.locator('form[action$="/periods"] button[type="submit"]').click();
    await page.waitForURL((url) => /^\/desk\/periods\/\d+$/.test(url.pathname));
    const before = await page.locator('.shift li').count();
    await page.locator('form[action$="/roster"] button[type="submit"]').click();
    await page.locator('[role="alert"]').waitFor();
    const alert = await page.locator('[role="alert"]').textContent();
    assert.ok(alert.includes('Không xếp được lịch'), alert);
    assert.ok(alert.includes('Chưa ghi gì'));
    assert.equal(await page.locator('.shift li').count(), before, 'nothing written');
    await screenshot(page, '63-desk-shortfall');
  });

  step('the dossier KPI of 2021 against its target', 'kpi', async () => {
    await page.goto(`${centerUrl}/kpi?year=2021`);
    const text = await page.locator('main').textContent();
    assert.ok(text.includes('47,64'), 'the rate of the year');
    assert.ok(text.includes('47.416'), 'online dossiers');
    assert.ok(text.includes('99.537'), 'all dossiers');
    assert.equal(await page.locator('main svg').count() >= 1, true, 'a chart');
    await screenshot(page, '64-desk-kpi');
  });
});
