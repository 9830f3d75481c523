#!/usr/bin/env python3
"""Check src/seed/demo-data.ts against the IMLS Illinois file, the seed texts, and itself.

- every member library's FSCS ID exists in the Illinois file and its name is the file's
  LIBRARY SYSTEM value (administrative entity), in library case;
- every building reference (FSCS ID + seq) used by events, group meetings and people
  exists in the file, and belongs to a library listed as a member of some system
  (IHLS-group and IHLS-provided events use IHLS member buildings);
- IHLS regional networking groups: names, about texts, meeting-pattern words and contacts
  exactly as printed on the IHLS page (whitespace normalised), none missing;
- cross-references (providers, tags, person keys, parent events, pairings), unique keys,
  fictional-looking emails, mentorship eligibility (ILA rules), and the required demo cases.

Exits 1 on any problem. Run: python3 scripts/check-demo-fscs.py
"""
import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = Path(os.environ.get('DEMO_DATA_FILE', ROOT / 'src' / 'seed' / 'demo-data.ts')).resolve()
SHARED = Path(os.environ.get('SHARED_DIR', '/work/shared'))
CSV_FILE = SHARED / 'data' / 'imls-pls-fy2015-outlets-illinois.csv'
SEED_GROUPS = SHARED / 'seeds' / 'ihls-member-engagement-and-networking-groups.txt'

NODE_SCRIPT = r"""
const fs = require('fs');
const ts = require('typescript');
const src = fs.readFileSync(process.argv[1], 'utf8');
const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
const m = { exports: {} };
new Function('module', 'exports', 'require', js)(m, m.exports, require);
process.stdout.write(JSON.stringify(m.exports));
"""

errors = []


def err(msg):
    errors.append(msg)


def load_demo():
    out = subprocess.run(['node', '-e', NODE_SCRIPT, str(DATA_FILE)], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit('node failed to load demo data:\n' + out.stderr)
    return json.loads(out.stdout)


def norm(s):
    return re.sub(r'\s+', ' ', s.replace('\u00a0', ' ')).strip()


def library_case_ok(name, upper):
    """name is the file's upper-case value in library case (same letters, not all caps)."""
    return name.upper() == upper and name != upper


def seed_groups():
    """Parse the 'Regional Networking Groups' section of the IHLS page."""
    text = SEED_GROUPS.read_text(encoding='utf-8')
    sec = text[text.index('Regional Networking Groups'):text.index('Statewide Organizations')]
    lines = [norm(l) for l in sec.split('\n')]
    lines = [l for l in lines if l]
    groups, i = [], 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i + 1].startswith('About this group:'):
            g = {'name': lines[i], 'contacts': []}
            about = lines[i + 1][len('About this group:'):].strip()
            j = i + 2
            if not about:
                about, j = lines[j], j + 1
            g['about'] = about
            assert lines[j].startswith('Meeting Dates: '), lines[j]
            g['meetingPattern'] = lines[j][len('Meeting Dates: '):]
            assert lines[j + 1] == 'Group Contact:', lines[j + 1]
            j += 2
            while j < len(lines) and not (j + 1 < len(lines) and lines[j + 1].startswith('About this group:')):
                g['contacts'].append(lines[j])
                j += 1
            groups.append(g)
            i = j
        else:
            i += 1
    return groups


def contact_line(c):
    if c.get('library'):
        return f"{c['name']}, {c['library']} \u2013 {c['phone']}"
    return c['name']


def main():
    d = load_demo()
    rows = list(csv.DictReader(CSV_FILE.open(newline='', encoding='utf-8')))
    by_bldg = {(r['FSCS ID'], int(r['FSCS ID_SEQ'])): r for r in rows}
    by_lib = {}
    for r in rows:
        by_lib.setdefault(r['FSCS ID'], set()).add(r['LIBRARY SYSTEM'])

    # --- systems, member libraries -------------------------------------------
    codes = [s['code'] for s in d['librarySystems']]
    if sorted(codes) != ['CPLS', 'IHLS', 'ISL', 'RAILS']:
        err(f'library systems {codes}')
    member_of = {}
    print('Member libraries (FSCS ID, name, IMLS LIBRARY SYSTEM, buildings):')
    for code, lst in (('IHLS', d['ihlsMemberLibraries']), ('RAILS', d['railsMemberLibraries']), ('CPLS', d['cplsLibraries'])):
        for lib in lst:
            fid, name = lib['fscsId'], lib['name']
            if fid in member_of:
                err(f'{fid} listed twice ({member_of[fid]} and {code})')
            member_of[fid] = code
            names = by_lib.get(fid)
            if not names:
                err(f'{code} library {fid} {name!r} not in the Illinois file')
                continue
            (upper,) = names
            if not library_case_ok(name, upper):
                err(f'{code} library {fid}: name {name!r} is not the file\'s LIBRARY SYSTEM {upper!r} in library case')
            nb = sum(1 for k in by_bldg if k[0] == fid)
            print(f'  {code:5} {fid}  {name:45} = {upper}  ({nb} building{"s" if nb != 1 else ""})')

    # --- building references --------------------------------------------------
    providers = {p['slug']: p for p in d['providers']}
    refs = []  # (where, ref, must_be_system)
    for g in d['networkingGroups']:
        for s in g.get('meetings') or []:
            loc = s.get('location') or {}
            if loc.get('buildingFscs'):
                refs.append((f"group {g['slug']} / {s['key']}", loc['buildingFscs'], g.get('systemCode')))
    for e in d['events']:
        sys_code = providers.get(e.get('providerSlug'), {}).get('systemCode')
        sys_code = sys_code if sys_code == 'IHLS' else None
        for loc in ([e['location']] if e.get('location') else []) + (e.get('locations') or []):
            if loc.get('buildingFscs'):
                refs.append((f"event {e['key']} / {loc['key']}", loc['buildingFscs'], sys_code))
    for p in d['people']:
        a = p.get('affiliation')
        if a:
            refs.append((f"person {p['key']}", {'fscsId': a['fscsId'], 'seq': a['seq']}, None))
    print('\nBuilding references (FSCS ID + seq):')
    for where, ref, must in refs:
        key = (ref['fscsId'], ref['seq'])
        r = by_bldg.get(key)
        if not r:
            err(f'{where}: building {key} not in the Illinois file')
            continue
        city = norm(r['LOCATION'].split('\n')[1]) if '\n' in r['LOCATION'] else ''
        sysc = member_of.get(ref['fscsId'])
        print(f"  {ref['fscsId']}/{ref['seq']:<3} {r['OUTLET TYPE']} {r['LIBRARY NAME']:42} {city:22} [{sysc}]  <- {where}")
        if not sysc:
            err(f'{where}: library {ref["fscsId"]} is not in any member list')
        if must and sysc != must:
            err(f'{where}: building of a {must} group/event belongs to {sysc}')

    # --- seed texts of the IHLS regional groups --------------------------------
    groups = {g['name']: g for g in d['networkingGroups']}
    seeds = seed_groups()
    print(f'\nIHLS page: {len(seeds)} regional groups')
    ihls_names = {l['name'].upper(): l['fscsId'] for l in d['ihlsMemberLibraries']}
    for sg in seeds:
        g = groups.get(sg['name'])
        if not g:
            err(f"seed group {sg['name']!r} missing")
            continue
        for f in ('about', 'meetingPattern'):
            if norm(g[f]) != sg[f] or g[f] != norm(g[f]):
                err(f"group {g['slug']}: {f} differs from the seed:\n    data: {g[f]!r}\n    seed: {sg[f]!r}")
        want = [('Unknown' if c == 'Unknown.' else c) for c in sg['contacts']]
        got = [contact_line(c) for c in g['contacts']]
        if got != want:
            err(f"group {g['slug']}: contacts {got} != seed {want}")
        if g['scope'] != 'regional' or g.get('systemCode') != 'IHLS':
            err(f"group {g['slug']}: should be regional, IHLS")
        for c in g['contacts']:
            if c.get('library'):  # printed library name -> one IHLS member library
                hits = [fid for up, fid in ihls_names.items() if up == c['library'].upper() or up.startswith(c['library'].upper() + ' ')]
                if len(hits) != 1:
                    err(f"group {g['slug']}: contact library {c['library']!r} does not map to one IHLS member ({hits})")
            if c.get('personKey'):
                err(f"group {g['slug']}: real seed contact {c['name']} must stay free text (no personKey)")
        print(f"  ok  {g['slug']:45} contacts: {'; '.join(got)}")

    # --- cross-references and uniqueness -------------------------------------
    tag_slugs = {t['slug'] for t in d['tags']}
    person = {p['key']: p for p in d['people']}
    ev = {e['key']: e for e in d['events']}

    def uniq(label, items):
        seen = set()
        for x in items:
            if x in seen:
                err(f'duplicate {label}: {x}')
            seen.add(x)

    all_series = list(d['events']) + [s for g in d['networkingGroups'] for s in (g.get('meetings') or [])]
    uniq('event/series key', [s['key'] for s in all_series])
    uniq('group slug', [g['slug'] for g in d['networkingGroups']])
    uniq('provider slug', list(providers))
    uniq('tag slug', [t['slug'] for t in d['tags']])
    uniq('person key', [p['key'] for p in d['people']])
    uniq('email', [p['email'].lower() for p in d['people']])
    uniq('username', [p['username'] for p in d['people'] if p.get('username')])

    for s in all_series:
        if s.get('providerSlug') and s['providerSlug'] not in providers:
            err(f"{s['key']}: unknown provider {s['providerSlug']}")
        for t in s.get('tags') or []:
            if t not in tag_slugs:
                err(f"{s['key']}: unknown tag {t}")
        locs = ([s['location']] if s.get('location') else []) + (s.get('locations') or [])
        uniq(f"location key in {s['key']}", [l['key'] for l in locs])
        if s['registrationMode'] == 'external' and not s.get('signupInstructions'):
            err(f"{s['key']}: external registration needs signupInstructions")
        if s.get('fee') and not s.get('paymentInstructions'):
            err(f"{s['key']}: fee without paymentInstructions")
        if s.get('nearlyFullSeed') and not (s.get('capacity') and s['nearlyFullSeed'] < s['capacity']):
            err(f"{s['key']}: nearlyFullSeed must be below capacity")
        if not s['rrule'] and (s.get('exdates') or not s['start'] < s['end'] or s['start'][:10] != s['end'][:10]):
            err(f"{s['key']}: one-off event must end after it starts, same day, no exdates")
    for g in d['networkingGroups']:
        for c in g['contacts']:
            if c.get('personKey') and c['personKey'] not in person:
                err(f"group {g['slug']}: unknown personKey {c['personKey']}")
    for e in d['events']:
        if e.get('parentKey'):
            p = ev.get(e['parentKey'])
            if not p:
                err(f"{e['key']}: unknown parent {e['parentKey']}")
            elif not (p['start'] <= e['start'] < e['end'] <= p['end']) or p['rrule'] or e['rrule']:
                err(f"{e['key']}: session must be a one-off inside its parent's time window")

    # --- people, mentorship ----------------------------------------------------
    for p in d['people']:
        if not re.fullmatch(r'[^@\s]+@([a-z0-9-]+\.)*(example\.org|[a-z0-9-]+\.example)', p['email']):
            err(f"{p['key']}: email {p['email']} is not under example.org or *.example")
        if p.get('phone') and not re.fullmatch(r'\d{3}-555-01\d\d', p['phone']):
            err(f"{p['key']}: phone {p['phone']} is not a fictional 555-01xx number")
        m = p.get('mentorship')
        if m:
            if m['role'] == 'mentee':
                ok = m['membership'] in ('ala-student', 'ila-student') or (
                    m['membership'] == 'ila-personal' and m['yearsExperience'] < 5 and m['employedInLibrary'])
            else:
                ok = m['yearsExperience'] >= 6 or m['employedInLibrary']
            if not ok:
                err(f"{p['key']}: {m['role']} application is not eligible under the ILA rules")
    active = set()
    for pr in d['mentorshipPairings']:
        mt, me = person.get(pr['mentorKey']), person.get(pr['menteeKey'])
        if not (mt and mt.get('mentorship', {}).get('role') == 'mentor'):
            err(f"pairing: {pr['mentorKey']} is not a mentor")
        if not (me and me.get('mentorship', {}).get('role') == 'mentee'):
            err(f"pairing: {pr['menteeKey']} is not a mentee")
        if not re.fullmatch(r'\d{4}-\d\d-\d\d', pr['start']):
            err(f"pairing start {pr['start']} is not YYYY-MM-DD")
        if pr['status'] == 'active':
            for k in (pr['mentorKey'], pr['menteeKey']):
                if k in active:
                    err(f'{k} is in two active pairings')
                active.add(k)

    # --- the demo cases the brief asks for -------------------------------------
    aff = [p['affiliation'] for p in d['people'] if p.get('affiliation')]
    approved_staff_bldgs = {(a['fscsId'], a['seq']) for a in aff if a['status'] == 'approved' and 'staff' in a['roles']}
    one_offs = [e for e in d['events'] if not e['rrule'] and '2026-12-01' <= e['start'] < '2027-07-01']
    checks = {
        'approved director of an IHLS building': any(a['status'] == 'approved' and 'director' in a['roles'] and member_of.get(a['fscsId']) == 'IHLS' for a in aff),
        'directory-editor': any('directory-editor' in a['roles'] and a['status'] == 'approved' for a in aff),
        'approved staff in >= 2 buildings': len(approved_staff_bldgs) >= 2,
        'pending affiliation': any(a['status'] == 'pending' for a in aff),
        'guest (no affiliation, no mentorship)': any(not p.get('affiliation') and not p.get('mentorship') for p in d['people']),
        'mentors and mentees': {p['mentorship']['role'] for p in d['people'] if p.get('mentorship')} == {'mentor', 'mentee'},
        'one active and one proposed pairing': {'active', 'proposed'} <= {p['status'] for p in d['mentorshipPairings']},
        'CE event with a fee': any(e.get('fee') for e in one_offs),
        'members-only CE event': any(e['audience'] == 'members' for e in one_offs),
        'videoconference, >= 3 buildings with capacities': any(
            sum(1 for l in e.get('locations') or [] if l.get('buildingFscs') and l.get('capacity')) >= 3 for e in one_offs),
        'nearly full (capacity 20, 18 seeded)': any(e.get('capacity') == 20 and e.get('nearlyFullSeed') == 18 for e in one_offs),
        'external registration with instructions': any(e['registrationMode'] == 'external' and e.get('signupInstructions') for e in one_offs),
        'SHARE catalog training': any(e.get('providerSlug') == 'share' and not e.get('parentKey') for e in one_offs),
        'Member Day 2027 with 3-4 sessions': 3 <= sum(1 for e in d['events'] if e.get('parentKey') == 'member-day-2027') <= 4,
        'Members Matter: members-only, platform': any(
            e['key'].startswith('members-matter') and e['audience'] == 'members' and e['registrationMode'] == 'platform' for e in d['events']),
    }
    print('\nDemo cases:')
    for label, ok in checks.items():
        print(f"  {'ok ' if ok else 'MISSING'} {label}")
        if not ok:
            err(f'missing demo case: {label}')

    if errors:
        print('\nPROBLEMS:')
        for e in errors:
            print('  - ' + e)
        sys.exit(1)
    print(f'\nALL OK: {len(member_of)} member libraries, {len(refs)} building references, '
          f'{len(d["networkingGroups"])} groups, {len(d["events"])} events, {len(d["people"])} people')


if __name__ == '__main__':
    main()
