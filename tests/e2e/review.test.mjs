// The year-end report in a browser (issue 9): the secretary opens the branch's 2021 report; it
// tells the article's story from the data, under the heading of a Union document, and downloads
// as PDF and XLSX. The ratings, the classification and the awards register of the year, as the
// branch and the Đoàn khối above it see them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SECRETARY, UPPER, launchBrowser, newContext, screenshot, signIn, startServer, stepper } from './server.mjs';

describe('the year-end report', () => {
  let server;
  let browser;
  let page;
  let branchId = null;
  let upperPage;

  before(async () => {
    server = await startServer({ users: [SECRETARY, UPPER] });
    browser = await launchBrowser();
    ({ page, orgId: branchId } = await signIn(await newContext(browser, server), SECRETARY));
    ({ page: upperPage } = await signIn(await newContext(browser, server), UPPER));
  });

  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0);
  });

  const step = stepper(test, () => page);

  step('the branch report for 2021 carries the article figures', 'review-report', async () => {
    await page.goto(`/orgs/${branchId}/report?year=2021`);
    const text = await page.locator('#report').textContent();
    assert.ok(text.includes('ĐOÀN TNCS HỒ CHÍ MINH'), 'the heading block');
    assert.ok(text.includes('BCH CHI ĐOÀN VĂN PHÒNG UBND TỈNH'), 'the issuing committee');
    assert.ok(text.includes('Tổng kết công tác Đoàn và phong trào thanh niên năm 2021'));
    for (const figure of ['23 đoàn viên', '4 đơn vị công tác', '100% đoàn viên', '47,64%', 'hơn 130 triệu đồng', '02/11/2021', 'Bằng khen']) {
      assert.ok(text.includes(figure), figure);
    }
    await screenshot(page, '95-review-report');
    const api = await page.request.get(`/api/v1/orgs/${branchId}/report?year=2021`, { headers: { Accept: 'application/json' } });
    const body = await api.json();
    assert.equal(body.members.total, 23);
    assert.equal(body.desk.online, 47416);
    assert.equal(body.desk.total, 99537);
  });

  step('the report downloads as PDF and XLSX', 'review-files', async () => {
    await page.goto(`/orgs/${branchId}/report?year=2021`);
    const pdfHref = await page.locator('a[href*="report.pdf"]').first().getAttribute('href');
    const pdf = await page.request.get(pdfHref);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.match(pdf.headers()['content-disposition'], /attachment; filename="bao-cao-vpubnd-2021\.pdf"/);
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    const xlsxHref = await page.locator('a[href*="report.xlsx"]').first().getAttribute('href');
    const xlsx = await page.request.get(xlsxHref);
    assert.equal(xlsx.status(), 200);
    assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
  });

  step('the branch sees its members rated and approved; the Đoàn khối its classification', 'review-ratings', async () => {
    await page.goto(`/orgs/${branchId}/ratings?year=2021`);
    const rows = page.locator('#rating-sheet tbody tr[data-state="approved"]');
    assert.ok((await rows.count()) >= 20, 'the 2021 ratings are approved');
    assert.ok((await page.locator('#guideline').textContent()).includes('HD 33-HD/TWĐTN-BTC'));
    await screenshot(page, '96-review-ratings');
    await upperPage.goto(`/orgs/${branchId}/classification?year=2021`);
    assert.equal(await upperPage.locator('#sheet-state').getAttribute('data-state'), 'approved');
    assert.ok((await upperPage.locator('#proposal').textContent()).includes('Vững mạnh xuất sắc'));
    await screenshot(upperPage, '97-review-classification');
  });

  step('the awards register: the Đoàn khối records a commendation, the branch sees it', 'review-awards', async () => {
    await upperPage.goto(`/orgs/${branchId}/awards`);
    assert.ok((await upperPage.locator('#award-list').textContent()).includes('Bằng khen'));
    await upperPage.locator('#new-award summary').click();
    const form = upperPage.locator('#award-form');
    await form.locator('select[name="recipient_org_id"]').selectOption({ index: 1 });
    await form.locator('select[name="kind"]').selectOption('commendation');
    await form.locator('input[name="title"]').fill('Đã có thành tích trong phong trào tình nguyện năm 2021');
    await form.locator('input[name="issuer"]').fill('Ban Thường vụ Đoàn khối Các cơ quan tỉnh');
    await form.locator('input[name="year"]').fill('2021');
    await form.locator('input[name="decision_on"]').fill('2022-01-12');
    await form.locator('button[type="submit"]').click();
    await upperPage.waitForURL(/\/awards$/);
    await screenshot(upperPage, '98-review-awards');
    await page.goto(`/orgs/${branchId}/awards?year=2021`);
    const list = await page.locator('#award-list').textContent();
    assert.ok(list.includes('Giấy khen') && list.includes('phong trào tình nguyện'), list);
    assert.equal(await page.locator('#award-form').count(), 0, 'the branch does not record awards');
  });
});
