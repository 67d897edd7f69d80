import { ApiError, isAbort, type ApiClient } from './api';

/** One event of a text/event-stream: its id (if it had one), type and data. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Splits a text/event-stream, fed in chunks as they arrive, into events: the fields `id`, `event`
 * and `data` (several data lines joined by a newline), comment lines ignored, CRLF or LF, as the
 * HTML standard's parser reads them. A frame without data is no event (the keep-alive comments).
 */
export class SseParser {
  private buffer = '';
  private id: string | null = null;
  private event = '';
  private data: string[] = [];

  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    let at: number;
    while ((at = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, at);
      const brk = this.buffer.startsWith('\r\n', at) ? 2 : 1;
      // A lone CR at the chunk's end may be the first half of a CRLF: wait for the next chunk.
      if (brk === 1 && this.buffer[at] === '\r' && at === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(at + brk);
      if (line === '') {
        if (this.data.length > 0)
          out.push({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id' && !value.includes('\u0000')) this.id = value;
    }
    return out;
  }
}

/** The stream's state as the page shows it. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface StreamHandlers {
  /** Connected; `resumed` when it picked up after the last event received (Last-Event-ID). */
  onOpen: (resumed: boolean) => void;
  onEvent: (event: SseEvent) => void;
  onState: (state: StreamState, error?: ApiError) => void;
}

/** Waits after a drop: 1 s, 2 s, 4 s … at most 15 s; a connection that worked starts again at 1 s. */
export const reconnectDelay = (attempt: number): number => Math.min(15_000, 1_000 * 2 ** attempt);

/**
 * Follows an asset's comment stream (GET /v1/assets/{id}/comments/stream) until `signal` aborts:
 * after a drop it reconnects with the last event's id (Last-Event-ID), so the server sends exactly
 * the changes missed. A refusal that a retry cannot mend (401, 403, 404) stops it.
 */
export async function followCommentStream(
  api: ApiClient,
  assetId: string,
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  let lastEventId: string | null = null;
  let attempt = 0;
  const path = `/v1/assets/${assetId}/comments/stream`;
  while (!signal.aborted) {
    handlers.onState(attempt === 0 && lastEventId === null ? 'connecting' : 'reconnecting');
    try {
      const body = await api.stream(path, { lastEventId, signal });
      handlers.onOpen(lastEventId !== null);
      handlers.onState('live');
      const parser = new SseParser();
      const reader = body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
          // Backing off again only once events flow: a stream cut at once keeps slowing down.
          attempt = 0;
          // An empty id resets it (the SSE rule): the next connection sends none.
          if (event.id !== null) lastEventId = event.id || null;
          handlers.onEvent(event);
        }
      }
    } catch (err) {
      if (signal.aborted || isAbort(err)) return;
      if (err instanceof ApiError && [401, 403, 404].includes(err.status)) {
        handlers.onState('stopped', err);
        return;
      }
    }
    if (signal.aborted) return;
    handlers.onState('reconnecting');
    await new Promise<void>((resolve) => {
      const stop = () => {
        clearTimeout(timer);
        resolve();
      };
      // The listener goes with the wait: the signal outlives every reconnect.
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', stop);
        resolve();
      }, reconnectDelay(attempt++));
      signal.addEventListener('abort', stop, { once: true });
    });
  }
}
