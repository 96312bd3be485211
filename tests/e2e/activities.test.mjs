// Activities in a browser, as the branch secretary of the demo (issue 3): the year's list,
// a refused and then an accepted new activity, the attendance register, the participation page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SECRETARY, launchBrowser, newContext, screenshot, signIn, startServer, stepper } from './server.mjs';

describe('activities as the branch secretary', () => {
  let server;
  let browser;
  let context;
  let page;
  let branchId = null;

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

  step('lists the 2021 activities, the branch\'s and the levels above\'s', 'list', async () => {
    await page.goto(`/orgs/${branchId}/activities?year=2021`);
    const rows = page.locator('li.activity-row');
    assert.ok(await rows.count() >= 20, `activities listed: ${await rows.count()}`);
    const text = await page.locator('main').textContent();
    assert.ok(text.includes('Ý tưởng sáng tạo trẻ'), 'the forum of 2/11/2021 is there');
    assert.ok(text.includes('Đoàn khối'), 'activities of the Đoàn khối are there');
    await screenshot(page, '11-activities');
  });

  step('refuses an end before the start, then creates the activity', 'create', async () => {
    await page.goto(`/orgs/${branchId}/activities/new`);
    await page.locator('select[name="type_id"]').selectOption({ label: 'Hoạt động tình nguyện' });
    await page.locator('input[name="title"]').fill('Chủ nhật xanh tháng sau');
    await page.locator('input[name="starts_at"]').fill('2030-01-06T07:00');
    await page.locator('input[name="ends_at"]').fill('2030-01-06T06:00');
    await page.locator('button[type="submit"].primary').click();
    await page.locator('.error[data-field="ends_at"]').waitFor();
    await screenshot(page, '12-activity-bad-end');
    await page.locator('input[name="ends_at"]').fill('2030-01-06T10:00');
    await page.locator('button[type="submit"].primary').click();
    await page.waitForURL((url) => /^\/activities\/\d+$/.test(url.pathname));
    assert.ok((await page.locator('h1').textContent()).includes('Chủ nhật xanh tháng sau'));
    await page.locator('#my-signup').waitFor();
  });

  step('keeps the register of the monthly meeting', 'register', async () => {
    await page.goto(`/orgs/${branchId}/meetings?year=2021`);
    await page.locator('a', { hasText: 'Sinh hoạt chi đoàn tháng 11/2021' }).click();
    const radios = page.locator('#register input[type="radio"][value="present"]');
    assert.equal(await radios.count(), 23, 'one row per member of the branch on that day');
    await page.locator('#register input[type="radio"][value="excused"]').first().check();
    await page.locator('#register button[type="submit"]').click();
    await page.waitForURL((url) => /^\/activities\/\d+$/.test(url.pathname));
    assert.ok(await page.locator('#register input[type="radio"][value="excused"]').first().isChecked());
    await screenshot(page, '13-register');
  });

  step('shows participation per unit and member', 'participation', async () => {
    await page.goto(`/orgs/${branchId}/participation?year=2021`);
    const rows = page.locator('#participation tbody tr');
    assert.equal(await rows.count(), 23);
    assert.ok((await page.locator('main').textContent()).includes('100,0%'), 'study campaigns at 100%');
    await screenshot(page, '14-participation');
  });
});
