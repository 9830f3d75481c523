import { Calendar } from '@strapi/icons';
import { addListColumns } from './components/ListColumns';

/**
 * Adds "Event rosters" to the admin menu for staff who may read every roster, and
 * the content manager's computed list columns (events: Seats; buildings: System).
 */
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
  bootstrap(app) {
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', addListColumns);
  },
};
