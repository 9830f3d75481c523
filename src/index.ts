import type { Core } from '@strapi/strapi';
import { bootstrapApp } from './bootstrap';
import { checkGraphqlPagination, restrictGraphql } from './bootstrap/graphql';
import { registerMembershipMiddleware } from './api/affiliation/document-middleware/recompute-membership';
import { registerDecisionNotice } from './api/affiliation/document-middleware/decision-notice';
import { registerBuildingMiddleware } from './api/building/document-middleware/history-and-search';
import { registerPairingMiddleware } from './api/mentorship-pairing/document-middleware/lifecycle';
import { registerApplicationDecisionNotice } from './api/mentorship-application/document-middleware/decision-notice';
import { registerApplicationStatusRule } from './api/mentorship-application/document-middleware/status-follows-pairings';
import { registerSiteVisitMiddleware } from './api/site-visit/document-middleware/notify';
import { registerEventVisibility } from './api/event/document-middleware/visibility';
import { registerProviderScope } from './api/event/document-middleware/provider-scope';
import { registerEventFormRules } from './api/event/document-middleware/admin-input';
import { registerSeatGuard } from './api/registration/document-middleware/seat-guard';
import { registerAttendanceSync } from './api/registration/document-middleware/attendance';
import { useBuiltOnceMiddlewares } from './utils/built-once-middlewares';
import { registerContentManagerStatus, registerFormStatusData } from './utils/content-manager-status';
import { registerSubmissionMiddleware } from './api/event-submission/document-middleware/review';
import { registerPasswordCancelsEmailChange } from './api/profile/document-middleware/password-cancels-email-change';
import { registerAccountFormRules } from './api/profile/document-middleware/account-form';
import { watchCacheFamilies } from './utils/versioned-cache';
import { cacheApiTokenLookups, cacheContentApiAbilities, cacheCoreStoreReads } from './utils/auth-lookups';
import { trackActiveRequests } from './utils/activity';
import { registerDocumentInputLimits } from './utils/document-input';
import { limitRelatedFieldsToReadPermissions } from './utils/admin-related-fields';
import { registerCloneKeepsOwnedRelations } from './utils/clone-relations';
import { queuePluginMail } from './api/outbox-message/plugin-mail';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // Strapi's body parser and security headers, built once rather than on every request
    useBuiltOnceMiddlewares(strapi);
    // Document-service middlewares: rules that hold whichever screen or script writes.
    // First: a content-manager form's own `status` field back into the data, then the limits of what the
    // database can store, so the rules below see only data that can be written.
    registerFormStatusData(strapi);
    registerDocumentInputLimits(strapi);
    // a copy ("Duplicate") leaves the source's one-to-many relations with the source
    registerCloneKeepsOwnedRelations(strapi);
    registerMembershipMiddleware(strapi);
    registerDecisionNotice(strapi);
    registerBuildingMiddleware(strapi);
    registerPairingMiddleware(strapi);
    // before the decision notice: a status change refused there emails nobody
    registerApplicationStatusRule(strapi);
    registerApplicationDecisionNotice(strapi);
    registerSiteVisitMiddleware(strapi);
    registerEventVisibility(strapi);
    registerProviderScope(strapi);
    registerEventFormRules(strapi);
    registerSeatGuard(strapi);
    registerAttendanceSync(strapi);
    registerSubmissionMiddleware(strapi);
    registerPasswordCancelsEmailChange(strapi);
    registerAccountFormRules(strapi);
    // GraphQL: the public calendar and directory, read only (writes and private records go through REST)
    restrictGraphql(strapi);
    checkGraphqlPagination(strapi);
    // authentication reads (users-permissions' are cached from its extension)
    cacheApiTokenLookups(strapi);
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // before anything writes: every write to what a cache is built from (calendar, directory, accounts, tokens) invalidates it
    watchCacheFamilies(strapi);
    cacheCoreStoreReads(strapi);
    cacheContentApiAbilities(strapi);
    trackActiveRequests(strapi);
    // users-permissions' own emails (confirmation, password reset) through the outbox
    queuePluginMail(strapi);
    // admin panel: a related document shows only what the admin's role may read of its type
    limitRelatedFieldsToReadPermissions(strapi);
    await bootstrapApp(strapi);
    registerContentManagerStatus(strapi);
  },
  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await strapi.service('api::outbox-message.outbox').stop();
  },
};
