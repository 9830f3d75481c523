import type { Core } from '@strapi/strapi';

type Made = Record<string, any>;

/**
 * Replaces one of a plugin's controllers or services (a factory, or the object itself) with one that keeps
 * everything the original makes and overrides what `extend` returns; `extend` gets the original to delegate to.
 */
export function extendPluginFactory(container: Record<string, unknown>, name: string, extend: (original: Made, strapi: Core.Strapi) => Made) {
  const make = container[name];
  container[name] = ({ strapi }: { strapi: Core.Strapi }) => {
    const original: Made = typeof make === 'function' ? make({ strapi }) : (make as Made);
    return { ...original, ...extend(original, strapi) };
  };
}
