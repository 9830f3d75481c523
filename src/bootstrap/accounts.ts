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
  await configureAccountEmails(strapi);
}

/** "Name <address>" → its parts, for the users-permissions sender settings. */
function parseFrom(value: string): { name: string; email: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  return m ? { name: m[1] || 'Library Learning', email: m[2] } : { name: 'Library Learning', email: value.trim() };
}

// Strapi's template syntax: only <%= URL %>, <%= CODE %>, <%= TOKEN %> and USER.* are interpolated.
const CONFIRMATION_MESSAGE = `<p>Welcome to Library Learning!</p>
<p>Please confirm your email address to finish creating your account:</p>
<p><a href="<%= URL %>?confirmation=<%= CODE %>"><%= URL %>?confirmation=<%= CODE %></a></p>
<p>Once confirmed, sign in with your email address. To take part as library staff, ask to join your library building from your profile; system staff confirm each request.</p>
<p>If you did not sign up for Library Learning, ignore this message.</p>`;

const RESET_MESSAGE = `<p>Someone (hopefully you) asked to set a new password for your Library Learning account.</p>
<p>Choose your password with this link:</p>
<p><a href="<%= URL %>?code=<%= TOKEN %>"><%= URL %>?code=<%= TOKEN %></a></p>
<p>If you did not ask for this, ignore this message; your password stays as it is.</p>`;

/**
 * The confirmation and password-reset messages say "Library Learning" and link
 * to PUBLIC_URL. Templates that system staff edited in the admin panel (no
 * longer Strapi's defaults) are left alone.
 */
async function configureAccountEmails(strapi: Core.Strapi) {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const current = ((await store.get({ key: 'email' })) as Record<string, any>) ?? {};
  const from = parseFrom(process.env.EMAIL_FROM || 'Library Learning <no-reply@library-learning.example>');
  const isDefault = (options: any) => !options || options.from?.email === 'no-reply@strapi.io' || !String(options.message ?? '').includes('Library Learning');
  const next = { ...current };
  if (isDefault(current.email_confirmation?.options)) {
    next.email_confirmation = {
      display: 'Email.template.email_confirmation',
      icon: 'check-square',
      ...current.email_confirmation,
      options: { from, response_email: '', object: 'Confirm your Library Learning account', message: CONFIRMATION_MESSAGE },
    };
  }
  if (isDefault(current.reset_password?.options)) {
    next.reset_password = {
      display: 'Email.template.reset_password',
      icon: 'sync',
      ...current.reset_password,
      options: { from, response_email: '', object: 'Set your Library Learning password', message: RESET_MESSAGE },
    };
  }
  if (JSON.stringify(next) !== JSON.stringify(current)) await store.set({ key: 'email', value: next });
}
