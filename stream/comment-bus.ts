import { EventEmitter } from 'node:events';

/**
 * The CommentBus port: "asset X of tenant T has comment events up to `seq`", told to every API
 * process so each can wake the live streams (SSE) watching that asset. A note carries no comment:
 * a watcher reads the events after the last one it sent from the database, so a lost or late
 * note delays a watcher until the next one, and a reconnect (Last-Event-ID) reads the same way.
 */
export interface CommentNote {
  tenantId: string;
  assetId: string;
  seq: number;
}

export interface CommentBus {
  publish(note: CommentNote): Promise<void>;
  /** Calls `listener` for each note on this tenant's asset until the returned function is called. */
  subscribe(tenantId: string, assetId: string, listener: (note: CommentNote) => void): Promise<() => void>;
  close(): Promise<void>;
}

export const commentChannel = (tenantId: string, assetId: string) => `${tenantId}\u0000${assetId}`;

/** One process: an EventEmitter. */
export class InProcessCommentBus implements CommentBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    // Every watcher of every asset listens here; the count is bounded by the stream limit.
    this.emitter.setMaxListeners(0);
  }

  publish(note: CommentNote): Promise<void> {
    this.emitter.emit(commentChannel(note.tenantId, note.assetId), note);
    return Promise.resolve();
  }

  subscribe(tenantId: string, assetId: string, listener: (note: CommentNote) => void): Promise<() => void> {
    const channel = commentChannel(tenantId, assetId);
    this.emitter.on(channel, listener);
    return Promise.resolve(() => {
      this.emitter.off(channel, listener);
    });
  }

  close(): Promise<void> {
    this.emitter.removeAllListeners();
    return Promise.resolve();
  }
}
