import { Calendar } from '@strapi/icons';
import { addListColumns } from './components/ListColumns';

/**
 * Adds "Event rosters" to the admin menu for staff who may read every roster and for event providers (their own
 * events' rosters), and
 * the content manager's computed list columns (events: Seats; buildings: System).
 */
export default {
  register(app) {
    app.addMenuLink({
      to: 'plugins/rosters',
      icon: Calendar,
      intlLabel: { id: 'rosters.menu', defaultMessage: 'Event rosters' },
      // staff read every roster; an event provider reads its own events' registrations (the roster service opens
      // their rosters to them), and without this second entry the menu hid the page from them
      permissions: [
        { action: 'plugin::rosters.read', subject: null },
        { action: 'plugin::content-manager.explorer.read', subject: 'api::registration.registration' },
      ],
      Component: () => import('./pages/RosterPage'),
    });
    app.registerPlugin({ id: 'rosters', name: 'Rosters' });
  },
  bootstrap(app) {
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', addListColumns);
  },
};
