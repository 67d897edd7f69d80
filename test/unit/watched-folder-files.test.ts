import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsFailure } from '../../connectors/folder-access.js';
import { sha256OfFile } from '../../connectors/watched-folder.js';

/** A watched folder's files are read as regular files, never through a link swapped in after the listing. */
describe('watched folder files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-files-'));
    await writeFile(join(dir, 'clip.mp4'), 'the clip');
    await writeFile(join(dir, 'outside.mp4'), 'not the folder’s');
    await symlink(join(dir, 'outside.mp4'), join(dir, 'swapped.mp4'));
    await mkdir(join(dir, 'folder.mp4'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes a regular file', async () => {
    expect(await sha256OfFile(join(dir, 'clip.mp4'))).toBe(
      createHash('sha256').update('the clip').digest('hex'),
    );
  });

  it('refuses a symbolic link, however it got there', async () => {
    await expect(sha256OfFile(join(dir, 'swapped.mp4'))).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('refuses what is not a regular file', async () => {
    await expect(sha256OfFile(join(dir, 'folder.mp4'))).rejects.toThrow(/not a regular file/);
  });

  it('tells a tenant the error code and a path in its folder only', () => {
    const err = Object.assign(new Error(`ELOOP: too many symbolic links, open '${dir}/sub/a.mp4'`), {
      code: 'ELOOP',
      path: join(dir, 'sub', 'a.mp4'),
    });
    expect(fsFailure(err, dir, 'inbox')).toBe('ELOOP on inbox/sub/a.mp4');
    expect(fsFailure(Object.assign(new Error('x'), { code: 'EIO', path: '/etc/passwd' }), dir, 'inbox')).toBe(
      'EIO',
    );
    expect(fsFailure(new Error('its sidecar is not JSON'), dir, 'inbox')).toBe('its sidecar is not JSON');
  });
});
