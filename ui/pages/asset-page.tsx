import { Fragment, type ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { useApp } from '../app-context';
import { AssetTabs } from '../components/asset-tabs';
import { ConflictDialog } from '../components/conflict-dialog';
import { EntityLink } from '../components/entity-link';
import { ErrorMessage } from '../components/error-message';
import { FeedbackPanel } from '../components/feedback-panel';
import { httpUrl, MediaPreview } from '../components/media-preview';
import { Moments } from '../components/moments';
import { PageHeading } from '../components/page-heading';
import { RelatedList } from '../components/related-list';
import { TagEditor } from '../components/tag-editor';
import { rollbackDescription, VersionHistory } from '../components/version-history';
import { href } from '../router';
import { formatDate, formatSeconds, sourceLabel, typeLabel } from '../format';
import type { Asset, RollbackResult, TagPatch } from '../types';
import { useLoad } from '../use-load';
import { useVersionedWrites } from '../use-versioned-writes';
import { lastSearchHref } from './search-page';

/**
 * One asset: metadata, enrichment with the tag editor, feedback (timeline, threads, live), moments,
 * history with rollback, related items.
 */
export function AssetPage({ id, t }: { id: string; t: number | null }) {
  const { api, announce } = useApp();
  const path = `/v1/assets/${id}`;
  const asset = useLoad((signal) => api.get<Asset>(path, { signal }), [id]);
  const writes = useVersionedWrites(asset.reload);
  const current = asset.data;
  const player = useRef<HTMLMediaElement | null>(null);

  if (!current) {
    return asset.error ? (
      <>
        <BackToResults />
        <PageHeading>Asset not available</PageHeading>
        <ErrorMessage error={asset.error} />
      </>
    ) : (
      <p class="loading" aria-busy="true">
        <span class="spinner" aria-hidden="true" />
        Loading the asset…
      </p>
    );
  }

  // ?wait=true: the answer comes once search and related content show the change.
  const patchTags = (patch: TagPatch, description: string) =>
    writes.start(
      {
        description,
        send: async (version, resolvedFrom) => {
          const body = resolvedFrom === undefined ? patch : { ...patch, conflictResolvedFrom: resolvedFrom };
          const res = await api.request<Asset>('PATCH', `${path}/tags`, {
            query: { wait: 'true' },
            ifMatch: version,
            body,
          });
          asset.setData(res.body);
          const lag = res.status === 202 ? '; search will show it shortly' : '';
          announce(`${description}: saved as version ${res.body.version}${lag}.`);
        },
      },
      current.version,
    );

  const rollback = (target: number) =>
    void writes.start(
      {
        description: rollbackDescription(target),
        send: async (version, resolvedFrom) => {
          const reason = resolvedFrom === undefined ? {} : { reason: `re-applied after a conflict` };
          const res = await api.request<RollbackResult>('POST', `${path}/rollback`, {
            query: { wait: 'true' },
            ifMatch: version,
            body: { version: target, ...reason },
          });
          asset.setData(await api.get<Asset>(path));
          announce(`Restored version ${target} as version ${res.body.version}.`);
        },
      },
      current.version,
    );

  const discard = () => {
    const version = writes.conflict?.currentVersion;
    writes.discard();
    asset.reload();
    announce(`Your change was discarded; showing version ${version}.`);
  };

  return (
    <article class="asset" aria-busy={writes.pending !== null}>
      <BackToResults />
      <PageHeading>{current.title}</PageHeading>
      <AssetTabs id={id} current="details" />
      <p class="asset-links">
        <a href={href.graph({ kind: 'asset', id })}>Graph around this asset</a>
      </p>
      <div class="asset-top">
        <MediaPreview asset={current} t={t} playerRef={player} />
        <Metadata asset={current} />
      </div>
      <ErrorMessage error={writes.error} />
      {/* Not a live region: the shell announces the outcome, this shows the wait. */}
      {writes.pending && (
        <p class="loading pending">
          <span class="spinner" aria-hidden="true" />
          Saving: {writes.pending}…
        </p>
      )}
      <TagEditor asset={current} onPatch={patchTags} pending={writes.pending} />
      <FeedbackPanel
        assetId={id}
        durationSeconds={current.technicalMetadata.durationSeconds}
        position={() => player.current?.currentTime ?? null}
      />
      <Moments assetId={id} moments={current.enrichment?.moments ?? []} t={t} />
      <VersionHistory
        assetId={id}
        currentVersion={current.version}
        onRollback={rollback}
        pending={writes.pending}
      />
      <RelatedList assetId={id} version={current.version} />
      <ConflictDialog conflict={writes.conflict} onReapply={writes.reapply} onDiscard={discard} />
    </article>
  );
}

function BackToResults() {
  const back = lastSearchHref();
  if (!back) return null;
  return (
    <p class="back">
      <a href={back}>
        <span aria-hidden="true">← </span>Back to results
      </a>
    </p>
  );
}

/** The source id as a link when it is an http(s) URL (a TED talk's page, say), else as text. */
function SourceRef({ asset }: { asset: Asset }) {
  const url = httpUrl(asset.sourceId);
  const system = sourceLabel(asset.sourceSystem);
  if (!asset.sourceId) return <>{system}</>;
  if (!url) return <>{`${system} · ${asset.sourceId}`}</>;
  return (
    <>
      {system} ·{' '}
      <a class="source-link" href={url} rel="noopener noreferrer" target="_blank">
        {url}
        <span class="visually-hidden"> (opens in a new tab)</span>
      </a>
    </>
  );
}

// Technical metadata as rows, named for people; the URLs show as the preview, not as rows.
const TECHNICAL: Record<string, string> = {
  codec: 'Codec',
  container: 'Container',
  mimeType: 'Media type',
  durationSeconds: 'Duration',
  frameRate: 'Frame rate',
  bitrateKbps: 'Bit rate (kbit/s)',
  sampleRateHz: 'Sample rate (Hz)',
  channels: 'Channels',
  fileSizeBytes: 'File size (bytes)',
  platform: 'Platform',
  viewCount: 'Views',
};
const PREVIEW_FIELDS = new Set(['thumbnailUrl', 'mediaUrl', 'width', 'height']);

function technicalRows(meta: Asset['technicalMetadata']): [string, string][] {
  const rows: [string, string][] = [];
  if (meta.width !== undefined && meta.height !== undefined)
    rows.push(['Frame size', `${meta.width}×${meta.height}`]);
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined || PREVIEW_FIELDS.has(k)) continue;
    const value = k === 'durationSeconds' && typeof v === 'number' ? formatSeconds(v) : String(v);
    rows.push([TECHNICAL[k] ?? k, value]);
  }
  return rows;
}

function Metadata({ asset }: { asset: Asset }) {
  const rows: [string, ComponentChildren][] = [
    ['Type', typeLabel(asset.type)],
    ['Status', asset.statusDetail ? `${asset.status} (${asset.statusDetail})` : asset.status],
    ['Version', String(asset.version)],
    ['Source', <SourceRef asset={asset} />],
    ['Created', formatDate(asset.createdAt)],
    ['Updated', formatDate(asset.updatedAt)],
    [
      'Contributors',
      asset.contributors.length > 0 && (
        <>
          {asset.contributors.map((name, i) => (
            <Fragment key={name}>
              {i > 0 && ', '}
              <EntityLink type="CONTRIBUTOR" name={name} />
            </Fragment>
          ))}
        </>
      ),
    ],
    ['Operational tags', asset.operationalTags.join(', ')],
    ...technicalRows(asset.technicalMetadata),
  ];
  return (
    <section aria-labelledby="about-heading">
      <h2 id="about-heading">About</h2>
      {asset.description && <p>{asset.description}</p>}
      <dl class="metadata">
        {rows
          .filter(([, value]) => value)
          .map(([name, value]) => (
            <Fragment key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
      </dl>
      {asset.transcript && (
        <details>
          <summary>Transcript</summary>
          <p class="transcript-text">{asset.transcript}</p>
        </details>
      )}
    </section>
  );
}
