// The blood-donation club in a browser (issue 5): the secretary appoints themself coordinator,
// registers a donor, opens an emergency request, calls down the ranked list and sees the phone
// only after the donor accepted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SECRETARY, launchBrowser, newContext, screenshot, signIn, startServer, stepper } from './server.mjs';

describe('the blood club as its coordinator', () => {
  let server;
  let browser;
  let context;
  let page;
  let branchId = null;
  let clubUrl = null;

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

  step('the club page shows statistics, not the roster, to the secretary', 'club', async () => {
    await page.goto(`/orgs/${branchId}/blood`);
    if (await page.locator('a[href^="/blood/clubs/"]').count() === 0) {
      await page.locator('summary').click();
      await page.locator('form[action$="/blood"] button[type="submit"]').click();
    } else {
      await page.locator('a[href^="/blood/clubs/"]').first().click();
    }
    await page.waitForURL((url) => /^\/blood\/clubs\/\d+$/.test(url.pathname));
    clubUrl = new URL(page.url()).pathname;
    const text = await page.locator('main').textContent();
    assert.ok(text.includes('Theo nhóm máu'), 'statistics by group');
    assert.equal(await page.locator(`a[href="${clubUrl}/donors"]`).count(), 0, 'no roster link before the appointment');
    const roster = await context.request.get(`${clubUrl}/donors`, { headers: { Accept: 'application/json' } });
    assert.equal(roster.status(), 403);
  });

  step('the secretary appoints themself; the roster opens', 'appoint', async () => {
    await page.locator('input[name="username"]').fill(SECRETARY.username);
    await page.locator('form[action$="/coordinators"] button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === clubUrl);
    await page.locator(`a[href="${clubUrl}/donors"]`).click();
    await page.waitForURL((url) => url.pathname === `${clubUrl}/donors`);
    await screenshot(page, '51-blood-roster');
  });

  step('registers an RhD-negative outsider', 'register', async () => {
    await page.locator('details summary').last().click();
    const form = page.locator(`form[action="${clubUrl}/donors"]`);
    await form.locator('input[name="name"]').fill('Nguyễn Văn Hùng');
    await form.locator('input[name="phone"]').fill('0918 222 333');
    await form.locator('select[name="sex"]').selectOption('male');
    await form.locator('input[name="birth_date"]').fill('1988-07-01');
    await form.locator('select[name="blood_group"]').selectOption('O-');
    await form.locator('input[name="district"]').fill('Đà Lạt');
    for (const c of ['consent_join', 'consent_health', 'consent_call', 'consent_location']) {
      await form.locator(`input[name="${c}"]`).check();
    }
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((url) => /^\/blood\/donors\/\d+$/.test(url.pathname));
    const text = await page.locator('main').textContent();
    assert.ok(text.includes('Nguyễn Văn Hùng'));
    assert.ok(text.includes('Hiến được hôm nay'), 'eligible today');
    assert.ok(!text.includes('918222333'), 'no phone on the page');
  });

  step('an emergency request ranks the donor; the phone shows only after acceptance', 'request', async () => {
    await page.goto(`${clubUrl}/requests`);
    const form = page.locator('#request-form');
    await form.locator('input[name="hospital"]').fill('Bệnh viện Đa khoa tỉnh Lâm Đồng');
    await form.locator('select[name="recipient_group"]').selectOption('O-');
    await form.locator('input[name="district"]').fill('Đà Lạt');
    await form.locator('input[name="contact_name"]').fill('BS. Nguyễn Thị Hạnh');
    await form.locator('input[name="contact_phone"]').fill('0263 3822 222');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((url) => /^\/blood\/requests\/\d+$/.test(url.pathname));
    const row = page.locator('#matches tr', { hasText: 'Nguyễn Văn Hùng' });
    assert.equal(await row.count(), 1, 'the donor is offered');
    assert.ok((await row.textContent()).includes('Cùng nhóm máu O−'));
    assert.equal(await row.locator('form[action*="/phone"]').count(), 0, 'no phone before acceptance');
    await row.locator('select[name="outcome"]').selectOption('accepted');
    await row.locator('.call-form button[type="submit"]').click();
    await page.waitForLoadState('networkidle');
    await screenshot(page, '52-blood-request');
    const accepted = page.locator('#matches tr', { hasText: 'Nguyễn Văn Hùng' });
    await accepted.locator('form[action*="/phone"] button').click();
    await page.waitForLoadState('networkidle');
    assert.ok((await page.locator('main').textContent()).includes('+84918222333'));
  });
});
