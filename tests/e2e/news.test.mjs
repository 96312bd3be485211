// News in a browser (issue 12): the demo's published posts; a member starts a draft from the
// COVID fund's figures, adds a photo with its description and sends it for approval; the
// secretary approves it; a visitor without an account reads it on a phone, with the share card
// in the page's head and plain share links; the Atom feed lists it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, SECRETARY, cli, launchBrowser, newContext, screenshot, signIn, startServer, stepper } from './server.mjs';

const AUTHOR = { username: 'linh', role: 'member', org: 'VPUBND', search: 'dang thi my linh' };

describe('news', () => {
  let server;
  let browser;
  const pages = {};
  let branchId = null;
  let postPath = null;

  before(async () => {
    server = await startServer({ users: [SECRETARY] });
    browser = await launchBrowser();
    const secretary = await newContext(browser, server);
    ({ page: pages.secretary, orgId: branchId } = await signIn(secretary, SECRETARY));
    const res = await secretary.request.get(`/api/v1/orgs/${branchId}/members?q=${encodeURIComponent(AUTHOR.search)}`,
      { headers: { Accept: 'application/json' } });
    const body = await res.json();
    assert.equal(body.total, 1, AUTHOR.search);
    cli(['user', 'add', '--db', server.db, '--username', AUTHOR.username, '--role', AUTHOR.role, '--org', AUTHOR.org,
      '--member', String(body.items[0].id)], { input: `${PASSWORD}\n` });
    ({ page: pages.linh } = await signIn(await newContext(browser, server), AUTHOR));
    const visitor = await newContext(browser, server, { viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
    pages.visitor = await visitor.newPage();
  });

  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0);
  });

  const step = stepper(test, () => pages.secretary);

  step('the demo branch has its 2021 posts', 'news-demo', async () => {
    const page = pages.secretary;
    await page.goto(`/orgs/${branchId}/news`);
    const rows = page.locator('#post-list tbody tr[data-state="published"]');
    assert.ok(await rows.count() >= 3, 'the demo posts');
    const text = await page.locator('#post-list').textContent();
    assert.ok(text.includes('Đã đăng'));
    await screenshot(page, '90-news-list');
  });

  step('a member writes a draft from the COVID fund figures, with a photo', 'news-draft', async () => {
    const page = pages.linh;
    await page.goto(`/orgs/${branchId}/news`);
    const option = page.locator('select[name="source"] option', { hasText: 'COVID' }).first();
    await page.locator('select[name="source"]').selectOption(await option.getAttribute('value'));
    await page.locator('#draft-from-data button[type="submit"]').click();
    await page.waitForURL((url) => /^\/news\/\d+$/.test(url.pathname));
    postPath = new URL(page.url()).pathname;
    const preview = await page.locator('#preview').textContent();
    assert.ok(preview.includes('hơn 130 triệu đồng'), 'the figure from the ledger');
    assert.ok(preview.includes('Đợt 1') && preview.includes('Đợt 2'), 'the two rounds');
    // A photo: the page's own screenshot stands in for one; without a description it is refused.
    const png = await page.screenshot();
    const form = page.locator('#photo-form');
    await form.locator('input[name="photo"]').setInputFiles({ name: 'quy-covid.png', mimeType: 'image/png', buffer: png });
    await form.locator('input[name="alt"]').fill('Đoàn viên trao tiền ủng hộ Quỹ phòng, chống dịch');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === postPath);
    assert.equal(await page.locator('#photos figure.photo').count(), 1);
    await page.locator('form.move-form[data-to="awaiting"] button').click();
    await page.waitForURL((url) => url.pathname === postPath);
    assert.equal(await page.locator('#post-state').getAttribute('data-state'), 'awaiting');
    await screenshot(page, '91-news-draft');
  });

  step('the secretary approves and publishes it', 'news-approve', async () => {
    const page = pages.secretary;
    await page.goto(postPath);
    assert.equal(await page.locator('form.move-form[data-to="published"]').count(), 1);
    await page.locator('form.move-form[data-to="published"] button').click();
    await page.waitForURL((url) => url.pathname === postPath);
    assert.equal(await page.locator('#post-state').getAttribute('data-state'), 'published');
  });

  step('a visitor reads it on a phone, with the share card', 'news-public', async () => {
    const page = pages.visitor;
    await page.goto(`/public/orgs/${branchId}/news`);
    const first = page.locator('#news-list article').first();
    assert.ok((await first.textContent()).includes('COVID'), 'the new post first');
    assert.equal(await first.locator('img').count(), 1, 'with its photo');
    await screenshot(page, '92-news-public-list');
    await first.locator('h2 a').click();
    await page.waitForURL((url) => /^\/public\/news\/\d+$/.test(url.pathname));
    const ogTitle = await page.locator('meta[property="og:title"]').getAttribute('content');
    assert.ok(ogTitle.includes('COVID'));
    const ogImage = await page.locator('meta[property="og:image"]').getAttribute('content');
    assert.match(ogImage, /\/public\/news\/photos\/\d+\/large\.jpg$/);
    const image = await page.request.get(ogImage);
    assert.equal(image.status(), 200);
    assert.equal(image.headers()['content-type'], 'image/jpeg');
    assert.ok((await page.locator('meta[property="og:description"]').getAttribute('content')).length > 20);
    const facebook = await page.locator('#share a[data-network="facebook"]').getAttribute('href');
    assert.ok(facebook.startsWith('https://www.facebook.com/sharer/sharer.php?u='));
    const scripts = await page.locator('script[src]').evaluateAll((list) => list.map((s) => s.getAttribute('src')));
    assert.deepEqual(scripts, ['/static/app.js'], 'no third-party script');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 412, `fits the phone (${width}px)`);
    await screenshot(page, '93-news-public-post');
    const feed = await page.request.get(`/public/orgs/${branchId}/news.atom`);
    assert.equal(feed.status(), 200);
    assert.ok((await feed.text()).includes('COVID'));
  });
});
