import { describe, expect, it } from 'vitest';
import { LabelModel, type LabelModelJson } from '../../enrichment/label-model.js';

const examples = [
  ...['bread flour yeast', 'oven crust dough', 'yeast dough bread'].map((text) => ({
    text,
    labels: ['baking'],
  })),
  ...['running miles pace', 'race shoes pace', 'miles endurance running'].map((text) => ({
    text,
    labels: ['running'],
  })),
];

describe('label model', () => {
  it('learns labels from examples and ranks them with confidences', () => {
    const model = LabelModel.train(examples)!;
    const [top, second] = model.classify('fresh bread from the oven', 5, 0);
    expect(top).toMatchObject({ label: 'baking' });
    expect(top!.confidence).toBeGreaterThan(second!.confidence);
    expect(top!.confidence + second!.confidence).toBeCloseTo(1, 3);
  });

  it('survives a round trip through JSON', () => {
    const json = JSON.parse(JSON.stringify(LabelModel.train(examples)!.toJSON())) as LabelModelJson;
    const model = LabelModel.fromJSON(json);
    expect(model.classify('pace and miles', 1, 0)[0]!.label).toBe('running');
  });

  it('refuses to learn from too few examples', () => {
    expect(LabelModel.train(examples.slice(0, 4))).toBeNull();
  });

  it('returns nothing for text without known words', () => {
    expect(LabelModel.train(examples)!.classify('the and of', 3, 0)).toEqual([]);
  });
});

describe('label model scoring', () => {
  it("agrees with wink's own odds", () => {
    const model = LabelModel.train(examples)!;
    const internals = model as unknown as {
      classifier: { computeOdds(t: string): [string, number][] };
      scorer: { odds(tokens: string[]): [string, number][] };
    };
    const text = 'bread oven miles';
    const wink = new Map(internals.classifier.computeOdds(text));
    const ours = internals.scorer.odds(['bread', 'oven', 'mile']);
    for (const [label, o] of ours) expect(o).toBeCloseTo(wink.get(label)!, 9);
  });
});
