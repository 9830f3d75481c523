import lodashIsPlainObject from 'lodash/isPlainObject';

/**
 * A level of a query or a body: an object made by `{}` or a query parser (also one without a prototype), not an
 * array, a Date, a Buffer or a knex query builder, which are values. One definition, so the filter, sort and
 * populate walkers agree on what they descend into.
 */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => lodashIsPlainObject(value);
