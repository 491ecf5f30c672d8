/**
 * Modules every workflow run of a worker thread shares (`preloadModules`, workers/bundle.ts): the SDK evaluates
 * them once, before any run exists, then deep-freezes what they export; their closures stay as they are. Only
 * modules without per-run state belong here, and nothing here may touch a workflow API. contracts/lazy.ts keeps
 * the schemas one run built for every later run.
 */
import { shareSchemas } from '../contracts/lazy.ts';

shareSchemas();
