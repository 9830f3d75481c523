import fs from 'fs';
import path from 'path';

/**
 * Strapi's `_q` search (REST `?_q=`, the admin list search) matches every text-like column of a
 * type, and numeric ones when the term is a number, unless the attribute says `"searchable": false`;
 * it does not look at `private`. A private field left searchable can be read back through `_q` one
 * prefix at a time, so every private field of a type `_q` can search must opt out.
 */
const SEARCHED_TYPES = new Set(['string', 'text', 'richtext', 'email', 'enumeration', 'uid', 'integer', 'biginteger', 'float', 'decimal']);

const root = path.resolve(__dirname, '../..');
const schemaFiles = (dir: string, match: (file: string) => boolean): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return schemaFiles(full, match);
    return match(entry.name) ? [full] : [];
  });

const files = [
  ...schemaFiles(path.join(root, 'src/api'), (name) => name === 'schema.json'),
  ...schemaFiles(path.join(root, 'src/extensions'), (name) => name === 'schema.json'),
  ...schemaFiles(path.join(root, 'src/components'), (name) => name.endsWith('.json')),
];

describe('private fields', () => {
  it('finds the schemas', () => {
    expect(files.some((f) => f.endsWith(path.join('event', 'schema.json')))).toBe(true);
    expect(files.some((f) => f.endsWith(path.join('users-permissions', 'content-types', 'user', 'schema.json')))).toBe(true);
    expect(files.some((f) => f.includes(path.join('components', 'event')))).toBe(true);
  });

  it('are never searchable by _q', () => {
    const searchable: string[] = [];
    for (const file of files) {
      const { attributes = {} } = JSON.parse(fs.readFileSync(file, 'utf8')) as { attributes?: Record<string, { type: string; private?: boolean; searchable?: boolean }> };
      for (const [name, attribute] of Object.entries(attributes)) {
        if (attribute.private && SEARCHED_TYPES.has(attribute.type) && attribute.searchable !== false) {
          searchable.push(`${path.relative(root, file)}: ${name}`);
        }
      }
    }
    expect(searchable).toEqual([]);
  });
});
