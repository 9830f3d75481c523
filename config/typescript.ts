/**
 * `strapi develop` keeps types/generated (the content types' TypeScript declarations) in step with the schemas;
 * `npm run types` does it by hand, and CI fails when the committed ones are stale (.ci/run).
 */
export default () => ({
  autogenerate: true,
});
