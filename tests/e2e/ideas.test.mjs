// The young creative ideas forum in a browser (issue 8): the demo forum of 2/11/2021 and its
// results; then the secretary opens a forum, a member posts an idea and sends it, another member
// supports it (the count and the progress bar move), the secretary takes it into mentoring and
// accepts it with an answer, and the results page shows it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, SECRETARY, cli, launchBrowser, newContext, screenshot, signIn, startServer, stepper } from './server.mjs';

const AUTHOR = { username: 'linh', role: 'member', org: 'VPUBND', search: 'dang thi my linh' };
const SUPPORTER = { username: 'khoa', role: 'member', org: 'VPUBND', search: 'nguyen dang khoa' };

describe('the ideas forum', () => {
  let server;
  let browser;
  const pages = {};
  let branchId = null;
  let forumUrl = null;
  let ideaUrl = null;

  before(async () => {
    server = await startServer({ users: [SECRETARY] });
    browser = await launchBrowser();
    const secretary = await newContext(browser, server);
    ({ page: pages.secretary, orgId: branchId } = await signIn(secretary, SECRETARY));
    // Two member logins, linked to members of the branch found by name.
    for (const user of [AUTHOR, SUPPORTER]) {
      const res = await secretary.request.get(`/api/v1/orgs/${branchId}/members?q=${encodeURIComponent(user.search)}`,
        { headers: { Accept: 'application/json' } });
      const body = await res.json();
      assert.equal(body.total, 1, user.search);
      cli(['user', 'add', '--db', server.db, '--username', user.username, '--role', user.role, '--org', user.org,
        '--member', String(body.items[0].id)], { input: `${PASSWORD}\n` });
      ({ page: pages[user.username] } = await signIn(await newContext(browser, server), user));
    }
  });

  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0);
  });

  const step = stepper(test, () => pages.secretary);

  step('the demo forum of 2/11/2021 and its results', 'ideas-demo', async () => {
    const page = pages.secretary;
    await page.goto(`/orgs/${branchId}/ideas`);
    const list = await page.locator('main').textContent();
    assert.ok(list.includes('Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ'), 'the forum of the article');
    assert.ok(list.includes('02/11/2021'), 'held on 2/11/2021');
    await screenshot(page, '80-ideas-forums');
    await page.locator('a[href^="/ideas/forums/"]', { hasText: 'Tuổi trẻ chi đoàn' }).first().click();
    await page.waitForURL((url) => /^\/ideas\/forums\/\d+$/.test(url.pathname));
    assert.ok(await page.locator('progress.support-progress').count() >= 5, 'a progress bar per idea');
    await screenshot(page, '81-ideas-demo-forum');
    await page.locator('a[href$="/results"]').first().click();
    await page.waitForURL((url) => /^\/ideas\/forums\/\d+\/results$/.test(url.pathname));
    const results = await page.locator('main').textContent();
    assert.ok(results.includes('Số hoá hồ sơ'), 'the implemented idea');
    assert.ok(results.includes('1.126 bộ hồ sơ'), 'with its outcome');
    assert.ok(results.includes('17/12/2021'), 'and its date');
    await screenshot(page, '82-ideas-demo-results');
  });

  step('the secretary opens a standing forum with a threshold of 2', 'ideas-forum', async () => {
    const page = pages.secretary;
    await page.goto(`/orgs/${branchId}/ideas`);
    await page.locator('summary', { hasText: 'Tạo diễn đàn' }).click();
    const form = page.locator('#forum-form');
    await form.locator('input[name="title"]').fill('Ý tưởng sáng tạo của đoàn viên');
    await form.locator('select[name="kind"]').selectOption('standing');
    await form.locator('input[name="held_on"]').fill('');
    await form.locator('input[name="support_threshold"]').fill('2');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((url) => /^\/ideas\/forums\/\d+$/.test(url.pathname));
    forumUrl = new URL(page.url()).pathname;
    assert.ok((await page.locator('main h1').textContent()).includes('Ý tưởng sáng tạo của đoàn viên'));
  });

  step('a member posts an idea and sends it', 'ideas-post', async () => {
    const page = pages.linh;
    await page.goto(forumUrl);
    const form = page.locator('#idea-form');
    await form.locator('input[name="title"]').fill('Sổ tay điện tử của đoàn viên <b>chi đoàn</b>');
    await form.locator('textarea[name="problem"]').fill('Văn bản của chi đoàn gửi qua nhiều nhóm nhắn tin, khó tìm lại.');
    await form.locator('textarea[name="proposal"]').fill('Một trang tổng hợp văn bản, kế hoạch, lịch sinh hoạt theo tháng.');
    await form.locator('textarea[name="benefit"]').fill('Đoàn viên mới nắm nhanh hoạt động của chi đoàn.');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((url) => /^\/ideas\/\d+$/.test(url.pathname));
    ideaUrl = new URL(page.url()).pathname;
    assert.equal(await page.locator('#idea-state').getAttribute('data-state'), 'draft');
    assert.ok((await page.locator('#idea-title').textContent()).includes('<b>chi đoàn</b>'), 'markup shown as text');
    await page.locator('form.move-form[data-to="submitted"] button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === ideaUrl);
    assert.equal(await page.locator('#idea-state').getAttribute('data-state'), 'submitted');
    assert.equal(await page.locator('#support-button').count(), 0, 'no support of one\'s own idea');
    await screenshot(page, '83-ideas-posted');
  });

  step('another member supports it: the count and the bar move', 'ideas-support', async () => {
    const page = pages.khoa;
    await page.goto(ideaUrl);
    const bar = page.locator('#support-box progress.support-progress');
    assert.equal(await bar.getAttribute('value'), '0');
    assert.equal(await bar.getAttribute('max'), '2');
    await page.locator('#support-button').click();
    await page.waitForURL((url) => url.pathname === ideaUrl);
    assert.equal(await page.locator('#support-box progress.support-progress').getAttribute('value'), '1');
    assert.ok((await page.locator('#support-box .support-count').textContent()).includes('1/2'));
    assert.equal(await page.locator('#you-support').count(), 1);
    await screenshot(page, '84-ideas-supported');
  });

  step('the secretary takes it into mentoring and accepts it with an answer', 'ideas-accept', async () => {
    const page = pages.secretary;
    await page.goto(ideaUrl);
    await page.locator('form.move-form[data-to="mentoring"] button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === ideaUrl);
    assert.equal(await page.locator('#idea-state').getAttribute('data-state'), 'mentoring');
    const accept = page.locator('form.move-form[data-to="accepted"]');
    await accept.locator('textarea[name="answer"]').fill('Đồng ý; Ban Chấp hành giao đồng chí Linh làm thử trong tháng tới.');
    await accept.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === ideaUrl);
    assert.equal(await page.locator('#idea-state').getAttribute('data-state'), 'accepted');
    assert.ok((await page.locator('#idea-answer').textContent()).includes('làm thử trong tháng tới'));
    assert.equal(await page.locator('#timeline ol.timeline > li').count(), 4, 'draft, submitted, mentoring, accepted');
    await screenshot(page, '85-ideas-accepted');
  });

  step('the results page shows it', 'ideas-results', async () => {
    const page = pages.secretary;
    await page.goto(`${forumUrl}/results`);
    assert.equal(await page.locator('#by-state tr[data-state="accepted"] td').nth(1).textContent(), '1');
    assert.equal(await page.locator('#result-supports').textContent(), '1');
    assert.ok((await page.locator('#ranking').textContent()).includes('Sổ tay điện tử của đoàn viên'));
    await screenshot(page, '86-ideas-results');
  });
});
