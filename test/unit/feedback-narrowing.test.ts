import { describe, expect, it } from 'vitest';
import { feedbackApplies } from '../../search/ranking-features.js';
import { narrowsFeedback, VISIBLE_STATUSES } from '../../search/search-index.js';
import { parseQuery } from '../../search/query-parser.js';

const auto = { feedback: 'auto' as const, proximity: false };
const large = 10_000;

describe("feedback's auto and filters", () => {
  it('expands a search that only leaves archived assets out, as discovery does for a tenant with some', () => {
    const request = { query: parseQuery('ocean currents'), filters: { status: [...VISIBLE_STATUSES] } };
    expect(narrowsFeedback(request)).toBe(false);
    expect(feedbackApplies(auto, 2, large, narrowsFeedback(request))).toBe(true);
  });

  it('leaves alone a search narrowed by anything else, a status list among them', () => {
    const narrowed = [
      { query: parseQuery('ocean currents'), filters: { status: ['PROCESSED' as const] } },
      { query: parseQuery('ocean currents'), filters: { status: ['ARCHIVED' as const] } },
      { query: parseQuery('ocean currents'), filters: { status: [...VISIBLE_STATUSES], tags: ['kelp'] } },
      { query: parseQuery('ocean currents type:video'), filters: { status: [...VISIBLE_STATUSES] } },
    ];
    for (const request of narrowed) {
      expect(narrowsFeedback(request), JSON.stringify(request.filters)).toBe(true);
      expect(feedbackApplies(auto, 2, large, narrowsFeedback(request))).toBe(false);
    }
  });
});
