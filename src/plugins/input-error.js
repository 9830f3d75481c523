'use strict';

/**
 * The 400 of the admin plugins' routes, in the shape the rest of the API gives (src/utils/errors.ts
 * `inputError`): the message names the query parameter or body field and the rule, and details.errors[].path
 * names it for a client. Plain JavaScript, as the plugins are (they load from src, outside the TypeScript build).
 */
const { errors } = require('@strapi/utils');

const inputError = (field, rule) => new errors.ValidationError(`${field}: ${rule}`, { errors: [{ path: [field], message: rule, name: 'ValidationError' }] });

module.exports = { inputError };
