/**
 * Pure rules of the asset pipeline: the Vite-compatible manifest, which files
 * are fingerprinted and compressed, content types, encoding negotiation,
 * retention and the console's HTML shell.
 */

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** One entry of `.vite/manifest.json`, as Vite writes it. */
export interface ManifestChunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}
export type ViteManifest = Record<string, ManifestChunk>;

/** The subset of esbuild's metafile the manifest is made from. */
export interface Metafile {
  outputs: Record<
    string,
    {
      entryPoint?: string;
      cssBundle?: string;
      imports: { path: string; kind: string; external?: boolean }[];
    }
  >;
}

/** Every published file lives under this key prefix and is served at `/<prefix>/<name>`. */
export const ASSET_DIR = 'assets';
/** esbuild's `[name]-[hash]`: eight base-32 characters before the extension. */
const FINGERPRINT = /-[A-Z2-7]{8}\.[a-z0-9]+(\.map)?$/;
/** A published name: one path segment, so a request can never leave the asset directory. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;

export const isFingerprinted = (name: string): boolean => FINGERPRINT.test(name);
export const isSafeAssetName = (name: string): boolean => SAFE_NAME.test(name) && !name.includes('..');

const contentTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  txt: 'text/plain; charset=utf-8',
};
export const contentTypeOf = (name: string): string =>
  contentTypes[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';

/** Text compresses; images and fonts are compressed already. */
export const isCompressible = (name: string): boolean => /\.(js|mjs|css|map|json|svg|html|txt)$/i.test(name);

export type Encoding = 'br' | 'gzip';
export const encodingSuffix: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/** br > gzip > identity, among what the client accepts (q > 0) and what exists. */
export function negotiateEncoding(acceptEncoding: string | undefined, available: Encoding[]): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(token, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (e: string) => (accepted.get(e) ?? accepted.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).find((e) => available.includes(e) && ok(e));
}

/** Turns esbuild's metafile into Vite's manifest; `entries` are the entry points' paths from the project root. */
export function manifestFromMetafile(metafile: Metafile, entries: string[]): ViteManifest {
  const fileOf = (outPath: string) => `${ASSET_DIR}/${basename(outPath)}`;
  const keyByOutput = new Map<string, string>();
  const chunks = Object.entries(metafile.outputs).filter(([p]) => /\.m?js$/.test(p));
  for (const [path, out] of chunks) keyByOutput.set(path, out.entryPoint ?? `_${basename(path)}`);
  const manifest: ViteManifest = {};
  const assetsOf = (outPath: string | undefined): string[] =>
    (outPath ? (metafile.outputs[outPath]?.imports ?? []) : [])
      .filter((i) => !i.external && (i.kind === 'file-loader' || i.kind === 'url-token'))
      .map((i) => fileOf(i.path));
  for (const [path, out] of chunks) {
    const key = keyByOutput.get(path)!;
    const linked = (kind: string) =>
      out.imports.filter((i) => i.kind === kind && keyByOutput.has(i.path)).map((i) => keyByOutput.get(i.path)!);
    const imports = linked('import-statement');
    const dynamicImports = linked('dynamic-import');
    const assets = [...new Set([...assetsOf(path), ...assetsOf(out.cssBundle)])];
    manifest[key] = {
      file: fileOf(path),
      name: basename(key.replace(/^_/, '')).replace(/(-[A-Z2-7]{8})?\.[^.]+$/, ''),
      ...(out.entryPoint && { src: out.entryPoint }),
      ...(out.entryPoint && entries.includes(out.entryPoint) && { isEntry: true }),
      ...(out.entryPoint && !entries.includes(out.entryPoint) && { isDynamicEntry: true }),
      ...(imports.length && { imports }),
      ...(dynamicImports.length && { dynamicImports }),
      ...(out.cssBundle && { css: [fileOf(out.cssBundle)] }),
      ...(assets.length && { assets }),
    };
  }
  for (const [path, out] of Object.entries(metafile.outputs)) {
    if (path.endsWith('.css') && out.entryPoint && !manifest[out.entryPoint]) {
      manifest[out.entryPoint] = { file: fileOf(path), src: out.entryPoint, isEntry: true };
    }
  }
  return manifest;
}

/** An entry's stylesheets and the chunks it imports statically, followed through shared chunks (as Vite's backend guide). */
export function entryFiles(
  manifest: ViteManifest,
  entry: string,
): { script: string; css: string[]; preload: string[] } {
  const root = manifest[entry];
  if (!root) throw new Error(`the manifest has no entry ${entry}`);
  const css = new Set<string>();
  const preload = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) return;
    for (const c of chunk.css ?? []) css.add(c);
    for (const i of chunk.imports ?? []) {
      const imported = manifest[i];
      if (imported) preload.add(imported.file);
      visit(i);
    }
  };
  visit(entry);
  return { script: root.file, css: [...css], preload: [...preload] };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The console's HTML: its files from the live manifest, under the public prefix (ASSET_CDN_HOST or the API itself). */
export function shellHtml(manifest: ViteManifest, entry: string, prefix: string, title = 'Capstan console'): string {
  const { script, css, preload } = entryFiles(manifest, entry);
  const url = (file: string) => escapeAttr(`${prefix}/${file}`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeAttr(title)}</title>`,
    '<link rel="icon" href="data:,">',
    ...css.map((c) => `<link rel="stylesheet" href="${url(c)}">`),
    ...preload.map((p) => `<link rel="modulepreload" crossorigin href="${url(p)}">`),
    `<script type="module" crossorigin src="${url(script)}"></script>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export interface RetainedBuild {
  id: number;
  status: 'building' | 'ready' | 'deleted';
  createdAt: Date;
  files: string[];
}

export interface RetentionPlan {
  keep: number[];
  drop: number[];
  /** Files of dropped builds that no kept build references. */
  deleteFiles: string[];
}

/**
 * Keeps the live build, the `keepPrevious` newest other ready builds and
 * anything younger than `keepYoungerThanMs` (open tabs still load their
 * files); a file a kept build references is never deleted.
 */
export function planRetention(
  builds: RetainedBuild[],
  liveId: number | null,
  rule: { keepPrevious: number; keepYoungerThanMs: number },
  now: Date,
): RetentionPlan {
  const present = builds.filter((b) => b.status !== 'deleted').sort((a, b) => b.id - a.id);
  const previous = present.filter((b) => b.status === 'ready' && b.id !== liveId).slice(0, rule.keepPrevious);
  const keepIds = new Set([
    ...(liveId === null ? [] : [liveId]),
    ...previous.map((b) => b.id),
    ...present.filter((b) => now.getTime() - b.createdAt.getTime() < rule.keepYoungerThanMs).map((b) => b.id),
  ]);
  const kept = present.filter((b) => keepIds.has(b.id));
  const dropped = present.filter((b) => !keepIds.has(b.id));
  const keptFiles = new Set(kept.flatMap((b) => b.files));
  const deleteFiles = [...new Set(dropped.flatMap((b) => b.files))].filter((f) => !keptFiles.has(f)).sort();
  return { keep: kept.map((b) => b.id), drop: dropped.map((b) => b.id), deleteFiles };
}
