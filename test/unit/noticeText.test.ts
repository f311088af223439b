import assert from 'node:assert/strict';
import { noticeText } from '../../src/core/noticeText';
import { NOTIFICATION_LINK } from './fakes/notificationLink';

describe('noticeText (server and agent text in a notification)', () => {
  it('leaves no link VS Code would render, whatever the text, and reads as written', () => {
    const texts = [
      'Done. [Open PR #12](https://evil.example/login) or [fix](command:workbench.action.terminal.new)',
      '[a](file:///etc/passwd "title") [[b]](HTTP://x.example) [c]]](https://x.example)',
      '[nested [x](https://a.example)](https://b.example)',
    ];
    for (const text of texts) assert.deepEqual(noticeText(text).match(NOTIFICATION_LINK), null, text);
    assert.equal(noticeText(texts[0] ?? ''), 'Done. [Open PR #12] (https://evil.example/login) or [fix] (command:workbench.action.terminal.new)');
  });

  it('changes no text without a link: brackets and parentheses of their own stay', () => {
    for (const text of ['Contexten: run #7 stopped.', 'status: awaiting review (2 checks) [ci]', 'a\\b [x] (y)']) assert.equal(noticeText(text), text);
  });
});
