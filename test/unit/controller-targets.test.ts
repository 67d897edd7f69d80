import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostSigned } from '../../connectors/connector.js';
import { folderAccess, isWithin } from '../../connectors/folder-access.js';
import { partnerPushTarget } from '../../connectors/partner-push.js';
import { sidecarFolderTarget } from '../../connectors/sidecar-folder.js';
import { watchedFolderConnector } from '../../connectors/watched-folder.js';
import {
  PartnerPushConfigSchema,
  SidecarFolderConfigSchema,
  WatchedFolderConfigSchema,
} from '../../domain/controllers.js';
import type { EgressRecord } from '../../domain/egress-record.js';
import { newWebhookSecret, verifyWebhook } from '../../domain/webhook-signature.js';

const upsert = (assetId: string): EgressRecord =>
  ({ op: 'upsert', assetId, version: 1, changedAt: '2026-12-07T00:00:00Z', asset: { id: assetId } }) as never;
const A = '0b6f7c1e-3f1a-4a53-9a52-2f1d4a3c9e10';
const B = '1c7f8d2f-4a2b-4b64-8b63-3a2e5b4d0f21';

describe('partner push target', () => {
  const config = PartnerPushConfigSchema.parse({ url: 'https://partner.example.com/in', attempts: 3 });
  const batch = { id: 'msg_1', controllerId: 'c', records: [upsert(A)] };

  it('signs every attempt like a webhook, under one webhook-id, and stops at the first 2xx', async () => {
    const secret = newWebhookSecret();
    const seen: { id: string; verified: boolean }[] = [];
    const answers = [500, 200];
    const post: PostSigned = (_url, headers, body) => {
      seen.push({ id: headers['webhook-id']!, verified: !!verifyWebhook(secret, headers, body) });
      const status = answers.shift()!;
      return Promise.resolve({
        ok: status < 300,
        statusCode: status,
        error: status < 300 ? null : `answered ${status}`,
      });
    };
    await partnerPushTarget({ post, retryDelayMs: 0 }).deliver(config, batch, {
      tenantId: 't',
      secrets: [secret],
    });
    expect(seen).toEqual([
      { id: 'msg_1', verified: true },
      { id: 'msg_1', verified: true },
    ]);
  });

  it('throws once every attempt failed, and never sends unsigned', async () => {
    let calls = 0;
    const post: PostSigned = () => {
      calls++;
      return Promise.resolve({ ok: false, statusCode: 503, error: 'answered 503' });
    };
    const target = partnerPushTarget({ post, retryDelayMs: 0 });
    await expect(
      target.deliver(config, batch, { tenantId: 't', secrets: [newWebhookSecret()] }),
    ).rejects.toThrow(/after 3 attempts: answered 503/);
    expect(calls).toBe(3);
    await expect(target.deliver(config, batch, { tenantId: 't' })).rejects.toThrow(/no signing secret/);
    expect(calls).toBe(3);
  });
});

describe('folders under the controller folder root', () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'targets-root-'));
    await mkdir(join(root, 't'));
    outside = await mkdtemp(join(tmpdir(), 'targets-out-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('tells a path inside from one that only shares its prefix', () => {
    expect(isWithin('/srv/root', '/srv/root')).toBe(true);
    expect(isWithin('/srv/root', '/srv/root/a')).toBe(true);
    expect(isWithin('/srv/root', '/srv/rootless')).toBe(false);
  });

  it('refuses every folder without a root, and links leading out of it', async () => {
    await expect(folderAccess(undefined).resolve('t', 'a')).rejects.toThrow(/CONTROLLER_FOLDER_ROOT/);
    await expect(folderAccess(root).resolve('nobody', '.')).rejects.toThrow(/the tenant has no folder/);
    await symlink(outside, join(root, 't', 'out'));
    await expect(folderAccess(root).resolve('t', 'out')).rejects.toThrow(/outside/);
    // Another tenant's folder is outside this one's, linked or not.
    await mkdir(join(root, 'u', 'inbox'), { recursive: true });
    await symlink(join(root, 'u', 'inbox'), join(root, 't', 'theirs'));
    await expect(folderAccess(root).resolve('t', 'theirs')).rejects.toThrow(/outside the tenant's folder/);
    await expect(folderAccess(root).resolve('t', '../u/inbox')).rejects.toThrow(
      /outside the tenant's folder/,
    );
    await expect(folderAccess(root).resolve('../etc', '.')).rejects.toThrow(/not a tenant id/);
    await writeFile(join(root, 't', 'file'), 'x');
    await expect(folderAccess(root).resolve('t', 'file')).rejects.toThrow(/not a folder/);
  });

  it('writes sidecars whole and removes a deleted asset’s, leaving no temporary file', async () => {
    await mkdir(join(root, 't', 'side'));
    const config = SidecarFolderConfigSchema.parse({ path: 'side' });
    const target = sidecarFolderTarget(folderAccess(root));
    await target.deliver(
      config,
      { id: 'm', controllerId: 'c', records: [upsert(A), upsert(B)] },
      { tenantId: 't' },
    );
    expect((await readdir(join(root, 't', 'side'))).sort()).toEqual([`${A}.json`, `${B}.json`]);
    expect(JSON.parse(await readFile(join(root, 't', 'side', `${A}.json`), 'utf8'))).toMatchObject({
      assetId: A,
    });
    const del = { op: 'delete', assetId: A, version: 2, changedAt: 'x', reason: 'deleted' } as const;
    await target.deliver(config, { id: 'n', controllerId: 'c', records: [del] }, { tenantId: 't' });
    expect(await readdir(join(root, 't', 'side'))).toEqual([`${B}.json`]);
    await expect(
      target.deliver(
        config,
        { id: 'o', controllerId: 'c', records: [upsert('../escape')] },
        { tenantId: 't' },
      ),
    ).rejects.toThrow(/not an asset id/);
  });

  it('walks a folder whose link loops back into it once', async () => {
    await mkdir(join(root, 't', 'loop', 'sub'), { recursive: true });
    await writeFile(join(root, 't', 'loop', 'sub', 'a.mp4'), 'a');
    await symlink(join(root, 't', 'loop'), join(root, 't', 'loop', 'sub', 'again'));
    const page = await watchedFolderConnector(folderAccess(root)).fetchPage(
      WatchedFolderConfigSchema.parse({ path: 'loop' }),
      { tenantId: 't' },
    );
    expect(page.items.map((i) => i.sourceId)).toEqual(['sub/a.mp4']);
  });
});
