import { createSecretKey } from 'crypto';
import { readSecrets } from './secrets';

export default ({ env }) => {
  const smtpUser = env('SMTP_USERNAME', '');
  return {
    'users-permissions': {
      config: {
        // A KeyObject, not the string: jsonwebtoken otherwise tries (and fails) to parse the string
        // as a public key on every verify, ~0.6 ms of every signed-in request.
        jwtSecret: createSecretKey(Buffer.from(readSecrets(env).jwtSecret)),
        jwt: { expiresIn: env('JWT_EXPIRES_IN', '7d') },
        // Only these extra fields may come with POST /api/auth/local/register;
        // role, confirmed and blocked are never accepted from the caller.
        register: { allowedFields: ['firstName', 'lastName'] },
        ratelimit: { interval: 60000, max: env.int('AUTH_RATE_LIMIT', 10) },
      },
    },
    email: {
      config: {
        provider: 'nodemailer',
        providerOptions: {
          host: env('SMTP_HOST', '127.0.0.1'),
          port: env.int('SMTP_PORT', 1025),
          secure: env.bool('SMTP_SECURE', false),
          ignoreTLS: env.bool('SMTP_IGNORE_TLS', false),
          ...(smtpUser ? { auth: { user: smtpUser, pass: env('SMTP_PASSWORD', '') } } : {}),
          // a few connections kept open and reused: a registration opening sends hundreds of emails, and a
          // connection (TLS, login) per message made the last of them wait minutes
          pool: env.bool('SMTP_POOL', true),
          maxConnections: env.int('SMTP_MAX_CONNECTIONS', 5),
          connectionTimeout: env.int('SMTP_TIMEOUT', 10000),
          greetingTimeout: env.int('SMTP_TIMEOUT', 10000),
          // a stalled connection fails its message well before a claim counts as abandoned (10 min)
          socketTimeout: env.int('SMTP_SOCKET_TIMEOUT', 60000),
        },
        settings: {
          defaultFrom: env('EMAIL_FROM', 'Library Learning <no-reply@library-learning.example>'),
          defaultReplyTo: env('EMAIL_REPLY_TO', env('EMAIL_FROM', 'no-reply@library-learning.example')),
        },
      },
    },
    // System staff's affiliation confirmation queue (admin API, see src/plugins/approvals).
    approvals: { enabled: true, resolve: './src/plugins/approvals' },
    // Membership staff's reports: mentor suggestions, libraries due a site visit (admin API).
    membership: { enabled: true, resolve: './src/plugins/membership' },
    // Event rosters, CSV export and attendance for staff and providers (admin API, see src/plugins/rosters).
    rosters: { enabled: true, resolve: './src/plugins/rosters' },
    graphql: {
      config: {
        endpoint: '/graphql',
        shadowCRUD: true,
        landingPage: env('NODE_ENV') !== 'production',
        depthLimit: 8,
        defaultLimit: 25,
        maxLimit: 100,
        // The schema describes itself outside production (tools, the landing page); in production only
        // with GRAPHQL_INTROSPECTION=true (e.g. a library website generating its client against it).
        apolloServer: { introspection: env.bool('GRAPHQL_INTROSPECTION', env('NODE_ENV') !== 'production') },
      },
    },
  };
};
