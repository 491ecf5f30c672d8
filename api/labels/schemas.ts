import { z } from '@hono/zod-openapi';
import { accountParam, idParam, rowId } from '../common-schemas.ts';
import { apiText } from '../text-rules.ts';

/** Chatwoot's rule (letters, digits, `_`, `-`); checked by refine so the document carries no Unicode-class regex. */
export const labelTitle = z
  .string()
  .min(1)
  .max(255, { abort: true })
  .refine((t) => /^[\p{L}\p{N}_-]+$/u.test(t.trim()), 'letters, digits, _ and - only')
  .openapi({ description: 'Letters, digits, `_` and `-`; stored lower-case', example: 'billing' });

export const labelList = z
  .object({ labels: z.array(labelTitle).max(100) })
  .strict()
  .openapi('LabelList', { description: 'The whole list: it replaces the labels there were' });
export const labelsAnswer = z.object({ payload: z.array(z.string()) }).openapi('Labels');

export const label = z
  .object({
    id: rowId,
    title: z.string(),
    description: z.string().nullable(),
    color: z.string(),
    show_on_sidebar: z.boolean(),
  })
  .openapi('Label');

const color = z
  .string()
  .regex(/^#[0-9A-Fa-f]{6}$/, 'a colour like #1f93ff')
  .openapi({ pattern: '^#[0-9A-Fa-f]{6}$', example: '#1f93ff' });
const description = apiText(z.string().max(1000), { blank: true });

export const createLabelBody = z
  .object({
    title: labelTitle,
    description: description.optional(),
    color: color.optional(),
    show_on_sidebar: z.boolean().optional(),
  })
  .strict()
  .openapi('CreateLabelRequest');
export const updateLabelBody = z
  .object({
    title: labelTitle.optional(),
    description: description.nullable().optional(),
    color: color.optional(),
    show_on_sidebar: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateLabelRequest');

export const labelParam = accountParam.extend({ labelId: idParam('labelId') });
export const contactParam = accountParam.extend({ contactId: idParam('contactId') });

export const labelView = (l: {
  id: number;
  title: string;
  description: string | null;
  color: string;
  showOnSidebar: boolean;
}) => ({
  id: l.id,
  title: l.title,
  description: l.description,
  color: l.color,
  show_on_sidebar: l.showOnSidebar,
});
