import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { WatchedFolderConfig } from '../domain/controllers.js';
import {
  ConnectorError,
  FolderError,
  type Connector,
  type FeedItem,
  type FolderAccess,
  type KnownFile,
} from './connector.js';
import { fsFailure, isWithin } from './folder-access.js';
import { asObject, listingFields } from './mapping.js';
import { errorMessage } from '../domain/errors.js';

/**
 * A watched folder (docs/connectors.md): the media files of a folder under the service's controller
 * folder root, each with an optional sidecar (`clip.json` beside `clip.mp4`) saying what the clip
 * is. Read whole each sync (a snapshot, so a file removed is gone). A file's asset carries the
 * SHA-256 of its content, streamed, and remembered by size and modification time so an unchanged
 * file is not read again.
 */

/** Media files by extension, with the MIME type their asset records. */
export const MEDIA_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.pdf': 'application/pdf',
};
/** Subfolders followed at most this deep. */
const MAX_DEPTH = 16;

interface Found {
  /** Relative to the folder, with `/` separators: the item's source id. */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

/**
 * The folder's media files in path order, at most `max` (and whether there were more). Hidden
 * entries (a leading dot: editors' and uploaders' temporary files) are skipped; a symbolic link is
 * followed only when where it leads lies inside the folder, and a folder is read once however many
 * links lead to it.
 */
async function mediaFiles(
  root: string,
  max: number,
): Promise<{ files: Found[]; truncated: boolean; skipped: { rel: string; why: string }[] }> {
  const files: Found[] = [];
  const skipped: { rel: string; why: string }[] = [];
  const seen = new Set<string>([root]);
  const visit = async (dir: string, depth: number): Promise<boolean> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      let abs = join(dir, e.name);
      const rel = relative(root, abs).split(sep).join('/');
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        let real: string;
        try {
          real = await realpath(abs);
        } catch {
          continue; // A dangling link: nothing to read.
        }
        if (!isWithin(root, real)) {
          if (MEDIA_TYPES[extname(e.name).toLowerCase()]) {
            skipped.push({ rel, why: 'a symbolic link leading outside the watched folder' });
          }
          continue;
        }
        const st = await stat(real);
        abs = real;
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir) {
        if (depth >= MAX_DEPTH || seen.has(abs)) continue;
        seen.add(abs);
        if (!(await visit(abs, depth + 1))) return false;
      } else if (isFile && MEDIA_TYPES[extname(e.name).toLowerCase()]) {
        if (files.length === max) return false;
        const st = await stat(abs);
        files.push({ rel, abs, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
    return true;
  };
  const complete = await visit(root, 0);
  return { files, truncated: !complete, skipped };
}

/**
 * Opens a regular file for reading, never through a symbolic link: one swapped in since the folder
 * was listed (and its links checked) is refused rather than followed out of the folder.
 */
async function openRegular(path: string, what: string) {
  const file = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const st = await file.stat();
    if (!st.isFile()) throw new Error(`${what} is not a regular file`);
    return { file, size: st.size };
  } catch (err) {
    await file.close();
    throw err;
  }
}

/** The SHA-256 of a file's content, read as a stream (a media file may be larger than memory). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const { file } = await openRegular(path, 'it');
  try {
    await pipeline(file.createReadStream({ autoClose: false }), hash);
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/** A sidecar's JSON object, read only up to `maxBytes`; undefined when there is none. */
async function readSidecar(
  root: string,
  mediaAbs: string,
  maxBytes: number,
): Promise<Record<string, unknown> | undefined> {
  const path = join(mediaAbs, '..', `${basename(mediaAbs, extname(mediaAbs))}.json`);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return undefined;
  }
  if (!isWithin(root, real)) throw new Error('its sidecar is a symbolic link leading outside the folder');
  const { file, size } = await openRegular(real, 'its sidecar');
  try {
    if (size > maxBytes) throw new Error(`its sidecar holds ${size} bytes, more than ${maxBytes}`);
    const buffer = Buffer.alloc(size);
    await file.read(buffer, 0, size, 0);
    let parsed: unknown;
    try {
      parsed = JSON.parse(buffer.toString('utf8'));
    } catch (err) {
      throw new Error(`its sidecar is not JSON: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    const o = asObject(parsed);
    if (!o) throw new Error('its sidecar is not a JSON object');
    return o;
  } finally {
    await file.close();
  }
}

export function watchedFolderConnector(folders: FolderAccess): Connector {
  return {
    mode: 'snapshot',
    readsFiles: true,
    async fetchPage(config, request) {
      const c = config as WatchedFolderConfig;
      let root: string;
      try {
        if (!request.tenantId) throw new FolderError('no tenant given', 'outside');
        root = await folders.resolve(request.tenantId, c.path);
      } catch (err) {
        if (err instanceof FolderError) throw new ConnectorError(err.message);
        throw err;
      }
      let listed: Awaited<ReturnType<typeof mediaFiles>>;
      try {
        listed = await mediaFiles(root, c.maxFiles);
      } catch (err) {
        throw new ConnectorError(`could not read the folder: ${fsFailure(err, root, c.path)}`);
      }
      const { files, truncated, skipped } = listed;
      const items: FeedItem[] = skipped.map((s) => ({ sourceId: s.rel, asset: {}, error: s.why }));
      for (const f of files) {
        try {
          const known = request.knownFiles?.get(f.rel);
          const sha256 =
            known && known.size === f.size && known.mtimeMs === f.mtimeMs
              ? known.sha256
              : await sha256OfFile(f.abs);
          const file: KnownFile = { size: f.size, mtimeMs: f.mtimeMs, sha256 };
          const sidecar = (await readSidecar(root, f.abs, c.maxSidecarBytes)) ?? {};
          const mimeType = MEDIA_TYPES[extname(f.rel).toLowerCase()];
          const asset = listingFields(sidecar, { mimeType, fileSizeBytes: f.size });
          if (asset.title === undefined) asset.title = basename(f.rel, extname(f.rel));
          items.push({ sourceId: f.rel, fileHash: sha256, file, asset });
        } catch (err) {
          items.push({ sourceId: f.rel, asset: {}, error: fsFailure(err, root, c.path) });
        }
      }
      // A folder read in part is not read to its end: the controller marks nothing gone.
      return { notModified: false, items, ...(truncated ? { next: 'more files than maxFiles' } : {}) };
    },
  };
}
