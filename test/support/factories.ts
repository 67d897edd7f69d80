import { createHash, randomUUID } from 'node:crypto';
import { AssetInputSchema, type AssetInput } from '../../domain/asset.js';

/** A valid asset input with a unique file hash; override any field. */
export function anAssetInput(overrides: Partial<Record<keyof AssetInput, unknown>> = {}): AssetInput {
  return AssetInputSchema.parse({
    type: 'VIDEO',
    title: `Asset ${randomUUID().slice(0, 8)}`,
    description: 'A talk about ideas worth spreading.',
    fileHash: createHash('sha256').update(randomUUID()).digest('hex'),
    ...overrides,
  });
}
