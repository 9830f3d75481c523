import { assertObjectBody, inputError } from '../../../../utils/errors';
import { assertRecurrenceFields } from '../../../event/recurrence/validate';
import { zonedInstant } from '../../../event/recurrence/rule';

/**
 * The event fields a group admin (and a member submitting an event) may write.
 * Everything else (kind, networkingGroup, capacity rules, import fields, review
 * state) is set by the service, never by the caller.
 */
export const EVENT_FIELDS = ['title', 'summary', 'description', 'start', 'end', 'rrule', 'exdates', 'audience', 'registrationMode', 'signupInstructions', 'locations'] as const;

export interface EventInput {
  title?: string;
  summary?: string | null;
  description?: string | null;
  start?: string;
  end?: string | null;
  rrule?: string | null;
  exdates?: string[] | null;
  audience?: 'public' | 'members';
  registrationMode?: 'none' | 'platform' | 'external';
  signupInstructions?: string | null;
  locations?: { key: string; name: string; onlineUrl?: string | null; capacity?: number | null }[];
}

export const fail = (field: string, message: string): never => {
  throw inputError(field, message);
};

/**
 * The request body's fields: `{ data: {...} }` (Strapi's shape) or the fields themselves. No body is no fields; a list
 * or a lone value is a 400 naming body (it was read as no fields: an edit answered 200 having changed nothing).
 */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  assertObjectBody(body, 'must be a JSON object with the event\'s fields, or them inside { "data": { … } }');
  const b = body;
  const data = b.data && typeof b.data === 'object' && !Array.isArray(b.data) ? (b.data as Record<string, unknown>) : b;
  return data;
}

const text = (field: string, v: unknown, max: number, required = false): string | null | undefined => {
  if (v === undefined) return required ? fail(field, 'is required') : undefined;
  if (v === null || v === '') return required ? fail(field, 'is required') : null;
  if (typeof v !== 'string') return fail(field, 'must be text');
  if (required && !v.trim()) return fail(field, 'is required');
  if (v.length > max) return fail(field, `must be at most ${max} characters`);
  return v;
};

const instant = (field: string, v: unknown): string => {
  if (typeof v !== 'string' || !v) return fail(field, 'must be an ISO 8601 date-time, e.g. 2027-03-17T10:00:00-05:00');
  const dt = zonedInstant(v);
  if (!dt.isValid) return fail(field, `"${v}" is not an ISO 8601 date-time`);
  return dt.toUTC().toISO()!;
};

const oneOf = <T extends string>(field: string, v: unknown, allowed: readonly T[]): T | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v as T)) return fail(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return v as T;
};

function locationsOf(v: unknown): EventInput['locations'] {
  if (!Array.isArray(v) || v.length > 20) return fail('locations', 'must be a list of up to 20 places { name, key?, onlineUrl?, capacity? }');
  const keys = new Set<string>();
  return v.map((l, i) => {
    if (!l || typeof l !== 'object' || Array.isArray(l)) return fail(`locations[${i}]`, 'must be an object { name, key?, onlineUrl?, capacity? }');
    const o = l as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !['key', 'name', 'onlineUrl', 'capacity'].includes(k));
    if (unknown.length) fail(`locations[${i}].${unknown[0]}`, 'is not a location field (name, key, onlineUrl, capacity)');
    const name = text(`locations[${i}].name`, o.name, 250, true)!;
    const key = o.key === undefined ? (name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || `place-${i + 1}`) : o.key;
    if (typeof key !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(key) || key.length > 60) fail(`locations[${i}].key`, 'must be lowercase letters, digits and dashes');
    if (keys.has(key as string)) fail(`locations[${i}].key`, `"${key}" is used twice`);
    keys.add(key as string);
    const onlineUrl = text(`locations[${i}].onlineUrl`, o.onlineUrl, 1000);
    if (onlineUrl && !/^https?:\/\//.test(onlineUrl)) fail(`locations[${i}].onlineUrl`, 'must be an http(s) address');
    const capacity = o.capacity;
    if (capacity !== undefined && capacity !== null && (!Number.isInteger(capacity) || (capacity as number) < 0)) fail(`locations[${i}].capacity`, 'must be a whole number of seats (0 or more)');
    return { key: key as string, name, onlineUrl: onlineUrl ?? null, capacity: (capacity as number | null | undefined) ?? null };
  });
}

/**
 * Validates an event write. `partial` (an edit) accepts any subset; otherwise
 * title and start are required. `extra` names further fields the caller's
 * route accepts (checked by the caller). 400 naming the field on any problem.
 */
export function parseEventInput(data: Record<string, unknown>, opts: { partial: boolean; extra?: readonly string[]; current?: { start: string; end?: string | null } }): EventInput {
  const allowed = new Set<string>([...EVENT_FIELDS, ...(opts.extra ?? [])]);
  const unknown = Object.keys(data).filter((k) => !allowed.has(k));
  if (unknown.length) fail(unknown[0], `is not a field you can set here (allowed: ${[...allowed].join(', ')})`);
  const out: EventInput = {};
  if (!opts.partial || data.title !== undefined) out.title = text('title', data.title, 250, true)!;
  if (data.summary !== undefined) out.summary = text('summary', data.summary, 500);
  if (data.description !== undefined) out.description = text('description', data.description, 20000);
  if (!opts.partial || data.start !== undefined) out.start = instant('start', data.start);
  if (data.end !== undefined && data.end !== null) out.end = instant('end', data.end);
  else if (data.end === null) out.end = null;
  const start = out.start ?? opts.current?.start;
  const end = out.end === undefined ? opts.current?.end : out.end;
  if (start && end && new Date(end) <= new Date(start)) fail('end', 'must be after start');
  if (data.rrule !== undefined) out.rrule = text('rrule', data.rrule, 500);
  if (data.exdates !== undefined) out.exdates = data.exdates as string[] | null;
  // the calendar's own recurrence rules (RRULE syntax, exdates as ISO date-times); the event's
  // lifecycle stores exdates and UNTIL in UTC, reading offset-less ones in the calendar zone like start
  assertRecurrenceFields({ rrule: out.rrule, exdates: out.exdates });
  out.audience = oneOf('audience', data.audience, ['public', 'members'] as const);
  out.registrationMode = oneOf('registrationMode', data.registrationMode, ['none', 'platform', 'external'] as const);
  if (data.signupInstructions !== undefined) out.signupInstructions = text('signupInstructions', data.signupInstructions, 5000);
  if (data.locations !== undefined && data.locations !== null) out.locations = locationsOf(data.locations);
  for (const k of Object.keys(out) as (keyof EventInput)[]) if (out[k] === undefined) delete out[k];
  return out;
}
