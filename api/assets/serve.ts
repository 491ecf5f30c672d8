import { Hono, type Context } from 'hono';
import type { AssetSettings } from '../../config/assets.ts';
import type { AssetOrigin, StoredObject } from '../../db/asset-origins.ts';
import { liveManifest } from '../../db/assets.ts';
import type { Sql } from '../../db/pool.ts';
import {
  ASSET_DIR,
  contentTypeOf,
  encodingSuffix,
  isCompressible,
  isFingerprinted,
  isSafeAssetName,
  negotiateEncoding,
  shellHtml,
  type Encoding,
} from '../../domain/assets.ts';
import { ProblemError } from '../problem/index.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const PREFIX = `/${ASSET_DIR}/`;

/**
 * `/assets/<name>` from the origin (br > gzip > identity, ETag and 304) and
 * the console's HTML shell at `/console` and every `/console/…` route, made
 * from the live manifest. No token: these are what a browser loads first.
 */
export function assetServing({ sql, origin, settings }: { sql: Sql; origin: AssetOrigin; settings: AssetSettings }) {
  const app = new Hono();

  app.get(`${PREFIX}*`, async (c) => {
    let name: string;
    try {
      name = decodeURIComponent(c.req.path.slice(PREFIX.length));
    } catch {
      throw new ProblemError('malformed', 'The asset name is not valid percent-encoding.');
    }
    if (!isSafeAssetName(name))
      throw new ProblemError('malformed', 'An asset name is one file name, without "/" or "..".');
    const key = `${ASSET_DIR}/${name}`;
    const compressible = isCompressible(name);
    let available: Encoding[] = compressible ? ['br', 'gzip'] : [];
    let found: { object: StoredObject; encoding?: Encoding } | null = null;
    for (;;) {
      const encoding = negotiateEncoding(c.req.header('accept-encoding'), available);
      const object = await origin.get(encoding ? key + encodingSuffix[encoding] : key);
      if (object) {
        found = { object, encoding };
        break;
      }
      if (!encoding) break;
      available = available.filter((e) => e !== encoding);
    }
    if (!found) throw new ProblemError('notFound', `No asset named ${name}.`);
    const headers: Record<string, string> = {
      'Content-Type': contentTypeOf(name),
      'Cache-Control': isFingerprinted(name) ? IMMUTABLE : 'no-cache',
      ETag: found.object.etag,
      ...(compressible && { Vary: 'Accept-Encoding' }),
      ...(found.encoding && { 'Content-Encoding': found.encoding }),
      'X-Content-Type-Options': 'nosniff',
    };
    const ifNoneMatch = c.req.header('if-none-match');
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === found.object.etag)) {
      return c.body(null, 304, headers);
    }
    return c.body(new Uint8Array(found.object.body), 200, headers);
  });

  const shell = async (c: Context) => {
    const live = await liveManifest(sql);
    if (!live?.manifest?.[settings.consoleEntry]) {
      throw new ProblemError(
        'unavailable',
        `No console build is live yet (entry ${settings.consoleEntry}): run \`capstan assets build\`, or \`capstan up\`, which builds it.`,
      );
    }
    return c.html(shellHtml(live.manifest, settings.consoleEntry, settings.cdnHost), 200, {
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
  };
  app.get('/console', shell);
  app.get('/console/*', shell);
  return app;
}
