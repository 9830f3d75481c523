import { Calendar } from '@strapi/icons';

/** Adds "Event rosters" to the admin menu for staff who may read every roster. */
export default {
  register(app) {
    app.addMenuLink({
      to: 'plugins/rosters',
      icon: Calendar,
      intlLabel: { id: 'rosters.menu', defaultMessage: 'Event rosters' },
      permissions: [{ action: 'plugin::rosters.read', subject: null }],
      Component: () => import('./pages/RosterPage'),
    });
    app.registerPlugin({ id: 'rosters', name: 'Rosters' });
  },
  bootstrap() {},
};
