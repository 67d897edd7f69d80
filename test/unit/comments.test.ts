import { describe, expect, it } from 'vitest';
import {
  checkAttachmentUrl,
  checkRegion,
  checkTimestamp,
  checkTransition,
  CommentTransitionError,
  COMMENT_STATUSES,
} from '../../domain/comments.js';
import { ValidationError } from '../../domain/errors.js';
import { analyzeComment } from '../../enrichment/comment-analysis.js';
import { DEFAULT_TAXONOMY } from '../../enrichment/topics.js';
import { webhookEventsFor } from '../../domain/webhooks.js';

describe('time-coded feedback rules', () => {
  it('takes timestamps on the 100 ms grid and refuses others rather than rounding them', () => {
    expect(checkTimestamp(0)).toBe(0);
    expect(checkTimestamp(72_100)).toBe(72_100);
    for (const bad of [1_234, 50, -100, 1.5, 48 * 3600 * 1000 + 100])
      expect(() => checkTimestamp(bad), String(bad)).toThrow(ValidationError);
  });

  it('takes regions inside the frame only', () => {
    expect(checkRegion({ x: 0.5, y: 0.5, width: 0.5, height: 0.5 })).toBeTruthy();
    for (const bad of [
      { x: 0.6, y: 0, width: 0.5, height: 0.1 },
      { x: 0, y: 0, width: 0, height: 0.1 },
      { x: -0.1, y: 0, width: 0.1, height: 0.1 },
      { x: 0, y: 0, width: Number.NaN, height: 0.1 },
    ])
      expect(() => checkRegion(bad)).toThrow(ValidationError);
  });

  it('allows the workflow moves and refuses every other with a 409 naming the allowed ones', () => {
    const allowed = new Set([
      'open>in_progress',
      'open>resolved',
      'open>wont_fix',
      'in_progress>open',
      'in_progress>resolved',
      'in_progress>wont_fix',
      'resolved>open',
      'wont_fix>open',
    ]);
    for (const from of COMMENT_STATUSES)
      for (const to of COMMENT_STATUSES) {
        if (from === to) continue;
        if (allowed.has(`${from}>${to}`)) expect(() => checkTransition(from, to)).not.toThrow();
        else {
          let error: unknown;
          try {
            checkTransition(from, to);
          } catch (err) {
            error = err;
          }
          expect(error, `${from}>${to}`).toBeInstanceOf(CommentTransitionError);
          expect((error as CommentTransitionError).status).toBe(409);
        }
      }
  });

  it('takes absolute http(s) attachment URLs without credentials', () => {
    expect(checkAttachmentUrl('https://example.com/a.png')).toBe('https://example.com/a.png');
    for (const bad of ['javascript:alert(1)', 'ftp://example.com/a', '/relative', 'https://u:p@example.com/'])
      expect(() => checkAttachmentUrl(bad), bad).toThrow(ValidationError);
  });
});

describe('comment analysis', () => {
  it('scores sentiment with AFINN and finds keywords, deterministically', () => {
    const good = analyzeComment('I love this beautiful shot, great work', DEFAULT_TAXONOMY);
    const bad = analyzeComment('The audio is broken and the music is awful', DEFAULT_TAXONOMY);
    const plain = analyzeComment('The logo at 01:12 is the old one', DEFAULT_TAXONOMY);
    expect([good.sentiment, bad.sentiment, plain.sentiment]).toEqual(['positive', 'negative', 'neutral']);
    expect(good.sentimentScore).toBeGreaterThan(0);
    expect(bad.sentimentScore).toBeLessThan(0);
    expect(bad.keywords).toEqual(expect.arrayContaining(['audio', 'music']));
    expect(analyzeComment('The logo at 01:12 is the old one', DEFAULT_TAXONOMY)).toEqual(plain);
  });
});

describe('comment webhook events', () => {
  it('announces comments as they were written to the outbox, with no sequence', () => {
    const payload = { assetId: 'a', commentId: 'c', from: 'open', to: 'resolved', assigneeToken: null };
    expect(
      webhookEventsFor({ id: 1, tenantId: 't', type: 'comment.status_changed', aggregateId: 'a', payload }),
    ).toEqual([{ type: 'comment.status_changed', data: payload }]);
  });
});
