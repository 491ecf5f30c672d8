/**
 * A schema built on first use, under a name unique in `contracts/` (`<file>.<const>`, test/unit/lazy-schema.test.ts).
 * Everything reads through to the built schema, so zod, the API and `z.infer` see the schema itself.
 *
 * Workflow code evaluates the bundle's modules again for every run (the SDK's reusable V8 context gives each run a
 * fresh module cache), so a schema would be built again by every run. The workflow bundle preloads this module
 * (workflows/preload.ts), which makes the map below one per worker thread, shared by every run, and calls
 * `shareSchemas()`: the first run that parses builds every schema its modules declared, and later runs take them
 * from the map. All of them at once, so every shared schema comes from the one run's modules and zod (zod itself
 * cannot be preloaded: the SDK freezes what shared modules export, and zod writes `lastIndex` on its exported
 * patterns). A schema is a pure function of its source: no build reads a clock, a run or the environment.
 */
const built = new Map<string, object>();
const pending = new Map<string, () => object>();
let shared = false;

export function lazySchema<T extends object>(name: string, build: () => T): T {
  const done = built.get(name);
  if (done) return done as T;
  if (shared) pending.set(name, build);
  let own: T | undefined;
  const schema = (): T => (own ??= (built.get(name) as T | undefined) ?? buildAs(name, build));
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(schema(), key),
    set: (_, key, value) => Reflect.set(schema(), key, value),
    has: (_, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    // Reported configurable: a proxy may not report a non-configurable property its own (empty) target lacks.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}

function buildAs<T extends object>(name: string, build: () => T): T {
  if (!shared) return build();
  const all = [...pending];
  pending.clear();
  // A build may read another schema through its proxy, which comes back here for that one alone.
  for (const [other, make] of all) keep(other, make);
  return keep(name, build);
}

function keep<T extends object>(name: string, build: () => T): T {
  let schema = built.get(name) as T | undefined;
  if (!schema) built.set(name, (schema = build()));
  return schema;
}

/** Keeps built schemas for every later run of this thread (workflow code only: workflows/preload.ts). */
export function shareSchemas(): void {
  shared = true;
}
