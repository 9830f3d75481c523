import path from 'path';
import fs from 'fs';
import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { parseImlsCsv } from '../api/building/imls/parse';
import type { ImportSummary } from '../api/building/services/imls-import';
import { activeKey, slotKey } from '../api/registration/keys';
import { localToUtcIso } from './time';
import * as demo from './demo-data';

/** Password of every demo person (never of the admin user); documented in the README. */
export const DEMO_PASSWORD = 'Library-Learning-demo-1';

export interface SeedResult {
  imls: ImportSummary;
  admin: { email: string; password?: string };
}

type Doc = { id: number; documentId: string } & Record<string, unknown>;

const ILLINOIS_CSV = 'database/data/imls-pls-fy2015-outlets-illinois.csv';

/**
 * Finds a document by a unique field or creates it; never duplicates on re-run. `initial` fields
 * are staff's to change: set on create, and on a re-run only while none of them is set (a database
 * from before they existed), never overwritten.
 */
async function upsert(strapi: Core.Strapi, uid: string, where: Record<string, unknown>, data: Record<string, unknown>, opts: { publish?: boolean; initial?: Record<string, unknown> } = {}): Promise<Doc> {
  const docs = strapi.documents(uid as never);
  const existing = (await docs.findFirst({ filters: where as never, status: opts.publish ? 'draft' : undefined } as never)) as Doc | null;
  const unset = (k: string) => existing?.[k] === null || existing?.[k] === undefined;
  const initial = Object.keys(opts.initial ?? {}).every(unset) ? opts.initial ?? {} : {};
  const saved = existing
    ? ((await docs.update({ documentId: existing.documentId, data: { ...data, ...initial } as never } as never)) as Doc)
    : ((await docs.create({ data: { ...where, ...data, ...initial } as never } as never)) as Doc);
  if (opts.publish) await docs.publish({ documentId: saved.documentId } as never);
  return saved;
}

export async function seed(strapi: Core.Strapi, opts: { csvPath?: string } = {}): Promise<SeedResult> {
  const csvPath = opts.csvPath ?? process.env.IMLS_CSV ?? path.join(strapi.dirs.app.root, ILLINOIS_CSV);
  const { outlets } = parseImlsCsv(fs.readFileSync(csvPath, 'utf8'), { state: 'IL' });
  const imls = await strapi.service('api::building.imls-import').importOutlets(outlets);

  const systems = new Map<string, Doc>();
  for (const s of demo.librarySystems) {
    systems.set(s.code, await upsert(strapi, 'api::library-system.library-system', { code: s.code }, { name: s.name, kind: s.kind, website: s.website }, {
      initial: { acceptsEventSubmissions: s.acceptsEventSubmissions, eventSubmissionContact: s.eventSubmissionContact ?? null },
    }));
  }

  const members: [string, { fscsId: string }[]][] = [
    ['IHLS', demo.ihlsMemberLibraries],
    ['RAILS', demo.railsMemberLibraries],
    ['CPLS', demo.cplsLibraries],
  ];
  for (const [code, libs] of members) {
    for (const lib of libs) {
      const found = (await strapi.documents('api::library.library').findFirst({ filters: { fscsId: lib.fscsId } as never })) as Doc | null;
      if (found) await strapi.documents('api::library.library').update({ documentId: found.documentId, data: { system: systems.get(code)!.documentId } as never });
    }
  }

  for (const detail of demo.buildingDetails) {
    const b = (await strapi.documents('api::building.building').findFirst({ filters: { fscsId: detail.fscsId, fscsSeq: detail.seq } as never })) as Doc | null;
    if (b && !b.deliveryRoute) await strapi.documents('api::building.building').update({ documentId: b.documentId, data: detail.data as never });
  }

  const providers = new Map<string, Doc>();
  for (const p of demo.providers) {
    providers.set(p.slug, await upsert(strapi, 'api::provider.provider', { slug: p.slug }, {
      name: p.name, kind: p.kind, website: p.website ?? null, system: p.systemCode ? systems.get(p.systemCode)!.documentId : null,
    }));
  }

  const tags = new Map<string, Doc>();
  for (const t of demo.tags) tags.set(t.slug, await upsert(strapi, 'api::tag.tag', { slug: t.slug }, { name: t.name }));

  const buildingOf = async (ref?: { fscsId: string; seq: number }) => {
    if (!ref) return null;
    const b = (await strapi.documents('api::building.building').findFirst({ filters: { fscsId: ref.fscsId, fscsSeq: ref.seq } as never })) as Doc | null;
    return b?.documentId ?? null;
  };

  const people = new Map<string, Doc>();
  const authenticated = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  for (const p of demo.people) {
    const email = p.email.toLowerCase();
    let user = (await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email } })) as Doc | null;
    if (!user) {
      user = await strapi.plugin('users-permissions').service('user').add({
        username: p.username ?? email, email, password: DEMO_PASSWORD, provider: 'local', confirmed: true, blocked: false,
        role: authenticated.id, firstName: p.firstName, lastName: p.lastName, phone: p.phone ?? null,
      });
    }
    people.set(p.key, user!);
    if (p.affiliation) {
      const building = await buildingOf(p.affiliation);
      if (!building) throw new Error(`Demo person ${p.key}: no building ${p.affiliation.fscsId}/${p.affiliation.seq}`);
      const existing = await strapi.documents('api::affiliation.affiliation').findFirst({
        filters: { user: { id: user!.id }, building: { documentId: building } } as never,
      });
      if (!existing) {
        await strapi.documents('api::affiliation.affiliation').create({
          data: {
            user: user!.documentId, building, jobTitle: p.affiliation.jobTitle,
            roles: p.affiliation.status === 'approved' ? p.affiliation.roles : p.affiliation.roles.filter((r) => r !== 'director'),
            requestedRoles: p.affiliation.roles, status: p.affiliation.status,
            decidedAt: p.affiliation.status === 'approved' ? new Date().toISOString() : null,
          } as never,
        });
      }
    }
  }

  const groups = new Map<string, Doc>();
  for (const g of demo.networkingGroups) {
    const contacts = g.contacts.map((c) => ({
      name: c.name, library: c.library ?? null, phone: c.phone ?? null,
      user: c.personKey && people.get(c.personKey) ? people.get(c.personKey)!.documentId : null,
    }));
    const group = await upsert(strapi, 'api::networking-group.networking-group', { slug: g.slug }, {
      name: g.name, about: g.about, scope: g.scope, meetingPattern: g.meetingPattern, contacts,
      system: g.systemCode ? systems.get(g.systemCode)!.documentId : null,
      primaryAdmin: g.primaryAdminKey ? people.get(g.primaryAdminKey)?.documentId ?? null : null,
    });
    groups.set(g.slug, group);
  }

  const eventDocs = new Map<string, Doc>();
  const saveEvent = async (e: demo.SeriesSpec & Partial<(typeof demo.events)[number]>, groupSlug?: string) => {
    const locations = (e.locations ?? (e.location ? [e.location] : [])) as { key: string; name: string; onlineUrl?: string; capacity?: number; buildingFscs?: { fscsId: string; seq: number } }[];
    const data = {
      title: e.title,
      description: e.description,
      audience: e.audience,
      start: localToUtcIso(e.start),
      end: localToUtcIso(e.end),
      rrule: e.rrule || null,
      exdates: e.exdates?.length ? e.exdates.map((x) => localToUtcIso(x)) : null,
      registrationMode: e.registrationMode,
      registrationAudience: e.registrationAudience ?? (e.audience === 'members' ? 'members' : 'everyone'),
      signupInstructions: e.signupInstructions ?? null,
      capacity: e.capacity ?? null,
      fee: e.fee ?? null,
      paymentInstructions: e.paymentInstructions ?? null,
      cancellationHours: e.cancellationHours ?? 48,
      pdhHours: e.pdhHours ?? null,
      provider: e.providerSlug ? providers.get(e.providerSlug)?.documentId ?? null : null,
      networkingGroup: groupSlug ? groups.get(groupSlug)!.documentId : null,
      tags: (e.tags ?? []).map((t) => tags.get(t)?.documentId).filter(Boolean),
      parent: e.parentKey ? eventDocs.get(e.parentKey)?.documentId ?? null : null,
      kind: groupSlug ? 'networking' : e.parentKey ? 'session' : 'continuing-education',
      locations: await Promise.all(locations.map(async (l) => ({
        key: l.key, name: l.name, onlineUrl: l.onlineUrl ?? null, capacity: l.capacity ?? null, building: await buildingOf(l.buildingFscs),
      }))),
    };
    const doc = await upsert(strapi, 'api::event.event', { slug: e.key }, data, { publish: true });
    eventDocs.set(e.key, doc);
    return doc;
  };

  for (const g of demo.networkingGroups) for (const series of g.meetings ?? []) await saveEvent(series, g.slug);
  // Conferences first, so their sessions can point to them.
  const ordered = [...demo.events].sort((a, b) => Number(Boolean(a.parentKey)) - Number(Boolean(b.parentKey)));
  for (const e of ordered) await saveEvent(e);

  for (const e of demo.events.filter((x) => x.nearlyFullSeed)) await fillSeats(strapi, eventDocs.get(e.key)!, e.nearlyFullSeed!, localToUtcIso(e.start));

  // Pending member submissions: drafts (never published here) for staff to review.
  for (const sub of demo.eventSubmissions) {
    await upsert(strapi, 'api::event.event', { slug: sub.key }, {
      title: sub.title, description: sub.description, start: localToUtcIso(sub.start), end: localToUtcIso(sub.end),
      kind: 'networking', audience: 'public', registrationMode: 'none',
      networkingGroup: groups.get(sub.groupSlug)!.documentId, locations: [{ key: sub.location.key, name: sub.location.name, onlineUrl: sub.location.onlineUrl ?? null }],
      submittedBy: people.get(sub.submitterKey)!.documentId, submissionState: 'submitted',
    });
  }

  await seedMentorship(strapi, people);
  await seedSiteVisits(strapi, people, buildingOf);
  const admin = await ensureAdmin(strapi);
  return { imls, admin };
}

/** Demo attendees so one event shows as nearly full. */
async function fillSeats(strapi: Core.Strapi, event: Doc, count: number, occurrence: string) {
  // Demo seats go in the event's only location, as the registration service would place them.
  const withLocations = await strapi.db.query('api::event.event').findOne({ where: { id: event.id }, populate: { locations: true } });
  const location = withLocations?.locations?.length === 1 ? withLocations.locations[0].key : null;
  const authenticated = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  for (let i = 1; i <= count; i += 1) {
    const email = `attendee${String(i).padStart(2, '0')}@demo.library-learning.example`;
    let user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email } });
    if (!user) {
      user = await strapi.plugin('users-permissions').service('user').add({
        username: email, email, password: DEMO_PASSWORD, provider: 'local', confirmed: true, blocked: false,
        role: authenticated.id, firstName: 'Demo', lastName: `Attendee ${i}`,
      });
    }
    const key = activeKey({ eventDocumentId: event.documentId, occurrence, userDocumentId: user.documentId });
    const exists = await strapi.db.query('api::registration.registration').findOne({ where: { activeKey: key } });
    if (exists) continue;
    await strapi.documents('api::registration.registration').create({
      data: {
        event: event.documentId, user: user.documentId, registeredBy: user.documentId, occurrence, status: 'confirmed', location,
        confirmedAt: new Date().toISOString(), eventDocumentId: event.documentId, userDocumentId: user.documentId,
        slotKey: slotKey({ eventDocumentId: event.documentId, occurrence, location }), activeKey: key,
      } as never,
    });
  }
}

async function seedMentorship(strapi: Core.Strapi, people: Map<string, Doc>) {
  const apps = new Map<string, Doc>();
  for (const p of demo.people.filter((x) => x.mentorship)) {
    const user = people.get(p.key)!;
    const m = p.mentorship!;
    const existing = (await strapi.documents('api::mentorship-application.mentorship-application').findFirst({
      filters: { user: { id: user.id }, role: m.role } as never,
    })) as Doc | null;
    apps.set(p.key, existing ?? ((await strapi.documents('api::mentorship-application.mentorship-application').create({
      data: { user: user.documentId, role: m.role, yearsExperience: m.yearsExperience, membership: m.membership, employedInLibrary: m.employedInLibrary, goals: m.goals, interests: m.interests, status: 'accepted' } as never,
    })) as Doc));
  }
  for (const pairing of demo.mentorshipPairings) {
    const mentor = people.get(pairing.mentorKey)!;
    const mentee = people.get(pairing.menteeKey)!;
    const existing = await strapi.documents('api::mentorship-pairing.mentorship-pairing').findFirst({
      filters: { mentor: { id: mentor.id }, mentee: { id: mentee.id } } as never,
    });
    if (existing) continue;
    await strapi.documents('api::mentorship-pairing.mentorship-pairing').create({
      data: {
        mentor: mentor.documentId, mentee: mentee.documentId,
        mentorApplication: apps.get(pairing.mentorKey)?.documentId, menteeApplication: apps.get(pairing.menteeKey)?.documentId,
        status: pairing.status, startDate: pairing.start.slice(0, 10), // the end date: six months on, set by the pairing rules
      } as never,
    }); // the applications' statuses follow the pairing (pairings.settleApplications)
  }
}

/** A pending visit request from the demo director, and a past visit for the not-visited report. */
async function seedSiteVisits(strapi: Core.Strapi, people: Map<string, Doc>, buildingOf: (ref?: { fscsId: string; seq: number }) => Promise<string | null>) {
  const director = demo.people.find((p) => p.affiliation?.roles.includes('director') && p.affiliation.status === 'approved');
  if (!director) return;
  const user = people.get(director.key)!;
  const visits = [
    { building: await buildingOf(director.affiliation), kind: 'visit', topic: 'Show the board our renovated youth services area and talk about the SHARE migration', preferredDates: ['2027-02-03', '2027-02-10'], status: 'requested' },
    { building: await buildingOf({ fscsId: 'IL0364', seq: 2 }), kind: 'visit', topic: 'Annual membership visit', preferredDates: [], status: 'completed', scheduledAt: '2025-10-14T15:00:00.000Z' },
  ];
  for (const v of visits) {
    if (!v.building) continue;
    const existing = await strapi.db.query('api::site-visit.site-visit').findOne({ where: { building: { documentId: v.building }, topic: v.topic } });
    if (!existing) await strapi.documents('api::site-visit.site-visit').create({ data: { ...v, requestedBy: user.documentId } as never });
  }
}

/** Creates the first admin-panel user; its password is shown once, at creation. */
async function ensureAdmin(strapi: Core.Strapi): Promise<SeedResult['admin']> {
  const email = (process.env.ADMIN_EMAIL || 'admin@library-learning.example').toLowerCase();
  const existing = await strapi.db.query('admin::user').findOne({ where: { email } });
  if (existing) return { email };
  const password = process.env.ADMIN_PASSWORD || `Ll-${crypto.randomBytes(9).toString('base64url')}9a`;
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({
    email, firstname: 'System', lastname: 'Staff', password, isActive: true, registrationToken: null, roles: superAdmin ? [superAdmin.id] : [],
  });
  return { email, password };
}
