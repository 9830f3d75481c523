import type { Core } from '@strapi/strapi';
import { validateNewStaff, validateStaffEdit } from './validation/staff';

/** /api/buildings/:documentId/staff: list (members), add, retitle and remove (the building's directors). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx) {
    const staff = strapi.service('api::building.staff');
    const building = await staff.building(ctx.params.documentId);
    ctx.body = { data: await staff.list(building, ctx.state.user), meta: {} };
  },

  async add(ctx) {
    const staff = strapi.service('api::building.staff');
    const building = await staff.building(ctx.params.documentId);
    await staff.assertDirects(ctx.state.user.id, building);
    const input = validateNewStaff(ctx.request.body);
    ctx.status = 201;
    ctx.body = { data: await staff.add(ctx.state.user, building, input), meta: {} };
  },

  async update(ctx) {
    const staff = strapi.service('api::building.staff');
    const building = await staff.building(ctx.params.documentId);
    await staff.assertDirects(ctx.state.user.id, building);
    const { jobTitle } = validateStaffEdit(ctx.request.body);
    ctx.body = { data: await staff.retitle(building, ctx.params.userDocumentId, jobTitle), meta: {} };
  },

  async remove(ctx) {
    const staff = strapi.service('api::building.staff');
    const building = await staff.building(ctx.params.documentId);
    await staff.assertDirects(ctx.state.user.id, building);
    ctx.body = { data: await staff.remove(building, ctx.params.userDocumentId), meta: {} };
  },
});
