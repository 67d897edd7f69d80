import { Fragment } from 'preact';
import { useApp } from '../app-context';
import { ConflictDialog } from '../components/conflict-dialog';
import { ErrorMessage } from '../components/error-message';
import { Moments } from '../components/moments';
import { PageHeading } from '../components/page-heading';
import { RelatedList } from '../components/related-list';
import { TagEditor } from '../components/tag-editor';
import { VersionHistory } from '../components/version-history';
import { formatDate } from '../format';
import type { Asset, RollbackResult, TagPatch } from '../types';
import { useLoad } from '../use-load';
import { useVersionedWrites } from '../use-versioned-writes';

/** One asset: metadata, enrichment with the tag editor, moments, history with rollback, related items. */
export function AssetPage({ id, t }: { id: string; t: number | null }) {
  const { api, announce } = useApp();
  const path = `/v1/assets/${id}`;
  const asset = useLoad((signal) => api.get<Asset>(path, { signal }), [id]);
  const writes = useVersionedWrites(asset.reload);
  const current = asset.data;

  if (!current) {
    return asset.error ? (
      <>
        <PageHeading>Asset not available</PageHeading>
        <ErrorMessage error={asset.error} />
      </>
    ) : (
      <p>Loading…</p>
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
        description: `roll back to version ${target}`,
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
    <article class="asset">
      <PageHeading>{current.title}</PageHeading>
      <Metadata asset={current} />
      <ErrorMessage error={writes.error} />
      <TagEditor asset={current} onPatch={patchTags} />
      <Moments assetId={id} moments={current.enrichment?.moments ?? []} t={t} />
      <VersionHistory assetId={id} currentVersion={current.version} onRollback={rollback} />
      <RelatedList assetId={id} version={current.version} />
      <ConflictDialog conflict={writes.conflict} onReapply={writes.reapply} onDiscard={discard} />
    </article>
  );
}

function Metadata({ asset }: { asset: Asset }) {
  const rows: [string, string][] = [
    ['Type', asset.type.toLowerCase()],
    ['Status', asset.statusDetail ? `${asset.status} (${asset.statusDetail})` : asset.status],
    ['Version', String(asset.version)],
    ['Source', asset.sourceId ? `${asset.sourceSystem} · ${asset.sourceId}` : asset.sourceSystem],
    ['Created', formatDate(asset.createdAt)],
    ['Updated', formatDate(asset.updatedAt)],
    ['Contributors', asset.contributors.join(', ')],
    ['Operational tags', asset.operationalTags.join(', ')],
    ...Object.entries(asset.technicalMetadata).map(([k, v]): [string, string] => [k, String(v)]),
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
