import { Redis } from 'ioredis';
import { InProcessCommentBus, type CommentBus, type CommentNote } from './comment-bus.js';

/**
 * Across processes: one Redis pub/sub channel for all comment notes. Each process has one
 * subscriber connection and hands the notes it receives to its own watchers (an in-process bus),
 * so a process's own notes reach its watchers through Redis too, the same path as everyone's.
 */
export class RedisCommentBus implements CommentBus {
  private readonly local = new InProcessCommentBus();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private ready: Promise<void> | null = null;

  constructor(
    url: string,
    private readonly channel = 'media:comment-notes',
  ) {
    const options = { lazyConnect: true, maxRetriesPerRequest: 2 } as const;
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, options);
    this.sub.on('message', (_channel: string, message: string) => {
      let note: CommentNote;
      try {
        note = JSON.parse(message) as CommentNote;
      } catch {
        return;
      }
      void this.local.publish(note);
    });
    // Errors are reported by the commands that meet them; a watcher catches up on the next note.
    this.pub.on('error', () => undefined);
    this.sub.on('error', () => undefined);
  }

  private start(): Promise<void> {
    this.ready ??= (async () => {
      await this.sub.connect();
      await this.sub.subscribe(this.channel);
    })();
    return this.ready;
  }

  async publish(note: CommentNote): Promise<void> {
    if (this.pub.status === 'wait') await this.pub.connect();
    await this.pub.publish(this.channel, JSON.stringify(note));
  }

  async subscribe(
    tenantId: string,
    assetId: string,
    listener: (note: CommentNote) => void,
  ): Promise<() => void> {
    await this.start();
    return this.local.subscribe(tenantId, assetId, listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
