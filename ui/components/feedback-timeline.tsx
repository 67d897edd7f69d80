import { useLayoutEffect, useRef } from 'preact/hooks';
import { formatSeconds } from '../format';
import type { CommentThread } from '../types';
import { statusLabel, typeLabelOf } from '../comment-labels';

/**
 * The asset's time-coded feedback as markers along its duration, coloured by type and drawn
 * hollow once settled (resolved, won't fix). Each marker is a button: Tab reaches it, and it
 * opens its thread. Positions are set through the CSSOM: the content security policy allows no
 * inline `style` attributes.
 */
export function FeedbackTimeline({
  threads,
  durationMs,
  selected,
  onOpen,
}: {
  threads: CommentThread[];
  durationMs: number | null;
  selected: string | null;
  onOpen: (id: string) => void;
}) {
  const timed = threads
    .filter((t) => t.timestamp !== null && !t.deleted)
    .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  if (timed.length === 0) return null;
  // Without a known duration the last marker sits near the end.
  const span = Math.max(durationMs ?? 0, ...timed.map((t) => (t.timestamp ?? 0) * 1.05), 1);
  return (
    <div class="feedback-timeline" role="group" aria-label="Feedback timeline">
      <div class="feedback-track" aria-hidden="true" />
      {timed.map((t) => (
        <Marker
          key={t.id}
          thread={t}
          at={(t.timestamp ?? 0) / span}
          selected={t.id === selected}
          onOpen={onOpen}
        />
      ))}
      <span class="feedback-scale" aria-hidden="true">
        <span>0:00</span>
        <span>{formatSeconds(span / 1000)}</span>
      </span>
    </div>
  );
}

function Marker({
  thread,
  at,
  selected,
  onOpen,
}: {
  thread: CommentThread;
  at: number;
  selected: boolean;
  onOpen: (id: string) => void;
}) {
  const ref = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    ref.current?.style.setProperty('left', `${(Math.min(1, Math.max(0, at)) * 100).toFixed(3)}%`);
  }, [at]);
  const excerpt = thread.text.length > 60 ? `${thread.text.slice(0, 60)}…` : thread.text;
  const time = formatSeconds((thread.timestamp ?? 0) / 1000);
  return (
    <button
      ref={ref}
      type="button"
      class={`feedback-marker type-${thread.type ?? 'note'} status-${thread.status ?? 'open'}`}
      aria-pressed={selected}
      aria-label={`${typeLabelOf(thread.type)} at ${time}, ${statusLabel(thread.status)}: ${excerpt}`}
      title={`${time} · ${excerpt}`}
      onClick={() => onOpen(thread.id)}
    />
  );
}
