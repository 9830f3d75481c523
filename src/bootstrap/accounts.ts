import type { Core } from '@strapi/strapi';

/**
 * Sign-up settings of the users-permissions plugin, kept in code: one account
 * per email, email confirmation on (EMAIL_CONFIRMATION=false turns it off for
 * local experiments), new accounts start as guests.
 */
export async function configureAccounts(strapi: Core.Strapi) {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const current = ((await store.get({ key: 'advanced' })) as Record<string, unknown>) ?? {};
  const publicUrl = (strapi.config.get('server.url') as string) || 'http://localhost:1337';
  const wanted = {
    ...current,
    unique_email: true,
    allow_register: true,
    email_confirmation: process.env.EMAIL_CONFIRMATION !== 'false',
    email_confirmation_redirection: `${publicUrl}/account/confirmed`,
    email_reset_password: `${publicUrl}/account/reset-password`,
    default_role: 'authenticated',
  };
  if (JSON.stringify(wanted) !== JSON.stringify(current)) await store.set({ key: 'advanced', value: wanted });
}
