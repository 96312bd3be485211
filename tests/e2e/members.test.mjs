// The member roll in a browser, as the branch secretary of the demo (issue 2, "Browser test"):
// log in, search without diacritics, add a member (a bad CCCD first), import a CSV with one bad
// row (preview rejects it, nothing written), log out. Screenshots go to tests/e2e/artifacts/.
//
// Page contracts (the server's templates must keep these):
//   /login                      form with input[name=username], input[name=password], button[type=submit]; success → "/"
//   /orgs/{id}                  input[name=q] (htmx search as you type), table#member-list > tbody > tr.member-row
//   /orgs/{id}/members/new      form: family_name middle_name given_name sex(select male|female) birth_date(type=date)
//                               cccd phone email joined_union_on branch_since unit_id(select), submit button;
//                               an error is shown as .error[data-field="<field>"]; success → /members/{id}
//   /orgs/{id}/import           form with input[type=file][name=file] and a submit button; the preview is
//                               #import-preview with one tr.bad-row per rejected row; the commit control
//                               (#import-commit or button[name=commit]) is absent or disabled while any row is bad
//   any page when logged in     form[action="/logout"] with a button; → /login
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, SECRETARY, launchBrowser, newContext, screenshot, startServer } from './server.mjs';

const STEP_TIMEOUT = 60_000;

describe('member roll as the branch secretary', () => {
  let server;
  let browser;
  let context;
  let page;
  let branchId = null; // id of the org whose code is VPUBND

  before(async () => {
    server = await startServer({ users: [SECRETARY] });
    browser = await launchBrowser();
    context = await newContext(browser, server);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.setDefaultNavigationTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    if (server) {
      const code = await server.stop();
      if (code !== 0) assert.fail(`chidoan serve should exit 0 on SIGTERM, got ${code}; log:\n${server.log()}`);
    }
  });

  // A test step that leaves a screenshot behind when it fails.
  const step = (name, shot, fn) => test(name, { timeout: STEP_TIMEOUT }, async () => {
    try {
      await fn();
    } catch (e) {
      await screenshot(page, `fail-${shot}`);
      throw e;
    }
  });

  const api = async (url) => {
    const res = await context.request.get(url, { headers: { Accept: 'application/json' } });
    assert.equal(res.status(), 200, `GET ${url} → ${res.status()}: ${await res.text()}`);
    return res.json();
  };
  const memberTotal = async () => {
    const body = await api(`/api/v1/orgs/${branchId}/members`);
    assert.equal(typeof body.total, 'number', 'members API returns a numeric total');
    return body.total;
  };
  const needLogin = () => assert.ok(branchId !== null, 'not logged in (the login step failed)');

  step('logs in as the demo secretary and lands on the home page', 'login', async () => {
    await page.goto('/login');
    await page.locator('input[name="username"]').fill(SECRETARY.username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').first().click();
    await page.waitForURL((url) => url.pathname === '/');
    await screenshot(page, '01-home');

    const orgs = await api('/api/v1/orgs');
    assert.ok(Array.isArray(orgs.items), '/api/v1/orgs returns items');
    const branch = orgs.items.find((o) => o.code === SECRETARY.org);
    assert.ok(branch, `org ${SECRETARY.org} is visible to ${SECRETARY.username}`);
    branchId = branch.id;
  });

  step('finds "Phan Văn Sang" typed without diacritics', 'search', async () => {
    needLogin();
    await page.goto(`/orgs/${branchId}`);
    const rows = page.locator('#member-list tbody tr.member-row');
    await rows.first().waitFor();
    const before = await rows.count();
    assert.ok(before > 1, `the branch page lists the members (found ${before} rows)`);

    await page.locator('input[name="q"]').pressSequentially('phan van sang', { delay: 40 });
    // htmx swaps the rows in: wait until every row left matches the search.
    await page.waitForFunction(() => {
      const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase()
        .replace(/\s+/g, ' ');
      const rs = [...document.querySelectorAll('#member-list tbody tr.member-row')];
      return rs.length > 0 && rs.every((r) => fold(r.textContent).includes('phan van sang'));
    });
    const texts = await rows.allTextContents();
    assert.ok(texts.some((t) => t.normalize('NFC').includes('Phan Văn Sang')),
      `a row shows "Phan Văn Sang" with its diacritics: ${JSON.stringify(texts)}`);
    assert.ok(texts.length < before, 'the search narrowed the list');
    await screenshot(page, '02-search');
  });

  // Female, born 2000 in Lâm Đồng (province code 068): CCCD digits 4–6 are "3" (female, 2000s) and "00".
  const suffix = String(Date.now() % 1_000_000).padStart(6, '0');
  const newMember = {
    family_name: 'Hoàng', middle_name: 'Thị Minh', given_name: 'Thư', sex: 'female',
    birth_date: '2000-05-14', phone: '0912345678', email: `minhthu.${suffix}@example.vn`,
    joined_union_on: '2017-03-26', branch_since: '2021-05-01', cccd: `068300${suffix}`,
  };
  const fullName = 'Hoàng Thị Minh Thư';

  async function fillMemberForm(m) {
    const form = page.locator('form:has([name="cccd"])');
    for (const f of ['family_name', 'middle_name', 'given_name', 'birth_date', 'cccd', 'phone', 'email',
      'joined_union_on', 'branch_since']) {
      await form.locator(`[name="${f}"]`).fill(m[f]);
    }
    await form.locator('select[name="sex"]').selectOption(m.sex);
    const unit = form.locator('select[name="unit_id"]');
    const values = await unit.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(values.length > 0, 'the unit select offers the branch units');
    await unit.selectOption(values[0]);
    return form;
  }
  const submitOf = (form) => form.locator('button[type="submit"], input[type="submit"]').first();

  step('refuses an 11-digit CCCD with the error on the field, saving nothing', 'member-bad-cccd', async () => {
    needLogin();
    const total = await memberTotal();
    await page.goto(`/orgs/${branchId}/members/new`);
    const form = await fillMemberForm({ ...newMember, cccd: newMember.cccd.slice(0, 11) });
    await submitOf(form).click();
    const error = page.locator('.error[data-field="cccd"]');
    await error.waitFor({ state: 'visible' });
    assert.ok((await error.textContent()).trim().length > 0, 'the CCCD error says something');
    assert.doesNotMatch(new URL(page.url()).pathname, /^\/members\//, 'stays on the form');
    await screenshot(page, '03-member-bad-cccd');
    assert.equal(await memberTotal(), total, 'nothing saved');
  });

  step('adds a member and shows the member page', 'member-added', async () => {
    needLogin();
    const total = await memberTotal();
    await page.goto(`/orgs/${branchId}/members/new`);
    const form = await fillMemberForm(newMember);
    await submitOf(form).click();
    await page.waitForURL((url) => /^\/members\/[^/]+$/.test(url.pathname));
    await page.waitForFunction((name) => document.body.innerText.normalize('NFC').includes(name), fullName);
    await screenshot(page, '04-member-added');
    assert.equal(await memberTotal(), total + 1, 'one member more in the branch');
  });

  step('previews a CSV with a bad date, rejects the row and writes nothing', 'import', async () => {
    needLogin();
    const total = await memberTotal();
    const csv = [
      'Họ và tên,Ngày sinh,Giới tính,Số CCCD',
      `Nguyễn Văn Kiên,12/03/1998,Nam,068098${suffix}`,
      `Trần Thị Mai,31/02/2000,Nữ,068300${String((Number(suffix) + 1) % 1_000_000).padStart(6, '0')}`,
      '',
    ].join('\r\n');
    await page.goto(`/orgs/${branchId}/import`);
    const input = page.locator('input[type="file"][name="file"]');
    await input.setInputFiles({ name: 'thanh-vien.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await submitOf(page.locator('form:has(input[type="file"][name="file"])')).click();

    const preview = page.locator('#import-preview');
    await preview.waitFor({ state: 'visible' });
    const bad = preview.locator('tr.bad-row');
    assert.equal(await bad.count(), 1, 'exactly one bad row');
    const badText = (await bad.first().innerText()).normalize('NFC');
    assert.match(badText, /Ngày sinh|birth_date|birth date/i, `the bad row names the field: ${badText}`);

    const commit = page.locator('#import-commit, button[name="commit"], input[name="commit"]');
    for (let i = 0; i < await commit.count(); i++) {
      assert.ok(await commit.nth(i).isDisabled(), 'the commit button is disabled while a row is bad');
    }
    await screenshot(page, '05-import-preview');
    assert.equal(await memberTotal(), total, 'nothing of the file was written');
  });

  step('logs out and is sent to the login page afterwards', 'logout', async () => {
    needLogin();
    await page.goto('/');
    await page.locator('form[action="/logout"] button').first().click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto('/');
    assert.equal(new URL(page.url()).pathname, '/login', 'GET / redirects to /login after logout');
    await screenshot(page, '06-logged-out');
  });
});
