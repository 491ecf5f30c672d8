import type { Props } from '../fixtures/chatwoot/shapes.ts';
import type { ChatwootOperation } from '../fixtures/chatwoot/application-api.ts';

/** How Capstan deliberately departs from a property of Chatwoot's shape (docs/chatwoot-api.md says why). */
export type Difference = 'absent' | 'null';

const typeOf = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'number' && Number.isInteger(v)
        ? 'integer'
        : typeof v;

function fits(value: unknown, type: string): boolean {
  const nullable = type.endsWith('?');
  const base = type.replace('?', '');
  if (value === null) return nullable;
  const actual = typeOf(value);
  return actual === base || (base === 'number' && actual === 'integer');
}

/** Every property the shape lists, present with its type, nested objects and a list's first item too. */
export function shapeProblems(
  value: unknown,
  props: Props,
  where: string,
  differences: Record<string, Difference> = {},
) {
  const problems: string[] = [];
  if (typeOf(value) !== 'object') return [`${where}: expected an object, got ${typeOf(value)}`];
  const object = value as Record<string, unknown>;
  for (const [name, spec] of Object.entries(props)) {
    const at = `${where}.${name}`;
    const difference = differences[name];
    if (difference === 'absent') {
      if (name in object) problems.push(`${at}: must be absent (a deliberate difference)`);
      continue;
    }
    if (!(name in object)) {
      problems.push(`${at}: missing`);
      continue;
    }
    const v = object[name];
    if (difference === 'null') {
      if (v !== null) problems.push(`${at}: must be null (a deliberate difference)`);
    } else if (typeof spec === 'string') {
      if (!fits(v, spec)) problems.push(`${at}: expected ${spec}, got ${typeOf(v)}`);
    } else if ('array' in spec) {
      if (!Array.isArray(v) || v.length === 0) problems.push(`${at}: expected a non-empty array`);
      else problems.push(...shapeProblems(v[0], spec.array, `${at}[0]`));
    } else if (!(v === null && spec.nullable)) problems.push(...shapeProblems(v, spec.object, at));
  }
  return problems;
}

/** An answer against its operation: status, envelope, and the object(s) at `at` (a list must not be empty). */
export function conformance(
  op: ChatwootOperation,
  answer: { status: number; body: unknown },
  differences?: Record<string, Difference>,
): string[] {
  if (answer.status !== op.status)
    return [`status ${answer.status}, expected ${op.status}: ${JSON.stringify(answer.body)}`];
  if (Object.keys(op.properties).length === 0 && !op.envelope) return [];
  const problems = op.envelope ? shapeProblems(answer.body, op.envelope, 'body') : [];
  let value = answer.body as any;
  for (const key of op.at) value = value?.[key];
  const where = ['body', ...op.at].join('.');
  if (!op.list) return [...problems, ...shapeProblems(value, op.properties, where, differences)];
  if (!Array.isArray(value) || value.length === 0) return [...problems, `${where}: expected a non-empty list`];
  return [
    ...problems,
    ...value.flatMap((item, i) => shapeProblems(item, op.properties, `${where}[${i}]`, differences)),
  ];
}
