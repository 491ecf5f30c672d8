import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

const relativePath = lazySchema('assets.relativePath', () =>
  z
    .string()
    .min(1)
    .max(300)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a path inside the project'),
);

/** Build the front-end under `root`: `sources` is hashed, `entries` are bundled (paths from `root`). */
export const buildAssetsInput = lazySchema('assets.buildAssetsInput', () =>
  z.object({
    root: z.string().min(1).startsWith('/', 'an absolute path'),
    sources: relativePath.default('web'),
    entries: z.array(relativePath).min(1).max(20).default(['web/src/main.tsx']),
    actor,
  }),
);
export type BuildAssetsInput = z.infer<typeof buildAssetsInput>;

/** Switch the live manifest back to a kept build (default: the newest ready build before the live one). */
export const rollbackAssetsInput = lazySchema('assets.rollbackAssetsInput', () =>
  z.object({ buildId: z.number().int().positive().optional(), actor }),
);
export type RollbackAssetsInput = z.infer<typeof rollbackAssetsInput>;

/** Scheduled runs carry the schedule's actor (signed by workers/schedules.ts), an operator's run the API's; runs from before had none. */
export const collectAssetsInput = lazySchema('assets.collectAssetsInput', () =>
  z
    .object({
      keepPrevious: z.number().int().min(0).max(100).optional(),
      keepYoungerThanMs: z.number().int().min(0).optional(),
      /** Staging directories untouched this long are swept (default ASSETS_STAGING_RETENTION_MS). */
      stagingOlderThanMs: z.number().int().min(0).optional(),
      actor: actor.optional(),
    })
    .default({}),
);
export type CollectAssetsInput = z.infer<typeof collectAssetsInput>;

export type AssetPhase =
  'hashing' | 'bundling' | 'manifest' | 'compressing' | 'uploading' | 'switching' | 'recording' | 'done';

export interface AssetProgress {
  phase: AssetPhase;
  sourceHash?: string;
  buildId?: number;
  reused?: boolean;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}
export const assetProgressQuery = defineQuery<AssetProgress>('assetProgress');

/** One published object: its key in the origin (`assets/…`) and its size. */
export interface StagedFile {
  key: string;
  bytes: number;
}

export interface AssetBuildResult {
  buildId: number;
  sourceHash: string;
  /** An earlier build of the same sources was made live again: nothing was bundled or uploaded. */
  reused: boolean;
  uploadedFiles: number;
  uploadedBytes: number;
  files: number;
  totalBytes: number;
  phaseMs: Record<string, number>;
}

export interface AssetSwitch {
  fromBuildId: number | null;
  toBuildId: number;
  changed: boolean;
}

export interface AssetCollection {
  keptBuilds: number[];
  deletedBuilds: number[];
  deletedFiles: number;
  /** Leftover staging directories swept; absent in runs from before the sweep. */
  removedStages?: number;
}
