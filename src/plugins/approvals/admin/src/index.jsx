import { CheckCircle } from '@strapi/icons';

/** Adds "Confirmation queue" to the admin menu for people allowed to decide affiliations. */
export default {
  register(app) {
    app.addMenuLink({
      to: 'plugins/approvals',
      icon: CheckCircle,
      intlLabel: { id: 'approvals.menu', defaultMessage: 'Confirmation queue' },
      permissions: [{ action: 'plugin::approvals.decide', subject: null }],
      Component: () => import('./pages/QueuePage'),
    });
    app.registerPlugin({ id: 'approvals', name: 'Approvals' });
  },
  bootstrap() {},
};
