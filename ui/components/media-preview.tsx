import { useEffect, useRef, useState } from 'preact/hooks';
import { formatSeconds, typeLabel } from '../format';
import type { AssetSummary } from '../types';

/** The URL when it is http(s), else null: nothing else is put in an href or src. */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The asset's media: a player for video and audio with a mediaUrl, the image or thumbnail otherwise,
 * and a placeholder naming the type when there is nothing to show. A deep link's `t` seeks the player.
 */
export function MediaPreview({
  asset,
  t,
  playerRef,
}: {
  asset: AssetSummary;
  t: number | null;
  /** Where the page may read the player's position (the feedback form's "Use player position"). */
  playerRef?: { current: HTMLMediaElement | null };
}) {
  const meta = asset.technicalMetadata;
  const media = httpUrl(meta.mediaUrl);
  const thumbnail = httpUrl(meta.thumbnailUrl);
  const own = useRef<HTMLMediaElement>(null);
  const player = playerRef ?? own;
  const [failed, setFailed] = useState(false);

  // A moment's time seeks the player; before the media's metadata loads, onLoadedMetadata does it.
  const seekTo = useRef(t);
  seekTo.current = t;
  const seek = () => {
    const el = player.current;
    if (el && seekTo.current !== null && el.readyState >= HTMLMediaElement.HAVE_METADATA)
      el.currentTime = seekTo.current;
  };
  useEffect(seek, [t, media]);
  // A moment picked on the page brings the player into view; the first render leaves the page at the top.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else if (t !== null) player.current?.scrollIntoView({ block: 'nearest' });
  }, [t]);

  const playable = media && !failed && (asset.type === 'VIDEO' || asset.type === 'AUDIO');
  const image = asset.type === 'IMAGE' ? (media ?? thumbnail) : thumbnail;
  const label = `${typeLabel(asset.type)}: ${asset.title}`;

  return (
    <figure class={`media media-${asset.type.toLowerCase()}`}>
      {playable && asset.type === 'VIDEO' ? (
        <video
          ref={player as { current: HTMLVideoElement | null }}
          src={media}
          controls
          preload="metadata"
          poster={thumbnail ?? undefined}
          aria-label={label}
          onLoadedMetadata={seek}
          onError={() => setFailed(true)}
        />
      ) : playable && asset.type === 'AUDIO' ? (
        <>
          {thumbnail && <img src={thumbnail} alt="" referrerpolicy="no-referrer" />}
          <audio
            ref={player}
            src={media}
            controls
            preload="metadata"
            aria-label={label}
            onLoadedMetadata={seek}
            onError={() => setFailed(true)}
          />
        </>
      ) : image ? (
        <img src={image} alt={`Preview of ${asset.title}`} referrerpolicy="no-referrer" />
      ) : (
        <div class="placeholder" role="img" aria-label={`No preview for this ${asset.type.toLowerCase()}`}>
          <span aria-hidden="true">{typeLabel(asset.type)}</span>
        </div>
      )}
      <figcaption>
        {typeLabel(asset.type)}
        {meta.durationSeconds !== undefined && ` · ${formatSeconds(meta.durationSeconds)}`}
        {meta.width !== undefined && meta.height !== undefined && ` · ${meta.width}×${meta.height}`}
        {failed && media && (
          <>
            {' · '}
            <span class="error">This browser cannot play the media.</span>{' '}
            <a href={media} rel="noopener noreferrer" target="_blank">
              Open the media file<span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          </>
        )}
      </figcaption>
    </figure>
  );
}
