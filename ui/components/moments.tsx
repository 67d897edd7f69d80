import { useEffect, useRef } from 'preact/hooks';
import { formatSeconds } from '../format';
import { href } from '../router';
import type { Moment } from '../types';

/** Timed transcript segments; a deep link's ?t= marks (and scrolls to) the moment it falls in, and seeks the player. */
export function Moments({ assetId, moments, t }: { assetId: string; moments: Moment[]; t: number | null }) {
  const current = t === null ? -1 : moments.findLastIndex((m) => m.start <= t);
  const ref = useRef<HTMLLIElement>(null);
  // A deep link arrives scrolled to its moment; a moment clicked here is in view already, and its
  // player (MediaPreview) brings itself into view instead.
  useEffect(() => ref.current?.scrollIntoView({ block: 'center' }), []);
  if (moments.length === 0) return null;
  return (
    <section aria-labelledby="moments-heading">
      <h2 id="moments-heading">Moments</h2>
      <ol class="moments">
        {moments.map((m, i) => (
          <li
            key={m.start}
            ref={i === current ? ref : undefined}
            aria-current={i === current ? 'time' : undefined}
            class={i === current ? 'current' : undefined}
          >
            <a href={href.asset(assetId, m.start)} aria-label={`Play from ${formatSeconds(m.start)}`}>
              <time>{formatSeconds(m.start)}</time>
            </a>{' '}
            {m.speaker && <strong>{m.speaker}</strong>} {m.keywords.join(', ')}
          </li>
        ))}
      </ol>
    </section>
  );
}
