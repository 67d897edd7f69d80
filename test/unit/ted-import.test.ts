import { describe, expect, it } from 'vitest';
import { AssetInputSchema } from '../../domain/asset.js';
import { tedRowToAsset } from '../../scripts/lib/ted.js';

const row = {
  title: 'Do schools kill creativity?',
  description: 'Sir Ken Robinson makes an entertaining case for creativity.',
  main_speaker: 'Ken Robinson',
  tags: "['children', 'creativity', 'education']",
  url: 'https://www.ted.com/talks/ken_robinson_says_schools_kill_creativity\n',
  film_date: '1140825600',
  duration: '1164',
  views: '47227110',
};

describe('a TED row as an asset (npm run import:ted)', () => {
  it('keeps the duration (seconds) and the views, where durationMin and sort=popularity read them', () => {
    const asset = tedRowToAsset(row);
    expect(asset.technicalMetadata).toEqual({
      durationSeconds: 1164,
      viewCount: 47_227_110,
      platform: 'ted',
    });
    expect(asset).toMatchObject({
      title: 'Do schools kill creativity?',
      speakers: ['Ken Robinson'],
      tags: ['children', 'creativity', 'education'],
      sourceSystem: 'ted',
      sourceId: 'https://www.ted.com/talks/ken_robinson_says_schools_kill_creativity',
      createdAt: '2006-02-25T00:00:00.000Z',
    });
    expect(AssetInputSchema.safeParse(asset).success).toBe(true);
  });

  it('leaves out a duration or views the file does not have, or has wrong', () => {
    const asset = tedRowToAsset({ ...row, duration: '', views: 'n/a' });
    expect(asset.technicalMetadata).toEqual({ platform: 'ted' });
    expect(tedRowToAsset({ ...row, duration: '-5', views: undefined }).technicalMetadata).toEqual({
      platform: 'ted',
    });
  });
});
