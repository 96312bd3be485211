// An idea's discussion in a browser (issue 8, with src/ideas/talk_*): the secretary opens a
// forum and names themself mentor, a member posts an idea; a comment with script in it is shown
// as text with its link; the mentor gives guidance and the author answers; the author reports a
// comment (once); the secretary hides it from the moderation queue with a reason; the author
// reads the notices; typing a title suggests the similar idea.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, SECRETARY, cli, launchBrowser, newContext, screenshot, signIn, startServer, stepper } from './server.mjs';

const AUTHOR = { username: 'thaolt', role: 'member', org: 'VPUBND' };
const IDEA_TITLE = 'Ứng dụng số hóa hồ sơ thủ tục hành chính cho người dân';

describe('the discussion of an idea', () => {
  let server;
  let browser;
  let secretary;
  let author;
  let branchId;
  let forumId;
  let ideaId;

  const csrf = (page) => page.locator('meta[name="csrf-token"]').getAttribute('content');
  async function post(page, url, data) {
    const res = await page.context().request.post(url, { data, headers: { 'X-CSRF-Token': await csrf(page), Accept: 'application/json' } });
    return { status: res.status(), body: await res.json() };
  }

  before(async () => {
    server = await startServer({ users: [SECRETARY] });
    browser = await launchBrowser();
    ({ page: secretary, orgId: branchId } = await signIn(await newContext(browser, server), SECRETARY));
    // A member's account, bound to the first member of the branch's roll.
    const roll = await secretary.context().request.get(`/api/v1/orgs/${branchId}/members?limit=1`);
    const memberId = (await roll.json()).items[0].id;
    cli(['user', 'add', '--db', server.db, '--username', AUTHOR.username, '--role', 'member', '--org', 'VPUBND',
      '--member', String(memberId)], { input: `${PASSWORD}\n` });
    ({ page: author } = await signIn(await newContext(browser, server), AUTHOR));
  });

  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0);
  });

  const step = stepper(test, () => author);

  step('a forum with its mentor, and a sent idea', 'setup', async () => {
    const forum = await post(secretary, `/api/v1/orgs/${branchId}/ideas/forums`, {
      title: 'Tuổi trẻ Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ', kind: 'standing', opens_on: '2021-01-01' });
    assert.equal(forum.status, 201, JSON.stringify(forum.body));
    forumId = forum.body.id;
    const mentor = await post(secretary, `/api/v1/ideas/forums/${forumId}/mentors`, { username: SECRETARY.username, title: 'Bí thư chi đoàn' });
    assert.ok(mentor.status < 300, JSON.stringify(mentor.body));
    await author.goto(`/ideas/forums/${forumId}`);
    const idea = await post(author, `/api/v1/ideas/forums/${forumId}/ideas`, {
      title: IDEA_TITLE, problem: 'Người dân mất nhiều thời gian scan giấy tờ.', proposal: 'Đoàn viên hướng dẫn số hóa tại bộ phận một cửa.' });
    assert.equal(idea.status, 201, JSON.stringify(idea.body));
    ideaId = idea.body.id;
    const sent = await post(author, `/api/v1/ideas/${ideaId}/state`, { to_state: 'submitted' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
  });

  step('a comment with script in it is text, its address a link', '85-ideas-talk', async () => {
    await secretary.goto(`/ideas/${ideaId}`);
    await secretary.locator('#comment-form textarea[name="body"]').fill(
      "<script>window.__hacked = 1</script> Xem thêm https://dichvucong.gov.vn\nCảm ơn nhóm!");
    await secretary.locator('#comment-form button[type="submit"]').click();
    await secretary.waitForURL((url) => url.pathname === `/ideas/${ideaId}`);
    const comment = secretary.locator('.comment-thread article.comment').first();
    assert.ok((await comment.textContent()).includes('<script>window.__hacked = 1</script>'), 'the script is shown as text');
    assert.equal(await secretary.evaluate(() => window.__hacked), undefined, 'and never ran');
    const link = comment.locator('a[href="https://dichvucong.gov.vn"]');
    assert.equal(await link.getAttribute('rel'), 'nofollow ugc noopener');
    assert.ok((await comment.textContent()).includes('Cảm ơn nhóm!'));
    await screenshot(secretary, '85-ideas-talk');
  });

  step('the mentor gives guidance, the author answers', '86-ideas-mentoring', async () => {
    await secretary.locator('#mentor-form textarea[name="body"]').fill('Nên khảo sát **nhu cầu** của người dân trước khi làm.');
    await secretary.locator('#mentor-form button[type="submit"]').click();
    await secretary.waitForURL((url) => url.pathname === `/ideas/${ideaId}`);
    await author.goto(`/ideas/${ideaId}`);
    const guidance = author.locator('.mentor-thread article.comment.by-mentor').first();
    assert.equal(await guidance.locator('strong', { hasText: 'nhu cầu' }).count(), 1);
    assert.equal(await author.locator('#mentor-form').count(), 0, 'authors do not start the mentors\' thread');
    await guidance.locator('details summary').first().click();
    await guidance.locator('textarea[name="body"]').fill('Chúng em sẽ khảo sát trong tháng 12.');
    await guidance.locator('button[type="submit"]').first().click();
    await author.waitForURL((url) => url.pathname === `/ideas/${ideaId}`);
    assert.equal(await author.locator('.mentor-thread .replies article.comment').count(), 1);
    await screenshot(author, '86-ideas-mentoring');
  });

  step('the author reports a comment, once', 'report', async () => {
    const comment = author.locator('.comment-thread article.comment').first();
    await comment.locator('summary', { hasText: 'Báo cáo' }).click();
    await comment.locator('textarea[name="reason"]').fill('Có mã lạ trong bình luận');
    await comment.locator('button.danger').click();
    await author.waitForURL((url) => url.pathname === `/ideas/${ideaId}`);
    assert.ok((await author.locator('.comment-thread').textContent()).includes('Bạn đã báo cáo bình luận này.'));
    const id = (await author.locator('.comment-thread article.comment').first().getAttribute('id')).replace('comment-', '');
    const again = await post(author, `/api/v1/ideas/comments/${id}/report`, { reason: 'Lần nữa' });
    assert.equal(again.status, 409);
  });

  step('the secretary hides it from the moderation queue with a reason', '87-ideas-moderation', async () => {
    await secretary.goto(`/orgs/${branchId}/ideas/moderation`);
    const item = secretary.locator('.queue-item').first();
    assert.ok((await item.textContent()).includes('Có mã lạ trong bình luận'));
    await screenshot(secretary, '87-ideas-moderation');
    await item.locator('form[action$="/hide"] textarea[name="reason"]').fill('Chứa mã lệnh');
    await item.locator('form[action$="/hide"] button').click();
    await secretary.waitForURL((url) => url.pathname === `/orgs/${branchId}/ideas/moderation`);
    assert.equal(await secretary.locator('.queue-item.is-hidden').count(), 1);
    await author.goto(`/ideas/${ideaId}`);
    assert.ok((await author.locator('.comment-thread').textContent()).includes('Nội dung đã bị ẩn chờ kiểm duyệt.'));
  });

  step('the author reads the notices', '88-ideas-notices', async () => {
    await author.goto('/ideas/notices');
    assert.ok(await author.locator('#unread-count').isVisible());
    assert.ok(await author.locator('li.notice.unread').count() >= 2);
    await screenshot(author, '88-ideas-notices');
    await author.locator('form[action="/ideas/notices/read"] button').click();
    await author.waitForURL((url) => url.pathname === '/ideas/notices');
    assert.equal(await author.locator('li.notice.unread').count(), 0);
  });

  step('typing a title suggests the similar idea', '89-ideas-similar', async () => {
    await author.goto(`/ideas/forums/${forumId}`);
    const title = author.locator('input[name="title"][hx-get]');
    await title.first().pressSequentially('so hoa ho so hanh chinh', { delay: 20 });
    await author.locator('#similar-list a').first().waitFor();
    assert.ok((await author.locator('#similar-list').textContent()).includes(IDEA_TITLE));
    await screenshot(author, '89-ideas-similar');
  });
});
