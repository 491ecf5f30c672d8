/** The text fields of an OpenAPI document: every string with a `maxLength` or a `pattern`, wherever it is sent. */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  schema: Schema;
}

interface Document {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components: { schemas: Record<string, Schema> };
}

export interface TextField {
  method: string;
  path: string;
  in: 'path' | 'query' | 'header' | 'body';
  /** Where the field sits: a parameter's name, or its keys from the body's top. */
  name: string[];
  schema: Schema;
  pathParams: Record<string, Schema>;
  hasBody: boolean;
}

/** Every string reachable from `schema`, with its keys (array items are sent as the array's first element: `0`). */
function strings(doc: Document, schema: Schema, name: string[]): { name: string[]; schema: Schema }[] {
  if (schema.$ref) return strings(doc, doc.components.schemas[schema.$ref.split('/').pop()!]!, name);
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  const found = branches.flatMap((b) => strings(doc, b, name));
  const types = [schema.type ?? []].flat();
  if (types.includes('string') && !schema.enum && (schema.maxLength !== undefined || schema.pattern))
    found.push({ name, schema });
  for (const [key, property] of Object.entries(schema.properties ?? {}))
    found.push(...strings(doc, property, [...name, key]));
  if (schema.items) found.push(...strings(doc, schema.items, [...name, '0']));
  // One entry per place: a field in several branches of a union is the same field.
  return found.filter((f, i) => found.findIndex((g) => g.name.join('.') === f.name.join('.')) === i);
}

export function textFields(doc: Document): TextField[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, op]) => {
      const parameters = op.parameters ?? [];
      const pathParams = Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.schema]));
      const common = { method: method.toUpperCase(), path, pathParams, hasBody: Boolean(op.requestBody) };
      const fromParameters = parameters
        .filter((p): p is Parameter & { in: 'path' | 'query' | 'header' } => p.in !== 'cookie')
        .flatMap((p) => strings(doc, p.schema, [p.name]).map((s) => ({ ...common, in: p.in, ...s })));
      const json = op.requestBody?.content['application/json']?.schema;
      const fromBody = json ? strings(doc, json, []).map((s) => ({ ...common, in: 'body' as const, ...s })) : [];
      return [...fromParameters, ...fromBody];
    }),
  );
}
