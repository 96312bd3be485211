// The year-end report in a browser (issue 9, first part): the secretary opens the branch's 2021
// report; it tells the article's story from the data, under the heading of a Union document.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SECRETARY, launchBrowser, newContext, screenshot, signIn, startServer, stepper } from './server.mjs';

describe('the year-end report', () => {
  let server;
  let browser;
  let page;
  let branchId = null;

  before(async () => {
    server = await startServer({ users: [SECRETARY] });
    browser = await launchBrowser();
    ({ page, orgId: branchId } = await signIn(await newContext(browser, server), SECRETARY));
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
});
