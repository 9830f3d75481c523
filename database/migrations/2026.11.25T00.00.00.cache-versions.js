'use strict';

/**
 * ll_cache_versions: one counter per family of cached answers (calendar, directory).
 * A write to a watched content type bumps its family's counter in the writing
 * transaction; every process compares the counter before answering from its
 * cache, so two processes on one database never serve each other's stale data.
 * Not a content type: nobody edits it, and Strapi leaves tables it did not create alone.
 */
module.exports = {
  async up(knex) {
    if (await knex.schema.hasTable('ll_cache_versions')) return;
    await knex.schema.createTable('ll_cache_versions', (t) => {
      t.string('name', 64).primary();
      t.bigInteger('version').notNullable().defaultTo(0);
    });
  },
};
